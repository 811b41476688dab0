/* The high-level client's state, shared by its files.
 *
 * Every call is written once, as a non-blocking step that returns
 * SSHKIT_E_AGAIN when it must wait; a blocking client runs the same step
 * in a poll() loop (sk_client_drive). Progress is made by events: the
 * connection's events are all taken by sk_client_step, which moves the
 * operations in progress (authentication, a channel being opened) on
 * whatever call happened to read them; each call then only looks at
 * where its operation stands. */
#ifndef SSHKIT_CLIENT_INTERNAL_H
#define SSHKIT_CLIENT_INTERNAL_H

#include <sshkit/client.h>
#include <sshkit/io.h>

#include "connection/connection_internal.h"
#include "io/io_internal.h"

#define SK_CLIENT_DEFAULT_TIMEOUT_MS 30000
#define SK_CLIENT_ERROR_MAX 512

/* A session channel being opened for a command or a shell: open, then
 * the requests (exec; or pty-req and shell), then their answers. */
struct sk_open_op {
    bool active;
    bool shell;
    char *command;              /* exec: a copy, to know the call again */
    char term[64];
    unsigned cols, rows;
    char **env;                 /* the client's, sent before the requests */
    sshkit_channel *ch;
    bool requested;             /* the requests are sent */
    unsigned answers_due;       /* answers not yet come */
    bool granted;               /* every answer so far said yes */
    int result;                 /* SSHKIT_E_AGAIN until known */
};

/* sshkit_client_run() in progress: the command, its input, its output. */
struct sk_run_op {
    bool active;
    char *command;
    const uint8_t *input;
    size_t input_len;
    struct sk_open_op open;
    sshkit_channel *ch;         /* once the command runs */
    size_t sent;
    bool eof_sent;
    uint8_t *out[2];
    size_t len[2], cap[2];
};

/* sshkit_client_write() in progress on one channel. */
struct sk_write_op {
    sshkit_channel *ch;
    uint64_t serial;            /* to know the handle is still the same one */
    const uint8_t *data;
    size_t len, off;
};

struct sk_client_connecting;    /* client_connect.c */

struct sshkit_client {
    sshkit_session *session;
    int fd;                     /* -1 until connected */
    int timeout_ms;
    bool nonblocking;
    char user[256];
    char host[256];
    unsigned port;
    sshkit_hostkey_verifier *verifier;
    char error[SK_CLIENT_ERROR_MAX];
    struct sk_client_connecting *connecting;   /* NULL once the connect is over */
    int connect_result;         /* the connect's outcome once over */
    int ended;                  /* the error that ended the connection, 0 while it lives */
    unsigned want;              /* SSHKIT_WANT_READ as the last step left it */
    uint64_t events;            /* events taken so far */
    bool news;                  /* events taken since the last sshkit_client_want() */
    struct sk_open_op open;
    struct sk_run_op run;
    struct sk_write_op *writes;
    size_t nwrites, cap_writes;
    char **env;                 /* the options' env, copied; NULL-terminated */
};

/* ---- client_step.c: the connection's events ---- */

/* Runs the connection as far as it goes without blocking and handles
 * every event. 0 when at least one came, SSHKIT_E_AGAIN when none did,
 * or the error that ended the connection (its text in client->error). */
int sk_client_step(sshkit_client *c);

/* What the client waits for now: SSHKIT_WANT_* bits, and in *timeout_ms
 * the time until its own deadline (-1 for none, 0 when it has passed). */
unsigned sk_client_wants(const sshkit_client *c, int *timeout_ms);

/* Fails unless the client is connected and its connection lives:
 * SSHKIT_E_STATE while connecting or after a failed connect, the
 * connection's final error once it has ended. */
int sk_client_usable(const sshkit_client *c);

/* Records a failure's text in client->error: the session's description
 * when it has one, else the code's. Returns rc. */
int sk_client_fail(sshkit_client *c, int rc);

/* ---- client_drive.c: blocking and non-blocking calls ---- */

/* One non-blocking step of an operation: 0 or a count when done,
 * SSHKIT_E_AGAIN to wait, or an error. */
typedef int (*sk_client_op_fn)(sshkit_client *c, void *arg);

/* Runs an operation: once in non-blocking mode; in blocking mode until it
 * ends, waiting in poll() between steps, and SSHKIT_E_TIMEOUT after the
 * options' timeout without an event (the operation is then still in
 * progress: the caller abandons it). A blocking call that fails writes the
 * session's last output (its DISCONNECT) first, within the timeout. */
int sk_client_drive(sshkit_client *c, sk_client_op_fn op, void *arg);

/* ---- client_connect.c, client_auth.c: connecting ---- */

/* An event while connecting: the handshake's end, authentication. */
void sk_client_connect_event(sshkit_client *c, const sshkit_event *ev);

/* Frees the connecting state, wiping its secrets. */
void sk_client_connect_free(sshkit_client *c);

/* What the connect waits for (as sk_client_wants()). */
unsigned sk_client_connect_wants(const sshkit_client *c, int *timeout_ms);

/* The connect's descriptor while connecting (-1 when none). */
int sk_client_connect_fd(const sshkit_client *c);

/* Authentication, driven by events (client_auth.c). */
struct sk_client_auth;
int sk_client_auth_init(struct sk_client_auth **out, const sshkit_client_options *opt);
void sk_client_auth_free(struct sk_client_auth *a);
/* Starts: the first attempt. SSHKIT_E_AGAIN while attempts go on, 0 when
 * authenticated, an error (SSHKIT_E_PERMISSION_DENIED...) to give up. */
int sk_client_auth_start(sshkit_client *c, struct sk_client_auth *a);
/* An authentication event: returns as sk_client_auth_start(). */
int sk_client_auth_event(sshkit_client *c, struct sk_client_auth *a, const sshkit_event *ev);

/* ---- client_open.c: channels for commands and shells ---- */

/* Copies opt->env into c->env; SSHKIT_E_INVALID_ARGUMENT for an entry
 * without "NAME=". */
int sk_client_copy_env(sshkit_client *c, const char *const *env);

/* Starts opening a channel for op (its command or shell fields set). */
int sk_open_op_start(sshkit_client *c, struct sk_open_op *op);
/* Moves op on by its channel's state; its result once known. */
int sk_open_op_advance(struct sk_open_op *op);
/* An event: moves op on when it is about op's channel. */
void sk_open_op_event(struct sk_open_op *op, const sshkit_event *ev);
/* Ends op; frees its channel unless taken (op->ch set to NULL). */
void sk_open_op_clear(struct sk_open_op *op);

/* ---- client_run.c ---- */

/* An event for the run in progress (its channel being opened). */
void sk_run_op_event(sshkit_client *c, const sshkit_event *ev);
/* Ends the run in progress, freeing what it holds. */
void sk_run_op_clear(struct sk_run_op *run);

/* ---- client_io.c ---- */

/* Forgets every write in progress. */
void sk_client_writes_free(sshkit_client *c);

/* A channel's exit status (0..255, -1 for none) and signal name. */
void sk_client_exit_of(const sshkit_channel *ch, int *status, char *signal, size_t cap);

#endif
