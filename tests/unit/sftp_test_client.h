/* Test helper: a server engine over the in-memory tree (sftp_memfs.h), and
 * a client's side written by hand: requests built with the wire writer,
 * replies taken one by one from the engine's output and checked with
 * cmocka. Include after cmocka.h. */
#ifndef SSHKIT_TESTS_SFTP_TEST_CLIENT_H
#define SSHKIT_TESTS_SFTP_TEST_CLIENT_H

#include <sshkit/error.h>
#include <sshkit/sftp_server.h>

#include "sftp/sftp_proto.h"
#include "sftp_memfs.h"

typedef struct {
    memfs fs;
    sshkit_sftp_server *srv;
    sk_buf req;
    uint8_t reply[SK_SFTP_MAX_PACKET + 8];  /* the last reply: type, id, body */
    size_t reply_len;
    char logged[16384];         /* the log lines, each ending in a newline (the latest kept) */
    int log_lines;
} sftp_fx;

static inline void fx_log(void *user, sshkit_log_level level, const char *message)
{
    sftp_fx *f = user;
    size_t n = strlen(f->logged), add = strlen(message) + 1;
    (void)level;
    if (n + add >= sizeof f->logged)
        n = f->logged[0] = 0;
    snprintf(f->logged + n, sizeof f->logged - n, "%s\n", message);
    f->log_lines++;
}

/* Hands the server raw bytes; all of them must be taken. */
static inline int fx_feed(sftp_fx *f, const void *data, size_t len)
{
    const uint8_t *p = data;
    while (len > 0) {
        int n = sshkit_sftp_server_receive(f->srv, p, len);
        if (n < 0)
            return n;
        assert_true(n > 0);
        p += n;
        len -= (size_t)n;
    }
    return sshkit_sftp_server_process(f->srv);
}

static inline size_t fx_begin(sftp_fx *f, uint8_t type, uint32_t id)
{
    sk_buf_reset(&f->req);
    size_t start = sk_sftp_packet_begin(&f->req, type);
    if (type != SK_FXP_INIT)
        sk_write_u32(&f->req, id);
    return start;
}

static inline int fx_send(sftp_fx *f, size_t start)
{
    sk_sftp_packet_end(&f->req, start);
    assert_int_equal(sk_buf_error(&f->req), 0);
    return fx_feed(f, f->req.data, f->req.len);
}

/* Takes the next reply; false when none is waiting. On true, r reads the
 * body after the id (after the version for VERSION). */
static inline bool fx_reply(sftp_fx *f, uint8_t *type, uint32_t *id, sk_reader *r)
{
    const uint8_t *p;
    size_t n = sshkit_sftp_server_pending(f->srv, &p);
    long whole = sk_sftp_frame(p, n, SK_SFTP_MAX_PACKET + 4);
    if (whole <= 0)
        return false;
    assert_true((size_t)whole <= sizeof f->reply + 4);
    memcpy(f->reply, p + 4, (size_t)whole - 4);
    f->reply_len = (size_t)whole - 4;
    sshkit_sftp_server_sent(f->srv, (size_t)whole);
    sk_reader_init(r, f->reply, f->reply_len);
    sk_read_u8(r, type);
    sk_read_u32(r, id);
    assert_int_equal(sk_reader_error(r), 0);
    return true;
}

static inline void fx_expect(sftp_fx *f, uint8_t want_type, uint32_t want_id, sk_reader *r)
{
    uint8_t type;
    uint32_t id;
    assert_true(fx_reply(f, &type, &id, r));
    assert_int_equal(type, want_type);
    assert_int_equal(id, want_id);
}

/* The status of reply want_id (which must be a STATUS, with a message). */
static inline unsigned fx_status(sftp_fx *f, uint32_t want_id)
{
    sk_reader r;
    uint32_t code;
    sk_bytes msg, lang;
    fx_expect(f, SK_FXP_STATUS, want_id, &r);
    sk_read_u32(&r, &code);
    sk_read_string(&r, &msg);
    sk_read_string(&r, &lang);
    assert_int_equal(sk_reader_finish(&r), 0);
    assert_true(msg.len > 0);
    return code;
}

static inline void fx_init(sftp_fx *f, const sshkit_sftp_server_ops *ops)
{
    memset(f, 0, sizeof *f);
    memfs_init(&f->fs);
    sk_buf_init(&f->req);
    assert_int_equal(sshkit_sftp_server_new(ops, &f->fs, &f->srv), 0);
    sshkit_sftp_server_set_log(f->srv, SSHKIT_LOG_TRACE, fx_log, f);
}

/* INIT, and the VERSION reply skipped. */
static inline void fx_hello(sftp_fx *f)
{
    uint8_t type;
    uint32_t version;
    sk_reader r;
    size_t at = fx_begin(f, SK_FXP_INIT, 0);
    sk_write_u32(&f->req, 3);
    assert_int_equal(fx_send(f, at), 0);
    assert_true(fx_reply(f, &type, &version, &r));
    assert_int_equal(type, SK_FXP_VERSION);
    assert_int_equal(version, 3);
}

/* Whether a log line (without its newline) was written. */
static inline bool fx_logged(const sftp_fx *f, const char *line)
{
    char want[1024];
    snprintf(want, sizeof want, "%s\n", line);
    return strstr(f->logged, want) != NULL;
}

static inline void fx_done(sftp_fx *f)
{
    sshkit_sftp_server_free(f->srv);
    assert_int_equal(f->fs.open_objects, 0);
    memfs_free(&f->fs);
    sk_buf_free(&f->req);
}

/* A request whose only field is one path. */
static inline int fx_path_request(sftp_fx *f, uint8_t type, uint32_t id, const char *path)
{
    size_t at = fx_begin(f, type, id);
    sk_write_cstring(&f->req, path);
    return fx_send(f, at);
}

/* OPEN; the handle (8 bytes) into h. Returns the status (0 with a handle). */
static inline unsigned fx_open(sftp_fx *f, uint32_t id, const char *path, uint32_t flags,
                               uint8_t h[8])
{
    sk_reader r;
    uint8_t type;
    uint32_t got_id;
    size_t at = fx_begin(f, SK_FXP_OPEN, id);
    sk_write_cstring(&f->req, path);
    sk_write_u32(&f->req, flags);
    sk_write_u32(&f->req, 0);          /* no attributes */
    fx_send(f, at);
    assert_true(fx_reply(f, &type, &got_id, &r));
    assert_int_equal(got_id, id);
    if (type == SK_FXP_STATUS) {
        uint32_t code;
        sk_read_u32(&r, &code);
        return code;
    }
    sk_bytes handle;
    assert_int_equal(type, SK_FXP_HANDLE);
    assert_int_equal(sk_read_string(&r, &handle), 0);
    assert_int_equal(handle.len, 8);
    memcpy(h, handle.ptr, 8);
    return 0;
}

/* A request whose first field is a handle; more fields may follow before
 * fx_send(). */
static inline size_t fx_handle_request(sftp_fx *f, uint8_t type, uint32_t id, const uint8_t *h,
                                       size_t hlen)
{
    size_t at = fx_begin(f, type, id);
    sk_write_string(&f->req, h, hlen);
    return at;
}

static inline unsigned fx_close(sftp_fx *f, uint32_t id, const uint8_t h[8])
{
    fx_send(f, fx_handle_request(f, SK_FXP_CLOSE, id, h, 8));
    return fx_status(f, id);
}

#endif
