/* RFC 4253 section 7: a client may send its first key exchange packet
 * right after its KEXINIT, guessing the method. A wrong guess is ignored;
 * a right one is used. The server here is real; the client is scripted. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "crypto/kex_dh.h"
#include "hostile_peer.h"

static sshkit_key *host_key;

static int setup(void **state)
{
    (void)state;
    return sshkit_key_generate(SSHKIT_KEY_ED25519, 0, &host_key);
}

static int teardown(void **state)
{
    (void)state;
    sshkit_key_free(host_key);
    return 0;
}

/* The scripted client's KEXINIT, announcing a guessed packet. */
static void guessing_kexinit(hostile *h, const char *kex)
{
    const char *lists[SK_KEXINIT_LISTS] = {
        kex, "ssh-ed25519", "aes128-ctr", "aes128-ctr",
        "hmac-sha2-256-etm@openssh.com", "hmac-sha2-256-etm@openssh.com",
        "none", "none", "", "",
    };
    sk_buf p;
    sk_buf_init(&p);
    sk_kexinit_write(&p, lists, true);
    hp_packet(&h->wire, p.data, p.len);
    sk_buf_free(&p);
}

/* A KEX_ECDH_INIT carrying value as its string. */
static void kex_init(hostile *h, const uint8_t *value, size_t len)
{
    sk_buf p;
    sk_buf_init(&p);
    sk_write_u8(&p, SK_MSG_KEX_ECDH_INIT);
    sk_write_string(&p, value, len);
    hp_packet(&h->wire, p.data, p.len);
    sk_buf_free(&p);
}

/* Whether the server answered with a KEX_ECDH_REPLY and NEWKEYS. */
static bool server_replied(hostile *h)
{
    const uint8_t *out;
    size_t len = sshkit_session_pending(h->s, &out), pos = 0;
    sk_bytes payload;
    return hp_find_packet(out, len, &pos, SK_MSG_KEX_ECDH_REPLY, &payload) &&
           hp_find_packet(out, len, &pos, SK_MSG_NEWKEYS, &payload);
}

static void test_wrong_guess_is_ignored(void **state)
{
    (void)state;
    hostile h;
    sk_kex_dh *dh;
    assert_int_equal(hp_new(&h, SSHKIT_ROLE_SERVER, host_key, NULL), 0);
    assert_int_equal(sk_kex_dh_new(&dh, SK_KEX_X25519), 0);
    hp_version(&h, "SSH-2.0-guesser\r\n");
    /* The client prefers ecdh-sha2-nistp256, which sshkit's server does not
     * offer by default: the guessed packet (65 bytes, a P-256 point's size,
     * which X25519 would refuse) must be dropped unread. */
    guessing_kexinit(&h, "ecdh-sha2-nistp256,curve25519-sha256");
    uint8_t guess[65] = { 0x04 };
    kex_init(&h, guess, sizeof guess);
    sk_bytes pub = sk_kex_dh_public(dh);
    kex_init(&h, pub.ptr, pub.len);
    assert_int_equal(hp_flush(&h), 0);
    assert_false(sshkit_session_is_closed(h.s));
    assert_true(server_replied(&h));
    sk_kex_dh_free(dh);
    hp_free(&h);
}

static void test_right_guess_is_used(void **state)
{
    (void)state;
    hostile h;
    sk_kex_dh *dh;
    assert_int_equal(hp_new(&h, SSHKIT_ROLE_SERVER, host_key, NULL), 0);
    assert_int_equal(sk_kex_dh_new(&dh, SK_KEX_X25519), 0);
    hp_version(&h, "SSH-2.0-guesser\r\n");
    guessing_kexinit(&h, "curve25519-sha256");
    sk_bytes pub = sk_kex_dh_public(dh);
    kex_init(&h, pub.ptr, pub.len);
    assert_int_equal(hp_flush(&h), 0);
    assert_true(server_replied(&h));
    sk_kex_dh_free(dh);
    hp_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrong_guess_is_ignored),
        cmocka_unit_test(test_right_guess_is_used),
    };
    return cmocka_run_group_tests_name("session_guess", tests, setup, teardown);
}
