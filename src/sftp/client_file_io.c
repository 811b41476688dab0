/* Reading and writing an open file at its offset. A read is one READ; a
 * write is a pipeline of WRITEs from the caller's buffer, acknowledged
 * together. */
#include "sftp/client_internal.h"

#include <string.h>
#include <sshkit/error.h>

struct read_args {
    const sshkit_sftp_file *file;
    uint32_t len;
};

static void put_read(sk_buf *b, const void *arg)
{
    const struct read_args *a = arg;
    sk_write_string(b, a->file->handle, a->file->handle_len);
    sk_write_u64(b, a->file->offset);
    sk_write_u32(b, a->len);
}

/* A DATA answer of at most want bytes; its length, or a protocol error. */
static int check_data(sshkit_sftp *sftp, sk_reader *r, uint32_t want, sk_bytes *data)
{
    if (sk_read_string(r, data) || sk_reader_finish(r))
        return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent malformed DATA");
    if (data->len > want)
        return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent %zu bytes for a READ of %u",
                            data->len, want);
    if (data->len == 0)     /* no progress and no EOF: refuse rather than spin */
        return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent an empty DATA");
    return (int)data->len;
}

bool sk_sftp_read_direct(sshkit_sftp *sftp, uint32_t id, const uint8_t *pkt, size_t len)
{
    sk_sftp_call *c = &sftp->call;
    if (c->op != SK_OP_READ || c->read_dst == NULL || !c->ask.waiting || c->ask.id != id ||
        pkt[4] != SK_FXP_DATA)
        return false;
    sk_reader r;
    sk_bytes data;
    sk_reader_init(&r, pkt + 9, len - 9);
    int n = check_data(sftp, &r, c->read_want, &data);
    if (n > 0)
        memcpy(c->read_dst, data.ptr, data.len);
    /* The ask keeps the header only: the data is where it belongs. */
    sk_sftp_ask_take(&c->ask, id, pkt, 9);
    c->read_got = n;
    return true;
}

/* What a READ's answer says: the bytes landed, EOF (0), or a failure. */
static int take_read(sshkit_sftp *sftp, sk_sftp_reply *reply)
{
    if (sftp->call.read_got >= 0 && reply->type == SK_FXP_DATA)
        return sftp->call.read_got;
    if (reply->type == SK_FXP_STATUS) {
        sk_reader peek = reply->r;
        uint32_t code;
        if (sk_read_u32(&peek, &code) == 0 && code == SSHKIT_SFTP_EOF)
            return 0;
        int rc = sk_sftp_status(sftp, reply);
        return rc ? rc : sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server answered READ with OK");
    }
    return sk_sftp_expect(sftp, reply, SK_FXP_DATA, "READ");
}

int sshkit_sftp_file_read(sshkit_sftp_file *file, void *buf, size_t cap)
{
    if (file == NULL || (buf == NULL && cap))
        return SSHKIT_E_INVALID_ARGUMENT;
    sshkit_sftp *sftp = file->sftp;
    if (cap == 0)
        return 0;
    int rc = sk_sftp_call_enter(sftp, SK_OP_READ, file);
    if (rc < 0)
        return rc;
    sk_sftp_call *c = &sftp->call;
    if (rc == 1) {
        uint64_t max = sftp->limits.max_read;
        struct read_args a = { file, (uint32_t)(cap < max ? cap : max) };
        c->read_dst = buf;
        c->read_want = a.len;
        if ((rc = sk_sftp_call_send(sftp, SK_FXP_READ, NULL, put_read, &a)) != 0)
            return sk_sftp_call_leave(sftp, rc);
    }
    sk_sftp_reply reply;
    rc = sk_sftp_call_reply(sftp, &reply);
    if (rc == 0)
        rc = take_read(sftp, &reply);
    if (rc > 0)
        file->offset += (uint64_t)rc;
    return sk_sftp_call_leave(sftp, rc);
}

/* ---- writes ---- */

/* Whether another WRITE may go now: data left, a free slot, and the
 * channel keeping up with what is encoded. */
static bool can_send(const sshkit_sftp *sftp, const sk_sftp_pipe *p)
{
    return p->next < p->end && !sk_sftp_pipe_full(p) && sk_sftp_backlog(sftp) < 2 * (size_t)p->size;
}

/* Sends WRITEs from data while the pipeline and the output have room. */
static int send_writes(sshkit_sftp *sftp, sshkit_sftp_file *f, const uint8_t *data)
{
    sk_sftp_pipe *p = &sftp->call.pipe;
    while (can_send(sftp, p)) {
        uint64_t n = p->end - p->next < p->size ? p->end - p->next : p->size;
        uint32_t id;
        size_t start;
        sk_buf *b = sk_sftp_request(sftp, SK_FXP_WRITE, &id, &start);
        sk_write_string(b, f->handle, f->handle_len);
        sk_write_u64(b, p->next);
        sk_write_string(b, data + (p->next - f->offset), (size_t)n);
        int rc = sk_sftp_request_end(sftp, start);
        if (rc)
            return rc;
        sk_sftp_pipe_push(p, p->next, p->next + n)->id = id;
        p->next += n;
    }
    return 0;
}

bool sk_sftp_write_ack(sshkit_sftp *sftp, uint32_t id, const uint8_t *pkt, size_t len)
{
    sk_sftp_call *c = &sftp->call;
    if (c->op != SK_OP_WRITE || c->pipe.blocks == NULL)
        return false;
    sk_sftp_block *b = sk_sftp_pipe_find(&c->pipe, id);
    if (b == NULL)
        return false;
    sk_sftp_reply reply;
    sk_reader_init(&reply.r, pkt + 9, len - 9);
    reply.type = pkt[4];
    reply.id = id;
    int rc = reply.type == SK_FXP_STATUS ? sk_sftp_status(sftp, &reply)
                                         : sk_sftp_expect(sftp, &reply, SK_FXP_STATUS, "WRITE");
    if (rc && c->pipe_error == 0)
        c->pipe_error = rc;
    b->done = true;
    sk_sftp_pipe_advance(&c->pipe);
    return true;
}

int sshkit_sftp_file_write(sshkit_sftp_file *file, const void *data, size_t len)
{
    if (file == NULL || (data == NULL && len) || len > INT32_MAX)
        return SSHKIT_E_INVALID_ARGUMENT;
    sshkit_sftp *sftp = file->sftp;
    int rc = sk_sftp_call_enter(sftp, SK_OP_WRITE, file);
    if (rc < 0)
        return rc;
    sk_sftp_pipe *p = &sftp->call.pipe;
    if (rc == 1) {
        uint32_t size = (uint32_t)sftp->limits.max_write;
        if ((rc = sk_sftp_pipe_init(p, SK_SFTP_DEFAULT_REQUESTS, size, file->offset)) != 0)
            return sk_sftp_call_leave(sftp, rc);
        p->end = file->offset + len;
    }
    for (;;) {
        rc = send_writes(sftp, file, data);
        if (rc == 0)
            rc = sk_sftp_pump(sftp);
        if (rc == 0)
            rc = sftp->call.pipe_error;
        if (rc)
            return sk_sftp_call_leave(sftp, rc);
        if (p->next == p->end && p->count == 0)
            break;
        if (can_send(sftp, p))
            continue;   /* acknowledgements made room */
        if ((rc = sk_sftp_wait(sftp)) != 0)
            return sk_sftp_call_leave(sftp, rc);
    }
    file->offset += len;
    sk_sftp_call_leave(sftp, 0);
    return (int)len;
}
