/* The pump: moves a session's bytes between it and a stream socket without
 * ever blocking, whatever the descriptor's mode (MSG_DONTWAIT). Input is
 * received straight into the session's input buffer
 * (sshkit_session_receive_buffer), at most as much as it has room for, so
 * input the session cannot take yet waits in the socket and no state is
 * kept here. */
#include "io/io_internal.h"

#include <errno.h>
#include <sys/socket.h>
#include <sshkit/auth.h>
#include <sshkit/error.h>

/* Bytes asked of one recv(): the session lends about 256 KiB, but reading
 * it all at once measured no faster on two CPUs (bench/README.md, "The
 * receive path") and drains the socket into more sleeps in poll. At most SK_IO_READS_PER_STEP reads per step, so that one
 * busy connection does not starve the others of a poll loop. */
#define SK_IO_READ_MAX 65536
#define SK_IO_READS_PER_STEP 16

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

/* Errors that say the descriptor itself is unusable, not the connection. */
static int descriptor_error(int e)
{
    return e == EBADF || e == ENOTSOCK || e == EINVAL || e == EFAULT || e == EOPNOTSUPP;
}

/* The connection is gone: drop the output nobody will read, tell the session. */
static void connection_lost(sshkit_session *s)
{
    const uint8_t *p;
    size_t n = sshkit_session_pending(s, &p);
    if (n > 0)
        sshkit_session_sent(s, n);
    if (!sshkit_session_is_closed(s))
        (void)sshkit_session_receive(s, NULL, 0);
}

int sk_io_write_pending(sshkit_session *s, int fd)
{
    for (;;) {
        const uint8_t *p;
        size_t n = sshkit_session_pending(s, &p);
        if (n == 0)
            return 0;
        ssize_t w = send(fd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (w > 0) {
            sshkit_session_sent(s, (size_t)w);
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return SSHKIT_E_AGAIN;
        if (w < 0 && descriptor_error(errno))
            return SSHKIT_E_IO;
        connection_lost(s);
        return SSHKIT_E_CONNECTION_CLOSED;
    }
}

/* One read into the session, straight into its input buffer: 1 when it
 * took bytes or learnt of the end, 0 when it can take nothing now (its
 * input is full), SSHKIT_E_AGAIN when the socket has nothing, SSHKIT_E_IO
 * for an unusable descriptor. */
static int read_once(sshkit_session *s, int fd)
{
    uint8_t *buf;
    size_t room;
    if (sshkit_session_receive_buffer(s, &buf, &room) < 0)
        return 1;               /* failed: its DISCONNECTED event says why */
    if (room == 0)
        return 0;
    ssize_t r;
    do
        r = recv(fd, buf, room < SK_IO_READ_MAX ? room : SK_IO_READ_MAX, MSG_DONTWAIT);
    while (r < 0 && errno == EINTR);
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return SSHKIT_E_AGAIN;
    if (r < 0 && descriptor_error(errno))
        return SSHKIT_E_IO;
    if (r <= 0) {               /* end of stream, or reset */
        connection_lost(s);
        return 1;
    }
    if (!sshkit_auth_is_done(s))
        sk_io_quickack(fd);
    (void)sshkit_session_received(s, (size_t)r);   /* a failure comes as an event */
    return 1;
}

/* What to wait for once nothing more can be done now. */
static int wait_state(sshkit_session *s, bool stalled, unsigned *want)
{
    const uint8_t *p;
    if (sshkit_session_pending(s, &p) > 0)
        *want |= SSHKIT_WANT_WRITE;
    if (sshkit_session_is_closed(s))
        return *want ? SSHKIT_E_AGAIN : SSHKIT_E_CLOSED;
    if (!stalled)
        *want |= SSHKIT_WANT_READ;
    return *want ? SSHKIT_E_AGAIN : SSHKIT_E_STATE;
}

int sk_io_step(sshkit_session *s, int fd, sshkit_event *ev, unsigned *want)
{
    *want = 0;
    (void)sshkit_session_tick(s, sk_io_now_ms());
    if (sshkit_session_next_event(s, ev) > 0)
        return 1;
    bool stalled = false;
    for (int i = 0; i < SK_IO_READS_PER_STEP && !sshkit_session_is_closed(s); i++) {
        if (sk_io_write_pending(s, fd) == SSHKIT_E_IO)
            return SSHKIT_E_IO;
        if (sshkit_session_is_closed(s))
            break;
        int rc = read_once(s, fd);
        if (rc == SSHKIT_E_IO)
            return rc;
        if (sshkit_session_next_event(s, ev) > 0)
            return 1;
        if (rc == SSHKIT_E_AGAIN)
            break;
        if (rc == 0) {
            stalled = true;
            break;
        }
    }
    if (sk_io_write_pending(s, fd) == SSHKIT_E_IO)
        return SSHKIT_E_IO;
    if (sshkit_session_next_event(s, ev) > 0)
        return 1;
    return wait_state(s, stalled, want);
}
