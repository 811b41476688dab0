/* Bytes between a child and its channel, with back-pressure both ways:
 * a child's output is read only while the channel takes it (a short write
 * keeps the rest and waits for SSHKIT_EVENT_CHANNEL_WRITABLE), and the
 * channel is read only while the child's stdin takes it (the rest is kept
 * until the pipe drains), so the client's window stays shut meanwhile. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "channels.h"
#include "log.h"

#define RELAY_ROUNDS 8          /* buffers moved per call, for fairness */

static void eof_from_child(struct sess *s, int stream)
{
    close(s->fd_out[stream]);
    s->fd_out[stream] = -1;
}

/* Sends what the buffer holds; false when the channel took less. */
static bool flush_out(struct sess *s, int stream)
{
    struct sess_buf *b = &s->out[stream];
    while (b->len > 0) {
        int n = sshkit_channel_write(s->ch, stream, b->data + b->off, b->len);
        if (n == SSHKIT_E_AGAIN)
            return false;
        if (n < 0) {                /* EOF sent or closed: nobody listens */
            b->len = 0;
            return true;
        }
        b->off += (size_t)n;
        b->len -= (size_t)n;
        if (n == 0)
            return false;
    }
    b->off = 0;
    return true;
}

void relay_from_child(struct sess *s, int stream)
{
    struct sess_buf *b = &s->out[stream];
    for (int round = 0; round < RELAY_ROUNDS && flush_out(s, stream); round++) {
        if (s->fd_out[stream] < 0)
            return;
        ssize_t n = read(s->fd_out[stream], b->data, sizeof b->data);
        if (n > 0) {
            b->off = 0;
            b->len = (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (s->exited && s->master >= 0)
                eof_from_child(s, stream);     /* a pty: nothing more once its child is gone */
            return;
        } else {
            eof_from_child(s, stream);         /* EOF; EIO from a pty whose slave is closed */
            return;
        }
    }
    flush_out(s, stream);       /* what the last round read: sent, or WRITABLE will come */
}

/* Closes the child's stdin (pipes only: a pty's is its terminal). */
static void close_stdin(struct sess *s)
{
    if (s->master < 0 && s->fd_in >= 0)
        close(s->fd_in);
    if (s->master < 0)
        s->fd_in = -1;
    s->in_closed = true;
}

/* Writes what is kept; false while the child's stdin is full. */
static bool flush_in(struct sess *s)
{
    while (s->in_off < s->in_len) {
        if (s->fd_in < 0) {
            s->in_off = s->in_len;      /* nobody reads: drop it */
            break;
        }
        ssize_t n = write(s->fd_in, s->in + s->in_off, s->in_len - s->in_off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return false;
        if (n < 0) {                    /* EPIPE: the child closed its stdin */
            close_stdin(s);
            continue;
        }
        s->in_off += (size_t)n;
    }
    s->in_off = s->in_len = 0;
    return true;
}

void relay_to_child(struct sess *s)
{
    if (!s->started)
        return;                         /* data before exec waits in the channel */
    while (flush_in(s)) {       /* bounded by the window we granted */
        uint8_t junk[512];
        int n = sshkit_channel_read(s->ch, 1, junk, sizeof junk);   /* client stderr: unused */
        while (n > 0)
            n = sshkit_channel_read(s->ch, 1, junk, sizeof junk);
        n = sshkit_channel_read(s->ch, 0, s->in, sizeof s->in);
        if (n > 0 && !s->in_closed) {
            s->in_len = (size_t)n;
        } else if (n == 0) {
            if (!s->in_closed)
                close_stdin(s);         /* the client's EOF */
            return;
        } else if (n < 0) {
            return;                     /* nothing more now */
        }
    }
}

/* The exit-status or exit-signal request for a wait status. */
static void send_exit(struct sess *s)
{
    int st = s->wstatus;
    if (WIFSIGNALED(st)) {
        const char *name = child_signal_name(WTERMSIG(st));
        char other[32];
        if (name == NULL) {
            snprintf(other, sizeof other, "SIG%d@sshkit", WTERMSIG(st));
            name = other;
        }
        sshkit_channel_send_exit_signal(s->ch, name, WCOREDUMP(st), "");
    } else {
        sshkit_channel_send_exit_status(s->ch, (unsigned)WEXITSTATUS(st) & 0xff);
    }
}

/* Once the child has exited and its output is all sent: the status, EOF
 * and CLOSE; the session goes when the client's CLOSE comes. */
void relay_finish(struct sess *s)
{
    if (!s->exited || s->finished)
        return;
    if (s->master >= 0 && s->fd_out[0] >= 0)
        relay_from_child(s, 0);         /* what the pty still holds */
    for (int k = 0; k < 2; k++)
        if (s->fd_out[k] >= 0 || s->out[k].len > 0)
            return;
    s->finished = true;
    send_exit(s);
    sshkit_channel_send_eof(s->ch);
    sshkit_channel_close(s->ch);
}
