/* chacha20-poly1305@openssh.com over libcrypto's ChaCha20 and Poly1305. */
#include "crypto/chachapoly.h"

#include <limits.h>
#include <string.h>
#include <openssl/crypto.h>
#include <sshkit/error.h>

#include "wire/writer.h"

#define POLY_KEY_LEN 32u

static int new_chacha(EVP_CIPHER_CTX **out, EVP_CIPHER *cipher, const uint8_t key[32])
{
    *out = EVP_CIPHER_CTX_new();
    if (*out == NULL)
        return SSHKIT_E_NOMEM;
    /* ChaCha20 is a stream cipher: encrypting decrypts too. */
    return EVP_CipherInit_ex(*out, cipher, NULL, key, NULL, 1) ? 0 : SSHKIT_E_CRYPTO;
}

int sk_chachapoly_init(sk_chachapoly *c, const uint8_t key[SK_CHACHAPOLY_KEY_LEN])
{
    memset(c, 0, sizeof *c);
    EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, "ChaCha20", NULL);
    EVP_MAC *poly = EVP_MAC_fetch(NULL, "POLY1305", NULL);
    int rc = (cipher && poly) ? 0 : SSHKIT_E_CRYPTO;
    if (rc == 0)
        rc = new_chacha(&c->main, cipher, key);
    if (rc == 0)
        rc = new_chacha(&c->header, cipher, key + 32);
    if (rc == 0 && (c->poly = EVP_MAC_CTX_new(poly)) == NULL)
        rc = SSHKIT_E_NOMEM;
    EVP_CIPHER_free(cipher);
    EVP_MAC_free(poly);
    if (rc != 0)
        sk_chachapoly_clear(c);
    return rc;
}

void sk_chachapoly_clear(sk_chachapoly *c)
{
    EVP_CIPHER_CTX_free(c->main);
    EVP_CIPHER_CTX_free(c->header);
    EVP_MAC_CTX_free(c->poly);
    memset(c, 0, sizeof *c);
}

/* Points ctx at block `counter` of the keystream for nonce seqnr. */
static int set_iv(EVP_CIPHER_CTX *ctx, uint64_t counter, uint32_t seqnr)
{
    uint8_t iv[16];
    for (int i = 0; i < 8; i++)
        iv[i] = (uint8_t)(counter >> (8 * i));   /* little-endian counter */
    sk_store_u64(iv + 8, seqnr);                  /* big-endian nonce */
    return EVP_CipherInit_ex(ctx, NULL, NULL, NULL, iv, -1) ? 0 : SSHKIT_E_CRYPTO;
}

static int xor_stream(EVP_CIPHER_CTX *ctx, const uint8_t *in, uint8_t *out, size_t len)
{
    int out_len = 0;
    if (len > INT_MAX)
        return SSHKIT_E_INVALID_ARGUMENT;
    if (len == 0)
        return 0;
    if (!EVP_CipherUpdate(ctx, out, &out_len, in, (int)len) || (size_t)out_len != len)
        return SSHKIT_E_CRYPTO;
    return 0;
}

int sk_chachapoly_length(sk_chachapoly *c, uint32_t seqnr, const uint8_t in[4], uint8_t out[4])
{
    int rc = set_iv(c->header, 0, seqnr);
    return rc ? rc : xor_stream(c->header, in, out, 4);
}

/* Poly1305 over pkt, keyed by block 0 of K_2's keystream for this seqnr. */
static int compute_tag(sk_chachapoly *c, uint32_t seqnr, const uint8_t *pkt, size_t len,
                       uint8_t tag[SK_CHACHAPOLY_TAG_LEN])
{
    static const uint8_t zero[POLY_KEY_LEN];
    uint8_t key[POLY_KEY_LEN];
    size_t tag_len = 0;
    int rc = set_iv(c->main, 0, seqnr);
    if (rc == 0)
        rc = xor_stream(c->main, zero, key, sizeof key);
    if (rc == 0 && !(EVP_MAC_init(c->poly, key, sizeof key, NULL)
                     && EVP_MAC_update(c->poly, pkt, len)
                     && EVP_MAC_final(c->poly, tag, &tag_len, SK_CHACHAPOLY_TAG_LEN)
                     && tag_len == SK_CHACHAPOLY_TAG_LEN))
        rc = SSHKIT_E_CRYPTO;
    OPENSSL_cleanse(key, sizeof key);
    return rc;
}

/* The payload: K_2's keystream from block 1. */
static int crypt_body(sk_chachapoly *c, uint32_t seqnr, uint8_t *pkt, size_t len)
{
    int rc = set_iv(c->main, 1, seqnr);
    return rc ? rc : xor_stream(c->main, pkt + 4, pkt + 4, len - 4);
}

int sk_chachapoly_seal(sk_chachapoly *c, uint32_t seqnr, uint8_t *pkt, size_t len,
                       uint8_t tag[SK_CHACHAPOLY_TAG_LEN])
{
    if (len < 4)
        return SSHKIT_E_INVALID_ARGUMENT;
    int rc = sk_chachapoly_length(c, seqnr, pkt, pkt);
    if (rc == 0)
        rc = crypt_body(c, seqnr, pkt, len);
    if (rc == 0)
        rc = compute_tag(c, seqnr, pkt, len, tag);
    return rc;
}

int sk_chachapoly_open(sk_chachapoly *c, uint32_t seqnr, uint8_t *pkt, size_t len,
                       const uint8_t tag[SK_CHACHAPOLY_TAG_LEN])
{
    uint8_t want[SK_CHACHAPOLY_TAG_LEN];
    if (len < 4)
        return SSHKIT_E_INVALID_ARGUMENT;
    int rc = compute_tag(c, seqnr, pkt, len, want);
    if (rc == 0 && CRYPTO_memcmp(want, tag, sizeof want) != 0)
        rc = SSHKIT_E_MAC;
    if (rc == 0)
        rc = sk_chachapoly_length(c, seqnr, pkt, pkt);
    if (rc == 0)
        rc = crypt_body(c, seqnr, pkt, len);
    return rc;
}
