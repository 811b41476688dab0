/* Replies, written straight into the output buffer, and the log. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sftp/server.h"

void sk_sftps_log(const sshkit_sftp_server *s, sshkit_log_level level, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    if (s->log == NULL || level > s->log_level)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    s->log(s->log_user, level, line);
}

/* The messages OpenSSH's sftp-server sends with each status. */
const char *sk_sftps_status_text(unsigned status)
{
    static const char *const text[] = {
        "Success", "End of file", "No such file", "Permission denied", "Failure",
        "Bad message", "No connection", "Connection lost", "Operation unsupported",
    };

    return status < sizeof text / sizeof text[0] ? text[status] : "Unknown error";
}

size_t sk_sftps_begin(sshkit_sftp_server *s, uint8_t type, uint32_t id)
{
    size_t start = sk_sftp_packet_begin(&s->out, type);

    sk_write_u32(&s->out, id);
    return start;
}

void sk_sftps_end(sshkit_sftp_server *s, size_t start)
{
    sk_sftp_packet_end(&s->out, start);
}

/* Takes back a reply begun at start (a DATA reply whose read failed). */
void sk_sftps_unwrite(sshkit_sftp_server *s, size_t start)
{
    if (start <= s->out.len)
        s->out.len = start;
}

void sk_sftps_status(sshkit_sftp_server *s, uint32_t id, int status)
{
    unsigned code = status < 0 ? SSHKIT_SFTP_FAILURE : (unsigned)status;
    size_t start = sk_sftps_begin(s, SK_FXP_STATUS, id);

    sk_write_u32(&s->out, code);
    sk_write_cstring(&s->out, sk_sftps_status_text(code));
    sk_write_cstring(&s->out, "");
    sk_sftps_end(s, start);
    if (code != SSHKIT_SFTP_OK && code != SSHKIT_SFTP_EOF)
        sk_sftps_log(s, SSHKIT_LOG_INFO, "sent status %s", sk_sftps_status_text(code));
    else
        sk_sftps_log(s, SSHKIT_LOG_TRACE, "request %u: sent status %u", id, code);
}

void sk_sftps_reply_handle(sshkit_sftp_server *s, uint32_t id, uint32_t slot)
{
    uint8_t wire[SK_SFTPS_HANDLE_LEN];
    size_t start = sk_sftps_begin(s, SK_FXP_HANDLE, id);

    sk_store_u32(wire, slot);
    sk_store_u32(wire + 4, s->handles[slot].gen);
    sk_write_string(&s->out, wire, sizeof wire);
    sk_sftps_end(s, start);
}

void sk_sftps_reply_attrs(sshkit_sftp_server *s, uint32_t id, const sshkit_sftp_attrs *a)
{
    size_t start = sk_sftps_begin(s, SK_FXP_ATTRS, id);

    sk_sftp_write_attrs(&s->out, a);
    sk_sftps_end(s, start);
}

/* A NAME reply with one name (REALPATH, READLINK, expand-path): the long
 * name is the name, and no attributes, as OpenSSH's server sends. */
void sk_sftps_reply_name(sshkit_sftp_server *s, uint32_t id, const char *name)
{
    const sshkit_sftp_attrs none = { 0 };
    size_t start = sk_sftps_begin(s, SK_FXP_NAME, id);

    sk_write_u32(&s->out, 1);
    sk_write_cstring(&s->out, name);
    sk_write_cstring(&s->out, name);
    sk_sftp_write_attrs(&s->out, &none);
    sk_sftps_end(s, start);
}

void sk_sftps_reply_statvfs(sshkit_sftp_server *s, uint32_t id, const sshkit_sftp_fs_stats *v)
{
    const sk_sftp_statvfs w = { v->bsize, v->frsize, v->blocks, v->bfree, v->bavail, v->files,
                                v->ffree, v->favail, v->fsid, v->flag, v->namemax };
    size_t start = sk_sftps_begin(s, SK_FXP_EXTENDED_REPLY, id);

    sk_sftp_write_statvfs(&s->out, &w);
    sk_sftps_end(s, start);
}
