/* sshkit-sshd's connection layer: session channels (channels.c), their
 * requests (requests.c), the commands they run (child.c), pseudo-terminals
 * (pty.c) and the bytes moved between the two (relay.c). */
#ifndef SSHKIT_SSHD_CHANNELS_H
#define SSHKIT_SSHD_CHANNELS_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <termios.h>

#include "server.h"

#define SESS_BUF 32768              /* bytes held per direction and stream */
#define SESS_MAX_COMMAND (128u << 10)  /* Linux's longest argument (MAX_ARG_STRLEN) */
#define SESS_MAX_ENV 64
#define SESS_POLL_SLOTS 3           /* poll entries per session: in, out, err */

/* Bytes read from a child, waiting for the channel's window. */
struct sess_buf {
    uint8_t data[SESS_BUF];
    size_t off, len;
};

/* One session channel and what runs behind it. */
struct sess {
    struct sess *next;
    struct conn *c;
    sshkit_channel *ch;
    unsigned id;                /* per connection, for log lines */
    pid_t pid;                  /* the child; 0 before it starts */
    int wstatus;                /* its wait status, once exited */
    bool started, exited, finished;
    int fd_in;                  /* the child's stdin (pipe, or the pty master); -1 closed */
    int fd_out[2];              /* its stdout and stderr; -1 once at EOF */
    int slot;                   /* first poll index in this pass, or -1 */
    struct sess_buf out[2];     /* child output not yet taken by the channel */
    uint8_t in[SESS_BUF];       /* client data not yet taken by the child */
    size_t in_off, in_len;
    bool in_closed;             /* the child's stdin is closed: drop client data */
    /* pty-req */
    int master, slave;          /* -1 without a pty */
    char tty[64];               /* "/dev/pts/N" */
    char *term;
    struct isftp *sftp;         /* internal-sftp (sftp.c), or NULL */
    /* env requests accepted: "NAME=value" */
    char *env[SESS_MAX_ENV];
    size_t env_count;
};

struct agent_fwd;
struct tcp_fwd;
struct tcp_remote;

/* Per connection (struct conn's channels). */
struct chans {
    struct sess *list;
    unsigned count;             /* session channels open (MaxSessions) */
    unsigned next_id;
    struct agent_fwd *agent;    /* agent forwarding (agent_fwd.c), or NULL */
    struct tcp_fwd *tcp;        /* forwarded connections (tcp_fwd.c), or NULL */
    struct tcp_remote *remote;  /* tcpip-forward listeners (tcp_remote.c), or NULL */
};

/* channels.c: the events of an authenticated connection. */
struct chans *channels_state(struct conn *c);   /* made on first use; NULL without memory */
bool channels_handle_event(struct conn *c, const sshkit_event *ev);
void channels_free(struct conn *c);         /* kills what still runs */
bool channels_busy(const struct conn *c);  /* work left that needs no waiting */
size_t channels_poll_count(const struct conn *c);
size_t channels_poll_fill(struct conn *c, struct pollfd *pfds);
bool channels_poll_done(struct conn *c, const struct pollfd *pfds);
void sess_free(struct sess *s);

/* requests.c */
void requests_handle(struct sess *s, const char *type, bool want_reply, const uint8_t *data,
                     size_t len);

/* child.c */
int child_sigchld_setup(void);              /* the self-pipe's read end, or -1 */
void child_reap(struct sshd_server *srv);   /* after the self-pipe woke us */
int child_start(struct sess *s, const char *command, const char *original, bool login);
const char *child_signal_name(int sig);     /* "TERM"; NULL for others */
int child_signal_number(const char *name);  /* 0 for unknown names */

/* pty.c */
int pty_open(struct sess *s, const char *term, const struct winsize *ws, const uint8_t *modes,
             size_t modes_len);
int pty_resize(struct sess *s, const struct winsize *ws);
void pty_close(struct sess *s);

/* sftp.c: internal-sftp, in this process */
bool sftp_is_internal(const char *command);        /* "internal-sftp [options]" */
int sftp_start(struct sess *s, const char *command);   /* 0, or -1 (logged) */
int sftp_start_refusal(struct sess *s);             /* ForceCommand internal-sftp, not sftp */
void sftp_pump(struct sess *s);                     /* on the channel's events */
bool sftp_wants_run(const struct sess *s);          /* work left: pump again without waiting */
void sftp_free(struct sess *s);

/* relay.c */
void relay_from_child(struct sess *s, int stream);
void relay_to_child(struct sess *s);
void relay_finish(struct sess *s);          /* exit status, EOF, CLOSE when all is out */

#endif
