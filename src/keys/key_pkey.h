/* Building libcrypto keys from SSH's key components, and reading the
 * components back out. Every BIGNUM-valued component travels as big-endian
 * unsigned bytes (sk_bytes), as SSH's mpints carry them. */
#ifndef SSHKIT_KEY_PKEY_H
#define SSHKIT_KEY_PKEY_H

#include <openssl/bn.h>
#include <openssl/evp.h>

#include "wire/reader.h"
#include "wire/writer.h"

/* Ed25519 from a 32-byte public key and, for a key pair, the 32-byte seed
 * (else NULL). */
int sk_pkey_ed25519(const uint8_t pub[32], const uint8_t *seed, EVP_PKEY **out);

/* ECDSA from its group ("P-256"...), the SEC1 point, and for a pair the
 * private scalar (priv.ptr NULL for a public key). The point is checked to
 * be on the curve; a pair is checked to match. */
int sk_pkey_ec(const char *group, sk_bytes point, sk_bytes priv, EVP_PKEY **out);

/* RSA components; d, p, q, iqmp all NULL-ptr for a public key. The CRT
 * exponents are derived from d, p and q. */
struct sk_rsa_parts {
    sk_bytes n, e, d, p, q, iqmp;
};
int sk_pkey_rsa(const struct sk_rsa_parts *parts, EVP_PKEY **out);

/* Writes a BIGNUM parameter of pkey (OSSL_PKEY_PARAM_RSA_N...) as an mpint. */
int sk_pkey_write_bn(sk_buf *b, const EVP_PKEY *pkey, const char *param);

/* Writes an octet-string parameter (an EC point, a raw key) as a string. */
int sk_pkey_write_octets(sk_buf *b, const EVP_PKEY *pkey, const char *param);

#endif
