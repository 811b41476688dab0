/* sshkit-ssh: the session relay, one poll loop over the connection, the
 * signal pipe, stdin, stdout and stderr. stdin is read only when its
 * buffer is empty and the channel's window is open, so a slow server
 * holds back our reader; channel data is read only when there is room to
 * keep it, so a slow stdout holds back the server. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agent_fwd.h"
#include "fwd.h"
#include "relay.h"

/* Without anything happening, the loop still wakes this often so that
 * time-based rekeying runs. */
#define RELAY_IDLE_MS 1000

/* Answers a reply to pty-req, then to exec or shell, as ssh does. */
static void request_result(struct relay *r, bool success)
{
    if (r->pty_pending) {
        r->pty_pending = false;
        if (success)
            return;
        tty_restore();          /* no pty: the local terminal goes back to normal */
        r->escapes = false;
        log_at(SSH_LOG_ERROR, "PTY allocation request failed on channel 0");
        if (r->opt->request_tty == SSH_TTY_YES || r->opt->request_tty == SSH_TTY_FORCE)
            r->ended = r->fatal = true;
        return;
    }
    if (!r->request_pending)
        return;
    r->request_pending = false;
    if (!success) {
        tty_restore();
        log_at(SSH_LOG_FATAL, "%s request failed on channel 0", r->request);
        r->ended = r->fatal = true;
    }
}

static void on_event(struct relay *r, const sshkit_event *ev)
{
    if (agent_fwd_event(r->agent, ev) || fwd_event(r->fwd, ev))
        return;
    switch (ev->type) {
    case SSHKIT_EVENT_CHANNEL_WRITABLE: r->window_shut = false; break;
    case SSHKIT_EVENT_CHANNEL_CLOSED: r->closed |= ev->u.channel.channel == r->ch; break;
    case SSHKIT_EVENT_CHANNEL_REQUEST_RESULT: request_result(r, ev->u.channel.success); break;
    case SSHKIT_EVENT_CHANNEL_REQUEST:
        /* exit-status and exit-signal are kept by the channel; the rest,
         * and exit-signal itself, ssh ignores. */
        if (ev->u.request.want_reply)
            sshkit_channel_request_reply(ev->u.request.channel, false);
        break;
    case SSHKIT_EVENT_CHANNEL_OPEN_REQUEST:
        sshkit_channel_reject(ev->u.channel.channel, SSHKIT_OPEN_ADMINISTRATIVELY_PROHIBITED, NULL);
        sshkit_channel_free(ev->u.channel.channel);
        break;
    case SSHKIT_EVENT_KEX_DONE: log_at(SSH_LOG_DEBUG1, "rekey done"); break;
    case SSHKIT_EVENT_DISCONNECTED:
        tty_restore();
        report_disconnect(r->s, ev, r->addr, r->opt->port);
        r->lost = r->ended = true;
        break;
    default: break;
    }
}

/* Runs the session as far as it goes; false once the connection is over. */
static bool drive(struct relay *r)
{
    sshkit_event ev;
    int rc = SSHKIT_E_AGAIN;
    while (!r->lost && (rc = sshkit_nb_process(r->s, r->fd, &ev, &r->want)) == 1)
        on_event(r, &ev);
    if (r->lost)
        return false;
    if (rc == SSHKIT_E_AGAIN)
        return true;
    tty_restore();
    ev.type = SSHKIT_EVENT_NONE;
    report_disconnect(r->s, &ev, r->addr, r->opt->port);
    r->lost = r->ended = true;
    return false;
}

static bool done(const struct relay *r)
{
    if (r->ended)
        return true;
    if (!r->closed)
        return false;
    for (int k = 0; k < 2; k++)
        if (!r->stream_done[k] || (!r->out_broken[k] && r->out[k].off < r->out[k].len))
            return false;
    return true;
}

static void on_signals(struct relay *r)
{
    bool winch;
    int sig = signals_take(&winch);
    unsigned cols, rows;
    if (winch && r->opt->want_pty && !r->closed && tty_size(STDIN_FILENO, &cols, &rows))
        sshkit_channel_window_change(r->ch, cols, rows);
    if (sig) {
        log_at(SSH_LOG_VERBOSE, "Killed by signal %d.", sig);
        r->ended = r->fatal = true;
    }
}

static bool wants_stdin(const struct relay *r)
{
    return r->stdin_open && r->in.off == r->in.len && !r->window_shut && !r->closed;
}

/* Waits until something can move (timeout_ms 0: only looks). */
static void wait_ready(struct relay *r, int timeout_ms)
{
    static struct pollfd p[5 + AGENT_FWD_MAX + FWD_POLL_MAX];
    const struct pollfd fixed[5] = {
        { .fd = r->fd, .events = (short)((r->want & SSHKIT_WANT_READ ? POLLIN : 0) |
                                         (r->want & SSHKIT_WANT_WRITE ? POLLOUT : 0)) },
        { .fd = r->signal_fd, .events = POLLIN },
        { .fd = wants_stdin(r) ? STDIN_FILENO : -1, .events = POLLIN },
        { .fd = r->out[0].off < r->out[0].len ? STDOUT_FILENO : -1, .events = POLLOUT },
        { .fd = r->out[1].off < r->out[1].len ? STDERR_FILENO : -1, .events = POLLOUT },
    };
    memcpy(p, fixed, sizeof fixed);
    size_t n = 5 + agent_fwd_poll(r->agent, p + 5);
    n += fwd_poll(r->fwd, p + n);
    if (poll(p, n, timeout_ms) <= 0)
        return;
    if (p[1].revents)
        on_signals(r);
    if (p[2].revents && !r->ended)
        relay_read_stdin(r);
}

void relay_run(struct relay *r)
{
    r->signal_fd = signals_install();
    if (r->opt->want_pty)
        tty_make_raw(STDIN_FILENO);
    r->escapes = r->opt->want_pty;      /* as ssh: with a pty, even one forced by -tt */
    r->line_start = true;
    r->stdin_open = true;
    fdmode_nonblock(STDIN_FILENO);
    fdmode_nonblock(STDOUT_FILENO);
    while (!done(r) && drive(r)) {
        bool moved = relay_pump(r);
        moved |= agent_fwd_pump(r->agent);
        moved |= fwd_pump(r->fwd);
        if (done(r))
            break;
        wait_ready(r, moved ? 0 : RELAY_IDLE_MS);
    }
    fdmode_restore();
    tty_restore();
    relay_flush(r);
}
