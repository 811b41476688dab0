/* Key agreement: the method-independent half (dispatch, public value,
 * derivation through EVP_PKEY_derive, freeing); see kex_dh.h. */
#include "crypto/kex_dh_internal.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <sshkit/error.h>

sk_kex_dh *sk_kex_dh_alloc(sk_kex_method method)
{
    sk_kex_dh *k = calloc(1, sizeof *k);
    if (k == NULL)
        return NULL;
    k->method = method;
    sk_buf_init(&k->pub);
    return k;
}

static int keygen(sk_kex_dh *k)
{
    switch (k->method) {
    case SK_KEX_X25519:
        return sk_kex_x25519_keygen(k);
    case SK_KEX_ECDH_P256:
    case SK_KEX_ECDH_P384:
    case SK_KEX_ECDH_P521:
        return sk_kex_ecdh_keygen(k);
    case SK_KEX_DH_GROUP14:
    case SK_KEX_DH_GROUP16:
    case SK_KEX_DH_GROUP18:
        return sk_kex_ffdh_keygen_named(k);
    case SK_KEX_DH_GEX:
        break;
    }
    return SSHKIT_E_INVALID_ARGUMENT;
}

int sk_kex_dh_new(sk_kex_dh **out, sk_kex_method method)
{
    *out = NULL;
    sk_kex_dh *k = sk_kex_dh_alloc(method);
    if (k == NULL)
        return SSHKIT_E_NOMEM;
    int rc = keygen(k);
    if (rc != 0) {
        sk_kex_dh_free(k);
        return rc;
    }
    *out = k;
    return 0;
}

sk_kex_method sk_kex_dh_method(const sk_kex_dh *k)
{
    return k->method;
}

sk_bytes sk_kex_dh_public(const sk_kex_dh *k)
{
    sk_bytes b = { k->pub.data, k->pub.len };
    return b;
}

bool sk_kex_dh_public_is_mpint(const sk_kex_dh *k)
{
    switch (k->method) {
    case SK_KEX_DH_GROUP14:
    case SK_KEX_DH_GROUP16:
    case SK_KEX_DH_GROUP18:
    case SK_KEX_DH_GEX:
        return true;
    default:
        return false;
    }
}

void sk_kex_dh_write_public(const sk_kex_dh *k, sk_buf *b)
{
    if (sk_kex_dh_public_is_mpint(k))
        sk_write_mpint(b, k->pub.data, k->pub.len);
    else
        sk_write_string(b, k->pub.data, k->pub.len);
}

static int derive_method(sk_kex_dh *k, const uint8_t *peer, size_t peer_len, sk_buf *secret)
{
    switch (k->method) {
    case SK_KEX_X25519:
        return sk_kex_x25519_derive(k, peer, peer_len, secret);
    case SK_KEX_ECDH_P256:
    case SK_KEX_ECDH_P384:
    case SK_KEX_ECDH_P521:
        return sk_kex_ecdh_derive(k, peer, peer_len, secret);
    case SK_KEX_DH_GROUP14:
    case SK_KEX_DH_GROUP16:
    case SK_KEX_DH_GROUP18:
    case SK_KEX_DH_GEX:
        return sk_kex_ffdh_derive(k, peer, peer_len, secret);
    }
    return SSHKIT_E_INVALID_ARGUMENT;
}

int sk_kex_dh_derive(sk_kex_dh *k, const uint8_t *peer, size_t peer_len, sk_buf *secret)
{
    if (secret->len != 0 || (peer == NULL && peer_len != 0))
        return SSHKIT_E_INVALID_ARGUMENT;
    secret->secret = true;
    /* A refused peer value is an expected event: leave none of libcrypto's
     * errors from it on the thread's queue for the application to find. */
    ERR_set_mark();
    int rc = derive_method(k, peer, peer_len, secret);
    if (rc != 0) {
        sk_buf_free(secret);
        ERR_pop_to_mark();
    } else {
        ERR_clear_last_mark();
    }
    return rc;
}

/* Strips K's leading zero bytes in place. */
static void strip_leading_zeros(uint8_t *p, size_t *len)
{
    size_t z = 0;
    while (z < *len && p[z] == 0)
        z++;
    memmove(p, p + z, *len - z);
    OPENSSL_cleanse(p + *len - z, z);
    *len -= z;
}

/* Failures of set_peer and derive are the peer's fault: libcrypto rejects
 * invalid points, out-of-range DH values and an all-zero X25519 output
 * there. */
static int derive_into(EVP_PKEY_CTX *ctx, EVP_PKEY *peer, sk_buf *secret)
{
    size_t len = 0;
    if (EVP_PKEY_derive_init(ctx) != 1)
        return SSHKIT_E_CRYPTO;
    if (EVP_PKEY_derive_set_peer_ex(ctx, peer, 1) != 1)
        return SSHKIT_E_BAD_PUBLIC_VALUE;
    if (EVP_PKEY_derive(ctx, NULL, &len) != 1 || len == 0)
        return SSHKIT_E_CRYPTO;
    uint8_t *dst = sk_buf_reserve(secret, len);
    if (dst == NULL)
        return sk_buf_error(secret);
    if (EVP_PKEY_derive(ctx, dst, &len) != 1)
        return SSHKIT_E_BAD_PUBLIC_VALUE;
    strip_leading_zeros(dst, &len);
    if (len == 0)
        return SSHKIT_E_BAD_PUBLIC_VALUE;   /* K = 0 */
    sk_buf_advance(secret, len);
    return 0;
}

int sk_kex_derive_pkey(sk_kex_dh *k, EVP_PKEY *peer, sk_buf *secret)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, k->key, NULL);
    if (ctx == NULL)
        return SSHKIT_E_NOMEM;
    int rc = derive_into(ctx, peer, secret);
    EVP_PKEY_CTX_free(ctx);
    return rc;
}

void sk_kex_dh_free(sk_kex_dh *k)
{
    if (k == NULL)
        return;
    EVP_PKEY_free(k->key);   /* libcrypto clears private key material */
    BN_free(k->p);
    BN_free(k->g);
    sk_buf_free(&k->pub);
    OPENSSL_cleanse(k, sizeof *k);
    free(k);
}
