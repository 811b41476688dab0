/* Agent forwarding, the server's side, as OpenSSH's sshd does it: a
 * session's auth-agent-req@openssh.com makes a listening socket in a
 * private directory (/tmp/ssh-XXXXXX, mode 0700, the socket 0600)
 * for its connection; every session started afterwards gets it as
 * SSH_AUTH_SOCK. Each program that connects gets an auth-agent@openssh.com
 * channel to the client, and the relay (chan_relay.c) moves the bytes. The
 * socket and its directory go with the connection. AllowAgentForwarding
 * and the key's no-agent-forwarding (or restrict) refuse the request. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent_fwd.h"
#include "chan_relay.h"
#include "log.h"
#include "unix_socket.h"

#define AGENT_FWD_MAX 64            /* agent connections at once, per client connection */
#define ACCEPTS_PER_WAKE 8

struct agent_fwd {
    char dir[64];                   /* the private directory */
    char path[96];                  /* the socket in it */
    int listen_fd;
    size_t slot;                    /* first poll entry in this pass */
    size_t polled;                  /* relays with an entry in this pass */
    struct chan_relay *relays[AGENT_FWD_MAX];
    size_t count;
};

static struct agent_fwd *fwd_of(const struct conn *c)
{
    const struct chans *t = c->channels;
    return t ? t->agent : NULL;
}

/* Whether the accepted key's options allow forwarding (OpenSSH's
 * no-agent-forwarding; restrict unless agent-forwarding follows). */
static bool key_allows(const struct conn *c)
{
    const sshkit_authorized_key *ak = c->auth.key_line;
    if (ak == NULL)
        return true;
    if (sshkit_authorized_key_find_option(ak, "no-agent-forwarding", 0) >= 0)
        return false;
    return sshkit_authorized_key_find_option(ak, "restrict", 0) < 0 ||
           sshkit_authorized_key_find_option(ak, "agent-forwarding", 0) >= 0;
}

/* The directory and the listening socket in it. */
static struct agent_fwd *fwd_new(const struct conn *c)
{
    struct agent_fwd *f = calloc(1, sizeof *f);
    if (f == NULL)
        return NULL;
    snprintf(f->dir, sizeof f->dir, "/tmp/ssh-XXXXXX");
    if (mkdtemp(f->dir) == NULL) {
        log_error("%s: agent forwarding: mkdtemp: %s", c->label, strerror(errno));
        free(f);
        return NULL;
    }
    snprintf(f->path, sizeof f->path, "%s/agent.%ld", f->dir, (long)getpid());
    mode_t old = umask(0177);
    f->listen_fd = unix_listen(f->path, 16);
    umask(old);
    if (f->listen_fd < 0) {
        log_error("%s: agent forwarding: %s: %s", c->label, f->path, strerror(errno));
        rmdir(f->dir);
        free(f);
        return NULL;
    }
    return f;
}

bool agent_fwd_request(struct sess *s)
{
    struct conn *c = s->c;
    struct chans *t = c->channels;
    if (!c->srv->cfg->allow_agent_forwarding || !key_allows(c)) {
        log_verbose("%s: agent forwarding refused%s", c->label,
                    c->srv->cfg->allow_agent_forwarding ? " by the key's options" : "");
        return false;
    }
    if (t->agent == NULL && (t->agent = fwd_new(c)) != NULL)
        log_debug("%s: agent forwarding on %s", c->label, t->agent->path);
    return t->agent != NULL;
}

const char *agent_fwd_socket(const struct conn *c)
{
    const struct agent_fwd *f = fwd_of(c);
    return f ? f->path : NULL;
}

static void drop(struct agent_fwd *f, size_t i)
{
    chan_relay_free(f->relays[i]);
    free(f->relays[i]);
    f->relays[i] = f->relays[--f->count];
}

bool agent_fwd_event(struct conn *c, const sshkit_event *ev)
{
    struct agent_fwd *f = fwd_of(c);
    for (size_t i = 0; f && i < f->count; i++) {
        if (!chan_relay_event(f->relays[i], ev))
            continue;
        if (ev->type == SSHKIT_EVENT_CHANNEL_OPEN_FAILED)
            log_debug("%s: the client refused an agent channel: %s", c->label,
                      ev->u.channel.message ? ev->u.channel.message : "");
        if (chan_relay_finished(f->relays[i]))
            drop(f, i);
        return true;
    }
    return false;
}

size_t agent_fwd_poll_count(const struct conn *c)
{
    const struct agent_fwd *f = fwd_of(c);
    return f ? 1 + f->count : 0;
}

size_t agent_fwd_poll_fill(struct conn *c, struct pollfd *pfds, size_t base)
{
    struct agent_fwd *f = fwd_of(c);
    if (f == NULL)
        return 0;
    f->slot = base;
    f->polled = f->count;
    struct pollfd *p = pfds + base;
    bool room = f->count < AGENT_FWD_MAX;
    p[0] = (struct pollfd){ .fd = room ? f->listen_fd : -1, .events = POLLIN };
    for (size_t i = 0; i < f->count; i++) {
        short ev = chan_relay_events(f->relays[i]);
        p[1 + i] = (struct pollfd){ .fd = ev ? f->relays[i]->fd : -1, .events = ev };
    }
    return 1 + f->count;
}

/* A program connected to the socket: a channel to the client for it. */
static void accept_one(struct conn *c, struct agent_fwd *f, int fd)
{
    sshkit_channel *ch;
    struct chan_relay *r = malloc(sizeof *r);
    if (r == NULL || sshkit_channel_open_agent(c->session, &ch) != 0) {
        log_debug("%s: cannot open an agent channel", c->label);
        free(r);
        close(fd);
        return;
    }
    chan_relay_init(r, ch, fd, false);
    f->relays[f->count++] = r;
}

bool agent_fwd_poll_done(struct conn *c, const struct pollfd *pfds)
{
    struct agent_fwd *f = fwd_of(c);
    if (f == NULL)
        return false;
    const struct pollfd *p = pfds + f->slot;
    bool any = false;
    for (size_t i = 0; i < f->polled && i < f->count; i++)
        if (p[1 + i].fd >= 0 && p[1 + i].revents)
            any |= chan_relay_pump(f->relays[i]);
    for (size_t i = 0; i < f->count;) {
        if (chan_relay_finished(f->relays[i]))
            drop(f, i);
        else
            i++;
    }
    for (int n = 0; p[0].fd >= 0 && p[0].revents && n < ACCEPTS_PER_WAKE; n++) {
        int fd = accept(f->listen_fd, NULL, NULL);   /* chan_relay_init makes it non-blocking */
        if (fd < 0)
            break;
        if (f->count == AGENT_FWD_MAX) {
            close(fd);
            break;
        }
        accept_one(c, f, fd);
        any = true;
    }
    return any;
}

void agent_fwd_free(struct conn *c)
{
    struct chans *t = c->channels;
    struct agent_fwd *f = t ? t->agent : NULL;
    if (f == NULL)
        return;
    while (f->count)
        drop(f, f->count - 1);
    close(f->listen_fd);
    unlink(f->path);
    rmdir(f->dir);
    free(f);
    t->agent = NULL;
}
