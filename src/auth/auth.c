/* The authentication layer's entry points: sk_auth_handle's dispatch by
 * role, freeing, and the public getters and setters of auth.h. */
#include "auth/auth_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

#include "transport/messages.h"
#include "transport/session_internal.h"

int sk_auth_protocol_error(sshkit_session *s, uint8_t type, const char *why)
{
    return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                           "userauth: message %u: %s", (unsigned)type, why);
}

sk_buf *sk_auth_msg(sshkit_session *s, uint8_t type)
{
    if (s->phase != SK_PHASE_RUNNING)
        return NULL;
    return sk_msg_begin(s, type);
}

int sk_auth_event(sshkit_session *s, const sshkit_event *ev)
{
    int rc = sk_event_push(s, ev);
    if (rc != 0)
        return sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, rc,
                               "userauth: event queue full (events not taken)");
    return 0;
}

int sk_auth_handle(sshkit_session *s, uint8_t type, sk_bytes payload)
{
    if (s->role == SSHKIT_ROLE_CLIENT)
        return sk_auth_client_handle(s, type, payload);
    return sk_auth_server_handle(s, type, payload);
}

void sk_auth_free(sshkit_session *s)
{
    if (s->auth_client) {
        sk_auth_client_free(s->auth_client);
        s->auth_client = NULL;
    }
    free(s->auth_server);
    s->auth_server = NULL;
}

bool sshkit_auth_is_done(const sshkit_session *session)
{
    return session && session->authenticated;
}

const char *sshkit_auth_user(const sshkit_session *session)
{
    return session && session->authenticated ? session->user : NULL;
}

int sshkit_server_set_auth(sshkit_session *session, const sshkit_server_auth *auth)
{
    if (!session || !auth)
        return SSHKIT_E_INVALID_ARGUMENT;
    if (session->role != SSHKIT_ROLE_SERVER || session->phase != SK_PHASE_NEW)
        return SSHKIT_E_STATE;
    session->server_auth = *auth;
    session->has_server_auth = true;
    return 0;
}
