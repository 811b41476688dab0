/* What a connection does with its session's events, and the log lines
 * sshd writes for them. */
#include <stdio.h>
#include <string.h>

#include "channels.h"
#include "log.h"
#include "server.h"
#include "tcp_fwd.h"

static void on_kex_done(struct conn *c)
{
    sshkit_session *s = c->session;
    log_debug("%s: kex done: %s, %s, %s, %s", c->label,
              sshkit_session_get_negotiated(s, SSHKIT_ALG_KEX),
              sshkit_session_get_negotiated(s, SSHKIT_ALG_HOSTKEY),
              sshkit_session_get_negotiated(s, SSHKIT_ALG_CIPHER),
              sshkit_session_get_negotiated(s, SSHKIT_ALG_MAC));
}

/* The user is in: channel messages reach channels.c from here on (its
 * state, c->channels, comes with the first channel). */
static void on_authenticated(struct conn *c, const char *user)
{
    char clean[128];
    const char *method = c->auth.method ? c->auth.method : "none";
    c->authenticated = true;
    c->srv->unauth_count--;
    if (strcmp(method, "publickey") == 0) {
        c->auth.key_line = c->auth.candidate;
        c->auth.candidate = NULL;
    }
    /* Sessions, agent connections and forwarded connections (tcp_fwd.c's 256). */
    long max = c->srv->cfg->max_sessions;
    sshkit_session_set_max_channels(c->session, (unsigned)(max > 0 ? max : 0) + 64 + 256);
    tcp_remote_attach(c);
    log_info("Accepted %s for %s from %s ssh2%s%s", method, log_clean(user, clean, sizeof clean),
             c->label, c->auth.key_desc[0] ? ": " : "", c->auth.key_desc);
}

/* "user U ADDR port P" once authenticated, else "ADDR port P". */
static void who(const struct conn *c, char *buf, size_t cap)
{
    const char *user = c->authenticated ? sshkit_auth_user(c->session) : NULL;
    char clean[128];
    if (user)
        snprintf(buf, cap, "user %s %s", log_clean(user, clean, sizeof clean), c->label);
    else
        snprintf(buf, cap, "%s", c->label);
}

static void on_disconnected(struct conn *c, const sshkit_event *ev)
{
    char peer[256], msg[256];
    const char *tail = c->authenticated ? "" : " [preauth]";
    who(c, peer, sizeof peer);
    log_clean(ev->u.disconnect.message ? ev->u.disconnect.message : "", msg, sizeof msg);
    switch (ev->u.disconnect.error) {
    case SSHKIT_E_CONNECTION_CLOSED:
        log_info("Connection closed by %s%s", peer, tail);
        return;
    case SSHKIT_E_TIMEOUT:
        log_info("Timeout before authentication for %s", c->label);
        return;
    case SSHKIT_E_NO_COMMON_ALGORITHM:
        log_info("Unable to negotiate with %s: %s%s", c->label,
                 sshkit_session_last_error(c->session), tail);
        return;
    default:
        break;
    }
    if (ev->u.disconnect.by_peer)
        log_info("Received disconnect from %s:%u: %s%s", c->label, ev->u.disconnect.reason, msg,
                 tail);
    else if (ev->u.disconnect.reason == 14)
        log_error("maximum authentication attempts exceeded for %s ssh2%s", c->label, tail);
    else if (ev->u.disconnect.error != SSHKIT_OK)
        log_info("Disconnecting %s: %s%s", peer, msg, tail);
    log_info("Disconnected from %s%s", peer, tail);
}

void conn_handle_event(struct conn *c, const sshkit_event *ev)
{
    switch (ev->type) {
    case SSHKIT_EVENT_KEX_DONE:
        on_kex_done(c);
        break;
    case SSHKIT_EVENT_AUTHENTICATED:
        on_authenticated(c, ev->u.text.text);
        break;
    case SSHKIT_EVENT_DISCONNECTED:
        on_disconnected(c, ev);
        break;
    default:
        if (c->authenticated)
            channels_handle_event(c, ev);
        break;
    }
}
