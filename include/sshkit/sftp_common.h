/**
 * @file sshkit/sftp_common.h
 * @brief What the SFTP client (sftp.h) and server (sftp_server.h) share:
 *        file attributes, open flags and status codes of SFTP version 3
 *        (draft-ietf-secsh-filexfer-02), the version OpenSSH speaks.
 */
#ifndef SSHKIT_SFTP_COMMON_H
#define SSHKIT_SFTP_COMMON_H

#include <stdint.h>
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Which fields of an sshkit_sftp_attrs are set (SSH_FILEXFER_ATTR_*). */
enum sshkit_sftp_attr_flags {
    SSHKIT_SFTP_ATTR_SIZE        = 0x00000001, /**< size */
    SSHKIT_SFTP_ATTR_UIDGID      = 0x00000002, /**< uid and gid */
    SSHKIT_SFTP_ATTR_PERMISSIONS = 0x00000004, /**< permissions (with the file type bits) */
    SSHKIT_SFTP_ATTR_ACMODTIME   = 0x00000008  /**< atime and mtime */
};

/** Extended pairs follow the attributes (skipped on read, never sent);
 *  a macro because the value does not fit an enum's int. */
#define SSHKIT_SFTP_ATTR_EXTENDED 0x80000000u

/** A file's attributes. Only the fields named in flags mean anything. */
typedef struct sshkit_sftp_attrs {
    uint32_t flags;        /**< SSHKIT_SFTP_ATTR_* bits */
    uint64_t size;         /**< bytes */
    uint32_t uid;          /**< owner */
    uint32_t gid;          /**< group */
    uint32_t permissions;  /**< mode bits as st_mode: type (S_IFREG...) and permissions */
    uint32_t atime;        /**< last access, seconds since 1970 */
    uint32_t mtime;        /**< last modification, seconds since 1970 */
} sshkit_sftp_attrs;

/** How to open a file (SSH_FXF_*), combined with |. */
enum sshkit_sftp_open_flags {
    SSHKIT_SFTP_READ   = 0x01, /**< open for reading */
    SSHKIT_SFTP_WRITE  = 0x02, /**< open for writing */
    SSHKIT_SFTP_APPEND = 0x04, /**< every write goes to the end */
    SSHKIT_SFTP_CREAT  = 0x08, /**< create it if missing */
    SSHKIT_SFTP_TRUNC  = 0x10, /**< cut it to 0 bytes (with CREAT) */
    SSHKIT_SFTP_EXCL   = 0x20  /**< fail if it exists (with CREAT) */
};

/** Status codes of SSH_FXP_STATUS. */
enum sshkit_sftp_status {
    SSHKIT_SFTP_OK                = 0, /**< success */
    SSHKIT_SFTP_EOF               = 1, /**< end of file or of a directory listing */
    SSHKIT_SFTP_NO_SUCH_FILE      = 2, /**< no such file or directory */
    SSHKIT_SFTP_PERMISSION_DENIED = 3, /**< permission denied */
    SSHKIT_SFTP_FAILURE           = 4, /**< any other failure */
    SSHKIT_SFTP_BAD_MESSAGE       = 5, /**< a malformed request */
    SSHKIT_SFTP_NO_CONNECTION     = 6, /**< (client side) no connection */
    SSHKIT_SFTP_CONNECTION_LOST   = 7, /**< (client side) the connection was lost */
    SSHKIT_SFTP_OP_UNSUPPORTED    = 8  /**< the server does not do that */
};

/** Bits of sshkit_sftp_fs_stats.flag (statvfs@openssh.com). */
enum sshkit_sftp_statvfs_flags {
    SSHKIT_SFTP_ST_RDONLY = 0x1, /**< the file system is read-only */
    SSHKIT_SFTP_ST_NOSUID = 0x2  /**< setuid and setgid bits are ignored */
};

/** A file system's figures, as statvfs(3) gives them
 *  (statvfs@openssh.com and fstatvfs@openssh.com). */
typedef struct sshkit_sftp_fs_stats {
    uint64_t bsize;   /**< file system block size */
    uint64_t frsize;  /**< fundamental block size (the unit of blocks) */
    uint64_t blocks;  /**< size in frsize units */
    uint64_t bfree;   /**< free blocks */
    uint64_t bavail;  /**< free blocks for unprivileged users */
    uint64_t files;   /**< inodes */
    uint64_t ffree;   /**< free inodes */
    uint64_t favail;  /**< free inodes for unprivileged users */
    uint64_t fsid;    /**< file system id */
    uint64_t flag;    /**< SSHKIT_SFTP_ST_* bits */
    uint64_t namemax; /**< longest file name */
} sshkit_sftp_fs_stats;

/**
 * @brief The message OpenSSH's sftp prints for a status ("No such file or
 *        directory", "Permission denied", "Failure"...).
 * @param status An SSHKIT_SFTP_* status.
 * @return A static string; an unknown status gives "Unknown status".
 */
SSHKIT_API const char *sshkit_sftp_status_message(unsigned status);

#ifdef __cplusplus
}
#endif

#endif
