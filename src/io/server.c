/* sshkit_server_session_new(): a started server session with its host keys
 * and authentication callbacks. */
#include "io/io_internal.h"

#include <sshkit/error.h>

static int configure(sshkit_session *s, const sshkit_key *const *host_keys, size_t count,
                     const sshkit_server_auth *auth)
{
    for (size_t i = 0; i < count; i++) {
        if (host_keys[i] == NULL || !sshkit_key_is_private(host_keys[i]))
            return SSHKIT_E_INVALID_ARGUMENT;
        int rc = sshkit_session_add_host_key(s, host_keys[i]);
        if (rc != 0)
            return rc;
    }
    if (auth != NULL) {
        int rc = sshkit_server_set_auth(s, auth);
        if (rc != 0)
            return rc;
    }
    return sshkit_session_start(s);
}

int sshkit_server_session_new(const sshkit_key *const *host_keys, size_t count,
                              const sshkit_server_auth *auth, sshkit_session **out)
{
    if (out != NULL)
        *out = NULL;
    if (host_keys == NULL || count == 0 || out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    sshkit_session *s;
    int rc = sshkit_session_new(SSHKIT_ROLE_SERVER, &s);
    if (rc != 0)
        return rc;
    if ((rc = configure(s, host_keys, count, auth)) != 0) {
        sshkit_session_free(s);
        return rc;
    }
    *out = s;
    return 0;
}
