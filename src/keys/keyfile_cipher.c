/* OpenSSH key-file ciphers; see keyfile_cipher.h. */
#include "keys/keyfile_cipher.h"

#include <limits.h>
#include <string.h>
#include <openssl/evp.h>
#include <sshkit/error.h>

enum { KIND_NONE, KIND_EVP, KIND_GCM, KIND_CHACHAPOLY };

static const struct sk_keyfile_cipher ciphers[] = {
    { "none",                          0,  0,  8,  0,  KIND_NONE,       NULL },
    { "aes128-ctr",                    16, 16, 16, 0,  KIND_EVP,        EVP_aes_128_ctr },
    { "aes192-ctr",                    24, 16, 16, 0,  KIND_EVP,        EVP_aes_192_ctr },
    { "aes256-ctr",                    32, 16, 16, 0,  KIND_EVP,        EVP_aes_256_ctr },
    { "aes128-cbc",                    16, 16, 16, 0,  KIND_EVP,        EVP_aes_128_cbc },
    { "aes192-cbc",                    24, 16, 16, 0,  KIND_EVP,        EVP_aes_192_cbc },
    { "aes256-cbc",                    32, 16, 16, 0,  KIND_EVP,        EVP_aes_256_cbc },
    { "aes128-gcm@openssh.com",        16, 12, 16, 16, KIND_GCM,        EVP_aes_128_gcm },
    { "aes256-gcm@openssh.com",        32, 12, 16, 16, KIND_GCM,        EVP_aes_256_gcm },
    { "chacha20-poly1305@openssh.com", 64, 0,  8,  16, KIND_CHACHAPOLY, NULL },
};

const struct sk_keyfile_cipher *sk_keyfile_cipher_find(const uint8_t *name, size_t len)
{
    for (size_t i = 0; i < sizeof ciphers / sizeof ciphers[0]; i++)
        if (strlen(ciphers[i].name) == len && memcmp(ciphers[i].name, name, len) == 0)
            return &ciphers[i];
    return NULL;
}

/* AES in CTR, CBC (no padding: the input is whole blocks) or GCM (the IV
 * as given, no AAD, the tag after the data as OpenSSH writes it). */
static int evp_crypt(const struct sk_keyfile_cipher *c, const uint8_t *key_iv, bool encrypt,
                     const uint8_t *in, size_t len, uint8_t *out, uint8_t *tag)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int outl = 0, finl = 0, rc = SSHKIT_E_CRYPTO;
    bool gcm = c->kind == KIND_GCM;
    if (ctx == NULL)
        return SSHKIT_E_NOMEM;
    if (EVP_CipherInit_ex(ctx, c->evp(), NULL, NULL, NULL, encrypt) != 1 ||
        (gcm && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, (int)c->iv_len, NULL) != 1) ||
        EVP_CipherInit_ex(ctx, NULL, NULL, key_iv, key_iv + c->key_len, encrypt) != 1 ||
        EVP_CIPHER_CTX_set_padding(ctx, 0) != 1 ||
        EVP_CipherUpdate(ctx, out, &outl, in, (int)len) != 1)
        goto done;
    if (gcm && !encrypt &&
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, (int)c->tag_len, tag) != 1)
        goto done;
    if (EVP_CipherFinal_ex(ctx, out + outl, &finl) != 1) {
        rc = gcm && !encrypt ? SSHKIT_E_MAC : SSHKIT_E_CRYPTO;
        goto done;
    }
    if (gcm && encrypt &&
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, (int)c->tag_len, tag) != 1)
        goto done;
    rc = (size_t)outl + (size_t)finl == len ? 0 : SSHKIT_E_CRYPTO;
done:
    EVP_CIPHER_CTX_free(ctx);   /* cleanses the key schedule */
    return rc;
}

int sk_keyfile_crypt(const struct sk_keyfile_cipher *c, const uint8_t *key_iv, bool encrypt,
                     const uint8_t *in, size_t len, uint8_t *out, uint8_t *tag)
{
    if (len % c->block_size != 0 || len > INT_MAX)
        return SSHKIT_E_CRYPTO;
    switch (c->kind) {
    case KIND_NONE:
        if (out != in)
            memmove(out, in, len);
        return 0;
    case KIND_CHACHAPOLY:
        return sk_keyfile_chachapoly(key_iv, encrypt, in, len, out, tag);
    default:
        return evp_crypt(c, key_iv, encrypt, in, len, out, tag);
    }
}
