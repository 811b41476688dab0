/* ECDH on NIST P-256, P-384, P-521 for ecdh-sha2-nistp* (RFC 5656). */
#include "crypto/kex_dh_internal.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <sshkit/error.h>

struct curve {
    const char *name;       /* libcrypto group name */
    size_t field_len;       /* bytes of one coordinate */
};

static const struct curve *curve_of(sk_kex_method m)
{
    static const struct curve p256 = { "P-256", 32 };
    static const struct curve p384 = { "P-384", 48 };
    static const struct curve p521 = { "P-521", 66 };
    switch (m) {
    case SK_KEX_ECDH_P256: return &p256;
    case SK_KEX_ECDH_P384: return &p384;
    case SK_KEX_ECDH_P521: return &p521;
    default:               return NULL;
    }
}

/* SEC1 uncompressed: 0x04 || x || y. */
static size_t point_len(const struct curve *c)
{
    return 1 + 2 * c->field_len;
}

static int export_public(sk_kex_dh *k, const struct curve *c)
{
    size_t want = point_len(c), len = 0;
    uint8_t *dst = sk_buf_reserve(&k->pub, want);
    if (dst == NULL)
        return sk_buf_error(&k->pub);
    if (EVP_PKEY_get_octet_string_param(k->key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                        dst, want, &len) != 1
        || len != want || dst[0] != 0x04)
        return SSHKIT_E_CRYPTO;
    sk_buf_advance(&k->pub, len);
    return 0;
}

int sk_kex_ecdh_keygen(sk_kex_dh *k)
{
    const struct curve *c = curve_of(k->method);
    if (c == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    k->key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", c->name);
    if (k->key == NULL)
        return SSHKIT_E_CRYPTO;
    return export_public(k, c);
}

/* Imports the peer's point; libcrypto refuses a point not on the curve. */
static EVP_PKEY *import_point(const struct curve *c, const uint8_t *q, size_t len)
{
    OSSL_PARAM params[] = {
        OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)c->name, 0),
        OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)q, len),
        OSSL_PARAM_END
    };
    EVP_PKEY *pk = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1
        || EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params) != 1)
        pk = NULL;
    EVP_PKEY_CTX_free(ctx);
    return pk;
}

/* An explicit full public-key check (on the curve, not infinity, right
 * order), on top of what import and derive do. */
static bool public_ok(EVP_PKEY *pk)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL);
    bool ok = ctx != NULL && EVP_PKEY_public_check(ctx) == 1;
    EVP_PKEY_CTX_free(ctx);
    return ok;
}

int sk_kex_ecdh_derive(sk_kex_dh *k, const uint8_t *peer, size_t len, sk_buf *secret)
{
    const struct curve *c = curve_of(k->method);
    if (c == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    /* Only the uncompressed form (RFC 5656 section 4); this also refuses
     * the empty string and the point at infinity (a lone 0x00). */
    if (len != point_len(c) || peer[0] != 0x04)
        return SSHKIT_E_BAD_PUBLIC_VALUE;
    EVP_PKEY *pk = import_point(c, peer, len);
    if (pk == NULL)
        return SSHKIT_E_BAD_PUBLIC_VALUE;
    int rc = public_ok(pk) ? sk_kex_derive_pkey(k, pk, secret) : SSHKIT_E_BAD_PUBLIC_VALUE;
    EVP_PKEY_free(pk);
    return rc;
}
