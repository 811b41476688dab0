/* Open files of the local tree: a file handle is its descriptor. Reads and
 * writes are pread(2) and pwrite(2) at the request's offset, straight
 * between the file and the engine's buffers. Files are opened non-blocking
 * and, unless regular, kept so: one process serves many clients, and a
 * FIFO or a terminal must not stop it (such a read fails instead). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "sftp/server_local.h"

static int fd_of(void *file)
{
    return (int)(intptr_t)file;
}

static int open_flags(uint32_t p)
{
    int flags;

    if ((p & SSHKIT_SFTP_READ) && (p & SSHKIT_SFTP_WRITE))
        flags = O_RDWR;
    else if (p & SSHKIT_SFTP_WRITE)
        flags = O_WRONLY;
    else
        flags = O_RDONLY;
    if (p & SSHKIT_SFTP_APPEND)
        flags |= O_APPEND;
    if (p & SSHKIT_SFTP_CREAT)
        flags |= O_CREAT;
    if (p & SSHKIT_SFTP_TRUNC)
        flags |= O_TRUNC;
    if (p & SSHKIT_SFTP_EXCL)
        flags |= O_EXCL;
    return flags;
}

int sk_local_op_open(void *ctx, const char *path, uint32_t pflags, const sshkit_sftp_attrs *attrs,
                     void **file)
{
    mode_t mode = (attrs->flags & SSHKIT_SFTP_ATTR_PERMISSIONS) ? attrs->permissions & 07777 : 0666;
    int fd = sk_local_open(ctx, path, open_flags(pflags) | O_NOCTTY | O_NONBLOCK, mode);
    struct stat st;

    if (fd < 0)
        return sshkit_sftp_status_from_errno(-fd);
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    *file = (void *)(intptr_t)fd;
    return SSHKIT_SFTP_OK;
}

int sk_local_op_close(void *ctx, void *file)
{
    (void)ctx;
    return close(fd_of(file)) < 0 ? sshkit_sftp_status_from_errno(errno) : SSHKIT_SFTP_OK;
}

int sk_local_op_read(void *ctx, void *file, uint64_t offset, uint8_t *buf, uint32_t len,
                     uint32_t *got)
{
    ssize_t n;

    (void)ctx;
    if (offset > (uint64_t)INT64_MAX)
        return SSHKIT_SFTP_EOF;
    do
        n = pread(fd_of(file), buf, len, (off_t)offset);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return sshkit_sftp_status_from_errno(errno);
    *got = (uint32_t)n;
    return n == 0 ? SSHKIT_SFTP_EOF : SSHKIT_SFTP_OK;
}

int sk_local_op_write(void *ctx, void *file, uint64_t offset, const uint8_t *data, uint32_t len)
{
    (void)ctx;
    if (offset > (uint64_t)INT64_MAX - len)
        return SSHKIT_SFTP_BAD_MESSAGE;
    while (len > 0) {
        ssize_t n = pwrite(fd_of(file), data, len, (off_t)offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return sshkit_sftp_status_from_errno(errno);
        if (n == 0)
            return SSHKIT_SFTP_FAILURE;
        data += n;
        len -= (uint32_t)n;
        offset += (uint64_t)n;
    }
    return SSHKIT_SFTP_OK;
}

int sk_local_op_fstat(void *ctx, void *file, sshkit_sftp_attrs *attrs)
{
    struct stat st;

    (void)ctx;
    if (fstat(fd_of(file), &st) < 0)
        return sshkit_sftp_status_from_errno(errno);
    sk_local_stat_to_attrs(&st, attrs);
    return SSHKIT_SFTP_OK;
}

int sk_local_op_fsetstat(void *ctx, void *file, const sshkit_sftp_attrs *attrs)
{
    (void)ctx;
    return sshkit_sftp_status_from_errno(-sk_local_apply_attrs(fd_of(file), true, attrs));
}

int sk_local_op_fstatvfs(void *ctx, void *file, sshkit_sftp_fs_stats *out)
{
    struct statvfs st;

    (void)ctx;
    if (fstatvfs(fd_of(file), &st) < 0)
        return sshkit_sftp_status_from_errno(errno);
    sk_local_statvfs_out(&st, out);
    return SSHKIT_SFTP_OK;
}

int sk_local_op_fsync(void *ctx, void *file)
{
    (void)ctx;
    return fsync(fd_of(file)) < 0 ? sshkit_sftp_status_from_errno(errno) : SSHKIT_SFTP_OK;
}
