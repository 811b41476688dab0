/* The one call in progress on a session: entering it (new or continued),
 * sending its request once, waiting for (or looking for) its reply, and
 * leaving it. Blocking sessions wait here; non-blocking ones return
 * SSHKIT_E_AGAIN and are called again with the same arguments. */
#include "sftp/client_internal.h"

#include <string.h>
#include <sshkit/error.h>

int sk_sftp_call_enter(sshkit_sftp *sftp, int op, const void *target)
{
    if (sftp->fatal)
        return sftp->fatal;
    sk_sftp_call *c = &sftp->call;
    if (c->op != SK_OP_NONE)
        return c->op == op && c->target == target ? 0 : SSHKIT_E_STATE;
    int rc;
    while ((rc = sk_sftp_handshake_step(sftp)) == SSHKIT_E_AGAIN) {
        if ((rc = sk_sftp_wait(sftp)) != 0)
            return rc;
    }
    if (rc)
        return rc;
    c->op = op;
    c->target = target;
    c->stage = 0;
    c->pipe_error = 0;
    c->read_dst = NULL;
    c->read_got = -1;
    return 1;
}

int sk_sftp_call_leave(sshkit_sftp *sftp, int rc)
{
    if (rc == SSHKIT_E_AGAIN)
        return rc;
    sk_sftp_call *c = &sftp->call;
    if (c->ask.waiting)
        sk_sftp_orphan(sftp, c->ask.id);
    c->ask.waiting = c->ask.answered = false;
    sk_sftp_pipe_free(sftp, &c->pipe);
    if (c->transfer) {
        sshkit_sftp_transfer_free(c->transfer);
        c->transfer = NULL;
    }
    c->op = SK_OP_NONE;
    c->target = NULL;
    return rc;
}

int sk_sftp_call_reply(sshkit_sftp *sftp, sk_sftp_reply *reply)
{
    sk_sftp_ask *ask = &sftp->call.ask;
    for (;;) {
        int rc = sk_sftp_pump(sftp);
        if (rc)
            return rc;
        if (ask->answered)
            return sk_sftp_ask_reply(ask, reply) ? sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL,
                                                                "server sent a truncated reply")
                                                 : 0;
        if (!ask->waiting)
            return sk_sftp_fail(sftp, SSHKIT_E_NOMEM, "out of memory keeping a reply");
        if ((rc = sk_sftp_wait(sftp)) != 0)
            return rc;
    }
}

int sk_sftp_call_send(sshkit_sftp *sftp, uint8_t type, const char *ext,
                      void (*encode)(sk_buf *b, const void *arg), const void *arg)
{
    sk_sftp_call *c = &sftp->call;
    if (c->ask.waiting || c->ask.answered)
        return 0;
    uint32_t id;
    size_t start;
    sk_buf *b = sk_sftp_request(sftp, type, &id, &start);
    if (ext)
        sk_write_cstring(b, ext);
    if (encode)
        encode(b, arg);
    int rc = sk_sftp_request_end(sftp, start);
    if (rc == 0)
        sk_sftp_ask_sent(&c->ask, id);
    return rc;
}

static int simple(sshkit_sftp *sftp, int op, const void *target, uint8_t type, const char *ext,
                  void (*encode)(sk_buf *b, const void *arg), const void *arg,
                  sk_sftp_reply *reply)
{
    /* Path requests tell themselves apart by type (and extension name),
     * so that a different call is not taken for the one in progress. */
    if (op == SK_OP_PATH) {
        op = SK_OP_PATH_BASE + type;
        target = ext;
    }
    int rc = sk_sftp_call_enter(sftp, op, target);
    if (rc < 0)
        return rc;
    if (sftp->call.stage == 0) {
        if ((rc = sk_sftp_call_send(sftp, type, ext, encode, arg)) != 0)
            return sk_sftp_call_leave(sftp, rc);
        sftp->call.stage = 1;
    }
    rc = sk_sftp_call_reply(sftp, reply);
    if (rc == SSHKIT_E_AGAIN)
        return rc;
    sk_sftp_call_leave(sftp, rc);
    return rc;
}

int sk_sftp_call_simple(sshkit_sftp *sftp, int op, const void *target, uint8_t type,
                        void (*encode)(sk_buf *b, const void *arg), const void *arg,
                        sk_sftp_reply *reply)
{
    return simple(sftp, op, target, type, NULL, encode, arg, reply);
}

int sk_sftp_call_extended(sshkit_sftp *sftp, int op, const void *target, const char *ext,
                          void (*encode)(sk_buf *b, const void *arg), const void *arg,
                          sk_sftp_reply *reply)
{
    return simple(sftp, op, target, SK_FXP_EXTENDED, ext, encode, arg, reply);
}

static int status_only(sshkit_sftp *sftp, sk_sftp_reply *reply, int rc)
{
    if (rc)
        return rc;
    if (reply->type != SK_FXP_STATUS)
        return sk_sftp_expect(sftp, reply, SK_FXP_STATUS, "a request");
    return sk_sftp_status(sftp, reply);
}

int sk_sftp_call_status(sshkit_sftp *sftp, int op, const void *target, uint8_t type,
                        void (*encode)(sk_buf *b, const void *arg), const void *arg)
{
    sk_sftp_reply reply;
    int rc = sk_sftp_call_simple(sftp, op, target, type, encode, arg, &reply);
    return status_only(sftp, &reply, rc);
}

int sk_sftp_call_ext_status(sshkit_sftp *sftp, int op, const void *target, const char *ext,
                            void (*encode)(sk_buf *b, const void *arg), const void *arg)
{
    sk_sftp_reply reply;
    int rc = sk_sftp_call_extended(sftp, op, target, ext, encode, arg, &reply);
    return status_only(sftp, &reply, rc);
}

int sk_sftp_take_name(sshkit_sftp *sftp, sk_sftp_reply *reply, char *buf, size_t cap)
{
    int rc = sk_sftp_expect(sftp, reply, SK_FXP_NAME, "a path request");
    if (rc)
        return rc;
    uint32_t count;
    sk_bytes name, longname;
    sshkit_sftp_attrs attrs;
    sk_read_u32(&reply->r, &count);
    sk_read_string(&reply->r, &name);
    sk_read_string(&reply->r, &longname);
    sk_sftp_read_attrs(&reply->r, &attrs);
    if (sk_reader_error(&reply->r) || count != 1)
        return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent a malformed NAME (%u names)",
                            count);
    if (memchr(name.ptr, 0, name.len))
        return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent a name with a NUL byte");
    if (cap == 0 || name.len > cap - 1 || name.len > INT32_MAX)
        return sk_sftp_error(sftp, SSHKIT_E_TOO_LARGE, "the path (%zu bytes) does not fit",
                             name.len);
    memcpy(buf, name.ptr, name.len);
    buf[name.len] = 0;
    return (int)name.len;
}
