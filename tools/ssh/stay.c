/* sshkit-ssh -N: stays connected, forwarding what -L asks (fwd.c), until
 * SIGINT, SIGTERM or SIGHUP (then a polite DISCONNECT and exit 0) or until
 * the server ends the connection (exit 255). Key renewals go on meanwhile.
 * One poll loop over the connection and the forwarded sockets. */
#include <poll.h>
#include <signal.h>
#include <string.h>

#include "fwd.h"
#include "ssh.h"

/* How often the loop looks at the signal flag and the clock (rekeying). */
#define STAY_POLL_MS 200
#define STAY_DISCONNECT_MS 5000
#define SSH_DISCONNECT_BY_APPLICATION 11

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    interrupted = sig;
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* Runs the session as far as it goes; false once the connection is over
 * (reported). */
static bool drive(const struct ssh_options *o, sshkit_session *s, int fd, const char *addr,
                  struct fwd *fwd, unsigned *want)
{
    sshkit_event ev;
    int rc;
    while ((rc = sshkit_nb_process(s, fd, &ev, want)) == 1) {
        if (fwd_event(fwd, &ev))
            continue;
        switch (ev.type) {
        case SSHKIT_EVENT_DISCONNECTED:
            report_disconnect(s, &ev, addr, o->port);
            return false;
        case SSHKIT_EVENT_KEX_DONE: log_at(SSH_LOG_DEBUG1, "rekey done"); break;
        case SSHKIT_EVENT_CHANNEL_OPEN_REQUEST:
            sshkit_channel_reject(ev.u.channel.channel, SSHKIT_OPEN_ADMINISTRATIVELY_PROHIBITED,
                                  NULL);
            sshkit_channel_free(ev.u.channel.channel);
            break;
        default: break;
        }
    }
    if (rc == SSHKIT_E_AGAIN)
        return true;
    ev.type = SSHKIT_EVENT_NONE;
    report_disconnect(s, &ev, addr, o->port);
    return false;
}

int stay_connected(const struct ssh_options *o, sshkit_session *s, int fd, const char *addr,
                   struct fwd *fwd)
{
    static struct pollfd p[1 + FWD_POLL_MAX];
    unsigned want = 0;
    catch_signals();
    while (!interrupted) {
        if (!drive(o, s, fd, addr, fwd, &want))
            return SSH_EXIT_FAILURE;
        bool moved = fwd_pump(fwd);
        p[0] = (struct pollfd){ .fd = fd, .events = (short)((want & SSHKIT_WANT_READ ? POLLIN : 0) |
                                                            (want & SSHKIT_WANT_WRITE ? POLLOUT : 0)) };
        size_t n = 1 + fwd_poll(fwd, p + 1);
        if (!interrupted)
            poll(p, n, moved ? 0 : STAY_POLL_MS);
    }
    log_at(SSH_LOG_DEBUG1, "received signal %d; disconnecting", (int)interrupted);
    int rc = sshkit_blocking_disconnect(s, fd, SSH_DISCONNECT_BY_APPLICATION,
                                        "disconnected by user", STAY_DISCONNECT_MS);
    return rc == 0 ? 0 : SSH_EXIT_FAILURE;
}
