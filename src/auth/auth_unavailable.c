/* Until the authentication layer joins: every authentication message ends
 * the session with SERVICE_NOT_AVAILABLE. Replaced by src/auth/. */
#include "transport/session_internal.h"

#include <sshkit/error.h>

#include "transport/messages.h"

int sk_auth_handle(sshkit_session *s, uint8_t type, sk_bytes payload)
{
    (void)payload;
    return sk_session_fail(s, SK_DISCONNECT_SERVICE_NOT_AVAILABLE, SSHKIT_E_UNSUPPORTED,
                           "authentication is not available yet (message %u)", type);
}

void sk_auth_free(sshkit_session *s)
{
    (void)s;
}

/* The public client and server functions of sshkit/auth.h, until then:
 * every attempt is refused as unsupported, so that the drivers in src/io/
 * link. (Added on branch io; this whole file goes when src/auth/ lands.) */

int sshkit_auth_none(sshkit_session *s, const char *user)
{
    (void)s;
    (void)user;
    return SSHKIT_E_UNSUPPORTED;
}

int sshkit_auth_password(sshkit_session *s, const char *user, const char *password)
{
    (void)s;
    (void)user;
    (void)password;
    return SSHKIT_E_UNSUPPORTED;
}

int sshkit_auth_publickey(sshkit_session *s, const char *user, const sshkit_key *key)
{
    (void)s;
    (void)user;
    (void)key;
    return SSHKIT_E_UNSUPPORTED;
}

int sshkit_auth_kbdint(sshkit_session *s, const char *user)
{
    (void)s;
    (void)user;
    return SSHKIT_E_UNSUPPORTED;
}

int sshkit_auth_kbdint_respond(sshkit_session *s, const char *const *answers, unsigned count)
{
    (void)s;
    (void)answers;
    (void)count;
    return SSHKIT_E_UNSUPPORTED;
}

bool sshkit_auth_is_done(const sshkit_session *s)
{
    (void)s;
    return false;
}

int sshkit_server_set_auth(sshkit_session *s, const sshkit_server_auth *auth)
{
    (void)s;
    (void)auth;
    return SSHKIT_E_UNSUPPORTED;
}

const char *sshkit_auth_user(const sshkit_session *s)
{
    (void)s;
    return NULL;
}
