/* Unit tests for SSH packet protection: libcrypto's ChaCha20/Poly1305 pinned
 * with RFC 8439 vectors, chacha20-poly1305@openssh.com against a construction
 * built here from raw ChaCha20 and Poly1305, AES-GCM (McGrew-Viega test case
 * 16 and the SSH invocation counter), AES-CTR (NIST SP 800-38A F.5), and
 * seal/open round trips and tampering for every cipher and MAC. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sshkit/error.h>
#include "crypto/aes_ctr.h"
#include "crypto/aes_gcm.h"
#include "crypto/chachapoly.h"
#include "crypto/packet_cipher.h"
#include "wire/writer.h"

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = strlen(s) / 2;
    assert_true(n <= cap);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    return n;
}

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0)
            return false;
    return true;
}

/* ---- raw libcrypto helpers: the reference the code under test is held to ---- */

static void raw_cipher(const char *name, const uint8_t *key, const uint8_t *iv,
                       const uint8_t *in, uint8_t *out, size_t len)
{
    EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, name, NULL);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n = 0;
    assert_non_null(c);
    assert_non_null(ctx);
    assert_int_equal(EVP_EncryptInit_ex(ctx, c, NULL, key, iv), 1);
    assert_int_equal(EVP_EncryptUpdate(ctx, out, &n, in, (int)len), 1);
    assert_int_equal((size_t)n, len);
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(c);
}

static void raw_poly1305(const uint8_t key[32], const uint8_t *msg, size_t len, uint8_t tag[16])
{
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "POLY1305", NULL);
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(mac);
    size_t n = 0;
    assert_non_null(ctx);
    assert_int_equal(EVP_MAC_init(ctx, key, 32, NULL), 1);
    assert_int_equal(EVP_MAC_update(ctx, msg, len), 1);
    assert_int_equal(EVP_MAC_final(ctx, tag, &n, 16), 1);
    assert_int_equal(n, 16);
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
}

static void raw_gcm(const char *name, const uint8_t *key, const uint8_t iv[12],
                    const uint8_t *aad, size_t aad_len, const uint8_t *in, uint8_t *out,
                    size_t len, uint8_t tag[16])
{
    EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, name, NULL);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n = 0;
    assert_int_equal(EVP_EncryptInit_ex(ctx, c, NULL, key, iv), 1);
    assert_int_equal(EVP_EncryptUpdate(ctx, NULL, &n, aad, (int)aad_len), 1);
    assert_int_equal(EVP_EncryptUpdate(ctx, out, &n, in, (int)len), 1);
    assert_int_equal(EVP_EncryptFinal_ex(ctx, out + n, &n), 1);
    assert_int_equal(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, tag), 1);
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(c);
}

/* ---- RFC 8439: pin libcrypto's ChaCha20 IV layout and Poly1305 ---- */

static const char sunscreen[] =
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for "
    "the future, sunscreen would be it.";

static void test_chacha20_rfc8439_2_4_2(void **state)
{
    (void)state;
    uint8_t key[32], iv[16], want[114], got[114];
    for (int i = 0; i < 32; i++)
        key[i] = (uint8_t)i;
    /* 32-bit little-endian block counter 1, then the 96-bit nonce. */
    unhex("01000000" "000000000000004a00000000", iv, sizeof iv);
    unhex("6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
          "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
          "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
          "5af90bbf74a35be6b40b8eedf2785e42874d", want, sizeof want);
    assert_int_equal(strlen(sunscreen), sizeof want);
    raw_cipher("ChaCha20", key, iv, (const uint8_t *)sunscreen, got, sizeof got);
    assert_memory_equal(got, want, sizeof want);
}

static void test_poly1305_rfc8439_2_5_2(void **state)
{
    (void)state;
    uint8_t key[32], want[16], got[16];
    const char *msg = "Cryptographic Forum Research Group";
    unhex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b", key, sizeof key);
    unhex("a8061dc1305136c6c22b8baf0c0127a9", want, sizeof want);
    raw_poly1305(key, (const uint8_t *)msg, strlen(msg), got);
    assert_memory_equal(got, want, sizeof want);
}

/* ---- chacha20-poly1305@openssh.com ---- */

/* The construction from PROTOCOL.chacha20poly1305, built from raw pieces.
 * The payload keystream is taken as bytes 64.. of the stream from counter 0,
 * so "starts at block 1" is checked without trusting the counter layout. */
static void reference_chachapoly(const uint8_t key[64], uint32_t seqnr, const uint8_t *pkt,
                                 size_t len, uint8_t *out, uint8_t tag[16])
{
    uint8_t iv[16] = { 0 };
    uint8_t *zeros = calloc(1, 64 + len);
    uint8_t *stream = malloc(64 + len);
    assert_non_null(zeros);
    assert_non_null(stream);
    sk_store_u64(iv + 8, seqnr);

    raw_cipher("ChaCha20", key + 32, iv, pkt, out, 4);              /* K_1: length */
    raw_cipher("ChaCha20", key, iv, zeros, stream, 64 + len - 4);    /* K_2 */
    for (size_t i = 4; i < len; i++)
        out[i] = pkt[i] ^ stream[64 + i - 4];
    raw_poly1305(stream, out, len, tag);                             /* key: block 0 */
    free(zeros);
    free(stream);
}

static void test_chachapoly_known_answer(void **state)
{
    (void)state;
    const sk_cipher_alg *alg = sk_cipher_find("chacha20-poly1305@openssh.com");
    uint8_t key[64], pkt[4 + 136], want[sizeof pkt], want_tag[16], tag[16];
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (uint8_t)(0xa0 ^ i);
    sk_packet_cipher *tx, *rx;
    assert_int_equal(sk_packet_cipher_new(alg, NULL, true, key, NULL, NULL, &tx), 0);
    assert_int_equal(sk_packet_cipher_new(alg, NULL, false, key, NULL, NULL, &rx), 0);

    const uint32_t seqnrs[] = { 0, 1, 0x01020304, 0xfffffffe };
    for (size_t s = 0; s < sizeof seqnrs / sizeof seqnrs[0]; s++) {
        sk_store_u32(pkt, sizeof pkt - 4);
        pkt[4] = 11;
        for (size_t i = 5; i < sizeof pkt; i++)
            pkt[i] = (uint8_t)(i * 13 + s);
        reference_chachapoly(key, seqnrs[s], pkt, sizeof pkt, want, want_tag);

        uint8_t plain[sizeof pkt];
        memcpy(plain, pkt, sizeof pkt);
        assert_int_equal(sk_packet_seal(tx, seqnrs[s], pkt, sizeof pkt, tag), 0);
        assert_memory_equal(pkt, want, sizeof pkt);
        assert_memory_equal(tag, want_tag, sizeof tag);

        uint32_t plen = 0;
        assert_int_equal(sk_packet_open_length(rx, seqnrs[s], pkt, &plen), 0);
        assert_int_equal(plen, sizeof pkt - 4);
        assert_int_equal(sk_packet_open(rx, seqnrs[s], pkt, sizeof pkt, tag), 0);
        assert_memory_equal(pkt, plain, sizeof pkt);
    }
    sk_packet_cipher_free(tx);
    sk_packet_cipher_free(rx);
}

static void test_chachapoly_wrong_seqnr(void **state)
{
    (void)state;
    uint8_t key[64], pkt[4 + 28], tag[16];
    memset(key, 0x5c, sizeof key);
    sk_store_u32(pkt, sizeof pkt - 4);
    pkt[4] = 6;
    memset(pkt + 5, 0x33, sizeof pkt - 5);
    sk_chachapoly enc, dec;
    assert_int_equal(sk_chachapoly_init(&enc, key), 0);
    assert_int_equal(sk_chachapoly_init(&dec, key), 0);
    assert_int_equal(sk_chachapoly_seal(&enc, 42, pkt, sizeof pkt, tag), 0);
    uint8_t sealed[sizeof pkt];
    memcpy(sealed, pkt, sizeof pkt);
    assert_int_equal(sk_chachapoly_open(&dec, 43, pkt, sizeof pkt, tag), SSHKIT_E_MAC);
    /* Verified before decrypting: a failure leaves the ciphertext as it was. */
    assert_memory_equal(pkt, sealed, sizeof pkt);
    assert_int_equal(sk_chachapoly_open(&dec, 42, pkt, sizeof pkt, tag), 0);
    sk_chachapoly_clear(&enc);
    sk_chachapoly_clear(&dec);
}

/* ---- AES-GCM ---- */

/* McGrew and Viega, "The Galois/Counter Mode of Operation", test case 16. */
#define TC16_KEY "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
#define TC16_IV "cafebabefacedbaddecaf888"
#define TC16_AAD "feedfacedeadbeeffeedfacedeadbeefabaddad2"
#define TC16_P "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
               "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
#define TC16_C "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa" \
               "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
#define TC16_T "76fc6ece0f4e1768cddf8853bb2d551b"

static void test_gcm_mcgrew_viega_16_and_counter(void **state)
{
    (void)state;
    uint8_t key[32], iv[12], aad[20], p[60], c[60], t[16], buf[60], tag[16];
    unhex(TC16_KEY, key, sizeof key);
    unhex(TC16_IV, iv, sizeof iv);
    unhex(TC16_AAD, aad, sizeof aad);
    unhex(TC16_P, p, sizeof p);
    unhex(TC16_C, c, sizeof c);
    unhex(TC16_T, t, sizeof t);

    sk_aes_gcm enc, dec;
    assert_int_equal(sk_aes_gcm_init(&enc, "AES-256-GCM", key, iv, true), 0);
    assert_int_equal(sk_aes_gcm_init(&dec, "AES-256-GCM", key, iv, false), 0);
    memcpy(buf, p, sizeof p);
    assert_int_equal(sk_aes_gcm_seal(&enc, aad, sizeof aad, buf, sizeof buf, tag), 0);
    assert_memory_equal(buf, c, sizeof c);
    assert_memory_equal(tag, t, sizeof t);
    assert_int_equal(sk_aes_gcm_open(&dec, aad, sizeof aad, buf, sizeof buf, tag), 0);
    assert_memory_equal(buf, p, sizeof p);

    /* The next packet uses invocation counter + 1: ...decaf889. */
    uint8_t next_iv[12], want[60], want_tag[16];
    unhex("cafebabefacedbaddecaf889", next_iv, sizeof next_iv);
    assert_memory_equal(enc.iv, next_iv, sizeof next_iv);
    raw_gcm("AES-256-GCM", key, next_iv, aad, sizeof aad, p, want, sizeof p, want_tag);
    memcpy(buf, p, sizeof p);
    assert_int_equal(sk_aes_gcm_seal(&enc, aad, sizeof aad, buf, sizeof buf, tag), 0);
    assert_memory_equal(buf, want, sizeof want);
    assert_memory_equal(tag, want_tag, sizeof tag);
    assert_int_equal(sk_aes_gcm_open(&dec, aad, sizeof aad, buf, sizeof buf, tag), 0);
    assert_memory_equal(buf, p, sizeof p);
    sk_aes_gcm_clear(&enc);
    sk_aes_gcm_clear(&dec);
}

/* The 64-bit invocation counter carries across bytes and wraps to zero
 * without touching the 4 fixed bytes. */
static void test_gcm_counter_carry(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        { "01020304" "00000000ffffffff", "01020304" "0000000100000000" },
        { "01020304" "00ffffffffffffff", "01020304" "0100000000000000" },
        { "01020304" "ffffffffffffffff", "01020304" "0000000000000000" },
    };
    uint8_t key[16], data[32], tag[16], want[32], want_tag[16], plain[32];
    memset(key, 0x11, sizeof key);
    memset(plain, 0x22, sizeof plain);
    const uint8_t aad[4] = { 0, 0, 0, 32 };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t iv[12], next[12];
        unhex(cases[i][0], iv, sizeof iv);
        unhex(cases[i][1], next, sizeof next);
        sk_aes_gcm g;
        assert_int_equal(sk_aes_gcm_init(&g, "AES-128-GCM", key, iv, true), 0);
        memcpy(data, plain, sizeof data);
        assert_int_equal(sk_aes_gcm_seal(&g, aad, 4, data, sizeof data, tag), 0);
        raw_gcm("AES-128-GCM", key, iv, aad, 4, plain, want, sizeof plain, want_tag);
        assert_memory_equal(data, want, sizeof want);
        assert_memory_equal(tag, want_tag, sizeof tag);
        assert_memory_equal(g.iv, next, sizeof next);
        memcpy(data, plain, sizeof data);
        assert_int_equal(sk_aes_gcm_seal(&g, aad, 4, data, sizeof data, tag), 0);
        raw_gcm("AES-128-GCM", key, next, aad, 4, plain, want, sizeof plain, want_tag);
        assert_memory_equal(data, want, sizeof want);
        assert_memory_equal(tag, want_tag, sizeof tag);
        sk_aes_gcm_clear(&g);
    }
}

/* Through the packet transform: the length is AAD and stays in clear. */
static void test_gcm_packet_known_answer(void **state)
{
    (void)state;
    const sk_cipher_alg *alg = sk_cipher_find("aes256-gcm@openssh.com");
    uint8_t key[32], iv[12], pkt[4 + 48], plain[sizeof pkt], want[sizeof pkt], tag[16], want_tag[16];
    unhex(TC16_KEY, key, sizeof key);
    unhex(TC16_IV, iv, sizeof iv);
    sk_packet_cipher *tx;
    assert_int_equal(sk_packet_cipher_new(alg, NULL, true, key, iv, NULL, &tx), 0);
    for (int n = 0; n < 3; n++) {
        sk_store_u32(plain, sizeof plain - 4);
        plain[4] = 8;
        memset(plain + 5, 0x40 + n, sizeof plain - 5);
        memcpy(pkt, plain, sizeof pkt);
        assert_int_equal(sk_packet_seal(tx, 1000u + (uint32_t)n, pkt, sizeof pkt, tag), 0);
        memcpy(want, plain, 4);
        raw_gcm("AES-256-GCM", key, iv, plain, 4, plain + 4, want + 4, sizeof pkt - 4, want_tag);
        assert_memory_equal(pkt, want, sizeof pkt);
        assert_memory_equal(tag, want_tag, sizeof tag);
        iv[11]++;   /* ...decaf888, 889, 88a */
    }
    sk_packet_cipher_free(tx);
}

/* ---- AES-CTR: NIST SP 800-38A F.5.1, F.5.3, F.5.5 ---- */

#define NIST_CTR_IV "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
#define NIST_PLAIN "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51" \
                   "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710"

static const struct {
    const char *evp, *ssh, *key, *cipher;
} nist_ctr[] = {
    { "AES-128-CTR", "aes128-ctr", "2b7e151628aed2a6abf7158809cf4f3c",
      "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
      "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee" },
    { "AES-192-CTR", "aes192-ctr", "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
      "1abc932417521ca24f2b0459fe7e6e0b090339ec0aa6faefd5ccc2c6f4ce8e94"
      "1e36b26bd1ebc670d1bd1d665620abf74f78a7f6d29809585a97daec58c6b050" },
    { "AES-256-CTR", "aes256-ctr",
      "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
      "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
      "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6" },
};

static void test_ctr_nist_sp800_38a(void **state)
{
    (void)state;
    for (size_t v = 0; v < sizeof nist_ctr / sizeof nist_ctr[0]; v++) {
        uint8_t key[32], iv[16], buf[64], want[64];
        unhex(nist_ctr[v].key, key, sizeof key);
        unhex(NIST_CTR_IV, iv, sizeof iv);
        unhex(NIST_PLAIN, buf, sizeof buf);
        unhex(nist_ctr[v].cipher, want, sizeof want);
        sk_aes_ctr c;
        assert_int_equal(sk_aes_ctr_init(&c, nist_ctr[v].evp, key, iv), 0);
        /* Uneven pieces: the keystream runs on across calls. */
        assert_int_equal(sk_aes_ctr_crypt(&c, buf, 5), 0);
        assert_int_equal(sk_aes_ctr_crypt(&c, buf + 5, 27), 0);
        assert_int_equal(sk_aes_ctr_crypt(&c, buf + 32, 32), 0);
        assert_memory_equal(buf, want, sizeof want);
        sk_aes_ctr_clear(&c);
    }
}

/* The transform with the NIST key and counter: its keystream is C ^ P from
 * the vector. Encrypt-and-MAC encrypts all 64 bytes and MACs the plaintext;
 * etm leaves the length in clear and MACs the ciphertext. */
static void test_ctr_packet_known_answer(void **state)
{
    (void)state;
    uint8_t mac_key[64];
    memset(mac_key, 0x77, sizeof mac_key);
    for (size_t v = 0; v < sizeof nist_ctr / sizeof nist_ctr[0]; v++) {
        for (int etm = 0; etm < 2; etm++) {
            const sk_cipher_alg *alg = sk_cipher_find(nist_ctr[v].ssh);
            const sk_mac_alg *mac = sk_mac_find(etm ? "hmac-sha2-256-etm@openssh.com"
                                                    : "hmac-sha2-512");
            uint8_t key[32], iv[16], ks[64], c[64];
            unhex(nist_ctr[v].key, key, sizeof key);
            unhex(NIST_CTR_IV, iv, sizeof iv);
            unhex(NIST_PLAIN, ks, sizeof ks);
            unhex(nist_ctr[v].cipher, c, sizeof c);
            for (size_t i = 0; i < sizeof ks; i++)
                ks[i] ^= c[i];

            size_t len = etm ? 52 : 64;   /* both 16-aligned the way each mode wants */
            uint8_t pkt[64], plain[64], want[64], tag[64], want_tag[64], mac_in[4 + 64];
            sk_store_u32(plain, (uint32_t)(len - 4));
            plain[4] = 7;
            for (size_t i = 5; i < len; i++)
                plain[i] = (uint8_t)(3 * i);
            memcpy(want, plain, len);
            for (size_t i = etm ? 4 : 0, k = 0; i < len; i++, k++)
                want[i] ^= ks[k];
            sk_store_u32(mac_in, 9);
            memcpy(mac_in + 4, etm ? want : plain, len);
            unsigned want_tag_len = 0;
            HMAC(EVP_get_digestbyname(mac->digest), mac_key, (int)mac->key_len, mac_in, 4 + len,
                 want_tag, &want_tag_len);

            sk_packet_cipher *tx;
            assert_int_equal(sk_packet_cipher_new(alg, mac, true, key, iv, mac_key, &tx), 0);
            memcpy(pkt, plain, len);
            assert_int_equal(sk_packet_seal(tx, 9, pkt, len, tag), 0);
            assert_memory_equal(pkt, want, len);
            assert_int_equal(sk_packet_tag_len(tx), want_tag_len);
            assert_memory_equal(tag, want_tag, want_tag_len);
            sk_packet_cipher_free(tx);
        }
    }
}

/* ---- every cipher x MAC: round trips and tampering ---- */

static const char *const cipher_names[] = {
    "chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com", "aes128-gcm@openssh.com",
    "aes256-ctr", "aes192-ctr", "aes128-ctr",
};
static const char *const mac_names[] = {
    "hmac-sha2-256", "hmac-sha2-512", "hmac-sha2-256-etm@openssh.com",
    "hmac-sha2-512-etm@openssh.com", "hmac-sha1", "hmac-sha1-etm@openssh.com",
};

struct pair {
    sk_packet_cipher *tx, *rx;
};

static void pair_new(const sk_cipher_alg *c, const sk_mac_alg *m, struct pair *p)
{
    uint8_t key[64], iv[16], mac_key[64];
    assert_int_equal(RAND_bytes(key, sizeof key), 1);
    assert_int_equal(RAND_bytes(iv, sizeof iv), 1);
    assert_int_equal(RAND_bytes(mac_key, sizeof mac_key), 1);
    assert_int_equal(sk_packet_cipher_new(c, m, true, key, iv, mac_key, &p->tx), 0);
    assert_int_equal(sk_packet_cipher_new(c, m, false, key, iv, mac_key, &p->rx), 0);
}

static void pair_free(struct pair *p)
{
    sk_packet_cipher_free(p->tx);
    sk_packet_cipher_free(p->rx);
}

/* Lays out a packet around payload_len bytes of pattern; returns its length. */
static size_t build(const sk_packet_cipher *pc, size_t payload_len, uint8_t seed, uint8_t *pkt)
{
    size_t pad = sk_packet_padding_len(pc, payload_len);
    size_t len = 4 + 1 + payload_len + pad;
    sk_store_u32(pkt, (uint32_t)(len - 4));
    pkt[4] = (uint8_t)pad;
    for (size_t i = 5; i < len; i++)
        pkt[i] = (uint8_t)(seed + i);
    return len;
}

/* The receiver's two steps over wire = packet || tag. */
static int receive(sk_packet_cipher *rx, uint32_t seqnr, uint8_t *wire, size_t len)
{
    uint32_t plen = 0;
    int rc = sk_packet_open_length(rx, seqnr, wire, &plen);
    if (rc != 0)
        return rc;
    assert_int_equal((size_t)plen + 4, len);
    return sk_packet_open(rx, seqnr, wire, len, wire + len);
}

static void for_each_combination(void (*fn)(const sk_cipher_alg *, const sk_mac_alg *))
{
    for (size_t c = 0; c < sizeof cipher_names / sizeof cipher_names[0]; c++) {
        const sk_cipher_alg *cipher = sk_cipher_find(cipher_names[c]);
        assert_non_null(cipher);
        if (cipher->aead) {
            fn(cipher, NULL);
            continue;
        }
        for (size_t m = 0; m < sizeof mac_names / sizeof mac_names[0]; m++) {
            const sk_mac_alg *mac = sk_mac_find(mac_names[m]);
            assert_non_null(mac);
            fn(cipher, mac);
        }
    }
}

static void round_trip(const sk_cipher_alg *c, const sk_mac_alg *m)
{
    static const size_t sizes[] = { 0, 1, 3, 15, 16, 17, 100, 1000, 4091 };
    struct pair p;
    pair_new(c, m, &p);
    uint8_t *wire = malloc(8192), *plain = malloc(8192);
    assert_non_null(wire);
    assert_non_null(plain);
    uint32_t seqnr = 0xfffffffd;   /* runs through the wrap to 0 */
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++, seqnr++) {
        size_t len = build(p.tx, sizes[i], (uint8_t)i, plain);
        size_t aligned = sk_packet_length_aligned(p.tx) ? len : len - 4;
        assert_int_equal(aligned % sk_packet_block_size(p.tx), 0);
        memcpy(wire, plain, len);
        assert_int_equal(sk_packet_seal(p.tx, seqnr, wire, len, wire + len), 0);
        assert_memory_not_equal(wire + 5, plain + 5, len - 5);
        if (sk_packet_length_in_clear(p.tx))
            assert_memory_equal(wire, plain, 4);
        assert_int_equal(receive(p.rx, seqnr, wire, len), 0);
        assert_memory_equal(wire, plain, len);
    }
    free(wire);
    free(plain);
    pair_free(&p);
}

static void test_round_trip_all(void **state)
{
    (void)state;
    for_each_combination(round_trip);
}

enum tamper { BODY, TAG, LENGTH_AFTER_STEP1, LENGTH_BEFORE_STEP1, WRONG_SEQNR };

static void tamper_one(const sk_cipher_alg *c, const sk_mac_alg *m, enum tamper what)
{
    struct pair p;
    pair_new(c, m, &p);
    uint8_t wire[256 + 64];
    size_t len = build(p.tx, 200, 1, wire);
    size_t tag_len = sk_packet_tag_len(p.tx);
    assert_int_equal(sk_packet_seal(p.tx, 5, wire, len, wire + len), 0);

    uint32_t seqnr = what == WRONG_SEQNR ? 6 : 5;
    if (what == LENGTH_BEFORE_STEP1)
        wire[3] ^= 0x01;   /* misaligns the length in every mode */
    uint32_t plen = 0;
    int rc = sk_packet_open_length(p.rx, seqnr, wire, &plen);
    if (what == LENGTH_BEFORE_STEP1) {
        assert_int_equal(rc, SSHKIT_E_PROTOCOL);
        if (sk_packet_length_aligned(p.rx))   /* the block it decrypted is wiped */
            assert_true(all_zero(wire, sk_packet_first_len(p.rx)));
        pair_free(&p);
        return;
    }
    if (rc != 0 || plen != len - 4) {
        /* chacha: the length decrypts to garbage under the wrong nonce */
        assert_int_equal(what, WRONG_SEQNR);
        assert_int_equal(c->kind, SK_CIPHER_CHACHAPOLY);
        pair_free(&p);
        return;
    }
    if (what == BODY)
        wire[len - 1] ^= 0x04;
    if (what == TAG)
        wire[len + tag_len - 1] ^= 0x80;
    if (what == LENGTH_AFTER_STEP1)
        wire[2] ^= 0x01;
    assert_int_equal(sk_packet_open(p.rx, seqnr, wire, len, wire + len), SSHKIT_E_MAC);
    assert_true(all_zero(wire, len));
    pair_free(&p);
}

static void tamper_all_ways(const sk_cipher_alg *c, const sk_mac_alg *m)
{
    tamper_one(c, m, BODY);
    tamper_one(c, m, TAG);
    tamper_one(c, m, LENGTH_AFTER_STEP1);
    tamper_one(c, m, LENGTH_BEFORE_STEP1);
    if (c->kind != SK_CIPHER_AES_GCM)   /* gcm has no seqnr; see the next test */
        tamper_one(c, m, WRONG_SEQNR);
}

static void test_tamper_all(void **state)
{
    (void)state;
    for_each_combination(tamper_all_ways);
}

/* GCM's nonce is its own counter: a packet opened out of order fails. */
static void test_gcm_out_of_order(void **state)
{
    (void)state;
    struct pair p;
    pair_new(sk_cipher_find("aes128-gcm@openssh.com"), NULL, &p);
    uint8_t a[128], b[128];
    size_t la = build(p.tx, 40, 1, a), lb = build(p.tx, 40, 2, b);
    assert_int_equal(sk_packet_seal(p.tx, 0, a, la, a + la), 0);
    assert_int_equal(sk_packet_seal(p.tx, 1, b, lb, b + lb), 0);
    assert_int_equal(receive(p.rx, 1, b, lb), SSHKIT_E_MAC);
    assert_true(all_zero(b, lb));
    pair_free(&p);
}

/* The biggest packet allowed goes through; one block more is refused at step 1. */
static void test_max_packet(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof cipher_names / sizeof cipher_names[0]; c++) {
        const sk_cipher_alg *cipher = sk_cipher_find(cipher_names[c]);
        const sk_mac_alg *mac = cipher->aead ? NULL : sk_mac_find("hmac-sha2-256-etm@openssh.com");
        struct pair p;
        pair_new(cipher, mac, &p);
        uint8_t *wire = malloc(SK_PACKET_MAX + 4 + 64);
        assert_non_null(wire);
        size_t len = build(p.tx, SK_PACKET_MAX - 1 - 4 - 16, 9, wire);
        assert_true(len - 4 <= SK_PACKET_MAX);
        assert_int_equal(sk_packet_seal(p.tx, 77, wire, len, wire + len), 0);
        assert_int_equal(receive(p.rx, 77, wire, len), 0);
        pair_free(&p);

        pair_new(cipher, mac, &p);
        sk_store_u32(wire, SK_PACKET_MAX + (uint32_t)cipher->block_size);
        if (cipher->kind == SK_CIPHER_CHACHAPOLY) {
            uint32_t plen;
            /* seal a small packet to get a real encrypted length */
            size_t small = build(p.tx, 10, 0, wire);
            assert_int_equal(sk_packet_seal(p.tx, 0, wire, small, wire + small), 0);
            wire[1] ^= 0x08;   /* length + 0x80000: over the cap, still aligned */
            assert_int_equal(sk_packet_open_length(p.rx, 0, wire, &plen), SSHKIT_E_TOO_LARGE);
        } else {
            uint32_t plen;
            assert_int_equal(sk_packet_open_length(p.rx, 0, wire, &plen), SSHKIT_E_TOO_LARGE);
            assert_int_equal(plen, 0);
        }
        free(wire);
        pair_free(&p);
    }
}

/* ---- table, sizes and misuse ---- */

static void test_cipher_table(void **state)
{
    (void)state;
    const sk_cipher_alg *c = sk_cipher_find("chacha20-poly1305@openssh.com");
    assert_non_null(c);
    assert_true(c->aead);
    assert_int_equal(c->key_len, 64);
    assert_int_equal(c->iv_len, 0);
    assert_int_equal(c->block_size, 8);
    assert_int_equal(c->tag_len, 16);
    c = sk_cipher_find("aes128-gcm@openssh.com");
    assert_non_null(c);
    assert_int_equal(c->key_len, 16);
    assert_int_equal(c->iv_len, 12);
    c = sk_cipher_find("aes192-ctr");
    assert_non_null(c);
    assert_false(c->aead);
    assert_int_equal(c->key_len, 24);
    assert_int_equal(c->iv_len, 16);
    assert_int_equal(c->block_size, 16);
    assert_null(sk_cipher_find("none"));
    assert_null(sk_cipher_find("aes128-cbc"));
    assert_null(sk_cipher_find("3des-cbc"));
    assert_null(sk_cipher_find(NULL));
    char list[] = SK_CIPHERS_DEFAULT;
    size_t count = 0;
    for (char *save = NULL, *name = strtok_r(list, ",", &save); name;
         name = strtok_r(NULL, ",", &save), count++)
        assert_non_null(sk_cipher_find(name));
    assert_int_equal(count, 6);
}

static void check_geometry(const sk_cipher_alg *c, const sk_mac_alg *m)
{
    struct pair p;
    pair_new(c, m, &p);
    bool eam = !c->aead && !m->etm;
    assert_int_equal(sk_packet_block_size(p.tx), c->block_size);
    assert_int_equal(sk_packet_tag_len(p.tx), c->aead ? c->tag_len : m->mac_len);
    assert_int_equal(sk_packet_length_aligned(p.tx), eam);
    assert_int_equal(sk_packet_length_in_clear(p.tx),
                     c->kind == SK_CIPHER_AES_GCM || (!c->aead && m->etm));
    assert_int_equal(sk_packet_first_len(p.tx), eam ? 16 : 4);
    for (size_t n = 0; n < 64; n++) {
        size_t pad = sk_packet_padding_len(p.tx, n);
        assert_true(pad >= 4 && pad < 4 + c->block_size);
        assert_int_equal(((eam ? 4 : 0) + 1 + n + pad) % c->block_size, 0);
    }
    pair_free(&p);
}

static void test_geometry_all(void **state)
{
    (void)state;
    for_each_combination(check_geometry);
}

static void test_misuse(void **state)
{
    (void)state;
    const sk_cipher_alg *gcm = sk_cipher_find("aes256-gcm@openssh.com");
    const sk_cipher_alg *ctr = sk_cipher_find("aes128-ctr");
    const sk_mac_alg *mac = sk_mac_find("hmac-sha2-256");
    uint8_t key[64] = { 0 }, iv[16] = { 0 };
    sk_packet_cipher *pc = (sk_packet_cipher *)&pc;   /* any non-NULL: must be cleared */
    assert_int_equal(sk_packet_cipher_new(gcm, mac, true, key, iv, key, &pc), SSHKIT_E_INVALID_ARGUMENT);
    assert_null(pc);
    assert_int_equal(sk_packet_cipher_new(ctr, NULL, true, key, iv, NULL, &pc), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sk_packet_cipher_new(ctr, mac, true, key, NULL, key, &pc), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sk_packet_cipher_new(NULL, mac, true, key, iv, key, &pc), SSHKIT_E_INVALID_ARGUMENT);
    sk_packet_cipher_free(NULL);

    struct pair p;
    pair_new(ctr, mac, &p);
    uint8_t pkt[64 + 32], tag[32];
    size_t len = build(p.tx, 20, 0, pkt);
    /* wrong direction */
    assert_int_equal(sk_packet_seal(p.rx, 0, pkt, len, tag), SSHKIT_E_STATE);
    uint32_t plen;
    assert_int_equal(sk_packet_open_length(p.tx, 0, pkt, &plen), SSHKIT_E_STATE);
    /* step 2 without step 1 */
    assert_int_equal(sk_packet_open(p.rx, 0, pkt, len, tag), SSHKIT_E_STATE);
    /* bad layouts */
    len = build(p.tx, 20, 0, pkt);
    sk_store_u32(pkt, (uint32_t)len);                          /* length field off by 4 */
    assert_int_equal(sk_packet_seal(p.tx, 0, pkt, len, tag), SSHKIT_E_INVALID_ARGUMENT);
    len = build(p.tx, 20, 0, pkt);
    assert_int_equal(sk_packet_seal(p.tx, 0, pkt, len - 1, tag), SSHKIT_E_INVALID_ARGUMENT);
    pkt[4] = 3;                                                /* padding under 4 */
    assert_int_equal(sk_packet_seal(p.tx, 0, pkt, len, tag), SSHKIT_E_INVALID_ARGUMENT);
    pkt[4] = (uint8_t)(len - 4);                               /* padding past the end */
    assert_int_equal(sk_packet_seal(p.tx, 0, pkt, len, tag), SSHKIT_E_INVALID_ARGUMENT);
    /* a second step 1 before step 2 */
    len = build(p.tx, 20, 0, pkt);
    assert_int_equal(sk_packet_seal(p.tx, 0, pkt, len, tag), 0);
    assert_int_equal(sk_packet_open_length(p.rx, 0, pkt, &plen), 0);
    assert_int_equal(sk_packet_open_length(p.rx, 0, pkt, &plen), SSHKIT_E_STATE);
    /* step 2 with another seqnr than step 1 */
    assert_int_equal(sk_packet_open(p.rx, 1, pkt, len, tag), SSHKIT_E_INVALID_ARGUMENT);
    assert_true(all_zero(pkt, len));
    pair_free(&p);
}

/* An etm packet whose length is too small for the padding fields. */
static void test_short_length_refused(void **state)
{
    (void)state;
    struct pair p;
    pair_new(sk_cipher_find("aes256-ctr"), sk_mac_find("hmac-sha2-256-etm@openssh.com"), &p);
    uint8_t first[4];
    uint32_t plen;
    sk_store_u32(first, 0);
    assert_int_equal(sk_packet_open_length(p.rx, 0, first, &plen), SSHKIT_E_PROTOCOL);
    pair_free(&p);
    pair_new(sk_cipher_find("aes256-gcm@openssh.com"), NULL, &p);
    sk_store_u32(first, 24);   /* not a multiple of 16 */
    assert_int_equal(sk_packet_open_length(p.rx, 0, first, &plen), SSHKIT_E_PROTOCOL);
    sk_store_u32(first, 32);
    assert_int_equal(sk_packet_open_length(p.rx, 0, first, &plen), 0);
    assert_int_equal(plen, 32);
    pair_free(&p);
}

/* An authentic packet with padding_length < 4 (sealed by hand here, as
 * sk_packet_seal refuses to) is refused after the MAC check, and wiped. */
static void test_bad_padding_refused(void **state)
{
    (void)state;
    const sk_cipher_alg *alg = sk_cipher_find("aes128-ctr");
    const sk_mac_alg *mac = sk_mac_find("hmac-sha2-256-etm@openssh.com");
    uint8_t key[16], iv[16], mac_key[32], pkt[4 + 32 + 32], mac_in[4 + 36];
    memset(key, 1, sizeof key);
    memset(iv, 2, sizeof iv);
    memset(mac_key, 3, sizeof mac_key);
    const size_t len = 4 + 32;
    sk_store_u32(pkt, 32);
    pkt[4] = 3;
    memset(pkt + 5, 0x61, len - 5);
    raw_cipher("AES-128-CTR", key, iv, pkt + 4, pkt + 4, len - 4);
    sk_store_u32(mac_in, 0);
    memcpy(mac_in + 4, pkt, len);
    unsigned tag_len = 0;
    HMAC(EVP_sha256(), mac_key, sizeof mac_key, mac_in, 4 + len, pkt + len, &tag_len);

    sk_packet_cipher *rx;
    assert_int_equal(sk_packet_cipher_new(alg, mac, false, key, iv, mac_key, &rx), 0);
    assert_int_equal(receive(rx, 0, pkt, len), SSHKIT_E_PROTOCOL);
    assert_true(all_zero(pkt, len));
    sk_packet_cipher_free(rx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chacha20_rfc8439_2_4_2),
        cmocka_unit_test(test_poly1305_rfc8439_2_5_2),
        cmocka_unit_test(test_chachapoly_known_answer),
        cmocka_unit_test(test_chachapoly_wrong_seqnr),
        cmocka_unit_test(test_gcm_mcgrew_viega_16_and_counter),
        cmocka_unit_test(test_gcm_counter_carry),
        cmocka_unit_test(test_gcm_packet_known_answer),
        cmocka_unit_test(test_ctr_nist_sp800_38a),
        cmocka_unit_test(test_ctr_packet_known_answer),
        cmocka_unit_test(test_cipher_table),
        cmocka_unit_test(test_geometry_all),
        cmocka_unit_test(test_round_trip_all),
        cmocka_unit_test(test_tamper_all),
        cmocka_unit_test(test_gcm_out_of_order),
        cmocka_unit_test(test_max_packet),
        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_short_length_refused),
        cmocka_unit_test(test_bad_padding_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
