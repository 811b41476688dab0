/* sshkit_connect(): a TCP connection to the first address of a host that
 * answers, within one time budget for all of them (OpenSSH's ConnectTimeout). */
#include "io/io_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <sshkit/error.h>

/* A non-blocking, close-on-exec stream socket of an address's family. */
static int stream_socket(int family)
{
#if defined(SOCK_CLOEXEC) && defined(SOCK_NONBLOCK)
    return socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
#else
    int fd = socket(family, SOCK_STREAM, 0);
    if (fd >= 0 && (sk_io_set_cloexec(fd) < 0 || sshkit_set_nonblocking(fd) < 0)) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
#endif
}

/* Waits for a connect() in progress; 0, SSHKIT_E_TIMEOUT or SSHKIT_E_CONNECT
 * (errno set). */
static int finish_connect(int fd, uint64_t deadline)
{
    int rc = sk_io_wait(fd, POLLOUT, deadline);
    if (rc == SSHKIT_E_TIMEOUT) {
        errno = ETIMEDOUT;
        return rc;
    }
    if (rc < 0)
        return SSHKIT_E_CONNECT;
    int soerr = 0;
    socklen_t len = sizeof soerr;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
        return SSHKIT_E_CONNECT;
    if (soerr != 0) {
        errno = soerr;
        return SSHKIT_E_CONNECT;
    }
    return 0;
}

/* One address: 0 with *out set, or SSHKIT_E_TIMEOUT, SSHKIT_E_CONNECT,
 * SSHKIT_E_IO (no socket), with errno set. */
static int connect_one(const struct addrinfo *ai, uint64_t deadline, int *out)
{
    int fd = stream_socket(ai->ai_family);
    if (fd < 0)
        return SSHKIT_E_IO;
    int rc = 0;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
        /* EINTR: the connection goes on in the background, as EINPROGRESS. */
        rc = (errno == EINPROGRESS || errno == EINTR) ? finish_connect(fd, deadline)
                                                     : SSHKIT_E_CONNECT;
    }
    if (rc == 0 && sk_io_set_blocking(fd) < 0)
        rc = SSHKIT_E_IO;
    if (rc != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return rc;
    }
    sk_io_set_nodelay(fd);
    *out = fd;
    return 0;
}

/* getaddrinfo() for a client: both families, numeric port. */
static int resolve(const char *host, unsigned port, struct addrinfo **res,
                   char *err, size_t err_size)
{
    char service[8];
    snprintf(service, sizeof service, "%u", port);
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_NUMERICSERV };
    int rc = getaddrinfo(host, service, &hints, res);
    if (rc == 0)
        return 0;
    sk_io_message(err, err_size, "Could not resolve hostname %s: %s", host,
                  rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
    if (rc == EAI_MEMORY)
        return SSHKIT_E_NOMEM;
    return rc == EAI_SYSTEM ? SSHKIT_E_IO : SSHKIT_E_RESOLVE;
}

int sshkit_connect(const char *host, unsigned port, int timeout_ms, int *fd,
                   char *err, size_t err_size)
{
    if (fd != NULL)
        *fd = -1;
    if (host == NULL || fd == NULL || port == 0 || port > 65535)
        return SSHKIT_E_INVALID_ARGUMENT;
    sk_io_message(err, err_size, "%s", "");
    uint64_t deadline = sk_io_deadline(timeout_ms);
    struct addrinfo *res;
    int rc = resolve(host, port, &res, err, err_size);
    if (rc != 0)
        return rc;
    int last_errno = EHOSTUNREACH;
    rc = SSHKIT_E_CONNECT;
    for (const struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
        if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
            continue;
        rc = connect_one(ai, deadline, fd);
        last_errno = errno;
        if (rc == 0 || rc == SSHKIT_E_TIMEOUT)
            break;      /* the budget is shared: a timeout ends every attempt */
    }
    freeaddrinfo(res);
    if (rc != 0)
        sk_io_message(err, err_size, "connect to host %s port %u: %s", host, port,
                      strerror(last_errno));
    return rc;
}
