/* AES-GCM with the SSH invocation counter (RFC 5647 section 7.1). */
#include "crypto/aes_gcm.h"

#include <limits.h>
#include <string.h>
#include <openssl/crypto.h>
#include <sshkit/error.h>

#include "wire/writer.h"

int sk_aes_gcm_init(sk_aes_gcm *g, const char *evp_name, const uint8_t *key,
                    const uint8_t iv[SK_AES_GCM_IV_LEN], bool encrypt)
{
    memset(g, 0, sizeof *g);
    EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, evp_name, NULL);
    if (cipher == NULL)
        return SSHKIT_E_CRYPTO;
    g->ctx = EVP_CIPHER_CTX_new();
    int rc = g->ctx ? 0 : SSHKIT_E_NOMEM;
    /* The IV is set per packet; 12 bytes is libcrypto's default GCM IV length. */
    if (rc == 0 && !EVP_CipherInit_ex(g->ctx, cipher, NULL, key, NULL, encrypt ? 1 : 0))
        rc = SSHKIT_E_CRYPTO;
    EVP_CIPHER_free(cipher);
    if (rc != 0) {
        sk_aes_gcm_clear(g);
        return rc;
    }
    memcpy(g->iv, iv, SK_AES_GCM_IV_LEN);
    return 0;
}

void sk_aes_gcm_clear(sk_aes_gcm *g)
{
    EVP_CIPHER_CTX_free(g->ctx);
    g->ctx = NULL;
    OPENSSL_cleanse(g->iv, sizeof g->iv);
}

/* The last 8 IV bytes are a big-endian counter; the first 4 never change. */
static void step_iv(sk_aes_gcm *g)
{
    uint8_t *counter = g->iv + 4;
    sk_store_u64(counter, sk_load_u64(counter) + 1);
}

/* Sets this packet's IV, feeds the AAD and runs data through in place. */
static int gcm_run(sk_aes_gcm *g, const uint8_t *aad, size_t aad_len, uint8_t *data, size_t len)
{
    int out_len = 0;
    if (aad_len > INT_MAX || len > INT_MAX)
        return SSHKIT_E_INVALID_ARGUMENT;
    if (!EVP_CipherInit_ex(g->ctx, NULL, NULL, NULL, g->iv, -1))
        return SSHKIT_E_CRYPTO;
    if (aad_len > 0 && !EVP_CipherUpdate(g->ctx, NULL, &out_len, aad, (int)aad_len))
        return SSHKIT_E_CRYPTO;
    if (len > 0 && (!EVP_CipherUpdate(g->ctx, data, &out_len, data, (int)len)
                    || (size_t)out_len != len))
        return SSHKIT_E_CRYPTO;
    return 0;
}

int sk_aes_gcm_seal(sk_aes_gcm *g, const uint8_t *aad, size_t aad_len,
                    uint8_t *data, size_t len, uint8_t tag[SK_AES_GCM_TAG_LEN])
{
    int out_len = 0;
    int rc = gcm_run(g, aad, aad_len, data, len);
    if (rc == 0 && !EVP_CipherFinal_ex(g->ctx, NULL, &out_len))
        rc = SSHKIT_E_CRYPTO;
    if (rc == 0 && !EVP_CIPHER_CTX_ctrl(g->ctx, EVP_CTRL_AEAD_GET_TAG,
                                        SK_AES_GCM_TAG_LEN, tag))
        rc = SSHKIT_E_CRYPTO;
    step_iv(g);
    return rc;
}

int sk_aes_gcm_open(sk_aes_gcm *g, const uint8_t *aad, size_t aad_len,
                    uint8_t *data, size_t len, const uint8_t tag[SK_AES_GCM_TAG_LEN])
{
    int out_len = 0;
    int rc = gcm_run(g, aad, aad_len, data, len);
    if (rc == 0 && !EVP_CIPHER_CTX_ctrl(g->ctx, EVP_CTRL_AEAD_SET_TAG,
                                        SK_AES_GCM_TAG_LEN, (void *)tag))
        rc = SSHKIT_E_CRYPTO;
    if (rc == 0 && EVP_CipherFinal_ex(g->ctx, NULL, &out_len) <= 0)
        rc = SSHKIT_E_MAC;
    if (rc != 0)
        OPENSSL_cleanse(data, len);
    step_iv(g);
    return rc;
}
