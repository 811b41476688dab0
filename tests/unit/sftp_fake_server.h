/* Test helper: an SFTP client (sshkit_sftp on a channel, non-blocking)
 * against a scripted server, both sessions in memory. The server side
 * accepts the channel and the subsystem, answers INIT with a VERSION the
 * test chooses, and hands every other request to the test's answer
 * function, which writes whatever bytes it likes back. */
#ifndef SSHKIT_TESTS_SFTP_FAKE_SERVER_H
#define SSHKIT_TESTS_SFTP_FAKE_SERVER_H

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
#include <sshkit/sftp.h>
#include "session_pair.h"
#include "sftp/sftp_proto.h"

typedef struct fake fake;

/* Called for each request (INIT aside); r reads the body after the id. */
typedef void (*fake_answer_fn)(fake *f, uint8_t type, uint32_t id, sk_reader *r);

struct fake {
    session_pair p;
    sshkit_channel *client_ch, *server_ch;
    sshkit_sftp *sftp;
    bool refuse_subsystem;
    uint32_t version;               /* what VERSION says (3) */
    const char *const *extensions;  /* name, version, ..., NULL */
    fake_answer_fn answer;
    void *state;                    /* the test's own */
    uint8_t *in;                    /* requests received, not yet handled */
    size_t in_len, in_cap;
    unsigned requests;              /* handled so far */
    bool hold;                      /* keep requests unanswered for now */
};

static sshkit_key *fake_host_key;

static const char *fake_anyone(void *user, const char *name)
{
    (void)user;
    (void)name;
    return "none";
}

/* Sends raw bytes from the server (all of them: the window is large). */
static void fake_send(fake *f, const void *data, size_t len)
{
    const uint8_t *p = data;
    while (len > 0) {
        int n = sshkit_channel_write(f->server_ch, 0, p, len);
        assert_true(n > 0);
        p += n;
        len -= (size_t)n;
    }
}

static void fake_send_buf(fake *f, sk_buf *b)
{
    assert_int_equal(sk_buf_error(b), 0);
    fake_send(f, b->data, b->len);
    sk_buf_free(b);
}

static void fake_version(fake *f)
{
    sk_buf b;
    sk_buf_init(&b);
    size_t start = sk_sftp_packet_begin(&b, SK_FXP_VERSION);
    sk_write_u32(&b, f->version);
    for (const char *const *e = f->extensions; e && *e; e += 2) {
        sk_write_cstring(&b, e[0]);
        sk_write_cstring(&b, e[1]);
    }
    sk_sftp_packet_end(&b, start);
    fake_send_buf(f, &b);
}

/* Handles the whole requests received so far. */
static void fake_serve(fake *f)
{
    size_t off = 0;
    while (!f->hold) {
        long whole = sk_sftp_frame(f->in + off, f->in_len - off, SK_SFTP_MAX_PACKET);
        assert_true(whole >= 0);
        if (whole == 0)
            break;
        const uint8_t *pkt = f->in + off;
        off += (size_t)whole;
        if (pkt[4] == SK_FXP_INIT) {
            fake_version(f);
            continue;
        }
        sk_reader r;
        sk_reader_init(&r, pkt + 9, (size_t)whole - 9);
        f->requests++;
        f->answer(f, pkt[4], sk_load_u32(pkt + 5), &r);
    }
    memmove(f->in, f->in + off, f->in_len - off);
    f->in_len -= off;
}

static void fake_take(fake *f, sshkit_channel *ch)
{
    for (;;) {
        if (f->in_cap - f->in_len < 65536) {
            f->in_cap = f->in_cap * 2 + 65536;
            f->in = realloc(f->in, f->in_cap);
            assert_non_null(f->in);
        }
        int n = sshkit_channel_read(ch, 0, f->in + f->in_len, f->in_cap - f->in_len);
        if (n <= 0)
            return;
        f->in_len += (size_t)n;
    }
}

static void fake_server_event(fake *f, const sshkit_event *ev)
{
    switch (ev->type) {
    case SSHKIT_EVENT_CHANNEL_OPEN_REQUEST:
        assert_int_equal(sshkit_channel_accept(ev->u.channel.channel), 0);
        f->server_ch = ev->u.channel.channel;
        break;
    case SSHKIT_EVENT_CHANNEL_REQUEST:
        assert_string_equal(ev->u.request.type, "subsystem");
        sshkit_channel_request_reply(ev->u.request.channel, !f->refuse_subsystem);
        break;
    case SSHKIT_EVENT_CHANNEL_DATA:
        fake_take(f, ev->u.channel.channel);
        break;
    default:
        break;
    }
}

/* Moves bytes both ways and lets the server answer, until quiet. */
static void fake_pump(fake *f)
{
    for (int round = 0; round < 10000; round++) {
        long a = pair_move(f->p.client, f->p.server, 1 << 16);
        long b = pair_move(f->p.server, f->p.client, 1 << 16);
        sshkit_event ev;
        int events = 0;
        while (sshkit_session_next_event(f->p.client, &ev) > 0)
            events++;   /* the sftp object reads its channel itself */
        while (sshkit_session_next_event(f->p.server, &ev) > 0 && ++events)
            fake_server_event(f, &ev);
        if (f->in_len)
            fake_serve(f);
        if (a <= 0 && b <= 0 && events == 0)
            return;
    }
}

/* Repeats a non-blocking call, pumping in between, until it is done. */
#define FAKE_CALL(f, rc, expr)                                          \
    do {                                                                \
        int round_ = 0;                                                 \
        while (((rc) = (expr)) == SSHKIT_E_AGAIN && round_++ < 1000)    \
            fake_pump(f);                                               \
    } while (0)

static const char *const fake_openssh_extensions[] = {
    "posix-rename@openssh.com", "1", "statvfs@openssh.com", "2", "fstatvfs@openssh.com", "2",
    "hardlink@openssh.com", "1", "fsync@openssh.com", "1", "lsetstat@openssh.com", "1",
    "copy-data", "1", NULL,
};

/* Connects the pair and makes the client's sftp object (no handshake yet). */
static void fake_start(fake *f, fake_answer_fn answer)
{
    memset(f, 0, sizeof *f);
    f->version = 3;
    f->extensions = fake_openssh_extensions;
    f->answer = answer;
    assert_int_equal(pair_new(&f->p, fake_host_key), 0);
    sshkit_server_auth auth = { .methods = fake_anyone };
    assert_int_equal(sshkit_server_set_auth(f->p.server, &auth), 0);
    assert_int_equal(pair_start(&f->p), 0);
    fake_pump(f);
    assert_int_equal(sshkit_auth_none(f->p.client, "robey"), 0);
    fake_pump(f);
    assert_true(sshkit_auth_is_done(f->p.client));
    assert_int_equal(sshkit_channel_open_session(f->p.client, &f->client_ch), 0);
    assert_int_equal(sshkit_sftp_new(f->client_ch, &f->sftp), 0);
}

static void fake_handshake(fake *f)
{
    int rc;
    FAKE_CALL(f, rc, sshkit_sftp_handshake(f->sftp));
    assert_int_equal(rc, 0);
}

static void fake_finish(fake *f)
{
    sshkit_sftp_free(f->sftp);
    sshkit_channel_free(f->client_ch);
    free(f->in);
    pair_free(&f->p);
}

/* Reply builders. */
static size_t fake_begin(sk_buf *b, uint8_t type, uint32_t id)
{
    sk_buf_init(b);
    size_t start = sk_sftp_packet_begin(b, type);
    sk_write_u32(b, id);
    return start;
}

static void fake_status(fake *f, uint32_t id, uint32_t code, const char *message)
{
    sk_buf b;
    size_t start = fake_begin(&b, SK_FXP_STATUS, id);
    sk_write_u32(&b, code);
    if (message) {
        sk_write_cstring(&b, message);
        sk_write_cstring(&b, "");
    }
    sk_sftp_packet_end(&b, start);
    fake_send_buf(f, &b);
}

static void fake_handle(fake *f, uint32_t id, const char *handle)
{
    sk_buf b;
    size_t start = fake_begin(&b, SK_FXP_HANDLE, id);
    sk_write_cstring(&b, handle);
    sk_sftp_packet_end(&b, start);
    fake_send_buf(f, &b);
}

static void fake_data(fake *f, uint32_t id, const uint8_t *data, size_t len)
{
    sk_buf b;
    size_t start = fake_begin(&b, SK_FXP_DATA, id);
    sk_write_string(&b, data, len);
    sk_sftp_packet_end(&b, start);
    fake_send_buf(f, &b);
}

static void fake_attrs(fake *f, uint32_t id, uint64_t size, uint32_t mode)
{
    sk_buf b;
    size_t start = fake_begin(&b, SK_FXP_ATTRS, id);
    sshkit_sftp_attrs a = { .flags = SSHKIT_SFTP_ATTR_SIZE | SSHKIT_SFTP_ATTR_PERMISSIONS,
                            .size = size, .permissions = mode };
    sk_sftp_write_attrs(&b, &a);
    sk_sftp_packet_end(&b, start);
    fake_send_buf(f, &b);
}

#endif
