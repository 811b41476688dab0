/* Private key fields as OpenSSH's key format (PROTOCOL.key) and the agent
 * protocol (draft-miller-ssh-agent section 4.2) lay them out:
 *   ssh-ed25519:  string pub(32), string seed(32)||pub(32)
 *   ecdsa-sha2-*: string curve, string Q, mpint d
 *   ssh-rsa:      mpint n, mpint e, mpint d, mpint iqmp, mpint p, mpint q */
#include "keys/key_internal.h"
#include "keys/key_pkey.h"

#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <sshkit/error.h>

static int write_ed25519_private(sk_buf *b, const sshkit_key *key)
{
    uint8_t pair[64];   /* seed || public, as OpenSSH stores it */
    size_t seed_len = 32, pub_len = 32;
    int rc = SSHKIT_E_CRYPTO;
    if (EVP_PKEY_get_raw_private_key(key->pkey, pair, &seed_len) == 1 && seed_len == 32 &&
        EVP_PKEY_get_raw_public_key(key->pkey, pair + 32, &pub_len) == 1 && pub_len == 32) {
        sk_write_string(b, pair + 32, 32);
        sk_write_string(b, pair, 64);
        rc = sk_buf_error(b);
    }
    OPENSSL_cleanse(pair, sizeof pair);
    return rc;
}

static int write_rsa_private(sk_buf *b, const sshkit_key *key)
{
    static const char *const params[] = {
        OSSL_PKEY_PARAM_RSA_N, OSSL_PKEY_PARAM_RSA_E, OSSL_PKEY_PARAM_RSA_D,
        OSSL_PKEY_PARAM_RSA_COEFFICIENT1, OSSL_PKEY_PARAM_RSA_FACTOR1,
        OSSL_PKEY_PARAM_RSA_FACTOR2,
    };
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
        int rc = sk_pkey_write_bn(b, key->pkey, params[i]);
        if (rc)
            return rc;
    }
    return 0;
}

int sk_key_write_private(sk_buf *b, const sshkit_key *key)
{
    if (!key->has_private)
        return SSHKIT_E_STATE;
    sk_write_cstring(b, sk_key_type_to_name(key->type));
    switch (key->type) {
    case SSHKIT_KEY_ED25519:
        return write_ed25519_private(b, key);
    case SSHKIT_KEY_RSA:
        return write_rsa_private(b, key);
    case SSHKIT_KEY_ECDSA_P256:
    case SSHKIT_KEY_ECDSA_P384:
    case SSHKIT_KEY_ECDSA_P521: {
        sk_write_cstring(b, sk_key_curve_ident(key->type));
        int rc = sk_pkey_write_octets(b, key->pkey, OSSL_PKEY_PARAM_PUB_KEY);
        return rc ? rc : sk_pkey_write_bn(b, key->pkey, OSSL_PKEY_PARAM_PRIV_KEY);
    }
    }
    return SSHKIT_E_UNKNOWN_KEY_TYPE;
}

static int read_ed25519_private(sk_reader *r, EVP_PKEY **pkey)
{
    sk_bytes pub, pair;
    sk_read_string(r, &pub);
    if (sk_read_string(r, &pair))
        return r->error;
    if (pub.len != 32 || pair.len != 64 || CRYPTO_memcmp(pair.ptr + 32, pub.ptr, 32) != 0)
        return SSHKIT_E_FORMAT;
    return sk_pkey_ed25519(pub.ptr, pair.ptr, pkey);
}

static int read_ecdsa_private(sk_reader *r, sshkit_key_type type, EVP_PKEY **pkey)
{
    sk_bytes curve, point, d;
    sk_read_string(r, &curve);
    sk_read_string(r, &point);
    if (sk_read_mpint_unsigned(r, &d))
        return r->error;
    if (!sk_bytes_eq(curve, sk_key_curve_ident(type)) || d.len == 0)
        return SSHKIT_E_FORMAT;
    return sk_pkey_ec(sk_key_curve_group(type), point, d, pkey);
}

static int read_rsa_private(sk_reader *r, EVP_PKEY **pkey)
{
    struct sk_rsa_parts p;
    sk_read_mpint_unsigned(r, &p.n);
    sk_read_mpint_unsigned(r, &p.e);
    sk_read_mpint_unsigned(r, &p.d);
    sk_read_mpint_unsigned(r, &p.iqmp);
    sk_read_mpint_unsigned(r, &p.p);
    if (sk_read_mpint_unsigned(r, &p.q))
        return r->error;
    if (p.n.len * 8 > SK_RSA_MAX_BITS || p.n.len * 8 < SK_RSA_MIN_BITS - 7 || p.e.len == 0 ||
        p.e.len > 8 || p.d.len == 0 || p.p.len == 0 || p.q.len == 0 || p.iqmp.len == 0)
        return SSHKIT_E_FORMAT;
    return sk_pkey_rsa(&p, pkey);
}

static int read_private_fields(sk_reader *r, sshkit_key_type type, EVP_PKEY **pkey)
{
    if (type == SSHKIT_KEY_ED25519)
        return read_ed25519_private(r, pkey);
    if (type == SSHKIT_KEY_RSA)
        return read_rsa_private(r, pkey);
    return read_ecdsa_private(r, type, pkey);
}

int sk_key_read_private(sk_reader *r, sshkit_key **out)
{
    return sk_key_read_typed(r, true, read_private_fields, out);
}
