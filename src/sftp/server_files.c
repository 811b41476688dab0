/* Requests on files: OPEN, CLOSE, READ, WRITE, FSTAT, FSETSTAT, and the
 * extensions that take a file handle (fstatvfs, fsync). READ replies are
 * read straight into the output buffer; WRITE data goes to the operation
 * straight from the received packet. */
#include <stdio.h>
#include <string.h>
#include <sshkit/error.h>

#include "sftp/server.h"

/* The open file a request names, or NULL after answering for it. */
static struct sk_sftps_handle *file_of(sshkit_sftp_server *s, uint32_t id, sk_reader *r,
                                       uint32_t *slot)
{
    sk_bytes wire;
    struct sk_sftps_handle *h;

    if (sk_read_string(r, &wire) != 0) {
        sk_sftps_status(s, id, SSHKIT_SFTP_BAD_MESSAGE);
        return NULL;
    }
    h = sk_sftps_handle_get(s, wire, SK_SFTPS_FILE, slot);
    if (h == NULL)
        sk_sftps_status(s, id, SSHKIT_SFTP_FAILURE);
    return h;
}

static void open_flags_text(uint32_t f, char *out, size_t cap)
{
    static const char *const names[] = { "READ", "WRITE", "APPEND", "CREATE", "TRUNCATE", "EXCL" };
    size_t n = 0;

    out[0] = '\0';
    for (unsigned i = 0; i < 6; i++)
        if (f & (1u << i))
            n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s%s", n ? "," : "", names[i]);
}

void sk_sftps_open(sshkit_sftp_server *s, uint32_t id, sk_reader *r)
{
    uint32_t flags, slot;
    sshkit_sftp_attrs attrs;
    char text[64];
    void *obj = NULL;
    const uint32_t changes = SSHKIT_SFTP_WRITE | SSHKIT_SFTP_APPEND | SSHKIT_SFTP_CREAT |
                             SSHKIT_SFTP_TRUNC;

    if (sk_sftps_read_path(s, r, 0) != 0 || sk_read_u32(r, &flags) != 0 ||
        sk_sftp_read_attrs(r, &attrs) != 0) {
        sk_sftps_status(s, id, SSHKIT_SFTP_BAD_MESSAGE);
        return;
    }
    open_flags_text(flags, text, sizeof text);
    sk_sftps_log(s, SSHKIT_LOG_INFO, "open \"%s\" flags %s mode 0%o", s->path[0], text,
                 attrs.flags & SSHKIT_SFTP_ATTR_PERMISSIONS ? attrs.permissions : 0666);
    if ((flags & changes) && sk_sftps_refuse_write(s, id, "open"))
        return;
    if (s->ops->open == NULL) {
        sk_sftps_status(s, id, SSHKIT_SFTP_OP_UNSUPPORTED);
        return;
    }
    if (s->handles_open >= s->max_handles) {
        sk_sftps_log(s, SSHKIT_LOG_INFO, "open \"%s\": %u handles open already", s->path[0],
                     s->handles_open);
        sk_sftps_status(s, id, SSHKIT_SFTP_FAILURE);
        return;
    }
    int status = s->ops->open(s->ctx, s->path[0], flags, &attrs, &obj);
    if (status == SSHKIT_SFTP_OK && sk_sftps_handle_new(s, SK_SFTPS_FILE, obj, s->path[0], &slot)) {
        if (s->ops->close)
            s->ops->close(s->ctx, obj);
        status = SSHKIT_SFTP_FAILURE;
    }
    if (status == SSHKIT_SFTP_OK)
        sk_sftps_reply_handle(s, id, slot);
    else
        sk_sftps_status(s, id, status);
}

void sk_sftps_close(sshkit_sftp_server *s, uint32_t id, sk_reader *r)
{
    sk_bytes wire;
    uint32_t slot;

    if (sk_read_string(r, &wire) != 0) {
        sk_sftps_status(s, id, SSHKIT_SFTP_BAD_MESSAGE);
        return;
    }
    if (sk_sftps_handle_get(s, wire, SK_SFTPS_FILE, &slot) == NULL &&
        sk_sftps_handle_get(s, wire, SK_SFTPS_DIR, &slot) == NULL) {
        sk_sftps_status(s, id, SSHKIT_SFTP_FAILURE);
        return;
    }
    sk_sftps_status(s, id, sk_sftps_handle_close(s, slot, false));
}

void sk_sftps_read(sshkit_sftp_server *s, uint32_t id, sk_reader *r)
{
    uint64_t off;
    uint32_t len, got = 0;
    struct sk_sftps_handle *h = file_of(s, id, r, NULL);

    if (h == NULL)
        return;
    if (sk_read_u64(r, &off) != 0 || sk_read_u32(r, &len) != 0) {
        sk_sftps_status(s, id, SSHKIT_SFTP_BAD_MESSAGE);
        return;
    }
    if (s->ops->read == NULL) {
        sk_sftps_status(s, id, SSHKIT_SFTP_OP_UNSUPPORTED);
        return;
    }
    if (len > SK_SFTP_MAX_DATA)
        len = SK_SFTP_MAX_DATA;     /* as OpenSSH: a shorter answer, not a refusal */
    size_t start = sk_sftps_begin(s, SK_FXP_DATA, id);
    uint8_t *at = sk_buf_reserve(&s->out, 4 + (size_t)len);
    if (at == NULL)
        return;                     /* the buffer's error ends the server */
    int status = len ? s->ops->read(s->ctx, h->obj, off, at + 4, len, &got) : SSHKIT_SFTP_OK;
    if (status == SSHKIT_SFTP_OK && got == 0 && len > 0)
        status = SSHKIT_SFTP_EOF;
    if (status != SSHKIT_SFTP_OK || got > len) {
        sk_sftps_unwrite(s, start);
        sk_sftps_status(s, id, status == SSHKIT_SFTP_OK ? SSHKIT_SFTP_FAILURE : status);
        return;
    }
    sk_store_u32(at, got);
    sk_buf_advance(&s->out, 4 + (size_t)got);
    sk_sftps_end(s, start);
    h->bytes_read += got;
    sk_sftps_log(s, SSHKIT_LOG_TRACE, "request %u: read \"%s\" off %llu len %u: %u bytes", id,
                 h->name, (unsigned long long)off, len, got);
}

void sk_sftps_write(sshkit_sftp_server *s, uint32_t id, sk_reader *r)
{
    uint64_t off;
    sk_bytes data;
    struct sk_sftps_handle *h = file_of(s, id, r, NULL);

    if (h == NULL)
        return;
    if (sk_read_u64(r, &off) != 0 || sk_read_string(r, &data) != 0) {
        sk_sftps_status(s, id, SSHKIT_SFTP_BAD_MESSAGE);
        return;
    }
    if (s->ops->write == NULL) {
        sk_sftps_status(s, id, SSHKIT_SFTP_OP_UNSUPPORTED);
        return;
    }
    sk_sftps_log(s, SSHKIT_LOG_TRACE, "request %u: write \"%s\" off %llu len %zu", id, h->name,
                 (unsigned long long)off, data.len);
    int status = s->ops->write(s->ctx, h->obj, off, data.ptr, (uint32_t)data.len);
    if (status == SSHKIT_SFTP_OK)
        h->bytes_written += data.len;
    sk_sftps_status(s, id, status);
}

void sk_sftps_fstat(sshkit_sftp_server *s, uint32_t id, sk_reader *r)
{
    sshkit_sftp_attrs a = { 0 };
    struct sk_sftps_handle *h = file_of(s, id, r, NULL);

    if (h == NULL)
        return;
    int status = s->ops->fstat ? s->ops->fstat(s->ctx, h->obj, &a) : SSHKIT_SFTP_OP_UNSUPPORTED;
    if (status == SSHKIT_SFTP_OK)
        sk_sftps_reply_attrs(s, id, &a);
    else
        sk_sftps_status(s, id, status);
}

void sk_sftps_fsetstat(sshkit_sftp_server *s, uint32_t id, sk_reader *r)
{
    sshkit_sftp_attrs a;
    struct sk_sftps_handle *h = file_of(s, id, r, NULL);

    if (h == NULL)
        return;
    if (sk_sftp_read_attrs(r, &a) != 0) {
        sk_sftps_status(s, id, SSHKIT_SFTP_BAD_MESSAGE);
        return;
    }
    sk_sftps_log_setstat(s, h->name, &a);
    sk_sftps_status(s, id, s->ops->fsetstat ? s->ops->fsetstat(s->ctx, h->obj, &a)
                                            : SSHKIT_SFTP_OP_UNSUPPORTED);
}

void sk_sftps_fstatvfs(sshkit_sftp_server *s, uint32_t id, sk_reader *r)
{
    sshkit_sftp_fs_stats v = { 0 };
    struct sk_sftps_handle *h = file_of(s, id, r, NULL);

    if (h == NULL)
        return;
    int status = s->ops->fstatvfs ? s->ops->fstatvfs(s->ctx, h->obj, &v)
                                  : SSHKIT_SFTP_OP_UNSUPPORTED;
    if (status == SSHKIT_SFTP_OK)
        sk_sftps_reply_statvfs(s, id, &v);
    else
        sk_sftps_status(s, id, status);
}

void sk_sftps_fsync(sshkit_sftp_server *s, uint32_t id, sk_reader *r)
{
    struct sk_sftps_handle *h = file_of(s, id, r, NULL);

    if (h == NULL)
        return;
    sk_sftps_log(s, SSHKIT_LOG_DEBUG, "fsync \"%s\"", h->name);
    sk_sftps_status(s, id, s->ops->fsync ? s->ops->fsync(s->ctx, h->obj)
                                         : SSHKIT_SFTP_OP_UNSUPPORTED);
}
