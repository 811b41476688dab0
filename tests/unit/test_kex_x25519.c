/* Unit tests for X25519 key agreement (RFC 7748, RFC 8731). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sshkit/error.h>
#include "crypto/kex_dh.h"
#include "hexutil.h"
#include "kex_testutil.h"

/* RFC 7748 section 6.1. */
static const char alice_priv[] = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
static const char alice_pub[]  = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
static const char bob_priv[]   = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
static const char bob_pub[]    = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
static const char shared[]     = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

static sk_kex_dh *from_hex(const char *priv_hex)
{
    size_t n;
    uint8_t *priv = hex_decode(priv_hex, &n);
    assert_int_equal(n, 32);
    sk_kex_dh *k = NULL;
    assert_int_equal(sk_kex_dh_new_x25519_private(&k, priv), 0);
    free(priv);
    return k;
}

static void assert_public_is(sk_kex_dh *k, const char *hex)
{
    size_t n;
    uint8_t *want = hex_decode(hex, &n);
    sk_bytes pub = sk_kex_dh_public(k);
    assert_int_equal(pub.len, n);
    assert_memory_equal(pub.ptr, want, n);
    free(want);
}

static void test_rfc7748_vector(void **state)
{
    (void)state;
    sk_kex_dh *alice = from_hex(alice_priv), *bob = from_hex(bob_priv);
    assert_public_is(alice, alice_pub);
    assert_public_is(bob, bob_pub);
    size_t n;
    uint8_t *want = hex_decode(shared, &n);
    sk_bytes pb = sk_kex_dh_public(bob);
    sk_buf k;
    sk_buf_init(&k);
    assert_int_equal(sk_kex_dh_derive(alice, pb.ptr, pb.len, &k), 0);
    assert_int_equal(k.len, n);   /* 0x4a lead byte: nothing to strip */
    assert_memory_equal(k.data, want, n);
    sk_buf_free(&k);
    kex_assert_agree(alice, bob);
    free(want);
    sk_kex_dh_free(alice);
    sk_kex_dh_free(bob);
}

static void test_random_keys_agree_and_wire_form(void **state)
{
    (void)state;
    sk_kex_dh *a, *b;
    assert_int_equal(sk_kex_dh_new(&a, SK_KEX_X25519), 0);
    assert_int_equal(sk_kex_dh_new(&b, SK_KEX_X25519), 0);
    assert_int_equal(sk_kex_dh_method(a), SK_KEX_X25519);
    assert_false(sk_kex_dh_public_is_mpint(a));
    kex_assert_agree(a, b);
    /* Q_C goes out as a 32-byte string. */
    sk_buf w;
    sk_buf_init(&w);
    sk_kex_dh_write_public(a, &w);
    assert_int_equal(w.len, 36);
    assert_int_equal(sk_load_u32(w.data), 32);
    assert_memory_equal(w.data + 4, sk_kex_dh_public(a).ptr, 32);
    sk_buf_free(&w);
    sk_kex_dh_free(a);
    sk_kex_dh_free(b);
}

static void test_rejects_wrong_length(void **state)
{
    (void)state;
    sk_kex_dh *k;
    assert_int_equal(sk_kex_dh_new(&k, SK_KEX_X25519), 0);
    uint8_t big[33];
    memset(big, 9, sizeof big);
    kex_assert_rejects(k, big, 0, SSHKIT_E_BAD_PUBLIC_VALUE);
    kex_assert_rejects(k, big, 31, SSHKIT_E_BAD_PUBLIC_VALUE);
    kex_assert_rejects(k, big, 33, SSHKIT_E_BAD_PUBLIC_VALUE);
    kex_assert_rejects(k, NULL, 0, SSHKIT_E_BAD_PUBLIC_VALUE);
    sk_kex_dh_free(k);
}

/* Low-order points give an all-zero shared secret (RFC 7748 section 6.1,
 * RFC 8731 section 3): u = 0, u = 1, and u = p (non-canonical 0). */
static void test_rejects_all_zero_secret(void **state)
{
    (void)state;
    sk_kex_dh *k;
    assert_int_equal(sk_kex_dh_new(&k, SK_KEX_X25519), 0);
    uint8_t u[32] = { 0 };
    kex_assert_rejects(k, u, 32, SSHKIT_E_BAD_PUBLIC_VALUE);
    u[0] = 1;
    kex_assert_rejects(k, u, 32, SSHKIT_E_BAD_PUBLIC_VALUE);
    /* p = 2^255 - 19, little-endian */
    memset(u, 0xff, sizeof u);
    u[0] = 0xed;
    u[31] = 0x7f;
    kex_assert_rejects(k, u, 32, SSHKIT_E_BAD_PUBLIC_VALUE);
    sk_kex_dh_free(k);
}

/* K is the 32 output bytes read big-endian; as an mpint magnitude it loses
 * its leading zero bytes. Search for a pair whose secret starts with 0x00. */
static void test_leading_zero_stripped(void **state)
{
    (void)state;
    sk_kex_dh *a;
    assert_int_equal(sk_kex_dh_new(&a, SK_KEX_X25519), 0);
    bool found = false;
    for (int i = 0; i < 8192 && !found; i++) {
        sk_kex_dh *b;
        assert_int_equal(sk_kex_dh_new(&b, SK_KEX_X25519), 0);
        sk_bytes pb = sk_kex_dh_public(b);
        sk_buf s;
        sk_buf_init(&s);
        assert_int_equal(sk_kex_dh_derive(a, pb.ptr, pb.len, &s), 0);
        if (s.len < 32) {
            found = true;
            assert_int_not_equal(s.data[0], 0);
            kex_assert_agree(a, b);
        }
        sk_buf_free(&s);
        sk_kex_dh_free(b);
    }
    assert_true(found);   /* odds of missing: (255/256)^8192, about 1e-14 */
    sk_kex_dh_free(a);
}

static void test_derive_needs_empty_buffer(void **state)
{
    (void)state;
    sk_kex_dh *a, *b;
    assert_int_equal(sk_kex_dh_new(&a, SK_KEX_X25519), 0);
    assert_int_equal(sk_kex_dh_new(&b, SK_KEX_X25519), 0);
    sk_bytes pb = sk_kex_dh_public(b);
    sk_buf s;
    sk_buf_init(&s);
    sk_write_u8(&s, 1);
    assert_int_equal(sk_kex_dh_derive(a, pb.ptr, pb.len, &s), SSHKIT_E_INVALID_ARGUMENT);
    sk_buf_free(&s);
    sk_kex_dh_free(a);
    sk_kex_dh_free(b);
    sk_kex_dh_free(NULL);
}

static void test_gex_method_needs_its_constructor(void **state)
{
    (void)state;
    sk_kex_dh *k = (sk_kex_dh *)&k;
    assert_int_equal(sk_kex_dh_new(&k, SK_KEX_DH_GEX), SSHKIT_E_INVALID_ARGUMENT);
    assert_null(k);
    assert_int_equal(sk_kex_dh_new(&k, (sk_kex_method)77), SSHKIT_E_INVALID_ARGUMENT);
    assert_null(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc7748_vector),
        cmocka_unit_test(test_random_keys_agree_and_wire_form),
        cmocka_unit_test(test_rejects_wrong_length),
        cmocka_unit_test(test_rejects_all_zero_secret),
        cmocka_unit_test(test_leading_zero_stripped),
        cmocka_unit_test(test_derive_needs_empty_buffer),
        cmocka_unit_test(test_gex_method_needs_its_constructor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
