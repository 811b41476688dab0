/* Client authentication: starting attempts (none, password; publickey and
 * keyboard-interactive have their own files), the service request, and
 * the server's answers. */
#include "auth/auth_internal.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <sshkit/error.h>

#include "transport/messages.h"
#include "transport/session_internal.h"

static void wipe_free_string(char **p)
{
    if (*p) {
        OPENSSL_cleanse(*p, strlen(*p));
        free(*p);
        *p = NULL;
    }
}

void sk_auth_client_end_attempt(struct sk_auth_client *c)
{
    wipe_free_string(&c->password);
    free(c->user);
    c->user = NULL;
    free(c->blob);
    c->blob = NULL;
    c->blob_len = 0;
    c->key = NULL;
    c->sign = NULL;
    c->sign_ctx = NULL;
    c->alg[0] = '\0';
    c->prompt_count = 0;
    c->state = c->state == SK_CLIENT_DONE ? SK_CLIENT_DONE : SK_CLIENT_IDLE;
}

void sk_auth_client_free(struct sk_auth_client *c)
{
    sk_auth_client_end_attempt(c);
    free(c->methods);
    free(c);
}

int sk_auth_client_prepare(sshkit_session *s, const char *user, sk_auth_method m)
{
    if (!s || !user)
        return SSHKIT_E_INVALID_ARGUMENT;
    if (s->role != SSHKIT_ROLE_CLIENT || s->phase != SK_PHASE_RUNNING || !s->kex.done_once ||
        s->authenticated)
        return SSHKIT_E_STATE;
    if (strlen(user) > SK_AUTH_USER_MAX)
        return SSHKIT_E_INVALID_ARGUMENT;
    if (!s->auth_client && !(s->auth_client = calloc(1, sizeof *s->auth_client)))
        return SSHKIT_E_NOMEM;
    struct sk_auth_client *c = s->auth_client;
    if (c->state != SK_CLIENT_IDLE)
        return SSHKIT_E_STATE;
    if (!(c->user = strdup(user)))
        return SSHKIT_E_NOMEM;
    c->method = m;
    return 0;
}

int sk_auth_client_launch(sshkit_session *s)
{
    struct sk_auth_client *c = s->auth_client;
    int rc = 0;
    if (c->service_accepted) {
        rc = sk_auth_client_send_request(s);
    } else if (!c->service_requested) {
        sk_buf *b = sk_auth_msg(s, SK_MSG_SERVICE_REQUEST);
        if (!b)
            rc = SSHKIT_E_STATE;
        else {
            sk_write_cstring(b, SK_SERVICE_USERAUTH);
            rc = sk_msg_end(s);
        }
        c->service_requested = rc == 0;
        c->state = SK_CLIENT_SERVICE;
    } else {
        c->state = SK_CLIENT_SERVICE;
    }
    if (rc != 0)
        sk_auth_client_end_attempt(c);
    return rc;
}

/* Sends a request with no method-specific part but its fields. */
static int send_simple(sshkit_session *s, const char *method)
{
    struct sk_auth_client *c = s->auth_client;
    sk_buf *b = sk_auth_msg(s, SK_MSG_USERAUTH_REQUEST);
    if (!b)
        return SSHKIT_E_STATE;
    sk_auth_write_head(b, c->user, method);
    if (c->method == SK_AUTH_METHOD_PASSWORD)
        sk_auth_write_password(b, c->password);
    else if (c->method == SK_AUTH_METHOD_KBDINT)
        sk_auth_write_kbdint(b);
    int rc = sk_msg_end(s);
    wipe_free_string(&c->password);
    c->state = c->method == SK_AUTH_METHOD_KBDINT ? SK_CLIENT_KBDINT : SK_CLIENT_RESULT;
    return rc;
}

int sk_auth_client_send_request(sshkit_session *s)
{
    switch (s->auth_client->method) {
    case SK_AUTH_METHOD_NONE:
        return send_simple(s, "none");
    case SK_AUTH_METHOD_PASSWORD:
        return send_simple(s, "password");
    case SK_AUTH_METHOD_KBDINT:
        return send_simple(s, "keyboard-interactive");
    case SK_AUTH_METHOD_PUBLICKEY:
        return sk_auth_client_pk_query(s);
    }
    return SSHKIT_E_STATE;
}

int sshkit_auth_none(sshkit_session *session, const char *user)
{
    int rc = sk_auth_client_prepare(session, user, SK_AUTH_METHOD_NONE);
    return rc ? rc : sk_auth_client_launch(session);
}

int sshkit_auth_password(sshkit_session *session, const char *user, const char *password)
{
    if (!password || strlen(password) > SK_AUTH_PASSWORD_MAX)
        return SSHKIT_E_INVALID_ARGUMENT;
    int rc = sk_auth_client_prepare(session, user, SK_AUTH_METHOD_PASSWORD);
    if (rc)
        return rc;
    if (!(session->auth_client->password = strdup(password))) {
        sk_auth_client_end_attempt(session->auth_client);
        return SSHKIT_E_NOMEM;
    }
    return sk_auth_client_launch(session);
}

int sshkit_auth_kbdint(sshkit_session *session, const char *user)
{
    int rc = sk_auth_client_prepare(session, user, SK_AUTH_METHOD_KBDINT);
    return rc ? rc : sk_auth_client_launch(session);
}
