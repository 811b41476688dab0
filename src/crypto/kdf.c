/* RFC 4253 key derivation on libcrypto's SSHKDF; see kdf.h. */
#include "crypto/kdf.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <sshkit/error.h>
#include "wire/writer.h"

static bool args_ok(sk_hash_alg alg, size_t k_len, size_t h_len, size_t sid_len,
                    char letter, size_t out_len)
{
    return sk_hash_name(alg) != NULL && k_len > 0 && h_len > 0 && sid_len > 0
        && letter >= 'A' && letter <= 'F' && out_len > 0;
}

/* SSHKDF takes K in its mpint wire form (length prefix included). */
static int run_sshkdf(sk_hash_alg alg, sk_buf *k_mpint,
                      const uint8_t *h, size_t h_len,
                      const uint8_t *sid, size_t sid_len,
                      char letter, uint8_t *out, size_t out_len)
{
    char type[2] = { letter, '\0' };
    OSSL_PARAM params[] = {
        OSSL_PARAM_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)sk_hash_name(alg), 0),
        OSSL_PARAM_octet_string(OSSL_KDF_PARAM_KEY, k_mpint->data, k_mpint->len),
        OSSL_PARAM_octet_string(OSSL_KDF_PARAM_SSHKDF_XCGHASH, (void *)h, h_len),
        OSSL_PARAM_octet_string(OSSL_KDF_PARAM_SSHKDF_SESSION_ID, (void *)sid, sid_len),
        OSSL_PARAM_utf8_string(OSSL_KDF_PARAM_SSHKDF_TYPE, type, 1),
        OSSL_PARAM_END
    };
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, OSSL_KDF_NAME_SSHKDF, NULL);
    EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
    int rc = ctx && EVP_KDF_derive(ctx, out, out_len, params) == 1 ? 0 : SSHKIT_E_CRYPTO;
    EVP_KDF_CTX_free(ctx);   /* wipes the key it copied */
    EVP_KDF_free(kdf);
    return rc;
}

int sk_kdf_derive(sk_hash_alg alg,
                  const uint8_t *k, size_t k_len,
                  const uint8_t *h, size_t h_len,
                  const uint8_t *session_id, size_t session_id_len,
                  char letter, uint8_t *out, size_t out_len)
{
    if (!args_ok(alg, k_len, h_len, session_id_len, letter, out_len)
        || k == NULL || h == NULL || session_id == NULL || out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    sk_buf k_mpint;
    sk_buf_init_secret(&k_mpint);
    sk_write_mpint(&k_mpint, k, k_len);
    int rc = sk_buf_error(&k_mpint);
    if (rc == 0)
        rc = run_sshkdf(alg, &k_mpint, h, h_len, session_id, session_id_len,
                        letter, out, out_len);
    sk_buf_free(&k_mpint);
    if (rc != 0)
        OPENSSL_cleanse(out, out_len);
    return rc;
}
