/* A connection's life: its session made with the configuration, driven by
 * the non-blocking driver, ended politely or not, freed. */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "channels.h"
#include "log.h"
#include "server.h"

/* Events handled per step before giving other connections their turn. */
#define CONN_EVENTS_PER_STEP 64

/* The peer's numeric address; IPv4-mapped IPv6 shown as IPv4, as sshd. */
static void peer_address(struct conn *c)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char port[16] = "0";
    snprintf(c->addr, sizeof c->addr, "UNKNOWN");
    if (getpeername(c->fd, (struct sockaddr *)&ss, &len) == 0)
        (void)getnameinfo((struct sockaddr *)&ss, len, c->addr, sizeof c->addr, port,
                          sizeof port, NI_NUMERICHOST | NI_NUMERICSERV);
    if (strncmp(c->addr, "::ffff:", 7) == 0 && strchr(c->addr + 7, '.'))
        memmove(c->addr, c->addr + 7, strlen(c->addr + 7) + 1);
    c->port = (unsigned)atoi(port);
    snprintf(c->label, sizeof c->label, "%s port %u", c->addr, c->port);
}

static int make_session(struct conn *c)
{
    const struct sshd_server *srv = c->srv;
    const struct sshd_config *cfg = srv->cfg;
    sshkit_server_auth auth;
    int rc = sshkit_session_new(SSHKIT_ROLE_SERVER, &c->session);
    if (rc != 0)
        return rc;
    sshkit_session_set_log(c->session, config_session_log_level(cfg->log_level),
                           log_session_line, c->label);
    for (int k = 0; k < SSHKIT_ALG_KINDS && rc == 0; k++)
        if (cfg->algorithms[k])
            rc = sshkit_session_set_algorithms(c->session, (sshkit_algorithm_kind)k,
                                               cfg->algorithms[k]);
    for (size_t i = 0; i < srv->host_key_count && rc == 0; i++)
        rc = sshkit_session_add_host_key(c->session, srv->host_keys[i]);
    if (rc == 0)
        rc = sshkit_session_set_rekey_limit(c->session, (uint64_t)cfg->rekey_bytes,
                                            (uint32_t)cfg->rekey_seconds);
    auth_setup(c, &auth);
    if (rc == 0)
        rc = sshkit_server_set_auth(c->session, &auth);
    return rc == 0 ? sshkit_session_start(c->session) : rc;
}

struct conn *conn_new(struct sshd_server *srv, int fd)
{
    struct conn *c = calloc(1, sizeof *c);
    if (c == NULL) {
        close(fd);
        return NULL;
    }
    c->srv = srv;
    c->fd = fd;
    c->id = ++srv->next_id;
    peer_address(c);
    int rc = make_session(c);
    if (rc != 0) {
        log_error("%s: cannot make a session: %s", c->label, sshkit_strerror(rc));
        conn_free(c);
        return NULL;
    }
    log_verbose("Connection from %s", c->label);
    return c;
}

void conn_step(struct conn *c)
{
    sshkit_event ev;
    unsigned want = 0;
    int rc = 1;
    c->again = false;
    for (int i = 0; i < CONN_EVENTS_PER_STEP && rc == 1; i++) {
        rc = sshkit_nb_process(c->session, c->fd, &ev, &want);
        if (rc == 1)
            conn_handle_event(c, &ev);
    }
    if (rc == 1) {
        c->again = true;
    } else if (rc == SSHKIT_E_AGAIN) {
        c->want = want;
    } else {
        if (rc != SSHKIT_E_CLOSED)
            log_debug("%s: driver stopped: %s", c->label, sshkit_strerror(rc));
        c->closed = true;
    }
}

void conn_shutdown(struct conn *c, const char *why)
{
    if (!sshkit_session_is_closed(c->session)) {
        sshkit_session_disconnect(c->session, 11, why);
        (void)sshkit_blocking_flush(c->session, c->fd, 100);
    }
    c->closed = true;
}

void conn_free(struct conn *c)
{
    if (c == NULL)
        return;
    channels_free(c);
    sshkit_session_free(c->session);
    auth_release(&c->auth);
    close(c->fd);
    free(c);
}
