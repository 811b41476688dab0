/* Resolving a client's path inside the root. The kernel does the walk:
 * openat2(2) from the root's descriptor with RESOLVE_IN_ROOT treats the root
 * as "/" for absolute paths, ".." and symbolic links alike (chroot(2)
 * semantics without chroot), and RESOLVE_NO_MAGICLINKS keeps /proc's
 * descriptor links from leading out. Relative paths are joined to the start
 * directory first, as text. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sftp/server_local.h"

#ifndef SYS_openat2
#define SYS_openat2 437         /* the same number on every architecture */
#endif

/* Races with a concurrent rename make openat2 fail with EAGAIN; retried. */
#define OPENAT2_TRIES 8

bool sk_local_dot(const char *name)
{
    return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

void sk_local_force_no_openat2(sshkit_sftp_local *fs)
{
    if (!fs->confined)
        fs->use_openat2 = false;
}

/* path as an absolute path inside the root, in fs->joined. */
static int join(sshkit_sftp_local *fs, const char *path)
{
    size_t cap = sizeof fs->joined;
    int n;

    if (path[0] == '/')
        n = snprintf(fs->joined, cap, "%s", path);
    else if (path[0] == '\0')
        n = snprintf(fs->joined, cap, "%s", fs->start);
    else
        n = snprintf(fs->joined, cap, "%s%s%s", fs->start,
                     fs->start[strlen(fs->start) - 1] == '/' ? "" : "/", path);
    if (n < 0 || (size_t)n >= SSHKIT_SFTP_PATH_MAX)
        return -ENAMETOOLONG;
    return 0;
}

static int open_in_root(const sshkit_sftp_local *fs, const char *abs, int flags, mode_t mode)
{
    if (!fs->use_openat2) {
        int fd = openat(AT_FDCWD, abs, flags | O_CLOEXEC, mode);
        return fd < 0 ? -errno : fd;
    }
    struct open_how how = {
        .flags = (uint64_t)(flags | O_CLOEXEC),
        .mode = (flags & O_CREAT) ? mode : 0,
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
    };
    for (int i = 0; i < OPENAT2_TRIES; i++) {
        long fd = syscall(SYS_openat2, fs->root_fd, abs, &how, sizeof how);
        if (fd >= 0)
            return (int)fd;
        if (errno != EAGAIN && errno != EINTR)
            break;
    }
    return -errno;
}

int sk_local_open(sshkit_sftp_local *fs, const char *path, int flags, mode_t mode)
{
    int rc = join(fs, path);
    return rc < 0 ? rc : open_in_root(fs, fs->joined, flags, mode);
}

int sk_local_parent(sshkit_sftp_local *fs, const char *path, char *name)
{
    int rc = join(fs, path);
    if (rc < 0)
        return rc;
    char *abs = fs->joined;
    size_t len = strlen(abs);
    while (len > 1 && abs[len - 1] == '/')
        abs[--len] = '\0';
    char *slash = strrchr(abs, '/');
    const char *last = slash[1] ? slash + 1 : ".";     /* "/" itself */
    if (strlen(last) > NAME_MAX)
        return -ENAMETOOLONG;
    strcpy(name, last);
    if (slash == abs)
        abs[1] = '\0';
    else
        *slash = '\0';
    return open_in_root(fs, abs, O_PATH | O_DIRECTORY, 0);
}

bool sk_local_trailing_slash(const char *path)
{
    size_t len = strlen(path);
    size_t i = len;

    while (i > 0 && path[i - 1] == '/')
        i--;
    return i > 0 && i < len;
}

int sk_local_object(sshkit_sftp_local *fs, const char *path, bool follow)
{
    char name[NAME_MAX + 1];

    if (follow)
        return sk_local_open(fs, path, O_PATH, 0);
    if (sk_local_trailing_slash(path))     /* "link/" names what the link leads to */
        return sk_local_open(fs, path, O_PATH | O_DIRECTORY, 0);
    int dir = sk_local_parent(fs, path, name);
    if (dir < 0)
        return dir;
    if (sk_local_dot(name)) {
        /* "." and ".." are directories, never links: resolve them whole, in
         * the root (from the parent, ".." of the root would be outside). */
        close(dir);
        return sk_local_open(fs, path, O_PATH, 0);
    }
    int fd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    int err = errno;
    close(dir);
    return fd < 0 ? -err : fd;
}

int sk_local_fd_path(const sshkit_sftp_local *fs, int fd, char *out, size_t cap)
{
    char link[64], real[SSHKIT_SFTP_PATH_MAX * 2];

    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, real, sizeof real - 1);
    if (n < 0)
        return -errno;
    real[n] = '\0';
    const char *inside = real;
    if (fs->confined) {
        size_t rl = strlen(fs->root_path);
        if (strncmp(real, fs->root_path, rl) != 0 || (real[rl] != '/' && real[rl] != '\0'))
            return -EXDEV;      /* moved out of the root since it was opened */
        inside = real[rl] ? real + rl : "/";
    }
    if (strlen(inside) >= cap)
        return -ENAMETOOLONG;
    strcpy(out, inside);
    return 0;
}

int sk_local_realpath(sshkit_sftp_local *fs, const char *path, char *out, size_t cap)
{
    char name[NAME_MAX + 1];
    int fd = sk_local_open(fs, path, O_PATH, 0);

    if (fd >= 0) {
        int rc = sk_local_fd_path(fs, fd, out, cap);
        close(fd);
        return rc;
    }
    if (fd != -ENOENT)
        return fd;
    /* As OpenSSH: only the last component may be missing. */
    int dir = sk_local_parent(fs, path, name);
    if (dir < 0)
        return dir;
    int rc = sk_local_dot(name) ? -ENOENT : sk_local_fd_path(fs, dir, out, cap);
    close(dir);
    if (rc < 0)
        return rc;
    size_t len = strlen(out);
    int n = snprintf(out + len, cap - len, "%s%s", len > 1 ? "/" : "", name);
    return n < 0 || (size_t)n >= cap - len ? -ENAMETOOLONG : 0;
}
