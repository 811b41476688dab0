/* sshkit-sshd: the server, its connections, and the parts that work on
 * them (listeners.c, loop.c, conn.c, conn_events.c, auth.c,
 * authorized_keys.c, password.c, daemon.c). */
#ifndef SSHKIT_SSHD_SERVER_H
#define SSHKIT_SSHD_SERVER_H

#include <signal.h>
#include <stdbool.h>
#include <sshkit.h>
#include <sshkit/auth.h>

#include "config.h"

#define SSHD_EXIT_CONFIG 255     /* bad options or configuration, as sshd */
#define SSHD_MAX_HOST_KEYS 8
#define SSHD_MAX_LISTENERS 32
#define SSHD_ADDR_MAX 64        /* a numeric address */

/* What auth.c keeps per connection. */
struct conn_auth {
    const char *method;         /* the last method a callback accepted */
    char key_desc[160];         /* "ED25519 SHA256:...", for a public key */
    /* The authorized_keys line of the key that was accepted, with its
     * options (command=, no-pty, permitopen...) for the connection layer. */
    sshkit_authorized_key *key_line;
    sshkit_authorized_key *candidate;  /* the line of the last key accepted */
    bool user_checked;          /* "Invalid user" logged once */
    const char *prompt[1];      /* keyboard-interactive's one round */
    bool echo[1];
};

/* One client connection, from accept() to close(). */
struct conn {
    struct conn *next;
    struct sshd_server *srv;
    unsigned long id;
    int fd;
    sshkit_session *session;
    char addr[SSHD_ADDR_MAX];   /* the peer, numeric */
    unsigned port;
    char label[SSHD_ADDR_MAX + 16]; /* "ADDR port P" for log lines */
    unsigned want;              /* SSHKIT_WANT_* from the last step */
    bool authenticated;
    bool closed;                /* finished: to be freed by the loop */
    bool again;                 /* events may be left: step again without waiting */
    struct conn_auth auth;
    /* The connection layer (channels: exec, shell, pty, subsystems) hangs
     * its per-connection state here once the user is in; see conn_events.c
     * (on_authenticated) and loop.c (extra descriptors). NULL until then. */
    void *channels;
    size_t slot;                /* its socket's index in this pass's poll set */
};

struct listener {
    int fd;
    char desc[SSHD_ADDR_MAX + 16];
};

struct sshd_server {
    struct sshd_config *cfg;
    sshkit_key *host_keys[SSHD_MAX_HOST_KEYS];
    size_t host_key_count;
    struct listener listeners[SSHD_MAX_LISTENERS];
    size_t listener_count;
    struct conn *conns;
    size_t conn_count;
    size_t unauth_count;        /* connections not yet authenticated (MaxStartups) */
    unsigned long next_id;
    char *banner;               /* Banner's text, NULL for none */
    char *user;                 /* the user the server runs as: the only one who logs in */
    char *home;                 /* its home: $HOME, else the password database's */
    char *shell;                /* its login shell (the password database's), /bin/sh if none */
};

/* Set by signal handlers (daemon.c), read by the loop. */
extern volatile sig_atomic_t sshd_stop_signal;
extern volatile sig_atomic_t sshd_hup_signal;

/* listeners.c: opens a socket per ListenAddress x Port; 0 or -1 (logged). */
int listeners_open(struct sshd_server *srv);
void listeners_close(struct sshd_server *srv);

/* loop.c: serves until SIGTERM or SIGINT; then ends every connection. */
void loop_run(struct sshd_server *srv);

/* conn.c */
struct conn *conn_new(struct sshd_server *srv, int fd);
void conn_step(struct conn *c);          /* runs the session; may set c->closed */
void conn_shutdown(struct conn *c, const char *why);  /* DISCONNECT, flushed briefly */
void conn_free(struct conn *c);

/* conn_events.c: one event from the session. */
void conn_handle_event(struct conn *c, const sshkit_event *ev);

/* auth.c: the callbacks for a connection, and their state's end. */
void auth_setup(struct conn *c, sshkit_server_auth *out);
void auth_release(struct conn_auth *a);

/* authorized_keys.c: the line of an AuthorizedKeysFile that lets key in
 * from addr (caller frees it), or NULL. */
sshkit_authorized_key *authorized_keys_find(const struct sshd_server *srv, const char *addr,
                                            const sshkit_key *key);

/* password.c: whether password is user's in PasswordFile. Always hashes
 * once, also for unknown or invalid users (valid == false). */
bool password_check(const char *file, const char *user, bool valid, const char *password);

/* daemon.c */
void signals_setup(void);
int daemonize(void);                     /* 0 in the child; the parent exits */
void pidfile_write(const char *path);
void pidfile_remove(const char *path);

#endif
