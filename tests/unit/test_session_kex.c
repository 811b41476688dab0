/* The transport engine, client against server in memory: every kex method,
 * cipher, MAC and host key type; strict kex on and off; rekeying; and the
 * host key decision. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <sshkit/error.h>
#include <sshkit/session.h>
#include "session_pair.h"
#include "transport/session_internal.h"

static sshkit_key *host_keys[5];

static int make_keys(void **state)
{
    (void)state;
    const sshkit_key_type types[5] = { SSHKIT_KEY_ED25519, SSHKIT_KEY_ECDSA_P256,
                                       SSHKIT_KEY_ECDSA_P384, SSHKIT_KEY_ECDSA_P521,
                                       SSHKIT_KEY_RSA };
    for (int i = 0; i < 5; i++)
        if (sshkit_key_generate(types[i], types[i] == SSHKIT_KEY_RSA ? 2048 : 0, &host_keys[i]))
            return -1;
    return 0;
}

static int free_keys(void **state)
{
    (void)state;
    for (int i = 0; i < 5; i++)
        sshkit_key_free(host_keys[i]);
    return 0;
}

/* Runs one handshake with the given lists forced on the client. */
static void handshake_rekey(sshkit_key *key, const char *kex, const char *hostkey,
                            const char *cipher, const char *mac, bool strict, bool rekey)
{
    session_pair p;
    assert_int_equal(pair_new(&p, key), 0);
    assert_int_equal(sshkit_session_set_algorithms(p.client, SSHKIT_ALG_KEX, kex), 0);
    assert_int_equal(sshkit_session_set_algorithms(p.server, SSHKIT_ALG_KEX, kex), 0);
    assert_int_equal(sshkit_session_set_algorithms(p.client, SSHKIT_ALG_HOSTKEY, hostkey), 0);
    assert_int_equal(sshkit_session_set_algorithms(p.client, SSHKIT_ALG_CIPHER, cipher), 0);
    if (mac) {
        assert_int_equal(sshkit_session_set_algorithms(p.client, SSHKIT_ALG_MAC, mac), 0);
        assert_int_equal(sshkit_session_set_algorithms(p.server, SSHKIT_ALG_MAC, mac), 0);
    }
    p.client->no_strict_kex = !strict;
    assert_int_equal(pair_start(&p), 0);
    if (pair_pump(&p, 1 << 20) != 0 || p.client_kex_done != 1 || p.server_kex_done != 1)
        fail_msg("handshake failed for %s %s %s %s: client '%s' server '%s'", kex, hostkey,
                 cipher, mac ? mac : "-", sshkit_session_last_error(p.client),
                 sshkit_session_last_error(p.server));
    assert_string_equal(sshkit_session_get_negotiated(p.client, SSHKIT_ALG_KEX), kex);
    assert_string_equal(sshkit_session_get_negotiated(p.server, SSHKIT_ALG_CIPHER), cipher);
    assert_int_equal(p.client->kex.strict, strict);
    assert_int_equal(p.server->kex.strict, strict);
    assert_true(sshkit_key_equal(sshkit_session_host_key(p.client), key));
    size_t a, b;
    const uint8_t *ida = sshkit_session_id(p.client, &a), *idb = sshkit_session_id(p.server, &b);
    assert_true(a > 0 && a == b && memcmp(ida, idb, a) == 0);
    if (!rekey) {
        pair_free(&p);
        return;
    }
    /* A rekey in the middle: started by the client, then by the server. */
    assert_int_equal(sshkit_session_rekey(p.client), 0);
    assert_int_equal(pair_pump(&p, 7), 0);
    assert_int_equal(sshkit_session_rekey(p.server), 0);
    assert_int_equal(pair_pump(&p, 1 << 20), 0);
    assert_int_equal(p.client_kex_done, 3);
    assert_int_equal(p.server_kex_done, 3);
    assert_false(sshkit_session_is_closed(p.client));
    pair_free(&p);
}

static void handshake(sshkit_key *key, const char *kex, const char *hostkey, const char *cipher,
                      const char *mac, bool strict)
{
    handshake_rekey(key, kex, hostkey, cipher, mac, strict, true);
}

static const char *const kexes[] = {
    "curve25519-sha256", "curve25519-sha256@libssh.org", "ecdh-sha2-nistp256",
    "ecdh-sha2-nistp384", "ecdh-sha2-nistp521", "diffie-hellman-group14-sha256",
    "diffie-hellman-group16-sha512", "diffie-hellman-group-exchange-sha256",
};
static const char *const hostkey_algs[] = {
    "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
    "rsa-sha2-512", "rsa-sha2-256",
};
static const int hostkey_index[] = { 0, 1, 2, 3, 4, 4 };
static const char *const ciphers[] = {
    "chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com", "aes128-gcm@openssh.com",
    "aes256-ctr", "aes192-ctr", "aes128-ctr",
};
static const char *const macs[] = {
    "hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com", "hmac-sha2-256",
    "hmac-sha2-512", "hmac-sha1", "hmac-sha1-etm@openssh.com",
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_every_kex_method(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(kexes); i++)
        handshake(host_keys[0], kexes[i], "ssh-ed25519", "aes128-ctr", "hmac-sha2-256", true);
}

static void test_group18(void **state)
{
    (void)state;
    handshake(host_keys[0], "diffie-hellman-group18-sha512", "ssh-ed25519",
              "chacha20-poly1305@openssh.com", NULL, true);
}

static void test_every_host_key(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(hostkey_algs); i++)
        handshake(host_keys[hostkey_index[i]], "curve25519-sha256", hostkey_algs[i],
                  "chacha20-poly1305@openssh.com", NULL, true);
}

static void test_every_cipher_and_mac(void **state)
{
    (void)state;
    for (size_t c = 0; c < N(ciphers); c++)
        for (size_t m = 0; m < N(macs); m++)
            handshake(host_keys[(c + m) % 4], "curve25519-sha256",
                      hostkey_algs[(c + m) % 4], ciphers[c], macs[m], (c + m) % 2 == 0);
}

/* Every kex method with every cipher and MAC pairing and every host key
 * algorithm, strict kex on and off in turn, a rekey in every seventh.
 * The slowest methods
 * (group18, and group exchange with its 7680- and 8192-bit groups) take
 * each pairing once with one host key, to keep the suite fast. */
static void test_full_matrix(void **state)
{
    (void)state;
    int n = 0;
    for (size_t k = 0; k < N(kexes); k++) {
        bool slow = strstr(kexes[k], "group-exchange") || strstr(kexes[k], "group16");
        for (size_t c = 0; c < N(ciphers); c++) {
            bool aead = strstr(ciphers[c], "gcm") || strstr(ciphers[c], "poly1305");
            for (size_t m = 0; m < (aead ? 1 : N(macs)); m++) {
                for (size_t h = 0; h < N(hostkey_algs); h++) {
                    if (slow && h != (c + m) % N(hostkey_algs))
                        continue;
                    handshake_rekey(host_keys[hostkey_index[h]], kexes[k], hostkey_algs[h],
                                    ciphers[c], aead ? NULL : macs[m], n % 2 == 0, n % 7 == 0);
                    n++;
                }
            }
        }
    }
}

static void test_without_strict_kex(void **state)
{
    (void)state;
    handshake(host_keys[0], "curve25519-sha256", "ssh-ed25519", "aes256-gcm@openssh.com", NULL,
              false);
}

static int refuse(void *user, sshkit_session *s, const sshkit_key *key)
{
    (void)user;
    (void)s;
    (void)key;
    return -1;
}

static void test_host_key_refused(void **state)
{
    (void)state;
    session_pair p;
    assert_int_equal(pair_new(&p, host_keys[0]), 0);
    sshkit_session_set_host_key_check(p.client, refuse, NULL);
    assert_int_equal(pair_start(&p), 0);
    assert_int_equal(pair_pump(&p, 4096), -1);
    assert_true(sshkit_session_is_closed(p.client));
    assert_int_equal(p.last_client_disconnect.u.disconnect.error, SSHKIT_E_HOST_KEY_REJECTED);
    /* The server learns why: HOST_KEY_NOT_VERIFIABLE (9). */
    assert_int_equal(p.server_disconnects, 1);
    assert_int_equal(p.last_server_disconnect.u.disconnect.reason, 9);
    assert_true(p.last_server_disconnect.u.disconnect.by_peer);
    pair_free(&p);
}

static void test_no_common_cipher(void **state)
{
    (void)state;
    session_pair p;
    assert_int_equal(pair_new(&p, host_keys[0]), 0);
    assert_int_equal(sshkit_session_set_algorithms(p.client, SSHKIT_ALG_CIPHER, "aes128-ctr"), 0);
    assert_int_equal(sshkit_session_set_algorithms(p.server, SSHKIT_ALG_CIPHER, "aes256-ctr"), 0);
    assert_int_equal(pair_start(&p), 0);
    pair_pump(&p, 4096);
    assert_true(sshkit_session_is_closed(p.client));
    assert_true(sshkit_session_is_closed(p.server));
    assert_non_null(strstr(sshkit_session_last_error(p.client), "no matching cipher found"));
    /* KEY_EXCHANGE_FAILED (3) reaches the other side. */
    assert_int_equal(p.last_server_disconnect.u.disconnect.reason, 3);
    pair_free(&p);
}

static void test_rekey_by_bytes(void **state)
{
    (void)state;
    session_pair p;
    assert_int_equal(pair_new(&p, host_keys[0]), 0);
    sshkit_session_set_rekey_limit(p.client, 2000, 0);
    assert_int_equal(pair_start(&p), 0);
    assert_int_equal(pair_pump(&p, 100), 0);
    assert_int_equal(p.client_kex_done, 1);
    /* IGNORE messages carry bytes: past 2000 the client renews its keys. */
    uint8_t filler[500] = { 0 };
    for (int i = 0; i < 10; i++) {
        sk_buf *b = sk_msg_begin(p.client, 2);
        sk_write_string(b, filler, sizeof filler);
        assert_int_equal(sk_msg_end(p.client), 0);
        assert_int_equal(sshkit_session_tick(p.client, 0), 0);
        assert_int_equal(pair_pump(&p, 100), 0);
    }
    assert_true(p.client_kex_done >= 2);
    assert_int_equal(p.client_kex_done, p.server_kex_done);
    assert_false(sshkit_session_is_closed(p.client));
    pair_free(&p);
}

static void test_rekey_by_time(void **state)
{
    (void)state;
    session_pair p;
    assert_int_equal(pair_new(&p, host_keys[1]), 0);
    sshkit_session_set_rekey_limit(p.server, 0, 60);
    assert_int_equal(pair_start(&p), 0);
    assert_int_equal(pair_pump(&p, 1 << 16), 0);
    assert_int_equal(sshkit_session_tick(p.server, 59999), 0);
    assert_int_equal(pair_pump(&p, 1 << 16), 0);
    assert_int_equal(p.server_kex_done, 1);
    assert_int_equal(sshkit_session_tick(p.server, 60000), 0);
    assert_int_equal(pair_pump(&p, 1 << 16), 0);
    assert_int_equal(p.server_kex_done, 2);
    assert_int_equal(p.client_kex_done, 2);
    pair_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_kex_method),
        cmocka_unit_test(test_group18),
        cmocka_unit_test(test_every_host_key),
        cmocka_unit_test(test_every_cipher_and_mac),
        cmocka_unit_test(test_full_matrix),
        cmocka_unit_test(test_without_strict_kex),
        cmocka_unit_test(test_host_key_refused),
        cmocka_unit_test(test_no_common_cipher),
        cmocka_unit_test(test_rekey_by_bytes),
        cmocka_unit_test(test_rekey_by_time),
    };
    return cmocka_run_group_tests_name("session_kex", tests, make_keys, free_keys);
}
