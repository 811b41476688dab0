/**
 * @file sshkit/sftp.h
 * @brief The SFTP client: SFTP version 3 (draft-ietf-secsh-filexfer-02,
 *        the version OpenSSH speaks) and OpenSSH's extensions, with
 *        pipelined whole-file transfers.
 *
 * @code
 *   sshkit_sftp *sftp;
 *   if (sshkit_sftp_open(client, &sftp) != 0) ...
 *   sshkit_sftp_transfer_options opt;
 *   sshkit_sftp_transfer_options_init(&opt);
 *   int rc = sshkit_sftp_get(sftp, "remote.iso", "local.iso", &opt);
 *   if (rc == SSHKIT_E_SFTP_STATUS)
 *       fprintf(stderr, "%s\n", sshkit_sftp_last_message(sftp));
 *   sshkit_sftp_free(sftp);
 * @endcode
 *
 * ## Two ways to run it
 *
 * - **Blocking** (sshkit_sftp_open() on a ::sshkit_client): every call
 *   waits until the server has answered, each wait bounded by the client's
 *   timeout (sshkit_client_options::timeout_ms), through
 *   sshkit_client_wait_event().
 *
 * - **Non-blocking**: an ::sshkit_sftp made with sshkit_sftp_new() on a
 *   channel, or one from sshkit_sftp_open() switched with
 *   sshkit_sftp_set_blocking(sftp, false). The application drives the
 *   session itself (sshkit_nb_process() in its poll() loop). A call that
 *   would have to wait for the server returns ::SSHKIT_E_AGAIN instead;
 *   **call it again with the same arguments** (libssh2's convention) once
 *   the session has made progress, until it returns something else. The
 *   request is sent once; the later calls only look for its answer.
 *   While such a call is unfinished, the same ::sshkit_sftp accepts no
 *   other call of this kind (they return ::SSHKIT_E_STATE), except
 *   transfers made with sshkit_sftp_get_start() / sshkit_sftp_put_start(),
 *   which run alongside and are stepped with sshkit_sftp_transfer_step().
 *   The calls that never wait (sshkit_sftp_file_seek(),
 *   sshkit_sftp_file_tell(), the extension and status queries) are always
 *   allowed.
 *
 *   "The session has made progress" means: sshkit_nb_process() returned
 *   an event (any event), or poll() reported the socket ready. A loop
 *   that calls the pending SFTP call after every round of
 *   sshkit_nb_process() is always right:
 *   @code
 *     for (;;) {
 *         rc = sshkit_sftp_stat(sftp, "file", &attrs);   // same arguments each time
 *         if (rc != SSHKIT_E_AGAIN)
 *             break;
 *         int events = 0;
 *         while ((n = sshkit_nb_process(s, fd, &ev, &want)) == 1)
 *             events++;                                   // handle the events
 *         if (n != SSHKIT_E_AGAIN)
 *             break;                                      // the session ended
 *         if (events == 0)
 *             poll_for(fd, want);                         // POLLIN / POLLOUT as want says
 *     }
 *   @endcode
 *   SFTP calls queue output in the session: run sshkit_nb_process() after
 *   them (the loop above does) so that it is written.
 *
 * ## Errors
 *
 * Calls return 0 (or a positive count) on success and a negative
 * SSHKIT_E_* on failure. ::SSHKIT_E_SFTP_STATUS means the server refused
 * the request: sshkit_sftp_last_status() gives its status code and
 * sshkit_sftp_last_message() its words. ::SSHKIT_E_UNSUPPORTED means the
 * server does not offer the extension the call needs. Anything else from
 * the server that breaks the protocol (a truncated or oversized packet, an
 * answer to no request, a reply of the wrong type) ends the SFTP session
 * with ::SSHKIT_E_PROTOCOL; the channel closing ends it with
 * ::SSHKIT_E_CLOSED. Those two are final: every later call returns the
 * same error. sshkit_sftp_last_error() describes the last failure.
 *
 * Paths are byte strings as the server takes them (UTF-8 by convention);
 * relative paths are relative to the server's starting directory (the
 * user's home for OpenSSH), and the client keeps no current directory.
 *
 * One ::sshkit_sftp is used from one thread at a time, like its session.
 */
#ifndef SSHKIT_SFTP_H
#define SSHKIT_SFTP_H

#include <stdbool.h>
#include <stdint.h>
#include "channel.h"
#include "client.h"
#include "common.h"
#include "sftp_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An SFTP session over one channel. Opaque. */
typedef struct sshkit_sftp sshkit_sftp;

/** An open remote file. Opaque; owned by its ::sshkit_sftp. */
typedef struct sshkit_sftp_file sshkit_sftp_file;

/** An open remote directory, for listing. Opaque; owned by its ::sshkit_sftp. */
typedef struct sshkit_sftp_dir sshkit_sftp_dir;

/** A whole-file transfer in progress (get or put). Opaque. */
typedef struct sshkit_sftp_transfer sshkit_sftp_transfer;

/* ---- the session ------------------------------------------------------ */

/**
 * @brief Opens an SFTP session on a connected client: a session channel,
 *        the "sftp" subsystem, and the version exchange (and, when the
 *        server offers limits@openssh.com, its limits). Blocks, each step
 *        within the client's timeout.
 * @param client An authenticated client; it must outlive the SFTP session.
 * @param[out] out The session, to be freed with sshkit_sftp_free(); blocking
 *                 until sshkit_sftp_set_blocking() says otherwise.
 * @return 0; SSHKIT_E_REFUSED when the server refuses the channel or the
 *         subsystem; SSHKIT_E_PROTOCOL when its VERSION is not SFTP 3 or
 *         is malformed; SSHKIT_E_TIMEOUT; the connection's error.
 */
SSHKIT_API int sshkit_sftp_open(sshkit_client *client, sshkit_sftp **out);

/**
 * @brief Makes an SFTP session over a session channel that the application
 *        drives itself (non-blocking use). No I/O happens here: the
 *        subsystem request and SSH_FXP_INIT are queued once the channel is
 *        open, and sshkit_sftp_handshake() (or the first other call)
 *        finishes the version exchange.
 * @param channel A session channel from sshkit_channel_open_session(),
 *                opening or open, on which nothing else has been requested.
 *                It stays the application's: free it after
 *                sshkit_sftp_free(). The application keeps receiving its
 *                events (and need do nothing with them).
 * @param[out] out The session, non-blocking; free with sshkit_sftp_free().
 * @return 0; SSHKIT_E_NOMEM; SSHKIT_E_INVALID_ARGUMENT.
 */
SSHKIT_API int sshkit_sftp_new(sshkit_channel *channel, sshkit_sftp **out);

/**
 * @brief Finishes the start of a session made with sshkit_sftp_new():
 *        waits for the channel to open, asks for the subsystem, exchanges
 *        versions, asks for the server's limits when offered. Other calls
 *        do this first by themselves; this one lets an application know
 *        when the session is ready.
 * @param sftp The session.
 * @return 0 once ready; SSHKIT_E_AGAIN; SSHKIT_E_REFUSED when the channel
 *         or the subsystem was refused; SSHKIT_E_PROTOCOL; SSHKIT_E_CLOSED.
 */
SSHKIT_API int sshkit_sftp_handshake(sshkit_sftp *sftp);

/**
 * @brief Ends the session and frees it, with every file, directory and
 *        transfer still open (their handles become invalid; the server
 *        closes them when the channel closes). For a session from
 *        sshkit_sftp_open() the channel is closed and freed; a channel
 *        given to sshkit_sftp_new() is left to the application. Never
 *        waits. NULL is a no-op.
 * @param sftp The session.
 */
SSHKIT_API void sshkit_sftp_free(sshkit_sftp *sftp);

/**
 * @brief Chooses blocking or non-blocking calls (see the file's
 *        description) for a session from sshkit_sftp_open(). In
 *        non-blocking mode the application drives the client's session:
 *        sshkit_nb_process(sshkit_client_session(c), sshkit_client_fd(c),
 *        ...).
 * @param sftp The session.
 * @param blocking true to wait in each call.
 * @return 0; SSHKIT_E_STATE when asking a session from sshkit_sftp_new()
 *         to block (it has no client to wait with), or while a call is
 *         unfinished.
 */
SSHKIT_API int sshkit_sftp_set_blocking(sshkit_sftp *sftp, bool blocking);

/**
 * @brief The channel the session runs on, so that a non-blocking
 *        application can tell its events from others.
 * @param sftp The session.
 * @return The channel, owned as sshkit_sftp_open() / sshkit_sftp_new() say.
 */
SSHKIT_API sshkit_channel *sshkit_sftp_channel(const sshkit_sftp *sftp);

/**
 * @brief The protocol version the server announced.
 * @param sftp The session.
 * @return 3 once the handshake is done (sshkit speaks only version 3); 0 before.
 */
SSHKIT_API unsigned sshkit_sftp_server_version(const sshkit_sftp *sftp);

/**
 * @brief Whether the server announced an extension in its VERSION packet
 *        ("posix-rename@openssh.com", "limits@openssh.com", "copy-data"...).
 * @param sftp The session.
 * @param name The extension's name.
 * @return true when announced.
 */
SSHKIT_API bool sshkit_sftp_has_extension(const sshkit_sftp *sftp, const char *name);

/**
 * @brief The version string the server gave with an extension ("1", "2").
 * @param sftp The session.
 * @param name The extension's name.
 * @return The string, owned by the session; NULL when not announced.
 */
SSHKIT_API const char *sshkit_sftp_extension_version(const sshkit_sftp *sftp, const char *name);

/**
 * @brief The server's extensions, one by one, in the order it announced them.
 * @param sftp The session.
 * @param index 0, 1, 2...
 * @param[out] version The extension's version string, or NULL if not wanted.
 * @return Its name, owned by the session; NULL past the last one.
 */
SSHKIT_API const char *sshkit_sftp_extension(const sshkit_sftp *sftp, unsigned index,
                                             const char **version);

/** The sizes a server allows (limits@openssh.com), or sshkit's defaults. */
typedef struct sshkit_sftp_limits {
    uint64_t max_packet;    /**< the largest SFTP packet, length field included */
    uint64_t max_read;      /**< the most data one READ may ask for */
    uint64_t max_write;     /**< the most data one WRITE may carry */
    uint64_t max_handles;   /**< open handles the server allows; 0: no stated limit */
} sshkit_sftp_limits;

/**
 * @brief The limits sshkit respects with this server: the server's
 *        limits@openssh.com answer (capped by sshkit's own 256 KiB packet
 *        limit), or 32 KiB reads and writes when it has none.
 * @param sftp The session (its handshake done).
 * @param[out] limits The limits.
 * @return 0; SSHKIT_E_STATE before the handshake.
 */
SSHKIT_API int sshkit_sftp_get_limits(const sshkit_sftp *sftp, sshkit_sftp_limits *limits);

/**
 * @brief The SFTP status of the last call that failed with
 *        ::SSHKIT_E_SFTP_STATUS (an ::sshkit_sftp_status such as
 *        SSHKIT_SFTP_NO_SUCH_FILE).
 * @param sftp The session.
 * @return The status; SSHKIT_SFTP_OK when no call has failed that way.
 */
SSHKIT_API unsigned sshkit_sftp_last_status(const sshkit_sftp *sftp);

/**
 * @brief The server's message with the last failure status, or OpenSSH's
 *        wording of the status (sshkit_sftp_status_message()) when the
 *        server sent none.
 * @param sftp The session.
 * @return A string owned by the session, valid until the next call on it;
 *         "Success" when nothing failed.
 */
SSHKIT_API const char *sshkit_sftp_last_message(const sshkit_sftp *sftp);

/**
 * @brief A description of the last failure of any kind, with detail
 *        ("No such file or directory", "server sent a reply of type 104 to
 *        an OPEN", "the SFTP channel closed").
 * @param sftp The session.
 * @return A string owned by the session; "" when nothing failed.
 */
SSHKIT_API const char *sshkit_sftp_last_error(const sshkit_sftp *sftp);

/* ---- paths ------------------------------------------------------------- */

/**
 * @brief Attributes of a path, following symbolic links (SSH_FXP_STAT).
 * @param sftp The session.
 * @param path The path.
 * @param[out] attrs The attributes (the fields their flags name).
 * @return 0; SSHKIT_E_SFTP_STATUS (NO_SUCH_FILE, PERMISSION_DENIED...);
 *         another error as described above.
 */
SSHKIT_API int sshkit_sftp_stat(sshkit_sftp *sftp, const char *path, sshkit_sftp_attrs *attrs);

/**
 * @brief Attributes of a path, not following a final symbolic link
 *        (SSH_FXP_LSTAT).
 * @param sftp The session.
 * @param path The path.
 * @param[out] attrs The attributes.
 * @return As sshkit_sftp_stat().
 */
SSHKIT_API int sshkit_sftp_lstat(sshkit_sftp *sftp, const char *path, sshkit_sftp_attrs *attrs);

/**
 * @brief Changes a path's attributes (SSH_FXP_SETSTAT): the fields named
 *        in attrs->flags (size truncates or extends, uid/gid, permissions,
 *        times).
 * @param sftp The session.
 * @param path The path (a final symbolic link is followed).
 * @param attrs The attributes to set.
 * @return 0 or an error as sshkit_sftp_stat().
 */
SSHKIT_API int sshkit_sftp_setstat(sshkit_sftp *sftp, const char *path,
                                   const sshkit_sftp_attrs *attrs);

/**
 * @brief As sshkit_sftp_setstat() on a symbolic link itself
 *        (lsetstat@openssh.com).
 * @param sftp The session.
 * @param path The path.
 * @param attrs The attributes to set.
 * @return As sshkit_sftp_setstat(); SSHKIT_E_UNSUPPORTED when the server
 *         does not offer the extension.
 */
SSHKIT_API int sshkit_sftp_lsetstat(sshkit_sftp *sftp, const char *path,
                                    const sshkit_sftp_attrs *attrs);

/**
 * @brief Makes a directory (SSH_FXP_MKDIR).
 * @param sftp The session.
 * @param path The new directory.
 * @param mode Its permission bits (such as 0755; the server applies its umask).
 * @return 0 or an error as sshkit_sftp_stat() (FAILURE when it exists, for OpenSSH).
 */
SSHKIT_API int sshkit_sftp_mkdir(sshkit_sftp *sftp, const char *path, unsigned mode);

/**
 * @brief Removes an empty directory (SSH_FXP_RMDIR).
 * @param sftp The session.
 * @param path The directory.
 * @return 0 or an error as sshkit_sftp_stat().
 */
SSHKIT_API int sshkit_sftp_rmdir(sshkit_sftp *sftp, const char *path);

/**
 * @brief Removes a file or symbolic link (SSH_FXP_REMOVE).
 * @param sftp The session.
 * @param path The file.
 * @return 0 or an error as sshkit_sftp_stat().
 */
SSHKIT_API int sshkit_sftp_remove(sshkit_sftp *sftp, const char *path);

/** Options of sshkit_sftp_rename(). */
enum sshkit_sftp_rename_flags {
    /** Use SSH_FXP_RENAME even when posix-rename@openssh.com is offered:
     *  the server refuses to replace an existing target. */
    SSHKIT_SFTP_RENAME_LEGACY = 1
};

/**
 * @brief Renames a path. With posix-rename@openssh.com (used when the
 *        server offers it) an existing target is replaced atomically, as
 *        rename(2) does; otherwise SSH_FXP_RENAME, which fails when the
 *        target exists.
 * @param sftp The session.
 * @param from The current path.
 * @param to The new path.
 * @param flags 0 or SSHKIT_SFTP_RENAME_LEGACY.
 * @return 0 or an error as sshkit_sftp_stat().
 */
SSHKIT_API int sshkit_sftp_rename(sshkit_sftp *sftp, const char *from, const char *to,
                                  unsigned flags);

/**
 * @brief Makes a symbolic link at @p link_path pointing to @p target
 *        (SSH_FXP_SYMLINK). OpenSSH's server takes the two paths in the
 *        reverse of the draft's order (its PROTOCOL, section 4.1); sshkit
 *        sends them in OpenSSH's order when the server announces OpenSSH's
 *        extensions, else in the draft's.
 * @param sftp The session.
 * @param target What the link points to (stored as given, not resolved).
 * @param link_path The link to make.
 * @return 0 or an error as sshkit_sftp_stat().
 */
SSHKIT_API int sshkit_sftp_symlink(sshkit_sftp *sftp, const char *target, const char *link_path);

/**
 * @brief Makes a hard link (hardlink@openssh.com).
 * @param sftp The session.
 * @param existing An existing file.
 * @param link_path The new name for it.
 * @return 0 or an error as sshkit_sftp_stat(); SSHKIT_E_UNSUPPORTED when
 *         the server does not offer the extension.
 */
SSHKIT_API int sshkit_sftp_hardlink(sshkit_sftp *sftp, const char *existing,
                                    const char *link_path);

/**
 * @brief Reads a symbolic link's target (SSH_FXP_READLINK).
 * @param sftp The session.
 * @param path The link.
 * @param buf Where to put the target, NUL-terminated.
 * @param cap Its size in bytes.
 * @return The target's length (without the NUL); SSHKIT_E_TOO_LARGE when
 *         it does not fit in @p cap (the call is over; nothing is kept);
 *         an error as sshkit_sftp_stat().
 */
SSHKIT_API int sshkit_sftp_readlink(sshkit_sftp *sftp, const char *path, char *buf, size_t cap);

/**
 * @brief The canonical absolute form of a path (SSH_FXP_REALPATH); "." gives
 *        the starting directory.
 * @param sftp The session.
 * @param path The path.
 * @param buf Where to put the result, NUL-terminated.
 * @param cap Its size in bytes.
 * @return As sshkit_sftp_readlink().
 */
SSHKIT_API int sshkit_sftp_realpath(sshkit_sftp *sftp, const char *path, char *buf, size_t cap);

/**
 * @brief As sshkit_sftp_realpath() with "~" and "~user" expanded by the
 *        server (expand-path@openssh.com).
 * @param sftp The session.
 * @param path The path, such as "~/docs".
 * @param buf Where to put the result, NUL-terminated.
 * @param cap Its size in bytes.
 * @return As sshkit_sftp_readlink(); SSHKIT_E_UNSUPPORTED when the server
 *         does not offer the extension.
 */
SSHKIT_API int sshkit_sftp_expand_path(sshkit_sftp *sftp, const char *path, char *buf,
                                       size_t cap);

/* sshkit_sftp_fs_stats and its SSHKIT_SFTP_ST_* flags are in sftp_common.h. */

/**
 * @brief Figures of the file system holding a path (statvfs@openssh.com).
 * @param sftp The session.
 * @param path Any path on it.
 * @param[out] out The figures.
 * @return 0 or an error as sshkit_sftp_stat(); SSHKIT_E_UNSUPPORTED when
 *         the server does not offer the extension.
 */
SSHKIT_API int sshkit_sftp_statvfs(sshkit_sftp *sftp, const char *path, sshkit_sftp_fs_stats *out);

/* ---- files ------------------------------------------------------------- */

/**
 * @brief Opens a remote file (SSH_FXP_OPEN). Reads and writes start at
 *        offset 0 (at the end for each write with SSHKIT_SFTP_APPEND).
 * @param sftp The session.
 * @param path The file.
 * @param flags SSHKIT_SFTP_READ, SSHKIT_SFTP_WRITE, SSHKIT_SFTP_APPEND,
 *              SSHKIT_SFTP_CREAT, SSHKIT_SFTP_TRUNC, SSHKIT_SFTP_EXCL, combined.
 * @param mode Permission bits for a file created (such as 0644).
 * @param[out] file The file, to be closed with sshkit_sftp_file_close().
 * @return 0 or an error as sshkit_sftp_stat().
 */
SSHKIT_API int sshkit_sftp_file_open(sshkit_sftp *sftp, const char *path, unsigned flags,
                                     unsigned mode, sshkit_sftp_file **file);

/**
 * @brief Reads from the file's offset, and moves the offset on: one READ
 *        request of at most @p cap bytes (capped by the server's read
 *        limit). Like read(2), it may return fewer bytes than asked for
 *        before the end of the file. The answer's bytes are copied once,
 *        from the channel's buffer into @p buf, when they arrive: in
 *        non-blocking use that may happen inside another call on the
 *        session, so keep @p buf valid and untouched until this call
 *        returns something other than SSHKIT_E_AGAIN.
 * @param file The file.
 * @param buf Where to put the bytes.
 * @param cap How many at most.
 * @return The number of bytes; 0 at the end of the file; an error as
 *         sshkit_sftp_stat().
 */
SSHKIT_API int sshkit_sftp_file_read(sshkit_sftp_file *file, void *buf, size_t cap);

/**
 * @brief Writes all of @p len bytes at the file's offset and moves the
 *        offset on, in WRITE requests as large as the server allows, sent
 *        all at once and acknowledged together.
 * @param file The file.
 * @param data The bytes.
 * @param len How many (at most INT32_MAX).
 * @return @p len; an error as sshkit_sftp_stat() (some of the bytes may
 *         have been written; the offset is not moved).
 */
SSHKIT_API int sshkit_sftp_file_write(sshkit_sftp_file *file, const void *data, size_t len);

/**
 * @brief Sets the offset of the next read or write. Never waits.
 * @param file The file.
 * @param offset Bytes from the start (beyond the end is allowed: a write
 *               there leaves a hole, as lseek(2)).
 * @return 0.
 */
SSHKIT_API int sshkit_sftp_file_seek(sshkit_sftp_file *file, uint64_t offset);

/**
 * @brief The offset of the next read or write. Never waits.
 * @param file The file.
 * @return The offset.
 */
SSHKIT_API uint64_t sshkit_sftp_file_tell(const sshkit_sftp_file *file);

/**
 * @brief Attributes of the open file (SSH_FXP_FSTAT).
 * @param file The file.
 * @param[out] attrs The attributes.
 * @return 0 or an error as sshkit_sftp_stat().
 */
SSHKIT_API int sshkit_sftp_file_fstat(sshkit_sftp_file *file, sshkit_sftp_attrs *attrs);

/**
 * @brief Changes the open file's attributes (SSH_FXP_FSETSTAT).
 * @param file The file.
 * @param attrs The attributes to set (the fields their flags name).
 * @return 0 or an error as sshkit_sftp_stat().
 */
SSHKIT_API int sshkit_sftp_file_fsetstat(sshkit_sftp_file *file, const sshkit_sftp_attrs *attrs);

/**
 * @brief Asks the server to flush the file to stable storage
 *        (fsync@openssh.com).
 * @param file The file.
 * @return 0 or an error as sshkit_sftp_stat(); SSHKIT_E_UNSUPPORTED when
 *         the server does not offer the extension.
 */
SSHKIT_API int sshkit_sftp_file_fsync(sshkit_sftp_file *file);

/**
 * @brief Figures of the file system holding the open file
 *        (fstatvfs@openssh.com).
 * @param file The file.
 * @param[out] out The figures.
 * @return As sshkit_sftp_statvfs().
 */
SSHKIT_API int sshkit_sftp_file_fstatvfs(sshkit_sftp_file *file, sshkit_sftp_fs_stats *out);

/**
 * @brief Has the server copy bytes from one open file to another without
 *        them crossing the network (copy-data).
 * @param from A file open for reading.
 * @param from_offset Where to start reading.
 * @param length How many bytes; 0 copies up to the end of @p from.
 * @param to A different file of the same session, open for writing.
 * @param to_offset Where to start writing.
 * @return 0 or an error as sshkit_sftp_stat(); SSHKIT_E_UNSUPPORTED when
 *         the server does not offer the extension; SSHKIT_E_INVALID_ARGUMENT
 *         when the files are the same or of different sessions.
 */
SSHKIT_API int sshkit_sftp_copy_data(sshkit_sftp_file *from, uint64_t from_offset,
                                     uint64_t length, sshkit_sftp_file *to, uint64_t to_offset);

/**
 * @brief Closes the file (SSH_FXP_CLOSE) and frees it. The handle is freed
 *        whatever the result, except SSHKIT_E_AGAIN (call again) and
 *        SSHKIT_E_STATE (another call is unfinished: the file is untouched).
 *        NULL is a no-op returning 0.
 * @param file The file.
 * @return 0; SSHKIT_E_SFTP_STATUS when the server reports a failure
 *         closing it (a write it could not finish); another error as above.
 */
SSHKIT_API int sshkit_sftp_file_close(sshkit_sftp_file *file);

/* ---- directories ------------------------------------------------------- */

/** One directory entry from sshkit_sftp_dir_read(). */
typedef struct sshkit_sftp_dirent {
    const char *name;           /**< the entry's name ("." and ".." included, as the server sends them) */
    const char *longname;       /**< the server's `ls -l` line for it (OpenSSH's sftp prints it); may be "" */
    sshkit_sftp_attrs attrs;    /**< its attributes (lstat's: a symbolic link is not followed) */
} sshkit_sftp_dirent;

/**
 * @brief Opens a directory for listing (SSH_FXP_OPENDIR).
 * @param sftp The session.
 * @param path The directory.
 * @param[out] dir The listing, to be closed with sshkit_sftp_dir_close().
 * @return 0 or an error as sshkit_sftp_stat().
 */
SSHKIT_API int sshkit_sftp_dir_open(sshkit_sftp *sftp, const char *path, sshkit_sftp_dir **dir);

/**
 * @brief The next entry of a listing (entries come from the server in
 *        batches; most calls need no request).
 * @param dir The listing.
 * @param[out] entry The entry; its strings are owned by @p dir and valid
 *                   until the next call on it.
 * @return 1 with an entry; 0 at the end; an error as sshkit_sftp_stat().
 */
SSHKIT_API int sshkit_sftp_dir_read(sshkit_sftp_dir *dir, sshkit_sftp_dirent *entry);

/**
 * @brief Closes a listing (SSH_FXP_CLOSE) and frees it, as
 *        sshkit_sftp_file_close() does. NULL is a no-op returning 0.
 * @param dir The listing.
 * @return 0 or an error as sshkit_sftp_file_close().
 */
SSHKIT_API int sshkit_sftp_dir_close(sshkit_sftp_dir *dir);

/* ---- whole-file transfers ---------------------------------------------- */

/**
 * @brief Reports a transfer's progress; called after each block lands.
 * @param user The pointer given in the options.
 * @param done Bytes of the file now at the destination (with those there
 *             before a resume), counted in order: every byte before
 *             @p done is there.
 * @param total The source's size when the transfer started (a file that
 *              changes meanwhile may end elsewhere); 0 when the server does
 *              not give a remote file's size.
 */
typedef void (*sshkit_sftp_progress_fn)(void *user, uint64_t done, uint64_t total);

/** How to run sshkit_sftp_get() and sshkit_sftp_put(). Start from
 *  sshkit_sftp_transfer_options_init(). */
typedef struct sshkit_sftp_transfer_options {
    /** Requests kept in flight (sftp's -R); 0: 64, as OpenSSH's sftp. */
    unsigned requests;
    /** Bytes per READ or WRITE (sftp's -B); 0: the server's limit
     *  (limits@openssh.com), else 32 KiB. Capped by the server's limits. */
    uint32_t request_size;
    /** Continue a partial destination from its current size (reget,
     *  reput): the bytes already there are kept, not checked. A
     *  destination larger than the source is an error; an equal one means
     *  there is nothing to do. */
    bool resume;
    /** Give the destination the source's permissions and times, as
     *  sftp's -p (without it a new file gets the source's permissions,
     *  less the umask for a local one). */
    bool preserve;
    /** put: ask the server to fsync the file before closing it
     *  (fsync@openssh.com, when offered; sftp's -f). */
    bool fsync;
    /** Called as the transfer advances, or NULL. */
    sshkit_sftp_progress_fn progress;
    /** Passed to progress. */
    void *progress_user;
} sshkit_sftp_transfer_options;

/**
 * @brief Fills transfer options with the defaults (all zero but what
 *        the fields say).
 * @param opt The options.
 */
SSHKIT_API void sshkit_sftp_transfer_options_init(sshkit_sftp_transfer_options *opt);

/**
 * @brief Downloads a remote file into a local one, keeping many READ
 *        requests in flight and writing each answer where it belongs
 *        (pwrite, straight from the channel's buffer). The local file is
 *        created (mode from the remote file) or truncated, unless
 *        resuming. If the transfer fails, the local file is cut back to
 *        the bytes received in order, so that a resume continues right.
 *
 * A session in non-blocking mode returns SSHKIT_E_AGAIN: call again with
 * the same arguments (the options must stay unchanged and alive), or use
 * sshkit_sftp_get_start() instead.
 *
 * @param sftp The session.
 * @param remote_path The remote file.
 * @param local_path The local file.
 * @param opt The options, or NULL for the defaults.
 * @return 0; SSHKIT_E_SFTP_STATUS; SSHKIT_E_IO for a local failure (errno
 *         says why); SSHKIT_E_STATE when resuming a destination larger than
 *         the source; another error as described above.
 */
SSHKIT_API int sshkit_sftp_get(sshkit_sftp *sftp, const char *remote_path, const char *local_path,
                               const sshkit_sftp_transfer_options *opt);

/**
 * @brief Uploads a local file into a remote one, keeping many WRITE
 *        requests in flight (pread from the local file). The remote file
 *        is created (mode from the local file) or truncated, unless
 *        resuming.
 * @param sftp The session.
 * @param local_path The local file.
 * @param remote_path The remote file.
 * @param opt The options, or NULL for the defaults.
 * @return As sshkit_sftp_get().
 */
SSHKIT_API int sshkit_sftp_put(sshkit_sftp *sftp, const char *local_path, const char *remote_path,
                               const sshkit_sftp_transfer_options *opt);

/**
 * @brief Starts a download as sshkit_sftp_get() does, as an object the
 *        application steps from its own loop. Nothing is sent yet.
 * @param sftp The session (blocking or not: steps never wait either way).
 * @param remote_path The remote file (copied).
 * @param local_path The local file (copied).
 * @param opt The options (copied), or NULL for the defaults.
 * @param[out] transfer The transfer, to be freed with sshkit_sftp_transfer_free().
 * @return 0; SSHKIT_E_NOMEM; SSHKIT_E_INVALID_ARGUMENT.
 */
SSHKIT_API int sshkit_sftp_get_start(sshkit_sftp *sftp, const char *remote_path,
                                     const char *local_path,
                                     const sshkit_sftp_transfer_options *opt,
                                     sshkit_sftp_transfer **transfer);

/**
 * @brief Starts an upload as sshkit_sftp_put() does, as an object to step.
 * @param sftp The session.
 * @param local_path The local file (copied).
 * @param remote_path The remote file (copied).
 * @param opt The options (copied), or NULL for the defaults.
 * @param[out] transfer The transfer, to be freed with sshkit_sftp_transfer_free().
 * @return As sshkit_sftp_get_start().
 */
SSHKIT_API int sshkit_sftp_put_start(sshkit_sftp *sftp, const char *local_path,
                                     const char *remote_path,
                                     const sshkit_sftp_transfer_options *opt,
                                     sshkit_sftp_transfer **transfer);

/**
 * @brief Moves a transfer on as far as it can without waiting: sends
 *        requests, handles the answers received, reads or writes the
 *        local file. Never waits, whatever the session's mode. Call it
 *        when the session has made progress (see the file's description).
 * @param transfer The transfer.
 * @return 0 once finished (the files closed); SSHKIT_E_AGAIN while under
 *         way; an error as sshkit_sftp_get() once failed (final: later
 *         steps return it again).
 */
SSHKIT_API int sshkit_sftp_transfer_step(sshkit_sftp_transfer *transfer);

/**
 * @brief How far a transfer is.
 * @param transfer The transfer.
 * @param[out] done Bytes at the destination, in order (as the progress
 *                  callback counts them); may be NULL.
 * @param[out] total The source's size, once known (0 before); may be NULL.
 */
SSHKIT_API void sshkit_sftp_transfer_progress(const sshkit_sftp_transfer *transfer,
                                              uint64_t *done, uint64_t *total);

/**
 * @brief Frees a transfer. An unfinished one is abandoned: the local file
 *        is cut back to the bytes received in order (get), answers still
 *        due are dropped when they come, and the remote handle is closed
 *        without waiting. NULL is a no-op.
 * @param transfer The transfer.
 */
SSHKIT_API void sshkit_sftp_transfer_free(sshkit_sftp_transfer *transfer);

#ifdef __cplusplus
}
#endif

#endif
