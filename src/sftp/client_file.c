/* Open remote files: open, close, and the requests on a handle. */
#include "sftp/client_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

void sk_sftp_file_link(sshkit_sftp *sftp, sshkit_sftp_file *f)
{
    f->sftp = sftp;
    f->prev = NULL;
    f->next = sftp->files;
    if (sftp->files)
        sftp->files->prev = f;
    sftp->files = f;
}

void sk_sftp_file_unlink(sshkit_sftp_file *f)
{
    if (f->prev)
        f->prev->next = f->next;
    else
        f->sftp->files = f->next;
    if (f->next)
        f->next->prev = f->prev;
    f->next = f->prev = NULL;
}

void sk_sftp_file_destroy(sshkit_sftp_file *f)
{
    sk_sftp_file_unlink(f);
    if (f->is_dir) {
        sshkit_sftp_dir *d = (sshkit_sftp_dir *)f;
        sk_buf_free(&d->batch);
        free(d->name);
        free(d->longname);
    }
    free(f);
}

void sk_sftp_close_quietly(sshkit_sftp *sftp, const uint8_t *handle, uint32_t len)
{
    if (sftp->fatal)
        return;
    uint32_t id;
    size_t start;
    sk_buf *b = sk_sftp_request(sftp, SK_FXP_CLOSE, &id, &start);
    sk_write_string(b, handle, len);
    if (sk_sftp_request_end(sftp, start) == 0)
        sk_sftp_orphan(sftp, id);
}

/* Takes a HANDLE reply's handle. */
int sk_sftp_take_handle(sshkit_sftp *sftp, sk_sftp_reply *reply, uint8_t *handle, uint32_t *len)
{
    int rc = sk_sftp_expect(sftp, reply, SK_FXP_HANDLE, "an open request");
    if (rc)
        return rc;
    sk_bytes h;
    if (sk_read_string(&reply->r, &h) || sk_reader_finish(&reply->r))
        return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent a malformed HANDLE");
    if (h.len > SK_SFTP_MAX_HANDLE)
        return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent a handle of %zu bytes", h.len);
    memcpy(handle, h.ptr, h.len);
    *len = (uint32_t)h.len;
    return 0;
}

struct open_args {
    const char *path;
    uint32_t flags;
    sshkit_sftp_attrs attrs;
};

static void put_open(sk_buf *b, const void *arg)
{
    const struct open_args *a = arg;
    sk_write_cstring(b, a->path);
    sk_write_u32(b, a->flags);
    sk_sftp_write_attrs(b, &a->attrs);
}

int sshkit_sftp_file_open(sshkit_sftp *sftp, const char *path, unsigned flags, unsigned mode,
                          sshkit_sftp_file **file)
{
    if (sftp == NULL || path == NULL || file == NULL || (flags & ~0x3fu))
        return SSHKIT_E_INVALID_ARGUMENT;
    struct open_args a = { path, flags, { 0 } };
    if (flags & SSHKIT_SFTP_CREAT) {
        a.attrs.flags = SSHKIT_SFTP_ATTR_PERMISSIONS;
        a.attrs.permissions = mode & 07777;
    }
    sk_sftp_reply reply;
    int rc = sk_sftp_call_simple(sftp, SK_OP_OPEN, NULL, SK_FXP_OPEN, put_open, &a, &reply);
    if (rc)
        return rc;
    sshkit_sftp_file *f = calloc(1, sizeof *f);
    if (f == NULL) {
        uint8_t h[SK_SFTP_MAX_HANDLE];
        uint32_t n;
        if (sk_sftp_take_handle(sftp, &reply, h, &n) == 0)
            sk_sftp_close_quietly(sftp, h, n);
        return SSHKIT_E_NOMEM;
    }
    if ((rc = sk_sftp_take_handle(sftp, &reply, f->handle, &f->handle_len)) != 0) {
        free(f);
        return rc;
    }
    sk_sftp_file_link(sftp, f);
    *file = f;
    return 0;
}

static void put_handle(sk_buf *b, const void *arg)
{
    const sshkit_sftp_file *f = arg;
    sk_write_string(b, f->handle, f->handle_len);
}

int sk_sftp_close_handle(sshkit_sftp_file *f)
{
    sshkit_sftp *sftp = f->sftp;
    int rc = sk_sftp_call_status(sftp, SK_OP_CLOSE, f, SK_FXP_CLOSE, put_handle, f);
    if (rc == SSHKIT_E_AGAIN || rc == SSHKIT_E_STATE)
        return rc;
    sk_sftp_file_destroy(f);
    return rc;
}

int sshkit_sftp_file_close(sshkit_sftp_file *file)
{
    return file ? sk_sftp_close_handle(file) : 0;
}

int sshkit_sftp_file_seek(sshkit_sftp_file *file, uint64_t offset)
{
    file->offset = offset;
    return 0;
}

uint64_t sshkit_sftp_file_tell(const sshkit_sftp_file *file)
{
    return file->offset;
}

int sshkit_sftp_file_fstat(sshkit_sftp_file *file, sshkit_sftp_attrs *attrs)
{
    if (file == NULL || attrs == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    sshkit_sftp *sftp = file->sftp;
    sk_sftp_reply reply;
    int rc = sk_sftp_call_simple(sftp, SK_OP_FSTAT, file, SK_FXP_FSTAT, put_handle, file, &reply);
    if (rc == 0)
        rc = sk_sftp_expect(sftp, &reply, SK_FXP_ATTRS, "FSTAT");
    if (rc == 0 && (sk_sftp_read_attrs(&reply.r, attrs) || sk_reader_finish(&reply.r)))
        rc = sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent malformed ATTRS");
    return rc;
}

struct handle_attrs {
    const sshkit_sftp_file *file;
    const sshkit_sftp_attrs *attrs;
};

static void put_handle_attrs(sk_buf *b, const void *arg)
{
    const struct handle_attrs *a = arg;
    put_handle(b, a->file);
    sk_sftp_write_attrs(b, a->attrs);
}

int sshkit_sftp_file_fsetstat(sshkit_sftp_file *file, const sshkit_sftp_attrs *attrs)
{
    if (file == NULL || attrs == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    struct handle_attrs a = { file, attrs };
    return sk_sftp_call_status(file->sftp, SK_OP_FSETSTAT, file, SK_FXP_FSETSTAT,
                               put_handle_attrs, &a);
}

int sshkit_sftp_file_fsync(sshkit_sftp_file *file)
{
    if (file == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    int rc = sk_sftp_need(file->sftp, SK_EXT_FSYNC, SK_SFTP_EXT_FSYNC);
    return rc ? rc : sk_sftp_call_ext_status(file->sftp, SK_OP_FSYNC, file, SK_SFTP_EXT_FSYNC,
                                             put_handle, file);
}

int sshkit_sftp_file_fstatvfs(sshkit_sftp_file *file, sshkit_sftp_fs_stats *out)
{
    if (file == NULL || out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    sshkit_sftp *sftp = file->sftp;
    int rc = sk_sftp_need(sftp, SK_EXT_FSTATVFS, SK_SFTP_EXT_FSTATVFS);
    if (rc)
        return rc;
    sk_sftp_reply reply;
    rc = sk_sftp_call_extended(sftp, SK_OP_FSTATVFS, file, SK_SFTP_EXT_FSTATVFS, put_handle, file,
                               &reply);
    return rc ? rc : sk_sftp_take_statvfs(sftp, &reply, out);
}

struct copy_args {
    const sshkit_sftp_file *from, *to;
    uint64_t from_offset, length, to_offset;
};

static void put_copy(sk_buf *b, const void *arg)
{
    const struct copy_args *a = arg;
    put_handle(b, a->from);
    sk_write_u64(b, a->from_offset);
    sk_write_u64(b, a->length);
    put_handle(b, a->to);
    sk_write_u64(b, a->to_offset);
}

int sshkit_sftp_copy_data(sshkit_sftp_file *from, uint64_t from_offset, uint64_t length,
                          sshkit_sftp_file *to, uint64_t to_offset)
{
    if (from == NULL || to == NULL || from == to || from->sftp != to->sftp)
        return SSHKIT_E_INVALID_ARGUMENT;
    int rc = sk_sftp_need(from->sftp, SK_EXT_COPY_DATA, SK_SFTP_EXT_COPY_DATA);
    if (rc)
        return rc;
    struct copy_args a = { from, to, from_offset, length, to_offset };
    return sk_sftp_call_ext_status(from->sftp, SK_OP_COPY_DATA, from, SK_SFTP_EXT_COPY_DATA,
                                   put_copy, &a);
}
