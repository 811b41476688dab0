/* Finite-field Diffie-Hellman: the RFC 3526 groups 14, 16, 18 with
 * generator 2 (diffie-hellman-group14/16/18-*, RFC 8268), and the keypair
 * and peer checks that group exchange shares (kex_gex.c). */
#include "crypto/kex_dh_internal.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <sshkit/error.h>

/* libcrypto's "modp_*" groups are the RFC 3526 primes (the tests cross-check
 * them). The private exponent is twice the bits of security wanted (RFC 8270
 * section 4; OpenSSH uses twice its largest key or hash size): 512 bits for
 * group14 (used with SHA-256), 1024 for group16 and group18 (SHA-512). */
static const char *named_group(sk_kex_method m, unsigned *exponent_bits)
{
    switch (m) {
    case SK_KEX_DH_GROUP14: *exponent_bits = 512;  return "modp_2048";
    case SK_KEX_DH_GROUP16: *exponent_bits = 1024; return "modp_4096";
    case SK_KEX_DH_GROUP18: *exponent_bits = 1024; return "modp_8192";
    default:                return NULL;
    }
}

/* Caches p and g, and our public value's magnitude, from the new key. */
static int export_key(sk_kex_dh *k)
{
    BIGNUM *y = NULL;
    if ((k->p == NULL && EVP_PKEY_get_bn_param(k->key, OSSL_PKEY_PARAM_FFC_P, &k->p) != 1)
        || (k->g == NULL && EVP_PKEY_get_bn_param(k->key, OSSL_PKEY_PARAM_FFC_G, &k->g) != 1)
        || EVP_PKEY_get_bn_param(k->key, OSSL_PKEY_PARAM_PUB_KEY, &y) != 1)
        return SSHKIT_E_CRYPTO;
    int rc = 0;
    size_t n = (size_t)BN_num_bytes(y);
    uint8_t *dst = sk_buf_reserve(&k->pub, n);
    if (dst == NULL)
        rc = sk_buf_error(&k->pub);
    else if (BN_bn2bin(y, dst) != (int)n)
        rc = SSHKIT_E_CRYPTO;
    else
        sk_buf_advance(&k->pub, n);
    BN_free(y);
    return rc;
}

/* Generates a keypair with ctx (set up for keygen) and the extra params. */
static int generate(sk_kex_dh *k, EVP_PKEY_CTX *ctx, const OSSL_PARAM *params)
{
    if (ctx == NULL)
        return SSHKIT_E_NOMEM;
    if (EVP_PKEY_keygen_init(ctx) != 1 || EVP_PKEY_CTX_set_params(ctx, params) != 1
        || EVP_PKEY_generate(ctx, &k->key) != 1)
        return SSHKIT_E_CRYPTO;
    return export_key(k);
}

int sk_kex_ffdh_keygen_named(sk_kex_dh *k)
{
    unsigned bits = 0;
    const char *name = named_group(k->method, &bits);
    if (name == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    int priv_len = (int)bits;
    OSSL_PARAM params[] = {
        OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)name, 0),
        OSSL_PARAM_int(OSSL_PKEY_PARAM_DH_PRIV_LEN, &priv_len),
        OSSL_PARAM_END
    };
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
    int rc = generate(k, ctx, params);
    EVP_PKEY_CTX_free(ctx);
    return rc;
}

/* A DH key from p, g and optionally a public value y. */
static EVP_PKEY *dh_from_data(const BIGNUM *p, const BIGNUM *g, const BIGNUM *y)
{
    EVP_PKEY *pk = NULL;
    OSSL_PARAM *params = NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
    if (bld && ctx && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, p)
        && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, g)
        && (y == NULL || OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y))
        && (params = OSSL_PARAM_BLD_to_param(bld)) != NULL
        && EVP_PKEY_fromdata_init(ctx) == 1) {
        int selection = y ? EVP_PKEY_PUBLIC_KEY : EVP_PKEY_KEY_PARAMETERS;
        if (EVP_PKEY_fromdata(ctx, &pk, selection, params) != 1)
            pk = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    return pk;
}

/* A keypair in the group k->p, k->g (already checked by the caller). */
int sk_kex_ffdh_keygen_group(sk_kex_dh *k, unsigned exponent_bits)
{
    EVP_PKEY *domain = dh_from_data(k->p, k->g, NULL);
    if (domain == NULL)
        return SSHKIT_E_CRYPTO;
    int priv_len = (int)exponent_bits;
    OSSL_PARAM params[] = {
        OSSL_PARAM_int(OSSL_PKEY_PARAM_DH_PRIV_LEN, &priv_len),
        OSSL_PARAM_END
    };
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, domain, NULL);
    int rc = generate(k, ctx, params);
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(domain);
    return rc;
}

/* RFC 4253 section 8: 1 < f < p - 1. */
static bool in_range(const BIGNUM *f, const BIGNUM *p)
{
    BIGNUM *pm1 = BN_dup(p);
    bool ok = pm1 != NULL && BN_sub_word(pm1, 1)
              && BN_cmp(f, BN_value_one()) > 0 && BN_cmp(f, pm1) < 0;
    BN_free(pm1);
    return ok;
}

int sk_kex_ffdh_derive(sk_kex_dh *k, const uint8_t *peer, size_t len, sk_buf *secret)
{
    /* Bound the length before converting anything. */
    if (len == 0 || len > (size_t)BN_num_bytes(k->p))
        return SSHKIT_E_BAD_PUBLIC_VALUE;
    BIGNUM *f = BN_bin2bn(peer, (int)len, NULL);
    if (f == NULL)
        return SSHKIT_E_NOMEM;
    int rc = SSHKIT_E_BAD_PUBLIC_VALUE;
    EVP_PKEY *pk = NULL;
    if (in_range(f, k->p)) {
        pk = dh_from_data(k->p, k->g, f);
        rc = pk ? sk_kex_derive_pkey(k, pk, secret) : SSHKIT_E_BAD_PUBLIC_VALUE;
    }
    EVP_PKEY_free(pk);
    BN_free(f);
    return rc;
}
