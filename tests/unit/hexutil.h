/* Hex decoding for test vectors. Test-only; aborts on a malformed vector. */
#ifndef SSHKIT_TEST_HEXUTIL_H
#define SSHKIT_TEST_HEXUTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static inline int hexutil_nibble(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    abort();
}

/* Decodes hex into a malloc'd buffer (at least 1 byte), sets *len. */
static inline uint8_t *hex_decode(const char *hex, size_t *len)
{
    size_t n = strlen(hex);
    if (n % 2)
        abort();
    uint8_t *out = malloc(n / 2 + 1);
    if (out == NULL)
        abort();
    for (size_t i = 0; i < n / 2; i++)
        out[i] = (uint8_t)(hexutil_nibble(hex[2 * i]) << 4 | hexutil_nibble(hex[2 * i + 1]));
    *len = n / 2;
    return out;
}

#endif
