/* The event loop: one poll() over the listeners and every connection, a
 * tick at least every second for the sessions' timers (LoginGraceTime,
 * rekeying by time), MaxStartups at accept time. One process serves all;
 * the sessions' children (channels.c) add their pipes or ptys to the poll
 * set after their connection's socket, and SIGCHLD comes through a pipe. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "channels.h"
#include "log.h"
#include "server.h"

#define TICK_MS 1000
#define ACCEPTS_PER_WAKE 32

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* MaxStartups start:rate:full: past start unauthenticated connections,
 * refuse rate% of new ones, rising linearly to 100% at full. */
static bool startups_refuse(const struct sshd_server *srv)
{
    const struct sshd_config *cfg = srv->cfg;
    long n = (long)srv->unauth_count, begin = cfg->max_startups_begin;
    long full = cfg->max_startups_full, rate = cfg->max_startups_rate;
    if (n >= full)
        return true;
    if (n < begin)
        return false;
    long p = rate + (100 - rate) * (n - begin) / (full - begin);
    return random() % 100 < p;
}

static void accept_from(struct sshd_server *srv, const struct listener *l)
{
    for (int i = 0; i < ACCEPTS_PER_WAKE; i++) {
        int fd;
        if (sshkit_accept(l->fd, &fd, 0) != 0)
            return;
        if (startups_refuse(srv)) {
            log_info("drop connection #%zu on %s past MaxStartups", srv->unauth_count, l->desc);
            close(fd);
            continue;
        }
        sshkit_set_nonblocking(fd);
        struct conn *c = conn_new(srv, fd);
        if (c == NULL)
            continue;
        c->next = srv->conns;
        srv->conns = c;
        srv->conn_count++;
        srv->unauth_count++;
        conn_step(c);           /* sends the version line and KEXINIT */
    }
}

/* Frees the connections that have finished. */
static void reap(struct sshd_server *srv)
{
    for (struct conn **pp = &srv->conns; *pp;) {
        struct conn *c = *pp;
        if (!c->closed) {
            pp = &c->next;
            continue;
        }
        *pp = c->next;
        srv->conn_count--;
        if (!c->authenticated)
            srv->unauth_count--;
        conn_free(c);
    }
}

static int sigchld_fd = -1;

/* Poll entries: the listeners, the SIGCHLD pipe, then each connection's
 * socket followed by its sessions' entries. */
static size_t poll_size(const struct sshd_server *srv)
{
    size_t n = srv->listener_count + 1;
    for (const struct conn *c = srv->conns; c; c = c->next)
        n += 1 + channels_poll_count(c);
    return n;
}

/* Fills the poll set; returns the poll() timeout. */
static int fill(struct sshd_server *srv, struct pollfd *pfds, uint64_t next_tick)
{
    size_t i = 0;
    bool again = false;
    for (size_t l = 0; l < srv->listener_count; l++)
        pfds[i++] = (struct pollfd){ .fd = srv->listeners[l].fd, .events = POLLIN };
    pfds[i++] = (struct pollfd){ .fd = sigchld_fd, .events = POLLIN };
    for (struct conn *c = srv->conns; c; c = c->next) {
        short ev = (c->want & SSHKIT_WANT_READ ? POLLIN : 0) |
                   (c->want & SSHKIT_WANT_WRITE ? POLLOUT : 0);
        c->slot = i;
        pfds[i++] = (struct pollfd){ .fd = c->fd, .events = ev };
        i += channels_poll_fill(c, pfds + i);
        again |= c->again || channels_busy(c);
    }
    uint64_t now = now_ms();
    return again ? 0 : (int)(next_tick > now ? next_tick - now : 0);
}

/* One pass: poll, move the children's bytes, step what is ready
 * (everything on a tick), accept. */
static int pass(struct sshd_server *srv, struct pollfd **pfds, size_t *cap, uint64_t *next_tick)
{
    size_t n = poll_size(srv);
    if (n > *cap) {
        struct pollfd *grown = realloc(*pfds, n * sizeof *grown);
        if (grown == NULL)
            return -1;
        *pfds = grown;
        *cap = n;
    }
    int r = poll(*pfds, n, fill(srv, *pfds, *next_tick));
    if (r < 0 && errno != EINTR) {
        log_error("poll: %s", strerror(errno));
        return -1;
    }
    bool tick = now_ms() >= *next_tick;
    if (tick)
        *next_tick = now_ms() + TICK_MS;
    for (size_t i = 0; r < 0 && i < n; i++)
        (*pfds)[i].revents = 0;
    if ((*pfds)[srv->listener_count].revents)
        child_reap(srv);
    for (struct conn *c = srv->conns; c; c = c->next) {
        const struct pollfd *p = *pfds + c->slot;
        bool moved = channels_poll_done(c, p + 1);
        if (tick || moved || c->again || (r > 0 && p->revents))
            conn_step(c);
    }
    reap(srv);
    for (size_t l = 0; r > 0 && l < srv->listener_count; l++)
        if ((*pfds)[l].revents)
            accept_from(srv, &srv->listeners[l]);
    return 0;
}

void loop_run(struct sshd_server *srv)
{
    struct pollfd *pfds = NULL;
    size_t cap = 0;
    uint64_t next_tick = now_ms() + TICK_MS;
    srandom((unsigned)(now_ms() ^ (uint64_t)getpid()));
    sigchld_fd = child_sigchld_setup();
    while (!sshd_stop_signal) {
        if (sshd_hup_signal) {
            sshd_hup_signal = 0;
            log_info("Received SIGHUP; restarting is not supported, ignored.");
        }
        if (pass(srv, &pfds, &cap, &next_tick) < 0)
            break;
    }
    if (sshd_stop_signal)
        log_info("Received signal %d; terminating.", (int)sshd_stop_signal);
    free(pfds);
    listeners_close(srv);
    for (struct conn *c = srv->conns; c; c = c->next)
        conn_shutdown(c, "Server shutting down");
    reap(srv);
}
