/* Client authentication: what the server sends (SERVICE_ACCEPT, FAILURE,
 * SUCCESS, BANNER, PK_OK / INFO_REQUEST). A message out of place ends the
 * session with PROTOCOL_ERROR. */
#include "auth/auth_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

#include "transport/messages.h"
#include "transport/session_internal.h"

static bool awaiting_answer(const struct sk_auth_client *c)
{
    return c->state == SK_CLIENT_RESULT || c->state == SK_CLIENT_PK_QUERY ||
           c->state == SK_CLIENT_KBDINT;
}

static int on_service_accept(sshkit_session *s, sk_bytes payload)
{
    struct sk_auth_client *c = s->auth_client;
    sk_bytes name;
    if (c->state != SK_CLIENT_SERVICE || c->service_accepted)
        return sk_auth_protocol_error(s, SK_MSG_SERVICE_ACCEPT, "not expected");
    if (sk_auth_read_service(payload, SK_MSG_SERVICE_ACCEPT, &name) != 0)
        return sk_auth_protocol_error(s, SK_MSG_SERVICE_ACCEPT, "malformed");
    if (!sk_bytes_eq(name, SK_SERVICE_USERAUTH))
        return sk_auth_protocol_error(s, SK_MSG_SERVICE_ACCEPT, "another service accepted");
    c->service_accepted = true;
    int rc = sk_auth_client_send_request(s);
    if (rc != 0 && s->phase != SK_PHASE_CLOSED)
        return sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, rc, "userauth: cannot send the request");
    return rc;
}

static int on_failure(sshkit_session *s, sk_bytes payload)
{
    struct sk_auth_client *c = s->auth_client;
    sk_bytes methods;
    bool partial;
    if (!awaiting_answer(c))
        return sk_auth_protocol_error(s, SK_MSG_USERAUTH_FAILURE, "no request pending");
    if (sk_auth_read_failure(payload, &methods, &partial) != 0)
        return sk_auth_protocol_error(s, SK_MSG_USERAUTH_FAILURE, "malformed");
    char *list = sk_auth_strdup_bytes(methods);
    if (!list)
        return sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, SSHKIT_E_NOMEM, "out of memory");
    sk_log(s, SSHKIT_LOG_DEBUG, "userauth: %s; can continue: %s",
           partial ? "partial success" : "failure", list);
    sk_auth_client_end_attempt(c);
    sshkit_event ev = { .type = SSHKIT_EVENT_AUTH_RESULT };
    ev.u.auth.status = partial ? SSHKIT_AUTH_PARTIAL : SSHKIT_AUTH_FAILURE;
    ev.u.auth.methods = list;
    int rc = sk_auth_event(s, &ev);
    free(c->methods);
    c->methods = list;
    return rc;
}

static int on_success(sshkit_session *s, sk_bytes payload)
{
    struct sk_auth_client *c = s->auth_client;
    if (!awaiting_answer(c))
        return sk_auth_protocol_error(s, SK_MSG_USERAUTH_SUCCESS, "no request pending");
    if (sk_auth_read_success(payload) != 0)
        return sk_auth_protocol_error(s, SK_MSG_USERAUTH_SUCCESS, "malformed");
    free(s->user);
    s->user = c->user;              /* the attempt's user is now the session's */
    c->user = NULL;
    s->authenticated = true;
    c->state = SK_CLIENT_DONE;
    sk_auth_client_end_attempt(c);
    sk_log(s, SSHKIT_LOG_INFO, "userauth: authenticated as %s", s->user);
    sshkit_event ev = { .type = SSHKIT_EVENT_AUTH_RESULT };
    ev.u.auth.status = SSHKIT_AUTH_SUCCESS;
    ev.u.auth.methods = "";
    return sk_auth_event(s, &ev);
}

/* A banner is shown to the user: a full event queue drops it (a server
 * sending banners in bulk cannot end the session this way). */
static int on_banner(sshkit_session *s, sk_bytes payload)
{
    sk_bytes text;
    if (sk_auth_read_banner(payload, &text) != 0)
        return sk_auth_protocol_error(s, SK_MSG_USERAUTH_BANNER, "malformed");
    char *copy = sk_auth_strdup_bytes(text);
    if (!copy)
        return sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, SSHKIT_E_NOMEM, "out of memory");
    sshkit_event ev = { .type = SSHKIT_EVENT_AUTH_BANNER };
    ev.u.text.text = copy;
    if (sk_event_push(s, &ev) != 0)
        sk_log(s, SSHKIT_LOG_DEBUG, "userauth: banner dropped (event queue full)");
    free(copy);
    return 0;
}

int sk_auth_client_handle(sshkit_session *s, uint8_t type, sk_bytes payload)
{
    struct sk_auth_client *c = s->auth_client;
    if (!c || !c->service_requested || c->state == SK_CLIENT_DONE || s->authenticated)
        return sk_auth_protocol_error(s, type, "no authentication in progress");
    switch (type) {
    case SK_MSG_SERVICE_ACCEPT:
        return on_service_accept(s, payload);
    case SK_MSG_USERAUTH_FAILURE:
        return on_failure(s, payload);
    case SK_MSG_USERAUTH_SUCCESS:
        return on_success(s, payload);
    case SK_MSG_USERAUTH_BANNER:
        return on_banner(s, payload);
    case SK_MSG_USERAUTH_PK_OK:     /* also INFO_REQUEST */
        if (c->state == SK_CLIENT_PK_QUERY)
            return sk_auth_client_pk_ok(s, payload);
        if (c->state == SK_CLIENT_KBDINT)
            return sk_auth_client_info_request(s, payload);
        return sk_auth_protocol_error(s, type, "no publickey query or keyboard-interactive pending");
    default:
        return sk_auth_protocol_error(s, type, "not expected by a client");
    }
}
