/* Directory listings: OPENDIR, then READDIR batches handed out entry by
 * entry, then CLOSE. */
#include "sftp/client_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

static void put_path(sk_buf *b, const void *path)
{
    sk_write_cstring(b, path);
}

static void put_handle(sk_buf *b, const void *arg)
{
    const sshkit_sftp_file *f = arg;
    sk_write_string(b, f->handle, f->handle_len);
}

int sshkit_sftp_dir_open(sshkit_sftp *sftp, const char *path, sshkit_sftp_dir **dir)
{
    if (sftp == NULL || path == NULL || dir == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    sk_sftp_reply reply;
    int rc = sk_sftp_call_simple(sftp, SK_OP_OPENDIR, NULL, SK_FXP_OPENDIR, put_path, path, &reply);
    if (rc)
        return rc;
    sshkit_sftp_dir *d = calloc(1, sizeof *d);
    uint8_t *handle = d ? d->base.handle : (uint8_t[SK_SFTP_MAX_HANDLE]){ 0 };
    uint32_t len;
    if ((rc = sk_sftp_take_handle(sftp, &reply, handle, &len)) != 0) {
        free(d);
        return rc;
    }
    if (d == NULL) {
        sk_sftp_close_quietly(sftp, handle, len);
        return SSHKIT_E_NOMEM;
    }
    d->base.handle_len = len;
    d->base.is_dir = true;
    sk_buf_init(&d->batch);
    sk_sftp_file_link(sftp, &d->base);
    *dir = d;
    return 0;
}

/* One entry of a NAME reply; checks it and, with out, copies its strings. */
static int next_entry(sk_reader *r, sshkit_sftp_attrs *attrs, sk_bytes *name, sk_bytes *longname)
{
    sk_read_string(r, name);
    sk_read_string(r, longname);
    sk_sftp_read_attrs(r, attrs);
    if (sk_reader_error(r) || memchr(name->ptr, 0, name->len) ||
        memchr(longname->ptr, 0, longname->len))
        return SSHKIT_E_PROTOCOL;
    return 0;
}

/* Takes a READDIR answer: a batch of names (checked whole now, handed out
 * later), or EOF. */
static int take_batch(sshkit_sftp *sftp, sshkit_sftp_dir *d, sk_sftp_reply *reply)
{
    if (reply->type == SK_FXP_STATUS) {
        sk_reader peek = reply->r;
        uint32_t code;
        if (sk_read_u32(&peek, &code) == 0 && code == SSHKIT_SFTP_EOF) {
            d->at_end = true;
            return 0;
        }
    }
    int rc = sk_sftp_expect(sftp, reply, SK_FXP_NAME, "READDIR");
    if (rc)
        return rc;
    uint32_t count;
    sk_read_u32(&reply->r, &count);
    if (sk_reader_error(&reply->r) || count > SK_SFTP_MAX_NAMES)
        return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent a NAME of %u entries", count);
    sk_reader check = reply->r;
    for (uint32_t i = 0; i < count; i++) {
        sshkit_sftp_attrs attrs;
        sk_bytes name, longname;
        if (next_entry(&check, &attrs, &name, &longname))
            return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent a malformed NAME entry");
    }
    /* The batch keeps the reply's bytes: swap buffers rather than copy. */
    sk_buf kept = d->batch;
    d->batch = sftp->call.ask.reply;
    sftp->call.ask.reply = kept;
    sk_buf_reset(&sftp->call.ask.reply);
    size_t at = reply->r.pos;
    sk_reader_init(&d->cursor, d->batch.data, d->batch.len);
    d->cursor.pos = at;
    d->left = count;
    return 0;
}

static int hand_out(sshkit_sftp_dir *d, sshkit_sftp_dirent *entry)
{
    sk_bytes name, longname;
    next_entry(&d->cursor, &entry->attrs, &name, &longname);   /* checked in take_batch */
    d->left--;
    free(d->name);
    free(d->longname);
    d->name = strndup((const char *)name.ptr, name.len);
    d->longname = strndup((const char *)longname.ptr, longname.len);
    if (d->name == NULL || d->longname == NULL)
        return SSHKIT_E_NOMEM;
    entry->name = d->name;
    entry->longname = d->longname;
    return 1;
}

int sshkit_sftp_dir_read(sshkit_sftp_dir *dir, sshkit_sftp_dirent *entry)
{
    if (dir == NULL || entry == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    sshkit_sftp *sftp = dir->base.sftp;
    while (dir->left == 0 && !dir->at_end) {
        sk_sftp_reply reply;
        int rc = sk_sftp_call_simple(sftp, SK_OP_READDIR, dir, SK_FXP_READDIR, put_handle,
                                     &dir->base, &reply);
        if (rc == 0)
            rc = take_batch(sftp, dir, &reply);
        if (rc)
            return rc;
    }
    return dir->left > 0 ? hand_out(dir, entry) : 0;
}

int sshkit_sftp_dir_close(sshkit_sftp_dir *dir)
{
    return dir ? sk_sftp_close_handle(&dir->base) : 0;
}
