/* Ephemeral key agreement for SSH key exchange, one API for every method:
 * X25519 (RFC 8731), ECDH on the NIST curves (RFC 5656), and finite-field
 * Diffie-Hellman on the RFC 3526 groups and on a group the server chose
 * (RFC 4419 group exchange).
 *
 *   sk_kex_dh *k;
 *   sk_kex_dh_new(&k, SK_KEX_X25519);
 *   sk_kex_dh_write_public(k, &msg);          // Q_C / e, in its wire form
 *   sk_kex_dh_derive(k, peer, peer_len, &K);  // K as a magnitude
 *   sk_kex_dh_free(k);
 *
 * Every peer value is checked before use; a bad one is
 * SSHKIT_E_BAD_PUBLIC_VALUE. */
#ifndef SSHKIT_CRYPTO_KEX_DH_H
#define SSHKIT_CRYPTO_KEX_DH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "wire/reader.h"
#include "wire/writer.h"

typedef enum {
    SK_KEX_X25519,
    SK_KEX_ECDH_P256,
    SK_KEX_ECDH_P384,
    SK_KEX_ECDH_P521,
    SK_KEX_DH_GROUP14,      /* RFC 3526 2048-bit MODP */
    SK_KEX_DH_GROUP16,      /* RFC 3526 4096-bit MODP */
    SK_KEX_DH_GROUP18,      /* RFC 3526 8192-bit MODP */
    SK_KEX_DH_GEX           /* server-chosen (p, g); see sk_kex_dh_new_gex */
} sk_kex_method;

typedef struct sk_kex_dh sk_kex_dh;

/* Bounds sshkit accepts for a group-exchange prime, whatever is asked. */
#define SK_KEX_GEX_MIN_BITS 1024
#define SK_KEX_GEX_MAX_BITS 8192

/* A fresh ephemeral keypair for any method but SK_KEX_DH_GEX.
 * 0, or SSHKIT_E_INVALID_ARGUMENT / SSHKIT_E_NOMEM / SSHKIT_E_CRYPTO. */
int sk_kex_dh_new(sk_kex_dh **out, sk_kex_method method);

/* A fresh keypair in the group (p, g) a server sent in
 * SSH_MSG_KEX_DH_GEX_GROUP; p and g are mpint magnitudes. The group is
 * checked first (sk_kex_gex_check_group). exponent_bits is the private
 * exponent size: twice the bits of security wanted (RFC 8270; OpenSSH uses
 * twice the largest key or hash size); 0 means 512. It is capped at
 * bits(p) - 1. */
int sk_kex_dh_new_gex(sk_kex_dh **out, const uint8_t *p, size_t p_len,
                      const uint8_t *g, size_t g_len,
                      unsigned min_bits, unsigned max_bits, unsigned exponent_bits);

/* Checks a group-exchange group (RFC 4419): min_bits <= bits(p) <= max_bits,
 * p odd, 2 <= g <= p - 2. Primality is not tested, as OpenSSH does not: it
 * costs seconds at 8192 bits, and the server choosing the group is the
 * party we exchange keys with anyway. SSHKIT_E_BAD_PUBLIC_VALUE for a bad group;
 * SSHKIT_E_INVALID_ARGUMENT when the bounds are not
 * SK_KEX_GEX_MIN_BITS <= min_bits <= max_bits <= SK_KEX_GEX_MAX_BITS. */
int sk_kex_gex_check_group(const uint8_t *p, size_t p_len, const uint8_t *g, size_t g_len,
                           unsigned min_bits, unsigned max_bits);

/* For tests: an X25519 keypair from a fixed 32-byte private key. */
int sk_kex_dh_new_x25519_private(sk_kex_dh **out, const uint8_t priv[32]);

sk_kex_method sk_kex_dh_method(const sk_kex_dh *k);

/* Our public value as raw bytes: X25519 the 32-byte u-coordinate, ECDH the
 * SEC1 uncompressed point (0x04 || x || y), DH the magnitude of e (or f). */
sk_bytes sk_kex_dh_public(const sk_kex_dh *k);

/* True when the public value goes on the wire as an mpint (DH), false when
 * as a string (X25519, ECDH). */
bool sk_kex_dh_public_is_mpint(const sk_kex_dh *k);

/* Appends our public value to b in its wire form (string or mpint). */
void sk_kex_dh_write_public(const sk_kex_dh *k, sk_buf *b);

/* Checks the peer's public value and derives the shared secret K into
 * secret, which must be empty; it is marked secret. peer is the string's
 * contents for X25519/ECDH and the mpint's magnitude for DH. K comes out as
 * a big-endian unsigned magnitude without leading zeros, ready for
 * sk_write_mpint / sk_hash_mpint / sk_kdf_derive (for X25519 the 32 output
 * bytes read as a big-endian integer, RFC 8731 section 3.1).
 * 0, SSHKIT_E_BAD_PUBLIC_VALUE, or SSHKIT_E_NOMEM / SSHKIT_E_CRYPTO.
 * On failure secret is left empty. */
int sk_kex_dh_derive(sk_kex_dh *k, const uint8_t *peer, size_t peer_len, sk_buf *secret);

/* Wipes and frees; NULL is a no-op. */
void sk_kex_dh_free(sk_kex_dh *k);

#endif
