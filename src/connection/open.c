/* Opening channels, both ways (RFC 4254 section 5.1). */
#include "connection/connection_internal.h"

#include <string.h>
#include <sshkit/error.h>

#include "transport/messages.h"

static bool can_open(const sshkit_session *s)
{
    return sshkit_auth_is_done(s) && !sshkit_session_is_closed(s);
}

int sshkit_channel_open(sshkit_session *s, const char *type, const uint8_t *data, size_t len,
                        sshkit_channel **out)
{
    if (s == NULL || type == NULL || out == NULL || (len && data == NULL))
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = NULL;
    if (!can_open(s))
        return SSHKIT_E_STATE;
    if (strlen(type) >= SK_CHANNEL_TYPE_MAX)
        return SSHKIT_E_INVALID_ARGUMENT;
    sshkit_channel *ch;
    int rc = sk_channel_new(s, type, &ch);
    if (rc)
        return rc;
    ch->state = SK_CH_OPENING;
    sk_buf *b = sk_msg_begin(s, SK_MSG_CHANNEL_OPEN);
    sk_write_cstring(b, type);
    sk_write_u32(b, ch->local_id);
    sk_write_u32(b, ch->local_window);
    sk_write_u32(b, SK_CHANNEL_MAX_PACKET);
    sk_write_raw(b, data, len);
    if ((rc = sk_msg_end(s)) != 0) {
        sk_channel_destroy(ch);
        return rc;
    }
    *out = ch;
    return 0;
}

int sshkit_channel_open_session(sshkit_session *s, sshkit_channel **out)
{
    return sshkit_channel_open(s, "session", NULL, 0, out);
}

int sshkit_channel_accept(sshkit_channel *ch)
{
    if (ch->state != SK_CH_PENDING || sshkit_session_is_closed(ch->session))
        return SSHKIT_E_STATE;
    sk_buf *b = sk_msg_begin(ch->session, SK_MSG_CHANNEL_OPEN_CONFIRMATION);
    sk_write_u32(b, ch->remote_id);
    sk_write_u32(b, ch->local_id);
    sk_write_u32(b, ch->local_window);
    sk_write_u32(b, SK_CHANNEL_MAX_PACKET);
    ch->state = SK_CH_OPEN;
    return sk_msg_end(ch->session);
}

static int send_open_failure(sshkit_session *s, uint32_t remote_id, unsigned reason,
                             const char *message)
{
    sk_buf *b = sk_msg_begin(s, SK_MSG_CHANNEL_OPEN_FAILURE);
    sk_write_u32(b, remote_id);
    sk_write_u32(b, reason);
    sk_write_cstring(b, message ? message : "");
    sk_write_cstring(b, "");
    return sk_msg_end(s);
}

int sshkit_channel_reject(sshkit_channel *ch, unsigned reason, const char *message)
{
    if (ch->state != SK_CH_PENDING)
        return SSHKIT_E_STATE;
    ch->state = SK_CH_FAILED;
    sk_channel_leave_table(ch);
    if (sshkit_session_is_closed(ch->session))
        return 0;
    return send_open_failure(ch->session, ch->remote_id, reason, message);
}

/* The peer's CHANNEL_OPEN: a new channel the application accepts or rejects. */
int sk_channel_handle_open(sshkit_session *s, sk_reader *r)
{
    sk_bytes type;
    uint32_t sender, window, max_packet;
    sk_read_string(r, &type);
    sk_read_u32(r, &sender);
    sk_read_u32(r, &window);
    sk_read_u32(r, &max_packet);
    if (sk_reader_error(r))
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "malformed CHANNEL_OPEN");
    char name[SK_CHANNEL_TYPE_MAX];
    if (type.len >= sizeof name || memchr(type.ptr, 0, type.len))
        return send_open_failure(s, sender, SSHKIT_OPEN_UNKNOWN_CHANNEL_TYPE, "bad channel type");
    memcpy(name, type.ptr, type.len);
    name[type.len] = '\0';
    sshkit_channel *ch;
    int rc = sk_channel_new(s, name, &ch);
    if (rc)
        return send_open_failure(s, sender, SSHKIT_OPEN_RESOURCE_SHORTAGE, "too many channels");
    ch->state = SK_CH_PENDING;
    ch->remote_id = sender;
    ch->remote_window = window;
    ch->remote_max_packet = max_packet;
    sk_bytes rest;
    sk_read_raw(r, sk_reader_remaining(r), &rest);
    sshkit_event ev = { .type = SSHKIT_EVENT_CHANNEL_OPEN_REQUEST };
    ev.u.channel.channel = ch;
    ev.u.channel.type = ch->type;
    ev.u.channel.data = rest.ptr;
    ev.u.channel.len = rest.len;
    if (sk_event_push(s, &ev) != 0) {
        ch->state = SK_CH_FAILED;
        sk_channel_destroy(ch);
        return send_open_failure(s, sender, SSHKIT_OPEN_RESOURCE_SHORTAGE, "busy");
    }
    return 0;
}

/* The answer to our CHANNEL_OPEN. */
int sk_channel_handle_open_reply(sshkit_session *s, uint8_t type, sk_reader *r)
{
    sshkit_channel *ch;
    int rc = sk_channel_from_message(s, r, type, &ch);
    if (rc)
        return rc;
    if (ch->state != SK_CH_OPENING)
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "channel %u: unexpected open reply", ch->local_id);
    if (type == SK_MSG_CHANNEL_OPEN_CONFIRMATION) {
        sk_read_u32(r, &ch->remote_id);
        sk_read_u32(r, &ch->remote_window);
        sk_read_u32(r, &ch->remote_max_packet);
        if (sk_reader_error(r))
            return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                                   "malformed CHANNEL_OPEN_CONFIRMATION");
        ch->state = SK_CH_OPEN;
        if (ch->freed_by_app)
            return sshkit_channel_close(ch);
        sk_channel_event(ch, SSHKIT_EVENT_CHANNEL_OPENED);
        return 0;
    }
    uint32_t reason = 0;
    sk_bytes desc = { (const uint8_t *)"", 0 };
    sk_read_u32(r, &reason);
    sk_read_string(r, &desc);
    ch->state = SK_CH_FAILED;
    sk_channel_leave_table(ch);
    if (ch->freed_by_app) {
        sk_channel_destroy(ch);
        return 0;
    }
    char message[256];
    size_t n = desc.len < sizeof message - 1 ? desc.len : sizeof message - 1;
    for (size_t i = 0; i < n; i++)
        message[i] = desc.ptr[i] >= 0x20 && desc.ptr[i] < 0x7f ? (char)desc.ptr[i] : '?';
    message[n] = '\0';
    sshkit_event ev = { .type = SSHKIT_EVENT_CHANNEL_OPEN_FAILED };
    ev.u.channel.channel = ch;
    ev.u.channel.reason = reason;
    ev.u.channel.message = message;
    sk_event_push(s, &ev);
    return 0;
}
