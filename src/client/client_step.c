/* The client's one way of moving the connection: a non-blocking step that
 * takes every event and hands each to what waits for it. */
#include "client/client_internal.h"

#include <stdio.h>
#include <sshkit/error.h>

int sk_client_fail(sshkit_client *c, int rc)
{
    const char *why = c->session ? sshkit_session_last_error(c->session) : "";
    snprintf(c->error, sizeof c->error, "%s", *why ? why : sshkit_strerror(rc));
    return rc;
}

/* What the client does with an event itself, before the operations see it. */
static void handle_event(sshkit_client *c, const sshkit_event *ev)
{
    switch (ev->type) {
    case SSHKIT_EVENT_CHANNEL_OPEN_REQUEST:
        /* The plain client opens nothing for the server. */
        sshkit_channel_reject(ev->u.channel.channel, SSHKIT_OPEN_ADMINISTRATIVELY_PROHIBITED, NULL);
        sshkit_channel_free(ev->u.channel.channel);
        return;
    case SSHKIT_EVENT_CHANNEL_REQUEST:
        if (ev->u.request.want_reply)
            sshkit_channel_request_reply(ev->u.request.channel, false);
        return;
    case SSHKIT_EVENT_DISCONNECTED:
        c->ended = ev->u.disconnect.error ? ev->u.disconnect.error : SSHKIT_E_CLOSED;
        snprintf(c->error, sizeof c->error, "%s", ev->u.disconnect.message);
        break;
    default:
        break;
    }
    if (c->connecting)
        sk_client_connect_event(c, ev);
    sk_open_op_event(&c->open, ev);
    sk_run_op_event(c, ev);
}

int sk_client_step(sshkit_client *c)
{
    bool any = false;
    for (;;) {
        sshkit_event ev;
        unsigned want;
        int rc = sk_io_step(c->session, c->fd, &ev, &want);
        if (rc == 1) {
            any = true;
            c->events++;
            c->news = true;
            handle_event(c, &ev);
            continue;   /* the session's last output is written on the way */
        }
        c->want = rc == SSHKIT_E_AGAIN ? want : 0;
        if (rc != SSHKIT_E_AGAIN && c->ended == 0)
            c->ended = sk_client_fail(c, rc);
        if (c->ended)
            return c->ended;
        return any ? 0 : SSHKIT_E_AGAIN;
    }
}

unsigned sk_client_wants(const sshkit_client *c, int *timeout_ms)
{
    *timeout_ms = -1;
    if (c->connecting)
        return sk_client_connect_wants(c, timeout_ms);
    if (c->session == NULL || c->fd < 0) {
        *timeout_ms = 0;        /* never connected: calls answer at once */
        return 0;
    }
    const uint8_t *p;
    bool over = c->ended || c->connect_result != 0;
    unsigned want = over ? 0 : c->want & SSHKIT_WANT_READ;
    if (sshkit_session_pending(c->session, &p) > 0)
        want |= SSHKIT_WANT_WRITE;      /* for sshkit_client_disconnect() too */
    if (want == 0 || over)
        *timeout_ms = 0;        /* calls answer at once (with the end) */
    return want;
}

int sk_client_usable(const sshkit_client *c)
{
    if (c->connecting || c->connect_result != 0)
        return SSHKIT_E_STATE;
    return c->ended;
}
