/* The blocking driver: the pump, and poll() between its steps, bounded by
 * a deadline. */
#include "io/io_internal.h"

#include <poll.h>
#include <sshkit/error.h>

/* Writes all pending output before a deadline. */
static int flush_until(sshkit_session *s, int fd, uint64_t deadline)
{
    for (;;) {
        int rc = sk_io_write_pending(s, fd);
        if (rc != SSHKIT_E_AGAIN)
            return rc;
        if ((rc = sk_io_wait(fd, POLLOUT, deadline)) < 0)
            return rc;
    }
}

int sshkit_blocking_flush(sshkit_session *session, int fd, int timeout_ms)
{
    if (session == NULL || fd < 0)
        return SSHKIT_E_INVALID_ARGUMENT;
    return flush_until(session, fd, sk_io_deadline(timeout_ms));
}

/* The next event before a deadline. */
static int wait_event_until(sshkit_session *s, int fd, sshkit_event *ev, uint64_t deadline)
{
    for (;;) {
        unsigned want;
        int rc = sk_io_step(s, fd, ev, &want);
        if (rc == 1 && ev->type == SSHKIT_EVENT_DISCONNECTED)
            (void)flush_until(s, fd, deadline);     /* the peer should learn why */
        if (rc != SSHKIT_E_AGAIN)
            return rc;
        short events = (short)((want & SSHKIT_WANT_READ ? POLLIN : 0)
                               | (want & SSHKIT_WANT_WRITE ? POLLOUT : 0));
        if ((rc = sk_io_wait(fd, events, deadline)) < 0)
            return rc;
    }
}

int sshkit_blocking_wait_event(sshkit_session *session, int fd, sshkit_event *event,
                               int timeout_ms)
{
    if (session == NULL || event == NULL || fd < 0)
        return SSHKIT_E_INVALID_ARGUMENT;
    return wait_event_until(session, fd, event, sk_io_deadline(timeout_ms));
}

int sshkit_blocking_wait_for(sshkit_session *session, int fd, sshkit_event_type type,
                             sshkit_event *event, int timeout_ms)
{
    if (session == NULL || fd < 0)
        return SSHKIT_E_INVALID_ARGUMENT;
    uint64_t deadline = sk_io_deadline(timeout_ms);
    sshkit_event local;
    sshkit_event *ev = event != NULL ? event : &local;
    for (;;) {
        int rc = wait_event_until(session, fd, ev, deadline);
        if (rc != 1)
            return rc;
        if (ev->type == type)
            return 0;
        if (ev->type == SSHKIT_EVENT_DISCONNECTED)
            return ev->u.disconnect.error != 0 ? ev->u.disconnect.error : SSHKIT_E_CLOSED;
    }
}

int sshkit_blocking_handshake(sshkit_session *session, int fd, int timeout_ms)
{
    if (session == NULL || fd < 0)
        return SSHKIT_E_INVALID_ARGUMENT;
    if (sshkit_session_is_secure(session))
        return 0;
    return sshkit_blocking_wait_for(session, fd, SSHKIT_EVENT_KEX_DONE, NULL, timeout_ms);
}

int sshkit_blocking_disconnect(sshkit_session *session, int fd, unsigned reason,
                               const char *message, int timeout_ms)
{
    if (session == NULL || fd < 0)
        return SSHKIT_E_INVALID_ARGUMENT;
    if (!sshkit_session_is_closed(session))
        (void)sshkit_session_disconnect(session, reason, message);
    return flush_until(session, fd, sk_io_deadline(timeout_ms));
}
