/* The SFTP client's state, shared by its files (src/sftp/client*.c).
 *
 * One sshkit_sftp runs over one channel. Requests are encoded into an
 * output buffer (out) and handed to the channel as its window allows;
 * replies are parsed where they lie in the channel's receive buffer
 * (sk_channel_peek) and routed by request id to whoever waits for them:
 * the handshake, the one "call" in progress (stat, open, read...), or a
 * transfer's pipeline. Replies to requests nobody waits for any more
 * (a call that timed out, a transfer abandoned) are dropped by id. */
#ifndef SSHKIT_SFTP_CLIENT_INTERNAL_H
#define SSHKIT_SFTP_CLIENT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sshkit/client.h>
#include <sshkit/sftp.h>

#include "connection/connection_internal.h"
#include "sftp/sftp_proto.h"

/* Reads and writes without limits@openssh.com, as OpenSSH's sftp. */
#define SK_SFTP_DEFAULT_IO (32u * 1024u)
#define SK_SFTP_DEFAULT_REQUESTS 64u
/* The most requests a pipeline keeps in flight, whatever the caller asks. */
#define SK_SFTP_MAX_REQUESTS 1024u
/* Extensions kept from VERSION (more are checked and ignored). */
#define SK_SFTP_MAX_EXTENSIONS 64u
#define SK_SFTP_EXT_NAME_MAX 256u
#define SK_SFTP_EXT_VERSION_MAX 64u
/* Abandoned requests remembered at once; more is a runaway caller. */
#define SK_SFTP_MAX_ORPHANS 65536u
/* Entries of one READDIR reply (OpenSSH sends 100 at most). */
#define SK_SFTP_MAX_NAMES 4096u
#define SK_SFTP_MESSAGE_MAX 256u

/* The extensions sshkit uses, as bits of sshkit_sftp.ext_bits. */
enum {
    SK_EXT_POSIX_RENAME = 1u << 0,
    SK_EXT_STATVFS = 1u << 1,
    SK_EXT_FSTATVFS = 1u << 2,
    SK_EXT_HARDLINK = 1u << 3,
    SK_EXT_FSYNC = 1u << 4,
    SK_EXT_LSETSTAT = 1u << 5,
    SK_EXT_LIMITS = 1u << 6,
    SK_EXT_EXPAND_PATH = 1u << 7,
    SK_EXT_COPY_DATA = 1u << 8
};

/* A request whose whole reply is kept (handles, attrs, names, status). */
typedef struct {
    uint32_t id;
    bool waiting;       /* sent; the reply has not come */
    bool answered;      /* the reply is in `reply` */
    sk_buf reply;       /* the packet from its type byte on */
} sk_sftp_ask;

/* A reply taken apart: its type, id and a reader on the rest. */
typedef struct {
    uint8_t type;
    uint32_t id;
    sk_reader r;
} sk_sftp_reply;

/* One READ or WRITE of a pipeline. A short READ answer moves offset on
 * and the rest is asked for again under a new id, in the same place. */
typedef struct {
    uint64_t offset;    /* the first byte still missing */
    uint64_t end;       /* where the request ends */
    uint32_t id;
    bool done;
} sk_sftp_block;

/* Requests in flight, in offset order (a ring). */
typedef struct {
    sk_sftp_block *blocks;
    unsigned cap, head, count;
    uint32_t size;      /* bytes per request */
    uint64_t next;      /* the next offset to ask for (get) or send (put) */
    uint64_t end;       /* put: where the data ends; get: the size seen at the start */
    uint64_t in_order;  /* every byte before it has landed */
    bool eof;           /* get: the server said EOF */
    uint64_t eof_at;    /* the lowest offset it said EOF for */
} sk_sftp_pipe;

/* The one blocking-style call in progress (see sftp.h: call again with the
 * same arguments). */
typedef struct {
    int op;                     /* SK_OP_*, SK_OP_NONE when idle */
    const void *target;         /* the file or directory it works on, or NULL */
    int stage;                  /* the call's own progress */
    sk_sftp_ask ask;
    sk_sftp_pipe pipe;          /* sshkit_sftp_file_write */
    int pipe_error;             /* the first failure among its answers */
    uint8_t *read_dst;          /* sshkit_sftp_file_read: DATA lands here directly */
    uint32_t read_want;         /* at most this many bytes */
    int read_got;               /* how many landed, or -1 */
    sshkit_sftp_transfer *transfer; /* sshkit_sftp_get / sshkit_sftp_put */
} sk_sftp_call;

enum {
    SK_OP_NONE = 0, SK_OP_PATH, SK_OP_OPEN, SK_OP_CLOSE, SK_OP_READ, SK_OP_WRITE,
    SK_OP_FSTAT, SK_OP_FSETSTAT, SK_OP_FSYNC, SK_OP_FSTATVFS, SK_OP_COPY_DATA,
    SK_OP_OPENDIR, SK_OP_READDIR, SK_OP_GET, SK_OP_PUT,
    SK_OP_PATH_BASE = 0x100     /* + the request type, for path requests */
};

enum { SK_HS_OPENING, SK_HS_VERSION, SK_HS_LIMITS, SK_HS_READY };

struct sshkit_sftp {
    sshkit_client *client;      /* NULL for a session on an application's channel */
    sshkit_channel *channel;
    bool owns_channel;
    bool blocking;
    int fatal;                  /* the error that ended the session, or 0 */
    int hs;                     /* SK_HS_* */
    unsigned refused_before;    /* the channel's refused requests before ours */
    unsigned pending_before;    /* and its requests waiting for an answer */
    bool subsystem_granted;     /* the handshake is over */
    sk_sftp_ask hs_ask;         /* limits@openssh.com */
    unsigned version;
    struct { char *name, *version; } ext[SK_SFTP_MAX_EXTENSIONS];
    unsigned ext_count;
    uint32_t ext_bits;
    bool openssh;               /* OpenSSH's extensions announced: its SYMLINK order */
    sshkit_sftp_limits limits;
    uint32_t next_id;
    uint64_t received;          /* replies handled, ever (to see progress) */
    sk_buf out;                 /* encoded requests */
    size_t out_pos;             /* how much of out the channel has taken */
    sk_sftp_call call;
    sshkit_sftp_transfer *transfers;    /* live transfers (dispatch and free) */
    sshkit_sftp_file *files;            /* open files and directories (free) */
    uint32_t *orphans;
    size_t orphan_count, orphan_cap;
    unsigned last_status;
    char last_message[SK_SFTP_MESSAGE_MAX];
    char last_error[SK_SFTP_MESSAGE_MAX];
};

/* Files and directories share the handle part. */
struct sshkit_sftp_file {
    sshkit_sftp *sftp;
    struct sshkit_sftp_file *next, *prev;
    uint8_t handle[SK_SFTP_MAX_HANDLE];
    uint32_t handle_len;
    uint64_t offset;
    bool is_dir;
};

struct sshkit_sftp_dir {
    struct sshkit_sftp_file base;       /* first: a dir is a file to the lists */
    sk_buf batch;                       /* the last NAME reply */
    sk_reader cursor;                   /* its entries not yet returned */
    uint32_t left;                      /* how many */
    bool at_end;
    char *name, *longname;              /* the entry last returned */
};

enum { SK_T_START, SK_T_OPEN, SK_T_STAT, SK_T_DATA, SK_T_FSYNC, SK_T_SETSTAT, SK_T_CLOSE,
       SK_T_DONE };

struct sshkit_sftp_transfer {
    sshkit_sftp *sftp;
    struct sshkit_sftp_transfer *next, *prev;
    bool get;
    char *remote, *local;
    sshkit_sftp_transfer_options opt;
    int stage;                  /* SK_T_* */
    int result;                 /* SSHKIT_E_AGAIN running, 0 done, < 0 failed */
    int fd;                     /* the local file */
    uint8_t handle[SK_SFTP_MAX_HANDLE];
    uint32_t handle_len;
    bool handle_open;
    sk_sftp_ask ask;            /* the control request in progress */
    sk_sftp_pipe pipe;
    uint64_t total;
    uint64_t reported;          /* what progress last said */
    bool reported_once;
    sshkit_sftp_attrs source;   /* the source's attributes */
    unsigned status;            /* a failure's SFTP status */
    char message[SK_SFTP_MESSAGE_MAX];      /* its message */
    char error_text[SK_SFTP_MESSAGE_MAX];   /* its description */
};

/* ---- client_session.c ---- */
/* Sets up a session on a channel (no I/O). */
int sk_sftp_create(sshkit_channel *ch, sshkit_sftp **out);
/* Steps the handshake; 0 once ready. */
int sk_sftp_handshake_step(sshkit_sftp *sftp);
/* Handles VERSION (the one packet without an id). */
int sk_sftp_handle_version(sshkit_sftp *sftp, const uint8_t *pkt, size_t len);
/* Handles the limits@openssh.com answer kept in hs_ask. */
void sk_sftp_take_limits(sshkit_sftp *sftp);

/* ---- client_io.c ---- */
/* Ends the session with an error (kept: every later call returns it). */
int sk_sftp_fail(sshkit_sftp *sftp, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Describes a failure that does not end the session. */
int sk_sftp_error(sshkit_sftp *sftp, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Starts a request packet in out: length, type, a fresh id. */
sk_buf *sk_sftp_request(sshkit_sftp *sftp, uint8_t type, uint32_t *id, size_t *start);
/* Finishes it; 0 or the session's failure (out of memory). */
int sk_sftp_request_end(sshkit_sftp *sftp, size_t start);
/* Bytes encoded but not yet taken by the channel. */
size_t sk_sftp_backlog(const sshkit_sftp *sftp);
/* Sends what the window allows and handles every whole reply received.
 * Never waits. 0, or the session's fatal error. */
int sk_sftp_pump(sshkit_sftp *sftp);
/* Waits for the session to make progress (blocking mode), or returns
 * SSHKIT_E_AGAIN (non-blocking). */
int sk_sftp_wait(sshkit_sftp *sftp);
/* Remembers that the reply to id is to be dropped. */
int sk_sftp_orphan(sshkit_sftp *sftp, uint32_t id);

/* ---- client_ask.c ---- */
void sk_sftp_ask_init(sk_sftp_ask *ask);
void sk_sftp_ask_free(sshkit_sftp *sftp, sk_sftp_ask *ask);   /* orphans it if waiting */
void sk_sftp_ask_sent(sk_sftp_ask *ask, uint32_t id);
/* Keeps the reply when it is the one ask waits for; true when taken. */
bool sk_sftp_ask_take(sk_sftp_ask *ask, uint32_t id, const uint8_t *pkt, size_t len);
/* The kept reply, taken apart; the ask is idle again afterwards (the reader
 * stays valid until the ask is used again). */
int sk_sftp_ask_reply(sk_sftp_ask *ask, sk_sftp_reply *reply);
/* Interprets a STATUS reply: 0 for OK, SSHKIT_E_SFTP_STATUS otherwise
 * (status and message kept in sftp, or in status/message when not NULL). */
int sk_sftp_status(sshkit_sftp *sftp, sk_sftp_reply *reply);
/* Reply checks: a reply of the expected type, else STATUS's failure, else
 * a protocol error. */
int sk_sftp_expect(sshkit_sftp *sftp, sk_sftp_reply *reply, uint8_t type, const char *what);

/* ---- client_call.c ---- */
/* Enters a call: 1 for a new one (send its request), 0 when continuing
 * the same, SSHKIT_E_STATE when another is in progress, or the session's
 * fatal error. Steps the handshake first. */
int sk_sftp_call_enter(sshkit_sftp *sftp, int op, const void *target);
/* Leaves a call unless rc is SSHKIT_E_AGAIN; returns rc. */
int sk_sftp_call_leave(sshkit_sftp *sftp, int rc);
/* Sends the call's request (its ask) unless an earlier call sent it. */
int sk_sftp_call_send(sshkit_sftp *sftp, uint8_t type, const char *ext,
                      void (*encode)(sk_buf *b, const void *arg), const void *arg);
/* Pumps and waits until the call's ask is answered, then takes it apart. */
int sk_sftp_call_reply(sshkit_sftp *sftp, sk_sftp_reply *reply);
/* Sends a request built by encode() as the call's ask and waits for its
 * reply, as one step of a call (first time: send; later: look). */
int sk_sftp_call_simple(sshkit_sftp *sftp, int op, const void *target, uint8_t type,
                        void (*encode)(sk_buf *b, const void *arg), const void *arg,
                        sk_sftp_reply *reply);
/* As above for an SSH_FXP_EXTENDED request named ext. */
int sk_sftp_call_extended(sshkit_sftp *sftp, int op, const void *target, const char *ext,
                          void (*encode)(sk_buf *b, const void *arg), const void *arg,
                          sk_sftp_reply *reply);
/* A call whose reply is only a status. */
int sk_sftp_call_status(sshkit_sftp *sftp, int op, const void *target, uint8_t type,
                        void (*encode)(sk_buf *b, const void *arg), const void *arg);
int sk_sftp_call_ext_status(sshkit_sftp *sftp, int op, const void *target, const char *ext,
                            void (*encode)(sk_buf *b, const void *arg), const void *arg);
/* Copies a NAME reply's single name into buf; its length or an error. */
int sk_sftp_take_name(sshkit_sftp *sftp, sk_sftp_reply *reply, char *buf, size_t cap);
/* Reads a statvfs@openssh.com / fstatvfs@openssh.com answer. */
int sk_sftp_take_statvfs(sshkit_sftp *sftp, sk_sftp_reply *reply, sshkit_sftp_fs_stats *out);
/* Checks that the server offers an extension (at the version sshkit knows). */
int sk_sftp_need(sshkit_sftp *sftp, uint32_t bit, const char *name);

/* ---- client_file.c, client_file_io.c ---- */
int sk_sftp_take_handle(sshkit_sftp *sftp, sk_sftp_reply *reply, uint8_t *handle, uint32_t *len);
/* Closes a file's or directory's handle and frees it (except on AGAIN/STATE). */
int sk_sftp_close_handle(sshkit_sftp_file *f);
/* Lands a READ's DATA straight in sshkit_sftp_file_read()'s buffer; true when taken. */
bool sk_sftp_read_direct(sshkit_sftp *sftp, uint32_t id, const uint8_t *pkt, size_t len);
/* Routes a WRITE's answer to sshkit_sftp_file_write(); true when taken. */
bool sk_sftp_write_ack(sshkit_sftp *sftp, uint32_t id, const uint8_t *pkt, size_t len);

/* ---- client_pipe.c ---- */
int sk_sftp_pipe_init(sk_sftp_pipe *p, unsigned requests, uint32_t size, uint64_t start);
void sk_sftp_pipe_free(sshkit_sftp *sftp, sk_sftp_pipe *p);  /* orphans what is in flight */
/* The block waiting for id, or NULL. */
sk_sftp_block *sk_sftp_pipe_find(sk_sftp_pipe *p, uint32_t id);
/* Adds a block at the tail (the caller sends it). */
sk_sftp_block *sk_sftp_pipe_push(sk_sftp_pipe *p, uint64_t offset, uint64_t end);
bool sk_sftp_pipe_full(const sk_sftp_pipe *p);
/* Drops the finished blocks at the head; returns true when in_order moved. */
bool sk_sftp_pipe_advance(sk_sftp_pipe *p);

/* ---- client_file.c: the session's list of files and directories ---- */
void sk_sftp_file_link(sshkit_sftp *sftp, sshkit_sftp_file *f);
void sk_sftp_file_unlink(sshkit_sftp_file *f);
void sk_sftp_file_destroy(sshkit_sftp_file *f);
/* Sends CLOSE for a handle without waiting (the answer is dropped). */
void sk_sftp_close_quietly(sshkit_sftp *sftp, const uint8_t *handle, uint32_t len);

/* ---- client_transfer.c / client_get.c / client_put.c ---- */
int sk_sftp_transfer_new(sshkit_sftp *sftp, bool get, const char *remote, const char *local,
                         const sshkit_sftp_transfer_options *opt, sshkit_sftp_transfer **out);
/* Routes a reply to a transfer; true when one took it. */
bool sk_sftp_transfer_dispatch(sshkit_sftp *sftp, uint32_t id, const uint8_t *pkt, size_t len);
/* Ends a transfer with an error, cleaning up (local file cut back). */
int sk_sftp_transfer_fail(sshkit_sftp_transfer *t, int error);
/* Starts the transfer's control request (its ask): type and id, then the
 * caller's fields; sk_sftp_transfer_sent() finishes it. */
sk_buf *sk_sftp_transfer_request(sshkit_sftp_transfer *t, uint8_t type, size_t *start);
int sk_sftp_transfer_sent(sshkit_sftp_transfer *t, size_t start);
/* The control request's answer: 0 with it, SSHKIT_E_AGAIN before it comes. */
int sk_sftp_transfer_answer(sshkit_sftp_transfer *t, sk_sftp_reply *reply);
/* Sends CLOSE for the remote handle (stage SK_T_CLOSE). */
int sk_sftp_transfer_close(sshkit_sftp_transfer *t);
/* Takes CLOSE's answer and finishes: 0, SSHKIT_E_AGAIN or an error. */
int sk_sftp_transfer_closed(sshkit_sftp_transfer *t);
void sk_sftp_transfer_report(sshkit_sftp_transfer *t);
int sk_sftp_get_step(sshkit_sftp_transfer *t);
int sk_sftp_put_step(sshkit_sftp_transfer *t);
bool sk_sftp_get_data(sshkit_sftp_transfer *t, uint32_t id, const uint8_t *pkt, size_t len);
bool sk_sftp_put_ack(sshkit_sftp_transfer *t, uint32_t id, const uint8_t *pkt, size_t len);

#endif
