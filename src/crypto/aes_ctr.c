/* AES-CTR keystream for aes*-ctr (RFC 4344). */
#include "crypto/aes_ctr.h"

#include <limits.h>
#include <string.h>
#include <sshkit/error.h>

int sk_aes_ctr_init(sk_aes_ctr *c, const char *evp_name, const uint8_t *key,
                    const uint8_t iv[SK_AES_CTR_IV_LEN])
{
    memset(c, 0, sizeof *c);
    EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, evp_name, NULL);
    if (cipher == NULL)
        return SSHKIT_E_CRYPTO;
    c->ctx = EVP_CIPHER_CTX_new();
    int rc = c->ctx ? 0 : SSHKIT_E_NOMEM;
    /* CTR is symmetric: the encrypt direction serves both ways. */
    if (rc == 0 && !EVP_CipherInit_ex(c->ctx, cipher, NULL, key, iv, 1))
        rc = SSHKIT_E_CRYPTO;
    EVP_CIPHER_free(cipher);
    if (rc != 0)
        sk_aes_ctr_clear(c);
    return rc;
}

void sk_aes_ctr_clear(sk_aes_ctr *c)
{
    EVP_CIPHER_CTX_free(c->ctx);   /* cleanses the key schedule */
    c->ctx = NULL;
}

int sk_aes_ctr_crypt(sk_aes_ctr *c, uint8_t *data, size_t len)
{
    int out_len = 0;
    if (len > INT_MAX)
        return SSHKIT_E_INVALID_ARGUMENT;
    if (len == 0)
        return 0;
    if (!EVP_CipherUpdate(c->ctx, data, &out_len, data, (int)len) || (size_t)out_len != len)
        return SSHKIT_E_CRYPTO;
    return 0;
}
