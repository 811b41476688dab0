/* Requests on paths: STAT, LSTAT, SETSTAT (and lsetstat), REMOVE, MKDIR,
 * RMDIR, REALPATH (and expand-path), RENAME (and posix-rename), READLINK,
 * SYMLINK, hardlink and statvfs. Each reads its paths into the scratch
 * buffers, logs as OpenSSH's sftp-server does, and calls its operation. */
#include <string.h>
#include <time.h>

#include "sftp/server.h"

#define UNSUPPORTED SSHKIT_SFTP_OP_UNSUPPORTED

/* Reads n paths (into s->path[0], [1]); answers BAD_MESSAGE when one is bad. */
static bool read_paths(sshkit_sftp_server *s, uint32_t id, sk_reader *r, int n)
{
    for (int i = 0; i < n; i++) {
        if (sk_sftps_read_path(s, r, i) != 0) {
            sk_sftps_status(s, id, SSHKIT_SFTP_BAD_MESSAGE);
            return false;
        }
    }
    return true;
}

void sk_sftps_log_setstat(const sshkit_sftp_server *s, const char *name, const sshkit_sftp_attrs *a)
{
    if (a->flags & SSHKIT_SFTP_ATTR_SIZE)
        sk_sftps_log(s, SSHKIT_LOG_INFO, "set \"%s\" size %llu", name,
                     (unsigned long long)a->size);
    if (a->flags & SSHKIT_SFTP_ATTR_PERMISSIONS)
        sk_sftps_log(s, SSHKIT_LOG_INFO, "set \"%s\" mode %04o", name, a->permissions);
    if (a->flags & SSHKIT_SFTP_ATTR_ACMODTIME) {
        char when[64] = "";
        time_t t = a->mtime;
        struct tm tm;
        if (localtime_r(&t, &tm))
            strftime(when, sizeof when, "%Y%m%d-%H:%M:%S", &tm);
        sk_sftps_log(s, SSHKIT_LOG_INFO, "set \"%s\" modtime %s", name, when);
    }
    if (a->flags & SSHKIT_SFTP_ATTR_UIDGID)
        sk_sftps_log(s, SSHKIT_LOG_INFO, "set \"%s\" owner %lu group %lu", name,
                     (unsigned long)a->uid, (unsigned long)a->gid);
}

void sk_sftps_stat(sshkit_sftp_server *s, uint32_t id, sk_reader *r, bool follow)
{
    sshkit_sftp_attrs a = { 0 };

    if (!read_paths(s, id, r, 1))
        return;
    sk_sftps_log(s, SSHKIT_LOG_DEBUG, "%sstat name \"%s\"", follow ? "" : "l", s->path[0]);
    int status = s->ops->stat ? s->ops->stat(s->ctx, s->path[0], follow, &a) : UNSUPPORTED;
    if (status == SSHKIT_SFTP_OK)
        sk_sftps_reply_attrs(s, id, &a);
    else
        sk_sftps_status(s, id, status);
}

void sk_sftps_setstat(sshkit_sftp_server *s, uint32_t id, sk_reader *r, bool follow)
{
    sshkit_sftp_attrs a;

    if (!read_paths(s, id, r, 1))
        return;
    if (sk_sftp_read_attrs(r, &a) != 0 || (!follow && (a.flags & SSHKIT_SFTP_ATTR_SIZE))) {
        sk_sftps_status(s, id, SSHKIT_SFTP_BAD_MESSAGE);    /* a link has no size to set */
        return;
    }
    sk_sftps_log_setstat(s, s->path[0], &a);
    sk_sftps_status(s, id, s->ops->setstat ? s->ops->setstat(s->ctx, s->path[0], follow, &a)
                                           : UNSUPPORTED);
}

void sk_sftps_remove(sshkit_sftp_server *s, uint32_t id, sk_reader *r)
{
    if (!read_paths(s, id, r, 1))
        return;
    sk_sftps_log(s, SSHKIT_LOG_INFO, "remove name \"%s\"", s->path[0]);
    sk_sftps_status(s, id, s->ops->remove ? s->ops->remove(s->ctx, s->path[0]) : UNSUPPORTED);
}

void sk_sftps_mkdir(sshkit_sftp_server *s, uint32_t id, sk_reader *r)
{
    sshkit_sftp_attrs a;

    if (!read_paths(s, id, r, 1))
        return;
    if (sk_sftp_read_attrs(r, &a) != 0) {
        sk_sftps_status(s, id, SSHKIT_SFTP_BAD_MESSAGE);
        return;
    }
    sk_sftps_log(s, SSHKIT_LOG_INFO, "mkdir name \"%s\" mode 0%o", s->path[0],
                 a.flags & SSHKIT_SFTP_ATTR_PERMISSIONS ? a.permissions & 07777 : 0777);
    sk_sftps_status(s, id, s->ops->mkdir ? s->ops->mkdir(s->ctx, s->path[0], &a) : UNSUPPORTED);
}

void sk_sftps_rmdir(sshkit_sftp_server *s, uint32_t id, sk_reader *r)
{
    if (!read_paths(s, id, r, 1))
        return;
    sk_sftps_log(s, SSHKIT_LOG_INFO, "rmdir name \"%s\"", s->path[0]);
    sk_sftps_status(s, id, s->ops->rmdir ? s->ops->rmdir(s->ctx, s->path[0]) : UNSUPPORTED);
}

/* expand-path@openssh.com: "~" and "~/..." are the start directory (where
 * relative paths begin); "~user" is not known here. */
static int expand_tilde(char *path)
{
    if (path[0] != '~')
        return SSHKIT_SFTP_OK;
    if (path[1] == '\0') {
        strcpy(path, ".");
        return SSHKIT_SFTP_OK;
    }
    if (path[1] != '/')
        return SSHKIT_SFTP_NO_SUCH_FILE;
    size_t rest = strlen(path + 2);
    if (rest == 0)
        strcpy(path, ".");
    else
        memmove(path, path + 2, rest + 1);
    return SSHKIT_SFTP_OK;
}

void sk_sftps_realpath(sshkit_sftp_server *s, uint32_t id, sk_reader *r, bool expand)
{
    char *path = s->path[0], *out = s->path[1];

    if (!read_paths(s, id, r, 1))
        return;
    int status = expand ? expand_tilde(path) : SSHKIT_SFTP_OK;
    if (path[0] == '\0')
        strcpy(path, ".");
    sk_sftps_log(s, SSHKIT_LOG_DEBUG, "%s \"%s\"", expand ? "expand" : "realpath", path);
    out[0] = '\0';
    if (status == SSHKIT_SFTP_OK)
        status = s->ops->realpath ? s->ops->realpath(s->ctx, path, out, SSHKIT_SFTP_PATH_MAX)
                                  : UNSUPPORTED;
    if (status == SSHKIT_SFTP_OK && memchr(out, 0, SSHKIT_SFTP_PATH_MAX) == NULL)
        status = SSHKIT_SFTP_FAILURE;       /* the operation overran: refuse it */
    if (status == SSHKIT_SFTP_OK)
        sk_sftps_reply_name(s, id, out);
    else
        sk_sftps_status(s, id, status);
}

void sk_sftps_rename(sshkit_sftp_server *s, uint32_t id, sk_reader *r, bool overwrite)
{
    if (!read_paths(s, id, r, 2))
        return;
    sk_sftps_log(s, SSHKIT_LOG_INFO, "%srename old \"%s\" new \"%s\"", overwrite ? "posix-" : "",
                 s->path[0], s->path[1]);
    sk_sftps_status(s, id, s->ops->rename ? s->ops->rename(s->ctx, s->path[0], s->path[1],
                                                           overwrite)
                                          : UNSUPPORTED);
}

void sk_sftps_readlink(sshkit_sftp_server *s, uint32_t id, sk_reader *r)
{
    char *out = s->path[1];

    if (!read_paths(s, id, r, 1))
        return;
    sk_sftps_log(s, SSHKIT_LOG_DEBUG, "readlink \"%s\"", s->path[0]);
    out[0] = '\0';
    int status = s->ops->readlink ? s->ops->readlink(s->ctx, s->path[0], out, SSHKIT_SFTP_PATH_MAX)
                                  : UNSUPPORTED;
    if (status == SSHKIT_SFTP_OK && memchr(out, 0, SSHKIT_SFTP_PATH_MAX) == NULL)
        status = SSHKIT_SFTP_FAILURE;
    if (status == SSHKIT_SFTP_OK)
        sk_sftps_reply_name(s, id, out);
    else
        sk_sftps_status(s, id, status);
}

/* OpenSSH's order (PROTOCOL 4.1): the target first, then the new link. */
void sk_sftps_symlink(sshkit_sftp_server *s, uint32_t id, sk_reader *r)
{
    if (!read_paths(s, id, r, 2))
        return;
    sk_sftps_log(s, SSHKIT_LOG_INFO, "symlink old \"%s\" new \"%s\"", s->path[0], s->path[1]);
    sk_sftps_status(s, id, s->ops->symlink ? s->ops->symlink(s->ctx, s->path[0], s->path[1])
                                           : UNSUPPORTED);
}

void sk_sftps_link(sshkit_sftp_server *s, uint32_t id, sk_reader *r)
{
    if (!read_paths(s, id, r, 2))
        return;
    sk_sftps_log(s, SSHKIT_LOG_INFO, "hardlink old \"%s\" new \"%s\"", s->path[0], s->path[1]);
    sk_sftps_status(s, id, s->ops->link ? s->ops->link(s->ctx, s->path[0], s->path[1])
                                        : UNSUPPORTED);
}

void sk_sftps_statvfs(sshkit_sftp_server *s, uint32_t id, sk_reader *r)
{
    sshkit_sftp_fs_stats v = { 0 };

    if (!read_paths(s, id, r, 1))
        return;
    sk_sftps_log(s, SSHKIT_LOG_INFO, "statvfs \"%s\"", s->path[0]);
    int status = s->ops->statvfs ? s->ops->statvfs(s->ctx, s->path[0], &v) : UNSUPPORTED;
    if (status == SSHKIT_SFTP_OK)
        sk_sftps_reply_statvfs(s, id, &v);
    else
        sk_sftps_status(s, id, status);
}
