/* Blocking and non-blocking calls: one step function per call, run once
 * (non-blocking) or in a poll() loop (blocking). */
#include "client/client_internal.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <sshkit/error.h>

/* Waits in poll() for what the client wants, until its own deadline or
 * the call's, whichever is first. */
static int wait_once(sshkit_client *c, uint64_t deadline)
{
    int own;
    unsigned want = sk_client_wants(c, &own);
    int left = sk_io_remaining(deadline);
    int timeout = own < 0 ? left : left < 0 || own < left ? own : left;
    int fd = c->connecting ? sk_client_connect_fd(c) : c->fd;
    struct pollfd p = { .fd = fd, .events = (short)((want & SSHKIT_WANT_READ ? POLLIN : 0)
                                                    | (want & SSHKIT_WANT_WRITE ? POLLOUT : 0)) };
    if (poll(&p, fd >= 0 ? 1 : 0, timeout) < 0 && errno != EINTR)
        return sk_client_fail(c, SSHKIT_E_IO);
    return 0;
}

/* A blocking call failed: the peer should still learn why (the session's
 * DISCONNECT), as the blocking driver sees to. */
static void flush_last_output(sshkit_client *c)
{
    if (c->session && c->fd >= 0 && sshkit_session_is_closed(c->session))
        (void)sshkit_blocking_flush(c->session, c->fd, c->timeout_ms);
}

int sk_client_drive(sshkit_client *c, sk_client_op_fn op, void *arg)
{
    int rc = op(c, arg);
    if (c->nonblocking)
        return rc;
    uint64_t seen = c->events;
    uint64_t deadline = sk_io_deadline(c->timeout_ms);
    while (rc == SSHKIT_E_AGAIN) {
        if (sk_io_remaining(deadline) == 0)
            return sk_client_fail(c, SSHKIT_E_TIMEOUT);
        if ((rc = wait_once(c, deadline)) < 0)
            break;
        rc = op(c, arg);
        if (c->events != seen) {        /* the time limit is per wait for an event */
            seen = c->events;
            deadline = sk_io_deadline(c->timeout_ms);
        }
    }
    if (rc < 0)
        flush_last_output(c);
    return rc;
}

unsigned sshkit_client_want(sshkit_client *c, int *timeout_ms)
{
    int timeout = 0;
    unsigned want = c ? sk_client_wants(c, &timeout) : 0;
    if (c && c->news) {
        timeout = 0;            /* events came: a call may have news to collect */
        c->news = false;
    }
    if (timeout_ms)
        *timeout_ms = timeout;
    return want;
}

void sshkit_client_set_nonblocking(sshkit_client *c, bool nonblocking)
{
    if (c)
        c->nonblocking = nonblocking;
}

static int step_op(sshkit_client *c, void *unused)
{
    (void)unused;
    return sk_client_step(c);
}

int sshkit_client_wait_event(sshkit_client *c)
{
    if (c == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    int rc = sk_client_usable(c);
    return rc ? rc : sk_client_drive(c, step_op, NULL);
}

/* Writes what the session has to send; the connection breaking is the end
 * of that too. */
static int flush_op(sshkit_client *c, void *unused)
{
    (void)unused;
    int rc = sk_io_write_pending(c->session, c->fd);
    return rc == SSHKIT_E_CONNECTION_CLOSED ? 0 : rc;
}

int sshkit_client_disconnect(sshkit_client *c)
{
    if (c == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    if (c->session == NULL || c->fd < 0)
        return 0;               /* no SSH connection yet: nothing to say */
    if (!sshkit_session_is_closed(c->session)) {
        (void)sshkit_session_disconnect(c->session, 11, "disconnected by user");
        if (c->ended == 0) {
            c->ended = SSHKIT_E_CLOSED;
            snprintf(c->error, sizeof c->error, "disconnected by user");
        }
    }
    return sk_client_drive(c, flush_op, NULL);
}
