/* copy-data (OpenSSH's PROTOCOL 4.10): a server-side copy between two open
 * files. A large copy is done in slices (SK_SFTPS_COPY_SLICE per call of
 * sshkit_sftp_server_process(), which then returns 1), so that a driver
 * serving many clients from one thread is not held for the whole copy;
 * other requests of this client wait until it ends, as with OpenSSH. */
#include <stdlib.h>
#include <string.h>

#include "sftp/server.h"

static struct sk_sftps_handle *file_arg(sshkit_sftp_server *s, sk_reader *r, uint32_t *slot)
{
    sk_bytes wire;

    if (sk_read_string(r, &wire) != 0)
        return NULL;
    return sk_sftps_handle_get(s, wire, SK_SFTPS_FILE, slot);
}

void sk_sftps_copy_start(sshkit_sftp_server *s, uint32_t id, sk_reader *r)
{
    struct sk_sftps_copy *c = &s->copy;
    uint64_t len;

    memset(c, 0, sizeof *c);
    struct sk_sftps_handle *from = file_arg(s, r, &c->from);
    sk_read_u64(r, &c->from_off);
    sk_read_u64(r, &len);
    struct sk_sftps_handle *to = file_arg(s, r, &c->to);
    sk_read_u64(r, &c->to_off);
    if (sk_reader_error(r)) {
        sk_sftps_status(s, id, SSHKIT_SFTP_BAD_MESSAGE);
        return;
    }
    /* As OpenSSH: never a file onto itself, by handle or by name. */
    if (from == NULL || to == NULL || c->from == c->to || strcmp(from->name, to->name) == 0) {
        sk_sftps_status(s, id, SSHKIT_SFTP_FAILURE);
        return;
    }
    if (s->copy_buf == NULL && (s->copy_buf = malloc(SK_SFTPS_COPY_CHUNK)) == NULL) {
        sk_sftps_status(s, id, SSHKIT_SFTP_FAILURE);
        return;
    }
    sk_sftps_log(s, SSHKIT_LOG_TRACE, "request %u: copy-data from \"%s\" off %llu len %llu to \"%s\" off %llu",
                 id, from->name, (unsigned long long)c->from_off, (unsigned long long)len, to->name,
                 (unsigned long long)c->to_off);
    c->id = id;
    c->until_eof = len == 0;
    c->left = c->until_eof ? UINT64_MAX - c->from_off : len;
    c->active = true;
    sk_sftps_copy_step(s);
}

/* One chunk: SSHKIT_SFTP_OK to go on, anything else ends the copy with
 * that status (SSHKIT_SFTP_EOF at the end of the source). */
static int copy_chunk(sshkit_sftp_server *s, struct sk_sftps_copy *c, uint32_t *moved)
{
    struct sk_sftps_handle *from = &s->handles[c->from], *to = &s->handles[c->to];
    uint32_t want = c->left < SK_SFTPS_COPY_CHUNK ? (uint32_t)c->left : SK_SFTPS_COPY_CHUNK;
    uint32_t got = 0;

    int status = s->ops->read(s->ctx, from->obj, c->from_off, s->copy_buf, want, &got);
    if (status == SSHKIT_SFTP_OK && got == 0)
        status = SSHKIT_SFTP_EOF;
    if (status == SSHKIT_SFTP_OK && got > want)
        status = SSHKIT_SFTP_FAILURE;
    if (status != SSHKIT_SFTP_OK)
        return status;
    from->bytes_read += got;
    status = s->ops->write(s->ctx, to->obj, c->to_off, s->copy_buf, got);
    if (status != SSHKIT_SFTP_OK)
        return status;
    to->bytes_written += got;
    c->from_off += got;
    c->to_off += got;
    c->left -= got;
    *moved = got;
    return SSHKIT_SFTP_OK;
}

bool sk_sftps_copy_step(sshkit_sftp_server *s)
{
    struct sk_sftps_copy *c = &s->copy;
    uint64_t done = 0;
    int status = SSHKIT_SFTP_OK;

    while (c->left > 0 && done < SK_SFTPS_COPY_SLICE) {
        uint32_t moved = 0;
        status = copy_chunk(s, c, &moved);
        if (status != SSHKIT_SFTP_OK)
            break;
        done += moved;
    }
    if (status == SSHKIT_SFTP_OK && c->left > 0)
        return true;
    if (status == SSHKIT_SFTP_EOF && c->until_eof)
        status = SSHKIT_SFTP_OK;
    c->active = false;
    sk_sftps_status(s, c->id, status);
    return false;
}
