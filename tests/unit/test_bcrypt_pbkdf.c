/* Known-answer tests for bcrypt_pbkdf.
 *
 * Vectors: OpenBSD's regress tests for bcrypt_pbkdf, as carried by the
 * RustCrypto bcrypt-pbkdf crate (password-hashes repository,
 * bcrypt-pbkdf/tests/test_vectors.rs, "test_openbsd_vectors"). They cover
 * NUL bytes in password and salt, 4, 8 and 42 rounds, and outputs of 16,
 * 32 and 64 bytes (64 spreads two blocks across the key). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sshkit/error.h>
#include "crypto/bcrypt_pbkdf.h"

struct kat {
    const char *pass;
    size_t pass_len;
    const char *salt;
    size_t salt_len;
    unsigned rounds;
    const char *hex;
};

#define S(lit) lit, sizeof lit - 1

static const char lorem[] =
    "Lorem ipsum dolor sit amet, consectetur adipisicing elit, "
    "sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. "
    "Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris "
    "nisi ut aliquip ex ea commodo consequat. "
    "Duis aute irure dolor in reprehenderit in voluptate velit esse cillum "
    "dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non "
    "proident, sunt in culpa qui officia deserunt mollit anim id est laborum.";

static const struct kat kats[] = {
    { S("password"), S("salt"), 4,
      "5bbf0cc293587f1c3635555c27796598d47e579071bf427e9d8fbe842aba34d9" },
    { S("password"), S("\0"), 4, "c12b566235eee04c212598970a579a67" },
    { S("\0"), S("salt"), 4, "6051be18c2f4f82cbf0efee5471b4bb9" },
    { S("password\0"), S("salt\0"), 4,
      "7410e44cf4fa07bfaac8a928b1727fac001375e7bf7384370f48efd121743050" },
    { S("pass\0wor"), S("sa\0l"), 4, "c2bffd9db38f6569efef4372f4de83c0" },
    { S("pass\0word"), S("sa\0lt"), 4, "4ba4ac3925c0e8d7f0cdb6bb1684a56f" },
    { S("password"), S("salt"), 8,
      "e1367ec5151a33faac4cc1c144cd23fa15d5548493ecc99b9b5d9c0d3b27bec7"
      "6227ea66088b849b20ab7aa478010246e74bba51723fefa9f9474d6508845e8d" },
    { S("password"), S("salt"), 42, "833cf0dcf56db65608e8f0dc0ce882bd" },
    { S(lorem), S("salis\0"), 8, "10978b07253df57f71a162eb0e8ad30a" },
};

static size_t unhex(const char *hex, uint8_t *out)
{
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
    return n;
}

static void test_known_answers(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof kats / sizeof kats[0]; i++) {
        const struct kat *k = &kats[i];
        uint8_t want[64], got[64];
        size_t n = unhex(k->hex, want);
        assert_int_equal(sk_bcrypt_pbkdf((const uint8_t *)k->pass, k->pass_len,
                                         (const uint8_t *)k->salt, k->salt_len, k->rounds,
                                         got, n), 0);
        assert_memory_equal(got, want, n);
    }
}

/* An output that is not a multiple of the block size spreads its bytes
 * unevenly; the first bytes of a longer output are not a prefix. */
static void test_odd_lengths(void **state)
{
    (void)state;
    uint8_t a[48], b[47];
    const uint8_t pass[] = "pass", salt[] = "NaCl";
    assert_int_equal(sk_bcrypt_pbkdf(pass, 4, salt, 4, 2, a, sizeof a), 0);
    assert_int_equal(sk_bcrypt_pbkdf(pass, 4, salt, 4, 2, b, sizeof b), 0);
    /* Block 1 feeds even positions in both (stride 2). */
    for (size_t i = 0; i < sizeof b; i += 2)
        assert_int_equal(a[i], b[i]);
}

static void test_rejects_bad_arguments(void **state)
{
    (void)state;
    uint8_t out[32];
    const uint8_t p[] = "p", s[] = "s";
    assert_int_equal(sk_bcrypt_pbkdf(p, 1, s, 1, 0, out, 32), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sk_bcrypt_pbkdf(p, 0, s, 1, 1, out, 32), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sk_bcrypt_pbkdf(p, 1, s, 0, 1, out, 32), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sk_bcrypt_pbkdf(p, 1, s, 1, 1, out, 0), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sk_bcrypt_pbkdf(p, 1, s, 1, 1, out, SK_BCRYPT_PBKDF_MAX_OUT + 1),
                     SSHKIT_E_INVALID_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answers),
        cmocka_unit_test(test_odd_lengths),
        cmocka_unit_test(test_rejects_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
