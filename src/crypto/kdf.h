/* The SSH key derivation (RFC 4253 section 7.2):
 *   K1 = HASH(K || H || letter || session_id)
 *   Kn = HASH(K || H || K1 || ... || Kn-1)
 * with K hashed as an mpint. Runs on libcrypto's "SSHKDF". */
#ifndef SSHKIT_CRYPTO_KDF_H
#define SSHKIT_CRYPTO_KDF_H

#include <stddef.h>
#include <stdint.h>
#include "crypto/hash.h"

/* Derives out_len bytes for letter 'A'..'F' (IVs, encryption keys, MAC
 * keys; client to server first). k is the shared secret as a big-endian
 * unsigned magnitude (as sk_kex_dh_derive gives it); h is the exchange hash
 * of this kex and session_id the exchange hash of the first one.
 * 0, or SSHKIT_E_INVALID_ARGUMENT / SSHKIT_E_NOMEM / SSHKIT_E_CRYPTO. */
int sk_kdf_derive(sk_hash_alg alg,
                  const uint8_t *k, size_t k_len,
                  const uint8_t *h, size_t h_len,
                  const uint8_t *session_id, size_t session_id_len,
                  char letter, uint8_t *out, size_t out_len);

#endif
