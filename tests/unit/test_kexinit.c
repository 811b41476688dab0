/* Unit tests for KEXINIT encoding and algorithm negotiation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <sshkit/error.h>
#include "transport/kexinit.h"
#include "transport/messages.h"

static bool aead(const char *cipher)
{
    return strstr(cipher, "gcm") || strstr(cipher, "poly1305");
}

struct side {
    sk_buf buf;
    sk_kexinit k;
};

static void make(struct side *s, const char *kex, const char *hostkey, const char *cipher,
                 const char *mac, bool follows)
{
    const char *lists[SK_KEXINIT_LISTS] = {
        kex, hostkey, cipher, cipher, mac, mac, "none", "none", NULL, NULL,
    };
    sk_buf_init(&s->buf);
    assert_int_equal(sk_kexinit_write(&s->buf, lists, follows), 0);
    sk_bytes payload = { s->buf.data, s->buf.len };
    assert_int_equal(sk_kexinit_read(payload, &s->k), 0);
}

static void test_round_trip(void **state)
{
    (void)state;
    struct side s;
    make(&s, "curve25519-sha256,ext-info-c", "ssh-ed25519", "aes128-ctr", "hmac-sha2-256", true);
    assert_int_equal(s.buf.data[0], SK_MSG_KEXINIT);
    assert_true(sk_bytes_eq(s.k.lists[SK_KEXINIT_KEX], "curve25519-sha256,ext-info-c"));
    assert_true(sk_bytes_eq(s.k.lists[SK_KEXINIT_LANG_S2C], ""));
    assert_true(s.k.first_kex_follows);
    assert_memory_equal(s.k.cookie, s.buf.data + 1, 16);
    sk_buf_free(&s.buf);
}

static void test_client_preference_wins(void **state)
{
    (void)state;
    struct side c, s;
    sk_negotiated n;
    int failed;
    make(&c, "curve25519-sha256,ecdh-sha2-nistp256,ext-info-c,kex-strict-c-v00@openssh.com",
         "ssh-ed25519,rsa-sha2-512", "aes256-ctr,chacha20-poly1305@openssh.com",
         "hmac-sha2-512,hmac-sha2-256", false);
    make(&s, "ecdh-sha2-nistp256,curve25519-sha256,kex-strict-s-v00@openssh.com",
         "rsa-sha2-512,ssh-ed25519", "chacha20-poly1305@openssh.com,aes256-ctr",
         "hmac-sha2-256,hmac-sha2-512", false);
    assert_int_equal(sk_kexinit_negotiate(&c.k, &s.k, aead, &n, &failed), 0);
    assert_string_equal(n.kex, "curve25519-sha256");
    assert_string_equal(n.hostkey, "ssh-ed25519");
    assert_string_equal(n.cipher[0], "aes256-ctr");
    assert_string_equal(n.mac[1], "hmac-sha2-512");
    assert_string_equal(n.comp[0], "none");
    assert_true(n.strict_kex);
    assert_true(n.client_ext_info);
    assert_false(n.server_ext_info);
    assert_true(n.guess_wrong);     /* first kex differs */
    sk_buf_free(&c.buf);
    sk_buf_free(&s.buf);
}

static void test_aead_needs_no_mac(void **state)
{
    (void)state;
    struct side c, s;
    sk_negotiated n;
    int failed;
    make(&c, "curve25519-sha256", "ssh-ed25519", "aes256-gcm@openssh.com", "hmac-sha1", false);
    make(&s, "curve25519-sha256", "ssh-ed25519", "aes256-gcm@openssh.com", "hmac-sha2-256", false);
    assert_int_equal(sk_kexinit_negotiate(&c.k, &s.k, aead, &n, &failed), 0);
    assert_string_equal(n.mac[0], "");
    assert_false(n.guess_wrong);
    assert_false(n.strict_kex);
    sk_buf_free(&c.buf);
    sk_buf_free(&s.buf);
}

static void test_no_common_algorithm(void **state)
{
    (void)state;
    struct side c, s;
    sk_negotiated n;
    int failed;
    make(&c, "curve25519-sha256", "ssh-ed25519", "aes128-ctr", "hmac-sha2-256", false);
    make(&s, "curve25519-sha256", "ssh-ed25519", "aes256-ctr", "hmac-sha2-256", false);
    assert_int_equal(sk_kexinit_negotiate(&c.k, &s.k, aead, &n, &failed), SSHKIT_E_NO_COMMON_ALGORITHM);
    assert_int_equal(failed, SK_KEXINIT_CIPHER_C2S);
    assert_string_equal(sk_kexinit_list_name(failed), "cipher");
    sk_buf_free(&c.buf);
    sk_buf_free(&s.buf);

    /* Pseudo-algorithms never count as a match. */
    make(&c, "ext-info-c,kex-strict-c-v00@openssh.com", "ssh-ed25519", "aes128-ctr", "hmac-sha2-256", false);
    make(&s, "ext-info-c,kex-strict-c-v00@openssh.com", "ssh-ed25519", "aes128-ctr", "hmac-sha2-256", false);
    assert_int_equal(sk_kexinit_negotiate(&c.k, &s.k, aead, &n, &failed), SSHKIT_E_NO_COMMON_ALGORITHM);
    assert_int_equal(failed, SK_KEXINIT_KEX);
    sk_buf_free(&c.buf);
    sk_buf_free(&s.buf);
}

static void test_hostile_kexinit(void **state)
{
    (void)state;
    struct side s;
    sk_kexinit k;
    make(&s, "curve25519-sha256", "ssh-ed25519", "aes128-ctr", "hmac-sha2-256", false);
    /* Every truncation fails cleanly. */
    for (size_t n = 0; n < s.buf.len; n++) {
        sk_bytes cut = { s.buf.data, n };
        assert_int_not_equal(sk_kexinit_read(cut, &k), 0);
    }
    /* A comma-led name-list is malformed. */
    s.buf.data[1 + 16 + 4] = ',';
    sk_bytes bad = { s.buf.data, s.buf.len };
    assert_int_equal(sk_kexinit_read(bad, &k), SSHKIT_E_FORMAT);
    /* Another message type is refused. */
    s.buf.data[0] = SK_MSG_NEWKEYS;
    assert_int_not_equal(sk_kexinit_read(bad, &k), 0);
    sk_buf_free(&s.buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_client_preference_wins),
        cmocka_unit_test(test_aead_needs_no_mac),
        cmocka_unit_test(test_no_common_algorithm),
        cmocka_unit_test(test_hostile_kexinit),
    };
    return cmocka_run_group_tests_name("kexinit", tests, NULL, NULL);
}
