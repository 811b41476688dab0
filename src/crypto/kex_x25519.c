/* X25519 key agreement for curve25519-sha256 (RFC 7748, RFC 8731). */
#include "crypto/kex_dh_internal.h"

#include <openssl/evp.h>
#include <sshkit/error.h>

#define X25519_LEN 32

static int export_public(sk_kex_dh *k)
{
    uint8_t *dst = sk_buf_reserve(&k->pub, X25519_LEN);
    if (dst == NULL)
        return sk_buf_error(&k->pub);
    size_t len = X25519_LEN;
    if (EVP_PKEY_get_raw_public_key(k->key, dst, &len) != 1 || len != X25519_LEN)
        return SSHKIT_E_CRYPTO;
    sk_buf_advance(&k->pub, len);
    return 0;
}

int sk_kex_x25519_keygen(sk_kex_dh *k)
{
    k->key = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
    if (k->key == NULL)
        return SSHKIT_E_CRYPTO;
    return export_public(k);
}

int sk_kex_dh_new_x25519_private(sk_kex_dh **out, const uint8_t priv[32])
{
    *out = NULL;
    sk_kex_dh *k = sk_kex_dh_alloc(SK_KEX_X25519);
    if (k == NULL)
        return SSHKIT_E_NOMEM;
    k->key = EVP_PKEY_new_raw_private_key_ex(NULL, "X25519", NULL, priv, X25519_LEN);
    int rc = k->key ? export_public(k) : SSHKIT_E_CRYPTO;
    if (rc != 0) {
        sk_kex_dh_free(k);
        return rc;
    }
    *out = k;
    return 0;
}

/* RFC 8731 section 3: an all-zero shared secret means a low-order peer
 * point and must be refused. libcrypto's derive fails on it, and
 * sk_kex_derive_pkey refuses K = 0 as well. */
int sk_kex_x25519_derive(sk_kex_dh *k, const uint8_t *peer, size_t len, sk_buf *secret)
{
    if (len != X25519_LEN)
        return SSHKIT_E_BAD_PUBLIC_VALUE;
    EVP_PKEY *pk = EVP_PKEY_new_raw_public_key_ex(NULL, "X25519", NULL, peer, len);
    if (pk == NULL)
        return SSHKIT_E_BAD_PUBLIC_VALUE;
    int rc = sk_kex_derive_pkey(k, pk, secret);
    EVP_PKEY_free(pk);
    return rc;
}
