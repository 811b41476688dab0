/* Growing buffer and SSH wire type encoder; see writer.h. */
#include "wire/writer.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <sshkit/error.h>

void sk_buf_init(sk_buf *b)
{
    memset(b, 0, sizeof *b);
}

void sk_buf_init_secret(sk_buf *b)
{
    sk_buf_init(b);
    b->secret = true;
}

void sk_buf_free(sk_buf *b)
{
    bool secret = b->secret;
    size_t max = b->max;
    if (b->data && secret)
        OPENSSL_cleanse(b->data, b->cap);
    free(b->data);
    sk_buf_init(b);
    b->secret = secret;
    b->max = max;
}

void sk_buf_reset(sk_buf *b)
{
    if (b->data && b->secret)
        OPENSSL_cleanse(b->data, b->len);
    b->len = 0;
    b->error = 0;
}

int sk_buf_error(const sk_buf *b)
{
    return b->error;
}

/* Grows to hold at least need bytes. A secret buffer never leaves its old
 * contents behind in freed memory, so it does not use realloc. */
static int grow(sk_buf *b, size_t need, size_t max)
{
    size_t cap = b->cap ? b->cap : (max < 256 ? max : 256);
    while (cap < need)
        cap = cap > max / 2 ? max : cap * 2;
    uint8_t *p;
    if (b->secret) {
        p = malloc(cap);
        if (p && b->data) {
            memcpy(p, b->data, b->len);
            OPENSSL_cleanse(b->data, b->cap);
            free(b->data);
        }
    } else {
        p = realloc(b->data, cap);
    }
    if (p == NULL)
        return b->error = SSHKIT_E_NOMEM;
    b->data = p;
    b->cap = cap;
    return 0;
}

uint8_t *sk_buf_reserve(sk_buf *b, size_t n)
{
    if (b->error)
        return NULL;
    size_t max = b->max ? b->max : SK_BUF_DEFAULT_MAX;
    if (n > max - b->len) {
        b->error = SSHKIT_E_TOO_LARGE;
        return NULL;
    }
    if (b->len + n > b->cap && grow(b, b->len + n, max))
        return NULL;
    return b->data + b->len;
}

void sk_buf_advance(sk_buf *b, size_t n)
{
    if (b->error == 0)
        b->len += n;
}

uint8_t *sk_buf_steal(sk_buf *b, size_t *len)
{
    if (b->error) {
        sk_buf_free(b);
        return NULL;
    }
    /* Hand out a valid pointer even for an empty buffer. */
    if (b->data == NULL && sk_buf_reserve(b, 1) == NULL)
        return NULL;
    uint8_t *p = b->data;
    *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void sk_write_raw(sk_buf *b, const void *p, size_t n)
{
    uint8_t *dst = sk_buf_reserve(b, n);
    if (dst == NULL)
        return;
    if (n)
        memcpy(dst, p, n);
    b->len += n;
}

void sk_write_u8(sk_buf *b, uint8_t v)
{
    sk_write_raw(b, &v, 1);
}

void sk_write_bool(sk_buf *b, bool v)
{
    sk_write_u8(b, v ? 1 : 0);
}

void sk_write_u32(sk_buf *b, uint32_t v)
{
    uint8_t tmp[4];
    sk_store_u32(tmp, v);
    sk_write_raw(b, tmp, 4);
}

void sk_write_u64(sk_buf *b, uint64_t v)
{
    uint8_t tmp[8];
    sk_store_u64(tmp, v);
    sk_write_raw(b, tmp, 8);
}

void sk_write_string(sk_buf *b, const void *p, size_t n)
{
    if (n > UINT32_MAX) {
        if (b->error == 0)
            b->error = SSHKIT_E_TOO_LARGE;
        return;
    }
    sk_write_u32(b, (uint32_t)n);
    sk_write_raw(b, p, n);
}

void sk_write_cstring(sk_buf *b, const char *s)
{
    sk_write_string(b, s, strlen(s));
}

void sk_write_mpint(sk_buf *b, const uint8_t *magnitude, size_t n)
{
    while (n > 0 && magnitude[0] == 0) {
        magnitude++;
        n--;
    }
    bool pad = n > 0 && (magnitude[0] & 0x80);
    if (n > UINT32_MAX - 1) {
        if (b->error == 0)
            b->error = SSHKIT_E_TOO_LARGE;
        return;
    }
    sk_write_u32(b, (uint32_t)(n + pad));
    if (pad)
        sk_write_u8(b, 0);
    sk_write_raw(b, magnitude, n);
}

size_t sk_write_string_begin(sk_buf *b)
{
    sk_write_u32(b, 0);
    return b->len;
}

void sk_write_string_end(sk_buf *b, size_t start)
{
    if (b->error || start < 4 || start > b->len)
        return;
    size_t n = b->len - start;
    if (n > UINT32_MAX) {
        b->error = SSHKIT_E_TOO_LARGE;
        return;
    }
    sk_store_u32(b->data + start - 4, (uint32_t)n);
}
