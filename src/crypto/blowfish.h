/* The parts of Blowfish that bcrypt_pbkdf needs: the block function and the
 * "eksblowfish" salted key schedule (Provos and Mazieres, "A Future-Adaptable
 * Password Scheme", 1999). libcrypto offers only Blowfish's standard key
 * schedule, so this core is sshkit's own. Not a general-purpose cipher. */
#ifndef SSHKIT_CRYPTO_BLOWFISH_H
#define SSHKIT_CRYPTO_BLOWFISH_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t p[18];
    uint32_t s[4][256];
} sk_blowfish;

/* The state before any key: the hex digits of pi (blowfish_pi.c). */
extern const sk_blowfish sk_blowfish_initial;

/* Enciphers one 64-bit block held as two big-endian halves. */
void sk_blowfish_encipher(const sk_blowfish *bf, uint32_t *l, uint32_t *r);

/* The salted expansion: XORs the key (cyclically) into P, then rewrites P
 * and the S-boxes by enciphering a running block XORed with successive
 * 64-bit words of the salt (cyclically). key_len and salt_len > 0. */
void sk_blowfish_expand_salted(sk_blowfish *bf, const uint8_t *salt, size_t salt_len,
                               const uint8_t *key, size_t key_len);

/* The same without a salt: Blowfish's standard key schedule applied to the
 * current state. key_len > 0. */
void sk_blowfish_expand(sk_blowfish *bf, const uint8_t *key, size_t key_len);

/* The next big-endian 32-bit word of data, read cyclically from *pos. */
uint32_t sk_blowfish_stream_word(const uint8_t *data, size_t len, size_t *pos);

#endif
