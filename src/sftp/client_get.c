/* Downloads: OPEN and FSTAT the remote file, open the local one, keep
 * READs in flight and write each answer where it belongs (pwrite straight
 * from the channel's buffer), CLOSE. */
#include "sftp/client_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sshkit/error.h>

static int send_open(sshkit_sftp_transfer *t)
{
    size_t start;
    sk_buf *b = sk_sftp_transfer_request(t, SK_FXP_OPEN, &start);
    sk_write_cstring(b, t->remote);
    sk_write_u32(b, SSHKIT_SFTP_READ);
    sk_sftp_write_attrs(b, &(sshkit_sftp_attrs){ 0 });
    t->stage = SK_T_OPEN;
    int rc = sk_sftp_transfer_sent(t, start);
    return rc ? rc : SSHKIT_E_AGAIN;
}

static int opened(sshkit_sftp_transfer *t)
{
    sk_sftp_reply reply;
    int rc = sk_sftp_transfer_answer(t, &reply);
    if (rc == 0)
        rc = sk_sftp_take_handle(t->sftp, &reply, t->handle, &t->handle_len);
    if (rc)
        return rc;
    t->handle_open = true;
    size_t start;
    sk_buf *b = sk_sftp_transfer_request(t, SK_FXP_FSTAT, &start);
    sk_write_string(b, t->handle, t->handle_len);
    t->stage = SK_T_STAT;
    rc = sk_sftp_transfer_sent(t, start);
    return rc ? rc : SSHKIT_E_AGAIN;
}

/* Opens (or, resuming, reopens) the local file; the offset to start at. */
static int open_local(sshkit_sftp_transfer *t, uint64_t *offset)
{
    sshkit_sftp *sftp = t->sftp;
    const sshkit_sftp_attrs *a = &t->source;
    mode_t mode = a->flags & SSHKIT_SFTP_ATTR_PERMISSIONS ? (mode_t)(a->permissions & 0777) : 0666;
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (t->opt.resume ? 0 : O_TRUNC);
    t->fd = open(t->local, flags, mode | S_IWUSR);
    if (t->fd < 0)
        return sk_sftp_error(sftp, SSHKIT_E_IO, "%s: %s", t->local, strerror(errno));
    *offset = 0;
    if (!t->opt.resume)
        return 0;
    struct stat st;
    if (fstat(t->fd, &st) != 0)
        return sk_sftp_error(sftp, SSHKIT_E_IO, "%s: %s", t->local, strerror(errno));
    if ((a->flags & SSHKIT_SFTP_ATTR_SIZE) && (uint64_t)st.st_size > a->size)
        return sk_sftp_error(sftp, SSHKIT_E_STATE,
                             "cannot resume %s: the local file is larger than the remote one",
                             t->local);
    *offset = (uint64_t)st.st_size;
    return 0;
}

static int stated(sshkit_sftp_transfer *t)
{
    sshkit_sftp *sftp = t->sftp;
    sk_sftp_reply reply;
    int rc = sk_sftp_transfer_answer(t, &reply);
    if (rc == 0)
        rc = sk_sftp_expect(sftp, &reply, SK_FXP_ATTRS, "FSTAT");
    if (rc == 0 && (sk_sftp_read_attrs(&reply.r, &t->source) || sk_reader_finish(&reply.r)))
        rc = sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent malformed ATTRS");
    if (rc)
        return rc;
    if ((t->source.flags & SSHKIT_SFTP_ATTR_PERMISSIONS) && !S_ISREG(t->source.permissions))
        return sk_sftp_error(sftp, SSHKIT_E_INVALID_ARGUMENT, "%s is not a regular file", t->remote);
    uint64_t offset;
    if ((rc = open_local(t, &offset)) != 0)
        return rc;
    uint32_t size = t->opt.request_size ? t->opt.request_size : (uint32_t)sftp->limits.max_read;
    if (size > sftp->limits.max_read)
        size = (uint32_t)sftp->limits.max_read;
    if ((rc = sk_sftp_pipe_init(&t->pipe, t->opt.requests, size, offset)) != 0)
        return rc;
    /* Unknown size: read ahead freely until EOF. */
    bool sized = t->source.flags & SSHKIT_SFTP_ATTR_SIZE;
    t->total = sized ? t->source.size : 0;
    t->pipe.end = sized ? t->source.size : UINT64_MAX;
    t->stage = SK_T_DATA;
    sk_sftp_transfer_report(t);
    return 0;
}

static int send_read(sshkit_sftp_transfer *t, uint64_t offset, uint64_t len, uint32_t *id)
{
    size_t start;
    sk_buf *b = sk_sftp_request(t->sftp, SK_FXP_READ, id, &start);
    sk_write_string(b, t->handle, t->handle_len);
    sk_write_u64(b, offset);
    sk_write_u32(b, (uint32_t)len);
    return sk_sftp_request_end(t->sftp, start);
}

/* Asks for more while there is room. Past the size seen at the start, one
 * request at a time: it finds EOF, or that the file grew. */
static int send_reads(sshkit_sftp_transfer *t)
{
    sk_sftp_pipe *p = &t->pipe;
    while (!p->eof && !sk_sftp_pipe_full(p) && sk_sftp_backlog(t->sftp) < 64 * 1024) {
        if (p->next >= p->end && p->count > 0)
            break;
        uint32_t id;
        int rc = send_read(t, p->next, p->size, &id);
        if (rc)
            return rc;
        sk_sftp_pipe_push(p, p->next, p->next + p->size)->id = id;
        p->next += p->size;
    }
    return 0;
}

/* The data is all here: set the local file's mode and times if asked. */
static int finish_local(sshkit_sftp_transfer *t)
{
    const sshkit_sftp_attrs *a = &t->source;
    if (!t->opt.preserve)
        return 0;
    if ((a->flags & SSHKIT_SFTP_ATTR_PERMISSIONS) && fchmod(t->fd, a->permissions & 07777) != 0)
        return sk_sftp_error(t->sftp, SSHKIT_E_IO, "%s: %s", t->local, strerror(errno));
    if (a->flags & SSHKIT_SFTP_ATTR_ACMODTIME) {
        struct timespec times[2] = { { .tv_sec = a->atime }, { .tv_sec = a->mtime } };
        if (futimens(t->fd, times) != 0)
            return sk_sftp_error(t->sftp, SSHKIT_E_IO, "%s: %s", t->local, strerror(errno));
    }
    return 0;
}

int sk_sftp_get_step(sshkit_sftp_transfer *t)
{
    int rc;
    switch (t->stage) {
    case SK_T_START:
        return send_open(t);
    case SK_T_OPEN:
        return opened(t);
    case SK_T_STAT:
        if ((rc = stated(t)) != 0)
            return rc;
        /* fall through */
    case SK_T_DATA:
        if ((rc = send_reads(t)) != 0)
            return rc;
        if (!t->pipe.eof || t->pipe.count > 0)
            return SSHKIT_E_AGAIN;
        if ((rc = finish_local(t)) != 0)
            return rc;
        return sk_sftp_transfer_close(t);
    case SK_T_CLOSE:
        return sk_sftp_transfer_closed(t);
    default:
        return t->result;
    }
}

static int write_all(int fd, const uint8_t *data, size_t len, uint64_t offset)
{
    while (len > 0) {
        ssize_t n = pwrite(fd, data, len, (off_t)offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
        offset += (uint64_t)n;
    }
    return 0;
}

/* Lands one DATA answer; asks again for what a short answer left out. */
static int land(sshkit_sftp_transfer *t, sk_sftp_block *b, sk_reader *r)
{
    sshkit_sftp *sftp = t->sftp;
    sk_bytes data;
    if (sk_read_string(r, &data) || sk_reader_finish(r))
        return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent malformed DATA");
    if (data.len == 0 || data.len > b->end - b->offset)
        return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent %zu bytes for a READ of %llu",
                            data.len, (unsigned long long)(b->end - b->offset));
    if (write_all(t->fd, data.ptr, data.len, b->offset) != 0)
        return sk_sftp_error(sftp, SSHKIT_E_IO, "%s: %s", t->local, strerror(errno));
    b->offset += data.len;
    if (b->offset == b->end) {
        b->done = true;
        return 0;
    }
    return send_read(t, b->offset, b->end - b->offset, &b->id);
}

/* An EOF answer: the file ends at the block's offset (or earlier, if
 * another block says so). Other statuses fail the transfer. */
static int ended(sshkit_sftp_transfer *t, sk_sftp_block *b, sk_sftp_reply *reply)
{
    sk_reader peek = reply->r;
    uint32_t code;
    if (sk_read_u32(&peek, &code) == 0 && code == SSHKIT_SFTP_EOF) {
        b->done = true;
        t->pipe.eof = true;
        if (b->offset < t->pipe.eof_at)
            t->pipe.eof_at = b->offset;
        return 0;
    }
    int rc = sk_sftp_status(t->sftp, reply);
    return rc ? rc : sk_sftp_fail(t->sftp, SSHKIT_E_PROTOCOL, "server answered READ with OK");
}

bool sk_sftp_get_data(sshkit_sftp_transfer *t, uint32_t id, const uint8_t *pkt, size_t len)
{
    sk_sftp_block *b = sk_sftp_pipe_find(&t->pipe, id);
    if (b == NULL)
        return false;
    sk_sftp_reply reply = { .type = pkt[4], .id = id };
    sk_reader_init(&reply.r, pkt + 9, len - 9);
    int rc;
    if (reply.type == SK_FXP_DATA)
        rc = land(t, b, &reply.r);
    else if (reply.type == SK_FXP_STATUS)
        rc = ended(t, b, &reply);
    else
        rc = sk_sftp_expect(t->sftp, &reply, SK_FXP_DATA, "READ");
    if (rc) {
        b->done = true;     /* its answer is in: nothing to orphan */
        sk_sftp_transfer_fail(t, rc);
        return true;
    }
    if (sk_sftp_pipe_advance(&t->pipe))
        sk_sftp_transfer_report(t);
    return true;
}
