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
