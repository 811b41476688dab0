/* sshkit-bench-packet: the cost of sshkit's packet protection layer.
 *
 * For every cipher (and, for the non-AEAD ciphers, every MAC) it seals and
 * opens the same packet over and over through sk_packet_cipher (seal, then
 * open_length + open on the receiving side's state), and does the same
 * computation with libcrypto's EVP calls written out directly, with no
 * checks and no layer: the ceiling. Both are checked to produce the same
 * bytes first. It prints MB/s (10^6 bytes of packet per second, each byte
 * sealed once and opened once) and the ratio sshkit/raw.
 *
 *   sshkit-bench-packet [-s PAYLOAD_BYTES] [-t SECONDS_PER_MEASUREMENT]
 *
 * Defaults: 32768-byte payloads, 0.3 s per measurement (each side is
 * measured three times, alternating, and the best is kept). */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <sshkit/error.h>

#include "crypto/packet_cipher.h"

#define ROUNDS 3

static const char *const ciphers[] = {
    "chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com", "aes128-gcm@openssh.com",
    "aes256-ctr", "aes192-ctr", "aes128-ctr",
};
static const char *const macs[] = {
    "hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com",
    "hmac-sha2-256", "hmac-sha2-512", "hmac-sha1-etm@openssh.com", "hmac-sha1",
};

static void die(const char *what)
{
    fprintf(stderr, "sshkit-bench-packet: %s\n", what);
    exit(1);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Key material for both implementations. */
typedef struct {
    const sk_cipher_alg *cipher;
    const sk_mac_alg *mac;      /* NULL for AEAD */
    uint8_t key[64], iv[16], mac_key[64];
} keys;

/* ---- the raw EVP reference ------------------------------------------- */

typedef struct {
    const keys *k;
    bool encrypt;
    EVP_CIPHER_CTX *c1, *c2;    /* chacha: main, header; others: c1 */
    EVP_MAC_CTX *mac;           /* poly1305 or hmac */
    uint8_t iv[16];
    size_t tag_len;
} raw;

static EVP_CIPHER_CTX *cipher_ctx(const char *name, const uint8_t *key, const uint8_t *iv, int enc)
{
    EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, name, NULL);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (c == NULL || ctx == NULL || !EVP_CipherInit_ex(ctx, c, NULL, key, iv, enc))
        die("cipher setup failed");
    EVP_CIPHER_free(c);
    return ctx;
}

static void raw_init(raw *r, const keys *k, bool encrypt)
{
    memset(r, 0, sizeof *r);
    r->k = k;
    r->encrypt = encrypt;
    memcpy(r->iv, k->iv, sizeof r->iv);
    if (k->cipher->kind == SK_CIPHER_CHACHAPOLY) {
        r->c1 = cipher_ctx("ChaCha20", k->key, NULL, 1);
        r->c2 = cipher_ctx("ChaCha20", k->key + 32, NULL, 1);
        EVP_MAC *m = EVP_MAC_fetch(NULL, "POLY1305", NULL);
        r->mac = m ? EVP_MAC_CTX_new(m) : NULL;
        EVP_MAC_free(m);
        r->tag_len = 16;
    } else if (k->cipher->kind == SK_CIPHER_AES_GCM) {
        r->c1 = cipher_ctx(k->cipher->evp_name, k->key, NULL, encrypt);
        r->tag_len = 16;
    } else {
        r->c1 = cipher_ctx(k->cipher->evp_name, k->key, k->iv, 1);
        EVP_MAC *m = EVP_MAC_fetch(NULL, "HMAC", NULL);
        r->mac = m ? EVP_MAC_CTX_new(m) : NULL;
        EVP_MAC_free(m);
        OSSL_PARAM p[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)k->mac->digest, 0),
            OSSL_PARAM_construct_end(),
        };
        if (r->mac == NULL || !EVP_MAC_init(r->mac, k->mac_key, k->mac->key_len, p))
            die("hmac setup failed");
        r->tag_len = k->mac->mac_len;
    }
    if (r->c1 == NULL || (k->cipher->kind == SK_CIPHER_CHACHAPOLY && r->mac == NULL))
        die("raw setup failed");
}

static void raw_free(raw *r)
{
    EVP_CIPHER_CTX_free(r->c1);
    EVP_CIPHER_CTX_free(r->c2);
    EVP_MAC_CTX_free(r->mac);
}

static void xor_stream(EVP_CIPHER_CTX *ctx, const uint8_t *in, uint8_t *out, size_t len)
{
    int n;
    if (!EVP_CipherUpdate(ctx, out, &n, in, (int)len))
        die("cipher update failed");
}

static void chacha_iv(EVP_CIPHER_CTX *ctx, uint8_t counter, uint32_t seqnr)
{
    uint8_t iv[16] = { counter };
    put_u32(iv + 12, seqnr);
    if (!EVP_CipherInit_ex(ctx, NULL, NULL, NULL, iv, -1))
        die("chacha iv failed");
}

static void poly_tag(raw *r, uint32_t seqnr, const uint8_t *pkt, size_t len, uint8_t *tag)
{
    static const uint8_t zero[32];
    uint8_t pkey[32];
    size_t tl;
    chacha_iv(r->c1, 0, seqnr);
    xor_stream(r->c1, zero, pkey, 32);
    if (!EVP_MAC_init(r->mac, pkey, 32, NULL) || !EVP_MAC_update(r->mac, pkt, len)
        || !EVP_MAC_final(r->mac, tag, &tl, 16))
        die("poly1305 failed");
}

static void hmac_tag(raw *r, uint32_t seqnr, const uint8_t *pkt, size_t len, uint8_t *tag)
{
    uint8_t seq[4];
    size_t tl;
    put_u32(seq, seqnr);
    if (!EVP_MAC_init(r->mac, NULL, 0, NULL) || !EVP_MAC_update(r->mac, seq, 4)
        || !EVP_MAC_update(r->mac, pkt, len) || !EVP_MAC_final(r->mac, tag, &tl, r->tag_len))
        die("hmac failed");
}

static void gcm_step(raw *r)
{
    for (int i = 11; i >= 4 && ++r->iv[i] == 0; i--)
        ;
}

static void raw_seal(raw *r, uint32_t seqnr, uint8_t *pkt, size_t len, uint8_t *tag)
{
    int n;
    switch (r->k->cipher->kind) {
    case SK_CIPHER_CHACHAPOLY:
        chacha_iv(r->c2, 0, seqnr);
        xor_stream(r->c2, pkt, pkt, 4);
        chacha_iv(r->c1, 1, seqnr);
        xor_stream(r->c1, pkt + 4, pkt + 4, len - 4);
        poly_tag(r, seqnr, pkt, len, tag);
        return;
    case SK_CIPHER_AES_GCM:
        if (!EVP_CipherInit_ex(r->c1, NULL, NULL, NULL, r->iv, -1)
            || !EVP_CipherUpdate(r->c1, NULL, &n, pkt, 4)
            || !EVP_CipherUpdate(r->c1, pkt + 4, &n, pkt + 4, (int)len - 4)
            || !EVP_CipherFinal_ex(r->c1, NULL, &n)
            || !EVP_CIPHER_CTX_ctrl(r->c1, EVP_CTRL_AEAD_GET_TAG, 16, tag))
            die("gcm seal failed");
        gcm_step(r);
        return;
    case SK_CIPHER_AES_CTR:
        if (r->k->mac->etm) {
            xor_stream(r->c1, pkt + 4, pkt + 4, len - 4);
            hmac_tag(r, seqnr, pkt, len, tag);
        } else {
            hmac_tag(r, seqnr, pkt, len, tag);
            xor_stream(r->c1, pkt, pkt, len);
        }
        return;
    }
}

/* Opens in place as a receiver does: the length first, then the rest. */
static void raw_open(raw *r, uint32_t seqnr, uint8_t *pkt, size_t len, const uint8_t *tag)
{
    uint8_t want[64], clear[4];
    int n;
    size_t block = r->k->cipher->block_size;
    switch (r->k->cipher->kind) {
    case SK_CIPHER_CHACHAPOLY:
        chacha_iv(r->c2, 0, seqnr);
        xor_stream(r->c2, pkt, clear, 4);
        if (get_u32(clear) + 4 != len)
            die("chacha length");
        poly_tag(r, seqnr, pkt, len, want);
        if (CRYPTO_memcmp(want, tag, 16) != 0)
            die("poly1305 mismatch");
        memcpy(pkt, clear, 4);
        chacha_iv(r->c1, 1, seqnr);
        xor_stream(r->c1, pkt + 4, pkt + 4, len - 4);
        return;
    case SK_CIPHER_AES_GCM:
        if (get_u32(pkt) + 4 != len
            || !EVP_CipherInit_ex(r->c1, NULL, NULL, NULL, r->iv, -1)
            || !EVP_CipherUpdate(r->c1, NULL, &n, pkt, 4)
            || !EVP_CipherUpdate(r->c1, pkt + 4, &n, pkt + 4, (int)len - 4)
            || !EVP_CIPHER_CTX_ctrl(r->c1, EVP_CTRL_AEAD_SET_TAG, 16, (void *)tag)
            || EVP_CipherFinal_ex(r->c1, NULL, &n) <= 0)
            die("gcm open failed");
        gcm_step(r);
        return;
    case SK_CIPHER_AES_CTR:
        if (r->k->mac->etm) {
            if (get_u32(pkt) + 4 != len)
                die("etm length");
            hmac_tag(r, seqnr, pkt, len, want);
            if (CRYPTO_memcmp(want, tag, r->tag_len) != 0)
                die("hmac mismatch");
            xor_stream(r->c1, pkt + 4, pkt + 4, len - 4);
        } else {
            xor_stream(r->c1, pkt, pkt, block);
            if (get_u32(pkt) + 4 != len)
                die("eam length");
            xor_stream(r->c1, pkt + block, pkt + block, len - block);
            hmac_tag(r, seqnr, pkt, len, want);
            if (CRYPTO_memcmp(want, tag, r->tag_len) != 0)
                die("hmac mismatch");
        }
        return;
    }
}

/* ---- sshkit's layer --------------------------------------------------- */

typedef struct {
    sk_packet_cipher *enc, *dec;
} layer;

static void layer_init(layer *l, const keys *k)
{
    if (sk_packet_cipher_new(k->cipher, k->mac, true, k->key, k->iv, k->mac_key, &l->enc) != 0
        || sk_packet_cipher_new(k->cipher, k->mac, false, k->key, k->iv, k->mac_key, &l->dec) != 0)
        die("sk_packet_cipher_new failed");
}

static void layer_free(layer *l)
{
    sk_packet_cipher_free(l->enc);
    sk_packet_cipher_free(l->dec);
}

static void layer_round(layer *l, uint32_t seqnr, uint8_t *pkt, size_t len, uint8_t *tag)
{
    uint32_t plen;
    if (sk_packet_seal(l->enc, seqnr, pkt, len, tag) != 0
        || sk_packet_open_length(l->dec, seqnr, pkt, &plen) != 0 || plen + 4 != len
        || sk_packet_open(l->dec, seqnr, pkt, len, tag) != 0)
        die("sshkit seal/open failed");
}

/* ---- measuring -------------------------------------------------------- */

/* A packet with payload_len bytes of payload, laid out for this cipher. */
static uint8_t *make_packet(const sk_packet_cipher *enc, size_t payload_len, size_t *len)
{
    size_t pad = sk_packet_padding_len(enc, payload_len);
    *len = 4 + 1 + payload_len + pad;
    uint8_t *pkt = malloc(*len);
    if (pkt == NULL || RAND_bytes(pkt, (int)*len) != 1)
        die("packet setup failed");
    put_u32(pkt, (uint32_t)(*len - 4));
    pkt[4] = (uint8_t)pad;
    return pkt;
}

/* The two implementations agree on the bytes and tag of the first packets. */
static void cross_check(const keys *k, const uint8_t *pkt, size_t len)
{
    layer l;
    raw re, rd;
    layer_init(&l, k);
    raw_init(&re, k, true);
    raw_init(&rd, k, false);
    uint8_t *a = malloc(len), *b = malloc(len);
    uint8_t ta[64], tb[64];
    if (a == NULL || b == NULL)
        die("out of memory");
    size_t tag_len = sk_packet_tag_len(l.enc);
    for (uint32_t seq = 7; seq < 10; seq++) {
        memcpy(a, pkt, len);
        memcpy(b, pkt, len);
        if (sk_packet_seal(l.enc, seq, a, len, ta) != 0)
            die("sshkit seal failed");
        raw_seal(&re, seq, b, len, tb);
        if (memcmp(a, b, len) != 0 || memcmp(ta, tb, tag_len) != 0)
            die("sshkit and raw EVP disagree");
        raw_open(&rd, seq, b, len, tb);
        if (memcmp(b, pkt, len) != 0)
            die("raw open did not restore the packet");
    }
    free(a);
    free(b);
    raw_free(&re);
    raw_free(&rd);
    layer_free(&l);
}

/* Packets per second over at least `seconds`, sshkit's layer or raw. */
static double measure(const keys *k, bool use_layer, uint8_t *pkt, size_t len, double seconds)
{
    layer l;
    raw re, rd;
    uint8_t tag[64];
    if (use_layer) {
        layer_init(&l, k);
    } else {
        raw_init(&re, k, true);
        raw_init(&rd, k, false);
    }
    uint32_t seq = 0;
    double start = now(), elapsed;
    do {
        for (int i = 0; i < 64; i++, seq++) {
            if (use_layer) {
                layer_round(&l, seq, pkt, len, tag);
            } else {
                raw_seal(&re, seq, pkt, len, tag);
                raw_open(&rd, seq, pkt, len, tag);
            }
        }
        elapsed = now() - start;
    } while (elapsed < seconds);
    if (use_layer) {
        layer_free(&l);
    } else {
        raw_free(&re);
        raw_free(&rd);
    }
    return (double)seq / elapsed;
}

static void bench_one(const char *cipher, const char *mac, size_t payload, double seconds)
{
    keys k;
    memset(&k, 0, sizeof k);
    k.cipher = sk_cipher_find(cipher);
    k.mac = mac ? sk_mac_find(mac) : NULL;
    if (k.cipher == NULL || (mac && k.mac == NULL))
        die("unknown algorithm");
    if (RAND_bytes(k.key, sizeof k.key) != 1 || RAND_bytes(k.iv, sizeof k.iv) != 1
        || RAND_bytes(k.mac_key, sizeof k.mac_key) != 1)
        die("RAND_bytes failed");
    layer probe;
    layer_init(&probe, &k);
    size_t len;
    uint8_t *pkt = make_packet(probe.enc, payload, &len);
    layer_free(&probe);
    cross_check(&k, pkt, len);
    double best_layer = 0, best_raw = 0;
    for (int i = 0; i < ROUNDS; i++) {
        double a = measure(&k, true, pkt, len, seconds);
        double b = measure(&k, false, pkt, len, seconds);
        best_layer = a > best_layer ? a : best_layer;
        best_raw = b > best_raw ? b : best_raw;
    }
    free(pkt);
    double mb_layer = best_layer * (double)len / 1e6, mb_raw = best_raw * (double)len / 1e6;
    printf("%-30s %-30s %10.0f %10.0f %7.3f\n", cipher, mac ? mac : "(aead)", mb_layer, mb_raw,
           mb_layer / mb_raw);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    size_t payload = 32768;
    double seconds = 0.3;
    int c;
    while ((c = getopt(argc, argv, "s:t:")) != -1) {
        switch (c) {
        case 's': payload = (size_t)strtoul(optarg, NULL, 10); break;
        case 't': seconds = strtod(optarg, NULL); break;
        default:
            fprintf(stderr, "usage: %s [-s PAYLOAD_BYTES] [-t SECONDS]\n", argv[0]);
            return 2;
        }
    }
    if (payload < 1 || payload > SK_PACKET_MAX - 64 || !(seconds > 0 && seconds <= 10))
        die("payload must be 1..262080 bytes and seconds in (0, 10]");
    printf("packet crypto: seal + open of one %zu-byte payload per packet, in place, one thread;\n"
           "MB/s = 10^6 packet bytes per second (each sealed and opened); best of %d x %.2f s\n\n",
           payload, ROUNDS, seconds);
    printf("%-30s %-30s %10s %10s %7s\n", "cipher", "mac", "sshkit", "raw EVP", "ratio");
    for (size_t i = 0; i < sizeof ciphers / sizeof *ciphers; i++) {
        const sk_cipher_alg *alg = sk_cipher_find(ciphers[i]);
        if (alg == NULL)
            die("unknown cipher");
        if (alg->aead) {
            bench_one(ciphers[i], NULL, payload, seconds);
            continue;
        }
        for (size_t j = 0; j < sizeof macs / sizeof *macs; j++)
            bench_one(ciphers[i], macs[j], payload, seconds);
    }
    printf("\nratio = sshkit MB/s / raw EVP MB/s (1.000: the layer costs nothing measurable)\n");
    return 0;
}
