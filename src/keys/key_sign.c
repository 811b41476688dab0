/* Signatures in SSH wire format (string algorithm, string blob):
 * RFC 8709 (Ed25519), RFC 5656 section 3.1.2 (ECDSA), RFC 8332 and
 * RFC 4253 section 6.6 (RSA). */
#include "keys/key_internal.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <sshkit/error.h>

struct sig_alg {
    const char *name;
    sshkit_key_type type;
    const char *md;         /* libcrypto digest name; NULL for Ed25519 */
    bool legacy;            /* SHA-1: verified only when asked for by name */
};

/* The first entry of a type is its default. */
static const struct sig_alg sig_algs[] = {
    { "ssh-ed25519",         SSHKIT_KEY_ED25519,    NULL,     false },
    { "ecdsa-sha2-nistp256", SSHKIT_KEY_ECDSA_P256, "SHA256", false },
    { "ecdsa-sha2-nistp384", SSHKIT_KEY_ECDSA_P384, "SHA384", false },
    { "ecdsa-sha2-nistp521", SSHKIT_KEY_ECDSA_P521, "SHA512", false },
    { "rsa-sha2-512",        SSHKIT_KEY_RSA,        "SHA512", false },
    { "rsa-sha2-256",        SSHKIT_KEY_RSA,        "SHA256", false },
    { "ssh-rsa",             SSHKIT_KEY_RSA,        "SHA1",   true },
};

#define SIG_ALG_COUNT (sizeof sig_algs / sizeof sig_algs[0])

static const struct sig_alg *alg_by_bytes(sshkit_key_type type, sk_bytes name)
{
    for (size_t i = 0; i < SIG_ALG_COUNT; i++)
        if (sig_algs[i].type == type && sk_bytes_eq(name, sig_algs[i].name))
            return &sig_algs[i];
    return NULL;
}

static const struct sig_alg *alg_by_name(sshkit_key_type type, const char *name)
{
    for (size_t i = 0; i < SIG_ALG_COUNT; i++)
        if (sig_algs[i].type == type && (name == NULL || strcmp(name, sig_algs[i].name) == 0))
            return &sig_algs[i];
    return NULL;
}

bool sk_key_sig_alg_fits(const sshkit_key *key, const char *alg)
{
    return key != NULL && alg != NULL && alg_by_name(key->type, alg) != NULL;
}

/* libcrypto wants a non-NULL pointer even for empty data. */
static const uint8_t *data_ptr(const uint8_t *data)
{
    static const uint8_t empty[1];
    return data ? data : empty;
}

static int raw_sign(const sshkit_key *key, const char *md, const uint8_t *data, size_t len,
                    uint8_t **out, size_t *out_len)
{
    *out = NULL;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t n = 0;
    int rc = SSHKIT_E_CRYPTO;
    if (ctx && EVP_DigestSignInit_ex(ctx, NULL, md, NULL, NULL, key->pkey, NULL) == 1 &&
        EVP_DigestSign(ctx, NULL, &n, data_ptr(data), len) == 1) {
        *out = malloc(n);
        if (*out == NULL) {
            rc = SSHKIT_E_NOMEM;
        } else if (EVP_DigestSign(ctx, *out, &n, data_ptr(data), len) == 1) {
            *out_len = n;
            rc = 0;
        } else {
            free(*out);
            *out = NULL;
        }
    }
    EVP_MD_CTX_free(ctx);
    if (rc)
        ERR_clear_error();
    return rc;
}

static int raw_verify(const sshkit_key *key, const char *md, const uint8_t *sig, size_t sig_len,
                      const uint8_t *data, size_t len)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == NULL)
        return SSHKIT_E_NOMEM;
    int ok = EVP_DigestVerifyInit_ex(ctx, NULL, md, NULL, NULL, key->pkey, NULL) == 1 &&
             EVP_DigestVerify(ctx, sig, sig_len, data_ptr(data), len) == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok)
        ERR_clear_error();
    return ok ? 0 : SSHKIT_E_SIGNATURE;
}

static int write_bn(sk_buf *b, const BIGNUM *bn)
{
    uint8_t buf[66];        /* P-521's order fits in 66 bytes */
    int n = BN_num_bytes(bn);
    if (n < 0 || (size_t)n > sizeof buf)
        return SSHKIT_E_CRYPTO;
    BN_bn2bin(bn, buf);
    sk_write_mpint(b, buf, (size_t)n);
    return sk_buf_error(b);
}

/* libcrypto's DER ECDSA-Sig-Value to SSH's "mpint r, mpint s". */
static int ecdsa_der_to_ssh(sk_buf *b, const uint8_t *der, size_t len)
{
    const unsigned char *p = der;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)len);
    if (sig == NULL)
        return SSHKIT_E_CRYPTO;
    const BIGNUM *r, *s;
    ECDSA_SIG_get0(sig, &r, &s);
    int rc = write_bn(b, r);
    if (rc == 0)
        rc = write_bn(b, s);
    ECDSA_SIG_free(sig);
    return rc;
}

int sshkit_key_sign(const sshkit_key *key, const char *algorithm,
                    const uint8_t *data, size_t len, uint8_t **sig, size_t *sig_len)
{
    if (key == NULL || sig == NULL || sig_len == NULL || (data == NULL && len > 0))
        return SSHKIT_E_INVALID_ARGUMENT;
    *sig = NULL;
    *sig_len = 0;
    const struct sig_alg *alg = alg_by_name(key->type, algorithm);
    if (alg == NULL || alg->legacy)
        return SSHKIT_E_INVALID_ARGUMENT;
    if (!key->has_private)
        return SSHKIT_E_STATE;
    uint8_t *raw;
    size_t raw_len;
    int rc = raw_sign(key, alg->md, data, len, &raw, &raw_len);
    if (rc)
        return rc;
    sk_buf b;
    sk_buf_init(&b);
    sk_write_cstring(&b, alg->name);
    if (sk_key_type_is_ecdsa(key->type)) {
        size_t start = sk_write_string_begin(&b);
        rc = ecdsa_der_to_ssh(&b, raw, raw_len);
        sk_write_string_end(&b, start);
    } else {
        sk_write_string(&b, raw, raw_len);
    }
    free(raw);
    if (rc == 0)
        rc = sk_buf_error(&b);
    if (rc == 0 && (*sig = sk_buf_steal(&b, sig_len)) == NULL)
        rc = SSHKIT_E_NOMEM;
    sk_buf_free(&b);
    return rc;
}

static BIGNUM *ecdsa_scalar(sk_bytes v, const BIGNUM *order)
{
    BIGNUM *bn = BN_bin2bn(v.ptr, (int)v.len, NULL);
    if (bn && (BN_is_zero(bn) || BN_cmp(bn, order) >= 0)) {
        BN_free(bn);
        bn = NULL;
    }
    return bn;
}

/* SSH's "mpint r, mpint s" to DER. Values outside [1, order-1] can never
 * verify, so they are SSHKIT_E_SIGNATURE; bad encodings SSHKIT_E_FORMAT. */
static int ecdsa_ssh_to_der(sshkit_key_type type, sk_bytes blob, uint8_t **der, int *der_len)
{
    sk_reader rd;
    sk_bytes rb, sb;
    sk_reader_init(&rd, blob.ptr, blob.len);
    sk_read_mpint_unsigned(&rd, &rb);
    sk_read_mpint_unsigned(&rd, &sb);
    if (sk_reader_finish(&rd))
        return SSHKIT_E_FORMAT;
    if (rb.len > 66 || sb.len > 66)
        return SSHKIT_E_SIGNATURE;
    EC_GROUP *group = EC_GROUP_new_by_curve_name(EC_curve_nist2nid(sk_key_curve_group(type)));
    if (group == NULL)
        return SSHKIT_E_CRYPTO;
    const BIGNUM *order = EC_GROUP_get0_order(group);
    BIGNUM *r = ecdsa_scalar(rb, order), *s = ecdsa_scalar(sb, order);
    ECDSA_SIG *sig = ECDSA_SIG_new();
    int rc = SSHKIT_E_SIGNATURE;
    if (sig && r && s && ECDSA_SIG_set0(sig, r, s) == 1) {
        r = s = NULL;   /* owned by sig now */
        *der = NULL;
        *der_len = i2d_ECDSA_SIG(sig, der);
        rc = *der_len > 0 ? 0 : SSHKIT_E_CRYPTO;
    }
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    EC_GROUP_free(group);
    return rc;
}

static int verify_ecdsa(const sshkit_key *key, const struct sig_alg *alg, sk_bytes blob,
                        const uint8_t *data, size_t len)
{
    uint8_t *der;
    int der_len;
    int rc = ecdsa_ssh_to_der(key->type, blob, &der, &der_len);
    if (rc)
        return rc;
    rc = raw_verify(key, alg->md, der, (size_t)der_len, data, len);
    OPENSSL_free(der);
    return rc;
}

/* RFC 8332 wants the blob exactly as long as the modulus. Like OpenSSH, a
 * shorter one is left-padded with zeros (some signers strip leading zero
 * bytes; the integer is the same); a longer one is malformed. */
static int verify_rsa(const sshkit_key *key, const struct sig_alg *alg, sk_bytes blob,
                      const uint8_t *data, size_t len)
{
    int mod_len = EVP_PKEY_get_size(key->pkey);
    if (mod_len <= 0)
        return SSHKIT_E_CRYPTO;
    if (blob.len == 0 || blob.len > (size_t)mod_len)
        return SSHKIT_E_FORMAT;
    uint8_t *padded = calloc(1, (size_t)mod_len);
    if (padded == NULL)
        return SSHKIT_E_NOMEM;
    memcpy(padded + (size_t)mod_len - blob.len, blob.ptr, blob.len);
    int rc = raw_verify(key, alg->md, padded, (size_t)mod_len, data, len);
    free(padded);
    return rc;
}

int sshkit_key_verify(const sshkit_key *key, const char *algorithm,
                      const uint8_t *sig, size_t sig_len, const uint8_t *data, size_t len)
{
    if (key == NULL || (sig == NULL && sig_len > 0) || (data == NULL && len > 0))
        return SSHKIT_E_INVALID_ARGUMENT;
    sk_reader r;
    sk_bytes name, blob;
    sk_reader_init(&r, sig, sig_len);
    sk_read_string(&r, &name);
    sk_read_string(&r, &blob);
    if (sk_reader_finish(&r))
        return SSHKIT_E_FORMAT;
    const struct sig_alg *alg = alg_by_bytes(key->type, name);
    if (alg == NULL || (algorithm ? strcmp(algorithm, alg->name) != 0 : alg->legacy))
        return SSHKIT_E_SIGNATURE;
    if (key->type == SSHKIT_KEY_ED25519) {
        if (blob.len != 64)
            return SSHKIT_E_FORMAT;
        return raw_verify(key, NULL, blob.ptr, blob.len, data, len);
    }
    if (key->type == SSHKIT_KEY_RSA)
        return verify_rsa(key, alg, blob, data, len);
    return verify_ecdsa(key, alg, blob, data, len);
}
