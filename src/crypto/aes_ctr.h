/* AES in counter mode (RFC 4344): one keystream for the whole direction,
 * the 128-bit counter block incremented as a big-endian integer. */
#ifndef SSHKIT_CRYPTO_AES_CTR_H
#define SSHKIT_CRYPTO_AES_CTR_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>

#define SK_AES_CTR_IV_LEN 16u

typedef struct {
    EVP_CIPHER_CTX *ctx;
} sk_aes_ctr;

/* evp_name is "AES-128-CTR", "AES-192-CTR" or "AES-256-CTR". */
int sk_aes_ctr_init(sk_aes_ctr *c, const char *evp_name, const uint8_t *key,
                    const uint8_t iv[SK_AES_CTR_IV_LEN]);
void sk_aes_ctr_clear(sk_aes_ctr *c);

/* XORs data with the next len keystream bytes, in place (either direction). */
int sk_aes_ctr_crypt(sk_aes_ctr *c, uint8_t *data, size_t len);

#endif
