/* sshkit-ssh -L: each connection accepted on a forwarding's listener gets
 * its own channel (direct-tcpip to host:port, or direct-streamlocal to a
 * path) and its own relay (chan_relay.c: buffers, the channel's window,
 * each direction ending on its own), so one closing or stalling leaves the
 * others alone. A refused channel closes its connection with ssh's
 * "channel N: open failed" message; the others go on. */
#include <errno.h>
#include <string.h>
#include <netdb.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fwd.h"

#define ACCEPTS_PER_PUMP 16

struct fwd *fwd_new(const struct ssh_options *o, sshkit_session *s)
{
    size_t used = 0;
    for (size_t i = 0; i < o->forwards.count; i++)
        used += o->forwards.items[i].kind != 'W';
    if (used == 0)
        return NULL;
    struct fwd *f = calloc(1, sizeof *f);
    if (f == NULL)
        return NULL;
    f->opt = o;
    f->s = s;
    sshkit_session_set_max_channels(s, FWD_MAX_LINKS + 64 + 8);  /* and agent, session */
    for (size_t i = 0; i < o->forwards.count; i++)
        if (o->forwards.items[i].kind == 'L' || o->forwards.items[i].kind == 'D')
            fwd_listen(f, &o->forwards.items[i]);
    fwd_remote_request(f);
    return f;
}

static void drop(struct fwd *f, size_t i)
{
    free(f->links[i]->socks);
    chan_relay_free(&f->links[i]->relay);
    free(f->links[i]);
    f->links[i] = f->links[--f->link_count];
}

/* The channel for one accepted connection; false when it cannot be opened. */
static bool open_channel(struct fwd *f, const struct fwd_spec *spec, int fd, sshkit_channel **ch)
{
    if (spec->connect_path)
        return direct_streamlocal_open(f->s, spec->connect_path, ch) == 0;
    struct sockaddr_storage peer;
    socklen_t len = sizeof peer;
    char addr[NI_MAXHOST] = "127.0.0.1", port[NI_MAXSERV] = "0";
    if (getpeername(fd, (struct sockaddr *)&peer, &len) == 0 && peer.ss_family != AF_UNIX)
        getnameinfo((struct sockaddr *)&peer, len, addr, sizeof addr, port, sizeof port,
                    NI_NUMERICHOST | NI_NUMERICSERV);
    return direct_tcpip_open(f->s, spec->connect_host, spec->connect_port, addr,
                             (unsigned)atoi(port), ch) == 0;
}

bool fwd_add_link(struct fwd *f, sshkit_channel *ch, int fd, bool opened)
{
    struct fwd_link *link = f->link_count < FWD_MAX_LINKS ? calloc(1, sizeof *link) : NULL;
    if (link == NULL)
        return false;
    chan_relay_init(&link->relay, ch, fd, opened);
    link->id = f->next_id++;
    f->links[f->link_count++] = link;
    return true;
}

/* -D: the link waits for its SOCKS request, without a channel yet. */
static void accept_socks(struct fwd *f, int fd)
{
    struct fwd_link *link = calloc(1, sizeof *link);
    if (link == NULL || (link->socks = calloc(1, sizeof *link->socks)) == NULL) {
        free(link);
        close(fd);
        return;
    }
    chan_relay_init(&link->relay, NULL, fd, false);
    link->id = f->next_id++;
    f->links[f->link_count++] = link;
}

/* Reads the SOCKS request; once whole, opens its channel. False when the
 * link is to be dropped. */
static bool socks_step(struct fwd *f, struct fwd_link *link)
{
    struct fwd_socks *k = link->socks;
    int rc = fwd_socks_read(k, link->relay.fd);
    if (rc == 0)
        return true;
    sshkit_channel *ch;
    if (rc < 0) {
        log_at(SSH_LOG_DEBUG1, "channel %u: bad SOCKS request: closed", link->id);
        return false;
    }
    log_at(SSH_LOG_DEBUG1, "channel %u: dynamic request: socks%u host %s port %u", link->id,
           k->version, k->host, k->port);
    if (direct_tcpip_open(f->s, k->host, k->port, "127.0.0.1", 0, &ch) != 0) {
        uint8_t reply[10];
        size_t n;
        fwd_socks_reply(k, false, reply, &n);
        send(link->relay.fd, reply, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        return false;
    }
    link->relay.ch = ch;
    return true;
}

/* The SOCKS reply once the channel's fate is known: success goes ahead of
 * the relayed bytes, failure straight out before the socket closes. */
static void socks_answer(struct fwd_link *link, const sshkit_event *ev)
{
    struct fwd_socks *k = link->socks;
    if (k == NULL || link->relay.ch == NULL || ev->u.channel.channel != link->relay.ch)
        return;
    uint8_t reply[10];
    size_t n;
    if (ev->type == SSHKIT_EVENT_CHANNEL_OPENED) {
        fwd_socks_reply(k, true, reply, &n);
        memcpy(link->relay.to_fd.data, reply, n);
        link->relay.to_fd.off = 0;
        link->relay.to_fd.len = n;
    } else if (ev->type == SSHKIT_EVENT_CHANNEL_OPEN_FAILED) {
        fwd_socks_reply(k, false, reply, &n);
        send(link->relay.fd, reply, n, MSG_NOSIGNAL | MSG_DONTWAIT);
    } else {
        return;
    }
    free(k);
    link->socks = NULL;
}

static void accept_one(struct fwd *f, const struct fwd_listener *l, int fd)
{
    sshkit_channel *ch;
    if (l->spec->kind == 'D') {
        accept_socks(f, fd);
        return;
    }
    if (!open_channel(f, l->spec, fd, &ch)) {
        log_at(SSH_LOG_ERROR, "ssh: cannot open a channel for a forwarded connection");
        close(fd);
        return;
    }
    fwd_add_link(f, ch, fd, false);     /* room was checked before accepting */
    log_at(SSH_LOG_DEBUG1, "Connection to port %u forwarding to %s port %u requested.",
           l->spec->listen_port, l->spec->connect_host ? l->spec->connect_host : l->spec->connect_path,
           l->spec->connect_port);
}

static bool accept_waiting(struct fwd *f)
{
    bool any = false;
    for (size_t i = 0; i < f->listener_count; i++) {
        for (int n = 0; n < ACCEPTS_PER_PUMP && f->link_count < FWD_MAX_LINKS; n++) {
            int fd = accept(f->listeners[i].fd, NULL, NULL);   /* chan_relay_init: non-blocking */
            if (fd < 0)
                break;
            accept_one(f, &f->listeners[i], fd);
            any = true;
        }
    }
    return any;
}

bool fwd_event(struct fwd *f, const sshkit_event *ev)
{
    if (fwd_remote_event(f, ev))
        return true;
    for (size_t i = 0; f && i < f->link_count; i++) {
        struct fwd_link *link = f->links[i];
        if (link->relay.ch == NULL)
            continue;
        socks_answer(link, ev);
        if (!chan_relay_event(&link->relay, ev))
            continue;
        if (ev->type == SSHKIT_EVENT_CHANNEL_OPEN_FAILED)
            log_at(SSH_LOG_ERROR, "channel %u: open failed: %s: %s", link->id,
                   open_failure_text(ev->u.channel.reason),
                   ev->u.channel.message ? ev->u.channel.message : "");
        if (chan_relay_finished(&link->relay))
            drop(f, i);
        return true;
    }
    return false;
}

bool fwd_pump(struct fwd *f)
{
    if (f == NULL)
        return false;
    bool moved = accept_waiting(f);
    for (size_t i = 0; i < f->link_count;) {
        struct fwd_link *link = f->links[i];
        if (link->relay.ch == NULL) {
            if (socks_step(f, link)) {
                i++;
            } else {
                drop(f, i);
                moved = true;
            }
            continue;
        }
        moved |= chan_relay_pump(&link->relay);
        if (chan_relay_finished(&link->relay))
            drop(f, i);
        else
            i++;
    }
    return moved;
}

size_t fwd_poll(struct fwd *f, struct pollfd *p)
{
    if (f == NULL)
        return 0;
    size_t n = 0;
    bool room = f->link_count < FWD_MAX_LINKS;
    for (size_t i = 0; i < f->listener_count; i++)
        p[n++] = (struct pollfd){ .fd = room ? f->listeners[i].fd : -1, .events = POLLIN };
    for (size_t i = 0; i < f->link_count; i++) {
        short ev = f->links[i]->relay.ch ? chan_relay_events(&f->links[i]->relay) : POLLIN;
        p[n++] = (struct pollfd){ .fd = ev ? f->links[i]->relay.fd : -1, .events = ev };
    }
    return n;
}

void fwd_free(struct fwd *f)
{
    if (f == NULL)
        return;
    while (f->link_count)
        drop(f, f->link_count - 1);
    for (size_t i = 0; i < f->listener_count; i++) {
        close(f->listeners[i].fd);
        if (f->listeners[i].spec->listen_path)
            unlink(f->listeners[i].spec->listen_path);
    }
    free(f);
}
