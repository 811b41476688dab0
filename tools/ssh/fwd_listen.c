/* sshkit-ssh: the listening sockets of a -L forwarding, as ssh makes them:
 * every address of the bind address (the loopback ones by default,
 * "*" for all), or a Unix socket path; ssh's messages when one fails. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fwd.h"
#include "unix_socket.h"

#define FWD_BACKLOG 128

static bool add_listener(struct fwd *f, int fd, const struct fwd_spec *spec)
{
    if (f->listener_count == FWD_MAX_LISTENERS) {
        close(fd);
        log_at(SSH_LOG_ERROR, "ssh: too many forwarding listeners");
        return false;
    }
    f->listeners[f->listener_count++] = (struct fwd_listener){ .fd = fd, .spec = spec };
    return true;
}

/* One address: a non-blocking listening socket, or -1 (message printed). */
static int listen_on(const struct addrinfo *a, const char *shown)
{
    int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0)
        return -1;
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (a->ai_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    if (bind(fd, a->ai_addr, a->ai_addrlen) != 0 || listen(fd, FWD_BACKLOG) != 0) {
        log_at(SSH_LOG_ERROR, "bind [%s]: %s", shown, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static bool listen_tcp(struct fwd *f, const struct fwd_spec *spec)
{
    const char *host = spec->listen_host;
    bool any = host != NULL && strcmp(host, "*") == 0;
    char service[8];
    snprintf(service, sizeof service, "%u", spec->listen_port);
    struct addrinfo hints = { .ai_family = f->opt->family, .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_NUMERICSERV | AI_PASSIVE }, *list;
    int rc = getaddrinfo(any ? NULL : host ? host : "localhost", service, &hints, &list);
    if (rc != 0) {
        log_at(SSH_LOG_ERROR, "ssh: %s: %s", host ? host : "localhost", gai_strerror(rc));
        return false;
    }
    size_t made = 0;
    for (const struct addrinfo *a = list; a; a = a->ai_next) {
        char addr[NI_MAXHOST], shown[NI_MAXHOST + 8];
        if (getnameinfo(a->ai_addr, a->ai_addrlen, addr, sizeof addr, NULL, 0, NI_NUMERICHOST))
            continue;
        snprintf(shown, sizeof shown, "%s]:%u", addr, spec->listen_port);
        int fd = listen_on(a, shown);
        if (fd >= 0 && add_listener(f, fd, spec)) {
            made++;
            log_at(SSH_LOG_DEBUG1, "Local forwarding listening on %s port %u.", addr,
                   spec->listen_port);
        }
    }
    freeaddrinfo(list);
    return made > 0;
}

bool fwd_listen(struct fwd *f, const struct fwd_spec *spec)
{
    bool ok;
    if (spec->listen_path) {
        int fd = unix_listen(spec->listen_path, FWD_BACKLOG);
        if (fd < 0)
            log_at(SSH_LOG_ERROR, "ssh: %s: %s", spec->listen_path, strerror(errno));
        ok = fd >= 0 && add_listener(f, fd, spec);
        if (ok)
            log_at(SSH_LOG_DEBUG1, "Local forwarding listening on path %s.", spec->listen_path);
    } else {
        ok = listen_tcp(f, spec);
    }
    if (!ok)
        log_at(SSH_LOG_ERROR, "Could not request local forwarding.");
    return ok;
}
