/* A socket <-> channel relay; see chan_relay.h. */
#include "chan_relay.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#define ROUNDS 8                    /* buffers moved per direction per pump, for fairness */

void chan_relay_init(struct chan_relay *r, sshkit_channel *ch, int fd, bool opened)
{
    *r = (struct chan_relay){ .ch = ch, .fd = fd, .opened = opened };
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static bool pending(const struct chan_relay_buf *b)
{
    return b->off < b->len;
}

short chan_relay_events(const struct chan_relay *r)
{
    if (r->fd < 0)
        return 0;
    short ev = pending(&r->to_fd) ? POLLOUT : 0;
    if (r->opened && !r->fd_done && !r->close_sent && !r->ch_closed && !pending(&r->to_ch) &&
        !r->window_shut)
        ev |= POLLIN;
    return ev;
}

/* The socket broke: nothing more goes either way through it. */
static void fd_lost(struct chan_relay *r)
{
    if (r->fd >= 0)
        close(r->fd);
    r->fd = -1;
    r->fd_done = true;
    r->to_fd.off = r->to_fd.len = 0;
    r->to_ch.off = r->to_ch.len = 0;
}

/* Channel -> buffer -> socket. */
static bool channel_to_fd(struct chan_relay *r)
{
    struct chan_relay_buf *b = &r->to_fd;
    bool moved = false;
    for (int round = 0; round < ROUNDS; round++) {
        if (!pending(b) && !r->ch_done) {
            uint8_t junk[512];
            while (sshkit_channel_read(r->ch, 1, junk, sizeof junk) > 0)
                ;                   /* extended data has no meaning here */
            int n = sshkit_channel_read(r->ch, 0, b->data, sizeof b->data);
            if (n == SSHKIT_E_AGAIN)
                break;
            b->off = 0;
            b->len = n > 0 ? (size_t)n : 0;
            r->ch_done = n <= 0;
            moved = true;
            if (r->fd < 0)
                b->len = 0;         /* read to keep the window open; nowhere to go */
        }
        if (!pending(b) || r->fd < 0)
            break;
        ssize_t n = send(r->fd, b->data + b->off, b->len - b->off, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            b->off += (size_t)n;
            moved = true;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            break;
        } else {
            fd_lost(r);
            moved = true;
        }
    }
    return moved;
}

/* Socket -> buffer -> channel. */
static bool fd_to_channel(struct chan_relay *r)
{
    struct chan_relay_buf *b = &r->to_ch;
    bool moved = false;
    for (int round = 0; round < ROUNDS && r->opened && !r->close_sent && !r->ch_closed; round++) {
        if (!pending(b) && !r->fd_done && r->fd >= 0 && !r->window_shut) {
            ssize_t n = recv(r->fd, b->data, sizeof b->data, MSG_DONTWAIT);
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
                break;
            b->off = 0;
            b->len = n > 0 ? (size_t)n : 0;
            r->fd_done = n <= 0;
            moved = true;
        }
        if (!pending(b))
            break;
        int n = sshkit_channel_write(r->ch, 0, b->data + b->off, b->len - b->off);
        if (n == SSHKIT_E_AGAIN || n == 0) {
            r->window_shut = true;
            break;
        }
        if (n < 0) {                /* the channel is closing: nobody reads */
            b->off = b->len;
            r->fd_done = true;
            break;
        }
        b->off += (size_t)n;
        moved = true;
    }
    return moved;
}

/* EOF each way once its direction has ended; CLOSE when both have. */
static void ends(struct chan_relay *r)
{
    if (r->ch_done && !pending(&r->to_fd) && r->fd >= 0 && !r->wr_shut) {
        shutdown(r->fd, SHUT_WR);
        r->wr_shut = true;
    }
    if (r->fd_done && !pending(&r->to_ch) && r->opened && !r->eof_sent && !r->ch_closed &&
        !r->close_sent) {
        sshkit_channel_send_eof(r->ch);
        r->eof_sent = true;
    }
    bool out_done = r->fd_done && !pending(&r->to_ch);
    bool in_done = r->ch_done && !pending(&r->to_fd);
    if ((out_done && in_done) || (r->fd < 0 && r->opened)) {
        if (!r->close_sent && !r->ch_closed && r->opened)
            sshkit_channel_close(r->ch);
        r->close_sent = true;
    }
    if (r->close_sent && r->fd >= 0 && in_done) {
        close(r->fd);
        r->fd = -1;
    }
}

bool chan_relay_pump(struct chan_relay *r)
{
    bool moved = false;
    if (r->opened) {
        moved |= channel_to_fd(r);
        moved |= fd_to_channel(r);
    }
    ends(r);
    return moved;
}

bool chan_relay_event(struct chan_relay *r, const sshkit_event *ev)
{
    sshkit_channel *ch = ev->type == SSHKIT_EVENT_CHANNEL_REQUEST ? ev->u.request.channel
                                                                  : ev->u.channel.channel;
    if (ch != r->ch)
        return false;
    switch (ev->type) {
    case SSHKIT_EVENT_CHANNEL_OPENED:
        r->opened = true;
        break;
    case SSHKIT_EVENT_CHANNEL_OPEN_FAILED:
        r->ch_closed = r->ch_done = true;
        fd_lost(r);
        return true;
    case SSHKIT_EVENT_CHANNEL_WRITABLE:
        r->window_shut = false;
        break;
    case SSHKIT_EVENT_CHANNEL_CLOSED:
        r->ch_closed = true;
        break;
    case SSHKIT_EVENT_CHANNEL_REQUEST:
        if (ev->u.request.want_reply)
            sshkit_channel_request_reply(ch, false);
        return true;
    default:
        break;
    }
    chan_relay_pump(r);
    return true;
}

bool chan_relay_finished(const struct chan_relay *r)
{
    return r->ch_closed && (r->fd < 0 || (r->ch_done && !pending(&r->to_fd)));
}

void chan_relay_free(struct chan_relay *r)
{
    if (r->fd >= 0)
        close(r->fd);
    r->fd = -1;
    sshkit_channel_free(r->ch);
    r->ch = NULL;
}
