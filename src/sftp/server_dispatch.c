/* One packet: INIT gets VERSION with the extensions; every request goes to
 * its handler, which answers it. A request before INIT, or one too short to
 * carry its id, ends the server (no answer could reach the client). */
#include <string.h>
#include <sshkit/error.h>

#include "sftp/server.h"

int sk_sftps_read_path(sshkit_sftp_server *s, sk_reader *r, int which)
{
    sk_bytes p;

    if (sk_read_string(r, &p) != 0 || memchr(p.ptr, 0, p.len) != NULL ||
        p.len >= SSHKIT_SFTP_PATH_MAX)
        return SSHKIT_SFTP_BAD_MESSAGE;
    memcpy(s->path[which], p.ptr, p.len);
    s->path[which][p.len] = '\0';
    return SSHKIT_SFTP_OK;
}

/* In read-only mode, answers PERMISSION_DENIED and returns true. */
bool sk_sftps_refuse_write(sshkit_sftp_server *s, uint32_t id, const char *what)
{
    if (!s->read_only)
        return false;
    sk_sftps_log(s, SSHKIT_LOG_DEBUG, "Refusing %s request in read-only mode", what);
    sk_sftps_status(s, id, SSHKIT_SFTP_PERMISSION_DENIED);
    return true;
}

static void on_init(sshkit_sftp_server *s, sk_reader *r)
{
    uint32_t version;

    if (sk_read_u32(r, &version) != 0) {
        sk_sftps_fail(s, SSHKIT_E_PROTOCOL, "INIT without a version");
        return;
    }
    sk_sftps_log(s, SSHKIT_LOG_DEBUG, "received client version %u", version);
    size_t start = sk_sftp_packet_begin(&s->out, SK_FXP_VERSION);
    sk_write_u32(&s->out, SK_SFTP_VERSION);
    sk_sftps_write_extensions(s);
    sk_sftp_packet_end(&s->out, start);
    s->init_done = true;
}

/* Requests that change the tree, refused in read-only mode (OPEN decides
 * by its flags). */
static const char *write_request(uint8_t type)
{
    switch (type) {
    case SK_FXP_WRITE: return "write";
    case SK_FXP_SETSTAT: return "setstat";
    case SK_FXP_FSETSTAT: return "fsetstat";
    case SK_FXP_REMOVE: return "remove";
    case SK_FXP_MKDIR: return "mkdir";
    case SK_FXP_RMDIR: return "rmdir";
    case SK_FXP_RENAME: return "rename";
    case SK_FXP_SYMLINK: return "symlink";
    default: return NULL;
    }
}

static void dispatch(sshkit_sftp_server *s, uint8_t type, uint32_t id, sk_reader *r)
{
    const char *w = write_request(type);

    if (w && sk_sftps_refuse_write(s, id, w))
        return;
    switch (type) {
    case SK_FXP_OPEN: sk_sftps_open(s, id, r); break;
    case SK_FXP_CLOSE: sk_sftps_close(s, id, r); break;
    case SK_FXP_READ: sk_sftps_read(s, id, r); break;
    case SK_FXP_WRITE: sk_sftps_write(s, id, r); break;
    case SK_FXP_LSTAT: sk_sftps_stat(s, id, r, false); break;
    case SK_FXP_FSTAT: sk_sftps_fstat(s, id, r); break;
    case SK_FXP_SETSTAT: sk_sftps_setstat(s, id, r, true); break;
    case SK_FXP_FSETSTAT: sk_sftps_fsetstat(s, id, r); break;
    case SK_FXP_OPENDIR: sk_sftps_opendir(s, id, r); break;
    case SK_FXP_READDIR: sk_sftps_readdir(s, id, r); break;
    case SK_FXP_REMOVE: sk_sftps_remove(s, id, r); break;
    case SK_FXP_MKDIR: sk_sftps_mkdir(s, id, r); break;
    case SK_FXP_RMDIR: sk_sftps_rmdir(s, id, r); break;
    case SK_FXP_REALPATH: sk_sftps_realpath(s, id, r, false); break;
    case SK_FXP_STAT: sk_sftps_stat(s, id, r, true); break;
    case SK_FXP_RENAME: sk_sftps_rename(s, id, r, false); break;
    case SK_FXP_READLINK: sk_sftps_readlink(s, id, r); break;
    case SK_FXP_SYMLINK: sk_sftps_symlink(s, id, r); break;
    case SK_FXP_EXTENDED: sk_sftps_extended(s, id, r); break;
    default:
        sk_sftps_log(s, SSHKIT_LOG_INFO, "Unknown message %u", type);
        sk_sftps_status(s, id, SSHKIT_SFTP_OP_UNSUPPORTED);
        break;
    }
}

void sk_sftps_handle_packet(sshkit_sftp_server *s, const uint8_t *p, size_t len)
{
    uint8_t type = p[0];
    sk_reader r;

    sk_reader_init(&r, p + 1, len - 1);
    if (type == SK_FXP_INIT) {
        on_init(s, &r);
        return;
    }
    if (!s->init_done) {
        sk_sftps_fail(s, SSHKIT_E_PROTOCOL, "Received %u request before init", type);
        return;
    }
    uint32_t id;
    if (sk_read_u32(&r, &id) != 0) {
        sk_sftps_fail(s, SSHKIT_E_PROTOCOL, "request of type %u without an id", type);
        return;
    }
    dispatch(s, type, id, &r);
}
