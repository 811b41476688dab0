/* Client keyboard-interactive authentication (RFC 4256): each
 * INFO_REQUEST becomes an SSHKIT_EVENT_AUTH_PROMPT, and
 * sshkit_auth_kbdint_respond() sends the INFO_RESPONSE. */
#include "auth/auth_internal.h"

#include <string.h>
#include <sshkit/error.h>

#include "transport/messages.h"
#include "transport/session_internal.h"

int sk_auth_client_info_request(sshkit_session *s, sk_bytes payload)
{
    struct sk_auth_client *c = s->auth_client;
    sk_auth_info_request req;
    int rc = sk_auth_read_info_request(payload, &req);
    if (rc == SSHKIT_E_NOMEM)
        return sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, rc, "out of memory");
    if (rc != 0)
        return sk_auth_protocol_error(s, SK_MSG_USERAUTH_PK_OK, "malformed INFO_REQUEST");
    sshkit_event ev = { .type = SSHKIT_EVENT_AUTH_PROMPT };
    ev.u.prompt.name = req.name;
    ev.u.prompt.instruction = req.instruction;
    ev.u.prompt.count = req.count;
    ev.u.prompt.prompts = req.prompts;
    ev.u.prompt.echo = req.echo;
    c->prompt_count = req.count;
    c->state = SK_CLIENT_PROMPT;
    rc = sk_auth_event(s, &ev);
    sk_auth_info_request_free(&req);
    return rc;
}

static int check_answers(const char *const *answers, unsigned count)
{
    if (count && !answers)
        return SSHKIT_E_INVALID_ARGUMENT;
    for (unsigned i = 0; i < count; i++)
        if (!answers[i] || strlen(answers[i]) > SK_AUTH_PASSWORD_MAX)
            return SSHKIT_E_INVALID_ARGUMENT;
    return 0;
}

int sshkit_auth_kbdint_respond(sshkit_session *session, const char *const *answers,
                               unsigned count)
{
    if (!session)
        return SSHKIT_E_INVALID_ARGUMENT;
    struct sk_auth_client *c = session->auth_client;
    if (session->role != SSHKIT_ROLE_CLIENT || !c || c->state != SK_CLIENT_PROMPT)
        return SSHKIT_E_STATE;
    if (count != c->prompt_count || check_answers(answers, count) != 0)
        return SSHKIT_E_INVALID_ARGUMENT;
    sk_buf *b = sk_auth_msg(session, SK_MSG_USERAUTH_INFO_RESPONSE);
    if (!b)
        return SSHKIT_E_STATE;
    sk_auth_write_info_response(b, answers, count);
    c->state = SK_CLIENT_KBDINT;
    c->prompt_count = 0;
    return sk_msg_end(session);
}
