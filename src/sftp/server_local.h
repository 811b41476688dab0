/* The local file system as an SFTP tree (sshkit_sftp_local):
 *   server_local.c        life cycle, the operations table, errno to status
 *   server_local_path.c   resolving paths inside the root (openat2), realpath
 *   server_local_files.c  open files: open, read, write, fstat, fsetstat...
 *   server_local_paths.c  operations on paths: stat, setstat, remove, rename...
 *   server_local_dirs.c   directory listings, user and group names
 *
 * Every path is resolved from the root's descriptor with openat2(2) and
 * RESOLVE_IN_ROOT, so "..", absolute paths and symbolic links stay inside
 * the root; operations on a last component work through the descriptor of
 * its (confined) parent directory with the *at() calls. Without a root the
 * root is "/", and a kernel without openat2 falls back to plain openat(2). */
#ifndef SSHKIT_SFTP_SERVER_LOCAL_H
#define SSHKIT_SFTP_SERVER_LOCAL_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sshkit/sftp_server.h>

struct sshkit_sftp_local {
    int root_fd;                /* O_PATH descriptor of the root ("/" when none) */
    char *root_path;            /* its canonical path; "" for "/" */
    bool confined;              /* a root was given */
    bool use_openat2;           /* false: the kernel has none (never when confined) */
    char *start;                /* where relative paths start, inside the root, canonical */
    char joined[SSHKIT_SFTP_PATH_MAX * 2];  /* scratch: the path being resolved */
    /* The last name looked up of each kind: listings ask for the same ones. */
    uint32_t user_id, group_id;
    bool user_cached, group_cached;
    int user_status, group_status;
    char user[SSHKIT_SFTP_OWNER_MAX], group[SSHKIT_SFTP_OWNER_MAX];
};

/* server_local_path.c. Each returns a descriptor (O_CLOEXEC) or -errno. */

/* Opens path (relative to the start) inside the root; flags as open(2). */
int sk_local_open(sshkit_sftp_local *fs, const char *path, int flags, mode_t mode);

/* Opens the parent directory of path's last component (O_PATH) and copies
 * that component into name (NAME_MAX + 1 bytes). A path whose last
 * component is "." or ".." (or the root itself) gives that name; the
 * callers that look at the component itself resolve the whole path instead. */
int sk_local_parent(sshkit_sftp_local *fs, const char *path, char *name);

/* An O_PATH descriptor of the object path names; follow says whether a
 * symbolic link at the end is followed (inside the root) or taken itself. */
int sk_local_object(sshkit_sftp_local *fs, const char *path, bool follow);

/* True when path ends in '/' after a name ("dir/", not "/"): as in the
 * kernel, the name must then be a directory, reached through a link. */
bool sk_local_trailing_slash(const char *path);

/* True for "." and "..". */
bool sk_local_dot(const char *name);

/* The canonical path of path as seen from inside the root ("/..."); the
 * last component may be missing. Returns 0 or -errno. */
int sk_local_realpath(sshkit_sftp_local *fs, const char *path, char *out, size_t cap);

/* The path of an open descriptor as seen from inside the root. 0 or -errno. */
int sk_local_fd_path(const sshkit_sftp_local *fs, int fd, char *out, size_t cap);

/* Unit tests: pretend the kernel has no openat2 (only without a root). */
void sk_local_force_no_openat2(sshkit_sftp_local *fs);

/* server_local.c */
void sk_local_stat_to_attrs(const struct stat *st, sshkit_sftp_attrs *a);
/* Sets attributes on an O_PATH descriptor (or a regular open one when
 * open_fd is true). 0 or the first -errno. */
int sk_local_apply_attrs(int fd, bool open_fd, const sshkit_sftp_attrs *a);

/* The operations, by group (server_local_files.c, _paths.c, _dirs.c). */
int sk_local_op_open(void *ctx, const char *path, uint32_t flags, const sshkit_sftp_attrs *attrs,
                     void **file);
int sk_local_op_close(void *ctx, void *file);
int sk_local_op_read(void *ctx, void *file, uint64_t offset, uint8_t *buf, uint32_t len,
                     uint32_t *got);
int sk_local_op_write(void *ctx, void *file, uint64_t offset, const uint8_t *data, uint32_t len);
int sk_local_op_fstat(void *ctx, void *file, sshkit_sftp_attrs *attrs);
int sk_local_op_fsetstat(void *ctx, void *file, const sshkit_sftp_attrs *attrs);
int sk_local_op_fstatvfs(void *ctx, void *file, sshkit_sftp_fs_stats *out);
int sk_local_op_fsync(void *ctx, void *file);
int sk_local_op_stat(void *ctx, const char *path, bool follow, sshkit_sftp_attrs *attrs);
int sk_local_op_setstat(void *ctx, const char *path, bool follow, const sshkit_sftp_attrs *attrs);
int sk_local_op_remove(void *ctx, const char *path);
int sk_local_op_mkdir(void *ctx, const char *path, const sshkit_sftp_attrs *attrs);
int sk_local_op_rmdir(void *ctx, const char *path);
int sk_local_op_realpath(void *ctx, const char *path, char *out, size_t cap);
int sk_local_op_rename(void *ctx, const char *from, const char *to, bool overwrite);
int sk_local_op_readlink(void *ctx, const char *path, char *out, size_t cap);
int sk_local_op_symlink(void *ctx, const char *target, const char *linkpath);
int sk_local_op_link(void *ctx, const char *from, const char *to);
int sk_local_op_statvfs(void *ctx, const char *path, sshkit_sftp_fs_stats *out);
int sk_local_op_opendir(void *ctx, const char *path, void **dir);
int sk_local_op_readdir(void *ctx, void *dir, sshkit_sftp_server_entry *entry);
int sk_local_op_closedir(void *ctx, void *dir);
int sk_local_op_user_name(void *ctx, uint32_t uid, char *out, size_t cap);
int sk_local_op_group_name(void *ctx, uint32_t gid, char *out, size_t cap);

/* statvfs(3) figures as OpenSSH sends them. */
struct statvfs;
void sk_local_statvfs_out(const struct statvfs *st, sshkit_sftp_fs_stats *out);

#endif
