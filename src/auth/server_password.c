/* Server password authentication (RFC 4252 section 8). The callback is
 * always asked, whatever the user, so unknown users cost the same; a
 * password change request (flag TRUE) fails: sshkit changes no passwords. */
#include "auth/auth_internal.h"

#include <string.h>
#include <openssl/crypto.h>

#include "transport/messages.h"
#include "transport/session_internal.h"

int sk_auth_server_password(sshkit_session *s, sk_reader *r)
{
    sk_auth_password_req p;
    if (sk_auth_read_password(r, &p) != 0)
        return sk_auth_protocol_error(s, SK_MSG_USERAUTH_REQUEST, "malformed password request");
    if (p.change)
        return sk_auth_server_reject(s, false);
    char password[SK_AUTH_PASSWORD_MAX + 1];
    memcpy(password, p.password.ptr, p.password.len);
    password[p.password.len] = '\0';
    const sshkit_server_auth *a = &s->server_auth;
    sshkit_auth_decision d = a->password(a->user, s->auth_server->user, password);
    OPENSSL_cleanse(password, sizeof password);
    if (d == SSHKIT_AUTH_ACCEPT)
        return sk_auth_server_accept(s, SK_AUTH_METHOD_PASSWORD);
    return sk_auth_server_reject(s, false);
}
