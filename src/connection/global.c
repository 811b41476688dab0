/* Global requests (RFC 4254 section 4). */
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

int sshkit_session_global_request(sshkit_session *s, const char *name, bool want_reply)
{
    struct sk_connection *c = sk_connection_of(s);
    if (c == NULL)
        return SSHKIT_E_NOMEM;
    if (!sshkit_auth_is_done(s) || sshkit_session_is_closed(s))
        return SSHKIT_E_STATE;
    sk_buf *b = sk_msg_begin(s, SK_MSG_GLOBAL_REQUEST);
    sk_write_cstring(b, name);
    sk_write_bool(b, want_reply);
    int rc = sk_msg_end(s);
    if (rc == 0 && want_reply)
        c->global_replies_pending++;
    return rc;
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
    if (usable && c && c->global_handler && strcmp(name, "keepalive@openssh.com") != 0)
        granted = c->global_handler(c->global_user, s, name, rest.ptr, rest.len);
    if (!want_reply)
        return 0;
    sk_msg_begin(s, granted ? SK_MSG_REQUEST_SUCCESS : SK_MSG_REQUEST_FAILURE);
    return sk_msg_end(s);
}

int sk_global_handle(sshkit_session *s, uint8_t type, sk_reader *r)
{
    if (type == SK_MSG_GLOBAL_REQUEST)
        return handle_request(s, r);
    struct sk_connection *c = sk_connection_of(s);
    if (c && c->global_replies_pending > 0)
        c->global_replies_pending--;
    return 0;
}
