/* AES-GCM as SSH uses it (RFC 5647, OpenSSH aes*-gcm@openssh.com): a 12-byte
 * IV of 4 fixed bytes and an 8-byte big-endian invocation counter that goes
 * up by one (mod 2^64, never carrying into the fixed part) after every packet. */
#ifndef SSHKIT_CRYPTO_AES_GCM_H
#define SSHKIT_CRYPTO_AES_GCM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>

#define SK_AES_GCM_IV_LEN 12u
#define SK_AES_GCM_TAG_LEN 16u

typedef struct {
    EVP_CIPHER_CTX *ctx;
    uint8_t iv[SK_AES_GCM_IV_LEN];
} sk_aes_gcm;

/* evp_name is "AES-128-GCM" or "AES-256-GCM"; key is its key length. */
int sk_aes_gcm_init(sk_aes_gcm *g, const char *evp_name, const uint8_t *key,
                    const uint8_t iv[SK_AES_GCM_IV_LEN], bool encrypt);
void sk_aes_gcm_clear(sk_aes_gcm *g);

/* Authenticates aad, encrypts data in place, writes the tag, steps the IV. */
int sk_aes_gcm_seal(sk_aes_gcm *g, const uint8_t *aad, size_t aad_len,
                    uint8_t *data, size_t len, uint8_t tag[SK_AES_GCM_TAG_LEN]);

/* Decrypts data in place and checks the tag; steps the IV either way.
 * SSHKIT_E_MAC on mismatch, with data wiped (libcrypto checks the tag only
 * after decrypting, so the wipe is what keeps plaintext from leaking). */
int sk_aes_gcm_open(sk_aes_gcm *g, const uint8_t *aad, size_t aad_len,
                    uint8_t *data, size_t len, const uint8_t tag[SK_AES_GCM_TAG_LEN]);

#endif
