/* Fuzzes the wire reader (src/wire/reader.c).
 *
 * Input: [n][n op bytes][wire data]. Each op byte picks one read (low 4 bits)
 * and, for some reads, a parameter (high 4 bits). The reads run in turn over
 * the wire data, which sits in a block of exactly its size so ASan sees any
 * read past its end.
 *
 * Checked beyond "does not crash":
 *  - the reader's contract: a failed read returns the sticky error, zeroes
 *    its output and leaves nothing remaining; a good read consumes exactly
 *    its encoding;
 *  - name-lists and mpints are accepted exactly when an independent check
 *    here says they are valid, and what is accepted re-encodes to the very
 *    bytes it was read from (mpints through sk_write_mpint when unsigned);
 *  - iteration over a name-list gives back each name, and contains() finds
 *    each of them. */
#include <stdbool.h>
#include <string.h>
#include <sshkit/error.h>

#include "fuzz.h"
#include "wire/reader.h"
#include "wire/writer.h"

enum {
    OP_U8, OP_BOOL, OP_U32, OP_U64, OP_RAW, OP_STRING, OP_CSTRING,
    OP_MPINT, OP_MPINT_SIGNED, OP_MPINT_UNSIGNED, OP_NAMELIST, OP_FINISH, OP_FAIL,
    OP_COUNT
};

/* The string that the next read would see, without touching r. */
static bool peek_string(const sk_reader *r, sk_bytes *s)
{
    sk_reader copy = *r;
    return sk_read_string(&copy, s) == 0;
}

/* Bytes consumed by a read that started at pos. */
static sk_bytes consumed(const sk_reader *r, size_t pos)
{
    sk_bytes b = { r->data + pos, r->pos - pos };
    return b;
}

/* Whether b holds exactly the encoding of a string with contents s. */
static bool encodes_string(sk_bytes b, const uint8_t *s, size_t n)
{
    return b.len == 4 + n && sk_load_u32(b.ptr) == n && (n == 0 || memcmp(b.ptr + 4, s, n) == 0);
}

/* RFC 4251 section 5, said another way than reader.c says it: names of
 * printable non-comma ASCII, joined by single commas; none empty. */
static bool namelist_valid(sk_bytes s)
{
    size_t name_len = 0;
    for (size_t i = 0; i < s.len; i++) {
        uint8_t c = s.ptr[i];
        if (c == ',') {
            if (name_len == 0)
                return false;
            name_len = 0;
        } else if (c >= 0x21 && c <= 0x7e) {
            name_len++;
        } else {
            return false;
        }
    }
    return s.len == 0 || name_len > 0;
}

/* Minimal two's complement: zero is the empty string, and the first byte is
 * needed (it is not a pure sign extension of the second). */
static bool mpint_minimal(sk_bytes s)
{
    if (s.len == 0)
        return true;
    if (s.len == 1)
        return s.ptr[0] != 0x00;
    if (s.ptr[0] == 0x00)
        return (s.ptr[1] & 0x80) != 0;
    if (s.ptr[0] == 0xff)
        return (s.ptr[1] & 0x80) == 0;
    return true;
}

static void check_namelist(sk_bytes list, sk_bytes raw)
{
    /* Rebuild the list from its names, checking each on the way. */
    uint8_t *joined = malloc(list.len ? list.len : 1);
    FUZZ_ASSERT(joined != NULL);
    size_t cursor = 0, n = 0, names = 0;
    sk_bytes name;
    while (sk_namelist_next(list, &cursor, &name)) {
        FUZZ_ASSERT(name.len > 0 && name.ptr >= list.ptr &&
                    name.ptr + name.len <= list.ptr + list.len);
        FUZZ_ASSERT(memchr(name.ptr, ',', name.len) == NULL);
        if (names++ > 0)
            joined[n++] = ',';
        FUZZ_ASSERT(n + name.len <= list.len);
        memcpy(joined + n, name.ptr, name.len);
        n += name.len;

        char cname[256];
        if (name.len < sizeof cname) {
            memcpy(cname, name.ptr, name.len);
            cname[name.len] = '\0';
            FUZZ_ASSERT(sk_namelist_contains(list, cname));
            FUZZ_ASSERT(sk_bytes_eq(name, cname));
            cname[name.len - 1] = '\0';     /* a proper prefix is not a name */
            FUZZ_ASSERT(!sk_bytes_eq(name, cname));
        }
    }
    FUZZ_ASSERT(n == list.len && (n == 0 || memcmp(joined, list.ptr, n) == 0));
    FUZZ_ASSERT(!sk_namelist_contains(list, ""));

    sk_buf b;
    sk_buf_init(&b);
    sk_write_string(&b, joined, n);
    FUZZ_ASSERT(sk_buf_error(&b) == 0 && b.len == raw.len && memcmp(b.data, raw.ptr, raw.len) == 0);
    sk_buf_free(&b);
    free(joined);
}

static void check_mpint(sk_bytes mag, bool negative, sk_bytes contents, sk_bytes raw)
{
    if (negative) {
        /* The two's complement bytes, as sent. */
        FUZZ_ASSERT(mag.ptr == contents.ptr && mag.len == contents.len && (mag.ptr[0] & 0x80));
        return;
    }
    FUZZ_ASSERT(mag.len == 0 || mag.ptr[0] != 0);
    sk_buf b;
    sk_buf_init(&b);
    sk_write_mpint(&b, mag.ptr, mag.len);
    FUZZ_ASSERT(sk_buf_error(&b) == 0 && b.len == raw.len && memcmp(b.data, raw.ptr, raw.len) == 0);
    sk_buf_free(&b);
}

/* One read. Returns its result code. */
static int run_op(sk_reader *r, uint8_t op, uint8_t param)
{
    size_t pos = r->pos;
    int was = sk_reader_error(r);
    sk_bytes peek = { NULL, 0 };
    bool have_string = peek_string(r, &peek);
    int rc = 0;

    switch (op) {
    case OP_U8: {
        uint8_t v = 0xaa;
        rc = sk_read_u8(r, &v);
        FUZZ_ASSERT(rc != 0 ? v == 0 : (r->pos == pos + 1 && v == r->data[pos]));
        break;
    }
    case OP_BOOL: {
        bool v = true;
        rc = sk_read_bool(r, &v);
        FUZZ_ASSERT(rc != 0 ? !v : (r->pos == pos + 1 && v == (r->data[pos] != 0)));
        break;
    }
    case OP_U32: {
        uint32_t v = 0xaaaaaaaa;
        rc = sk_read_u32(r, &v);
        FUZZ_ASSERT(rc != 0 ? v == 0 : (r->pos == pos + 4 && v == sk_load_u32(r->data + pos)));
        break;
    }
    case OP_U64: {
        uint64_t v = 0xaaaaaaaa;
        rc = sk_read_u64(r, &v);
        FUZZ_ASSERT(rc != 0 ? v == 0 : (r->pos == pos + 8 && v == sk_load_u64(r->data + pos)));
        break;
    }
    case OP_RAW: {
        sk_bytes v;
        rc = sk_read_raw(r, param, &v);
        FUZZ_ASSERT(rc != 0 ? (v.ptr == NULL && v.len == 0)
                            : (r->pos == pos + param && v.ptr == r->data + pos && v.len == param));
        break;
    }
    case OP_STRING: {
        sk_bytes v;
        rc = sk_read_string(r, &v);
        FUZZ_ASSERT(rc != 0 ? (v.ptr == NULL && v.len == 0)
                            : encodes_string(consumed(r, pos), v.ptr, v.len));
        FUZZ_ASSERT((rc == 0) == have_string);
        break;
    }
    case OP_CSTRING: {
        /* param picks the buffer's size, 0 to 15, so too small happens. */
        char *buf = malloc(param ? param : 1);
        FUZZ_ASSERT(buf != NULL);
        rc = sk_read_cstring(r, buf, param);
        if (rc == 0) {
            FUZZ_ASSERT(have_string && peek.len < param && strlen(buf) == peek.len);
            FUZZ_ASSERT(memcmp(buf, peek.ptr, peek.len) == 0);
        } else if (param > 0) {
            FUZZ_ASSERT(buf[0] == '\0');
        }
        free(buf);
        break;
    }
    case OP_MPINT:
    case OP_MPINT_SIGNED:
    case OP_MPINT_UNSIGNED: {
        sk_bytes mag;
        bool negative = true;
        bool allow = op == OP_MPINT_SIGNED || (op == OP_MPINT && (param & 1));
        if (op == OP_MPINT_UNSIGNED) {
            rc = sk_read_mpint_unsigned(r, &mag);
            negative = false;
        } else {
            rc = sk_read_mpint(r, &mag, allow, &negative);
        }
        bool want = have_string && mpint_minimal(peek) &&
                    (allow || peek.len == 0 || !(peek.ptr[0] & 0x80));
        FUZZ_ASSERT((rc == 0) == (want && was == 0));
        if (rc == 0)
            check_mpint(mag, negative, peek, consumed(r, pos));
        else
            FUZZ_ASSERT(mag.ptr == NULL && mag.len == 0 && !negative);
        break;
    }
    case OP_NAMELIST: {
        sk_bytes list;
        rc = sk_read_namelist(r, &list);
        FUZZ_ASSERT((rc == 0) == (have_string && namelist_valid(peek) && was == 0));
        if (rc == 0)
            check_namelist(list, consumed(r, pos));
        else
            FUZZ_ASSERT(list.ptr == NULL && list.len == 0);
        break;
    }
    case OP_FINISH:
        rc = sk_reader_finish(r);
        FUZZ_ASSERT(was ? rc == was : (rc == 0) == (r->pos == r->len));
        FUZZ_ASSERT(r->pos == pos);
        return 0;      /* not a read: says nothing about the reader's state */
    case OP_FAIL:
        rc = sk_reader_fail(r, SSHKIT_E_PROTOCOL);
        FUZZ_ASSERT(rc == (was ? was : SSHKIT_E_PROTOCOL));
        break;
    }

    /* Sticky errors: once failed, always failed with the first code. */
    if (was)
        FUZZ_ASSERT(rc == was);
    FUZZ_ASSERT(rc == sk_reader_error(r));
    if (rc)
        FUZZ_ASSERT(sk_reader_remaining(r) == 0);
    else
        FUZZ_ASSERT(r->pos <= r->len && sk_reader_remaining(r) == r->len - r->pos);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = { data, size };
    size_t nops = 0, wire_len = 0;
    uint8_t *ops = fuzz_take(&in, fuzz_byte(&in), &nops);
    uint8_t *wire = fuzz_take(&in, in.len, &wire_len);
    if (ops == NULL || wire == NULL) {
        free(ops);
        free(wire);
        return 0;
    }

    sk_reader r;
    sk_reader_init(&r, wire, wire_len);
    for (size_t i = 0; i < nops; i++) {
        uint8_t op = ops[i] & 0x0f;
        if (op < OP_COUNT)
            run_op(&r, op, ops[i] >> 4);
    }
    free(ops);
    free(wire);
    return 0;
}
