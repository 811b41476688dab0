/* Blocking client authentication: start an attempt, wait for its result. */
#include "io/io_internal.h"

#include <sshkit/error.h>

/* Waits for the result of the attempt a sshkit_auth_*() call queued (rc). */
static int await_result(sshkit_session *s, int fd, int rc, int timeout_ms)
{
    if (rc < 0)
        return rc;
    sshkit_event ev;
    rc = sshkit_blocking_wait_for(s, fd, SSHKIT_EVENT_AUTH_RESULT, &ev, timeout_ms);
    return rc < 0 ? rc : (int)ev.u.auth.status;
}

int sshkit_blocking_auth_none(sshkit_session *session, int fd, const char *user, int timeout_ms)
{
    if (session == NULL || fd < 0 || user == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    return await_result(session, fd, sshkit_auth_none(session, user), timeout_ms);
}

int sshkit_blocking_auth_password(sshkit_session *session, int fd, const char *user,
                                  const char *password, int timeout_ms)
{
    if (session == NULL || fd < 0 || user == NULL || password == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    return await_result(session, fd, sshkit_auth_password(session, user, password), timeout_ms);
}

int sshkit_blocking_auth_publickey(sshkit_session *session, int fd, const char *user,
                                   const sshkit_key *key, int timeout_ms)
{
    if (session == NULL || fd < 0 || user == NULL || key == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    return await_result(session, fd, sshkit_auth_publickey(session, user, key), timeout_ms);
}

int sshkit_blocking_auth_publickey_signer(sshkit_session *session, int fd, const char *user,
                                          const sshkit_key *key, sshkit_sign_fn sign,
                                          void *sign_ctx, int timeout_ms)
{
    if (session == NULL || fd < 0 || user == NULL || key == NULL || sign == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    return await_result(session, fd,
                        sshkit_auth_publickey_signer(session, user, key, sign, sign_ctx),
                        timeout_ms);
}
