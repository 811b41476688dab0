/* Bytes between a local stream socket and an SSH channel, both ways,
 * never waiting: the socket is non-blocking, the owner polls it for
 * chan_relay_events() and calls chan_relay_pump() when it is ready and
 * after the channel's events. Each direction ends on its own (EOF on the
 * channel, shutdown(SHUT_WR) on the socket); the channel is closed once
 * both have. Agent forwarding uses it on both sides (sshkit-ssh, sshkit-sshd). */
#ifndef SSHKIT_TOOLS_CHAN_RELAY_H
#define SSHKIT_TOOLS_CHAN_RELAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sshkit.h>

#define CHAN_RELAY_BUF 16384        /* bytes held per direction */

struct chan_relay_buf {
    uint8_t data[CHAN_RELAY_BUF];
    size_t off, len;                /* data[off..len) waits to be written */
};

struct chan_relay {
    sshkit_channel *ch;
    int fd;                         /* the local socket; -1 once closed */
    bool opened;                    /* the channel is open: bytes may go to it */
    bool window_shut;               /* the channel took nothing: wait for WRITABLE */
    bool fd_done;                   /* the socket gives no more (EOF or an error) */
    bool ch_done;                   /* the channel gives no more (its stream ended) */
    bool eof_sent, wr_shut, close_sent;
    bool ch_closed;                 /* SSHKIT_EVENT_CHANNEL_CLOSED came (or the open failed) */
    struct chan_relay_buf to_fd, to_ch;
};

/* Starts a relay between fd (made non-blocking, owned from now on) and
 * ch (owned too); opened says whether ch is open already. */
void chan_relay_init(struct chan_relay *r, sshkit_channel *ch, int fd, bool opened);
/* What to poll the socket for (0: nothing now). */
short chan_relay_events(const struct chan_relay *r);
/* Moves what can move; whether anything did. */
bool chan_relay_pump(struct chan_relay *r);
/* Whether the event is about this relay's channel; if so, takes it
 * (OPENED, OPEN_FAILED, DATA, EOF, WRITABLE, CLOSED) and pumps. */
bool chan_relay_event(struct chan_relay *r, const sshkit_event *ev);
/* Whether it is over: the channel closed and what it carried delivered.
 * Then chan_relay_free() it. */
bool chan_relay_finished(const struct chan_relay *r);
/* Closes the socket and frees the channel (closing it if still open). */
void chan_relay_free(struct chan_relay *r);

#endif
