/* Unit tests for finite-field DH: RFC 3526 groups 14/16/18 and group
 * exchange (RFC 4419), with the peer checks of RFC 4253 section 8. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <sshkit/error.h>
#include "crypto/kex_dh_internal.h"
#include "kex_testutil.h"

/* A BIGNUM's magnitude in a malloc'd buffer. */
static uint8_t *bn_bytes(const BIGNUM *bn, size_t *len)
{
    *len = (size_t)BN_num_bytes(bn);
    uint8_t *p = malloc(*len + 1);
    assert_non_null(p);
    BN_bn2bin(bn, p);
    return p;
}

static size_t private_bits(const sk_kex_dh *k)
{
    BIGNUM *x = NULL;
    assert_int_equal(EVP_PKEY_get_bn_param(k->key, OSSL_PKEY_PARAM_PRIV_KEY, &x), 1);
    size_t bits = (size_t)BN_num_bits(x);
    BN_clear_free(x);
    return bits;
}

/* The handle's group is RFC 3526's (libcrypto's BN_get_rfc3526_prime_*
 * table, separate from the named-group table keygen used), with g = 2. */
static void assert_rfc3526_group(const sk_kex_dh *k, BIGNUM *(*prime)(BIGNUM *), int bits)
{
    BIGNUM *want = prime(NULL);
    assert_non_null(want);
    assert_int_equal(BN_num_bits(k->p), bits);
    assert_int_equal(BN_cmp(k->p, want), 0);
    assert_true(BN_is_word(k->g, 2));
    BN_free(want);
}

static void test_group14_and_16_agree(void **state)
{
    (void)state;
    const struct {
        sk_kex_method m;
        BIGNUM *(*prime)(BIGNUM *);
        int bits;
        size_t exponent;
    } g[] = {
        { SK_KEX_DH_GROUP14, BN_get_rfc3526_prime_2048, 2048, 512 },
        { SK_KEX_DH_GROUP16, BN_get_rfc3526_prime_4096, 4096, 1024 },
    };
    for (size_t i = 0; i < 2; i++) {
        sk_kex_dh *a, *b;
        assert_int_equal(sk_kex_dh_new(&a, g[i].m), 0);
        assert_int_equal(sk_kex_dh_new(&b, g[i].m), 0);
        assert_rfc3526_group(a, g[i].prime, g[i].bits);
        assert_true(sk_kex_dh_public_is_mpint(a));
        assert_true(private_bits(a) <= g[i].exponent);
        assert_true(private_bits(a) > g[i].exponent - 64);
        kex_assert_agree(a, b);
        sk_kex_dh_free(a);
        sk_kex_dh_free(b);
    }
}

/* One round trip on the 8192-bit group is enough: it is the slow one. */
static void test_group18_round_trip(void **state)
{
    (void)state;
    sk_kex_dh *a, *b;
    assert_int_equal(sk_kex_dh_new(&a, SK_KEX_DH_GROUP18), 0);
    assert_int_equal(sk_kex_dh_new(&b, SK_KEX_DH_GROUP18), 0);
    assert_rfc3526_group(a, BN_get_rfc3526_prime_8192, 8192);
    kex_assert_agree(a, b);
    sk_kex_dh_free(a);
    sk_kex_dh_free(b);
}

static void test_public_value_wire_form(void **state)
{
    (void)state;
    sk_kex_dh *a;
    assert_int_equal(sk_kex_dh_new(&a, SK_KEX_DH_GROUP14), 0);
    sk_bytes e = sk_kex_dh_public(a);
    assert_true(e.len > 0 && e.len <= 256);
    assert_int_not_equal(e.ptr[0], 0);
    sk_buf w;
    sk_buf_init(&w);
    sk_kex_dh_write_public(a, &w);
    sk_reader r;
    sk_bytes m;
    sk_reader_init(&r, w.data, w.len);
    assert_int_equal(sk_read_mpint_unsigned(&r, &m), 0);
    assert_int_equal(sk_reader_finish(&r), 0);
    assert_int_equal(m.len, e.len);
    assert_memory_equal(m.ptr, e.ptr, e.len);
    sk_buf_free(&w);
    sk_kex_dh_free(a);
}

/* Expects the value v (a BIGNUM) to be refused by k. */
static void reject_bn(sk_kex_dh *k, const BIGNUM *v)
{
    size_t n;
    uint8_t *p = bn_bytes(v, &n);
    kex_assert_rejects(k, p, n, SSHKIT_E_BAD_PUBLIC_VALUE);
    free(p);
}

/* 0, 1, p-1, p, p+1, and values longer than p (RFC 4253 section 8). */
static void assert_rejects_out_of_range(sk_kex_dh *k)
{
    const uint8_t zero[] = { 0x00 }, one[] = { 0x01 };
    kex_assert_rejects(k, zero, 0, SSHKIT_E_BAD_PUBLIC_VALUE);
    kex_assert_rejects(k, zero, 1, SSHKIT_E_BAD_PUBLIC_VALUE);
    kex_assert_rejects(k, one, 1, SSHKIT_E_BAD_PUBLIC_VALUE);
    BIGNUM *v = BN_dup(k->p);
    assert_non_null(v);
    assert_true(BN_sub_word(v, 1));
    reject_bn(k, v);                      /* p - 1 */
    assert_true(BN_add_word(v, 1));
    reject_bn(k, v);                      /* p */
    assert_true(BN_add_word(v, 1));
    reject_bn(k, v);                      /* p + 1 */
    assert_true(BN_lshift(v, k->p, 8));
    reject_bn(k, v);                      /* one byte longer than p */
    BN_free(v);
    size_t n;
    uint8_t *big = bn_bytes(k->p, &n);
    memset(big, 0xff, n);                 /* all ones, as long as p */
    kex_assert_rejects(k, big, n, SSHKIT_E_BAD_PUBLIC_VALUE);
    free(big);
}

static void test_peer_values_out_of_range(void **state)
{
    (void)state;
    sk_kex_dh *a, *b;
    assert_int_equal(sk_kex_dh_new(&a, SK_KEX_DH_GROUP14), 0);
    assert_int_equal(sk_kex_dh_new(&b, SK_KEX_DH_GROUP14), 0);
    assert_rejects_out_of_range(a);
    /* 2 and p-2 are in range, so they pass our check and derive works. */
    const uint8_t two[] = { 0x02 };
    sk_buf s;
    sk_buf_init(&s);
    assert_int_equal(sk_kex_dh_derive(a, two, 1, &s), 0);
    sk_buf_free(&s);
    kex_assert_agree(a, b);
    sk_kex_dh_free(a);
    sk_kex_dh_free(b);
}

/* A gex group given as (p, g) bytes; p from libcrypto's RFC 3526 table. */
struct gex_group {
    uint8_t *p, *g;
    size_t p_len, g_len;
};

static void gex_load(struct gex_group *grp, BIGNUM *(*prime)(BIGNUM *), BN_ULONG g)
{
    BIGNUM *p = prime(NULL), *bg = BN_new();
    assert_non_null(p);
    assert_non_null(bg);
    assert_true(BN_set_word(bg, g));
    grp->p = bn_bytes(p, &grp->p_len);
    grp->g = bn_bytes(bg, &grp->g_len);
    BN_free(p);
    BN_free(bg);
}

static void gex_free(struct gex_group *grp)
{
    free(grp->p);
    free(grp->g);
}

static void test_gex_agree_and_checks(void **state)
{
    (void)state;
    struct gex_group grp;
    gex_load(&grp, BN_get_rfc3526_prime_2048, 2);
    sk_kex_dh *a, *b;
    assert_int_equal(sk_kex_dh_new_gex(&a, grp.p, grp.p_len, grp.g, grp.g_len, 2048, 8192, 512), 0);
    assert_int_equal(sk_kex_dh_new_gex(&b, grp.p, grp.p_len, grp.g, grp.g_len, 2048, 8192, 0), 0);
    assert_int_equal(sk_kex_dh_method(a), SK_KEX_DH_GEX);
    assert_true(sk_kex_dh_public_is_mpint(a));
    assert_true(private_bits(a) <= 512);
    assert_true(private_bits(b) <= 512);
    kex_assert_agree(a, b);
    assert_rejects_out_of_range(a);
    sk_kex_dh_free(a);
    sk_kex_dh_free(b);
    gex_free(&grp);
}

/* A group libcrypto does not know by name (generator 5 instead of 2), so
 * the keygen takes its plain (p, g) path. */
static void test_gex_unnamed_group(void **state)
{
    (void)state;
    struct gex_group grp;
    gex_load(&grp, BN_get_rfc3526_prime_2048, 5);
    sk_kex_dh *a, *b;
    assert_int_equal(sk_kex_dh_new_gex(&a, grp.p, grp.p_len, grp.g, grp.g_len, 2048, 4096, 512), 0);
    assert_int_equal(sk_kex_dh_new_gex(&b, grp.p, grp.p_len, grp.g, grp.g_len, 2048, 4096, 512), 0);
    assert_true(private_bits(a) <= 512);
    kex_assert_agree(a, b);
    assert_rejects_out_of_range(a);
    sk_kex_dh_free(a);
    sk_kex_dh_free(b);
    gex_free(&grp);
}

static void assert_bad_group(const uint8_t *p, size_t p_len, const uint8_t *g, size_t g_len,
                             unsigned min, unsigned max, int code)
{
    assert_int_equal(sk_kex_gex_check_group(p, p_len, g, g_len, min, max), code);
    sk_kex_dh *k = (sk_kex_dh *)&k;
    assert_int_equal(sk_kex_dh_new_gex(&k, p, p_len, g, g_len, min, max, 512), code);
    assert_null(k);
}

static void test_gex_rejects_bad_groups(void **state)
{
    (void)state;
    struct gex_group grp;
    gex_load(&grp, BN_get_rfc3526_prime_2048, 2);
    const int BAD = SSHKIT_E_BAD_PUBLIC_VALUE;
    assert_int_equal(sk_kex_gex_check_group(grp.p, grp.p_len, grp.g, grp.g_len, 2048, 8192), 0);
    /* p too small for the request, or too large. */
    assert_bad_group(grp.p, grp.p_len, grp.g, grp.g_len, 3072, 8192, BAD);
    assert_bad_group(grp.p, grp.p_len, grp.g, grp.g_len, 1024, 1536, BAD);
    BIGNUM *small = BN_get_rfc2409_prime_1024(NULL);
    size_t sl;
    uint8_t *sp = bn_bytes(small, &sl);
    assert_bad_group(sp, sl, grp.g, grp.g_len, 2048, 8192, BAD);
    free(sp);
    BN_free(small);
    /* p even. */
    grp.p[grp.p_len - 1] ^= 1;
    assert_bad_group(grp.p, grp.p_len, grp.g, grp.g_len, 2048, 8192, BAD);
    grp.p[grp.p_len - 1] ^= 1;
    /* p empty, g empty. */
    assert_bad_group(grp.p, 0, grp.g, grp.g_len, 2048, 8192, BAD);
    assert_bad_group(grp.p, grp.p_len, grp.g, 0, 2048, 8192, BAD);
    /* g = 0, 1, p-1, p, and longer than p. */
    const uint8_t g0[] = { 0 }, g1[] = { 1 };
    assert_bad_group(grp.p, grp.p_len, g0, 1, 2048, 8192, BAD);
    assert_bad_group(grp.p, grp.p_len, g1, 1, 2048, 8192, BAD);
    uint8_t *gp = malloc(grp.p_len + 1);
    assert_non_null(gp);
    memcpy(gp, grp.p, grp.p_len);
    gp[grp.p_len - 1] -= 1;               /* p - 1 (p ends in 0xff) */
    assert_bad_group(grp.p, grp.p_len, gp, grp.p_len, 2048, 8192, BAD);
    gp[grp.p_len - 1] += 1;               /* p */
    assert_bad_group(grp.p, grp.p_len, gp, grp.p_len, 2048, 8192, BAD);
    gp[grp.p_len] = 0;
    assert_bad_group(grp.p, grp.p_len, gp, grp.p_len + 1, 2048, 2048, BAD);
    gp[grp.p_len - 1] -= 2;               /* p - 2 is fine */
    assert_int_equal(sk_kex_gex_check_group(grp.p, grp.p_len, gp, grp.p_len, 2048, 8192), 0);
    free(gp);
    gex_free(&grp);
}

static void test_gex_rejects_bad_bounds_and_huge_p(void **state)
{
    (void)state;
    struct gex_group grp;
    gex_load(&grp, BN_get_rfc3526_prime_2048, 2);
    const int INVAL = SSHKIT_E_INVALID_ARGUMENT;
    assert_bad_group(grp.p, grp.p_len, grp.g, grp.g_len, 4096, 2048, INVAL);
    assert_bad_group(grp.p, grp.p_len, grp.g, grp.g_len, 512, 8192, INVAL);
    assert_bad_group(grp.p, grp.p_len, grp.g, grp.g_len, 2048, 16384, INVAL);
    assert_bad_group(NULL, 0, grp.g, grp.g_len, 2048, 8192, INVAL);
    /* A p longer than the maximum is refused before it is converted. */
    size_t huge_len = 8192 / 8 + 1;
    uint8_t *huge = malloc(huge_len);
    assert_non_null(huge);
    memset(huge, 0xff, huge_len);
    assert_bad_group(huge, huge_len, grp.g, grp.g_len, 2048, 8192, SSHKIT_E_BAD_PUBLIC_VALUE);
    free(huge);
    gex_free(&grp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_group14_and_16_agree),
        cmocka_unit_test(test_group18_round_trip),
        cmocka_unit_test(test_public_value_wire_form),
        cmocka_unit_test(test_peer_values_out_of_range),
        cmocka_unit_test(test_gex_agree_and_checks),
        cmocka_unit_test(test_gex_unnamed_group),
        cmocka_unit_test(test_gex_rejects_bad_groups),
        cmocka_unit_test(test_gex_rejects_bad_bounds_and_huge_p),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
