/* Server sockets: sshkit_listen(), sshkit_local_port(), sshkit_accept(). */
#include "io/io_internal.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <sshkit/error.h>

/* Binds and listens on one address; the socket, or -1 with errno set. */
static int listen_on(const struct sockaddr *addr, socklen_t len, int backlog, int v6only)
{
    int fd = socket(addr->sa_family, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    int on = 1;
    if (sk_io_set_cloexec(fd) < 0 || sshkit_set_nonblocking(fd) < 0
        || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0
        || (addr->sa_family == AF_INET6
            && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only) < 0)
        || bind(fd, addr, len) < 0
        || listen(fd, backlog < 0 ? SOMAXCONN : backlog) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* Every address: IPv6 and IPv4 on one socket, else IPv4 alone. */
static int listen_any(unsigned port, int backlog)
{
    struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT,
                               .sin6_port = htons((uint16_t)port) };
    int fd = listen_on((const struct sockaddr *)&a6, sizeof a6, backlog, 0);
    if (fd >= 0)
        return fd;
    struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_ANY),
                              .sin_port = htons((uint16_t)port) };
    return listen_on((const struct sockaddr *)&a4, sizeof a4, backlog, 0);
}

int sshkit_listen(const char *bind_addr, unsigned port, int backlog, int *fd)
{
    if (fd != NULL)
        *fd = -1;
    if (fd == NULL || port > 65535)
        return SSHKIT_E_INVALID_ARGUMENT;
    if (bind_addr == NULL) {
        *fd = listen_any(port, backlog);
        return *fd < 0 ? SSHKIT_E_IO : 0;
    }
    char service[8];
    snprintf(service, sizeof service, "%u", port);
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
    struct addrinfo *res;
    int rc = getaddrinfo(bind_addr, service, &hints, &res);
    if (rc != 0)
        return rc == EAI_MEMORY ? SSHKIT_E_NOMEM : rc == EAI_SYSTEM ? SSHKIT_E_IO
                                                                   : SSHKIT_E_RESOLVE;
    int e = EADDRNOTAVAIL;
    for (const struct addrinfo *ai = res; ai != NULL && *fd < 0; ai = ai->ai_next) {
        *fd = listen_on(ai->ai_addr, ai->ai_addrlen, backlog, 1);
        e = errno;
    }
    freeaddrinfo(res);
    errno = e;
    return *fd < 0 ? SSHKIT_E_IO : 0;
}

int sshkit_local_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
        return SSHKIT_E_IO;
    if (ss.ss_family == AF_INET)
        return ntohs(((const struct sockaddr_in *)&ss)->sin_port);
    if (ss.ss_family == AF_INET6)
        return ntohs(((const struct sockaddr_in6 *)&ss)->sin6_port);
    errno = EAFNOSUPPORT;
    return SSHKIT_E_IO;
}

/* Errors of accept() that concern one connection only, or none. */
static int accept_retryable(int e)
{
    return e == EINTR || e == EAGAIN || e == EWOULDBLOCK || e == ECONNABORTED || e == EPROTO;
}

int sshkit_accept(int listen_fd, int *client_fd, int timeout_ms)
{
    if (client_fd == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *client_fd = -1;
    uint64_t deadline = sk_io_deadline(timeout_ms);
    for (;;) {
        int rc = sk_io_wait(listen_fd, POLLIN, deadline);
        if (rc < 0)
            return rc;
        int fd = accept(listen_fd, NULL, NULL);
        if (fd < 0) {
            if (accept_retryable(errno))
                continue;
            return SSHKIT_E_IO;
        }
        if (sk_io_set_cloexec(fd) < 0 || sk_io_set_blocking(fd) < 0) {
            int e = errno;
            close(fd);
            errno = e;
            return SSHKIT_E_IO;
        }
        sk_io_set_nodelay(fd);
        *client_fd = fd;
        return 0;
    }
}
