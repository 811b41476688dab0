/**
 * @file sshkit/sftp_server.h
 * @brief An SFTP server: SFTP version 3 (draft-ietf-secsh-filexfer-02) with
 *        OpenSSH's extensions, over any tree of files.
 *
 * The server is an I/O-free engine, like the session: it takes the bytes a
 * client sent on the "sftp" subsystem's channel and produces the reply
 * bytes. What a request does is up to a table of operations
 * (::sshkit_sftp_server_ops): the local file system
 * (sshkit_sftp_local_ops(), optionally confined to a root directory) is one
 * such table; an application may serve its own tree with its own.
 *
 * A server with a channel, in an event loop:
 * @code
 *   sshkit_sftp_local *fs;
 *   sshkit_sftp_server *srv;
 *   sshkit_sftp_local_new(NULL, home, &fs);
 *   sshkit_sftp_server_new(sshkit_sftp_local_ops(), fs, &srv);
 *   // on CHANNEL_DATA, CHANNEL_EOF and CHANNEL_WRITABLE for the channel,
 *   // and right away again while it returns 1:
 *   int rc = sshkit_sftp_server_pump(srv, channel);
 *   // rc < 0: the subsystem is over (SSHKIT_E_CLOSED when the client
 *   // ended it): send exit-status, EOF and CLOSE, then free srv, then fs.
 * @endcode
 *
 * Limits: a packet over 256 KiB ends the subsystem (as OpenSSH's
 * sftp-server does); a READ gets at most 255 KiB of data; a session holds
 * at most 512 open handles by default (more are refused with
 * SSHKIT_SFTP_FAILURE); paths are at most SSHKIT_SFTP_PATH_MAX - 1 bytes.
 * Replies to a client that does not read them pile up to about 800 KiB;
 * then the server takes no more requests until they are sent.
 */
#ifndef SSHKIT_SFTP_SERVER_H
#define SSHKIT_SFTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "session.h"
#include "sftp_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The longest path an operation gets, with its terminating NUL. */
#define SSHKIT_SFTP_PATH_MAX 4096
/** The longest directory entry name, with its terminating NUL. */
#define SSHKIT_SFTP_NAME_MAX 1024
/** The longest user or group name, with its terminating NUL. */
#define SSHKIT_SFTP_OWNER_MAX 64
/** Open handles per session unless sshkit_sftp_server_set_max_handles() says otherwise. */
#define SSHKIT_SFTP_DEFAULT_MAX_HANDLES 512

/** An SFTP server engine (one per subsystem channel). Opaque. */
typedef struct sshkit_sftp_server sshkit_sftp_server;

/** One directory entry, as a readdir operation fills it in. */
typedef struct sshkit_sftp_server_entry {
    char name[SSHKIT_SFTP_NAME_MAX]; /**< the entry's name (no '/'), NUL-terminated */
    sshkit_sftp_attrs attrs;         /**< its attributes (lstat: a symbolic link's own) */
    uint32_t nlink;                  /**< its link count, for the `ls -l` line; 0 shows "?" */
} sshkit_sftp_server_entry;

/**
 * @brief What the server does for each request: the file tree it serves.
 *
 * Every operation returns an SFTP status: SSHKIT_SFTP_OK, or the failure to
 * send back (SSHKIT_SFTP_NO_SUCH_FILE, SSHKIT_SFTP_PERMISSION_DENIED,
 * SSHKIT_SFTP_FAILURE...; sshkit_sftp_status_from_errno() maps an errno).
 * ctx is the pointer given to sshkit_sftp_server_new(). Paths are as the
 * client sent them (NUL-terminated, at most SSHKIT_SFTP_PATH_MAX - 1
 * bytes, never with an embedded NUL): relative or absolute, possibly with
 * "." and ".."; making sense of them is the operations' job.
 *
 * Any operation may be NULL: its requests are answered with
 * SSHKIT_SFTP_OP_UNSUPPORTED, and an extension whose operation is missing
 * is not announced. Operations are called from within the server's
 * functions, one at a time; they must not call back into the server.
 */
typedef struct sshkit_sftp_server_ops {
    /** OPEN: opens a file. flags are SSHKIT_SFTP_READ... bits; attrs may
     *  carry permissions for a file it creates. Sets *file to the
     *  operation's own handle for the other file operations. */
    int (*open)(void *ctx, const char *path, uint32_t flags, const sshkit_sftp_attrs *attrs,
                void **file);
    /** CLOSE of a file: releases what open made (called once per file,
     *  also for files still open when the server is freed). */
    int (*close)(void *ctx, void *file);
    /** READ: up to len bytes at offset into buf; *got says how many.
     *  SSHKIT_SFTP_EOF at or past the end. */
    int (*read)(void *ctx, void *file, uint64_t offset, uint8_t *buf, uint32_t len, uint32_t *got);
    /** WRITE: all len bytes at offset (a file opened with APPEND may write at its end). */
    int (*write)(void *ctx, void *file, uint64_t offset, const uint8_t *data, uint32_t len);
    /** FSTAT: an open file's attributes. */
    int (*fstat)(void *ctx, void *file, sshkit_sftp_attrs *attrs);
    /** FSETSTAT: sets the attributes attrs->flags names on an open file. */
    int (*fsetstat)(void *ctx, void *file, const sshkit_sftp_attrs *attrs);
    /** OPENDIR: opens a directory for listing; sets *dir. */
    int (*opendir)(void *ctx, const char *path, void **dir);
    /** READDIR: the next entry (with "." and ".."), or SSHKIT_SFTP_EOF. */
    int (*readdir)(void *ctx, void *dir, sshkit_sftp_server_entry *entry);
    /** CLOSE of a directory (called once per directory, as close). */
    int (*closedir)(void *ctx, void *dir);
    /** STAT (follow true) and LSTAT (follow false: a symbolic link's own). */
    int (*stat)(void *ctx, const char *path, bool follow, sshkit_sftp_attrs *attrs);
    /** SETSTAT (follow true) and lsetstat@openssh.com (follow false). */
    int (*setstat)(void *ctx, const char *path, bool follow, const sshkit_sftp_attrs *attrs);
    /** REMOVE: deletes a file (not a directory). */
    int (*remove)(void *ctx, const char *path);
    /** MKDIR: attrs may carry its permissions. */
    int (*mkdir)(void *ctx, const char *path, const sshkit_sftp_attrs *attrs);
    /** RMDIR: removes an empty directory. */
    int (*rmdir)(void *ctx, const char *path);
    /** REALPATH: the canonical absolute form of path into out (cap bytes,
     *  NUL-terminated). "" and "." are where relative paths start from.
     *  The last component may be missing, as OpenSSH's server allows. */
    int (*realpath)(void *ctx, const char *path, char *out, size_t cap);
    /** RENAME (overwrite false: fails when to exists) and
     *  posix-rename@openssh.com (overwrite true, as rename(2)). */
    int (*rename)(void *ctx, const char *from, const char *to, bool overwrite);
    /** READLINK: a symbolic link's target into out (cap bytes, NUL-terminated). */
    int (*readlink)(void *ctx, const char *path, char *out, size_t cap);
    /** SYMLINK: makes linkpath a symbolic link to target (the arguments
     *  arrive in OpenSSH's order, PROTOCOL section 4.1, and are put right). */
    int (*symlink)(void *ctx, const char *target, const char *linkpath);
    /** hardlink@openssh.com: makes to a hard link to from. */
    int (*link)(void *ctx, const char *from, const char *to);
    /** statvfs@openssh.com: the figures of the file system holding path. */
    int (*statvfs)(void *ctx, const char *path, sshkit_sftp_fs_stats *out);
    /** fstatvfs@openssh.com: the same for an open file. */
    int (*fstatvfs)(void *ctx, void *file, sshkit_sftp_fs_stats *out);
    /** fsync@openssh.com: flushes an open file to stable storage. */
    int (*fsync)(void *ctx, void *file);
    /** users-groups-by-id@openssh.com and `ls -l` lines: a user's name
     *  into out (cap bytes, NUL-terminated); a failure shows the number. */
    int (*user_name)(void *ctx, uint32_t uid, char *out, size_t cap);
    /** The same for a group. */
    int (*group_name)(void *ctx, uint32_t gid, char *out, size_t cap);
} sshkit_sftp_server_ops;

/**
 * @brief Makes a server over a table of operations.
 * @param ops The operations; the table is used, not copied, so it must
 *            outlive the server (a static table is the usual).
 * @param ctx Passed to every operation; sshkit never looks at it.
 * @param[out] out The server, to be freed with sshkit_sftp_server_free().
 * @return 0; SSHKIT_E_INVALID_ARGUMENT; SSHKIT_E_NOMEM.
 */
SSHKIT_API int sshkit_sftp_server_new(const sshkit_sftp_server_ops *ops, void *ctx,
                                      sshkit_sftp_server **out);

/**
 * @brief Frees a server, closing every handle still open through the
 *        operations. NULL is a no-op.
 * @param srv The server.
 */
SSHKIT_API void sshkit_sftp_server_free(sshkit_sftp_server *srv);

/**
 * @brief Sets the most handles (open files and directories) a client may
 *        hold at once; opens beyond it fail with SSHKIT_SFTP_FAILURE.
 * @param srv The server.
 * @param max The limit, 1 to 65536; 0 restores SSHKIT_SFTP_DEFAULT_MAX_HANDLES.
 * @return 0; SSHKIT_E_INVALID_ARGUMENT above 65536.
 */
SSHKIT_API int sshkit_sftp_server_set_max_handles(sshkit_sftp_server *srv, unsigned max);

/**
 * @brief Refuses every request that would change the tree (writes,
 *        opens for writing, setstat, remove, mkdir, rename...) with
 *        SSHKIT_SFTP_PERMISSION_DENIED, as sftp-server -R.
 * @param srv The server.
 * @param read_only Whether to refuse them.
 */
SSHKIT_API void sshkit_sftp_server_set_read_only(sshkit_sftp_server *srv, bool read_only);

/**
 * @brief Receives the server's log lines: at SSHKIT_LOG_INFO what
 *        OpenSSH's sftp-server logs at INFO (opens, closes with byte counts,
 *        changes to the tree, failures sent), at SSHKIT_LOG_DEBUG what it
 *        logs at VERBOSE (stat, realpath...), at SSHKIT_LOG_ERROR why the
 *        server ended.
 * @param srv The server.
 * @param level The most detailed level wanted.
 * @param log The function, or NULL for none.
 * @param user Passed to it.
 */
SSHKIT_API void sshkit_sftp_server_set_log(sshkit_sftp_server *srv, sshkit_log_level level,
                                           sshkit_log_fn log, void *user);

/**
 * @brief Lends the free space of the server's input buffer, for a driver
 *        that reads straight into it; sshkit_sftp_server_received() then
 *        says how much was put there.
 * @param srv The server.
 * @param[out] data Where received bytes may go.
 * @param[out] room How many fit: 0 while the server holds requests it
 *             cannot take yet (its replies wait to be sent).
 * @return 0; the server's final error once it has ended.
 */
SSHKIT_API int sshkit_sftp_server_receive_buffer(sshkit_sftp_server *srv, uint8_t **data,
                                                 size_t *room);

/**
 * @brief Says how many bytes were put into the lent buffer, and handles
 *        the requests that are now whole.
 * @param srv The server.
 * @param len At most the room lent.
 * @return As sshkit_sftp_server_process().
 */
SSHKIT_API int sshkit_sftp_server_received(sshkit_sftp_server *srv, size_t len);

/**
 * @brief Copies received bytes into the server and handles the requests
 *        that are now whole.
 * @param srv The server.
 * @param data The bytes.
 * @param len How many.
 * @return How many were taken (fewer than len when the input buffer is
 *         full: offer the rest once replies have been sent); the server's
 *         final error once it has ended.
 */
SSHKIT_API int sshkit_sftp_server_receive(sshkit_sftp_server *srv, const void *data, size_t len);

/**
 * @brief Handles the whole requests already received, as far as room for
 *        replies allows.
 * @param srv The server.
 * @return 0 when nothing more can be done until more bytes arrive or
 *         replies are sent; 1 when work is left that can go on now (the
 *         server stops after a while to let a driver serve others: call
 *         again); once the server has ended, its final error:
 *         SSHKIT_E_CLOSED after sshkit_sftp_server_end_input(),
 *         SSHKIT_E_TOO_LARGE for a packet over the limit,
 *         SSHKIT_E_PROTOCOL for a request before INIT or without an id.
 */
SSHKIT_API int sshkit_sftp_server_process(sshkit_sftp_server *srv);

/**
 * @brief Says that the client will send nothing more (the channel's EOF):
 *        the server ends (SSHKIT_E_CLOSED) once its replies are taken.
 * @param srv The server.
 */
SSHKIT_API void sshkit_sftp_server_end_input(sshkit_sftp_server *srv);

/**
 * @brief The reply bytes waiting to be sent to the client.
 * @param srv The server.
 * @param[out] data Where they start; valid until the next call on srv.
 * @return How many.
 */
SSHKIT_API size_t sshkit_sftp_server_pending(sshkit_sftp_server *srv, const uint8_t **data);

/**
 * @brief Says how many of the pending bytes were sent.
 * @param srv The server.
 * @param len At most what sshkit_sftp_server_pending() returned.
 */
SSHKIT_API void sshkit_sftp_server_sent(sshkit_sftp_server *srv, size_t len);

/**
 * @brief Moves bytes between the server and its channel: writes pending
 *        replies, reads requests (only while replies can go out, so a client
 *        that does not read its replies is held back by its window) and
 *        handles them, until the channel has no more or cannot take more.
 *
 * Call it once when the subsystem request has been accepted (requests may
 * have come with it), after SSHKIT_EVENT_CHANNEL_DATA,
 * SSHKIT_EVENT_CHANNEL_EOF and SSHKIT_EVENT_CHANNEL_WRITABLE for the
 * channel, and again without waiting while it returns 1.
 *
 * @param srv The server.
 * @param channel The subsystem's channel (stream 0 both ways).
 * @return 0: wait for the channel's next event; 1: work is left, call again
 *         soon; a negative code once the server has ended and its last
 *         replies are written: SSHKIT_E_CLOSED when the client sent EOF,
 *         else the error sshkit_sftp_server_process() describes, or the
 *         channel's (SSHKIT_E_STATE once it is closed).
 */
SSHKIT_API int sshkit_sftp_server_pump(sshkit_sftp_server *srv, sshkit_channel *channel);

/**
 * @brief The SFTP status OpenSSH's sftp-server answers for an errno value.
 * @param err An errno value (ENOENT, EACCES...), or 0.
 * @return An SSHKIT_SFTP_* status.
 */
SSHKIT_API int sshkit_sftp_status_from_errno(int err);

/**
 * @brief The local file system as an SFTP tree, confined to a root if one
 *        is given. Opaque.
 *
 * Paths are resolved by the kernel with openat2(2) and RESOLVE_IN_ROOT
 * under the root: "..", absolute paths and symbolic links (also links a
 * client makes) all stay inside it, as under chroot(2), and realpath shows
 * paths from the root as "/...". Operations on a last component (remove,
 * mkdir, rename, symlink, lstat...) work on the confined parent directory
 * with the *at() calls. /proc's descriptor links ("magic links") are never
 * followed, with or without a root. Everything runs as the user of the
 * process.
 */
typedef struct sshkit_sftp_local sshkit_sftp_local;

/**
 * @brief Makes a local file system tree.
 * @param root The directory to confine every path to (absolute), or NULL
 *             (or "/") for the whole file system.
 * @param start Where relative paths start from (the client's first
 *              directory, usually the user's home), read inside the root;
 *              NULL for "/". It must be a directory.
 * @param[out] out The tree, to be freed with sshkit_sftp_local_free()
 *                 after every server that uses it.
 * @return 0; SSHKIT_E_NOT_FOUND when root or start is not a directory
 *         (errno says why); SSHKIT_E_UNSUPPORTED when root is given and the
 *         kernel has no openat2(2) (Linux before 5.6): confinement is
 *         refused rather than done weakly; SSHKIT_E_INVALID_ARGUMENT for a
 *         relative root; SSHKIT_E_NOMEM.
 */
SSHKIT_API int sshkit_sftp_local_new(const char *root, const char *start,
                                     sshkit_sftp_local **out);

/**
 * @brief Frees a local tree. NULL is a no-op.
 * @param fs The tree.
 */
SSHKIT_API void sshkit_sftp_local_free(sshkit_sftp_local *fs);

/**
 * @brief The operations of the local file system, for sshkit_sftp_server_new()
 *        with an ::sshkit_sftp_local as ctx.
 * @return A static table.
 */
SSHKIT_API const sshkit_sftp_server_ops *sshkit_sftp_local_ops(void);

#ifdef __cplusplus
}
#endif

#endif
