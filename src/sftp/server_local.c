/* The local file system tree: making it (root, start directory, whether
 * the kernel has openat2), its operations table, and what the operations
 * share: errno to status, struct stat to attributes, attributes applied. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <sshkit/error.h>

#include "sftp/server_local.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

int sshkit_sftp_status_from_errno(int err)
{
    switch (err) {
    case 0: return SSHKIT_SFTP_OK;
    case ENOENT: case ENOTDIR: case EBADF: case ELOOP: return SSHKIT_SFTP_NO_SUCH_FILE;
    case EPERM: case EACCES: case EFAULT: return SSHKIT_SFTP_PERMISSION_DENIED;
    case ENAMETOOLONG: case EINVAL: return SSHKIT_SFTP_BAD_MESSAGE;
    case ENOSYS: return SSHKIT_SFTP_OP_UNSUPPORTED;
    default: return SSHKIT_SFTP_FAILURE;
    }
}

static bool kernel_has_openat2(int root_fd)
{
    struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
    long fd = syscall(SYS_openat2, root_fd, ".", &how, sizeof how);

    if (fd >= 0)
        close((int)fd);
    return fd >= 0 || errno != ENOSYS;
}

static int set_root(sshkit_sftp_local *fs, const char *root)
{
    char *canon = NULL;

    if (root && strcmp(root, "/") != 0) {
        if (root[0] != '/')
            return SSHKIT_E_INVALID_ARGUMENT;
        if ((canon = realpath(root, NULL)) == NULL)
            return errno == ENOMEM ? SSHKIT_E_NOMEM : SSHKIT_E_NOT_FOUND;
    }
    fs->confined = canon && strcmp(canon, "/") != 0;
    fs->root_path = fs->confined ? canon : strdup("");
    if (!fs->confined)
        free(canon);
    if (fs->root_path == NULL)
        return SSHKIT_E_NOMEM;
    fs->root_fd = open(fs->confined ? fs->root_path : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fs->root_fd < 0)
        return SSHKIT_E_NOT_FOUND;
    fs->use_openat2 = kernel_has_openat2(fs->root_fd);
    return fs->confined && !fs->use_openat2 ? SSHKIT_E_UNSUPPORTED : 0;
}

static int set_start(sshkit_sftp_local *fs, const char *start)
{
    char canon[SSHKIT_SFTP_PATH_MAX];

    if ((fs->start = strdup("/")) == NULL)
        return SSHKIT_E_NOMEM;
    int fd = sk_local_open(fs, start ? start : "/", O_PATH | O_DIRECTORY, 0);
    if (fd < 0) {
        errno = -fd;
        return SSHKIT_E_NOT_FOUND;
    }
    int rc = sk_local_fd_path(fs, fd, canon, sizeof canon);
    close(fd);
    char *chosen = strdup(rc == 0 ? canon : start ? start : "/");
    if (chosen == NULL)
        return SSHKIT_E_NOMEM;
    free(fs->start);
    fs->start = chosen;
    return 0;
}

int sshkit_sftp_local_new(const char *root, const char *start, sshkit_sftp_local **out)
{
    if (out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = NULL;
    sshkit_sftp_local *fs = calloc(1, sizeof *fs);
    if (fs == NULL)
        return SSHKIT_E_NOMEM;
    fs->root_fd = -1;
    int rc = set_root(fs, root);
    if (rc == 0)
        rc = set_start(fs, start);
    if (rc != 0) {
        int saved = errno;
        sshkit_sftp_local_free(fs);
        errno = saved;
        return rc;
    }
    *out = fs;
    return 0;
}

void sshkit_sftp_local_free(sshkit_sftp_local *fs)
{
    if (fs == NULL)
        return;
    if (fs->root_fd >= 0)
        close(fs->root_fd);
    free(fs->root_path);
    free(fs->start);
    free(fs);
}

void sk_local_stat_to_attrs(const struct stat *st, sshkit_sftp_attrs *a)
{
    a->flags = SSHKIT_SFTP_ATTR_SIZE | SSHKIT_SFTP_ATTR_UIDGID | SSHKIT_SFTP_ATTR_PERMISSIONS |
               SSHKIT_SFTP_ATTR_ACMODTIME;
    a->size = (uint64_t)st->st_size;
    a->uid = (uint32_t)st->st_uid;
    a->gid = (uint32_t)st->st_gid;
    a->permissions = (uint32_t)st->st_mode;
    a->atime = (uint32_t)st->st_atime;
    a->mtime = (uint32_t)st->st_mtime;
}

void sk_local_statvfs_out(const struct statvfs *st, sshkit_sftp_fs_stats *out)
{
    *out = (sshkit_sftp_fs_stats){
        .bsize = st->f_bsize, .frsize = st->f_frsize, .blocks = st->f_blocks,
        .bfree = st->f_bfree, .bavail = st->f_bavail, .files = st->f_files,
        .ffree = st->f_ffree, .favail = st->f_favail, .fsid = st->f_fsid,
        .flag = ((st->f_flag & ST_RDONLY) ? SSHKIT_SFTP_ST_RDONLY : 0) |
                ((st->f_flag & ST_NOSUID) ? SSHKIT_SFTP_ST_NOSUID : 0),
        .namemax = st->f_namemax,
    };
}

/* chmod and utimes of an O_PATH descriptor go through its /proc link
 * (a symbolic link's own mode cannot be set on Linux: EOPNOTSUPP). */
static int path_attrs(int fd, const sshkit_sftp_attrs *a)
{
    char self[64];
    struct stat st;

    snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
    bool is_link = fstat(fd, &st) == 0 && S_ISLNK(st.st_mode);
    int err = 0;
    if (a->flags & SSHKIT_SFTP_ATTR_PERMISSIONS) {
        if (is_link)
            err = EOPNOTSUPP;
        else if (chmod(self, a->permissions & 07777) < 0)
            err = errno;
    }
    if (a->flags & SSHKIT_SFTP_ATTR_ACMODTIME) {
        struct timespec ts[2] = { { .tv_sec = a->atime }, { .tv_sec = a->mtime } };
        if (utimensat(fd, "", ts, AT_EMPTY_PATH) < 0 &&
            (errno != EINVAL || is_link || utimensat(AT_FDCWD, self, ts, 0) < 0) && !err)
            err = errno;
    }
    if ((a->flags & SSHKIT_SFTP_ATTR_UIDGID) &&
        fchownat(fd, "", a->uid, a->gid, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0 && !err)
        err = errno;
    return -err;
}

/* On a descriptor open for I/O: the f*() calls. */
static int open_attrs(int fd, const sshkit_sftp_attrs *a)
{
    int err = 0;
    if ((a->flags & SSHKIT_SFTP_ATTR_SIZE) && ftruncate(fd, (off_t)a->size) < 0)
        err = errno;
    if ((a->flags & SSHKIT_SFTP_ATTR_PERMISSIONS) && fchmod(fd, a->permissions & 07777) < 0 && !err)
        err = errno;
    if (a->flags & SSHKIT_SFTP_ATTR_ACMODTIME) {
        struct timespec ts[2] = { { .tv_sec = a->atime }, { .tv_sec = a->mtime } };
        if (futimens(fd, ts) < 0 && !err)
            err = errno;
    }
    if ((a->flags & SSHKIT_SFTP_ATTR_UIDGID) && fchown(fd, a->uid, a->gid) < 0 && !err)
        err = errno;
    return -err;
}

int sk_local_apply_attrs(int fd, bool open_fd, const sshkit_sftp_attrs *a)
{
    return open_fd ? open_attrs(fd, a) : path_attrs(fd, a);
}

static const sshkit_sftp_server_ops local_ops = {
    .open = sk_local_op_open,
    .close = sk_local_op_close,
    .read = sk_local_op_read,
    .write = sk_local_op_write,
    .fstat = sk_local_op_fstat,
    .fsetstat = sk_local_op_fsetstat,
    .opendir = sk_local_op_opendir,
    .readdir = sk_local_op_readdir,
    .closedir = sk_local_op_closedir,
    .stat = sk_local_op_stat,
    .setstat = sk_local_op_setstat,
    .remove = sk_local_op_remove,
    .mkdir = sk_local_op_mkdir,
    .rmdir = sk_local_op_rmdir,
    .realpath = sk_local_op_realpath,
    .rename = sk_local_op_rename,
    .readlink = sk_local_op_readlink,
    .symlink = sk_local_op_symlink,
    .link = sk_local_op_link,
    .statvfs = sk_local_op_statvfs,
    .fstatvfs = sk_local_op_fstatvfs,
    .fsync = sk_local_op_fsync,
    .user_name = sk_local_op_user_name,
    .group_name = sk_local_op_group_name,
};

const sshkit_sftp_server_ops *sshkit_sftp_local_ops(void)
{
    return &local_ops;
}
