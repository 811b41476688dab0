/* The SFTP client's traffic: requests out through the channel's window,
 * replies in from the channel's receive buffer, routed by id. */
#include "sftp/client_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

__attribute__((format(printf, 2, 0)))
static void describe(sshkit_sftp *sftp, const char *fmt, va_list ap)
{
    vsnprintf(sftp->last_error, sizeof sftp->last_error, fmt, ap);
}

int sk_sftp_fail(sshkit_sftp *sftp, int error, const char *fmt, ...)
{
    if (sftp->fatal)
        return sftp->fatal;
    va_list ap;
    va_start(ap, fmt);
    describe(sftp, fmt, ap);
    va_end(ap);
    sftp->fatal = error;
    return error;
}

int sk_sftp_error(sshkit_sftp *sftp, int error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    describe(sftp, fmt, ap);
    va_end(ap);
    return error;
}

/* Drops the part of out the channel has taken, once it is half of it. */
static void compact(sshkit_sftp *sftp)
{
    sk_buf *b = &sftp->out;
    if (sftp->out_pos == 0 || sftp->out_pos < b->len - sftp->out_pos)
        return;
    memmove(b->data, b->data + sftp->out_pos, b->len - sftp->out_pos);
    b->len -= sftp->out_pos;
    sftp->out_pos = 0;
}

sk_buf *sk_sftp_request(sshkit_sftp *sftp, uint8_t type, uint32_t *id, size_t *start)
{
    compact(sftp);
    *start = sk_sftp_packet_begin(&sftp->out, type);
    *id = sftp->next_id++;
    sk_write_u32(&sftp->out, *id);
    return &sftp->out;
}

int sk_sftp_request_end(sshkit_sftp *sftp, size_t start)
{
    sk_sftp_packet_end(&sftp->out, start);
    if (sk_buf_error(&sftp->out))
        return sk_sftp_fail(sftp, sk_buf_error(&sftp->out), "cannot encode a request: %s",
                            sshkit_strerror(sk_buf_error(&sftp->out)));
    return 0;
}

size_t sk_sftp_backlog(const sshkit_sftp *sftp)
{
    return sftp->out.len - sftp->out_pos;
}

/* Hands the channel as much of out as its window takes. */
static int flush(sshkit_sftp *sftp)
{
    while (sftp->out_pos < sftp->out.len) {
        int n = sshkit_channel_write(sftp->channel, 0, sftp->out.data + sftp->out_pos,
                                     sftp->out.len - sftp->out_pos);
        if (n == SSHKIT_E_AGAIN || n == 0)
            break;
        if (n < 0)
            return sk_sftp_fail(sftp, SSHKIT_E_CLOSED, "the SFTP channel closed");
        sftp->out_pos += (size_t)n;
    }
    if (sftp->out_pos == sftp->out.len && sftp->out_pos > 0) {
        sk_buf_reset(&sftp->out);
        sftp->out_pos = 0;
    }
    return 0;
}

int sk_sftp_orphan(sshkit_sftp *sftp, uint32_t id)
{
    if (sftp->orphan_count == sftp->orphan_cap) {
        if (sftp->orphan_cap >= SK_SFTP_MAX_ORPHANS)
            return sk_sftp_fail(sftp, SSHKIT_E_TOO_LARGE, "too many abandoned requests");
        size_t cap = sftp->orphan_cap ? sftp->orphan_cap * 2 : 64;
        uint32_t *bigger = realloc(sftp->orphans, cap * sizeof *bigger);
        if (bigger == NULL)
            return sk_sftp_fail(sftp, SSHKIT_E_NOMEM, "out of memory");
        sftp->orphans = bigger;
        sftp->orphan_cap = cap;
    }
    sftp->orphans[sftp->orphan_count++] = id;
    return 0;
}

static bool drop_orphan(sshkit_sftp *sftp, uint32_t id)
{
    for (size_t i = 0; i < sftp->orphan_count; i++) {
        if (sftp->orphans[i] == id) {
            sftp->orphans[i] = sftp->orphans[--sftp->orphan_count];
            return true;
        }
    }
    return false;
}

/* Routes one whole packet (length field included). */
static int dispatch(sshkit_sftp *sftp, const uint8_t *pkt, size_t len)
{
    uint8_t type = pkt[4];
    if (type == SK_FXP_VERSION)
        return sk_sftp_handle_version(sftp, pkt, len);
    if (len < 9)
        return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent a packet of type %u without an id",
                            type);
    uint32_t id = sk_load_u32(pkt + 5);
    if (sftp->hs < SK_HS_LIMITS)
        return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent type %u before VERSION", type);
    if (sk_sftp_ask_take(&sftp->hs_ask, id, pkt, len)) {
        sk_sftp_take_limits(sftp);
        return sftp->fatal;
    }
    if (sk_sftp_read_direct(sftp, id, pkt, len))
        return sftp->fatal;
    if (sk_sftp_ask_take(&sftp->call.ask, id, pkt, len))
        return 0;
    if (sk_sftp_write_ack(sftp, id, pkt, len))
        return sftp->fatal;
    if (sk_sftp_transfer_dispatch(sftp, id, pkt, len))
        return sftp->fatal;
    if (drop_orphan(sftp, id))
        return 0;
    return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server answered request %u, which was never sent",
                        id);
}

/* Handles every whole packet in the channel's buffer, in place. */
static int receive(sshkit_sftp *sftp)
{
    for (;;) {
        const uint8_t *data;
        size_t n = sk_channel_peek(sftp->channel, 0, &data);
        long whole = sk_sftp_frame(data, n, SK_SFTP_MAX_PACKET);
        if (whole == SSHKIT_E_TOO_LARGE)
            return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent a packet of %u bytes (limit %u)",
                                sk_load_u32(data), SK_SFTP_MAX_PACKET);
        if (whole < 0)
            return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent an empty packet");
        if (whole == 0) {
            if (sshkit_channel_eof_received(sftp->channel) || sftp->channel->state != SK_CH_OPEN)
                return sk_sftp_fail(sftp, SSHKIT_E_CLOSED, n ? "the SFTP channel closed inside a packet"
                                                             : "the SFTP channel closed");
            return 0;
        }
        int rc = dispatch(sftp, data, (size_t)whole);
        if (rc)
            return rc;
        sftp->received++;
        if ((rc = sk_channel_consume(sftp->channel, 0, (size_t)whole)) != 0)
            return sk_sftp_fail(sftp, rc, "the session failed");
    }
}

/* The server's stderr (sftp-server -e logs there) shares the window:
 * drop it as it comes, or it would close the window on the replies. */
static int drop_stderr(sshkit_sftp *sftp)
{
    const uint8_t *data;
    size_t n = sk_channel_peek(sftp->channel, 1, &data);
    int rc = n ? sk_channel_consume(sftp->channel, 1, n) : 0;
    return rc ? sk_sftp_fail(sftp, rc, "the session failed") : 0;
}

int sk_sftp_pump(sshkit_sftp *sftp)
{
    if (sftp->fatal)
        return sftp->fatal;
    if (sftp->hs == SK_HS_OPENING)
        return 0;
    int rc = drop_stderr(sftp);
    if (rc == 0)
        rc = flush(sftp);
    if (rc == 0)
        rc = receive(sftp);
    if (rc == 0)
        rc = flush(sftp);   /* room freed by what was read */
    return rc;
}

int sk_sftp_wait(sshkit_sftp *sftp)
{
    if (!sftp->blocking || sftp->client == NULL)
        return SSHKIT_E_AGAIN;
    int rc = sshkit_client_wait_event(sftp->client);
    if (rc == SSHKIT_E_TIMEOUT)
        return sk_sftp_error(sftp, rc, "timed out waiting for the SFTP server");
    if (rc < 0)
        return sk_sftp_fail(sftp, rc, "the connection ended: %s",
                            sshkit_session_last_error(sshkit_client_session(sftp->client)));
    return 0;
}
