/* Server keyboard-interactive authentication (RFC 4256): rounds of
 * INFO_REQUEST / INFO_RESPONSE driven by the kbdint callback. A new
 * USERAUTH_REQUEST abandons the dialogue (server.c counts it a failure). */
#include "auth/auth_internal.h"

#include <sshkit/error.h>

#include "transport/messages.h"
#include "transport/session_internal.h"

static int send_round(sshkit_session *s, const sshkit_kbdint_request *next)
{
    struct sk_auth_server *srv = s->auth_server;
    sk_buf check;
    sk_buf_init(&check);            /* checked apart, so no message is left half-written */
    int rc = sk_auth_write_info_request(&check, next);
    sk_buf_free(&check);
    if (rc != 0)
        return sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, rc,
                               "userauth: the kbdint callback gave a bad request");
    sk_buf *b = sk_auth_msg(s, SK_MSG_USERAUTH_PK_OK);  /* INFO_REQUEST */
    if (!b)
        return SSHKIT_E_STATE;
    sk_auth_write_info_request(b, next);
    srv->in_kbdint = true;
    srv->kbdint_expected = next->count;
    return sk_msg_end(s);
}

static int run_round(sshkit_session *s, const char *const *answers, unsigned count)
{
    struct sk_auth_server *srv = s->auth_server;
    const sshkit_server_auth *a = &s->server_auth;
    sshkit_kbdint_request next = { 0 };
    srv->in_kbdint = false;
    int d = a->kbdint(a->user, srv->user, srv->kbdint_round, answers, count, &next);
    if (d == SSHKIT_AUTH_ACCEPT)
        return sk_auth_server_accept(s, SK_AUTH_METHOD_KBDINT);
    if (d != SSHKIT_AUTH_CONTINUE)
        return sk_auth_server_reject(s, false);
    return send_round(s, &next);
}

int sk_auth_server_kbdint_start(sshkit_session *s, sk_reader *r)
{
    if (sk_auth_read_kbdint(r) != 0)
        return sk_auth_protocol_error(s, SK_MSG_USERAUTH_REQUEST, "malformed keyboard-interactive request");
    s->auth_server->kbdint_round = 0;
    return run_round(s, NULL, 0);
}

int sk_auth_server_info_response(sshkit_session *s, sk_bytes payload)
{
    struct sk_auth_server *srv = s->auth_server;
    sk_auth_info_response resp;
    int rc = sk_auth_read_info_response(payload, srv->kbdint_expected, &resp);
    if (rc == SSHKIT_E_NOMEM)
        return sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, rc, "out of memory");
    if (rc != 0)
        return sk_auth_protocol_error(s, SK_MSG_USERAUTH_INFO_RESPONSE, "malformed or wrong count");
    srv->kbdint_round++;
    rc = run_round(s, resp.answers, resp.count);
    sk_auth_info_response_free(&resp);
    return rc;
}
