/* Public key blobs: RFC 4253 section 6.6, RFC 5656 section 3.1, RFC 8709. */
#include "keys/key_internal.h"
#include "keys/key_pkey.h"

#include <openssl/core_names.h>
#include <sshkit/error.h>

static int write_ed25519_public(sk_buf *b, const sshkit_key *key)
{
    uint8_t pub[32];
    size_t len = sizeof pub;
    if (EVP_PKEY_get_raw_public_key(key->pkey, pub, &len) != 1 || len != 32)
        return SSHKIT_E_CRYPTO;
    sk_write_string(b, pub, len);
    return sk_buf_error(b);
}

void sk_key_write_public(sk_buf *b, const sshkit_key *key)
{
    int rc = 0;
    sk_write_cstring(b, sk_key_type_to_name(key->type));
    switch (key->type) {
    case SSHKIT_KEY_ED25519:
        rc = write_ed25519_public(b, key);
        break;
    case SSHKIT_KEY_ECDSA_P256:
    case SSHKIT_KEY_ECDSA_P384:
    case SSHKIT_KEY_ECDSA_P521:
        sk_write_cstring(b, sk_key_curve_ident(key->type));
        rc = sk_pkey_write_octets(b, key->pkey, OSSL_PKEY_PARAM_PUB_KEY);
        break;
    case SSHKIT_KEY_RSA:
        rc = sk_pkey_write_bn(b, key->pkey, OSSL_PKEY_PARAM_RSA_E);
        if (rc == 0)
            rc = sk_pkey_write_bn(b, key->pkey, OSSL_PKEY_PARAM_RSA_N);
        break;
    }
    if (rc && b->error == 0)
        b->error = rc;
}

static int read_ed25519_public(sk_reader *r, EVP_PKEY **pkey)
{
    sk_bytes pub;
    if (sk_read_string(r, &pub))
        return r->error;
    if (pub.len != 32)
        return SSHKIT_E_FORMAT;
    return sk_pkey_ed25519(pub.ptr, NULL, pkey);
}

static int read_ecdsa_public(sk_reader *r, sshkit_key_type type, EVP_PKEY **pkey)
{
    sk_bytes curve, point, none = { NULL, 0 };
    sk_read_string(r, &curve);
    if (sk_read_string(r, &point))
        return r->error;
    if (!sk_bytes_eq(curve, sk_key_curve_ident(type)))
        return SSHKIT_E_FORMAT;
    return sk_pkey_ec(sk_key_curve_group(type), point, none, pkey);
}

static int read_rsa_public(sk_reader *r, EVP_PKEY **pkey)
{
    struct sk_rsa_parts parts = { 0 };
    sk_read_mpint_unsigned(r, &parts.e);
    if (sk_read_mpint_unsigned(r, &parts.n))
        return r->error;
    if (parts.n.len == 0 || parts.n.len * 8 > SK_RSA_MAX_BITS || parts.e.len == 0 ||
        parts.e.len > 8)
        return SSHKIT_E_FORMAT;
    /* An even modulus, or an exponent that is even or below 3, is no RSA
     * key; e = 1 would make every signature trivially forgeable. */
    if (!(parts.n.ptr[parts.n.len - 1] & 1) || !(parts.e.ptr[parts.e.len - 1] & 1) ||
        (parts.e.len == 1 && parts.e.ptr[0] < 3))
        return SSHKIT_E_FORMAT;
    int rc = sk_pkey_rsa(&parts, pkey);
    if (rc == 0 && EVP_PKEY_get_bits(*pkey) < SK_RSA_MIN_BITS) {
        EVP_PKEY_free(*pkey);
        *pkey = NULL;
        rc = SSHKIT_E_FORMAT;
    }
    return rc;
}

static int read_public_fields(sk_reader *r, sshkit_key_type type, EVP_PKEY **pkey)
{
    if (type == SSHKIT_KEY_ED25519)
        return read_ed25519_public(r, pkey);
    if (type == SSHKIT_KEY_RSA)
        return read_rsa_public(r, pkey);
    return read_ecdsa_public(r, type, pkey);
}

int sk_key_read_public(sk_reader *r, sshkit_key **out)
{
    return sk_key_read_typed(r, false, read_public_fields, out);
}

int sshkit_key_public_blob(const sshkit_key *key, uint8_t **blob, size_t *len)
{
    if (key == NULL || blob == NULL || len == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    sk_buf b;
    sk_buf_init(&b);
    sk_key_write_public(&b, key);
    int rc = sk_buf_error(&b);
    *blob = sk_buf_steal(&b, len);
    return *blob ? 0 : (rc ? rc : SSHKIT_E_NOMEM);
}

int sshkit_key_from_public_blob(const uint8_t *blob, size_t len, sshkit_key **out)
{
    if (blob == NULL || out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    sk_reader r;
    sk_reader_init(&r, blob, len);
    int rc = sk_key_read_public(&r, out);
    if (rc == 0 && (rc = sk_reader_finish(&r)) != 0) {
        sshkit_key_free(*out);
        *out = NULL;
    }
    return rc;
}
