/* The driver between an SFTP server engine and its channel. Replies go out
 * first; requests are read only when there is room for their replies, so a
 * client that does not read is held back by the channel's window (its
 * requests stay in the channel, which grants no more window until they are
 * read) and nothing is buffered without bound. */
#include <sshkit/channel.h>
#include <sshkit/error.h>

#include "sftp/server.h"

/* Rounds of write, handle, read per call: then the caller's other work. */
#define PUMP_ROUNDS 16

/* Writes pending replies: 0 when all went, 1 when the channel took less
 * (SSHKIT_EVENT_CHANNEL_WRITABLE follows), or the channel's error. */
static int flush(sshkit_sftp_server *s, sshkit_channel *ch)
{
    const uint8_t *p;
    size_t n;

    while ((n = sshkit_sftp_server_pending(s, &p)) > 0) {
        int w = sshkit_channel_write(ch, 0, p, n);
        if (w == SSHKIT_E_AGAIN)
            return 1;
        if (w < 0)
            return w;
        sshkit_sftp_server_sent(s, (size_t)w);
        if ((size_t)w < n)
            return 1;
    }
    return 0;
}

/* Extended data from the client means nothing to SFTP: read and dropped,
 * so it does not hold the window shut. */
static void drop_stderr(sshkit_channel *ch)
{
    uint8_t junk[1024];

    while (sshkit_channel_read(ch, 1, junk, sizeof junk) > 0)
        ;
}

/* Reads what the channel has into the engine: 0 when something came (or
 * EOF), 1 when nothing is there yet, or the channel's error. */
static int take_input(sshkit_sftp_server *s, sshkit_channel *ch)
{
    uint8_t *room;
    size_t cap;
    int rc = sshkit_sftp_server_receive_buffer(s, &room, &cap);

    if (rc != 0)
        return rc;
    if (cap == 0)
        return 1;
    int n = sshkit_channel_read(ch, 0, room, cap);
    if (n == SSHKIT_E_AGAIN)
        return 1;
    if (n < 0)
        return n;
    if (n == 0)
        sshkit_sftp_server_end_input(s);
    else
        sshkit_sftp_server_received(s, (size_t)n);
    return 0;
}

int sshkit_sftp_server_pump(sshkit_sftp_server *s, sshkit_channel *ch)
{
    if (s == NULL || ch == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    drop_stderr(ch);
    for (int round = 0; round < PUMP_ROUNDS; round++) {
        int rc = flush(s, ch);
        if (rc != 0)
            return rc > 0 ? 0 : rc;
        int state = sshkit_sftp_server_process(s);
        if (sk_sftps_out_pending(s) > 0)
            continue;                   /* replies first */
        if (state < 0)
            return state;               /* ended, and everything is written */
        if (state > 0)
            return 1;                   /* a copy in progress: others' turn */
        rc = take_input(s, ch);
        if (rc < 0)
            return rc;
        if (rc > 0)
            return 0;                   /* SSHKIT_EVENT_CHANNEL_DATA follows */
    }
    return 1;
}
