/* Channel requests (RFC 4254 sections 5.4 and 6): ours with their
 * answers, the peer's raised as events, and the session helpers. */
#include "connection/connection_internal.h"

#include <stdio.h>
#include <string.h>
#include <sshkit/error.h>

#include "transport/messages.h"

int sshkit_channel_request(sshkit_channel *ch, const char *type, bool want_reply,
                           const uint8_t *data, size_t len)
{
    if (ch == NULL || type == NULL || (len && data == NULL))
        return SSHKIT_E_INVALID_ARGUMENT;
    if (ch->state != SK_CH_OPEN || ch->close_sent || sshkit_session_is_closed(ch->session))
        return SSHKIT_E_STATE;
    sk_buf *b = sk_msg_begin(ch->session, SK_MSG_CHANNEL_REQUEST);
    sk_write_u32(b, ch->remote_id);
    sk_write_cstring(b, type);
    sk_write_bool(b, want_reply);
    sk_write_raw(b, data, len);
    int rc = sk_msg_end(ch->session);
    if (rc == 0 && want_reply)
        ch->our_requests_pending++;
    return rc;
}

/* Sends a request whose fields are built in b. */
static int request_with(sshkit_channel *ch, const char *type, bool want_reply, sk_buf *b)
{
    int rc = sk_buf_error(b);
    if (rc == 0)
        rc = sshkit_channel_request(ch, type, want_reply, b->data, b->len);
    sk_buf_free(b);
    return rc;
}

int sshkit_channel_exec(sshkit_channel *ch, const char *command)
{
    sk_buf b;
    sk_buf_init(&b);
    sk_write_cstring(&b, command);
    return request_with(ch, "exec", true, &b);
}

int sshkit_channel_shell(sshkit_channel *ch)
{
    return sshkit_channel_request(ch, "shell", true, NULL, 0);
}

int sshkit_channel_subsystem(sshkit_channel *ch, const char *name)
{
    sk_buf b;
    sk_buf_init(&b);
    sk_write_cstring(&b, name);
    return request_with(ch, "subsystem", true, &b);
}

int sshkit_channel_request_pty(sshkit_channel *ch, const char *term, unsigned cols, unsigned rows,
                               const uint8_t *modes, size_t modes_len)
{
    static const uint8_t no_modes[] = { 0 };   /* TTY_OP_END */
    sk_buf b;
    sk_buf_init(&b);
    sk_write_cstring(&b, term ? term : "vt100");
    sk_write_u32(&b, cols);
    sk_write_u32(&b, rows);
    sk_write_u32(&b, 0);
    sk_write_u32(&b, 0);
    if (modes == NULL) {
        modes = no_modes;
        modes_len = sizeof no_modes;
    }
    sk_write_string(&b, modes, modes_len);
    return request_with(ch, "pty-req", true, &b);
}

int sshkit_channel_window_change(sshkit_channel *ch, unsigned cols, unsigned rows)
{
    sk_buf b;
    sk_buf_init(&b);
    sk_write_u32(&b, cols);
    sk_write_u32(&b, rows);
    sk_write_u32(&b, 0);
    sk_write_u32(&b, 0);
    return request_with(ch, "window-change", false, &b);
}

int sshkit_channel_setenv(sshkit_channel *ch, const char *name, const char *value)
{
    sk_buf b;
    sk_buf_init(&b);
    sk_write_cstring(&b, name);
    sk_write_cstring(&b, value);
    return request_with(ch, "env", false, &b);
}

int sshkit_channel_signal(sshkit_channel *ch, const char *name)
{
    sk_buf b;
    sk_buf_init(&b);
    sk_write_cstring(&b, name);
    return request_with(ch, "signal", false, &b);
}

int sshkit_channel_send_exit_status(sshkit_channel *ch, unsigned status)
{
    sk_buf b;
    sk_buf_init(&b);
    sk_write_u32(&b, status);
    return request_with(ch, "exit-status", false, &b);
}

int sshkit_channel_send_exit_signal(sshkit_channel *ch, const char *name, bool core_dumped,
                                    const char *message)
{
    sk_buf b;
    sk_buf_init(&b);
    sk_write_cstring(&b, name);
    sk_write_bool(&b, core_dumped);
    sk_write_cstring(&b, message ? message : "");
    sk_write_cstring(&b, "");
    return request_with(ch, "exit-signal", false, &b);
}

int sshkit_channel_request_reply(sshkit_channel *ch, bool success)
{
    if (ch->peer_requests_pending == 0)
        return SSHKIT_E_STATE;
    ch->peer_requests_pending--;
    if (ch->state != SK_CH_OPEN || ch->close_sent || sshkit_session_is_closed(ch->session))
        return 0;   /* too late to matter */
    sk_buf *b = sk_msg_begin(ch->session, success ? SK_MSG_CHANNEL_SUCCESS : SK_MSG_CHANNEL_FAILURE);
    sk_write_u32(b, ch->remote_id);
    return sk_msg_end(ch->session);
}

/* exit-status and exit-signal are kept on the channel as well. */
static void note_exit(sshkit_channel *ch, const char *type, sk_bytes fields)
{
    sk_reader r;
    sk_reader_init(&r, fields.ptr, fields.len);
    if (strcmp(type, "exit-status") == 0) {
        uint32_t status;
        if (sk_read_u32(&r, &status) == 0) {
            ch->has_exit_status = true;
            ch->exit_status = status;
        }
    } else if (strcmp(type, "exit-signal") == 0) {
        char name[sizeof ch->exit_signal];
        if (sk_read_cstring(&r, name, sizeof name) == 0)
            snprintf(ch->exit_signal, sizeof ch->exit_signal, "%s", name);
    }
}

int sk_channel_handle_request(sshkit_session *s, sk_reader *r)
{
    sshkit_channel *ch;
    int rc = sk_channel_from_message(s, r, SK_MSG_CHANNEL_REQUEST, &ch);
    if (rc)
        return rc;
    char type[64];
    bool want_reply;
    sk_read_cstring(r, type, sizeof type);
    sk_read_bool(r, &want_reply);
    sk_bytes rest;
    sk_read_raw(r, sk_reader_remaining(r), &rest);
    if (sk_reader_error(r) || ch->state != SK_CH_OPEN)
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "channel %u: malformed or misplaced request", ch->local_id);
    if (ch->close_received || ch->close_sent)
        return 0;
    note_exit(ch, type, rest);
    if (want_reply)
        ch->peer_requests_pending++;
    sshkit_event ev = { .type = SSHKIT_EVENT_CHANNEL_REQUEST };
    ev.u.request.channel = ch;
    ev.u.request.type = type;
    ev.u.request.want_reply = want_reply;
    ev.u.request.data = rest.ptr;
    ev.u.request.len = rest.len;
    rc = sk_event_push(s, &ev);
    return rc ? sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, rc, "too many events") : 0;
}

int sk_channel_handle_request_reply(sshkit_session *s, uint8_t type, sk_reader *r)
{
    sshkit_channel *ch;
    int rc = sk_channel_from_message(s, r, type, &ch);
    if (rc)
        return rc;
    if (ch->our_requests_pending == 0)
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "channel %u: an answer to no request", ch->local_id);
    ch->our_requests_pending--;
    if (type != SK_MSG_CHANNEL_SUCCESS)
        ch->our_requests_refused++;
    sshkit_event ev = { .type = SSHKIT_EVENT_CHANNEL_REQUEST_RESULT };
    ev.u.channel.channel = ch;
    ev.u.channel.success = type == SK_MSG_CHANNEL_SUCCESS;
    sk_event_push(s, &ev);
    return 0;
}
