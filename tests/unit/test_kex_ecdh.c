/* Unit tests for ECDH on P-256, P-384, P-521 (RFC 5656). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sshkit/error.h>
#include "crypto/kex_dh.h"
#include "kex_testutil.h"

struct curve_case {
    sk_kex_method method;
    size_t field_len;
};

static const struct curve_case curves[] = {
    { SK_KEX_ECDH_P256, 32 },
    { SK_KEX_ECDH_P384, 48 },
    { SK_KEX_ECDH_P521, 66 },
};

#define NCURVES (sizeof curves / sizeof curves[0])
#define MAX_POINT (1 + 2 * 66)

static void test_both_sides_agree(void **state)
{
    (void)state;
    for (size_t i = 0; i < NCURVES; i++) {
        sk_kex_dh *a, *b;
        assert_int_equal(sk_kex_dh_new(&a, curves[i].method), 0);
        assert_int_equal(sk_kex_dh_new(&b, curves[i].method), 0);
        sk_bytes q = sk_kex_dh_public(a);
        assert_int_equal(q.len, 1 + 2 * curves[i].field_len);
        assert_int_equal(q.ptr[0], 0x04);
        assert_false(sk_kex_dh_public_is_mpint(a));
        kex_assert_agree(a, b);
        /* K is the x-coordinate: never longer than the field. */
        sk_buf k;
        sk_buf_init(&k);
        sk_bytes qb = sk_kex_dh_public(b);
        assert_int_equal(sk_kex_dh_derive(a, qb.ptr, qb.len, &k), 0);
        assert_true(k.len <= curves[i].field_len);
        sk_buf_free(&k);
        sk_kex_dh_free(a);
        sk_kex_dh_free(b);
    }
}

static void test_wire_form_is_string(void **state)
{
    (void)state;
    sk_kex_dh *a;
    assert_int_equal(sk_kex_dh_new(&a, SK_KEX_ECDH_P256), 0);
    sk_buf w;
    sk_buf_init(&w);
    sk_kex_dh_write_public(a, &w);
    assert_int_equal(w.len, 4 + 65);
    assert_int_equal(sk_load_u32(w.data), 65);
    assert_memory_equal(w.data + 4, sk_kex_dh_public(a).ptr, 65);
    sk_buf_free(&w);
    sk_kex_dh_free(a);
}

/* Each hostile variant of a valid peer point, for each curve. */
static void test_hostile_points_rejected(void **state)
{
    (void)state;
    for (size_t i = 0; i < NCURVES; i++) {
        sk_kex_dh *a, *b;
        assert_int_equal(sk_kex_dh_new(&a, curves[i].method), 0);
        assert_int_equal(sk_kex_dh_new(&b, curves[i].method), 0);
        sk_bytes q = sk_kex_dh_public(b);
        size_t f = curves[i].field_len;
        uint8_t bad[MAX_POINT + 1];

        kex_assert_rejects(a, q.ptr, 0, SSHKIT_E_BAD_PUBLIC_VALUE);       /* empty */
        const uint8_t infinity[] = { 0x00 };
        kex_assert_rejects(a, infinity, 1, SSHKIT_E_BAD_PUBLIC_VALUE);
        kex_assert_rejects(a, q.ptr, q.len - 1, SSHKIT_E_BAD_PUBLIC_VALUE); /* short */
        memcpy(bad, q.ptr, q.len);
        bad[q.len] = 0;
        kex_assert_rejects(a, bad, q.len + 1, SSHKIT_E_BAD_PUBLIC_VALUE);   /* long */

        /* Compressed: 0x02/0x03 || x, valid on the curve but not allowed. */
        bad[0] = (uint8_t)(0x02 | (q.ptr[q.len - 1] & 1));
        memcpy(bad + 1, q.ptr + 1, f);
        kex_assert_rejects(a, bad, 1 + f, SSHKIT_E_BAD_PUBLIC_VALUE);
        /* Full length with a compressed or hybrid prefix. */
        memcpy(bad, q.ptr, q.len);
        bad[0] = 0x02;
        kex_assert_rejects(a, bad, q.len, SSHKIT_E_BAD_PUBLIC_VALUE);
        bad[0] = (uint8_t)(0x06 | (q.ptr[q.len - 1] & 1));
        kex_assert_rejects(a, bad, q.len, SSHKIT_E_BAD_PUBLIC_VALUE);

        /* Not on the curve: flip a bit of y. */
        memcpy(bad, q.ptr, q.len);
        bad[q.len - 1] ^= 0x01;
        kex_assert_rejects(a, bad, q.len, SSHKIT_E_BAD_PUBLIC_VALUE);
        /* Uncompressed all-zero coordinates. */
        memset(bad, 0, q.len);
        bad[0] = 0x04;
        kex_assert_rejects(a, bad, q.len, SSHKIT_E_BAD_PUBLIC_VALUE);
        /* Coordinates of all ones: x and y beyond the field. */
        memset(bad + 1, 0xff, q.len - 1);
        kex_assert_rejects(a, bad, q.len, SSHKIT_E_BAD_PUBLIC_VALUE);

        /* The handle still works after rejections. */
        kex_assert_agree(a, b);
        sk_kex_dh_free(a);
        sk_kex_dh_free(b);
    }
}

/* A P-256 point handed to a P-384 key is the wrong length, and a P-384
 * point to P-521 too: the lengths of the three curves all differ. */
static void test_point_of_other_curve_rejected(void **state)
{
    (void)state;
    sk_kex_dh *p256, *p384;
    assert_int_equal(sk_kex_dh_new(&p256, SK_KEX_ECDH_P256), 0);
    assert_int_equal(sk_kex_dh_new(&p384, SK_KEX_ECDH_P384), 0);
    sk_bytes q256 = sk_kex_dh_public(p256), q384 = sk_kex_dh_public(p384);
    kex_assert_rejects(p384, q256.ptr, q256.len, SSHKIT_E_BAD_PUBLIC_VALUE);
    kex_assert_rejects(p256, q384.ptr, q384.len, SSHKIT_E_BAD_PUBLIC_VALUE);
    sk_kex_dh_free(p256);
    sk_kex_dh_free(p384);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_both_sides_agree),
        cmocka_unit_test(test_wire_form_is_string),
        cmocka_unit_test(test_hostile_points_rejected),
        cmocka_unit_test(test_point_of_other_curve_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
