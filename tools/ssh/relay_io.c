/* sshkit-ssh: moving bytes between stdio and the channel, never waiting
 * (stdin and stdout are non-blocking unless terminals; a terminal's
 * write may wait, as ssh's does). */
#include <errno.h>
#include <unistd.h>

#include "relay.h"

/* Takes what the channel holds on a stream while there is room for it. */
static bool channel_to_buf(struct relay *r, int k)
{
    struct relay_buf *b = &r->out[k];
    bool moved = false;
    if (b->off == b->len || r->out_broken[k])
        b->off = b->len = 0;
    while (!r->stream_done[k] && b->len < RELAY_BUF) {
        int n = sshkit_channel_read(r->ch, k, b->data + b->len, RELAY_BUF - b->len);
        if (n < 0)
            break;                      /* SSHKIT_E_AGAIN: nothing more yet */
        if (n == 0)
            r->stream_done[k] = true;
        b->len += (size_t)n;
        moved = true;
        if (r->out_broken[k])
            b->off = b->len = 0;        /* read to keep the window open, then dropped */
    }
    return moved;
}

/* Writes a stream's buffer to fd 1 or 2. When stdout breaks (a closed
 * pipe), the channel is closed: the command has no one to talk to. */
static bool buf_to_fd(struct relay *r, int k)
{
    struct relay_buf *b = &r->out[k];
    bool moved = false;
    while (b->off < b->len && !r->out_broken[k]) {
        ssize_t n = write(k + 1, b->data + b->off, b->len - b->off);
        if (n > 0) {
            b->off += (size_t)n;
            moved = true;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            break;
        } else {
            r->out_broken[k] = true;
            b->off = b->len = 0;
            if (k == 0 && !r->closed)
                sshkit_channel_close(r->ch);
            moved = true;
        }
    }
    return moved;
}

/* Gives the channel what stdin gave us, as its window allows; then EOF. */
static bool stdin_to_channel(struct relay *r)
{
    struct relay_buf *b = &r->in;
    bool moved = false;
    while (b->off < b->len && !r->window_shut) {
        int n = sshkit_channel_write(r->ch, 0, b->data + b->off, b->len - b->off);
        if (n == SSHKIT_E_AGAIN) {
            r->window_shut = true;
        } else if (n < 0) {
            b->off = b->len;            /* closing: the rest has nowhere to go */
            r->stdin_open = false;
        } else {
            b->off += (size_t)n;
            moved = true;
        }
    }
    if (!r->stdin_open && b->off == b->len && !r->eof_sent && !r->closed) {
        r->eof_sent = true;
        sshkit_channel_send_eof(r->ch);
        moved = true;
    }
    return moved;
}

bool relay_pump(struct relay *r)
{
    bool moved = false;
    for (int k = 0; k < 2; k++) {
        moved |= channel_to_buf(r, k);
        moved |= buf_to_fd(r, k);
    }
    return stdin_to_channel(r) || moved;
}

void relay_read_stdin(struct relay *r)
{
    uint8_t typed[RELAY_BUF / 2];
    ssize_t n = r->escapes ? read(STDIN_FILENO, typed, sizeof typed)
                           : read(STDIN_FILENO, r->in.data, RELAY_BUF);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (n <= 0) {
        log_at(SSH_LOG_DEBUG2, "stdin: %s", n == 0 ? "end of input" : "read error");
        r->stdin_open = false;
        return;
    }
    r->in.off = 0;
    r->in.len = r->escapes ? escape_filter(r, typed, (size_t)n, r->in.data) : (size_t)n;
}

void relay_flush(struct relay *r)
{
    for (int k = 0; k < 2; k++) {
        struct relay_buf *b = &r->out[k];
        while (b->off < b->len && !r->out_broken[k]) {
            ssize_t n = write(k + 1, b->data + b->off, b->len - b->off);
            if (n > 0)
                b->off += (size_t)n;
            else if (n < 0 && errno != EINTR)
                r->out_broken[k] = true;
        }
    }
}
