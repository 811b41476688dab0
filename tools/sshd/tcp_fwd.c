/* sshkit-sshd: direct-tcpip channels (RFC 4254 section 7.2), as sshd
 * serves ssh -L and ssh -W. The open is checked (tcp_policy.c), the
 * destination connected without waiting (each address in turn), and only
 * then is the channel accepted; a destination that cannot be reached is
 * refused with "connect failed" and the system's reason. Each connection
 * then has its own relay (chan_relay.c): its own buffers and the channel's
 * window, each direction ending on its own, closing without disturbing the
 * others. */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "chan_relay.h"
#include "log.h"
#include "tcp_fwd_internal.h"

#define TCP_FWD_MAX 256             /* forwarded connections at once, per client connection */
#define TCP_HOST_MAX 255            /* a DNS name's longest text form */

struct tcp_link {
    struct chan_relay relay;        /* relay.ch is the channel; relay.fd once connected */
    sshkit_channel *ch;
    struct addrinfo *addrs, *next_addr;
    int fd;                         /* the socket being connected; -1 once it relays */
    int last_errno;
    char *host;
    unsigned port;
};

struct tcp_fwd {
    struct tcp_link *links[TCP_FWD_MAX];
    size_t count;
    size_t slot;                    /* first poll entry in this pass */
    size_t polled;                  /* links with an entry in this pass */
    bool busy;                      /* the last pass moved bytes: pass again without waiting */
};

static struct tcp_fwd *fwd_of(const struct conn *c)
{
    const struct chans *t = c->channels;
    return t ? t->tcp : NULL;
}

/* A bounds-checked reader of the open's fields. */
struct rd {
    const uint8_t *p;
    size_t n;
    bool bad;
};

static uint32_t rd_u32(struct rd *r)
{
    if (r->bad || r->n < 4) {
        r->bad = true;
        return 0;
    }
    uint32_t v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 | (uint32_t)r->p[2] << 8 | r->p[3];
    r->p += 4;
    r->n -= 4;
    return v;
}

/* A string of at most max bytes without NULs, copied (free it); NULL when bad. */
static char *rd_text(struct rd *r, size_t max)
{
    uint32_t len = rd_u32(r);
    if (r->bad || len > r->n || len > max || memchr(r->p, 0, len)) {
        r->bad = true;
        return NULL;
    }
    char *s = strndup((const char *)r->p, len);
    r->p += len;
    r->n -= len;
    r->bad = s == NULL;
    return s;
}

static void link_free(struct tcp_link *l)
{
    if (l->fd >= 0)
        close(l->fd);
    if (l->addrs)
        freeaddrinfo(l->addrs);
    if (l->relay.ch)
        chan_relay_free(&l->relay);
    else
        sshkit_channel_free(l->ch);
    free(l->host);
    free(l);
}

static void drop(struct tcp_fwd *f, size_t i)
{
    link_free(f->links[i]);
    f->links[i] = f->links[--f->count];
}

static void refuse(sshkit_channel *ch, unsigned reason, const char *message)
{
    sshkit_channel_reject(ch, reason, message);
    sshkit_channel_free(ch);
}

/* Tries the addresses left until one connects or is on its way; false
 * when none is left (the channel then refused, the link to be dropped). */
static bool connect_next(struct conn *c, struct tcp_link *l)
{
    for (struct addrinfo *a; (a = l->next_addr) != NULL;) {
        l->next_addr = a->ai_next;
        l->fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (l->fd < 0) {
            l->last_errno = errno;
            continue;
        }
        if (connect(l->fd, a->ai_addr, a->ai_addrlen) == 0 || errno == EINPROGRESS)
            return true;
        l->last_errno = errno;
        close(l->fd);
        l->fd = -1;
    }
    log_verbose("%s: connect to %s port %u failed: %s", c->label, l->host, l->port,
                strerror(l->last_errno));
    sshkit_channel_reject(l->ch, SSHKIT_OPEN_CONNECT_FAILED, strerror(l->last_errno));
    return false;
}

/* The socket is connected: the channel is accepted and the relay starts. */
static void connected(struct conn *c, struct tcp_link *l)
{
    log_debug("%s: direct-tcpip to %s port %u connected", c->label, l->host, l->port);
    sshkit_channel_accept(l->ch);
    chan_relay_init(&l->relay, l->ch, l->fd, true);
    l->fd = -1;
    freeaddrinfo(l->addrs);
    l->addrs = l->next_addr = NULL;
}

/* Parses and checks the open; the link, or NULL (the channel refused). */
static struct tcp_link *link_new(struct conn *c, sshkit_channel *ch, const uint8_t *data,
                                 size_t len)
{
    struct rd r = { .p = data, .n = len };
    char *host = rd_text(&r, TCP_HOST_MAX);
    uint32_t port = rd_u32(&r);
    char *orig = rd_text(&r, TCP_HOST_MAX);
    uint32_t orig_port = rd_u32(&r);
    struct tcp_link *l = NULL;
    const char *why;
    if (r.bad || port > 65535 || orig_port > 65535 || host == NULL || *host == '\0') {
        log_verbose("%s: direct-tcpip open malformed", c->label);
        refuse(ch, SSHKIT_OPEN_CONNECT_FAILED, "malformed direct-tcpip open");
    } else if ((why = tcp_policy_refusal(c, host, port)) != NULL) {
        log_info("%s: refused local port forward to %s port %u (%s)", c->label, host, port, why);
        refuse(ch, SSHKIT_OPEN_ADMINISTRATIVELY_PROHIBITED, "open failed");
    } else if ((l = calloc(1, sizeof *l)) == NULL) {
        refuse(ch, SSHKIT_OPEN_RESOURCE_SHORTAGE, "out of memory");
    } else {
        log_debug("%s: direct-tcpip to %s port %u from %s port %u", c->label, host, port,
                  orig ? orig : "?", orig_port);
        *l = (struct tcp_link){ .ch = ch, .fd = -1, .host = host, .port = port };
        host = NULL;
    }
    free(host);
    free(orig);
    return l;
}

/* Resolves the destination (numeric addresses and local names at once;
 * a name needing DNS waits as sshd's does) and starts connecting. */
static bool link_start(struct conn *c, struct tcp_link *l)
{
    char service[8];
    snprintf(service, sizeof service, "%u", l->port);
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_NUMERICSERV };
    int rc = getaddrinfo(l->host, service, &hints, &l->addrs);
    if (rc != 0) {
        l->addrs = NULL;
        log_verbose("%s: direct-tcpip: %s: %s", c->label, l->host, gai_strerror(rc));
        sshkit_channel_reject(l->ch, SSHKIT_OPEN_CONNECT_FAILED, gai_strerror(rc));
        return false;
    }
    l->next_addr = l->addrs;
    l->last_errno = ECONNREFUSED;
    return connect_next(c, l);
}

/* The per-connection state, made on first use; NULL without memory. */
static struct tcp_fwd *fwd_make(struct conn *c)
{
    struct chans *t = channels_state(c);
    if (t && t->tcp == NULL)
        t->tcp = calloc(1, sizeof *t->tcp);
    return t ? t->tcp : NULL;
}

bool tcp_fwd_has_room(struct conn *c)
{
    struct tcp_fwd *f = fwd_make(c);
    return f && f->count < TCP_FWD_MAX;
}

void tcp_fwd_add_relay(struct conn *c, sshkit_channel *ch, int fd)
{
    struct tcp_fwd *f = fwd_make(c);
    struct tcp_link *l = f && f->count < TCP_FWD_MAX ? calloc(1, sizeof *l) : NULL;
    if (l == NULL) {
        close(fd);
        sshkit_channel_free(ch);
        return;
    }
    *l = (struct tcp_link){ .ch = ch, .fd = -1 };
    chan_relay_init(&l->relay, ch, fd, false);
    f->links[f->count++] = l;
}

void tcp_fwd_open(struct conn *c, sshkit_channel *ch, const uint8_t *data, size_t len)
{
    struct chans *t = c->channels;
    if (t->tcp == NULL && (t->tcp = calloc(1, sizeof *t->tcp)) == NULL) {
        refuse(ch, SSHKIT_OPEN_RESOURCE_SHORTAGE, "out of memory");
        return;
    }
    if (t->tcp->count == TCP_FWD_MAX) {
        log_verbose("%s: direct-tcpip refused: %d forwarded connections open", c->label,
                    TCP_FWD_MAX);
        refuse(ch, SSHKIT_OPEN_RESOURCE_SHORTAGE, "too many forwarded connections");
        return;
    }
    struct tcp_link *l = link_new(c, ch, data, len);
    if (l == NULL)
        return;
    t->tcp->links[t->tcp->count++] = l;
    if (!link_start(c, l))
        drop(t->tcp, t->tcp->count - 1);
}

bool tcp_fwd_event(struct conn *c, const sshkit_event *ev)
{
    struct tcp_fwd *f = fwd_of(c);
    sshkit_channel *ch = ev->type == SSHKIT_EVENT_CHANNEL_REQUEST ? ev->u.request.channel
                                                                  : ev->u.channel.channel;
    for (size_t i = 0; f && i < f->count; i++) {
        struct tcp_link *l = f->links[i];
        if (l->ch != ch)
            continue;
        if (l->relay.ch && chan_relay_event(&l->relay, ev) && chan_relay_finished(&l->relay))
            drop(f, i);
        if (ev->type == SSHKIT_EVENT_CHANNEL_OPEN_FAILED)
            log_verbose("%s: the client refused a forwarded connection: %s", c->label,
                        ev->u.channel.message ? ev->u.channel.message : "");
        return true;
    }
    return false;
}

size_t tcp_fwd_poll_count(const struct conn *c)
{
    const struct tcp_fwd *f = fwd_of(c);
    return f ? f->count : 0;
}

size_t tcp_fwd_poll_fill(struct conn *c, struct pollfd *pfds, size_t base)
{
    struct tcp_fwd *f = fwd_of(c);
    if (f == NULL)
        return 0;
    f->slot = base;
    f->polled = f->count;
    for (size_t i = 0; i < f->count; i++) {
        struct tcp_link *l = f->links[i];
        short ev = l->relay.ch ? chan_relay_events(&l->relay) : POLLOUT;
        int fd = l->relay.ch ? l->relay.fd : l->fd;
        pfds[base + i] = (struct pollfd){ .fd = ev ? fd : -1, .events = ev };
    }
    return f->count;
}

/* A connection in progress is ready: made, or on to the next address. */
static bool connect_done(struct conn *c, struct tcp_link *l)
{
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(l->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
        err = errno;
    if (err == 0) {
        connected(c, l);
        return true;
    }
    l->last_errno = err;
    close(l->fd);
    l->fd = -1;
    return connect_next(c, l);
}

bool tcp_fwd_poll_done(struct conn *c, const struct pollfd *pfds)
{
    struct tcp_fwd *f = fwd_of(c);
    if (f == NULL)
        return false;
    const struct pollfd *p = pfds + f->slot;
    bool any = false;
    /* Every relay is pumped, ready or not: a pump moves a bounded amount,
     * and channel data left unread raises no new event. */
    for (size_t i = 0; i < f->count; i++) {
        struct tcp_link *l = f->links[i];
        bool ready = i < f->polled && p[i].fd >= 0 && p[i].revents != 0;
        if (l->relay.ch) {
            any |= chan_relay_pump(&l->relay);
        } else if (ready) {
            connect_done(c, l);     /* a refusal leaves fd -1: dropped below */
            any = true;
        }
    }
    f->busy = any;
    for (size_t i = 0; i < f->count;) {
        struct tcp_link *l = f->links[i];
        bool over = l->relay.ch ? chan_relay_finished(&l->relay) : l->fd < 0;
        if (over)
            drop(f, i);
        else
            i++;
    }
    return any;
}

bool tcp_fwd_busy(const struct conn *c)
{
    const struct tcp_fwd *f = fwd_of(c);
    return f && f->busy;
}

void tcp_fwd_free(struct conn *c)
{
    struct chans *t = c->channels;
    struct tcp_fwd *f = t ? t->tcp : NULL;
    if (f == NULL)
        return;
    while (f->count)
        drop(f, f->count - 1);
    free(f);
    t->tcp = NULL;
}
