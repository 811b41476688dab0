/* Compression in the session, client against server in memory: both
 * methods, data both ways through a channel with rekeys in between (each
 * NEWKEYS starts the streams afresh), when zlib@openssh.com starts, and
 * the peers that break it (a bomb, a corrupt stream) cut off with
 * COMPRESSION_ERROR. "none" stays as it was. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sshkit/auth.h>
#include <sshkit/channel.h>
#include <sshkit/error.h>
#include "session_pair.h"
#include "transport/messages.h"
#include "transport/session_internal.h"

static sshkit_key *host_key;

static const char *anyone(void *user, const char *name)
{
    (void)user;
    (void)name;
    return "none";
}

typedef struct {
    session_pair p;
    sshkit_channel *ch[2];      /* [0] the client's channel, [1] the server's */
    uint8_t *got[2];            /* what each side read */
    size_t got_len[2], got_cap[2];
} fixture;

static void keep(fixture *f, int side, sshkit_channel *ch)
{
    for (;;) {
        if (f->got_len[side] + 65536 > f->got_cap[side]) {
            f->got_cap[side] = f->got_cap[side] * 2 + 65536;
            f->got[side] = realloc(f->got[side], f->got_cap[side]);
        }
        int n = sshkit_channel_read(ch, 0, f->got[side] + f->got_len[side], 65536);
        if (n <= 0)
            return;
        f->got_len[side] += (size_t)n;
    }
}

static int handle(fixture *f, int side, sshkit_session *s)
{
    sshkit_event ev;
    int events = 0;
    while (sshkit_session_next_event(s, &ev) > 0) {
        events++;
        if (ev.type == SSHKIT_EVENT_CHANNEL_OPEN_REQUEST) {
            assert_int_equal(sshkit_channel_accept(ev.u.channel.channel), 0);
            f->ch[1] = ev.u.channel.channel;
        } else if (ev.type == SSHKIT_EVENT_CHANNEL_DATA) {
            keep(f, side, ev.u.channel.channel);
        } else if (ev.type == SSHKIT_EVENT_KEX_DONE) {
            side ? f->p.server_kex_done++ : f->p.client_kex_done++;
        } else if (ev.type == SSHKIT_EVENT_DISCONNECTED) {
            side ? f->p.server_disconnects++ : f->p.client_disconnects++;
            *(side ? &f->p.last_server_disconnect : &f->p.last_client_disconnect) = ev;
        }
    }
    return events;
}

static void pump(fixture *f)
{
    for (int round = 0; round < 100000; round++) {
        long a = pair_move(f->p.client, f->p.server, 1 << 16);
        long b = pair_move(f->p.server, f->p.client, 1 << 16);
        int events = handle(f, 0, f->p.client) + handle(f, 1, f->p.server);
        if (a <= 0 && b <= 0 && events == 0)
            return;
    }
    fail_msg("the pair never went quiet");
}

/* A pair offering these lists (NULL: the defaults), through the key
 * exchange but not yet authenticated. */
static void start_pair(fixture *f, const char *client_comp, const char *server_comp)
{
    memset(f, 0, sizeof *f);
    assert_int_equal(pair_new(&f->p, host_key), 0);
    if (client_comp)
        assert_int_equal(sshkit_session_set_algorithms(f->p.client, SSHKIT_ALG_COMPRESSION,
                                                       client_comp), 0);
    if (server_comp)
        assert_int_equal(sshkit_session_set_algorithms(f->p.server, SSHKIT_ALG_COMPRESSION,
                                                       server_comp), 0);
    sshkit_server_auth auth = { .methods = anyone };
    assert_int_equal(sshkit_server_set_auth(f->p.server, &auth), 0);
    assert_int_equal(pair_start(&f->p), 0);
    pump(f);
    assert_true(sshkit_session_is_secure(f->p.client));
}

static void authenticate(fixture *f)
{
    assert_int_equal(sshkit_auth_none(f->p.client, "robey"), 0);
    pump(f);
    assert_true(sshkit_auth_is_done(f->p.client));
}

static void open_channel(fixture *f)
{
    assert_int_equal(sshkit_channel_open_session(f->p.client, &f->ch[0]), 0);
    pump(f);
    assert_non_null(f->ch[1]);
}

static void finish(fixture *f)
{
    sshkit_channel_free(f->ch[0]);
    sshkit_channel_free(f->ch[1]);
    free(f->got[0]);
    free(f->got[1]);
    pair_free(&f->p);
}

static bool compressing(sshkit_session *s)
{
    return s->writer.dir.zstream != NULL && s->reader.dir.zstream != NULL;
}

/* Log lines, or noise (as a cipher's output would be). */
static uint8_t *make_data(size_t n, bool noise)
{
    uint8_t *p = malloc(n);
    uint64_t x = 88172645463325252ull;
    size_t at = 0;
    while (!noise && at < n) {
        char line[80];
        int len = snprintf(line, sizeof line, "%zu: request served in %zu ms\n", at, at % 977);
        for (int i = 0; i < len && at < n; i++)
            p[at++] = (uint8_t)line[i];
    }
    for (; at < n; at++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        p[at] = (uint8_t)(x >> 24);
    }
    return p;
}

/* Sends data one way (side 0: client to server), pumping as windows shut. */
static void send_all(fixture *f, int from, const uint8_t *data, size_t len)
{
    size_t off = 0;
    f->got_len[!from] = 0;
    for (int round = 0; off < len && round < 100000; round++) {
        int n = sshkit_channel_write(f->ch[from], 0, data + off, len - off);
        if (n > 0)
            off += (size_t)n;
        else
            assert_int_equal(n, SSHKIT_E_AGAIN);
        pump(f);
    }
    assert_int_equal(off, len);
    assert_int_equal(f->got_len[!from], len);
    assert_memory_equal(f->got[!from], data, len);
}

/* 8 MiB of text and 8 MiB of noise each way, keys renewed every 256 KiB
 * on the wire. Text shrinks to less than a quarter; noise grows by less
 * than 1%. */
static void move_data_with_rekeys(fixture *f)
{
    sshkit_session_set_rekey_limit(f->p.client, 256 << 10, 0);
    size_t len = 8u << 20;
    const sk_packet_dir *out = &f->p.client->writer.dir;
    for (int noise = 0; noise < 2; noise++) {
        uint8_t *data = make_data(len, noise);
        for (int from = 0; from < 2; from++) {
            uint64_t plain = out->plain_bytes, zipped = out->zipped_bytes;
            int kex_before = f->p.client_kex_done;
            send_all(f, from, data, len);
            assert_true(f->p.client_kex_done - kex_before >= 3);
            if (from == 1)
                continue;
            plain = out->plain_bytes - plain;
            zipped = out->zipped_bytes - zipped;
            assert_true(plain > len);
            assert_true(noise ? zipped < plain + plain / 100 : zipped < plain / 4);
        }
        free(data);
    }
    assert_int_equal(f->p.client_kex_done, f->p.server_kex_done);
    assert_true(compressing(f->p.client) && compressing(f->p.server));
    assert_int_equal(f->p.client_disconnects + f->p.server_disconnects, 0);
}

static void test_zlib_from_newkeys(void **state)
{
    (void)state;
    fixture f;
    start_pair(&f, "zlib", "none,zlib");
    assert_string_equal(sshkit_session_get_negotiated(f.p.client, SSHKIT_ALG_COMPRESSION), "zlib");
    assert_true(compressing(f.p.client) && compressing(f.p.server));
    authenticate(&f);
    open_channel(&f);
    move_data_with_rekeys(&f);
    finish(&f);
}

static void test_delayed_from_userauth_success(void **state)
{
    (void)state;
    fixture f;
    start_pair(&f, "zlib@openssh.com", NULL);
    assert_string_equal(sshkit_session_get_negotiated(f.p.server, SSHKIT_ALG_COMPRESSION),
                        "zlib@openssh.com");
    assert_false(f.p.client->writer.dir.zstream || f.p.client->reader.dir.zstream);
    assert_false(f.p.server->writer.dir.zstream || f.p.server->reader.dir.zstream);
    /* A rekey before authentication leaves it off. */
    assert_int_equal(sshkit_session_rekey(f.p.client), 0);
    pump(&f);
    assert_int_equal(f.p.server_kex_done, 2);
    assert_false(f.p.client->writer.dir.zstream || f.p.server->reader.dir.zstream);
    authenticate(&f);
    assert_true(compressing(f.p.client) && compressing(f.p.server));
    open_channel(&f);
    move_data_with_rekeys(&f);
    finish(&f);
}

/* The server decides during a key exchange it started: its
 * USERAUTH_SUCCESS waits for NEWKEYS, and compression starts after it,
 * not at the NEWKEYS before it. */
static void test_delayed_success_held_by_rekey(void **state)
{
    (void)state;
    fixture f;
    start_pair(&f, "zlib@openssh.com", NULL);
    assert_int_equal(sshkit_session_rekey(f.p.server), 0);
    assert_int_equal(sshkit_auth_none(f.p.client, "robey"), 0);
    pump(&f);
    assert_true(sshkit_auth_is_done(f.p.client));
    assert_int_equal(f.p.server_kex_done, 2);
    assert_true(compressing(f.p.client) && compressing(f.p.server));
    open_channel(&f);
    uint8_t *data = make_data(1 << 20, false);
    send_all(&f, 0, data, 1 << 20);
    send_all(&f, 1, data, 1 << 20);
    free(data);
    finish(&f);
}

/* The default client list prefers none; a server that offers only
 * delayed compression still gets it (as ssh without -C). */
static void test_defaults(void **state)
{
    (void)state;
    fixture f;
    start_pair(&f, NULL, NULL);
    assert_string_equal(sshkit_session_get_algorithms(f.p.client, SSHKIT_ALG_COMPRESSION),
                        "none,zlib@openssh.com,zlib");
    assert_string_equal(sshkit_session_get_algorithms(f.p.server, SSHKIT_ALG_COMPRESSION),
                        "none,zlib@openssh.com");
    assert_string_equal(sshkit_session_get_negotiated(f.p.client, SSHKIT_ALG_COMPRESSION), "none");
    authenticate(&f);
    assert_false(f.p.client->writer.dir.zstream || f.p.server->writer.dir.zstream);
    finish(&f);
    start_pair(&f, NULL, "zlib@openssh.com");
    authenticate(&f);
    assert_true(compressing(f.p.client) && compressing(f.p.server));
    finish(&f);
    sshkit_session *s;
    assert_int_equal(sshkit_session_new(SSHKIT_ROLE_CLIENT, &s), 0);
    assert_int_equal(sshkit_session_set_algorithms(s, SSHKIT_ALG_COMPRESSION, "zlib,gzip"),
                     SSHKIT_E_UNSUPPORTED);
    assert_int_equal(sshkit_session_set_algorithms(s, SSHKIT_ALG_COMPRESSION, "^zlib@openssh.com"),
                     0);
    assert_string_equal(sshkit_session_get_algorithms(s, SSHKIT_ALG_COMPRESSION),
                        "zlib@openssh.com,none,zlib");
    sshkit_session_free(s);
}

/* "none": nothing goes through zlib, the bytes are as before. */
static void test_none_unchanged(void **state)
{
    (void)state;
    fixture f;
    start_pair(&f, "none", NULL);
    authenticate(&f);
    open_channel(&f);
    size_t len = 2u << 20;
    uint8_t *data = make_data(len, false);
    uint64_t wire_before = f.p.client->writer.dir.bytes;
    send_all(&f, 0, data, len);
    assert_true(f.p.client->writer.dir.bytes - wire_before > len);
    assert_int_equal(f.p.client->writer.dir.plain_bytes, 0);
    assert_int_equal(f.p.server->reader.dir.plain_bytes, 0);
    free(data);
    finish(&f);
}

/* The largest payload sk_packet_max_payload allows, of noise (which deflate
 * makes larger), still fits in a packet once compressed, and goes through. */
static void test_largest_payload_fits(void **state)
{
    (void)state;
    fixture f;
    start_pair(&f, "zlib", "zlib");
    sk_packet_writer *w = &f.p.client->writer;
    size_t max = sk_packet_max_payload(w);
    uint8_t *noise = make_data(max, true);
    sk_packet_begin(w, SK_MSG_IGNORE);
    sk_write_string(w->out, noise, max - 5);    /* type and length make max */
    assert_int_equal(sk_packet_end(w), 0);
    assert_true(w->dir.zipped_bytes > w->dir.plain_bytes);
    pump(&f);
    assert_int_equal(f.p.server->reader.dir.plain_bytes, f.p.client->writer.dir.plain_bytes);
    assert_int_equal(f.p.client_disconnects + f.p.server_disconnects, 0);
    authenticate(&f);
    free(noise);
    finish(&f);
}

/* Puts a packet on the client's wire whose payload is given as is,
 * although the server expects it compressed (the client's stream is
 * set aside for it). */
static void send_raw_payload(fixture *f, const uint8_t *payload, size_t len)
{
    sk_packet_writer *w = &f->p.client->writer;
    sk_zstream *z = w->dir.zstream;
    w->dir.zstream = NULL;
    sk_packet_begin(w, payload[0]);
    sk_write_raw(w->out, payload + 1, len - 1);
    assert_int_equal(sk_packet_end(w), 0);
    w->dir.zstream = z;
}

static void expect_compression_error(fixture *f, const char *why)
{
    pump(f);
    assert_int_equal(f->p.server_disconnects, 1);
    assert_int_equal(f->p.last_server_disconnect.u.disconnect.reason,
                     SK_DISCONNECT_COMPRESSION_ERROR);
    assert_int_equal(f->p.last_server_disconnect.u.disconnect.error, SSHKIT_E_PROTOCOL);
    assert_non_null(strstr(sshkit_session_last_error(f->p.server), why));
    /* The client heard why, through its own (intact) inflater. */
    assert_int_equal(f->p.client_disconnects, 1);
    assert_true(f->p.last_client_disconnect.u.disconnect.by_peer);
    assert_int_equal(f->p.last_client_disconnect.u.disconnect.reason,
                     SK_DISCONNECT_COMPRESSION_ERROR);
}

/* A bomb: a CHANNEL_DATA of 1 MiB of zeros, deflated by the client's own
 * stream (so that everything before it is in order) into about 1 KiB. */
static void test_bomb_disconnects(void **state)
{
    (void)state;
    for (int delayed = 0; delayed < 2; delayed++) {
        fixture f;
        start_pair(&f, delayed ? "zlib@openssh.com" : "zlib", "zlib,zlib@openssh.com");
        authenticate(&f);
        open_channel(&f);
        size_t len = 1u << 20;
        uint8_t *bomb = calloc(1, len);
        bomb[0] = SK_MSG_CHANNEL_DATA;
        sk_bytes z;
        assert_int_equal(sk_zstream_deflate(f.p.client->writer.dir.zstream, bomb, len, &z), 0);
        assert_true(z.len < 4096);
        send_raw_payload(&f, z.ptr, z.len);
        expect_compression_error(&f, "compression bomb");
        assert_int_equal(f.got_len[1], 0);
        free(bomb);
        finish(&f);
    }
}

/* A payload that is not zlib: the server cannot inflate it. Also a
 * client that starts before USERAUTH_SUCCESS, which is the same to the
 * server. */
static void test_corrupt_stream_disconnects(void **state)
{
    (void)state;
    fixture f;
    start_pair(&f, "zlib", "zlib");
    /* An IGNORE message in the clear: not zlib. */
    static const uint8_t plain[] = { SK_MSG_IGNORE, 0, 0, 0, 3, 'a', 'b', 'c' };
    send_raw_payload(&f, plain, sizeof plain);
    expect_compression_error(&f, "corrupt compressed data");
    finish(&f);
    /* After some good packets, zeros mid-stream. Wherever the last partial
     * flush left the inflater (in its empty fixed block, or after it),
     * zero bits end that block and start a stored block whose length
     * checks fail. */
    start_pair(&f, "zlib@openssh.com", "zlib@openssh.com");
    authenticate(&f);
    open_channel(&f);
    uint8_t *data = make_data(100000, false);
    send_all(&f, 0, data, 100000);
    free(data);
    static const uint8_t junk[16] = { 0 };
    send_raw_payload(&f, junk, sizeof junk);
    expect_compression_error(&f, "corrupt compressed data");
    finish(&f);
}

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zlib_from_newkeys),
        cmocka_unit_test(test_delayed_from_userauth_success),
        cmocka_unit_test(test_delayed_success_held_by_rekey),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_none_unchanged),
        cmocka_unit_test(test_largest_payload_fits),
        cmocka_unit_test(test_bomb_disconnects),
        cmocka_unit_test(test_corrupt_stream_disconnects),
    };
    return cmocka_run_group_tests_name("compression", tests, setup, teardown);
}
