/* libcrypto keys from and to SSH key components; see key_pkey.h. */
#include "keys/key_pkey.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/param_build.h>
#include <sshkit/error.h>

/* Runs EVP_PKEY_fromdata for an algorithm with the parameters built so far. */
static int pkey_from_params(const char *alg, OSSL_PARAM_BLD *bld, int selection, EVP_PKEY **out)
{
    int rc = SSHKIT_E_CRYPTO;
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, alg, NULL);
    if (params && ctx && EVP_PKEY_fromdata_init(ctx) == 1 &&
        EVP_PKEY_fromdata(ctx, out, selection, params) == 1)
        rc = 0;
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);   /* secure BNs were copied into secure, cleared memory */
    return rc;
}

/* Checks a key that came from outside: the public half is valid, and for
 * a pair, the private half matches it. */
static int check_pkey(EVP_PKEY *pkey, bool pair)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    int ok = ctx && (pair ? EVP_PKEY_pairwise_check(ctx) : EVP_PKEY_public_check(ctx)) == 1;
    EVP_PKEY_CTX_free(ctx);
    return ok ? 0 : SSHKIT_E_FORMAT;
}

int sk_pkey_ed25519(const uint8_t pub[32], const uint8_t *seed, EVP_PKEY **out)
{
    *out = seed ? EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32)
                : EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
    if (*out == NULL)
        return SSHKIT_E_CRYPTO;
    if (seed) {
        /* The file carries the public key beside the seed: they must agree. */
        uint8_t derived[32];
        size_t len = sizeof derived;
        if (EVP_PKEY_get_raw_public_key(*out, derived, &len) != 1 || len != 32 ||
            CRYPTO_memcmp(derived, pub, 32) != 0) {
            EVP_PKEY_free(*out);
            *out = NULL;
            return SSHKIT_E_KEY_MISMATCH;
        }
    }
    return 0;
}

static BIGNUM *bn_of(sk_bytes v, bool secret)
{
    BIGNUM *bn = secret ? BN_secure_new() : BN_new();
    if (bn && BN_bin2bn(v.ptr, (int)v.len, bn) == NULL) {
        BN_clear_free(bn);
        return NULL;
    }
    return bn;
}

int sk_pkey_ec(const char *group, sk_bytes point, sk_bytes priv, EVP_PKEY **out)
{
    *out = NULL;
    /* SSH carries only uncompressed points (RFC 5656 section 3.1). */
    if (point.len == 0 || point.ptr[0] != 0x04)
        return SSHKIT_E_FORMAT;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    BIGNUM *d = priv.ptr ? bn_of(priv, true) : NULL;
    int rc = SSHKIT_E_NOMEM;
    if (bld && (priv.ptr == NULL || d) &&
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) &&
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.ptr, point.len) &&
        (d == NULL || OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d))) {
        int selection = d ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY;
        rc = pkey_from_params("EC", bld, selection, out);
        if (rc)
            rc = SSHKIT_E_FORMAT;   /* libcrypto refused the point */
    }
    if (rc == 0 && (rc = check_pkey(*out, d != NULL)) != 0) {
        EVP_PKEY_free(*out);
        *out = NULL;
    }
    BN_clear_free(d);
    OSSL_PARAM_BLD_free(bld);
    return rc;
}

/* dmp1 = d mod (p-1), dmq1 = d mod (q-1). */
static int rsa_crt_exponents(const BIGNUM *d, const BIGNUM *p, const BIGNUM *q,
                             BIGNUM *dmp1, BIGNUM *dmq1)
{
    BN_CTX *ctx = BN_CTX_secure_new();
    BIGNUM *t = BN_secure_new();
    int ok = ctx && t && BN_sub(t, p, BN_value_one()) && BN_mod(dmp1, d, t, ctx) &&
             BN_sub(t, q, BN_value_one()) && BN_mod(dmq1, d, t, ctx);
    BN_clear_free(t);
    BN_CTX_free(ctx);
    return ok ? 0 : SSHKIT_E_CRYPTO;
}

static int push_rsa_private(OSSL_PARAM_BLD *bld, const struct sk_rsa_parts *parts, BIGNUM **bns)
{
    /* bns: d, p, q, iqmp, dmp1, dmq1 */
    bns[0] = bn_of(parts->d, true);
    bns[1] = bn_of(parts->p, true);
    bns[2] = bn_of(parts->q, true);
    bns[3] = bn_of(parts->iqmp, true);
    bns[4] = BN_secure_new();
    bns[5] = BN_secure_new();
    for (int i = 0; i < 6; i++)
        if (bns[i] == NULL)
            return SSHKIT_E_NOMEM;
    if (BN_is_zero(bns[1]) || BN_is_zero(bns[2]))
        return SSHKIT_E_FORMAT;
    int rc = rsa_crt_exponents(bns[0], bns[1], bns[2], bns[4], bns[5]);
    if (rc)
        return rc;
    if (!OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, bns[0]) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR1, bns[1]) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR2, bns[2]) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT1, bns[4]) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT2, bns[5]) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, bns[3]))
        return SSHKIT_E_NOMEM;
    return 0;
}

int sk_pkey_rsa(const struct sk_rsa_parts *parts, EVP_PKEY **out)
{
    *out = NULL;
    bool pair = parts->d.ptr != NULL;
    BIGNUM *n = bn_of(parts->n, false), *e = bn_of(parts->e, false);
    BIGNUM *priv[6] = { 0 };
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    int rc = SSHKIT_E_NOMEM;
    if (bld && n && e && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e)) {
        rc = pair ? push_rsa_private(bld, parts, priv) : 0;
        if (rc == 0)
            rc = pkey_from_params("RSA", bld, pair ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, out);
    }
    if (rc == 0 && pair && (rc = check_pkey(*out, true)) != 0) {
        EVP_PKEY_free(*out);
        *out = NULL;
        rc = SSHKIT_E_KEY_MISMATCH;
    }
    for (int i = 0; i < 6; i++)
        BN_clear_free(priv[i]);
    BN_free(n);
    BN_free(e);
    OSSL_PARAM_BLD_free(bld);
    return rc;
}

int sk_pkey_write_bn(sk_buf *b, const EVP_PKEY *pkey, const char *param)
{
    BIGNUM *bn = NULL;
    if (EVP_PKEY_get_bn_param(pkey, param, &bn) != 1)
        return SSHKIT_E_CRYPTO;
    int n = BN_num_bytes(bn);
    uint8_t *tmp = OPENSSL_secure_malloc(n > 0 ? (size_t)n : 1);
    int rc = SSHKIT_E_NOMEM;
    if (tmp) {
        BN_bn2bin(bn, tmp);
        sk_write_mpint(b, tmp, (size_t)n);
        OPENSSL_secure_clear_free(tmp, n > 0 ? (size_t)n : 1);
        rc = sk_buf_error(b);
    }
    BN_clear_free(bn);
    return rc;
}

int sk_pkey_write_octets(sk_buf *b, const EVP_PKEY *pkey, const char *param)
{
    uint8_t tmp[160];   /* a P-521 point is 133 bytes; a raw Ed25519 key 32 */
    size_t len = 0;
    if (EVP_PKEY_get_octet_string_param(pkey, param, tmp, sizeof tmp, &len) != 1)
        return SSHKIT_E_CRYPTO;
    sk_write_string(b, tmp, len);
    OPENSSL_cleanse(tmp, sizeof tmp);
    return sk_buf_error(b);
}
