/* Writing SSH wire types (RFC 4251 section 5) into a growing buffer.
 *
 * Like the reader, the writer's first failure is sticky (out of memory, or
 * over the buffer's cap): later writes do nothing, and the caller checks
 * once. A buffer marked secret is wiped whenever its memory is released,
 * including the old block on every growth. */
#ifndef SSHKIT_WIRE_WRITER_H
#define SSHKIT_WIRE_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint8_t *data;
    size_t len;
    size_t cap;
    size_t max;     /* hard cap on len; 0 means SK_BUF_DEFAULT_MAX */
    int error;      /* 0, or the first SSHKIT_E_* */
    bool secret;    /* wipe on free and on growth */
} sk_buf;

/* Default cap on one buffer: no SSH message or key file comes near it. */
#define SK_BUF_DEFAULT_MAX ((size_t)64 << 20)

void sk_buf_init(sk_buf *b);
void sk_buf_init_secret(sk_buf *b);
void sk_buf_free(sk_buf *b);          /* wipes if secret; leaves b empty and reusable */
void sk_buf_reset(sk_buf *b);         /* len = 0 (wiping if secret), keeps the memory */
int sk_buf_error(const sk_buf *b);

/* Makes room for n more bytes and returns where they go (len is not moved;
 * call sk_buf_advance after filling). NULL on failure (then error is set). */
uint8_t *sk_buf_reserve(sk_buf *b, size_t n);
void sk_buf_advance(sk_buf *b, size_t n);

/* Hands the bytes to the caller (who frees them with free(), or with
 * sshkit_free if secret) and leaves b empty. NULL if b failed. */
uint8_t *sk_buf_steal(sk_buf *b, size_t *len);

void sk_write_u8(sk_buf *b, uint8_t v);
void sk_write_bool(sk_buf *b, bool v);
void sk_write_u32(sk_buf *b, uint32_t v);
void sk_write_u64(sk_buf *b, uint64_t v);
void sk_write_raw(sk_buf *b, const void *p, size_t n);
void sk_write_string(sk_buf *b, const void *p, size_t n);
void sk_write_cstring(sk_buf *b, const char *s);
/* An unsigned mpint from a big-endian magnitude (leading zeros are
 * stripped, and a 0x00 is prepended when the top bit is set). */
void sk_write_mpint(sk_buf *b, const uint8_t *magnitude, size_t n);

/* Starts a string whose length is not known yet: returns the offset to pass
 * to sk_write_string_end once its contents are written. */
size_t sk_write_string_begin(sk_buf *b);
void sk_write_string_end(sk_buf *b, size_t start);

/* Big-endian helpers for code that works on raw packet bytes. */
static inline uint32_t sk_load_u32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void sk_store_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline uint64_t sk_load_u64(const uint8_t *p)
{
    return (uint64_t)sk_load_u32(p) << 32 | sk_load_u32(p + 4);
}

static inline void sk_store_u64(uint8_t *p, uint64_t v)
{
    sk_store_u32(p, (uint32_t)(v >> 32));
    sk_store_u32(p + 4, (uint32_t)v);
}

#endif
