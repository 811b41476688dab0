/* sshkit-ssh -N: stays connected, doing nothing, until SIGINT, SIGTERM or
 * SIGHUP (then a polite DISCONNECT and exit 0) or until the server ends
 * the connection (exit 255). Key renewals go on meanwhile. */
#include <signal.h>
#include <string.h>

#include "ssh.h"

/* How often the loop looks at the signal flag. */
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
}

int stay_connected(const struct ssh_options *o, sshkit_session *s, int fd, const char *addr)
{
    catch_signals();
    while (!interrupted) {
        sshkit_event ev;
        int rc = sshkit_blocking_wait_event(s, fd, &ev, STAY_POLL_MS);
        if (rc == SSHKIT_E_TIMEOUT)
            continue;
        if (rc < 0 || ev.type == SSHKIT_EVENT_DISCONNECTED) {
            if (rc < 0)
                ev.type = SSHKIT_EVENT_NONE;
            report_disconnect(s, &ev, addr, o->port);
            return SSH_EXIT_FAILURE;
        }
        if (ev.type == SSHKIT_EVENT_KEX_DONE)
            log_at(SSH_LOG_DEBUG1, "rekey done");
    }
    log_at(SSH_LOG_DEBUG1, "received signal %d; disconnecting", (int)interrupted);
    int rc = sshkit_blocking_disconnect(s, fd, SSH_DISCONNECT_BY_APPLICATION,
                                        "disconnected by user", STAY_DISCONNECT_MS);
    return rc == 0 ? 0 : SSH_EXIT_FAILURE;
}
