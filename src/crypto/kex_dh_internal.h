/* What the per-method files of the key agreement share; see kex_dh.h. */
#ifndef SSHKIT_CRYPTO_KEX_DH_INTERNAL_H
#define SSHKIT_CRYPTO_KEX_DH_INTERNAL_H

#include <openssl/types.h>
#include "crypto/kex_dh.h"

struct sk_kex_dh {
    sk_kex_method method;
    EVP_PKEY *key;      /* our keypair */
    BIGNUM *p, *g;      /* finite-field DH only */
    sk_buf pub;         /* our public value, raw (see sk_kex_dh_public) */
};

/* Allocates a zeroed handle for method. */
sk_kex_dh *sk_kex_dh_alloc(sk_kex_method method);

/* Runs EVP_PKEY_derive of k->key against peer (checking peer, as libcrypto
 * does when asked to validate it) and appends K, leading zeros stripped, to
 * secret. */
int sk_kex_derive_pkey(sk_kex_dh *k, EVP_PKEY *peer, sk_buf *secret);

/* Per-method keygen and derive. */
int sk_kex_x25519_keygen(sk_kex_dh *k);
int sk_kex_x25519_derive(sk_kex_dh *k, const uint8_t *peer, size_t len, sk_buf *secret);
int sk_kex_ecdh_keygen(sk_kex_dh *k);
int sk_kex_ecdh_derive(sk_kex_dh *k, const uint8_t *peer, size_t len, sk_buf *secret);
int sk_kex_ffdh_keygen_named(sk_kex_dh *k);
int sk_kex_ffdh_keygen_group(sk_kex_dh *k, unsigned exponent_bits);
int sk_kex_ffdh_derive(sk_kex_dh *k, const uint8_t *peer, size_t len, sk_buf *secret);

#endif
