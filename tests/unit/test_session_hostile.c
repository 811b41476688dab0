/* Hostile peers against both roles of the transport engine: garbage
 * version lines, huge and corrupt packets, bad MACs, failed negotiation,
 * messages out of order, strict kex violations, bad kex values, and a
 * connection closed mid-packet. Each must end in a clean failure with the
 * right error, event and DISCONNECT reason code, and nothing leaked. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "hostile_peer.h"

static sshkit_key *host_key;

static int make_key(void **state)
{
    (void)state;
    return sshkit_key_generate(SSHKIT_KEY_ED25519, 0, &host_key) ? -1 : 0;
}

static int free_key(void **state)
{
    (void)state;
    sshkit_key_free(host_key);
    return 0;
}

static const sshkit_role roles[2] = { SSHKIT_ROLE_CLIENT, SSHKIT_ROLE_SERVER };

/* The session ended by its own decision: receive returned error, one
 * DISCONNECTED event with it and reason, last_error names `what`, the
 * DISCONNECT queued for the peer carries wire_reason (-1: none queued),
 * and every later call gives the same error. */
static void expect_failed(hostile *h, int error, unsigned reason, long wire_reason,
                          const char *what)
{
    const char *why = sshkit_session_last_error(h->s);
    if (h->rc != error || strstr(why, what) == NULL)
        fail_msg("got %s '%s', want %s '%s'", sshkit_error_name(h->rc), why,
                 sshkit_error_name(error), what);
    assert_true(sshkit_session_is_closed(h->s));
    assert_int_equal(h->disconnects, 1);
    assert_int_equal(h->disc.u.disconnect.error, error);
    assert_int_equal(h->disc.u.disconnect.reason, reason);
    assert_false(h->disc.u.disconnect.by_peer);
    assert_string_equal(h->disc.u.disconnect.message, why);
    assert_int_equal(hp_sent_reason(h), wire_reason);
    assert_int_equal(sshkit_session_receive(h->s, "x", 1), error);
}

/* A fresh session of a role is sent `script` (raw bytes) and must fail. */
static void version_case(sshkit_role role, const char *script, size_t len, int error,
                         const char *what)
{
    hostile h;
    assert_int_equal(hp_new(&h, role, host_key, NULL), 0);
    sk_write_raw(&h.wire, script, len);
    hp_flush(&h);
    if (h.rc == 0) {
        h.rc = sshkit_session_receive(h.s, NULL, 0);
        hp_events(&h);
    }
    /* No packet layer yet: no DISCONNECT, and reason 8 in the event only. */
    expect_failed(&h, error, error == SSHKIT_E_CONNECTION_CLOSED ? 0 : 8, -1, what);
    hp_free(&h);
}

static void test_version_garbage(void **state)
{
    (void)state;
    static const char binary[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03";
    static const char http_reply[] = "HTTP/1.1 400 Bad Request\r\nServer: nginx\r\n\r\n<html>\n";
    static const char http_get[] = "GET / HTTP/1.1\r\nHost: example\r\n\r\n";
    for (int r = 0; r < 2; r++) {
        version_case(roles[r], binary, sizeof binary - 1, SSHKIT_E_PROTOCOL, "binary data");
        version_case(roles[r], "SSH-1.5-old\r\n", 13, SSHKIT_E_PROTOCOL,
                     "unsupported SSH protocol version: 'SSH-1.5-old'");
        version_case(roles[r], "SSH-2.0-cut", 11, SSHKIT_E_CONNECTION_CLOSED,
                     "connection closed before the SSH version line");
    }
    /* A server may send lines before its version; an HTTP server's reply is
     * such lines, and the failure names what it said. */
    version_case(SSHKIT_ROLE_CLIENT, http_reply, sizeof http_reply - 1,
                 SSHKIT_E_CONNECTION_CLOSED, "peer sent 'HTTP/1.1 400 Bad Request'");
    version_case(SSHKIT_ROLE_SERVER, http_get, sizeof http_get - 1, SSHKIT_E_PROTOCOL,
                 "peer is not an SSH client: it sent 'GET / HTTP/1.1'");
}

static void test_version_too_much(void **state)
{
    (void)state;
    sk_buf b;
    sk_buf_init(&b);
    for (int i = 0; i < 2000; i++)
        sk_write_raw(&b, "banner line\r\n", 13);
    version_case(SSHKIT_ROLE_CLIENT, (const char *)b.data, b.len, SSHKIT_E_PROTOCOL,
                 "more than 1024 lines");
    version_case(SSHKIT_ROLE_SERVER, (const char *)b.data, b.len, SSHKIT_E_PROTOCOL,
                 "not an SSH client");
    sk_buf_reset(&b);
    sk_write_raw(&b, "SSH-2.0-", 8);
    for (int i = 0; i < 292; i++)
        sk_write_u8(&b, 'a');
    sk_write_raw(&b, "\r\n", 2);
    for (int r = 0; r < 2; r++)
        version_case(roles[r], (const char *)b.data, b.len, SSHKIT_E_PROTOCOL, "line too long");
    sk_buf_free(&b);
}

/* Pre-kex packets with a bad length field. */
static void test_bad_length_cleartext(void **state)
{
    (void)state;
    static const uint8_t huge[] = { 0xff, 0xff, 0xff, 0xff, 4, 20, 0, 0, 0, 0, 0, 0 };
    static const uint8_t tiny[] = { 0, 0, 0, 4, 4, 20, 0, 0, 0, 0, 0, 0 };
    static const uint8_t odd[] = { 0, 0, 0, 13, 4, 20, 0, 0, 0, 0, 0, 0 };
    for (int r = 0; r < 2; r++) {
        hostile h;
        const uint8_t *cases[3] = { huge, tiny, odd };
        for (int c = 0; c < 3; c++) {
            assert_int_equal(hp_new(&h, roles[r], host_key, NULL), 0);
            hp_version(&h, "SSH-2.0-hostile\r\n");
            sk_write_raw(&h.wire, cases[c], sizeof huge);
            hp_flush(&h);
            if (c == 0)
                expect_failed(&h, SSHKIT_E_TOO_LARGE, 2, 2, "packet too long");
            else
                expect_failed(&h, SSHKIT_E_PROTOCOL, 2, 2, "bad packet length");
            hp_free(&h);
        }
    }
}

/* ---- post-kex corruption, in every kind of packet protection ---- */

typedef struct {
    const char *cipher, *mac;
    bool length_in_clear;
} mode;

static const mode modes[] = {
    { "chacha20-poly1305@openssh.com", NULL, false },
    { "aes256-gcm@openssh.com", NULL, true },
    { "aes128-ctr", "hmac-sha2-256-etm@openssh.com", true },
    { "aes128-ctr", "hmac-sha2-256", false },
};
#define MODES (sizeof modes / sizeof modes[0])

/* The server got bad bytes: it must fail with error and reason, and the
 * client, decrypting the server's DISCONNECT, must learn the reason. */
static void expect_server_failed(session_pair *p, int rc, int error, unsigned reason)
{
    if (rc != error)
        fail_msg("server: got %s, want %s ('%s')", sshkit_error_name(rc),
                 sshkit_error_name(error), sshkit_session_last_error(p->server));
    assert_true(sshkit_session_is_closed(p->server));
    pair_count_events(p);
    assert_int_equal(p->server_disconnects, 1);
    assert_int_equal(p->last_server_disconnect.u.disconnect.reason, reason);
    assert_int_equal(p->last_server_disconnect.u.disconnect.error, error);
    assert_int_equal(pair_move(p->server, p->client, 1 << 20), -1);
    pair_count_events(p);
    assert_int_equal(p->client_disconnects, 1);
    assert_true(p->last_client_disconnect.u.disconnect.by_peer);
    assert_int_equal(p->last_client_disconnect.u.disconnect.reason, reason);
    assert_int_equal(p->last_client_disconnect.u.disconnect.error, SSHKIT_E_DISCONNECTED);
}

/* The client sends one IGNORE; corrupt() changes it on the way; the
 * server gets it (and, if it still waits, zeros up to two packets' worth). */
typedef void (*corrupt_fn)(uint8_t *pkt, size_t len, size_t tag_len, const void *arg);

static int deliver_corrupted(session_pair *p, corrupt_fn corrupt, const void *arg)
{
    sk_buf wire;
    sk_buf_init(&wire);
    assert_int_equal(send_ignore(p->client, 200), 0);
    pair_take(p->client, &wire);
    corrupt(wire.data, wire.len, sk_packet_tag_len(p->client->writer.dir.cipher), arg);
    int rc = sshkit_session_receive(p->server, wire.data, wire.len);
    static const uint8_t zeros[4096];
    for (int i = 0; rc >= 0 && i < 2 * (int)(SK_PACKET_MAX / sizeof zeros) + 2; i++)
        rc = sshkit_session_receive(p->server, zeros, sizeof zeros);
    sk_buf_free(&wire);
    return rc;
}

/* Makes the decrypted packet_length `want` (every mode's length is a
 * stream cipher's output or in the clear, so XOR carries through). */
static void set_length(uint8_t *pkt, size_t len, size_t tag_len, const void *arg)
{
    uint32_t want = *(const uint32_t *)arg, orig = (uint32_t)(len - 4 - tag_len);
    sk_store_u32(pkt, sk_load_u32(pkt) ^ orig ^ want);
}

static void overwrite_length(uint8_t *pkt, size_t len, size_t tag_len, const void *arg)
{
    (void)len;
    (void)tag_len;
    sk_store_u32(pkt, *(const uint32_t *)arg);
}

static void flip_byte(uint8_t *pkt, size_t len, size_t tag_len, const void *arg)
{
    (void)tag_len;
    long at = *(const long *)arg;
    pkt[at >= 0 ? (size_t)at : len + (size_t)at] ^= 0x01;
}

static void test_huge_length_post_kex(void **state)
{
    (void)state;
    for (size_t m = 0; m < MODES; m++) {
        session_pair p;
        uint32_t want = 0xffffffffu;
        assert_int_equal(pair_ready(&p, host_key, modes[m].cipher, modes[m].mac), 0);
        int rc = deliver_corrupted(&p, set_length, &want);
        expect_server_failed(&p, rc, SSHKIT_E_TOO_LARGE, 2);
        pair_free(&p);
    }
}

/* 0xFFFFFFFF written over the length as it is on the wire: where the
 * length is in the clear, too large; where it is encrypted, it decrypts
 * to noise, refused by length checks (2) or, failing those, by the MAC (5). */
static void test_overwritten_length_post_kex(void **state)
{
    (void)state;
    for (size_t m = 0; m < MODES; m++) {
        session_pair p;
        uint32_t ones = 0xffffffffu;
        assert_int_equal(pair_ready(&p, host_key, modes[m].cipher, modes[m].mac), 0);
        int rc = deliver_corrupted(&p, overwrite_length, &ones);
        if (modes[m].length_in_clear)
            assert_int_equal(rc, SSHKIT_E_TOO_LARGE);
        assert_true(rc == SSHKIT_E_TOO_LARGE || rc == SSHKIT_E_PROTOCOL || rc == SSHKIT_E_MAC);
        expect_server_failed(&p, rc, rc, rc == SSHKIT_E_MAC ? 5 : 2);
        pair_free(&p);
    }
}

static void test_bad_mac(void **state)
{
    (void)state;
    const long where[3] = { 5, 40, -1 };   /* message type, payload, last tag byte */
    for (size_t m = 0; m < MODES; m++) {
        for (int w = 0; w < 3; w++) {
            session_pair p;
            assert_int_equal(pair_ready(&p, host_key, modes[m].cipher, modes[m].mac), 0);
            int rc = deliver_corrupted(&p, flip_byte, &where[w]);
            expect_server_failed(&p, rc, SSHKIT_E_MAC, 5);
            pair_free(&p);
        }
    }
}

/* A length still plausible (shorter by two blocks) is caught by the MAC,
 * which covers the length in every mode. */
static void shrink_length(uint8_t *pkt, size_t len, size_t tag_len, const void *arg)
{
    (void)arg;
    uint32_t want = (uint32_t)(len - 4 - tag_len - 32);
    set_length(pkt, len, tag_len, &want);
}

static void test_shortened_length(void **state)
{
    (void)state;
    for (size_t m = 0; m < MODES; m++) {
        session_pair p;
        assert_int_equal(pair_ready(&p, host_key, modes[m].cipher, modes[m].mac), 0);
        int rc = deliver_corrupted(&p, shrink_length, NULL);
        expect_server_failed(&p, rc, SSHKIT_E_MAC, 5);
        pair_free(&p);
    }
}

/* ---- negotiation ---- */

static void test_no_common_algorithm(void **state)
{
    (void)state;
    static const struct { int list; const char *offer, *name; } cases[] = {
        { SK_KEXINIT_KEX, "diffie-hellman-group1-sha1", "no matching key exchange method" },
        { SK_KEXINIT_HOSTKEY, "ssh-dss", "no matching host key type" },
        { SK_KEXINIT_CIPHER_C2S, "3des-cbc", "no matching cipher" },
        { SK_KEXINIT_MAC_C2S, "hmac-md5", "no matching MAC" },
    };
    for (int r = 0; r < 2; r++) {
        for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
            hostile h;
            assert_int_equal(hp_new(&h, roles[r], host_key, NULL), 0);
            hp_version(&h, "SSH-2.0-hostile\r\n");
            hp_kexinit(&h, cases[c].list, cases[c].offer, true);
            hp_flush(&h);
            expect_failed(&h, SSHKIT_E_NO_COMMON_ALGORITHM, 3, 3, cases[c].name);
            if (strstr(sshkit_session_last_error(h.s), cases[c].offer) == NULL)
                fail_msg("'%s' does not name '%s'", sshkit_session_last_error(h.s),
                         cases[c].offer);
            hp_free(&h);
        }
    }
}

/* ---- messages out of order ---- */

static void out_of_order(sshkit_role role, bool after_kexinit, uint8_t type, const char *what)
{
    hostile h;
    assert_int_equal(hp_new(&h, role, host_key, NULL), 0);
    if (after_kexinit)
        hp_hello(&h, false);
    else
        hp_version(&h, "SSH-2.0-hostile\r\n");
    hp_msg(&h, type, "ssh-userauth");
    hp_flush(&h);
    expect_failed(&h, SSHKIT_E_PROTOCOL, 2, 2, what);
    hp_free(&h);
}

static void test_messages_before_newkeys(void **state)
{
    (void)state;
    static const uint8_t to_server[] = { SK_MSG_SERVICE_REQUEST, SK_MSG_CHANNEL_OPEN,
                                         SK_MSG_USERAUTH_REQUEST, SK_MSG_EXT_INFO };
    static const uint8_t to_client[] = { SK_MSG_SERVICE_ACCEPT, SK_MSG_USERAUTH_SUCCESS,
                                         SK_MSG_CHANNEL_DATA, SK_MSG_EXT_INFO };
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < sizeof to_server; i++) {
            out_of_order(SSHKIT_ROLE_SERVER, k, to_server[i], "unexpected message");
            out_of_order(SSHKIT_ROLE_CLIENT, k, to_client[i], "unexpected message");
        }
    }
}

static void test_second_kexinit(void **state)
{
    (void)state;
    for (int r = 0; r < 2; r++) {
        hostile h;
        assert_int_equal(hp_new(&h, roles[r], host_key, NULL), 0);
        hp_hello(&h, true);
        hp_kexinit(&h, -1, NULL, true);
        hp_flush(&h);
        expect_failed(&h, SSHKIT_E_PROTOCOL, 2, 2, "second KEXINIT during one key exchange");
        hp_free(&h);
    }
}

static void test_newkeys_too_early(void **state)
{
    (void)state;
    for (int r = 0; r < 2; r++) {
        hostile h;
        assert_int_equal(hp_new(&h, roles[r], host_key, NULL), 0);
        hp_hello(&h, false);
        hp_msg(&h, SK_MSG_NEWKEYS, NULL);
        hp_flush(&h);
        expect_failed(&h, SSHKIT_E_PROTOCOL, 2, 2, "unexpected NEWKEYS");
        hp_free(&h);
    }
}

/* A kex method message the role never receives (a server's REPLY sent to
 * a server, a client's INIT sent to a client), or before any KEXINIT. */
static void test_wrong_kex_message(void **state)
{
    (void)state;
    for (int r = 0; r < 2; r++) {
        hostile h;
        uint8_t wrong = roles[r] == SSHKIT_ROLE_CLIENT ? 30 : 31;
        assert_int_equal(hp_new(&h, roles[r], host_key, NULL), 0);
        hp_hello(&h, false);
        hp_msg(&h, wrong, "x");
        hp_flush(&h);
        expect_failed(&h, SSHKIT_E_PROTOCOL, 2, 2, "unexpected key exchange message");
        hp_free(&h);
        assert_int_equal(hp_new(&h, roles[r], host_key, NULL), 0);
        hp_version(&h, "SSH-2.0-hostile\r\n");
        hp_msg(&h, 30, "x");
        hp_flush(&h);
        expect_failed(&h, SSHKIT_E_PROTOCOL, 2, 2, "key exchange message 30 before KEXINIT");
        hp_free(&h);
    }
}

/* ---- strict kex ---- */

static void test_strict_ignore_during_kex(void **state)
{
    (void)state;
    for (int r = 0; r < 2; r++) {
        hostile h;
        assert_int_equal(hp_new(&h, roles[r], host_key, NULL), 0);
        hp_hello(&h, true);
        hp_msg(&h, SK_MSG_IGNORE, "padding");
        hp_flush(&h);
        expect_failed(&h, SSHKIT_E_PROTOCOL, 2, 2, "strict KEX violation");
        hp_free(&h);
    }
}

/* The same IGNORE, sent by a real client in the middle of its first
 * exchange: fatal with strict kex, harmless without. */
static void test_ignore_during_kex_pair(void **state)
{
    (void)state;
    for (int strict = 0; strict < 2; strict++) {
        session_pair p;
        assert_int_equal(pair_new(&p, host_key), 0);
        p.client->no_strict_kex = !strict;
        assert_int_equal(pair_start(&p), 0);
        assert_int_equal(send_ignore(p.client, 16), 0);
        int rc = pair_pump(&p, 1 << 20);
        if (strict) {
            assert_int_equal(rc, -1);
            assert_int_equal(p.last_server_disconnect.u.disconnect.reason, 2);
            assert_int_equal(p.last_client_disconnect.u.disconnect.reason, 2);
            assert_true(p.last_client_disconnect.u.disconnect.by_peer);
            assert_non_null(strstr(sshkit_session_last_error(p.server), "strict KEX violation"));
        } else {
            assert_int_equal(rc, 0);
            assert_int_equal(p.server_kex_done, 1);
            assert_int_equal(p.client_kex_done, 1);
        }
        pair_free(&p);
    }
}

static void test_strict_kexinit_not_first(void **state)
{
    (void)state;
    for (int r = 0; r < 2; r++) {
        for (int strict = 0; strict < 2; strict++) {
            hostile h;
            assert_int_equal(hp_new(&h, roles[r], host_key, NULL), 0);
            hp_version(&h, "SSH-2.0-hostile\r\n");
            hp_msg(&h, SK_MSG_IGNORE, "first");
            hp_kexinit(&h, -1, NULL, strict);
            hp_flush(&h);
            if (strict) {
                expect_failed(&h, SSHKIT_E_PROTOCOL, 2, 2,
                              "strict KEX violation: KEXINIT was not the first packet");
            } else {
                assert_int_equal(h.rc, 0);
                assert_false(sshkit_session_is_closed(h.s));
            }
            hp_free(&h);
        }
    }
}

/* Terrapin (CVE-2023-48795): a man in the middle adds an IGNORE to the
 * server's cleartext and deletes the server's first encrypted packet
 * (EXT_INFO); sequence numbers line up again. Without strict kex the client
 * cannot tell; with it, the client refuses the IGNORE (2). */
static void terrapin(bool strict)
{
    session_pair p;
    sk_buf wire;
    sk_buf_init(&wire);
    assert_int_equal(pair_new(&p, host_key), 0);
    p.client->no_strict_kex = !strict;
    assert_int_equal(pair_start(&p), 0);
    assert_true(pair_move(p.client, p.server, 1 << 20) > 0);
    pair_take(p.server, &wire);                 /* version, KEXINIT */
    static const uint8_t ignore[] = { SK_MSG_IGNORE, 0, 0, 0, 0 };
    hp_packet(&wire, ignore, sizeof ignore);
    int rc = sshkit_session_receive(p.client, wire.data, wire.len);
    sk_buf_reset(&wire);
    if (strict) {
        assert_int_equal(rc, SSHKIT_E_PROTOCOL);
        assert_int_equal(sent_reason(p.client), 2);
        assert_non_null(strstr(sshkit_session_last_error(p.client), "strict KEX violation"));
    } else {
        assert_true(pair_move(p.client, p.server, 1 << 20) > 0);  /* kex init */
        pair_take(p.server, &wire);             /* REPLY, NEWKEYS, EXT_INFO */
        size_t pos = 0;
        sk_bytes nk;
        assert_true(hp_find_packet(wire.data, wire.len, &pos, SK_MSG_NEWKEYS, &nk));
        assert_true(pos < wire.len);
        assert_true(sshkit_session_receive(p.client, wire.data, pos) >= 0);  /* no EXT_INFO */
        assert_int_equal(send_ignore(p.server, 8), 0);
        assert_int_equal(pair_pump(&p, 1 << 20), 0);
        assert_int_equal(p.client_kex_done, 1);
        assert_null(sk_session_server_sig_algs(p.client));   /* lost, unnoticed */
    }
    sk_buf_free(&wire);
    pair_free(&p);
}

static void test_terrapin(void **state)
{
    (void)state;
    terrapin(false);
    terrapin(true);
}

/* ---- kex values ---- */

/* The REPLY's signature corrupted in flight: the client refuses (3) and
 * says so in the clear (it has no new keys yet); the server hears it. */
static void test_bad_signature(void **state)
{
    (void)state;
    session_pair p;
    sk_buf wire;
    sk_buf_init(&wire);
    assert_int_equal(pair_new(&p, host_key), 0);
    assert_int_equal(pair_start(&p), 0);
    /* versions and KEXINITs cross; the client's kex init goes to the server */
    assert_true(pair_move(p.client, p.server, 1 << 20) > 0);
    assert_true(pair_move(p.server, p.client, 1 << 20) > 0);
    assert_true(pair_move(p.client, p.server, 1 << 20) > 0);
    pair_take(p.server, &wire);
    size_t pos = 0;
    sk_bytes reply = { NULL, 0 };
    assert_true(hp_find_packet(wire.data, wire.len, &pos, 31, &reply));
    wire.data[reply.ptr - wire.data + reply.len - 1] ^= 0x40;   /* last byte of the signature */
    int rc = sshkit_session_receive(p.client, wire.data, wire.len);
    assert_int_equal(rc, SSHKIT_E_SIGNATURE);
    assert_int_equal(sent_reason(p.client), 3);
    assert_non_null(strstr(sshkit_session_last_error(p.client), "signature"));
    pair_move(p.client, p.server, 1 << 20);
    pair_count_events(&p);
    assert_int_equal(p.last_client_disconnect.u.disconnect.reason, 3);
    assert_int_equal(p.last_server_disconnect.u.disconnect.reason, 3);
    assert_true(p.last_server_disconnect.u.disconnect.by_peer);
    sk_buf_free(&wire);
    pair_free(&p);
}

/* A hostile client's kex init with a public value that must be refused. */
static void bad_client_value(const char *kex, const uint8_t *value, size_t len, bool mpint)
{
    hostile h;
    assert_int_equal(hp_new(&h, SSHKIT_ROLE_SERVER, host_key, kex), 0);
    hp_version(&h, "SSH-2.0-hostile\r\n");
    hp_kexinit(&h, SK_KEXINIT_KEX, kex, false);
    sk_buf p;
    sk_buf_init(&p);
    sk_write_u8(&p, 30);
    if (mpint)
        sk_write_mpint(&p, value, len);
    else
        sk_write_string(&p, value, len);
    hp_packet(&h.wire, p.data, p.len);
    sk_buf_free(&p);
    hp_flush(&h);
    expect_failed(&h, SSHKIT_E_BAD_PUBLIC_VALUE, 3, 3, "client sent an invalid public value");
    hp_free(&h);
}

static void test_invalid_public_to_server(void **state)
{
    (void)state;
    uint8_t zeros[65] = { 0 }, one = 1, point[65] = { 4 };
    bad_client_value("curve25519-sha256", zeros, 32, false);
    bad_client_value("curve25519-sha256", zeros, 31, false);
    bad_client_value("ecdh-sha2-nistp256", point, 65, false);
    bad_client_value("ecdh-sha2-nistp256", zeros, 65, false);
    bad_client_value("diffie-hellman-group14-sha256", &one, 1, true);
    bad_client_value("diffie-hellman-group14-sha256", zeros, 0, true);
}

/* A hostile server's reply with an all-zero X25519 value. */
static void test_invalid_public_to_client(void **state)
{
    (void)state;
    hostile h;
    uint8_t *blob = NULL, zeros[32] = { 0 };
    size_t blob_len = 0;
    assert_int_equal(sshkit_key_public_blob(host_key, &blob, &blob_len), 0);
    assert_int_equal(hp_new(&h, SSHKIT_ROLE_CLIENT, NULL, NULL), 0);
    hp_hello(&h, false);
    sk_buf p;
    sk_buf_init(&p);
    sk_write_u8(&p, 31);
    sk_write_string(&p, blob, blob_len);
    sk_write_string(&p, zeros, sizeof zeros);
    sk_write_cstring(&p, "not a signature");
    hp_packet(&h.wire, p.data, p.len);
    sk_buf_free(&p);
    hp_flush(&h);
    expect_failed(&h, SSHKIT_E_BAD_PUBLIC_VALUE, 3, 3, "server sent an invalid public value");
    sshkit_free(blob, blob_len);
    hp_free(&h);
}

/* ---- after the key exchange ---- */

/* Connection-layer messages before authentication (CVE-2018-10933). */
static void test_connection_before_auth(void **state)
{
    (void)state;
    static const uint8_t types[] = { SK_MSG_CHANNEL_OPEN, SK_MSG_GLOBAL_REQUEST,
                                     SK_MSG_CHANNEL_DATA, SK_MSG_CHANNEL_REQUEST };
    for (size_t i = 0; i < sizeof types; i++) {
        session_pair p;
        assert_int_equal(pair_ready(&p, host_key, "chacha20-poly1305@openssh.com", NULL), 0);
        sk_buf *b = sk_msg_begin(p.client, types[i]);
        sk_write_cstring(b, "session");
        sk_write_u32(b, 0);
        sk_write_u32(b, 1 << 20);
        sk_write_u32(b, 1 << 15);
        assert_int_equal(sk_msg_end(p.client), 0);
        long moved = pair_move(p.client, p.server, 1 << 20);
        expect_server_failed(&p, moved < 0 ? p.server->final_error : 0, SSHKIT_E_PROTOCOL, 2);
        assert_non_null(strstr(sshkit_session_last_error(p.server), "before authentication"));
        pair_free(&p);
    }
}

/* A rekey the client starts, followed (bypassing the hold that an honest
 * sender applies) by a message that is not part of the exchange. */
static void test_message_during_rekey(void **state)
{
    (void)state;
    session_pair p;
    assert_int_equal(pair_ready(&p, host_key, "aes256-gcm@openssh.com", NULL), 0);
    assert_int_equal(sshkit_session_rekey(p.client), 0);
    sk_packet_begin(&p.client->writer, SK_MSG_SERVICE_REQUEST);
    sk_write_cstring(&p.client->out, "ssh-userauth");
    assert_int_equal(sk_packet_end(&p.client->writer), 0);
    long moved = pair_move(p.client, p.server, 1 << 20);
    expect_server_failed(&p, moved < 0 ? p.server->final_error : 0, SSHKIT_E_PROTOCOL, 2);
    assert_non_null(strstr(sshkit_session_last_error(p.server), "during key exchange"));
    pair_free(&p);
}

/* An unknown message type after the key exchange is not fatal: the
 * answer is UNIMPLEMENTED and the session goes on. */
static void test_unknown_message_post_kex(void **state)
{
    (void)state;
    session_pair p;
    assert_int_equal(pair_ready(&p, host_key, "chacha20-poly1305@openssh.com", NULL), 0);
    sk_buf *b = sk_msg_begin(p.client, 200);
    sk_write_cstring(b, "what?");
    assert_int_equal(sk_msg_end(p.client), 0);
    assert_true(pair_move(p.client, p.server, 1 << 20) > 0);
    assert_false(sshkit_session_is_closed(p.server));
    assert_true(pair_move(p.server, p.client, 1 << 20) > 0);   /* the UNIMPLEMENTED */
    assert_false(sshkit_session_is_closed(p.client));
    assert_int_equal(pair_pump(&p, 1 << 20), 0);
    pair_free(&p);
}

/* ---- truncated and garbled KEXINIT ---- */

static void kexinit_variant(sshkit_role role, const uint8_t *payload, size_t len, bool exact)
{
    hostile h;
    assert_int_equal(hp_new(&h, role, host_key, NULL), 0);
    hp_version(&h, "SSH-2.0-hostile\r\n");
    hp_packet(&h.wire, payload, len);
    hp_flush(&h);
    if (exact) {
        expect_failed(&h, SSHKIT_E_PROTOCOL, 2, 2, "malformed KEXINIT");
    } else if (sshkit_session_is_closed(h.s)) {
        assert_true(h.rc < 0);
        assert_int_equal(h.disconnects, 1);
        assert_int_equal(hp_sent_reason(&h), (long)h.disc.u.disconnect.reason);
        assert_true(h.disc.u.disconnect.reason == 2 || h.disc.u.disconnect.reason == 3);
    }
    hp_free(&h);
}

static void test_truncated_kexinit(void **state)
{
    (void)state;
    for (int r = 0; r < 2; r++) {
        sk_buf p;
        sk_buf_init(&p);
        hp_kexinit_payload(&p, roles[1 - r], -1, NULL, true);
        for (size_t len = 1; len < p.len; len++)
            kexinit_variant(roles[r], p.data, len, true);
        sk_buf_free(&p);
    }
}

static void test_garbled_kexinit(void **state)
{
    (void)state;
    for (int r = 0; r < 2; r++) {
        sk_buf p;
        sk_buf_init(&p);
        hp_kexinit_payload(&p, roles[1 - r], -1, NULL, true);
        for (size_t at = 1; at < p.len; at++) {
            const uint8_t xors[3] = { 0x80, 0xff, 0x2c ^ p.data[at] };  /* high bit, ~, ',' */
            for (int x = 0; x < 3; x++) {
                p.data[at] ^= xors[x];
                kexinit_variant(roles[r], p.data, p.len, false);
                p.data[at] ^= xors[x];
            }
        }
        sk_buf_free(&p);
    }
}

/* ---- the peer goes away ---- */

static void test_closed_mid_packet(void **state)
{
    (void)state;
    for (int r = 0; r < 2; r++) {
        hostile h;
        assert_int_equal(hp_new(&h, roles[r], host_key, NULL), 0);
        hp_hello(&h, true);
        h.wire.len -= 7;        /* the KEXINIT's last bytes never come */
        hp_flush(&h);
        assert_int_equal(h.rc, 0);
        h.rc = sshkit_session_receive(h.s, NULL, 0);
        hp_events(&h);
        expect_failed(&h, SSHKIT_E_CONNECTION_CLOSED, 0, -1, "connection closed by peer");
        hp_free(&h);
    }
    session_pair p;
    assert_int_equal(pair_ready(&p, host_key, "aes256-gcm@openssh.com", NULL), 0);
    assert_int_equal(send_ignore(p.client, 100), 0);
    const uint8_t *d;
    assert_true(sshkit_session_pending(p.client, &d) > 10);
    assert_int_equal(sshkit_session_receive(p.server, d, 10), 10);
    assert_int_equal(sshkit_session_receive(p.server, NULL, 0), SSHKIT_E_CONNECTION_CLOSED);
    assert_true(sshkit_session_is_closed(p.server));
    pair_count_events(&p);
    assert_int_equal(p.last_server_disconnect.u.disconnect.error, SSHKIT_E_CONNECTION_CLOSED);
    pair_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_garbage),
        cmocka_unit_test(test_version_too_much),
        cmocka_unit_test(test_bad_length_cleartext),
        cmocka_unit_test(test_huge_length_post_kex),
        cmocka_unit_test(test_overwritten_length_post_kex),
        cmocka_unit_test(test_bad_mac),
        cmocka_unit_test(test_shortened_length),
        cmocka_unit_test(test_no_common_algorithm),
        cmocka_unit_test(test_messages_before_newkeys),
        cmocka_unit_test(test_second_kexinit),
        cmocka_unit_test(test_newkeys_too_early),
        cmocka_unit_test(test_wrong_kex_message),
        cmocka_unit_test(test_strict_ignore_during_kex),
        cmocka_unit_test(test_ignore_during_kex_pair),
        cmocka_unit_test(test_strict_kexinit_not_first),
        cmocka_unit_test(test_terrapin),
        cmocka_unit_test(test_bad_signature),
        cmocka_unit_test(test_invalid_public_to_server),
        cmocka_unit_test(test_invalid_public_to_client),
        cmocka_unit_test(test_connection_before_auth),
        cmocka_unit_test(test_message_during_rekey),
        cmocka_unit_test(test_unknown_message_post_kex),
        cmocka_unit_test(test_truncated_kexinit),
        cmocka_unit_test(test_garbled_kexinit),
        cmocka_unit_test(test_closed_mid_packet),
    };
    return cmocka_run_group_tests_name("session_hostile", tests, make_key, free_key);
}
