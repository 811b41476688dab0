/* Requests on paths: attributes, directories, removal, renaming, links,
 * canonical names. Each is one request and one reply (client_call.c). */
#include "sftp/client_internal.h"

#include <string.h>
#include <sshkit/error.h>

struct two_paths {
    const char *a, *b;
};

struct path_attrs {
    const char *path;
    const sshkit_sftp_attrs *attrs;
};

static void put_path(sk_buf *b, const void *path)
{
    sk_write_cstring(b, path);
}

static void put_two_paths(sk_buf *b, const void *arg)
{
    const struct two_paths *p = arg;
    sk_write_cstring(b, p->a);
    sk_write_cstring(b, p->b);
}

static void put_path_attrs(sk_buf *b, const void *arg)
{
    const struct path_attrs *p = arg;
    sk_write_cstring(b, p->path);
    sk_sftp_write_attrs(b, p->attrs);
}

static int attrs_reply(sshkit_sftp *sftp, sk_sftp_reply *reply, int rc, sshkit_sftp_attrs *out)
{
    if (rc == 0)
        rc = sk_sftp_expect(sftp, reply, SK_FXP_ATTRS, "a stat request");
    if (rc == 0 && (sk_sftp_read_attrs(&reply->r, out) || sk_reader_finish(&reply->r)))
        rc = sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent malformed ATTRS");
    return rc;
}

static int stat_like(sshkit_sftp *sftp, uint8_t type, const char *path, sshkit_sftp_attrs *attrs)
{
    if (sftp == NULL || path == NULL || attrs == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    sk_sftp_reply reply;
    int rc = sk_sftp_call_simple(sftp, SK_OP_PATH, NULL, type, put_path, path, &reply);
    return rc == SSHKIT_E_AGAIN ? rc : attrs_reply(sftp, &reply, rc, attrs);
}

int sshkit_sftp_stat(sshkit_sftp *sftp, const char *path, sshkit_sftp_attrs *attrs)
{
    return stat_like(sftp, SK_FXP_STAT, path, attrs);
}

int sshkit_sftp_lstat(sshkit_sftp *sftp, const char *path, sshkit_sftp_attrs *attrs)
{
    return stat_like(sftp, SK_FXP_LSTAT, path, attrs);
}

/* Checks that the session can make an extended request before entering a
 * call (an unknown extension fails at once, without a round trip). */
int sk_sftp_need(sshkit_sftp *sftp, uint32_t bit, const char *name)
{
    int rc = sshkit_sftp_handshake(sftp);
    if (rc)
        return rc;
    if (!(sftp->ext_bits & bit))
        return sk_sftp_error(sftp, SSHKIT_E_UNSUPPORTED, "the server does not offer %s", name);
    return 0;
}

int sshkit_sftp_setstat(sshkit_sftp *sftp, const char *path, const sshkit_sftp_attrs *attrs)
{
    if (sftp == NULL || path == NULL || attrs == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    struct path_attrs a = { path, attrs };
    return sk_sftp_call_status(sftp, SK_OP_PATH, NULL, SK_FXP_SETSTAT, put_path_attrs, &a);
}

int sshkit_sftp_lsetstat(sshkit_sftp *sftp, const char *path, const sshkit_sftp_attrs *attrs)
{
    if (sftp == NULL || path == NULL || attrs == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    int rc = sk_sftp_need(sftp, SK_EXT_LSETSTAT, SK_SFTP_EXT_LSETSTAT);
    if (rc)
        return rc;
    struct path_attrs a = { path, attrs };
    return sk_sftp_call_ext_status(sftp, SK_OP_PATH, NULL, SK_SFTP_EXT_LSETSTAT, put_path_attrs,
                                   &a);
}

int sshkit_sftp_mkdir(sshkit_sftp *sftp, const char *path, unsigned mode)
{
    if (sftp == NULL || path == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    sshkit_sftp_attrs attrs = { .flags = SSHKIT_SFTP_ATTR_PERMISSIONS, .permissions = mode & 07777 };
    struct path_attrs a = { path, &attrs };
    return sk_sftp_call_status(sftp, SK_OP_PATH, NULL, SK_FXP_MKDIR, put_path_attrs, &a);
}

static int path_status(sshkit_sftp *sftp, uint8_t type, const char *path)
{
    if (sftp == NULL || path == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    return sk_sftp_call_status(sftp, SK_OP_PATH, NULL, type, put_path, path);
}

int sshkit_sftp_rmdir(sshkit_sftp *sftp, const char *path)
{
    return path_status(sftp, SK_FXP_RMDIR, path);
}

int sshkit_sftp_remove(sshkit_sftp *sftp, const char *path)
{
    return path_status(sftp, SK_FXP_REMOVE, path);
}

int sshkit_sftp_rename(sshkit_sftp *sftp, const char *from, const char *to, unsigned flags)
{
    if (sftp == NULL || from == NULL || to == NULL || (flags & ~(unsigned)SSHKIT_SFTP_RENAME_LEGACY))
        return SSHKIT_E_INVALID_ARGUMENT;
    int rc = sshkit_sftp_handshake(sftp);
    if (rc)
        return rc;
    struct two_paths p = { from, to };
    if ((sftp->ext_bits & SK_EXT_POSIX_RENAME) && !(flags & SSHKIT_SFTP_RENAME_LEGACY))
        return sk_sftp_call_ext_status(sftp, SK_OP_PATH, NULL, SK_SFTP_EXT_POSIX_RENAME,
                                       put_two_paths, &p);
    return sk_sftp_call_status(sftp, SK_OP_PATH, NULL, SK_FXP_RENAME, put_two_paths, &p);
}

int sshkit_sftp_symlink(sshkit_sftp *sftp, const char *target, const char *link_path)
{
    if (sftp == NULL || target == NULL || link_path == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    int rc = sshkit_sftp_handshake(sftp);
    if (rc)
        return rc;
    /* The draft says linkpath then targetpath; OpenSSH's server reads
     * targetpath first (its PROTOCOL, 4.1), and so do servers made for its clients. */
    struct two_paths p = sftp->openssh ? (struct two_paths){ target, link_path }
                                       : (struct two_paths){ link_path, target };
    return sk_sftp_call_status(sftp, SK_OP_PATH, NULL, SK_FXP_SYMLINK, put_two_paths, &p);
}

int sshkit_sftp_hardlink(sshkit_sftp *sftp, const char *existing, const char *link_path)
{
    if (sftp == NULL || existing == NULL || link_path == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    int rc = sk_sftp_need(sftp, SK_EXT_HARDLINK, SK_SFTP_EXT_HARDLINK);
    if (rc)
        return rc;
    struct two_paths p = { existing, link_path };
    return sk_sftp_call_ext_status(sftp, SK_OP_PATH, NULL, SK_SFTP_EXT_HARDLINK, put_two_paths,
                                   &p);
}

static int name_call(sshkit_sftp *sftp, uint8_t type, const char *ext, const char *path,
                     char *buf, size_t cap)
{
    if (sftp == NULL || path == NULL || (buf == NULL && cap))
        return SSHKIT_E_INVALID_ARGUMENT;
    sk_sftp_reply reply;
    int rc = ext ? sk_sftp_call_extended(sftp, SK_OP_PATH, NULL, ext, put_path, path, &reply)
                 : sk_sftp_call_simple(sftp, SK_OP_PATH, NULL, type, put_path, path, &reply);
    if (rc)
        return rc;
    return sk_sftp_take_name(sftp, &reply, buf, cap);
}

int sshkit_sftp_readlink(sshkit_sftp *sftp, const char *path, char *buf, size_t cap)
{
    return name_call(sftp, SK_FXP_READLINK, NULL, path, buf, cap);
}

int sshkit_sftp_realpath(sshkit_sftp *sftp, const char *path, char *buf, size_t cap)
{
    return name_call(sftp, SK_FXP_REALPATH, NULL, path, buf, cap);
}

int sshkit_sftp_expand_path(sshkit_sftp *sftp, const char *path, char *buf, size_t cap)
{
    if (sftp == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    int rc = sk_sftp_need(sftp, SK_EXT_EXPAND_PATH, SK_SFTP_EXT_EXPAND_PATH);
    return rc ? rc : name_call(sftp, 0, SK_SFTP_EXT_EXPAND_PATH, path, buf, cap);
}

int sk_sftp_take_statvfs(sshkit_sftp *sftp, sk_sftp_reply *reply, sshkit_sftp_fs_stats *out)
{
    int rc = sk_sftp_expect(sftp, reply, SK_FXP_EXTENDED_REPLY, "statvfs");
    if (rc)
        return rc;
    sk_sftp_statvfs v;
    if (sk_sftp_read_statvfs(&reply->r, &v) || sk_reader_finish(&reply->r))
        return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent a malformed statvfs reply");
    *out = (sshkit_sftp_fs_stats){ v.bsize, v.frsize, v.blocks, v.bfree, v.bavail, v.files,
                                   v.ffree, v.favail, v.fsid, v.flag, v.namemax };
    return 0;
}

int sshkit_sftp_statvfs(sshkit_sftp *sftp, const char *path, sshkit_sftp_fs_stats *out)
{
    if (sftp == NULL || path == NULL || out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    int rc = sk_sftp_need(sftp, SK_EXT_STATVFS, SK_SFTP_EXT_STATVFS);
    if (rc)
        return rc;
    sk_sftp_reply reply;
    rc = sk_sftp_call_extended(sftp, SK_OP_PATH, NULL, SK_SFTP_EXT_STATVFS, put_path, path, &reply);
    return rc ? rc : sk_sftp_take_statvfs(sftp, &reply, out);
}
