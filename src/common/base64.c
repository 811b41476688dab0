/* Base64 over libcrypto's EVP_EncodeBlock / EVP_DecodeBlock; see base64.h. */
#include "common/base64.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sshkit/error.h>

char *sk_base64_encode(const uint8_t *data, size_t len)
{
    if (len > (size_t)INT32_MAX / 4 * 3 - 3)
        return NULL;
    char *out = malloc((len + 2) / 3 * 4 + 1);
    if (out)
        EVP_EncodeBlock((unsigned char *)out, data, (int)len);
    return out;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_alphabet(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '+' || c == '/';
}

/* Copies the significant characters of text, checks them, and pads them to
 * a multiple of four. Returns the padded length, or 0 on bad input. */
static size_t normalize(const char *text, size_t len, char *dst, size_t *pad)
{
    size_t n = 0;
    *pad = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (is_space(c))
            continue;
        if (c == '=') {
            (*pad)++;
        } else if (!is_alphabet(c) || *pad > 0) {
            return 0;   /* stray character, or data after padding */
        }
        dst[n++] = c;
    }
    if (*pad > 2)
        return 0;
    if (*pad == 0)
        while (n % 4) {
            dst[n++] = '=';
            (*pad)++;
        }
    if (n == 0 || n % 4 || *pad > 2)
        return 0;
    return n;
}

int sk_base64_decode(const char *text, size_t len, uint8_t **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (len > (size_t)INT32_MAX - 4)
        return SSHKIT_E_TOO_LARGE;
    char *clean = malloc(len + 4);
    uint8_t *bin = malloc(len / 4 * 3 + 3);
    if (clean == NULL || bin == NULL) {
        free(clean);
        free(bin);
        return SSHKIT_E_NOMEM;
    }
    size_t pad;
    size_t n = normalize(text, len, clean, &pad);
    int decoded = n ? EVP_DecodeBlock(bin, (unsigned char *)clean, (int)n) : -1;
    OPENSSL_cleanse(clean, len + 4);
    free(clean);
    if (decoded < 0 || (size_t)decoded < pad) {
        OPENSSL_cleanse(bin, len / 4 * 3 + 3);
        free(bin);
        return SSHKIT_E_BASE64;
    }
    *out = bin;
    *out_len = (size_t)decoded - pad;   /* EVP_DecodeBlock counts padding as zero bytes */
    return 0;
}
