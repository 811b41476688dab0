/* sshkit-sftp: the SFTP session on sshkit-ssh's connection. The library's
 * SFTP calls run non-blocking on a channel this file drives (sftp.h:
 * call again with the same arguments after SSHKIT_E_AGAIN), so that the
 * tool waits in one place: remote_pump(). A connection that ends makes
 * the pending call fail (a transfer then cuts its local file back to the
 * bytes received in order); its caller's remote_why() ends the program
 * (exit 255), as OpenSSH's sftp ends when its ssh dies. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "sftp.h"

/* The longest wait in poll(): keeps the progress meter and time-based
 * rekeying going while the server is quiet. */
#define PUMP_WAIT_MS 1000
/* Events handled per round before the pending call gets another look. */
#define PUMP_MAX_EVENTS 256
#define DISCONNECT_WAIT_MS 2000
#define SSH_DISCONNECT_BY_APPLICATION 11

/* Says once, in ssh's words, how the connection ended. */
static int connection_lost(struct remote *r, const sshkit_event *ev)
{
    sshkit_event none;
    if (ev == NULL) {
        memset(&none, 0, sizeof none);
        none.type = SSHKIT_EVENT_NONE;
        ev = &none;
    }
    if (!r->lost)
        report_disconnect(r->conn.s, ev, r->conn.addr, r->opt->ssh.port);
    r->lost = true;
    return SSHKIT_E_CLOSED;
}

int remote_pump(struct remote *r)
{
    if (r->lost)
        return SSHKIT_E_CLOSED;
    sshkit_event ev;
    unsigned want = 0;
    int n = SSHKIT_E_AGAIN, events = 0;
    while (events < PUMP_MAX_EVENTS &&
           (n = sshkit_nb_process(r->conn.s, r->conn.fd, &ev, &want)) == 1) {
        events++;
        if (ev.type == SSHKIT_EVENT_DISCONNECTED)
            return connection_lost(r, &ev);
    }
    if (events > 0)
        return SSHKIT_E_AGAIN;
    if (n != SSHKIT_E_AGAIN)
        return connection_lost(r, NULL);
    struct pollfd p = { .fd = r->conn.fd, .events = 0 };
    if (want & SSHKIT_WANT_READ)
        p.events |= POLLIN;
    if (want & SSHKIT_WANT_WRITE)
        p.events |= POLLOUT;
    if (poll(&p, 1, PUMP_WAIT_MS) < 0 && errno != EINTR)
        return connection_lost(r, NULL);
    return SSHKIT_E_AGAIN;
}

/* Errors after which the SFTP session cannot go on. */
static bool session_over(int rc)
{
    return rc == SSHKIT_E_CLOSED || rc == SSHKIT_E_PROTOCOL || rc == SSHKIT_E_CONNECTION_CLOSED ||
           rc == SSHKIT_E_DISCONNECTED || rc == SSHKIT_E_TIMEOUT || rc == SSHKIT_E_NOMEM;
}

const char *remote_why(struct remote *r, int rc)
{
    if (session_over(rc) || r->lost) {
        const char *why = r->sftp ? sshkit_sftp_last_error(r->sftp) : "";
        if (rc != SSHKIT_E_CLOSED && !r->lost && why && *why)
            error_line("%s", why);
        error_line("Connection closed");
        exit(SFTP_EXIT_FATAL);
    }
    if (rc == SSHKIT_E_SFTP_STATUS)
        return sshkit_sftp_status_message(sshkit_sftp_last_status(r->sftp));
    if (rc == SSHKIT_E_UNSUPPORTED)
        return sshkit_sftp_status_message(SSHKIT_SFTP_OP_UNSUPPORTED);
    if (rc == SSHKIT_E_IO)
        return strerror(errno);
    return sshkit_strerror(rc);
}

/* The subsystem and the version exchange, with ssh's and sftp's words. */
static bool start_sftp(struct remote *r)
{
    int rc = sshkit_channel_open_session(r->conn.s, &r->channel);
    if (rc == 0)
        rc = sshkit_sftp_new(r->channel, &r->sftp);
    if (rc == 0)
        REMOTE_CALL(r, rc, sshkit_sftp_handshake(r->sftp));
    if (rc == 0)
        return true;
    if (rc == SSHKIT_E_REFUSED)
        error_line("subsystem request failed on channel 0");
    else if (r->sftp != NULL && *sshkit_sftp_last_error(r->sftp))
        error_line("%s", sshkit_sftp_last_error(r->sftp));
    else
        error_line("sshkit-sftp: %s", sshkit_strerror(rc));
    error_line("Connection closed");
    return false;
}

bool remote_open(struct remote *r, const struct sftp_options *o)
{
    memset(r, 0, sizeof *r);
    r->opt = o;
    if (!ssh_conn_open(&o->ssh, &r->conn)) {
        error_line("Connection closed");
        return false;
    }
    return start_sftp(r);
}

void remote_close(struct remote *r)
{
    sshkit_sftp_free(r->sftp);
    r->sftp = NULL;
    if (r->conn.s != NULL && r->channel != NULL && !r->lost) {
        sshkit_channel_close(r->channel);
        sshkit_blocking_disconnect(r->conn.s, r->conn.fd, SSH_DISCONNECT_BY_APPLICATION,
                                   "disconnected by user", DISCONNECT_WAIT_MS);
    }
    sshkit_channel_free(r->channel);
    r->channel = NULL;
    ssh_conn_close(&r->conn);
}
