/* sshkit-ssh: port forwarding's listeners and connections (fwd.c,
 * fwd_listen.c), driven by the session's poll loops (relay.c for a
 * session, stay.c for -N) the way agent forwarding is. */
#ifndef SSHKIT_SSH_FWD_H
#define SSHKIT_SSH_FWD_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "chan_relay.h"
#include "ssh.h"

#define FWD_MAX_LISTENERS 64        /* listening sockets (a spec may bind several addresses) */
#define FWD_MAX_LINKS 256           /* forwarded connections at once */
#define FWD_POLL_MAX (FWD_MAX_LISTENERS + FWD_MAX_LINKS)

struct fwd_listener {
    int fd;
    const struct fwd_spec *spec;    /* the options' */
};

/* A SOCKS request being read (-D), until its channel opens. */
struct fwd_socks {
    uint8_t buf[600];               /* the longest valid request fits */
    size_t len;
    uint8_t version;                /* 4 or 5 */
    bool greeted;                   /* SOCKS5: the method was chosen */
    char host[256];
    unsigned port;
};

/* One forwarded connection: its socket and channel. */
struct fwd_link {
    struct chan_relay relay;        /* relay.ch NULL while a SOCKS request is read */
    unsigned id;                    /* for messages ("channel N") */
    struct fwd_socks *socks;        /* -D: until the channel opens; NULL otherwise */
};

/* One -R forwarding asked of the server. */
struct fwd_remote {
    const struct fwd_spec *spec;    /* the options' */
    unsigned port;                  /* the port the server listens on (allocated for 0) */
    bool granted;
};

struct fwd {
    const struct ssh_options *opt;
    sshkit_session *s;
    struct fwd_listener listeners[FWD_MAX_LISTENERS];
    size_t listener_count;
    struct fwd_link *links[FWD_MAX_LINKS];
    size_t link_count;
    unsigned next_id;
    struct fwd_remote remotes[SSH_MAX_FORWARDS];
    size_t remote_count;
    size_t answered;                /* remotes whose answer came (answers come in order) */
};

/* Sets up the local listeners of o's -L forwardings, with ssh's messages
 * for those that cannot listen; NULL when there is nothing to forward. */
struct fwd *fwd_new(const struct ssh_options *o, sshkit_session *s);
/* Takes the event when it is about a forwarded channel. */
bool fwd_event(struct fwd *f, const sshkit_event *ev);
/* Accepts waiting connections and moves what can move; whether anything did. */
bool fwd_pump(struct fwd *f);
/* Fills poll entries (FWD_POLL_MAX at most); how many. */
size_t fwd_poll(struct fwd *f, struct pollfd *p);
/* Closes every listener and connection (f may be NULL). */
void fwd_free(struct fwd *f);

/* fwd_remote.c: -R. Asks the server for each remote forwarding (answers
 * come as events); takes the answers and the forwarded-tcpip channels the
 * server opens (connecting to the forward's destination). */
void fwd_remote_request(struct fwd *f);
bool fwd_remote_event(struct fwd *f, const sshkit_event *ev);
/* Adds a relay for an accepted or opened channel and its socket. */
bool fwd_add_link(struct fwd *f, sshkit_channel *ch, int fd, bool opened);

/* fwd_socks.c: reads what fd holds of a SOCKS request; 1 when complete
 * (k->host, k->port), 0 for more, -1 for a bad request or a closed socket. */
int fwd_socks_read(struct fwd_socks *k, int fd);
/* The reply to send (at most 10 bytes into out). */
void fwd_socks_reply(const struct fwd_socks *k, bool ok, uint8_t *out, size_t *len);

/* fwd_listen.c: the listening sockets of one spec added to f; false (ssh's
 * messages printed) when none could be made. */
bool fwd_listen(struct fwd *f, const struct fwd_spec *spec);

#endif
