/* chacha20-poly1305@openssh.com (PROTOCOL.chacha20poly1305) for a key file:
 * one message, sequence number 0, no encrypted length, so only the main
 * key (the first 32 bytes) is used. The Poly1305 key is the ChaCha20
 * keystream block 0; the data is enciphered from block 1; the tag covers
 * the ciphertext. OpenSSH's ChaCha20 is the original one, with a 64-bit
 * counter and a 64-bit nonce; libcrypto's takes a 16-byte IV that is the
 * 32-bit counter then a 96-bit nonce, so the IV below is the 64-bit counter
 * (little-endian) then the 64-bit nonce (the big-endian sequence number). */
#include "keys/keyfile_cipher.h"

#include <limits.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sshkit/error.h>

#define POLY_KEY_LEN 32
#define TAG_LEN 16

static int chacha20(const uint8_t key[32], uint8_t counter, const uint8_t *in, size_t len,
                    uint8_t *out)
{
    uint8_t iv[16] = { counter };   /* counter LE64 = counter; nonce = BE64(0) */
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int outl = 0;
    int ok = ctx && EVP_EncryptInit_ex(ctx, EVP_chacha20(), NULL, key, iv) == 1 &&
             EVP_EncryptUpdate(ctx, out, &outl, in, (int)len) == 1 && (size_t)outl == len;
    EVP_CIPHER_CTX_free(ctx);
    return ok ? 0 : SSHKIT_E_CRYPTO;
}

static int poly1305(const uint8_t key[POLY_KEY_LEN], const uint8_t *data, size_t len,
                    uint8_t tag[TAG_LEN])
{
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "POLY1305", NULL);
    EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
    size_t out_len = 0;
    int ok = ctx && EVP_MAC_init(ctx, key, POLY_KEY_LEN, NULL) == 1 &&
             EVP_MAC_update(ctx, data, len) == 1 &&
             EVP_MAC_final(ctx, tag, &out_len, TAG_LEN) == 1 && out_len == TAG_LEN;
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    return ok ? 0 : SSHKIT_E_CRYPTO;
}

int sk_keyfile_chachapoly(const uint8_t *key, bool encrypt, const uint8_t *in, size_t len,
                          uint8_t *out, uint8_t *tag)
{
    static const uint8_t zeros[POLY_KEY_LEN];
    uint8_t poly_key[POLY_KEY_LEN], expect[TAG_LEN];
    if (len > INT_MAX)
        return SSHKIT_E_CRYPTO;
    int rc = chacha20(key, 0, zeros, sizeof zeros, poly_key);
    if (rc == 0 && !encrypt) {
        rc = poly1305(poly_key, in, len, expect);
        if (rc == 0 && CRYPTO_memcmp(expect, tag, TAG_LEN) != 0)
            rc = SSHKIT_E_MAC;
    }
    if (rc == 0)
        rc = chacha20(key, 1, in, len, out);
    if (rc == 0 && encrypt)
        rc = poly1305(poly_key, out, len, tag);
    OPENSSL_cleanse(poly_key, sizeof poly_key);
    return rc;
}
