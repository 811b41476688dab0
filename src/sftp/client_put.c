/* Uploads: open the local file, OPEN the remote one (FSTAT it to resume),
 * keep WRITEs in flight (pread straight into the request), then fsync,
 * set the attributes if asked, CLOSE. */
#include "sftp/client_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sshkit/error.h>

static int open_local(sshkit_sftp_transfer *t)
{
    sshkit_sftp *sftp = t->sftp;
    t->fd = open(t->local, O_RDONLY | O_CLOEXEC);
    if (t->fd < 0)
        return sk_sftp_error(sftp, SSHKIT_E_IO, "%s: %s", t->local, strerror(errno));
    struct stat st;
    if (fstat(t->fd, &st) != 0)
        return sk_sftp_error(sftp, SSHKIT_E_IO, "%s: %s", t->local, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return sk_sftp_error(sftp, SSHKIT_E_INVALID_ARGUMENT, "%s is not a regular file", t->local);
    t->total = (uint64_t)st.st_size;
    t->source = (sshkit_sftp_attrs){
        .flags = SSHKIT_SFTP_ATTR_SIZE | SSHKIT_SFTP_ATTR_PERMISSIONS | SSHKIT_SFTP_ATTR_ACMODTIME,
        .size = t->total,
        .permissions = st.st_mode & 07777,
        .atime = (uint32_t)st.st_atime,
        .mtime = (uint32_t)st.st_mtime,
    };
    return 0;
}

static int send_open(sshkit_sftp_transfer *t)
{
    int rc = open_local(t);
    if (rc)
        return rc;
    size_t start;
    sk_buf *b = sk_sftp_transfer_request(t, SK_FXP_OPEN, &start);
    sk_write_cstring(b, t->remote);
    sk_write_u32(b, SSHKIT_SFTP_WRITE | SSHKIT_SFTP_CREAT | (t->opt.resume ? 0 : SSHKIT_SFTP_TRUNC));
    sshkit_sftp_attrs mode = { .flags = SSHKIT_SFTP_ATTR_PERMISSIONS,
                               .permissions = t->source.permissions & 0777 };
    sk_sftp_write_attrs(b, &mode);
    t->stage = SK_T_OPEN;
    rc = sk_sftp_transfer_sent(t, start);
    return rc ? rc : SSHKIT_E_AGAIN;
}

static int start_data(sshkit_sftp_transfer *t, uint64_t offset)
{
    sshkit_sftp *sftp = t->sftp;
    uint32_t size = t->opt.request_size ? t->opt.request_size : (uint32_t)sftp->limits.max_write;
    if (size > sftp->limits.max_write)
        size = (uint32_t)sftp->limits.max_write;
    int rc = sk_sftp_pipe_init(&t->pipe, t->opt.requests, size, offset);
    if (rc)
        return rc;
    t->pipe.end = t->total;
    t->stage = SK_T_DATA;
    sk_sftp_transfer_report(t);
    return 0;
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
    if (!t->opt.resume)
        return start_data(t, 0);
    size_t start;
    sk_buf *b = sk_sftp_transfer_request(t, SK_FXP_FSTAT, &start);
    sk_write_string(b, t->handle, t->handle_len);
    t->stage = SK_T_STAT;
    rc = sk_sftp_transfer_sent(t, start);
    return rc ? rc : SSHKIT_E_AGAIN;
}

/* Resuming: the remote file's size is where to go on from. */
static int stated(sshkit_sftp_transfer *t)
{
    sshkit_sftp *sftp = t->sftp;
    sk_sftp_reply reply;
    sshkit_sftp_attrs remote;
    int rc = sk_sftp_transfer_answer(t, &reply);
    if (rc == 0)
        rc = sk_sftp_expect(sftp, &reply, SK_FXP_ATTRS, "FSTAT");
    if (rc == 0 && (sk_sftp_read_attrs(&reply.r, &remote) || sk_reader_finish(&reply.r)))
        rc = sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent malformed ATTRS");
    if (rc)
        return rc;
    uint64_t size = remote.flags & SSHKIT_SFTP_ATTR_SIZE ? remote.size : 0;
    if (size > t->total)
        return sk_sftp_error(sftp, SSHKIT_E_STATE,
                             "cannot resume %s: the remote file is larger than the local one",
                             t->remote);
    return start_data(t, size);
}

/* Reads up to len bytes at offset; fewer only at the end of the file. */
static ssize_t read_at(int fd, uint8_t *dst, size_t len, uint64_t offset)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = pread(fd, dst + got, len - got, (off_t)(offset + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

/* One WRITE, its data read from the file straight into the request. */
static int send_write(sshkit_sftp_transfer *t)
{
    sshkit_sftp *sftp = t->sftp;
    sk_sftp_pipe *p = &t->pipe;
    uint64_t want = p->end - p->next < p->size ? p->end - p->next : p->size;
    uint32_t id;
    size_t start;
    sk_buf *b = sk_sftp_request(sftp, SK_FXP_WRITE, &id, &start);
    sk_write_string(b, t->handle, t->handle_len);
    sk_write_u64(b, p->next);
    size_t len_at = b->len;
    sk_write_u32(b, (uint32_t)want);
    uint8_t *dst = sk_buf_reserve(b, (size_t)want);
    if (dst == NULL)
        return sk_sftp_request_end(sftp, start);    /* reports the buffer's failure */
    ssize_t got = read_at(t->fd, dst, (size_t)want, p->next);
    if (got < 0)
        return sk_sftp_error(sftp, SSHKIT_E_IO, "%s: %s", t->local, strerror(errno));
    if ((uint64_t)got < want) {
        p->end = p->next + (uint64_t)got;   /* the file shrank: it ends here */
        if (got == 0) {
            b->len = start;                 /* drop the empty request */
            return 0;
        }
        sk_store_u32(b->data + len_at, (uint32_t)got);
    }
    sk_buf_advance(b, (size_t)got);
    int rc = sk_sftp_request_end(sftp, start);
    if (rc)
        return rc;
    sk_sftp_pipe_push(p, p->next, p->next + (uint64_t)got)->id = id;
    p->next += (uint64_t)got;
    return 0;
}

static int send_writes(sshkit_sftp_transfer *t)
{
    sk_sftp_pipe *p = &t->pipe;
    while (p->next < p->end && !sk_sftp_pipe_full(p) &&
           sk_sftp_backlog(t->sftp) < 2 * (size_t)p->size) {
        int rc = send_write(t);
        if (rc)
            return rc;
    }
    return 0;
}

/* After the data: fsync (if asked and offered), then the attributes (if
 * asked), then CLOSE. Each answer is a status. */
static int after_data(sshkit_sftp_transfer *t)
{
    sshkit_sftp *sftp = t->sftp;
    size_t start;
    if (t->stage == SK_T_DATA && t->opt.fsync && (sftp->ext_bits & SK_EXT_FSYNC)) {
        sk_buf *b = sk_sftp_transfer_request(t, SK_FXP_EXTENDED, &start);
        sk_write_cstring(b, SK_SFTP_EXT_FSYNC);
        sk_write_string(b, t->handle, t->handle_len);
        t->stage = SK_T_FSYNC;
        int rc = sk_sftp_transfer_sent(t, start);
        return rc ? rc : SSHKIT_E_AGAIN;
    }
    if (t->stage != SK_T_SETSTAT && t->opt.preserve) {
        sk_buf *b = sk_sftp_transfer_request(t, SK_FXP_FSETSTAT, &start);
        sk_write_string(b, t->handle, t->handle_len);
        sshkit_sftp_attrs a = t->source;
        a.flags = SSHKIT_SFTP_ATTR_PERMISSIONS | SSHKIT_SFTP_ATTR_ACMODTIME;
        sk_sftp_write_attrs(b, &a);
        t->stage = SK_T_SETSTAT;
        int rc = sk_sftp_transfer_sent(t, start);
        return rc ? rc : SSHKIT_E_AGAIN;
    }
    return sk_sftp_transfer_close(t);
}

/* The answer to fsync or FSETSTAT, then the next step. */
static int status_then_on(sshkit_sftp_transfer *t)
{
    sk_sftp_reply reply;
    int rc = sk_sftp_transfer_answer(t, &reply);
    if (rc)
        return rc;
    rc = reply.type == SK_FXP_STATUS ? sk_sftp_status(t->sftp, &reply)
                                     : sk_sftp_expect(t->sftp, &reply, SK_FXP_STATUS, "a request");
    return rc ? rc : after_data(t);
}

int sk_sftp_put_step(sshkit_sftp_transfer *t)
{
    int rc;
    switch (t->stage) {
    case SK_T_START:
        return send_open(t);
    case SK_T_OPEN:
        if ((rc = opened(t)) != 0)
            return rc;
        break;
    case SK_T_STAT:
        if ((rc = stated(t)) != 0)
            return rc;
        break;
    case SK_T_DATA:
        break;
    case SK_T_FSYNC:
    case SK_T_SETSTAT:
        return status_then_on(t);
    case SK_T_CLOSE:
        return sk_sftp_transfer_closed(t);
    default:
        return t->result;
    }
    if ((rc = send_writes(t)) != 0)
        return rc;
    if (t->pipe.next < t->pipe.end || t->pipe.count > 0)
        return SSHKIT_E_AGAIN;
    return after_data(t);
}

bool sk_sftp_put_ack(sshkit_sftp_transfer *t, uint32_t id, const uint8_t *pkt, size_t len)
{
    sk_sftp_block *b = sk_sftp_pipe_find(&t->pipe, id);
    if (b == NULL)
        return false;
    sk_sftp_reply reply = { .type = pkt[4], .id = id };
    sk_reader_init(&reply.r, pkt + 9, len - 9);
    int rc = reply.type == SK_FXP_STATUS ? sk_sftp_status(t->sftp, &reply)
                                         : sk_sftp_expect(t->sftp, &reply, SK_FXP_STATUS, "WRITE");
    b->done = true;
    if (rc) {
        sk_sftp_transfer_fail(t, rc);
        return true;
    }
    if (sk_sftp_pipe_advance(&t->pipe))
        sk_sftp_transfer_report(t);
    return true;
}
