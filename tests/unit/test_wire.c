/* Unit tests for the wire codec: RFC 4251 section 5 examples and hostile input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sshkit/error.h>
#include "wire/reader.h"
#include "wire/writer.h"

/* RFC 4251 section 5, the mpint examples. */
struct mpint_example {
    const uint8_t *magnitude;
    size_t magnitude_len;
    const uint8_t *wire;
    size_t wire_len;
};

static const uint8_t mag_1[] = { 0x09, 0xa3, 0x78, 0xf9, 0xb2, 0xe3, 0x32, 0xa7 };
static const uint8_t wire_1[] = { 0, 0, 0, 8, 0x09, 0xa3, 0x78, 0xf9, 0xb2, 0xe3, 0x32, 0xa7 };
static const uint8_t mag_80[] = { 0x80 };
static const uint8_t wire_80[] = { 0, 0, 0, 2, 0x00, 0x80 };
static const uint8_t wire_0[] = { 0, 0, 0, 0 };

static void test_mpint_rfc4251_examples(void **state)
{
    (void)state;
    const struct mpint_example ex[] = {
        { NULL, 0, wire_0, sizeof wire_0 },
        { mag_1, sizeof mag_1, wire_1, sizeof wire_1 },
        { mag_80, sizeof mag_80, wire_80, sizeof wire_80 },
    };
    for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
        sk_buf b;
        sk_buf_init(&b);
        sk_write_mpint(&b, ex[i].magnitude, ex[i].magnitude_len);
        assert_int_equal(sk_buf_error(&b), 0);
        assert_int_equal(b.len, ex[i].wire_len);
        assert_memory_equal(b.data, ex[i].wire, ex[i].wire_len);
        sk_buf_free(&b);

        sk_reader r;
        sk_bytes m;
        sk_reader_init(&r, ex[i].wire, ex[i].wire_len);
        assert_int_equal(sk_read_mpint_unsigned(&r, &m), 0);
        assert_int_equal(m.len, ex[i].magnitude_len);
        if (m.len)
            assert_memory_equal(m.ptr, ex[i].magnitude, m.len);
        assert_int_equal(sk_reader_finish(&r), 0);
    }
}

static void test_mpint_negative_rfc4251(void **state)
{
    (void)state;
    /* -1234 is ed 2e; -deadbeef is ff 21 52 41 11 */
    const uint8_t neg1234[] = { 0, 0, 0, 2, 0xed, 0xcc };
    const uint8_t negdeadbeef[] = { 0, 0, 0, 5, 0xff, 0x21, 0x52, 0x41, 0x11 };
    sk_reader r;
    sk_bytes m;
    bool negative;
    sk_reader_init(&r, neg1234, sizeof neg1234);
    assert_int_equal(sk_read_mpint(&r, &m, true, &negative), 0);
    assert_true(negative);
    sk_reader_init(&r, negdeadbeef, sizeof negdeadbeef);
    assert_int_equal(sk_read_mpint(&r, &m, true, &negative), 0);
    assert_true(negative);
    /* Unsigned readers refuse them. */
    sk_reader_init(&r, neg1234, sizeof neg1234);
    assert_int_equal(sk_read_mpint_unsigned(&r, &m), SSHKIT_E_FORMAT);
}

static void test_mpint_leading_zero_stripped_on_write(void **state)
{
    (void)state;
    const uint8_t padded[] = { 0, 0, 0x7f, 0x01 };
    const uint8_t want[] = { 0, 0, 0, 2, 0x7f, 0x01 };
    sk_buf b;
    sk_buf_init(&b);
    sk_write_mpint(&b, padded, sizeof padded);
    assert_int_equal(b.len, sizeof want);
    assert_memory_equal(b.data, want, sizeof want);
    sk_buf_free(&b);
}

static void test_mpint_non_minimal_rejected(void **state)
{
    (void)state;
    const uint8_t extra_zero[] = { 0, 0, 0, 2, 0x00, 0x7f };
    const uint8_t extra_ff[] = { 0, 0, 0, 2, 0xff, 0x80 };
    const uint8_t zero_byte[] = { 0, 0, 0, 1, 0x00 };
    const uint8_t *cases[] = { extra_zero, extra_ff, zero_byte };
    const size_t lens[] = { sizeof extra_zero, sizeof extra_ff, sizeof zero_byte };
    for (size_t i = 0; i < 3; i++) {
        sk_reader r;
        sk_bytes m;
        bool negative;
        sk_reader_init(&r, cases[i], lens[i]);
        assert_int_equal(sk_read_mpint(&r, &m, true, &negative), SSHKIT_E_FORMAT);
        assert_int_equal(sk_reader_error(&r), SSHKIT_E_FORMAT);
    }
}

static void test_integers_round_trip(void **state)
{
    (void)state;
    sk_buf b;
    sk_buf_init(&b);
    sk_write_u8(&b, 0xab);
    sk_write_bool(&b, true);
    sk_write_u32(&b, 0x29b7f4aa);
    sk_write_u64(&b, 0x0102030405060708ULL);
    const uint8_t want[] = { 0xab, 1, 0x29, 0xb7, 0xf4, 0xaa, 1, 2, 3, 4, 5, 6, 7, 8 };
    assert_int_equal(b.len, sizeof want);
    assert_memory_equal(b.data, want, sizeof want);

    sk_reader r;
    uint8_t u8;
    bool flag;
    uint32_t u32;
    uint64_t u64;
    sk_reader_init(&r, b.data, b.len);
    sk_read_u8(&r, &u8);
    sk_read_bool(&r, &flag);
    sk_read_u32(&r, &u32);
    sk_read_u64(&r, &u64);
    assert_int_equal(sk_reader_finish(&r), 0);
    assert_int_equal(u8, 0xab);
    assert_true(flag);
    assert_int_equal(u32, 0x29b7f4aa);
    assert_true(u64 == 0x0102030405060708ULL);
    sk_buf_free(&b);
}

static void test_bool_any_nonzero_is_true(void **state)
{
    (void)state;
    const uint8_t in[] = { 0x00, 0x02 };
    sk_reader r;
    bool a, b;
    sk_reader_init(&r, in, sizeof in);
    sk_read_bool(&r, &a);
    sk_read_bool(&r, &b);
    assert_false(a);
    assert_true(b);
}

static void test_string_rfc4251_testing(void **state)
{
    (void)state;
    const uint8_t want[] = { 0, 0, 0, 7, 't', 'e', 's', 't', 'i', 'n', 'g' };
    sk_buf b;
    sk_buf_init(&b);
    sk_write_cstring(&b, "testing");
    assert_memory_equal(b.data, want, sizeof want);
    sk_buf_free(&b);

    sk_reader r;
    sk_bytes s;
    sk_reader_init(&r, want, sizeof want);
    assert_int_equal(sk_read_string(&r, &s), 0);
    assert_true(sk_bytes_eq(s, "testing"));
    assert_ptr_equal(s.ptr, want + 4);   /* a view, not a copy */
}

static void test_string_length_past_end(void **state)
{
    (void)state;
    const uint8_t in[] = { 0, 0, 0, 8, 'a', 'b', 'c' };
    sk_reader r;
    sk_bytes s;
    sk_reader_init(&r, in, sizeof in);
    assert_int_equal(sk_read_string(&r, &s), SSHKIT_E_TRUNCATED);
    assert_null(s.ptr);
    assert_int_equal(s.len, 0);
}

static void test_string_length_all_ones(void **state)
{
    (void)state;
    const uint8_t in[] = { 0xff, 0xff, 0xff, 0xff, 'a' };
    sk_reader r;
    sk_bytes s;
    sk_reader_init(&r, in, sizeof in);
    assert_int_equal(sk_read_string(&r, &s), SSHKIT_E_TRUNCATED);
    assert_int_equal(sk_reader_remaining(&r), 0);
}

static void test_error_is_sticky(void **state)
{
    (void)state;
    const uint8_t in[] = { 0, 0, 0, 9, 'x', 0, 0, 0, 1 };
    sk_reader r;
    sk_bytes s;
    uint32_t v = 7;
    sk_reader_init(&r, in, sizeof in);
    sk_read_string(&r, &s);
    /* A later read that would fit still fails with the first error. */
    assert_int_equal(sk_read_u8(&r, (uint8_t *)&v), SSHKIT_E_TRUNCATED);
    assert_int_equal(sk_read_u32(&r, &v), SSHKIT_E_TRUNCATED);
    assert_int_equal(v, 0);
    assert_int_equal(sk_reader_finish(&r), SSHKIT_E_TRUNCATED);
}

static void test_truncated_integers(void **state)
{
    (void)state;
    const uint8_t in[] = { 1, 2, 3 };
    sk_reader r;
    uint32_t v32;
    uint64_t v64;
    sk_reader_init(&r, in, sizeof in);
    assert_int_equal(sk_read_u32(&r, &v32), SSHKIT_E_TRUNCATED);
    sk_reader_init(&r, in, 0);
    uint8_t v8;
    assert_int_equal(sk_read_u8(&r, &v8), SSHKIT_E_TRUNCATED);
    sk_reader_init(&r, in, sizeof in);
    assert_int_equal(sk_read_u64(&r, &v64), SSHKIT_E_TRUNCATED);
}

static void test_trailing_bytes_detected(void **state)
{
    (void)state;
    const uint8_t in[] = { 0, 0, 0, 1, 5, 6 };
    sk_reader r;
    uint32_t v;
    sk_reader_init(&r, in, sizeof in);
    sk_read_u32(&r, &v);
    assert_int_equal(sk_reader_finish(&r), SSHKIT_E_FORMAT);
}

static int read_namelist(const char *text, size_t len, sk_bytes *out)
{
    sk_buf b;
    sk_reader r;
    sk_buf_init(&b);
    sk_write_string(&b, text, len);
    sk_reader_init(&r, b.data, b.len);
    int rc = sk_read_namelist(&r, out);
    sk_buf_free(&b);
    return rc;
}

static void test_namelist_valid(void **state)
{
    (void)state;
    sk_bytes l;
    assert_int_equal(read_namelist("", 0, &l), 0);
    assert_int_equal(read_namelist("zlib", 4, &l), 0);
    assert_int_equal(read_namelist("zlib,none", 9, &l), 0);
    assert_int_equal(read_namelist("aes128-ctr,chacha20-poly1305@openssh.com", 40, &l), 0);
}

static void test_namelist_hostile(void **state)
{
    (void)state;
    sk_bytes l;
    assert_int_equal(read_namelist(",", 1, &l), SSHKIT_E_FORMAT);
    assert_int_equal(read_namelist("a,", 2, &l), SSHKIT_E_FORMAT);
    assert_int_equal(read_namelist(",a", 2, &l), SSHKIT_E_FORMAT);
    assert_int_equal(read_namelist("a,,b", 4, &l), SSHKIT_E_FORMAT);
    assert_int_equal(read_namelist("a\0b", 3, &l), SSHKIT_E_FORMAT);
    assert_int_equal(read_namelist("a b", 3, &l), SSHKIT_E_FORMAT);
    assert_int_equal(read_namelist("a\nb", 3, &l), SSHKIT_E_FORMAT);
    assert_int_equal(read_namelist("caf\xc3\xa9", 5, &l), SSHKIT_E_FORMAT);
    assert_int_equal(read_namelist("a\x7f", 2, &l), SSHKIT_E_FORMAT);
}

static void test_namelist_iterate_and_contains(void **state)
{
    (void)state;
    const char text[] = "curve25519-sha256,ext-info-c,kex-strict-c-v00@openssh.com";
    sk_bytes list = { (const uint8_t *)text, sizeof text - 1 };
    size_t cursor = 0;
    sk_bytes name;
    int count = 0;
    while (sk_namelist_next(list, &cursor, &name))
        count++;
    assert_int_equal(count, 3);
    assert_true(sk_namelist_contains(list, "ext-info-c"));
    assert_true(sk_namelist_contains(list, "kex-strict-c-v00@openssh.com"));
    assert_false(sk_namelist_contains(list, "ext-info"));
    assert_false(sk_namelist_contains(list, "curve25519-sha256,ext-info-c"));
}

static void test_cstring_rejects_nul_and_overflow(void **state)
{
    (void)state;
    const uint8_t with_nul[] = { 0, 0, 0, 3, 'a', 0, 'b' };
    const uint8_t longer[] = { 0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o' };
    char buf[5];
    sk_reader r;
    sk_reader_init(&r, with_nul, sizeof with_nul);
    assert_int_equal(sk_read_cstring(&r, buf, sizeof buf), SSHKIT_E_FORMAT);
    sk_reader_init(&r, longer, sizeof longer);
    assert_int_equal(sk_read_cstring(&r, buf, sizeof buf), SSHKIT_E_TOO_LARGE);
    sk_reader_init(&r, longer, sizeof longer);
    char big[6];
    assert_int_equal(sk_read_cstring(&r, big, sizeof big), 0);
    assert_string_equal(big, "hello");
}

static void test_writer_cap_is_sticky(void **state)
{
    (void)state;
    sk_buf b;
    sk_buf_init(&b);
    b.max = 8;
    sk_write_u32(&b, 1);
    sk_write_u32(&b, 2);
    assert_int_equal(sk_buf_error(&b), 0);
    sk_write_u8(&b, 3);
    assert_int_equal(sk_buf_error(&b), SSHKIT_E_TOO_LARGE);
    sk_write_u8(&b, 4);
    assert_int_equal(b.len, 8);
    size_t len;
    assert_null(sk_buf_steal(&b, &len));
    sk_buf_free(&b);
}

static void test_nested_string(void **state)
{
    (void)state;
    sk_buf b;
    sk_buf_init_secret(&b);
    size_t start = sk_write_string_begin(&b);
    sk_write_cstring(&b, "ssh-ed25519");
    sk_write_u32(&b, 0);
    sk_write_string_end(&b, start);
    assert_int_equal(b.len, 4 + 4 + 11 + 4);
    assert_int_equal(sk_load_u32(b.data), 19);
    size_t len;
    uint8_t *p = sk_buf_steal(&b, &len);
    assert_non_null(p);
    assert_int_equal(len, 23);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mpint_rfc4251_examples),
        cmocka_unit_test(test_mpint_negative_rfc4251),
        cmocka_unit_test(test_mpint_leading_zero_stripped_on_write),
        cmocka_unit_test(test_mpint_non_minimal_rejected),
        cmocka_unit_test(test_integers_round_trip),
        cmocka_unit_test(test_bool_any_nonzero_is_true),
        cmocka_unit_test(test_string_rfc4251_testing),
        cmocka_unit_test(test_string_length_past_end),
        cmocka_unit_test(test_string_length_all_ones),
        cmocka_unit_test(test_error_is_sticky),
        cmocka_unit_test(test_truncated_integers),
        cmocka_unit_test(test_trailing_bytes_detected),
        cmocka_unit_test(test_namelist_valid),
        cmocka_unit_test(test_namelist_hostile),
        cmocka_unit_test(test_namelist_iterate_and_contains),
        cmocka_unit_test(test_cstring_rejects_nul_and_overflow),
        cmocka_unit_test(test_writer_cap_is_sticky),
        cmocka_unit_test(test_nested_string),
    };
    return cmocka_run_group_tests_name("wire", tests, NULL, NULL);
}
