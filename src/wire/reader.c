/* Bounds-checked reading of SSH wire types; see reader.h. */
#include "wire/reader.h"
#include "wire/writer.h"

#include <string.h>
#include <sshkit/error.h>

void sk_reader_init(sk_reader *r, const void *data, size_t len)
{
    r->data = data;
    r->len = data ? len : 0;
    r->pos = 0;
    r->error = 0;
}

size_t sk_reader_remaining(const sk_reader *r)
{
    return r->error ? 0 : r->len - r->pos;
}

int sk_reader_error(const sk_reader *r)
{
    return r->error;
}

int sk_reader_finish(const sk_reader *r)
{
    if (r->error)
        return r->error;
    return r->pos == r->len ? 0 : SSHKIT_E_FORMAT;
}

int sk_reader_fail(sk_reader *r, int code)
{
    if (r->error == 0)
        r->error = code;
    return r->error;
}

/* Takes n bytes, or fails the reader. */
static const uint8_t *take(sk_reader *r, size_t n)
{
    if (r->error)
        return NULL;
    if (n > r->len - r->pos) {
        r->error = SSHKIT_E_TRUNCATED;
        return NULL;
    }
    const uint8_t *p = r->data + r->pos;
    r->pos += n;
    return p;
}

int sk_read_u8(sk_reader *r, uint8_t *out)
{
    const uint8_t *p = take(r, 1);
    *out = p ? p[0] : 0;
    return r->error;
}

int sk_read_bool(sk_reader *r, bool *out)
{
    uint8_t v;
    sk_read_u8(r, &v);
    *out = v != 0;
    return r->error;
}

int sk_read_u32(sk_reader *r, uint32_t *out)
{
    const uint8_t *p = take(r, 4);
    *out = p ? sk_load_u32(p) : 0;
    return r->error;
}

int sk_read_u64(sk_reader *r, uint64_t *out)
{
    const uint8_t *p = take(r, 8);
    *out = p ? sk_load_u64(p) : 0;
    return r->error;
}

int sk_read_raw(sk_reader *r, size_t n, sk_bytes *out)
{
    out->ptr = take(r, n);
    out->len = out->ptr ? n : 0;
    return r->error;
}

int sk_read_string(sk_reader *r, sk_bytes *out)
{
    uint32_t n;
    size_t start = r->pos;
    if (sk_read_u32(r, &n) == 0 && n > r->len - r->pos) {
        r->pos = start;
        r->error = SSHKIT_E_TRUNCATED;
    }
    return sk_read_raw(r, n, out);
}

int sk_read_cstring(sk_reader *r, char *buf, size_t cap)
{
    sk_bytes s;
    if (cap > 0)
        buf[0] = '\0';
    if (sk_read_string(r, &s))
        return r->error;
    if (memchr(s.ptr, '\0', s.len))
        return sk_reader_fail(r, SSHKIT_E_FORMAT);
    if (s.len >= cap)
        return sk_reader_fail(r, SSHKIT_E_TOO_LARGE);
    memcpy(buf, s.ptr, s.len);
    buf[s.len] = '\0';
    return 0;
}

int sk_read_mpint(sk_reader *r, sk_bytes *magnitude, bool allow_negative, bool *negative)
{
    sk_bytes s;
    *negative = false;
    magnitude->ptr = NULL;
    magnitude->len = 0;
    if (sk_read_string(r, &s))
        return r->error;
    if (s.len == 0)
        return 0;                               /* zero */
    bool neg = s.ptr[0] & 0x80;
    /* Minimal two's complement: a lead 0x00 only before a set top bit, a
     * lead 0xff only before a clear one (RFC 4251 section 5). */
    if (s.len > 1 && ((s.ptr[0] == 0x00 && !(s.ptr[1] & 0x80)) ||
                      (s.ptr[0] == 0xff && (s.ptr[1] & 0x80))))
        return sk_reader_fail(r, SSHKIT_E_FORMAT);
    if (s.len == 1 && s.ptr[0] == 0x00)
        return sk_reader_fail(r, SSHKIT_E_FORMAT);   /* zero is the empty string */
    if (neg && !allow_negative)
        return sk_reader_fail(r, SSHKIT_E_FORMAT);
    if (s.ptr[0] == 0x00) {
        s.ptr++;
        s.len--;
    }
    *negative = neg;
    *magnitude = s;     /* for negatives: the two's complement bytes */
    return 0;
}

int sk_read_mpint_unsigned(sk_reader *r, sk_bytes *magnitude)
{
    bool negative;
    return sk_read_mpint(r, magnitude, false, &negative);
}

static bool valid_name_char(uint8_t c)
{
    return c > 0x20 && c < 0x7f && c != ',';
}

int sk_read_namelist(sk_reader *r, sk_bytes *out)
{
    if (sk_read_string(r, out))
        return r->error;
    bool need_name = true;          /* at the start, or after a comma */
    for (size_t i = 0; i < out->len; i++) {
        uint8_t c = out->ptr[i];
        if (c == ',') {
            if (need_name)
                break;
            need_name = true;
        } else if (valid_name_char(c)) {
            need_name = false;
        } else {
            need_name = true;
            break;
        }
    }
    if (out->len > 0 && need_name) {
        out->ptr = NULL;
        out->len = 0;
        return sk_reader_fail(r, SSHKIT_E_FORMAT);
    }
    return 0;
}

bool sk_namelist_next(sk_bytes list, size_t *cursor, sk_bytes *name)
{
    if (*cursor >= list.len)
        return false;
    const uint8_t *start = list.ptr + *cursor;
    const uint8_t *comma = memchr(start, ',', list.len - *cursor);
    size_t n = comma ? (size_t)(comma - start) : list.len - *cursor;
    name->ptr = start;
    name->len = n;
    *cursor += n + 1;
    return true;
}

bool sk_bytes_eq(sk_bytes b, const char *s)
{
    size_t n = strlen(s);
    return b.len == n && (n == 0 || memcmp(b.ptr, s, n) == 0);
}

bool sk_namelist_contains(sk_bytes list, const char *name)
{
    size_t cursor = 0;
    sk_bytes item;
    while (sk_namelist_next(list, &cursor, &item))
        if (sk_bytes_eq(item, name))
            return true;
    return false;
}
