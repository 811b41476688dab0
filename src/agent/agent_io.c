/* The agent's socket: a Unix stream connection, requests written and
 * replies read by a deadline, waiting in poll() (src/io's clock). The
 * descriptor may be blocking or not: reads and writes never wait. */
#include "agent/agent_internal.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <sshkit/error.h>

#include "io/io_internal.h"

int sk_agent_io_connect(const char *path, int *fd)
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof sun.sun_path)
        return SSHKIT_E_INVALID_ARGUMENT;
    memcpy(sun.sun_path, path, strlen(path) + 1);
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return SSHKIT_E_IO;
    if (connect(s, (struct sockaddr *)&sun, sizeof sun) != 0) {
        int saved = errno;
        close(s);
        errno = saved;
        return SSHKIT_E_CONNECT;
    }
    *fd = s;
    return 0;
}

int sk_agent_io_send(int fd, const uint8_t *data, size_t len, uint64_t deadline)
{
    size_t off = 0;
    while (off < len) {
        ssize_t n = send(fd, data + off, len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            off += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int rc = sk_io_wait(fd, POLLOUT, deadline);
            if (rc != 0)
                return rc;
            continue;
        }
        return errno == EPIPE || errno == ECONNRESET ? SSHKIT_E_CONNECTION_CLOSED : SSHKIT_E_IO;
    }
    return 0;
}

int sk_agent_io_receive(int fd, sk_agent_frame *f, uint64_t deadline)
{
    for (;;) {
        uint8_t *where;
        size_t room;
        sk_agent_frame_space(f, &where, &room);
        ssize_t n = recv(fd, where, room, MSG_DONTWAIT);
        if (n > 0) {
            int rc = sk_agent_frame_advance(f, (size_t)n);
            if (rc != 0)
                return rc < 0 ? rc : 0;
            continue;
        }
        if (n == 0)
            return SSHKIT_E_CONNECTION_CLOSED;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return errno == ECONNRESET ? SSHKIT_E_CONNECTION_CLOSED : SSHKIT_E_IO;
        int rc = sk_io_wait(fd, POLLIN, deadline);
        if (rc != 0)
            return rc;
    }
}
