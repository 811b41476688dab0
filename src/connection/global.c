/* Global requests (RFC 4254 section 4): ours, whose answers come in the
 * order sent (those sent with data become events), and the peer's, answered
 * by the application's handler (with fields for REQUEST_SUCCESS if it
 * gives some). */
#include "connection/connection_internal.h"

#include <string.h>
#include <sshkit/error.h>

#include "transport/messages.h"

void sshkit_session_set_global_request_handler(sshkit_session *s, sshkit_global_request_fn handler,
                                               void *user)
{
    struct sk_connection *c = sk_connection_of(s);
    if (c) {
        c->global_handler = handler;
        c->global_user = user;
    }
}

/* Sends one request; want_event: its reply becomes an event. */
static int send_request(sshkit_session *s, const char *name, bool want_reply, bool want_event,
                        const uint8_t *data, size_t len)
{
    struct sk_connection *c = sk_connection_of(s);
    if (c == NULL)
        return SSHKIT_E_NOMEM;
    if (!sshkit_auth_is_done(s) || sshkit_session_is_closed(s))
        return SSHKIT_E_STATE;
    if (want_reply && c->global_replies_pending == SK_GLOBAL_PENDING_MAX)
        return SSHKIT_E_TOO_LARGE;
    sk_buf *b = sk_msg_begin(s, SK_MSG_GLOBAL_REQUEST);
    sk_write_cstring(b, name);
    sk_write_bool(b, want_reply);
    if (len)
        sk_write_raw(b, data, len);
    int rc = sk_msg_end(s);
    if (rc == 0 && want_reply) {
        unsigned at = (c->global_reply_head + c->global_replies_pending) % SK_GLOBAL_PENDING_MAX;
        c->global_reply_event[at] = want_event;
        c->global_replies_pending++;
    }
    return rc;
}

int sshkit_session_global_request(sshkit_session *s, const char *name, bool want_reply)
{
    if (s == NULL || name == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    return send_request(s, name, want_reply, false, NULL, 0);
}

int sshkit_session_global_request_data(sshkit_session *s, const char *name, const uint8_t *data,
                                       size_t len)
{
    if (s == NULL || name == NULL || (data == NULL && len > 0))
        return SSHKIT_E_INVALID_ARGUMENT;
    return send_request(s, name, true, true, data, len);
}

int sshkit_session_global_reply_data(sshkit_session *s, const uint8_t *data, size_t len)
{
    struct sk_connection *c = s ? sk_connection_of(s) : NULL;
    if (c == NULL || (data == NULL && len > 0))
        return SSHKIT_E_INVALID_ARGUMENT;
    if (!c->in_global_handler)
        return SSHKIT_E_STATE;
    if (len > sizeof c->global_reply)
        return SSHKIT_E_TOO_LARGE;
    if (len)
        memcpy(c->global_reply, data, len);
    c->global_reply_len = len;
    return 0;
}

static int handle_request(sshkit_session *s, sk_reader *r)
{
    struct sk_connection *c = sk_connection_of(s);
    sk_bytes name_b, rest;
    bool want_reply;
    sk_read_string(r, &name_b);
    sk_read_bool(r, &want_reply);
    sk_read_raw(r, sk_reader_remaining(r), &rest);
    if (sk_reader_error(r))
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "malformed GLOBAL_REQUEST");
    /* Names we could know are short and plain; anything else is refused. */
    char name[128];
    bool usable = name_b.len < sizeof name && memchr(name_b.ptr, 0, name_b.len) == NULL;
    if (usable) {
        memcpy(name, name_b.ptr, name_b.len);
        name[name_b.len] = '\0';
    }
    bool granted = false;
    if (usable && c && c->global_handler && strcmp(name, "keepalive@openssh.com") != 0) {
        c->global_reply_len = 0;
        c->in_global_handler = true;
        granted = c->global_handler(c->global_user, s, name, rest.ptr, rest.len);
        c->in_global_handler = false;
    }
    if (!want_reply)
        return 0;
    sk_buf *b = sk_msg_begin(s, granted ? SK_MSG_REQUEST_SUCCESS : SK_MSG_REQUEST_FAILURE);
    if (granted && c->global_reply_len)
        sk_write_raw(b, c->global_reply, c->global_reply_len);
    return sk_msg_end(s);
}

/* REQUEST_SUCCESS or REQUEST_FAILURE: the answer to our oldest request. */
static int handle_reply(sshkit_session *s, uint8_t type, sk_reader *r)
{
    struct sk_connection *c = sk_connection_of(s);
    if (c == NULL || c->global_replies_pending == 0)
        return 0;                   /* nothing asked: ignored */
    bool want_event = c->global_reply_event[c->global_reply_head];
    c->global_reply_head = (c->global_reply_head + 1) % SK_GLOBAL_PENDING_MAX;
    c->global_replies_pending--;
    if (!want_event)
        return 0;
    sk_bytes rest;
    sk_read_raw(r, sk_reader_remaining(r), &rest);
    sshkit_event ev = { .type = SSHKIT_EVENT_GLOBAL_REQUEST_RESULT };
    ev.u.global.success = type == SK_MSG_REQUEST_SUCCESS;
    ev.u.global.data = rest.len ? rest.ptr : NULL;
    ev.u.global.len = rest.len;
    int rc = sk_event_push(s, &ev);
    return rc ? sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, rc, "too many events") : 0;
}

int sk_global_handle(sshkit_session *s, uint8_t type, sk_reader *r)
{
    if (type == SK_MSG_GLOBAL_REQUEST)
        return handle_request(s, r);
    return handle_reply(s, type, r);
}
