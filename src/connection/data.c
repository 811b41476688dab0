/* Channel data with flow control, EOF and close (RFC 4254 sections 5.2,
 * 5.3). */
#include "connection/connection_internal.h"

#include <sshkit/error.h>

#include "transport/messages.h"

static bool can_send(const sshkit_channel *ch)
{
    return ch->state == SK_CH_OPEN && !ch->close_sent && !sshkit_session_is_closed(ch->session);
}

/* Output beyond the high-water mark stops writers until it drains. */
static bool output_full(sshkit_session *s)
{
    const uint8_t *p;
    size_t pending = sshkit_session_pending(s, &p) + s->deferred.len;
    if (pending < SK_OUTPUT_HIGH_WATER)
        return false;
    s->connection->output_blocked = true;
    return true;
}

static int send_chunk(sshkit_channel *ch, int stream, const uint8_t *data, size_t n)
{
    sk_buf *b = sk_msg_begin(ch->session, stream ? SK_MSG_CHANNEL_EXTENDED_DATA
                                                 : SK_MSG_CHANNEL_DATA);
    sk_write_u32(b, ch->remote_id);
    if (stream)
        sk_write_u32(b, 1);     /* SSH_EXTENDED_DATA_STDERR */
    sk_write_string(b, data, n);
    return sk_msg_end(ch->session);
}

int sshkit_channel_write(sshkit_channel *ch, int stream, const void *data, size_t len)
{
    if (ch == NULL || (stream != 0 && stream != 1) || (len && data == NULL))
        return SSHKIT_E_INVALID_ARGUMENT;
    if (!can_send(ch) || ch->eof_sent)
        return SSHKIT_E_STATE;
    const uint8_t *p = data;
    size_t taken = 0;
    uint32_t max = ch->remote_max_packet < SK_CHANNEL_SEND_MAX ? ch->remote_max_packet
                                                               : SK_CHANNEL_SEND_MAX;
    while (taken < len && ch->remote_window > 0 && max > 0 && !output_full(ch->session)) {
        size_t n = len - taken;
        if (n > ch->remote_window)
            n = ch->remote_window;
        if (n > max)
            n = max;
        int rc = send_chunk(ch, stream, p + taken, n);
        if (rc)
            return rc;
        ch->remote_window -= (uint32_t)n;
        taken += n;
    }
    if (taken < len)
        ch->writable_wanted = true;
    if (taken == 0 && len > 0)
        return SSHKIT_E_AGAIN;
    return (int)(taken > (size_t)INT32_MAX ? INT32_MAX : taken);
}

/* Opens the peer's window again once the application has read half of it. */
static int maybe_adjust(sshkit_channel *ch)
{
    if (ch->consumed < SK_CHANNEL_WINDOW / 2 || !can_send(ch) || ch->close_received)
        return 0;
    sk_buf *b = sk_msg_begin(ch->session, SK_MSG_CHANNEL_WINDOW_ADJUST);
    sk_write_u32(b, ch->remote_id);
    sk_write_u32(b, ch->consumed);
    ch->local_window += ch->consumed;
    ch->consumed = 0;
    return sk_msg_end(ch->session);
}

int sshkit_channel_read(sshkit_channel *ch, int stream, void *buf, size_t cap)
{
    if (ch == NULL || (stream != 0 && stream != 1) || (cap && buf == NULL))
        return SSHKIT_E_INVALID_ARGUMENT;
    if (cap > (size_t)INT32_MAX)
        cap = INT32_MAX;
    size_t n = sk_stream_take(&ch->streams[stream], buf, cap);
    if (n == 0) {
        ch->data_event_pending[stream] = false;
        return sshkit_channel_eof_received(ch) || ch->state == SK_CH_FAILED ? 0 : SSHKIT_E_AGAIN;
    }
    ch->consumed += (uint32_t)n;
    int rc = maybe_adjust(ch);
    return rc ? rc : (int)n;
}

size_t sk_channel_peek(sshkit_channel *ch, int stream, const uint8_t **data)
{
    sk_stream *st = &ch->streams[stream];
    ch->data_event_pending[stream] = false;
    if (st->data == NULL) {
        *data = NULL;
        return 0;
    }
    *data = st->data + st->pos;
    return st->len - st->pos;
}

int sk_channel_consume(sshkit_channel *ch, int stream, size_t n)
{
    sk_stream *st = &ch->streams[stream];
    if (n > st->len - st->pos)
        return SSHKIT_E_INVALID_ARGUMENT;
    st->pos += n;
    ch->consumed += (uint32_t)n;
    return maybe_adjust(ch);
}

int sshkit_channel_send_eof(sshkit_channel *ch)
{
    if (!can_send(ch) || ch->eof_sent)
        return SSHKIT_E_STATE;
    ch->eof_sent = true;
    sk_buf *b = sk_msg_begin(ch->session, SK_MSG_CHANNEL_EOF);
    sk_write_u32(b, ch->remote_id);
    return sk_msg_end(ch->session);
}

/* Both sides have closed: the id is free again; tell the application. */
static void finish_close(sshkit_channel *ch)
{
    ch->state = SK_CH_CLOSED;
    sk_channel_leave_table(ch);
    if (ch->freed_by_app)
        sk_channel_destroy(ch);
    else
        sk_channel_event(ch, SSHKIT_EVENT_CHANNEL_CLOSED);
}

int sshkit_channel_close(sshkit_channel *ch)
{
    if (ch->state != SK_CH_OPEN || ch->close_sent)
        return SSHKIT_E_STATE;
    ch->close_sent = true;
    int rc = 0;
    if (!sshkit_session_is_closed(ch->session)) {
        sk_buf *b = sk_msg_begin(ch->session, SK_MSG_CHANNEL_CLOSE);
        sk_write_u32(b, ch->remote_id);
        rc = sk_msg_end(ch->session);
    }
    if (ch->close_received)
        finish_close(ch);
    return rc;
}

/* CHANNEL_DATA and CHANNEL_EXTENDED_DATA: within the window and packet
 * size we granted, or the peer is broken. */
int sk_channel_handle_data(sshkit_session *s, uint8_t type, sk_reader *r)
{
    sshkit_channel *ch;
    int rc = sk_channel_from_message(s, r, type, &ch);
    if (rc)
        return rc;
    uint32_t code = 0;
    if (type == SK_MSG_CHANNEL_EXTENDED_DATA)
        sk_read_u32(r, &code);
    sk_bytes data;
    sk_read_string(r, &data);
    if (sk_reader_error(r) || ch->state != SK_CH_OPEN || ch->eof_received || ch->close_received)
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "channel %u: data where none may come", ch->local_id);
    if (data.len > ch->local_window || data.len > SK_CHANNEL_MAX_PACKET)
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "channel %u: %zu bytes exceed the window (%u)", ch->local_id,
                               data.len, ch->local_window);
    ch->local_window -= (uint32_t)data.len;
    if (ch->close_sent)
        return 0;               /* we are closing: drop it */
    if (type == SK_MSG_CHANNEL_EXTENDED_DATA && code != 1) {
        ch->consumed += (uint32_t)data.len;   /* unknown stream: not kept, window given back */
        return maybe_adjust(ch);
    }
    int stream = type == SK_MSG_CHANNEL_EXTENDED_DATA;
    if ((rc = sk_stream_append(&ch->streams[stream], data.ptr, data.len)) != 0)
        return sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, rc, "out of memory");
    if (!ch->data_event_pending[stream] && data.len > 0) {
        ch->data_event_pending[stream] = true;
        sshkit_event ev = { .type = SSHKIT_EVENT_CHANNEL_DATA };
        ev.u.channel.channel = ch;
        ev.u.channel.stream = stream;
        sk_event_push(s, &ev);
    }
    return 0;
}

int sk_channel_handle_window(sshkit_session *s, sk_reader *r)
{
    sshkit_channel *ch;
    int rc = sk_channel_from_message(s, r, SK_MSG_CHANNEL_WINDOW_ADJUST, &ch);
    if (rc)
        return rc;
    uint32_t add;
    if (sk_read_u32(r, &add) || ch->state != SK_CH_OPEN)
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "channel %u: bad WINDOW_ADJUST", ch->local_id);
    if (add > UINT32_MAX - ch->remote_window)
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "channel %u: window grows past 2^32", ch->local_id);
    ch->remote_window += add;
    if (ch->writable_wanted && add > 0 && !s->connection->output_blocked) {
        ch->writable_wanted = false;
        sk_channel_event(ch, SSHKIT_EVENT_CHANNEL_WRITABLE);
    }
    return 0;
}

int sk_channel_handle_eof_close(sshkit_session *s, uint8_t type, sk_reader *r)
{
    sshkit_channel *ch;
    int rc = sk_channel_from_message(s, r, type, &ch);
    if (rc)
        return rc;
    if (ch->state != SK_CH_OPEN || ch->close_received)
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "channel %u: unexpected %s", ch->local_id,
                               type == SK_MSG_CHANNEL_EOF ? "EOF" : "CLOSE");
    if (type == SK_MSG_CHANNEL_EOF) {
        if (ch->eof_received)
            return 0;
        ch->eof_received = true;
        sk_channel_event(ch, SSHKIT_EVENT_CHANNEL_EOF);
        return 0;
    }
    ch->close_received = true;
    if (!ch->close_sent)
        return sshkit_channel_close(ch);   /* answers, then finishes */
    finish_close(ch);
    return 0;
}

void sk_connection_output_drained(sshkit_session *s)
{
    struct sk_connection *c = s->connection;
    const uint8_t *p;
    if (c == NULL || !c->output_blocked || sshkit_session_pending(s, &p) > SK_OUTPUT_LOW_WATER)
        return;
    c->output_blocked = false;
    for (sshkit_channel *ch = c->all; ch; ch = ch->next) {
        if (ch->writable_wanted && ch->remote_window > 0 && ch->state == SK_CH_OPEN) {
            ch->writable_wanted = false;
            sk_channel_event(ch, SSHKIT_EVENT_CHANNEL_WRITABLE);
        }
    }
}
