/* TEMPORARY: weak stand-ins for the transport's internal API
 * (session_internal.h) so that the library links while the engine is
 * being written on main. The engine's definitions override them; this file
 * is deleted when main is merged into the auth branch. */
#include <sshkit/error.h>

#include "transport/session_internal.h"

__attribute__((weak)) sk_buf *sk_msg_begin(sshkit_session *s, uint8_t type)
{
    (void)s;
    (void)type;
    return NULL;
}

__attribute__((weak)) int sk_msg_end(sshkit_session *s)
{
    (void)s;
    return SSHKIT_E_STATE;
}

__attribute__((weak)) int sk_event_push(sshkit_session *s, const sshkit_event *ev)
{
    (void)s;
    (void)ev;
    return SSHKIT_E_STATE;
}

__attribute__((weak)) int sk_session_fail(sshkit_session *s, unsigned reason, int error,
                                          const char *fmt, ...)
{
    (void)s;
    (void)reason;
    (void)fmt;
    return error;
}

__attribute__((weak)) void sk_log(sshkit_session *s, sshkit_log_level level, const char *fmt, ...)
{
    (void)s;
    (void)level;
    (void)fmt;
}

__attribute__((weak)) const char *sk_session_server_sig_algs(const sshkit_session *s)
{
    (void)s;
    return NULL;
}
