/* The SFTP server engine's insides, shared by its files:
 *   server.c          life cycle, settings, input and output buffers, the request loop
 *   server_dispatch.c INIT and VERSION, requests by type, the read-only rule
 *   server_reply.c    replies (STATUS, HANDLE, DATA, NAME, ATTRS, EXTENDED_REPLY) and the log
 *   server_handles.c  the handle table
 *   server_files.c    OPEN, CLOSE, READ, WRITE, FSTAT, FSETSTAT and the handle extensions
 *   server_paths.c    requests on paths (stat, setstat, remove, mkdir, rename...)
 *   server_dirs.c     OPENDIR, READDIR and the `ls -l` line
 *   server_ext.c      EXTENDED requests: OpenSSH's extensions
 *   server_copy.c     copy-data, in slices
 *   server_channel.c  the driver between the engine and a channel
 */
#ifndef SSHKIT_SFTP_SERVER_INTERNAL_H
#define SSHKIT_SFTP_SERVER_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sshkit/sftp_server.h>

#include "sftp/sftp_proto.h"

/* Input held at once: two whole packets of the largest size. */
#define SK_SFTPS_IN_CAP (2 * (SK_SFTP_MAX_PACKET + 4))
/* Requests are taken only while fewer reply bytes than this wait; with the
 * largest reply on top, the output never passes about 800 KiB. */
#define SK_SFTPS_OUT_HIGH ((size_t)512 << 10)
/* Entries in one READDIR reply, as OpenSSH's sftp-server. */
#define SK_SFTPS_DIR_BATCH 100
/* copy-data moves this much per call, then lets the driver serve others. */
#define SK_SFTPS_COPY_SLICE ((uint64_t)8 << 20)
#define SK_SFTPS_COPY_CHUNK (64u << 10)
/* Handles on the wire: slot index and generation, 4 bytes each. */
#define SK_SFTPS_HANDLE_LEN 8
#define SK_SFTPS_MAX_HANDLES_LIMIT 65536u

enum sk_sftps_kind { SK_SFTPS_FREE = 0, SK_SFTPS_FILE, SK_SFTPS_DIR };

struct sk_sftps_handle {
    void *obj;                  /* the operations' file or directory */
    char *name;                 /* the path it was opened with (logs, copy-data) */
    uint64_t bytes_read, bytes_written;
    uint32_t gen;               /* bumped at each reuse: stale handles do not match */
    uint32_t next_free;
    uint8_t kind;
};

/* A copy-data request in progress. */
struct sk_sftps_copy {
    bool active;
    uint32_t id;
    uint32_t from, to;          /* slots */
    uint64_t from_off, to_off, left;
    bool until_eof;
};

struct sshkit_sftp_server {
    const sshkit_sftp_server_ops *ops;
    void *ctx;

    uint8_t *in;                /* SK_SFTPS_IN_CAP bytes, made on first use */
    size_t in_pos, in_len;      /* unread bytes are in[in_pos..in_len) */
    sk_buf out;                 /* replies; out.data[out_pos..out.len) unsent */
    size_t out_pos;

    struct sk_sftps_handle *handles;
    uint32_t handle_slots;      /* allocated */
    uint32_t handles_open;
    uint32_t max_handles;
    uint32_t free_head;         /* first free slot, or UINT32_MAX */

    bool init_done;
    bool input_ended;
    bool read_only;
    int final;                  /* 0 while serving; then why it ended */

    sshkit_log_fn log;
    void *log_user;
    sshkit_log_level log_level;

    struct sk_sftps_copy copy;
    uint8_t *copy_buf;          /* SK_SFTPS_COPY_CHUNK, made on first copy */

    /* Scratch for one request's paths and one directory entry. */
    char path[2][SSHKIT_SFTP_PATH_MAX];
    sshkit_sftp_server_entry entry;
    char owner[SSHKIT_SFTP_OWNER_MAX], group[SSHKIT_SFTP_OWNER_MAX];
};

/* server.c */
size_t sk_sftps_out_pending(const sshkit_sftp_server *s);
void sk_sftps_fail(sshkit_sftp_server *s, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* server_dispatch.c: one whole packet (type and body, without the length). */
void sk_sftps_handle_packet(sshkit_sftp_server *s, const uint8_t *p, size_t len);
bool sk_sftps_refuse_write(sshkit_sftp_server *s, uint32_t id, const char *what);

/* server_reply.c */
void sk_sftps_log(const sshkit_sftp_server *s, sshkit_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *sk_sftps_status_text(unsigned status);
void sk_sftps_status(sshkit_sftp_server *s, uint32_t id, int status);
void sk_sftps_reply_handle(sshkit_sftp_server *s, uint32_t id, uint32_t slot);
void sk_sftps_reply_attrs(sshkit_sftp_server *s, uint32_t id, const sshkit_sftp_attrs *a);
void sk_sftps_reply_name(sshkit_sftp_server *s, uint32_t id, const char *name);
void sk_sftps_reply_statvfs(sshkit_sftp_server *s, uint32_t id, const sshkit_sftp_fs_stats *v);
size_t sk_sftps_begin(sshkit_sftp_server *s, uint8_t type, uint32_t id);
void sk_sftps_end(sshkit_sftp_server *s, size_t start);
void sk_sftps_unwrite(sshkit_sftp_server *s, size_t start);
/* server_paths.c: the "set ..." lines OpenSSH logs for setstat. */
void sk_sftps_log_setstat(const sshkit_sftp_server *s, const char *name,
                          const sshkit_sftp_attrs *a);

/* server_handles.c */
int sk_sftps_handle_new(sshkit_sftp_server *s, uint8_t kind, void *obj, const char *name,
                        uint32_t *slot);
/* The slot a wire handle names when it is open and of that kind, else NULL. */
struct sk_sftps_handle *sk_sftps_handle_get(sshkit_sftp_server *s, sk_bytes wire, uint8_t kind,
                                            uint32_t *slot);
int sk_sftps_handle_close(sshkit_sftp_server *s, uint32_t slot, bool forced);
void sk_sftps_handles_free(sshkit_sftp_server *s);

/* Reads a path string into s->path[which]: 0, or SSHKIT_SFTP_BAD_MESSAGE
 * (malformed, an embedded NUL, too long). */
int sk_sftps_read_path(sshkit_sftp_server *s, sk_reader *r, int which);

/* Request handlers: each answers id exactly once (copy-data may answer later). */
void sk_sftps_open(sshkit_sftp_server *s, uint32_t id, sk_reader *r);
void sk_sftps_close(sshkit_sftp_server *s, uint32_t id, sk_reader *r);
void sk_sftps_read(sshkit_sftp_server *s, uint32_t id, sk_reader *r);
void sk_sftps_write(sshkit_sftp_server *s, uint32_t id, sk_reader *r);
void sk_sftps_fstat(sshkit_sftp_server *s, uint32_t id, sk_reader *r);
void sk_sftps_fsetstat(sshkit_sftp_server *s, uint32_t id, sk_reader *r);
void sk_sftps_fstatvfs(sshkit_sftp_server *s, uint32_t id, sk_reader *r);
void sk_sftps_fsync(sshkit_sftp_server *s, uint32_t id, sk_reader *r);
void sk_sftps_opendir(sshkit_sftp_server *s, uint32_t id, sk_reader *r);
void sk_sftps_readdir(sshkit_sftp_server *s, uint32_t id, sk_reader *r);
void sk_sftps_stat(sshkit_sftp_server *s, uint32_t id, sk_reader *r, bool follow);
void sk_sftps_setstat(sshkit_sftp_server *s, uint32_t id, sk_reader *r, bool follow);
void sk_sftps_remove(sshkit_sftp_server *s, uint32_t id, sk_reader *r);
void sk_sftps_mkdir(sshkit_sftp_server *s, uint32_t id, sk_reader *r);
void sk_sftps_rmdir(sshkit_sftp_server *s, uint32_t id, sk_reader *r);
void sk_sftps_realpath(sshkit_sftp_server *s, uint32_t id, sk_reader *r, bool expand);
void sk_sftps_rename(sshkit_sftp_server *s, uint32_t id, sk_reader *r, bool overwrite);
void sk_sftps_readlink(sshkit_sftp_server *s, uint32_t id, sk_reader *r);
void sk_sftps_symlink(sshkit_sftp_server *s, uint32_t id, sk_reader *r);
void sk_sftps_link(sshkit_sftp_server *s, uint32_t id, sk_reader *r);
void sk_sftps_statvfs(sshkit_sftp_server *s, uint32_t id, sk_reader *r);
void sk_sftps_extended(sshkit_sftp_server *s, uint32_t id, sk_reader *r);
void sk_sftps_copy_start(sshkit_sftp_server *s, uint32_t id, sk_reader *r);
/* Goes on with a copy in progress; true while it is not finished. */
bool sk_sftps_copy_step(sshkit_sftp_server *s);

/* server_ext.c: appends the extension pairs VERSION lists. */
void sk_sftps_write_extensions(sshkit_sftp_server *s);

/* server_dirs.c: the `ls -l` line of an entry into out. */
void sk_sftps_longname(sshkit_sftp_server *s, const sshkit_sftp_server_entry *e, char *out,
                       size_t cap);

#endif
