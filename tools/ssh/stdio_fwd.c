/* sshkit-ssh -W host:port: stdin and stdout joined to host:port through a
 * direct-tcpip channel, as ssh's stdio forwarding (what ProxyJump runs).
 * One poll loop over the connection, stdin, stdout and the signal pipe;
 * stdin is read only when the channel can take it, channel data only when
 * stdout has taken the last, so each side holds the other back. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ssh.h"

#define STDIO_BUF (64u << 10)
#define STDIO_IDLE_MS 1000          /* wakes this often for time-based rekeying */
#define STDIO_DISCONNECT_MS 5000
#define SSH_DISCONNECT_BY_APPLICATION 11

struct stdio_buf {
    size_t off, len;                /* data[off..len) waits to be written */
    uint8_t data[STDIO_BUF];
};

struct stdio_fwd {
    const struct ssh_options *opt;
    sshkit_session *s;
    int fd;
    const char *addr;
    sshkit_channel *ch;
    unsigned want;
    int signal_fd;
    bool opened, failed, closed, lost, interrupted;
    bool in_done, eof_sent, window_shut, close_sent;
    bool out_done, out_shut, out_broken;
    struct stdio_buf in, out;       /* stdin to the channel; the channel to stdout */
};

static bool pending(const struct stdio_buf *b)
{
    return b->off < b->len;
}

static void on_event(struct stdio_fwd *f, const sshkit_event *ev)
{
    bool ours = ev->u.channel.channel == f->ch;
    switch (ev->type) {
    case SSHKIT_EVENT_CHANNEL_OPENED: f->opened |= ours; break;
    case SSHKIT_EVENT_CHANNEL_OPEN_FAILED:
        if (!ours)
            break;
        log_at(SSH_LOG_ERROR, "channel 0: open failed: %s: %s",
               open_failure_text(ev->u.channel.reason),
               ev->u.channel.message ? ev->u.channel.message : "");
        log_at(SSH_LOG_FATAL, "stdio forwarding failed");
        f->failed = true;
        break;
    case SSHKIT_EVENT_CHANNEL_WRITABLE: f->window_shut &= !ours; break;
    case SSHKIT_EVENT_CHANNEL_CLOSED: f->closed |= ours; break;
    case SSHKIT_EVENT_CHANNEL_REQUEST:
        if (ev->u.request.want_reply)
            sshkit_channel_request_reply(ev->u.request.channel, false);
        break;
    case SSHKIT_EVENT_CHANNEL_OPEN_REQUEST:
        sshkit_channel_reject(ev->u.channel.channel, SSHKIT_OPEN_ADMINISTRATIVELY_PROHIBITED, NULL);
        sshkit_channel_free(ev->u.channel.channel);
        break;
    case SSHKIT_EVENT_DISCONNECTED:
        report_disconnect(f->s, ev, f->addr, f->opt->port);
        f->lost = true;
        break;
    default: break;
    }
}

/* Runs the session as far as it goes; false once the connection is over. */
static bool drive(struct stdio_fwd *f)
{
    sshkit_event ev;
    int rc = SSHKIT_E_AGAIN;
    while (!f->lost && (rc = sshkit_nb_process(f->s, f->fd, &ev, &f->want)) == 1)
        on_event(f, &ev);
    if (!f->lost && rc != SSHKIT_E_AGAIN) {
        ev.type = SSHKIT_EVENT_NONE;
        report_disconnect(f->s, &ev, f->addr, f->opt->port);
        f->lost = true;
    }
    return !f->lost;
}

/* The channel's data to stdout. */
static bool channel_to_stdout(struct stdio_fwd *f)
{
    struct stdio_buf *b = &f->out;
    bool moved = false;
    if (!pending(b) && !f->out_done && f->opened) {
        uint8_t junk[512];
        while (sshkit_channel_read(f->ch, 1, junk, sizeof junk) > 0)
            ;                       /* extended data has no meaning here */
        int n = sshkit_channel_read(f->ch, 0, b->data, sizeof b->data);
        if (n != SSHKIT_E_AGAIN) {
            b->off = 0;
            b->len = n > 0 && !f->out_broken ? (size_t)n : 0;
            f->out_done = n <= 0;
            moved = true;
        }
    }
    while (pending(b)) {
        ssize_t n = write(STDOUT_FILENO, b->data + b->off, b->len - b->off);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            break;
        if (n <= 0) {               /* nobody reads: drop what comes, end our side */
            f->out_broken = f->in_done = true;
            b->off = b->len = 0;
        } else {
            b->off += (size_t)n;
        }
        moved = true;
    }
    return moved;
}

/* What stdin gave to the channel. */
static bool stdin_to_channel(struct stdio_fwd *f)
{
    struct stdio_buf *b = &f->in;
    if (!pending(b) || !f->opened || f->close_sent || f->closed)
        return false;
    int n = sshkit_channel_write(f->ch, 0, b->data + b->off, b->len - b->off);
    if (n == SSHKIT_E_AGAIN || n == 0) {
        f->window_shut = true;
        return false;
    }
    if (n < 0) {                    /* the channel is closing: nobody reads */
        b->off = b->len;
        f->in_done = true;
        return true;
    }
    b->off += (size_t)n;
    return true;
}

static void read_stdin(struct stdio_fwd *f)
{
    ssize_t n = read(STDIN_FILENO, f->in.data, sizeof f->in.data);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    f->in.off = 0;
    f->in.len = n > 0 ? (size_t)n : 0;
    f->in_done |= n <= 0;
}

/* EOF each way once its direction has ended; CLOSE when both have. */
static void ends(struct stdio_fwd *f)
{
    if (f->out_done && !pending(&f->out) && !f->out_shut) {
        if (shutdown(STDOUT_FILENO, SHUT_WR) != 0)
            close(STDOUT_FILENO);   /* not a socket: closing is the end of file */
        f->out_shut = true;
    }
    if (f->in_done && !pending(&f->in) && f->opened && !f->eof_sent && !f->closed) {
        sshkit_channel_send_eof(f->ch);
        f->eof_sent = true;
    }
    if (f->eof_sent && f->out_shut && !f->close_sent && !f->closed) {
        sshkit_channel_close(f->ch);
        f->close_sent = true;
    }
}

static bool finished(const struct stdio_fwd *f)
{
    return f->lost || f->failed || f->interrupted ||
           (f->closed && f->out_done && !pending(&f->out));
}

static void wait_ready(struct stdio_fwd *f, int timeout_ms)
{
    bool want_in = f->opened && !f->in_done && !pending(&f->in) && !f->window_shut &&
                   !f->closed && !f->close_sent;
    struct pollfd p[4] = {
        { .fd = f->fd, .events = (short)((f->want & SSHKIT_WANT_READ ? POLLIN : 0) |
                                         (f->want & SSHKIT_WANT_WRITE ? POLLOUT : 0)) },
        { .fd = f->signal_fd, .events = POLLIN },
        { .fd = want_in ? STDIN_FILENO : -1, .events = POLLIN },
        { .fd = pending(&f->out) ? STDOUT_FILENO : -1, .events = POLLOUT },
    };
    if (poll(p, 4, timeout_ms) <= 0)
        return;
    bool winch;
    if (p[1].revents && signals_take(&winch) != 0)
        f->interrupted = true;
    if (p[2].revents)
        read_stdin(f);
}

int stdio_forward_run(const struct ssh_options *o, sshkit_session *s, int fd, const char *addr)
{
    struct stdio_fwd *f = calloc(1, sizeof *f);
    if (f == NULL)
        return SSH_EXIT_FAILURE;
    *f = (struct stdio_fwd){ .opt = o, .s = s, .fd = fd, .addr = addr };
    int status = SSH_EXIT_FAILURE;
    log_at(SSH_LOG_DEBUG1, "channel_connect_stdio_fwd: %s:%u", o->stdio_host, o->stdio_port);
    if (direct_tcpip_open(s, o->stdio_host, o->stdio_port, "127.0.0.1", 65535, &f->ch) != 0) {
        log_at(SSH_LOG_FATAL, "ssh: cannot open a channel to %s:%u", o->stdio_host, o->stdio_port);
        free(f);
        return status;
    }
    f->signal_fd = signals_install();
    fdmode_nonblock(STDIN_FILENO);
    fdmode_nonblock(STDOUT_FILENO);
    while (drive(f) && !finished(f)) {
        bool moved = channel_to_stdout(f);
        moved |= stdin_to_channel(f);
        ends(f);
        if (finished(f))
            break;
        wait_ready(f, moved ? 0 : STDIO_IDLE_MS);
    }
    fdmode_restore();
    if (!f->lost) {
        status = f->failed || f->interrupted ? SSH_EXIT_FAILURE : 0;
        sshkit_blocking_disconnect(s, fd, SSH_DISCONNECT_BY_APPLICATION, "disconnected by user",
                                   STDIO_DISCONNECT_MS);
    }
    sshkit_channel_free(f->ch);
    free(f);
    return status;
}
