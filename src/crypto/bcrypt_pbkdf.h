/* bcrypt_pbkdf: the key derivation of OpenSSH's encrypted private keys
 * (PROTOCOL.key, "bcrypt" kdf), as OpenBSD defines it: PBKDF2-like, with
 * the pseudo-random function replaced by an eksblowfish-based hash of
 * SHA-512 digests, and output bytes spread across the blocks. */
#ifndef SSHKIT_CRYPTO_BCRYPT_PBKDF_H
#define SSHKIT_CRYPTO_BCRYPT_PBKDF_H

#include <stddef.h>
#include <stdint.h>

/* Largest output: 32 blocks of 32 bytes, as OpenBSD allows. */
#define SK_BCRYPT_PBKDF_MAX_OUT 1024
/* Largest salt sshkit accepts (OpenBSD: 1 MiB; key files use 16 bytes). */
#define SK_BCRYPT_PBKDF_MAX_SALT 1024

/* Derives out_len bytes. pass_len, salt_len, out_len and rounds must be at
 * least 1 (OpenBSD refuses an empty passphrase too) and within the limits.
 * Returns 0, SSHKIT_E_INVALID_ARGUMENT or SSHKIT_E_CRYPTO. */
int sk_bcrypt_pbkdf(const uint8_t *pass, size_t pass_len, const uint8_t *salt, size_t salt_len,
                    unsigned rounds, uint8_t *out, size_t out_len);

#endif
