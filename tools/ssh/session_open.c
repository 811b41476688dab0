/* sshkit-ssh and sshkit-sftp: everything before the channel step. The TCP
 * connection, the key exchange with the host key checked, and user
 * authentication, each failure reported in ssh's words. */
#include <unistd.h>

#include "ssh_client.h"

static sshkit_session *make_session(const struct ssh_options *o)
{
    sshkit_session *s;
    if (sshkit_session_new(SSHKIT_ROLE_CLIENT, &s) != 0)
        return NULL;
    for (int k = 0; k < SSHKIT_ALG_KINDS; k++)
        if (o->algs[k])
            sshkit_session_set_algorithms(s, (sshkit_algorithm_kind)k, o->algs[k]);
    if (o->compression)     /* ssh -C's offer; without, the library's (none first) */
        sshkit_session_set_algorithms(s, SSHKIT_ALG_COMPRESSION, "zlib@openssh.com,zlib,none");
    if (o->rekey_bytes || o->rekey_seconds)
        sshkit_session_set_rekey_limit(s, o->rekey_bytes, o->rekey_seconds);
    log_attach(s);
    return s;
}

/* ssh's message for a key exchange that did not finish. */
static void handshake_failed(const struct ssh_options *o, sshkit_session *s, const char *addr,
                             int rc)
{
    const char *why = sshkit_session_last_error(s);
    if (rc == SSHKIT_E_NO_COMMON_ALGORITHM)
        log_at(SSH_LOG_FATAL, "Unable to negotiate with %s port %u: %s", addr, o->port, why);
    else if (rc == SSHKIT_E_CONNECTION_CLOSED || rc == SSHKIT_E_CLOSED)
        log_at(SSH_LOG_FATAL, "Connection closed by %s port %u", addr, o->port);
    else if (rc == SSHKIT_E_TIMEOUT)
        log_at(SSH_LOG_FATAL, "Connection timed out during banner exchange");
    else
        log_at(SSH_LOG_FATAL, "ssh: %s", *why ? why : sshkit_strerror(rc));
}

/* The key exchange, the host key checked as the options say. */
static bool handshake(const struct ssh_options *o, struct ssh_conn *c)
{
    int rc = sshkit_session_start(c->s);
    if (rc == 0)
        rc = sshkit_blocking_handshake(c->s, c->fd, o->connect_timeout > 0
                                                        ? o->connect_timeout * 1000
                                                        : SSHKIT_IO_NO_TIMEOUT);
    hostkey_check_report(c->hc);
    if (rc != 0 && !hostkey_check_refused(c->hc))
        handshake_failed(o, c->s, c->addr, rc);
    return rc == 0;
}

bool ssh_conn_open(const struct ssh_options *o, struct ssh_conn *c)
{
    c->fd = -1;
    c->s = NULL;
    c->hc = NULL;
    if (!ssh_connect(o, &c->fd, c->addr, sizeof c->addr))
        return false;
    c->s = make_session(o);
    c->hc = hostkey_check_new(o, c->addr);
    if (c->s == NULL || c->hc == NULL)
        return false;
    hostkey_check_install(c->hc, c->s);
    if (!handshake(o, c))
        return false;
    struct auth_ctx a = { .opt = o, .s = c->s, .fd = c->fd, .addr = c->addr,
                          .no_passwords = hostkey_check_changed(c->hc) };
    return ssh_authenticate(&a);
}

void ssh_conn_close(struct ssh_conn *c)
{
    sshkit_session_free(c->s);
    hostkey_check_free(c->hc);
    if (c->fd >= 0)
        close(c->fd);
    c->s = NULL;
    c->hc = NULL;
    c->fd = -1;
}
