/* The connection layer, client against server in memory: opening channels,
 * exec with data, stderr, exit status, EOF and close; bulk data through
 * the windows with rekeys in the middle; limits; a peer that breaks the
 * rules. */
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
#include "connection/connection_internal.h"
#include "transport/session_internal.h"

static sshkit_key *host_key;

static const char *anyone(void *user, const char *name)
{
    (void)user;
    (void)name;
    return "none";
}

/* What each side saw, for the tests to look at. */
typedef struct {
    sshkit_channel *opened;         /* client: our channel once OPENED; server: the accepted one */
    int opened_events, open_failed, closed, eof, results, result_ok, kex_done;
    unsigned fail_reason;
    char request[32];
    bool accept_opens;
    bool read_data;                 /* read DATA events as they come */
    uint8_t *got[2];
    size_t got_len[2], got_cap[2];
} side;

typedef struct {
    session_pair p;
    side c, s;
} fixture;

static void keep(side *sd, int stream, sshkit_channel *ch)
{
    for (;;) {
        if (sd->got_len[stream] + 65536 > sd->got_cap[stream]) {
            sd->got_cap[stream] = sd->got_cap[stream] * 2 + 65536;
            sd->got[stream] = realloc(sd->got[stream], sd->got_cap[stream]);
        }
        int n = sshkit_channel_read(ch, stream, sd->got[stream] + sd->got_len[stream], 65536);
        if (n <= 0)
            return;
        sd->got_len[stream] += (size_t)n;
    }
}

static void handle(side *sd, const sshkit_event *ev)
{
    switch (ev->type) {
    case SSHKIT_EVENT_KEX_DONE:
        sd->kex_done++;
        break;
    case SSHKIT_EVENT_CHANNEL_OPEN_REQUEST:
        if (sd->accept_opens) {
            assert_int_equal(sshkit_channel_accept(ev->u.channel.channel), 0);
            sd->opened = ev->u.channel.channel;
        } else {
            sshkit_channel_reject(ev->u.channel.channel, SSHKIT_OPEN_ADMINISTRATIVELY_PROHIBITED, "no");
            sshkit_channel_free(ev->u.channel.channel);
        }
        break;
    case SSHKIT_EVENT_CHANNEL_OPENED:
        sd->opened_events++;
        sd->opened = ev->u.channel.channel;
        break;
    case SSHKIT_EVENT_CHANNEL_OPEN_FAILED:
        sd->open_failed++;
        sd->fail_reason = ev->u.channel.reason;
        break;
    case SSHKIT_EVENT_CHANNEL_DATA:
        if (sd->read_data)
            keep(sd, ev->u.channel.stream, ev->u.channel.channel);
        break;
    case SSHKIT_EVENT_CHANNEL_EOF:
        sd->eof++;
        break;
    case SSHKIT_EVENT_CHANNEL_CLOSED:
        sd->closed++;
        break;
    case SSHKIT_EVENT_CHANNEL_REQUEST:
        snprintf(sd->request, sizeof sd->request, "%s", ev->u.request.type);
        if (ev->u.request.want_reply)
            sshkit_channel_request_reply(ev->u.request.channel, true);
        break;
    case SSHKIT_EVENT_CHANNEL_REQUEST_RESULT:
        sd->results++;
        sd->result_ok += ev->u.channel.success;
        break;
    default:
        break;
    }
}

static void pump(fixture *f)
{
    for (int round = 0; round < 100000; round++) {
        long a = pair_move(f->p.client, f->p.server, 1 << 16);
        long b = pair_move(f->p.server, f->p.client, 1 << 16);
        sshkit_event ev;
        int events = 0;
        while (sshkit_session_next_event(f->p.client, &ev) > 0 && ++events)
            handle(&f->c, &ev);
        while (sshkit_session_next_event(f->p.server, &ev) > 0 && ++events)
            handle(&f->s, &ev);
        if (a <= 0 && b <= 0 && events == 0)
            return;
    }
}

/* An authenticated pair ("none" is enough here). */
static void connect_pair(fixture *f)
{
    memset(f, 0, sizeof *f);
    assert_int_equal(pair_new(&f->p, host_key), 0);
    sshkit_server_auth auth = { .methods = anyone };
    assert_int_equal(sshkit_server_set_auth(f->p.server, &auth), 0);
    assert_int_equal(pair_start(&f->p), 0);
    f->s.accept_opens = true;
    f->c.read_data = f->s.read_data = true;
    pump(f);
    assert_int_equal(sshkit_auth_none(f->p.client, "robey"), 0);
    pump(f);
    assert_true(sshkit_auth_is_done(f->p.client));
}

static void finish(fixture *f)
{
    for (int i = 0; i < 2; i++) {
        free(f->c.got[i]);
        free(f->s.got[i]);
    }
    pair_free(&f->p);
}

static void test_exec_round_trip(void **state)
{
    (void)state;
    fixture f;
    connect_pair(&f);
    sshkit_channel *ch;
    assert_int_equal(sshkit_channel_open_session(f.p.client, &ch), 0);
    pump(&f);
    assert_int_equal(f.c.opened_events, 1);
    assert_ptr_equal(f.c.opened, ch);
    assert_non_null(f.s.opened);
    assert_int_equal(sshkit_channel_exec(ch, "echo hello"), 0);
    pump(&f);
    assert_string_equal(f.s.request, "exec");
    assert_int_equal(f.c.results, 1);
    assert_int_equal(f.c.result_ok, 1);
    sshkit_channel *srv = f.s.opened;
    assert_int_equal(sshkit_channel_write(srv, 0, "hello\n", 6), 6);
    assert_int_equal(sshkit_channel_write(srv, 1, "oops\n", 5), 5);
    assert_int_equal(sshkit_channel_send_exit_status(srv, 3), 0);
    assert_int_equal(sshkit_channel_send_eof(srv), 0);
    assert_int_equal(sshkit_channel_close(srv), 0);
    pump(&f);
    assert_int_equal(f.c.got_len[0], 6);
    assert_memory_equal(f.c.got[0], "hello\n", 6);
    assert_int_equal(f.c.got_len[1], 5);
    unsigned status;
    assert_int_equal(sshkit_channel_exit_status(ch, &status), 0);
    assert_int_equal(status, 3);
    assert_int_equal(f.c.eof, 1);
    assert_int_equal(f.c.closed, 1);
    assert_int_equal(f.s.closed, 1);
    char buf[4];
    assert_int_equal(sshkit_channel_read(ch, 0, buf, sizeof buf), 0);   /* end of stream */
    assert_int_equal(sshkit_channel_write(ch, 0, "x", 1), SSHKIT_E_STATE);
    sshkit_channel_free(ch);
    sshkit_channel_free(srv);
    finish(&f);
}

static uint8_t *pattern(size_t n)
{
    uint8_t *p = malloc(n);
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(i * 2654435761u >> 13);
    return p;
}

/* Writes all of data on ch, pumping whenever the window is shut. */
static void write_all(fixture *f, sshkit_channel *ch, const uint8_t *data, size_t len)
{
    size_t off = 0;
    for (int round = 0; off < len && round < 100000; round++) {
        int n = sshkit_channel_write(ch, 0, data + off, len - off);
        if (n > 0)
            off += (size_t)n;
        else
            assert_int_equal(n, SSHKIT_E_AGAIN);
        pump(f);
    }
    assert_int_equal(off, len);
}

static void test_bulk_data_with_rekeys(void **state)
{
    (void)state;
    fixture f;
    connect_pair(&f);
    sshkit_session_set_rekey_limit(f.p.client, 1 << 20, 0);
    sshkit_channel *ch;
    assert_int_equal(sshkit_channel_open_session(f.p.client, &ch), 0);
    pump(&f);
    size_t len = 16u << 20;
    uint8_t *data = pattern(len);
    write_all(&f, ch, data, len);
    assert_int_equal(sshkit_channel_send_eof(ch), 0);
    pump(&f);
    assert_int_equal(f.s.got_len[0], len);
    assert_memory_equal(f.s.got[0], data, len);
    assert_int_equal(f.s.eof, 1);
    /* 16 MiB at 1 MiB per key: renewed about once a MiB (the sender checks
     * as it sends, so a full window does not overshoot the limit). */
    assert_true(f.c.kex_done >= 14);
    assert_int_equal(f.c.kex_done, f.s.kex_done);
    assert_false(sshkit_session_is_closed(f.p.client));
    free(data);
    sshkit_channel_free(ch);
    finish(&f);
}

static void test_slow_reader_holds_back_only_its_channel(void **state)
{
    (void)state;
    fixture f;
    connect_pair(&f);
    sshkit_channel *a, *b;
    assert_int_equal(sshkit_channel_open_session(f.p.client, &a), 0);
    pump(&f);
    sshkit_channel *srv_a = f.s.opened;
    assert_int_equal(sshkit_channel_open_session(f.p.client, &b), 0);
    pump(&f);
    /* The server reads nothing: a's window runs out, and writes stop. */
    f.s.read_data = false;
    size_t len = 4u << 20;
    uint8_t *data = pattern(len);
    size_t sent = 0;
    for (int i = 0; i < 100; i++) {
        int n = sshkit_channel_write(a, 0, data + sent, len - sent);
        if (n < 0)
            break;
        sent += (size_t)n;
        pump(&f);
    }
    assert_true(sent >= (2u << 20) && sent < len);
    assert_int_equal(sshkit_channel_write(a, 0, data, 1), SSHKIT_E_AGAIN);
    /* b still carries all of its data: the server reads b, and only b. */
    sshkit_channel *srv_b = f.s.opened;
    assert_ptr_not_equal(srv_a, srv_b);
    size_t off = 0;
    uint8_t sink[65536];
    size_t got_b = 0;
    for (int round = 0; off < len && round < 10000; round++) {
        int n = sshkit_channel_write(b, 0, data + off, len - off);
        if (n > 0)
            off += (size_t)n;
        pump(&f);
        int r;
        while ((r = sshkit_channel_read(srv_b, 0, sink, sizeof sink)) > 0)
            got_b += (size_t)r;
    }
    assert_int_equal(off, len);
    assert_int_equal(got_b, len);
    assert_int_equal(sshkit_channel_write(a, 0, data, 1), SSHKIT_E_AGAIN);
    free(data);
    sshkit_channel_free(a);
    sshkit_channel_free(b);
    finish(&f);
}

static void test_channel_limit(void **state)
{
    (void)state;
    fixture f;
    connect_pair(&f);
    sshkit_session_set_max_channels(f.p.server, 2);
    sshkit_channel *ch[3];
    for (int i = 0; i < 3; i++)
        assert_int_equal(sshkit_channel_open_session(f.p.client, &ch[i]), 0);
    pump(&f);
    assert_int_equal(f.c.opened_events, 2);
    assert_int_equal(f.c.open_failed, 1);
    assert_int_equal(f.c.fail_reason, SSHKIT_OPEN_RESOURCE_SHORTAGE);
    for (int i = 0; i < 3; i++)
        sshkit_channel_free(ch[i]);
    pump(&f);
    assert_false(sshkit_session_is_closed(f.p.server));
    finish(&f);
}

static void test_refused_open(void **state)
{
    (void)state;
    fixture f;
    connect_pair(&f);
    f.s.accept_opens = false;
    sshkit_channel *ch;
    assert_int_equal(sshkit_channel_open(f.p.client, "direct-tcpip", NULL, 0, &ch), 0);
    pump(&f);
    assert_int_equal(f.c.open_failed, 1);
    assert_int_equal(f.c.fail_reason, SSHKIT_OPEN_ADMINISTRATIVELY_PROHIBITED);
    sshkit_channel_free(ch);
    finish(&f);
}

/* A client that sends more than the window, or to a channel that is not there. */
static void test_rule_breakers_are_cut_off(void **state)
{
    (void)state;
    for (int kind = 0; kind < 2; kind++) {
        fixture f;
        connect_pair(&f);
        sshkit_channel *ch;
        assert_int_equal(sshkit_channel_open_session(f.p.client, &ch), 0);
        pump(&f);
        uint32_t remote = kind == 0 ? ch->remote_id : 77;
        size_t len = kind == 0 ? (2u << 20) + 1 : 10;
        uint8_t *junk = calloc(1, 65536);
        /* Bypass the client's own flow control: frame CHANNEL_DATA by hand. */
        for (size_t off = 0; off < len; off += 65536) {
            size_t n = len - off < 65536 ? len - off : 65536;
            sk_buf *b = sk_msg_begin(f.p.client, SK_MSG_CHANNEL_DATA);
            sk_write_u32(b, remote);
            sk_write_string(b, junk, n);
            assert_int_equal(sk_msg_end(f.p.client), 0);
        }
        f.s.read_data = false;
        pump(&f);
        assert_true(sshkit_session_is_closed(f.p.server));
        assert_non_null(strstr(sshkit_session_last_error(f.p.server),
                               kind == 0 ? "exceed the window" : "unknown channel"));
        free(junk);
        sshkit_channel_free(ch);
        finish(&f);
    }
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
        cmocka_unit_test(test_exec_round_trip),
        cmocka_unit_test(test_bulk_data_with_rekeys),
        cmocka_unit_test(test_slow_reader_holds_back_only_its_channel),
        cmocka_unit_test(test_channel_limit),
        cmocka_unit_test(test_refused_open),
        cmocka_unit_test(test_rule_breakers_are_cut_off),
    };
    return cmocka_run_group_tests_name("channel", tests, setup, teardown);
}
