/* bcrypt_pbkdf; see bcrypt_pbkdf.h. Every intermediate (digests, the
 * Blowfish state, hash blocks) is wiped before return. */
#include "crypto/bcrypt_pbkdf.h"
#include "crypto/blowfish.h"

#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sshkit/error.h>

#define HASH_WORDS 8
#define HASH_LEN (HASH_WORDS * 4)
#define SHA512_LEN 64

struct pbkdf_scratch {
    sk_blowfish bf;
    uint8_t sha_pass[SHA512_LEN];
    uint8_t sha_salt[SHA512_LEN];
    uint8_t block[HASH_LEN];    /* one block's accumulated output */
    uint8_t hash[HASH_LEN];     /* one round's bcrypt_hash */
    uint32_t cdata[HASH_WORDS];
};

static int sha512(const void *a, size_t a_len, const void *b, size_t b_len, uint8_t *out)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha512(), NULL) == 1 &&
             EVP_DigestUpdate(ctx, a, a_len) == 1 &&
             (b_len == 0 || EVP_DigestUpdate(ctx, b, b_len) == 1) &&
             EVP_DigestFinal_ex(ctx, out, NULL) == 1;
    EVP_MD_CTX_free(ctx);   /* cleanses the digest state */
    return ok ? 0 : SSHKIT_E_CRYPTO;
}

/* bcrypt_hash(sha_pass, sha_salt) into s->hash: an eksblowfish state with
 * 64 rounds of expansion, then "OxychromaticBlowfishSwatDynamite"
 * enciphered 64 times, output as little-endian words. */
static void bcrypt_hash(struct pbkdf_scratch *s)
{
    static const uint8_t magic[HASH_LEN] = "OxychromaticBlowfishSwatDynamite";
    s->bf = sk_blowfish_initial;
    sk_blowfish_expand_salted(&s->bf, s->sha_salt, SHA512_LEN, s->sha_pass, SHA512_LEN);
    for (int i = 0; i < 64; i++) {
        sk_blowfish_expand(&s->bf, s->sha_salt, SHA512_LEN);
        sk_blowfish_expand(&s->bf, s->sha_pass, SHA512_LEN);
    }
    size_t pos = 0;
    for (int i = 0; i < HASH_WORDS; i++)
        s->cdata[i] = sk_blowfish_stream_word(magic, sizeof magic, &pos);
    for (int i = 0; i < 64; i++)
        for (int w = 0; w < HASH_WORDS; w += 2)
            sk_blowfish_encipher(&s->bf, &s->cdata[w], &s->cdata[w + 1]);
    for (int i = 0; i < HASH_WORDS; i++) {
        s->hash[4 * i + 0] = (uint8_t)s->cdata[i];
        s->hash[4 * i + 1] = (uint8_t)(s->cdata[i] >> 8);
        s->hash[4 * i + 2] = (uint8_t)(s->cdata[i] >> 16);
        s->hash[4 * i + 3] = (uint8_t)(s->cdata[i] >> 24);
    }
}

/* One output block: the first round hashes salt || BE32(count); each
 * later round hashes the previous round's output; the block is their XOR. */
static int derive_block(struct pbkdf_scratch *s, const uint8_t *salt, size_t salt_len,
                        uint32_t count, unsigned rounds)
{
    uint8_t be_count[4] = { (uint8_t)(count >> 24), (uint8_t)(count >> 16),
                            (uint8_t)(count >> 8), (uint8_t)count };
    if (sha512(salt, salt_len, be_count, sizeof be_count, s->sha_salt))
        return SSHKIT_E_CRYPTO;
    bcrypt_hash(s);
    memcpy(s->block, s->hash, HASH_LEN);
    for (unsigned r = 1; r < rounds; r++) {
        if (sha512(s->hash, HASH_LEN, NULL, 0, s->sha_salt))
            return SSHKIT_E_CRYPTO;
        bcrypt_hash(s);
        for (int j = 0; j < HASH_LEN; j++)
            s->block[j] ^= s->hash[j];
    }
    return 0;
}

int sk_bcrypt_pbkdf(const uint8_t *pass, size_t pass_len, const uint8_t *salt, size_t salt_len,
                    unsigned rounds, uint8_t *out, size_t out_len)
{
    if (rounds < 1 || salt_len == 0 || salt_len > SK_BCRYPT_PBKDF_MAX_SALT || out_len == 0 ||
        out_len > SK_BCRYPT_PBKDF_MAX_OUT || pass == NULL || pass_len == 0)
        return SSHKIT_E_INVALID_ARGUMENT;
    /* Output byte i of block b lands at i * stride + b: every block
     * contributes to the whole key, not to one contiguous piece of it. */
    size_t stride = (out_len + HASH_LEN - 1) / HASH_LEN;
    size_t per_block = (out_len + stride - 1) / stride;
    struct pbkdf_scratch s;
    int rc = sha512(pass, pass_len, NULL, 0, s.sha_pass);
    for (uint32_t count = 1; rc == 0 && (size_t)(count - 1) < stride; count++) {
        rc = derive_block(&s, salt, salt_len, count, rounds);
        for (size_t i = 0; rc == 0 && i < per_block; i++) {
            size_t dest = i * stride + (count - 1);
            if (dest < out_len)
                out[dest] = s.block[i];
        }
    }
    OPENSSL_cleanse(&s, sizeof s);
    if (rc)
        OPENSSL_cleanse(out, out_len);
    return rc;
}
