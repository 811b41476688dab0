/* sshkit-ssh: the TCP connection, with ssh's messages ("ssh: connect to
 * host H port P: Connection refused"). With -4 or -6 the name is resolved
 * here, in that family, and each address tried in turn. */
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ssh_client.h"

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What is left of the ConnectTimeout budget; SSHKIT_IO_NO_TIMEOUT for none. */
static int remaining(long long deadline)
{
    if (deadline < 0)
        return SSHKIT_IO_NO_TIMEOUT;
    long long left = deadline - now_ms();
    return left > 0 ? (int)left : 0;
}

/* The reason at the end of the library's message ("...: Connection refused"). */
static const char *reason(const char *why)
{
    const char *colon = strrchr(why, ':');
    return colon ? colon + 2 : why;
}

static int connect_family(const struct ssh_options *o, long long deadline, int *fd,
                          char *why, size_t cap)
{
    struct addrinfo hints = { .ai_family = o->family, .ai_socktype = SOCK_STREAM }, *res;
    int rc = getaddrinfo(o->host, NULL, &hints, &res);
    if (rc != 0) {
        snprintf(why, cap, "Could not resolve hostname %s: %s", o->host, gai_strerror(rc));
        return SSHKIT_E_RESOLVE;
    }
    rc = SSHKIT_E_CONNECT;
    for (const struct addrinfo *ai = res; ai && rc != 0 && rc != SSHKIT_E_TIMEOUT;
         ai = ai->ai_next) {
        char numeric[NI_MAXHOST];
        if (getnameinfo(ai->ai_addr, ai->ai_addrlen, numeric, sizeof numeric, NULL, 0,
                        NI_NUMERICHOST) != 0)
            continue;
        rc = sshkit_connect(numeric, o->port, remaining(deadline), fd, why, cap);
    }
    freeaddrinfo(res);
    if (rc != 0 && rc != SSHKIT_E_RESOLVE) {
        char detail[128];
        snprintf(detail, sizeof detail, "%s", reason(why));
        snprintf(why, cap, "connect to host %s port %u: %s", o->host, o->port, detail);
    }
    return rc;
}

static void peer_address(int fd, char *addr, size_t size)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getpeername(fd, (struct sockaddr *)&ss, &len) != 0 ||
        getnameinfo((struct sockaddr *)&ss, len, addr, (socklen_t)size, NULL, 0,
                    NI_NUMERICHOST) != 0)
        snprintf(addr, size, "UNKNOWN");
}

bool ssh_connect(const struct ssh_options *o, int *fd, char *addr, size_t addr_size)
{
    if (o->proxy_command)
        return proxy_connect(o, fd, addr, addr_size);
    char why[512] = "";
    long long deadline = o->connect_timeout > 0 ? now_ms() + o->connect_timeout * 1000LL : -1;
    log_at(SSH_LOG_DEBUG1, "Connecting to %s port %u.", o->host, o->port);
    int rc = o->family == AF_UNSPEC
                 ? sshkit_connect(o->host, o->port, remaining(deadline), fd, why, sizeof why)
                 : connect_family(o, deadline, fd, why, sizeof why);
    if (rc == SSHKIT_E_TIMEOUT)
        snprintf(why, sizeof why, "connect to host %s port %u: Connection timed out", o->host,
                 o->port);
    if (rc != 0) {
        log_at(SSH_LOG_FATAL, "ssh: %s", why);
        return false;
    }
    peer_address(*fd, addr, addr_size);
    log_at(SSH_LOG_DEBUG1, "Connection established.");
    return true;
}
