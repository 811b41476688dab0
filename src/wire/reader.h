/* Reading SSH wire types (RFC 4251 section 5) from a byte range.
 *
 * Every read checks bounds first. The first failure is sticky: it is kept in
 * the reader and every later read fails with it, so a parser may read a whole
 * message and check once at the end. Strings are returned as pointers into
 * the input (no copy); they live as long as the input does. */
#ifndef SSHKIT_WIRE_READER_H
#define SSHKIT_WIRE_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const uint8_t *data;
    size_t len;
    size_t pos;
    int error;      /* 0, or the first SSHKIT_E_* a read met */
} sk_reader;

/* A string read from the wire: a view into the reader's input. */
typedef struct {
    const uint8_t *ptr;
    size_t len;
} sk_bytes;

void sk_reader_init(sk_reader *r, const void *data, size_t len);

/* Bytes not yet read (0 once the reader has failed). */
size_t sk_reader_remaining(const sk_reader *r);

/* The sticky error, or 0. */
int sk_reader_error(const sk_reader *r);

/* 0 when every byte was read and nothing failed; SSHKIT_E_FORMAT when bytes
 * are left over; otherwise the sticky error. */
int sk_reader_finish(const sk_reader *r);

/* Marks the reader failed with code (kept only if it is the first failure);
 * returns the sticky error. For parsers that find a value they reject. */
int sk_reader_fail(sk_reader *r, int code);

/* Each returns 0 or the sticky error; the output is zeroed on failure. */
int sk_read_u8(sk_reader *r, uint8_t *out);
int sk_read_bool(sk_reader *r, bool *out);       /* any non-zero byte is true (RFC 4251) */
int sk_read_u32(sk_reader *r, uint32_t *out);
int sk_read_u64(sk_reader *r, uint64_t *out);
int sk_read_raw(sk_reader *r, size_t n, sk_bytes *out);  /* n bytes, no length prefix */
int sk_read_string(sk_reader *r, sk_bytes *out);

/* A string that must not contain NUL, copied out as a C string into
 * buf of size cap (SSHKIT_E_TOO_LARGE when it does not fit). */
int sk_read_cstring(sk_reader *r, char *buf, size_t cap);

/* An mpint as its sign and big-endian magnitude (no leading zero bytes).
 * Rejects non-minimal encodings (a needless 0x00 or 0xff lead byte).
 * Negative values are refused unless allow_negative. */
int sk_read_mpint(sk_reader *r, sk_bytes *magnitude, bool allow_negative, bool *negative);

/* An unsigned mpint's magnitude; a negative value is SSHKIT_E_FORMAT. */
int sk_read_mpint_unsigned(sk_reader *r, sk_bytes *magnitude);

/* A name-list: printable US-ASCII names (no comma, no control or
 * non-ASCII byte, none empty), separated by commas. The empty list is valid. */
int sk_read_namelist(sk_reader *r, sk_bytes *out);

/* True when the name-list (as read above) contains name exactly. */
bool sk_namelist_contains(sk_bytes list, const char *name);

/* Iterates over a name-list: sets *name to the next name and returns true,
 * or returns false at the end. *cursor starts at 0. */
bool sk_namelist_next(sk_bytes list, size_t *cursor, sk_bytes *name);

/* Compares a wire string with a C string. */
bool sk_bytes_eq(sk_bytes b, const char *s);

#endif
