/* sshkit-ssh: how a connection ended, in ssh's words. */
#include <string.h>

#include "ssh_client.h"

void report_disconnect(const sshkit_session *s, const sshkit_event *ev, const char *addr,
                       unsigned port)
{
    if (ev->type != SSHKIT_EVENT_DISCONNECTED) {
        log_at(SSH_LOG_ERROR, "ssh: %s", sshkit_session_last_error(s));
        return;
    }
    if (ev->u.disconnect.by_peer && ev->u.disconnect.reason != 0) {
        log_at(SSH_LOG_INFO, "Received disconnect from %s port %u:%u: %s", addr, port,
               ev->u.disconnect.reason, ev->u.disconnect.message ? ev->u.disconnect.message : "");
        log_at(SSH_LOG_INFO, "Disconnected from %s port %u", addr, port);
    } else if (ev->u.disconnect.error == SSHKIT_E_CONNECTION_CLOSED ||
               ev->u.disconnect.error == SSHKIT_OK) {
        log_at(SSH_LOG_ERROR, "Connection closed by %s port %u", addr, port);
    } else {
        const char *why = sshkit_session_last_error(s);
        log_at(SSH_LOG_ERROR, "ssh: %s", *why ? why : sshkit_strerror(ev->u.disconnect.error));
    }
}

bool method_listed(const char *list, const char *method)
{
    size_t n = strlen(method);
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, method, n) == 0)
            return true;
        p += len;
        if (*p == ',')
            p++;
    }
    return false;
}
