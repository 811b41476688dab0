/* sshkit-ssh: the relay between stdio and a session channel, shared by
 * relay.c (the poll loop and events), relay_io.c (moving bytes) and
 * escape.c (~. and ~~ on a pty). */
#ifndef SSHKIT_SSH_RELAY_H
#define SSHKIT_SSH_RELAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssh.h"

/* Bytes held per direction: stdin to the channel, the channel to stdout
 * and to stderr. */
#define RELAY_BUF (64u << 10)

struct relay_buf {
    size_t off, len;            /* data[off..len) waits to be written */
    uint8_t data[RELAY_BUF];
};

struct relay {
    const struct ssh_options *opt;
    sshkit_session *s;
    int fd;                     /* the connection */
    const char *addr;
    sshkit_channel *ch;
    struct agent_fwd *agent;    /* -A: the agent channels (agent_fwd.c), or NULL */
    struct fwd *fwd;            /* -L: forwarded connections (fwd.c), or NULL */
    unsigned want;              /* what the session waits for (SSHKIT_WANT_*) */
    int signal_fd;
    struct relay_buf in;        /* read from stdin, not yet taken by the channel */
    struct relay_buf out[2];    /* from the channel's streams 0 and 1, for fds 1 and 2 */
    bool stdin_open;            /* stdin has not ended */
    bool eof_sent;
    bool window_shut;           /* the channel took nothing: wait for WRITABLE */
    bool out_broken[2];         /* writing fd 1 or 2 failed: that output is dropped */
    bool stream_done[2];        /* the channel's stream has ended */
    bool closed;                /* CHANNEL_CLOSED came */
    bool pty_pending;           /* the pty-req's answer is awaited */
    bool request_pending;       /* the exec's or shell's answer is awaited */
    const char *request;        /* "exec" or "shell" */
    bool escapes;               /* ~. and ~~ are recognised (a pty session) */
    bool line_start;            /* escape state: the last byte ended a line */
    bool tilde_held;            /* escape state: a '~' at a line start, held back */
    bool ended;                 /* stop now: the connection ended, ~., a signal, a refusal */
    bool lost;                  /* the connection ended (reported) */
    bool fatal;                 /* a refusal or a signal: leave without ssh's closing words */
};

/* relay.c: runs until the channel closes or the relay ends; the terminal
 * and stdio modes are restored on return. */
void relay_run(struct relay *r);

/* relay_io.c */
/* Moves what can move without waiting: channel to buffers to fds 1 and
 * 2, stdin's buffer to the channel, EOF after stdin's end. Whether any
 * byte moved. */
bool relay_pump(struct relay *r);
/* Reads stdin into its (empty) buffer. */
void relay_read_stdin(struct relay *r);
/* Writes what is left for fds 1 and 2, waiting as needed (at the end). */
void relay_flush(struct relay *r);

/* escape.c: copies n typed bytes to out (room for 2 n), acting on escapes;
 * returns how many were copied. */
size_t escape_filter(struct relay *r, const uint8_t *in, size_t n, uint8_t *out);

#endif
