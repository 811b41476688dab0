/* Listening sockets: one per ListenAddress and Port (a ListenAddress with
 * its own port uses that one). Without a ListenAddress, one socket per
 * Port takes IPv6 and IPv4 where the system allows. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "server.h"

static void open_one(struct sshd_server *srv, const char *host, unsigned port)
{
    if (host && strcmp(host, "*") == 0)
        host = NULL;
    const char *shown = host ? host : "::";
    int fd;
    if (srv->listener_count == SSHD_MAX_LISTENERS) {
        log_error("Too many listen sockets. Enlarge SSHD_MAX_LISTENERS");
        return;
    }
    if (sshkit_listen(host, port, 128, &fd) != 0) {
        log_error("Bind to port %u on %s failed: %s.", port, shown, strerror(errno));
        return;
    }
    struct listener *l = &srv->listeners[srv->listener_count++];
    l->fd = fd;
    snprintf(l->desc, sizeof l->desc, "%s port %u", shown, port);
    log_info("Server listening on %s port %u.", shown, port);
}

int listeners_open(struct sshd_server *srv)
{
    const struct sshd_config *cfg = srv->cfg;
    for (size_t i = 0; i < cfg->listen_count; i++) {
        const struct listen_addr *la = &cfg->listen[i];
        if (la->port) {
            open_one(srv, la->host, la->port);
            continue;
        }
        for (size_t p = 0; p < cfg->port_count; p++)
            open_one(srv, la->host, cfg->ports[p]);
    }
    if (srv->listener_count == 0) {
        log_error("Cannot bind any address.");
        return -1;
    }
    return 0;
}

void listeners_close(struct sshd_server *srv)
{
    for (size_t i = 0; i < srv->listener_count; i++)
        close(srv->listeners[i].fd);
    srv->listener_count = 0;
}
