/* Server authentication: the service request, USERAUTH_REQUEST dispatch
 * (user binding, banner, the methods allowed), and each method's outcome
 * (SUCCESS, partial success, FAILURE, MaxAuthTries). */
#include "auth/auth_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

#include "transport/messages.h"
#include "transport/session_internal.h"

static unsigned max_tries(const sshkit_session *s)
{
    return s->server_auth.max_tries ? s->server_auth.max_tries : SK_AUTH_DEFAULT_TRIES;
}

static int send_failure(sshkit_session *s, const char *methods, bool partial)
{
    sk_buf *b = sk_auth_msg(s, SK_MSG_USERAUTH_FAILURE);
    if (!b)
        return SSHKIT_E_STATE;
    sk_auth_write_failure(b, methods, partial);
    return sk_msg_end(s);
}

static int send_allowed(sshkit_session *s, bool partial)
{
    sk_auth_policy p;
    char list[SK_AUTH_NAME_MAX * 2];
    sk_auth_server_policy(s, &p);
    sk_auth_policy_list(&p, sk_auth_policy_allowed(&p, s->auth_server->steps_done), list,
                        sizeof list);
    return send_failure(s, list, partial);
}

/* Counts a failure; ends the session at max_tries (as OpenSSH, the
 * failure that reaches the limit gets no FAILURE). */
static int count_failure(sshkit_session *s)
{
    if (++s->auth_server->failures < max_tries(s))
        return 0;
    return sk_session_fail(s, SK_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE, SSHKIT_E_PROTOCOL,
                           "Too many authentication failures");
}

/* A "none" request costs nothing only as the first request (as OpenSSH). */
int sk_auth_server_reject(sshkit_session *s, bool is_none)
{
    struct sk_auth_server *srv = s->auth_server;
    int rc = !is_none || srv->requests > 1 ? count_failure(s) : 0;
    if (rc != 0)
        return rc;
    sk_log(s, SSHKIT_LOG_DEBUG, "userauth: request %u refused (%u failures)", srv->requests,
           srv->failures);
    return send_allowed(s, false);
}

static int succeed(sshkit_session *s)
{
    struct sk_auth_server *srv = s->auth_server;
    char *user = strdup(srv->user);
    if (!user)
        return sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, SSHKIT_E_NOMEM, "out of memory");
    sk_buf *b = sk_auth_msg(s, SK_MSG_USERAUTH_SUCCESS);
    int rc = b ? sk_msg_end(s) : SSHKIT_E_STATE;
    if (rc != 0) {
        free(user);
        return rc;
    }
    free(s->user);
    s->user = user;
    s->authenticated = true;
    sk_log(s, SSHKIT_LOG_INFO, "userauth: %s authenticated", user);
    sshkit_event ev = { .type = SSHKIT_EVENT_AUTHENTICATED };
    ev.u.text.text = user;
    return sk_auth_event(s, &ev);
}

int sk_auth_server_accept(sshkit_session *s, sk_auth_method m)
{
    struct sk_auth_server *srv = s->auth_server;
    sk_auth_policy p;
    sk_auth_server_policy(s, &p);
    if (p.require_all)
        srv->steps_done++;
    sk_log(s, SSHKIT_LOG_DEBUG, "userauth: %s accepted for %s", sk_auth_method_name(m), srv->user);
    if (sk_auth_policy_complete(&p, srv->steps_done))
        return succeed(s);
    return send_allowed(s, true);
}

static int on_service_request(sshkit_session *s, sk_bytes payload)
{
    struct sk_auth_server *srv = s->auth_server;
    sk_bytes name;
    if (srv->service_accepted)
        return sk_auth_protocol_error(s, SK_MSG_SERVICE_REQUEST, "service already accepted");
    if (sk_auth_read_service(payload, SK_MSG_SERVICE_REQUEST, &name) != 0)
        return sk_auth_protocol_error(s, SK_MSG_SERVICE_REQUEST, "malformed");
    if (!sk_bytes_eq(name, SK_SERVICE_USERAUTH)) {
        char shown[SK_AUTH_NAME_MAX + 1];
        for (size_t i = 0; i < name.len; i++)
            shown[i] = isprint(name.ptr[i]) ? (char)name.ptr[i] : '?';
        shown[name.len] = '\0';
        return sk_session_fail(s, SK_DISCONNECT_SERVICE_NOT_AVAILABLE, SSHKIT_E_PROTOCOL,
                               "bad service request %s", shown);
    }
    sk_buf *b = sk_auth_msg(s, SK_MSG_SERVICE_ACCEPT);
    if (!b)
        return SSHKIT_E_STATE;
    sk_write_cstring(b, SK_SERVICE_USERAUTH);
    srv->service_accepted = true;
    return sk_msg_end(s);
}

static int send_banner_once(sshkit_session *s)
{
    struct sk_auth_server *srv = s->auth_server;
    const char *text = s->server_auth.banner;
    if (srv->banner_sent || !s->has_server_auth || !text || !*text)
        return 0;
    srv->banner_sent = true;
    sk_buf *b = sk_auth_msg(s, SK_MSG_USERAUTH_BANNER);
    if (!b)
        return SSHKIT_E_STATE;
    sk_auth_write_banner(b, text);
    return sk_msg_end(s);
}

/* The first ssh-connection request fixes the user; another name later
 * ends the session, as OpenSSH does. */
static int bind_user(sshkit_session *s, sk_bytes user)
{
    struct sk_auth_server *srv = s->auth_server;
    if (!srv->bound) {
        memcpy(srv->user, user.ptr, user.len);
        srv->user[user.len] = '\0';
        srv->bound = true;
        return 0;
    }
    if (sk_bytes_eq(user, srv->user))
        return 0;
    return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                           "Change of username not allowed");
}

static int dispatch(sshkit_session *s, sk_reader *r, sk_auth_method m)
{
    switch (m) {
    case SK_AUTH_METHOD_NONE:
        if (sk_auth_read_none(r) != 0)
            return sk_auth_protocol_error(s, SK_MSG_USERAUTH_REQUEST, "malformed none request");
        return sk_auth_server_accept(s, m);
    case SK_AUTH_METHOD_PASSWORD:
        return sk_auth_server_password(s, r);
    case SK_AUTH_METHOD_PUBLICKEY:
        return sk_auth_server_publickey(s, r);
    case SK_AUTH_METHOD_KBDINT:
        return sk_auth_server_kbdint_start(s, r);
    }
    return SSHKIT_E_STATE;
}

static int on_request(sshkit_session *s, sk_bytes payload)
{
    struct sk_auth_server *srv = s->auth_server;
    sk_reader r;
    sk_auth_head h;
    if (sk_auth_read_head(&r, payload, &h) != 0)
        return sk_auth_protocol_error(s, SK_MSG_USERAUTH_REQUEST, "malformed");
    srv->requests++;
    int rc, m = sk_auth_method_from_name(h.method);
    bool is_none = m == SK_AUTH_METHOD_NONE;
    if (srv->in_kbdint) {           /* a new request abandons the dialogue */
        srv->in_kbdint = false;
        if ((rc = count_failure(s)) != 0)
            return rc;
    }
    if ((rc = send_banner_once(s)) != 0)
        return rc;
    if (!sk_bytes_eq(h.service, SK_SERVICE_CONNECTION))
        return sk_auth_server_reject(s, is_none);
    if ((rc = bind_user(s, h.user)) != 0)
        return rc;
    sk_auth_policy p;
    sk_auth_server_policy(s, &p);
    if (m < 0 || !(sk_auth_policy_allowed(&p, srv->steps_done) & (1u << m)))
        return sk_auth_server_reject(s, is_none);
    return dispatch(s, &r, (sk_auth_method)m);
}

int sk_auth_server_handle(sshkit_session *s, uint8_t type, sk_bytes payload)
{
    if (!s->auth_server && !(s->auth_server = calloc(1, sizeof *s->auth_server)))
        return sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, SSHKIT_E_NOMEM, "out of memory");
    struct sk_auth_server *srv = s->auth_server;
    switch (type) {
    case SK_MSG_SERVICE_REQUEST:
        return on_service_request(s, payload);
    case SK_MSG_USERAUTH_REQUEST:
        if (s->authenticated)
            return 0;               /* RFC 4252 section 5.1: ignored after success */
        if (!srv->service_accepted)
            return sk_auth_protocol_error(s, type, "no service request yet");
        return on_request(s, payload);
    case SK_MSG_USERAUTH_INFO_RESPONSE:
        if (s->authenticated || !srv->in_kbdint)
            return sk_auth_protocol_error(s, type, "no keyboard-interactive round pending");
        return sk_auth_server_info_response(s, payload);
    default:
        return sk_auth_protocol_error(s, type, "not expected by a server");
    }
}
