/* The SFTP version 3 wire format (draft-ietf-secsh-filexfer-02) and
 * OpenSSH's extensions (PROTOCOL section 4), shared by the client and the
 * server.
 *
 * An SFTP packet is uint32 length, byte type, then (for every type but INIT
 * and VERSION) uint32 request id and the body. The channel carries a stream
 * of them; sk_sftp_frame() finds one whole packet at the front of a buffer,
 * checking its length before anything else. */
#ifndef SSHKIT_SFTP_PROTO_H
#define SSHKIT_SFTP_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sshkit/sftp_common.h>

#include "wire/reader.h"
#include "wire/writer.h"

#define SK_SFTP_VERSION 3

/* The largest packet either side accepts, as OpenSSH's SFTP_MAX_MSG_LENGTH:
 * a 256 KiB payload plus headers. */
#define SK_SFTP_MAX_PACKET (256u * 1024u)

/* Largest data in one READ reply or WRITE request that sshkit sends, and the
 * most a server grants one READ (OpenSSH's limits@openssh.com reply says
 * the same). */
#define SK_SFTP_MAX_DATA (255u * 1024u)

/* The biggest handle a server may issue (draft: at most 256 bytes). */
#define SK_SFTP_MAX_HANDLE 256u

enum sk_sftp_type {
    SK_FXP_INIT = 1,
    SK_FXP_VERSION = 2,
    SK_FXP_OPEN = 3,
    SK_FXP_CLOSE = 4,
    SK_FXP_READ = 5,
    SK_FXP_WRITE = 6,
    SK_FXP_LSTAT = 7,
    SK_FXP_FSTAT = 8,
    SK_FXP_SETSTAT = 9,
    SK_FXP_FSETSTAT = 10,
    SK_FXP_OPENDIR = 11,
    SK_FXP_READDIR = 12,
    SK_FXP_REMOVE = 13,
    SK_FXP_MKDIR = 14,
    SK_FXP_RMDIR = 15,
    SK_FXP_REALPATH = 16,
    SK_FXP_STAT = 17,
    SK_FXP_RENAME = 18,
    SK_FXP_READLINK = 19,
    SK_FXP_SYMLINK = 20,
    SK_FXP_STATUS = 101,
    SK_FXP_HANDLE = 102,
    SK_FXP_DATA = 103,
    SK_FXP_NAME = 104,
    SK_FXP_ATTRS = 105,
    SK_FXP_EXTENDED = 200,
    SK_FXP_EXTENDED_REPLY = 201
};

/* OpenSSH's extension names, as the server lists them in VERSION. */
#define SK_SFTP_EXT_POSIX_RENAME "posix-rename@openssh.com"
#define SK_SFTP_EXT_STATVFS "statvfs@openssh.com"
#define SK_SFTP_EXT_FSTATVFS "fstatvfs@openssh.com"
#define SK_SFTP_EXT_HARDLINK "hardlink@openssh.com"
#define SK_SFTP_EXT_FSYNC "fsync@openssh.com"
#define SK_SFTP_EXT_LSETSTAT "lsetstat@openssh.com"
#define SK_SFTP_EXT_LIMITS "limits@openssh.com"
#define SK_SFTP_EXT_EXPAND_PATH "expand-path@openssh.com"
#define SK_SFTP_EXT_COPY_DATA "copy-data"

/* Appends attrs (only the fields its flags name; EXTENDED is never sent). */
void sk_sftp_write_attrs(sk_buf *b, const sshkit_sftp_attrs *attrs);

/* Reads attrs; extended pairs are checked and skipped (the EXTENDED flag is
 * cleared). Returns 0 or the reader's sticky error. */
int sk_sftp_read_attrs(sk_reader *r, sshkit_sftp_attrs *attrs);

/* Looks at the front of a stream of packets. Returns the size of the whole
 * first packet (4-byte length included) when all of it is in data; 0 when
 * more bytes are needed; SSHKIT_E_TOO_LARGE when its length is over max or
 * SSHKIT_E_FORMAT when it is too short to hold a type byte. */
long sk_sftp_frame(const uint8_t *data, size_t len, uint32_t max);

/* Starts a packet in b: a length placeholder and the type. Returns the offset
 * to give sk_sftp_packet_end(). */
size_t sk_sftp_packet_begin(sk_buf *b, uint8_t type);

/* Fills in the length of the packet started at start. */
void sk_sftp_packet_end(sk_buf *b, size_t start);

/* The statvfs@openssh.com reply, as OpenSSH defines it (all uint64). */
typedef struct {
    uint64_t bsize, frsize, blocks, bfree, bavail, files, ffree, favail, fsid, flag, namemax;
} sk_sftp_statvfs;

void sk_sftp_write_statvfs(sk_buf *b, const sk_sftp_statvfs *v);
int sk_sftp_read_statvfs(sk_reader *r, sk_sftp_statvfs *v);

#endif
