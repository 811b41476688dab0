/* Connecting: a TCP connection to the first address of a host that
 * answers, within one time budget for all of them (OpenSSH's
 * ConnectTimeout). The connector never blocks once the name is resolved;
 * sshkit_connect() is the connector driven by poll(). */
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

/* The attempt on k->fd failed (rc, errno set): remember why, close it. */
static int attempt_failed(sk_connector *k, int rc)
{
    k->last_errno = errno;
    if (k->fd >= 0)
        close(k->fd);
    k->fd = -1;
    return rc;
}

/* Starts connect() on the next address: SSHKIT_E_AGAIN while it is in
 * progress on k->fd, 0 when connected at once, an error when it failed
 * at once, SSHKIT_E_NOT_FOUND when no address is left. */
static int start_next(sk_connector *k)
{
    while (k->next && k->next->ai_family != AF_INET && k->next->ai_family != AF_INET6)
        k->next = k->next->ai_next;
    const struct addrinfo *ai = k->next;
    if (ai == NULL)
        return SSHKIT_E_NOT_FOUND;
    k->next = ai->ai_next;
    k->fd = stream_socket(ai->ai_family);
    if (k->fd < 0)
        return attempt_failed(k, SSHKIT_E_IO);
    if (connect(k->fd, ai->ai_addr, ai->ai_addrlen) == 0)
        return 0;
    /* EINTR: the connection goes on in the background, as EINPROGRESS. */
    if (errno == EINPROGRESS || errno == EINTR)
        return SSHKIT_E_AGAIN;
    return attempt_failed(k, SSHKIT_E_CONNECT);
}

/* Whether the attempt in progress has ended: SSHKIT_E_AGAIN while not,
 * 0 when connected, SSHKIT_E_CONNECT (errno set) when refused. */
static int check_attempt(sk_connector *k)
{
    struct pollfd p = { .fd = k->fd, .events = POLLOUT };
    int n;
    do
        n = poll(&p, 1, 0);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return attempt_failed(k, SSHKIT_E_CONNECT);
    if (n == 0)
        return SSHKIT_E_AGAIN;
    int soerr = 0;
    socklen_t len = sizeof soerr;
    if (getsockopt(k->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
        return attempt_failed(k, SSHKIT_E_CONNECT);
    if (soerr != 0) {
        errno = soerr;
        return attempt_failed(k, SSHKIT_E_CONNECT);
    }
    return 0;
}

/* Connected: the socket as sshkit_connect() has always returned it. */
static int connected(sk_connector *k)
{
    if (sk_io_set_blocking(k->fd) < 0)
        return attempt_failed(k, SSHKIT_E_IO);
    sk_io_set_nodelay(k->fd);
    return 0;
}

/* Tries addresses until one is connected or in progress, or none is left. */
static int advance(sk_connector *k)
{
    int rc = k->fd >= 0 ? check_attempt(k) : SSHKIT_E_CONNECT;
    int last = SSHKIT_E_CONNECT;
    while (rc != 0 && rc != SSHKIT_E_AGAIN) {
        last = rc;
        rc = start_next(k);
        if (rc == SSHKIT_E_NOT_FOUND)
            return last;
    }
    return rc == 0 ? connected(k) : rc;
}

int sk_connector_start(sk_connector *k, const char *host, unsigned port, int timeout_ms,
                       char *err, size_t err_size)
{
    memset(k, 0, sizeof *k);
    k->fd = -1;
    k->result = SSHKIT_E_AGAIN;
    k->last_errno = EHOSTUNREACH;
    if (host == NULL || port == 0 || port > 65535)
        return SSHKIT_E_INVALID_ARGUMENT;
    snprintf(k->host, sizeof k->host, "%s", host);
    k->port = port;
    sk_io_message(err, err_size, "%s", "");
    k->deadline = sk_io_deadline(timeout_ms);
    int rc = resolve(host, port, &k->addresses, err, err_size);
    if (rc != 0) {
        k->result = rc;
        return 0;
    }
    k->next = k->addresses;
    (void)sk_connector_continue(k, err, err_size);
    return 0;
}

int sk_connector_continue(sk_connector *k, char *err, size_t err_size)
{
    if (k->result != SSHKIT_E_AGAIN)
        return k->result;
    int rc = advance(k);
    if (rc == SSHKIT_E_AGAIN && sk_io_remaining(k->deadline) == 0) {
        errno = ETIMEDOUT;      /* the budget is shared: a timeout ends every attempt */
        rc = attempt_failed(k, SSHKIT_E_TIMEOUT);
    }
    if (rc == SSHKIT_E_AGAIN)
        return rc;
    k->result = rc;
    if (rc != 0)
        sk_io_message(err, err_size, "connect to host %s port %u: %s", k->host, k->port,
                      strerror(k->last_errno));
    return rc;
}

void sk_connector_free(sk_connector *k)
{
    if (k->addresses)
        freeaddrinfo(k->addresses);
    k->addresses = NULL;
    k->next = NULL;
    if (k->fd >= 0 && k->result != 0)
        close(k->fd);
    k->fd = -1;
}

int sshkit_connect(const char *host, unsigned port, int timeout_ms, int *fd,
                   char *err, size_t err_size)
{
    if (fd != NULL)
        *fd = -1;
    if (host == NULL || fd == NULL || port == 0 || port > 65535)
        return SSHKIT_E_INVALID_ARGUMENT;
    sk_connector k;
    int rc = sk_connector_start(&k, host, port, timeout_ms, err, err_size);
    /* Whatever the wait says (ready, time up, a bad descriptor), the
     * connector looks at the attempt itself and words the outcome. */
    while (rc == 0 && (rc = sk_connector_continue(&k, err, err_size)) == SSHKIT_E_AGAIN)
        rc = sk_io_wait(k.fd, POLLOUT, k.deadline) == SSHKIT_E_IO ? SSHKIT_E_IO : 0;
    if (rc == SSHKIT_E_IO && k.result == SSHKIT_E_AGAIN)
        sk_io_message(err, err_size, "connect to host %s port %u: %s", host, port,
                      strerror(errno));
    if (rc == 0)
        *fd = k.fd;
    sk_connector_free(&k);
    return rc;
}
