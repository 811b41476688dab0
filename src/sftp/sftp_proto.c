/* SFTP attributes, packet framing and status messages. */
#include "sftp/sftp_proto.h"

#include <sshkit/error.h>

/* An attrs block may carry this many extended pairs; more is abuse. */
#define SK_SFTP_MAX_EXTENDED 64

void sk_sftp_write_attrs(sk_buf *b, const sshkit_sftp_attrs *attrs)
{
    uint32_t flags = attrs->flags & ~(uint32_t)SSHKIT_SFTP_ATTR_EXTENDED;

    sk_write_u32(b, flags);
    if (flags & SSHKIT_SFTP_ATTR_SIZE)
        sk_write_u64(b, attrs->size);
    if (flags & SSHKIT_SFTP_ATTR_UIDGID) {
        sk_write_u32(b, attrs->uid);
        sk_write_u32(b, attrs->gid);
    }
    if (flags & SSHKIT_SFTP_ATTR_PERMISSIONS)
        sk_write_u32(b, attrs->permissions);
    if (flags & SSHKIT_SFTP_ATTR_ACMODTIME) {
        sk_write_u32(b, attrs->atime);
        sk_write_u32(b, attrs->mtime);
    }
}

static int skip_extended(sk_reader *r)
{
    uint32_t count;
    sk_bytes name, value;

    if (sk_read_u32(r, &count) != 0)
        return sk_reader_error(r);
    if (count > SK_SFTP_MAX_EXTENDED)
        return sk_reader_fail(r, SSHKIT_E_TOO_LARGE);
    for (uint32_t i = 0; i < count; i++) {
        sk_read_string(r, &name);
        sk_read_string(r, &value);
    }
    return sk_reader_error(r);
}

int sk_sftp_read_attrs(sk_reader *r, sshkit_sftp_attrs *attrs)
{
    *attrs = (sshkit_sftp_attrs){ 0 };
    if (sk_read_u32(r, &attrs->flags) != 0)
        return sk_reader_error(r);
    if (attrs->flags & SSHKIT_SFTP_ATTR_SIZE)
        sk_read_u64(r, &attrs->size);
    if (attrs->flags & SSHKIT_SFTP_ATTR_UIDGID) {
        sk_read_u32(r, &attrs->uid);
        sk_read_u32(r, &attrs->gid);
    }
    if (attrs->flags & SSHKIT_SFTP_ATTR_PERMISSIONS)
        sk_read_u32(r, &attrs->permissions);
    if (attrs->flags & SSHKIT_SFTP_ATTR_ACMODTIME) {
        sk_read_u32(r, &attrs->atime);
        sk_read_u32(r, &attrs->mtime);
    }
    if (attrs->flags & SSHKIT_SFTP_ATTR_EXTENDED) {
        skip_extended(r);
        attrs->flags &= ~(uint32_t)SSHKIT_SFTP_ATTR_EXTENDED;
    }
    if (sk_reader_error(r) != 0)
        *attrs = (sshkit_sftp_attrs){ 0 };
    return sk_reader_error(r);
}

long sk_sftp_frame(const uint8_t *data, size_t len, uint32_t max)
{
    if (len < 4)
        return 0;
    uint32_t body = sk_load_u32(data);
    if (body > max)
        return SSHKIT_E_TOO_LARGE;
    if (body < 1)
        return SSHKIT_E_FORMAT;
    if (len - 4 < body)
        return 0;
    return (long)body + 4;
}

size_t sk_sftp_packet_begin(sk_buf *b, uint8_t type)
{
    size_t start = b->len;

    sk_write_u32(b, 0);
    sk_write_u8(b, type);
    return start;
}

void sk_sftp_packet_end(sk_buf *b, size_t start)
{
    if (sk_buf_error(b) == 0)
        sk_store_u32(b->data + start, (uint32_t)(b->len - start - 4));
}

void sk_sftp_write_statvfs(sk_buf *b, const sk_sftp_statvfs *v)
{
    const uint64_t fields[] = { v->bsize, v->frsize, v->blocks, v->bfree, v->bavail, v->files,
                                v->ffree, v->favail, v->fsid, v->flag, v->namemax };

    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        sk_write_u64(b, fields[i]);
}

int sk_sftp_read_statvfs(sk_reader *r, sk_sftp_statvfs *v)
{
    uint64_t *fields[] = { &v->bsize, &v->frsize, &v->blocks, &v->bfree, &v->bavail, &v->files,
                           &v->ffree, &v->favail, &v->fsid, &v->flag, &v->namemax };

    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        sk_read_u64(r, fields[i]);
    return sk_reader_error(r);
}

const char *sshkit_sftp_status_message(unsigned status)
{
    /* OpenSSH's sftp prints these (sftp-common.c fx2txt). */
    static const char *const messages[] = {
        "Success", "End of file", "No such file or directory", "Permission denied", "Failure",
        "Bad message", "No connection", "Connection lost", "Operation unsupported",
    };

    if (status < sizeof messages / sizeof messages[0])
        return messages[status];
    return "Unknown status";
}
