/* Base64 (RFC 4648 section 4) for key files and fingerprints, over
 * libcrypto's codec. */
#ifndef SSHKIT_COMMON_BASE64_H
#define SSHKIT_COMMON_BASE64_H

#include <stddef.h>
#include <stdint.h>

/* Encodes with padding into a new NUL-terminated string (free() it);
 * NULL when out of memory. */
char *sk_base64_encode(const uint8_t *data, size_t len);

/* Decodes, skipping ASCII whitespace; padding may be left out. The result
 * is a new buffer (free() it; wipe first if it held a secret).
 * SSHKIT_E_BASE64 for a character outside the alphabet, misplaced padding
 * or an impossible length; SSHKIT_E_NOMEM. */
int sk_base64_decode(const char *text, size_t len, uint8_t **out, size_t *out_len);

#endif
