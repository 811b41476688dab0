/* Operations on paths of the local tree. Those that act on a last
 * component (remove, mkdir, rmdir, rename, symlink, link, readlink) use
 * the *at() calls on its confined parent directory, so neither a link at
 * the end nor ".." can lead them out; the others resolve the whole path
 * inside the root and work on the descriptor. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "sftp/server_local.h"

static int status_of(int rc)
{
    return sshkit_sftp_status_from_errno(rc < 0 ? -rc : 0);
}

int sk_local_op_stat(void *ctx, const char *path, bool follow, sshkit_sftp_attrs *attrs)
{
    struct stat st;
    int fd = sk_local_object(ctx, path, follow);

    if (fd < 0)
        return status_of(fd);
    int rc = fstat(fd, &st) < 0 ? -errno : 0;
    close(fd);
    if (rc == 0)
        sk_local_stat_to_attrs(&st, attrs);
    return status_of(rc);
}

/* SETSTAT's size: truncate(2), through a descriptor open for writing. */
static int set_size(sshkit_sftp_local *fs, const char *path, uint64_t size)
{
    int fd = sk_local_open(fs, path, O_WRONLY | O_NONBLOCK | O_NOCTTY, 0);

    if (fd < 0)
        return fd;
    int rc = ftruncate(fd, (off_t)size) < 0 ? -errno : 0;
    close(fd);
    return rc;
}

int sk_local_op_setstat(void *ctx, const char *path, bool follow, const sshkit_sftp_attrs *attrs)
{
    sshkit_sftp_attrs rest = *attrs;
    int rc = 0;

    if (rest.flags & SSHKIT_SFTP_ATTR_SIZE) {
        rc = follow ? set_size(ctx, path, rest.size) : -EINVAL;
        rest.flags &= ~(uint32_t)SSHKIT_SFTP_ATTR_SIZE;
    }
    if (rest.flags == 0)
        return status_of(rc);
    int fd = sk_local_object(ctx, path, follow);
    if (fd < 0)
        return status_of(rc ? rc : fd);
    int applied = sk_local_apply_attrs(fd, false, &rest);
    close(fd);
    return status_of(rc ? rc : applied);
}

/* Closes the parent directory of an *at() call and turns the call's
 * result into a status (errno is read before close can change it). */
static int done_at(int dir, int result)
{
    int err = result < 0 ? errno : 0;

    close(dir);
    return sshkit_sftp_status_from_errno(err);
}

/* unlink("x/") fails as the kernel's does: x is a directory, or is none. */
static int remove_with_slash(sshkit_sftp_local *fs, const char *path)
{
    struct stat st;
    int fd = sk_local_open(fs, path, O_PATH, 0);

    if (fd < 0)
        return status_of(fd);
    int rc = fstat(fd, &st) < 0 ? -errno : S_ISDIR(st.st_mode) ? -EISDIR : -ENOTDIR;
    close(fd);
    return status_of(rc);
}

int sk_local_op_remove(void *ctx, const char *path)
{
    char name[NAME_MAX + 1];
    if (sk_local_trailing_slash(path))
        return remove_with_slash(ctx, path);
    int dir = sk_local_parent(ctx, path, name);

    return dir < 0 ? status_of(dir) : done_at(dir, unlinkat(dir, name, 0));
}

int sk_local_op_mkdir(void *ctx, const char *path, const sshkit_sftp_attrs *attrs)
{
    char name[NAME_MAX + 1];
    mode_t mode = (attrs->flags & SSHKIT_SFTP_ATTR_PERMISSIONS) ? attrs->permissions & 07777 : 0777;
    int dir = sk_local_parent(ctx, path, name);

    return dir < 0 ? status_of(dir) : done_at(dir, mkdirat(dir, name, mode));
}

int sk_local_op_rmdir(void *ctx, const char *path)
{
    char name[NAME_MAX + 1];
    int dir = sk_local_parent(ctx, path, name);

    return dir < 0 ? status_of(dir) : done_at(dir, unlinkat(dir, name, AT_REMOVEDIR));
}

/* The target is stored as the client wrote it; whenever the link is
 * followed, the target is resolved inside the root. */
int sk_local_op_symlink(void *ctx, const char *target, const char *linkpath)
{
    char name[NAME_MAX + 1];
    int dir = sk_local_parent(ctx, linkpath, name);

    return dir < 0 ? status_of(dir) : done_at(dir, symlinkat(target, dir, name));
}

/* SFTP's RENAME fails when the target exists; renameat2's NOREPLACE says
 * so atomically, and where a file system lacks it, a check comes first. */
static int rename_noreplace(int from_dir, const char *from, int to_dir, const char *to)
{
    struct stat st;

    if (renameat2(from_dir, from, to_dir, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -errno;
    if (fstatat(to_dir, to, &st, AT_SYMLINK_NOFOLLOW) == 0)
        return -EEXIST;
    return renameat(from_dir, from, to_dir, to) < 0 ? -errno : 0;
}

/* Two paths, each as a parent directory and a last component. */
static int two_parents(sshkit_sftp_local *fs, const char *a, const char *b, int dirs[2],
                       char names[2][NAME_MAX + 1])
{
    if ((dirs[0] = sk_local_parent(fs, a, names[0])) < 0)
        return dirs[0];
    if ((dirs[1] = sk_local_parent(fs, b, names[1])) < 0) {
        close(dirs[0]);
        return dirs[1];
    }
    return 0;
}

int sk_local_op_rename(void *ctx, const char *from, const char *to, bool overwrite)
{
    int dirs[2];
    char names[2][NAME_MAX + 1];
    int rc = two_parents(ctx, from, to, dirs, names);

    if (rc < 0)
        return status_of(rc);
    if (overwrite)
        rc = renameat(dirs[0], names[0], dirs[1], names[1]) < 0 ? -errno : 0;
    else
        rc = rename_noreplace(dirs[0], names[0], dirs[1], names[1]);
    close(dirs[0]);
    close(dirs[1]);
    return status_of(rc);
}

int sk_local_op_link(void *ctx, const char *from, const char *to)
{
    int dirs[2];
    char names[2][NAME_MAX + 1];
    int rc = two_parents(ctx, from, to, dirs, names);

    if (rc < 0)
        return status_of(rc);
    /* Without AT_SYMLINK_FOLLOW a link at the end is linked itself. */
    rc = linkat(dirs[0], names[0], dirs[1], names[1], 0) < 0 ? -errno : 0;
    close(dirs[0]);
    close(dirs[1]);
    return status_of(rc);
}

int sk_local_op_readlink(void *ctx, const char *path, char *out, size_t cap)
{
    char name[NAME_MAX + 1];
    int dir = sk_local_parent(ctx, path, name);

    if (dir < 0)
        return status_of(dir);
    if (sk_local_dot(name) || sk_local_trailing_slash(path)) {
        close(dir);
        return status_of(-EINVAL);      /* a directory, not a link */
    }
    ssize_t n = readlinkat(dir, name, out, cap - 1);
    if (n >= 0)
        out[n] = '\0';
    return done_at(dir, (int)n);
}

int sk_local_op_statvfs(void *ctx, const char *path, sshkit_sftp_fs_stats *out)
{
    struct statvfs st;
    int fd = sk_local_open(ctx, path, O_PATH, 0);

    if (fd < 0)
        return status_of(fd);
    int rc = fstatvfs(fd, &st) < 0 ? -errno : 0;
    close(fd);
    if (rc == 0)
        sk_local_statvfs_out(&st, out);
    return status_of(rc);
}

int sk_local_op_realpath(void *ctx, const char *path, char *out, size_t cap)
{
    return status_of(sk_local_realpath(ctx, path, out, cap));
}
