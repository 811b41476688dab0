/* The session's byte flow: starting, receiving, sending, failing. */
#include "transport/session_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

#include "connection/connection_internal.h"
#include "transport/dispatch.h"
#include "transport/messages.h"

void sk_log(sshkit_session *s, sshkit_log_level level, const char *fmt, ...)
{
    if (s->log == NULL || level > s->log_level)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    s->log(s->log_user, level, line);
}

/* Queues SSH_MSG_DISCONNECT, bypassing any key exchange hold. */
static void queue_disconnect(sshkit_session *s, unsigned reason, const char *message)
{
    s->deferring = false;
    sk_packet_begin(&s->writer, SK_MSG_DISCONNECT);
    sk_write_u32(&s->out, reason);
    sk_write_cstring(&s->out, message);
    sk_write_cstring(&s->out, "");
    sk_packet_end(&s->writer);
}

static void close_session(sshkit_session *s, int error, unsigned reason, bool by_peer)
{
    sk_compression_log_totals(s);
    s->phase = SK_PHASE_CLOSED;
    s->final_error = error;
    sshkit_event ev = { .type = SSHKIT_EVENT_DISCONNECTED };
    ev.u.disconnect.error = error;
    ev.u.disconnect.reason = reason;
    ev.u.disconnect.by_peer = by_peer;
    ev.u.disconnect.message = s->last_error;
    if (sk_event_push(s, &ev) != 0 && s->event_count > 0) {
        /* A full queue loses the oldest news, never the end. */
        free(s->events[s->event_head].strings);
        s->events[s->event_head].strings = NULL;
        s->event_count--;
        s->event_head = (s->event_head + 1) % s->event_cap;
        sk_event_push(s, &ev);
    }
}

int sk_session_fail(sshkit_session *s, unsigned reason, int error, const char *fmt, ...)
{
    if (s->phase == SK_PHASE_CLOSED)
        return s->final_error;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->last_error, sizeof s->last_error, fmt, ap);
    va_end(ap);
    sk_log(s, SSHKIT_LOG_ERROR, "%s", s->last_error);
    /* A DISCONNECT needs the packet layer; not during the version exchange. */
    if (s->phase == SK_PHASE_RUNNING && reason != 0)
        queue_disconnect(s, reason, s->last_error);
    close_session(s, error, reason, false);
    return error;
}

/* The peer's DISCONNECT. */
int sk_session_peer_disconnected(sshkit_session *s, unsigned reason, const char *message)
{
    snprintf(s->last_error, sizeof s->last_error, "disconnected by peer (reason %u): %s",
             reason, message);
    sk_log(s, SSHKIT_LOG_INFO, "%s", s->last_error);
    close_session(s, SSHKIT_E_DISCONNECTED, reason, true);
    return SSHKIT_E_DISCONNECTED;
}

int sshkit_session_start(sshkit_session *s)
{
    if (s->phase != SK_PHASE_NEW)
        return SSHKIT_E_STATE;
    if (s->role == SSHKIT_ROLE_SERVER && s->host_key_count == 0)
        return SSHKIT_E_STATE;
    snprintf(s->our_version, sizeof s->our_version, "%s", sk_version_ours());
    sk_write_raw(&s->out, s->our_version, strlen(s->our_version));
    sk_write_raw(&s->out, "\r\n", 2);
    s->phase = SK_PHASE_VERSION;
    s->keys_since_ms = s->now_ms;
    int rc = sk_kex_send_kexinit(s);
    return rc ? rc : sk_buf_error(&s->out);
}

/* Feeds the version exchange; returns the bytes it took, or an error. */
static int receive_version(sshkit_session *s, const uint8_t *data, size_t len)
{
    size_t used;
    sk_version_status st = sk_version_feed(&s->version, data, len, &used);
    if (st == SK_VERSION_NEED_MORE)
        return (int)used;
    if (st != SK_VERSION_OK) {
        char why[200];
        sk_version_describe(&s->version, st, why, sizeof why);
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_VERSION_NOT_SUPPORTED,
                               SSHKIT_E_PROTOCOL, "%s", why);
    }
    sk_log(s, SSHKIT_LOG_DEBUG, "remote protocol version: %s", s->version.peer_version);
    s->phase = SK_PHASE_RUNNING;
    return (int)used;
}

/* Ends the session for a packet the reader refused. */
static int packet_refused(sshkit_session *s, int rc)
{
    if (rc == SSHKIT_E_MAC)
        return sk_session_fail(s, SK_DISCONNECT_MAC_ERROR, rc,
                               "message authentication code incorrect");
    if (rc == SSHKIT_E_NOMEM)
        return sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, rc, "out of memory");
    if (rc == SSHKIT_E_FORMAT && s->reader.inflate_error == SSHKIT_E_TOO_LARGE)
        return sk_session_fail(s, SK_DISCONNECT_COMPRESSION_ERROR, SSHKIT_E_PROTOCOL,
                               "decompressed packet over %u bytes (a compression bomb)",
                               (unsigned)SK_PACKET_INFLATED_MAX);
    if (rc == SSHKIT_E_FORMAT)
        return sk_session_fail(s, SK_DISCONNECT_COMPRESSION_ERROR, SSHKIT_E_PROTOCOL,
                               "corrupt compressed data");
    return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, rc, "%s",
                           rc == SSHKIT_E_TOO_LARGE ? "packet too long"
                                                    : "bad packet length or padding");
}

/* Handles every complete packet buffered. */
static int drain_packets(sshkit_session *s)
{
    for (;;) {
        sk_bytes payload;
        int rc = sk_packet_next(&s->reader, &payload);
        if (rc == SSHKIT_E_AGAIN)
            return 0;
        if (rc)
            return packet_refused(s, rc);
        s->last_seqnr = s->reader.dir.seqnr - 1;
        bool was_authenticated = s->authenticated;
        if ((rc = sk_dispatch(s, payload)) != 0)
            return rc;
        /* The client accepted USERAUTH_SUCCESS: delayed compression starts. */
        if (!was_authenticated && s->authenticated && s->role == SSHKIT_ROLE_CLIENT &&
            (rc = sk_compression_auth_passed(s)) != 0)
            return rc;
        if (s->phase == SK_PHASE_CLOSED)
            return s->final_error;
        if ((rc = sk_kex_check_limits(s)) != 0)
            return rc;
    }
}

int sshkit_session_receive(sshkit_session *s, const void *data, size_t len)
{
    if (s->phase == SK_PHASE_CLOSED)
        return s->final_error ? s->final_error : SSHKIT_E_STATE;
    if (s->phase == SK_PHASE_NEW)
        return SSHKIT_E_STATE;
    if (len == 0) {
        if (s->phase == SK_PHASE_VERSION) {
            char why[200];
            sk_version_describe(&s->version, SK_VERSION_NEED_MORE, why, sizeof why);
            return sk_session_fail(s, 0, SSHKIT_E_CONNECTION_CLOSED, "%s", why);
        }
        return sk_session_fail(s, 0, SSHKIT_E_CONNECTION_CLOSED, "connection closed by peer");
    }
    s->receive_room = 0;       /* any space handed out is gone */
    const uint8_t *p = data;
    size_t used = 0;
    if (s->phase == SK_PHASE_VERSION) {
        int rc = receive_version(s, p, len);
        if (rc < 0)
            return rc;
        used = (size_t)rc;
    }
    while (s->phase == SK_PHASE_RUNNING && used < len) {
        int took = sk_packet_feed(&s->reader, p + used, len - used);
        if (took < 0)
            return sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, took, "out of memory");
        used += (size_t)took;
        int rc = drain_packets(s);
        if (rc)
            return rc;
        if (took == 0)
            break;      /* the reader is full of a packet still incomplete */
    }
    return (int)(used > (size_t)INT32_MAX ? INT32_MAX : used);
}

int sshkit_session_receive_buffer(sshkit_session *s, uint8_t **data, size_t *room)
{
    *data = NULL;
    *room = 0;
    s->receive_room = 0;
    if (s->phase == SK_PHASE_CLOSED)
        return s->final_error ? s->final_error : SSHKIT_E_STATE;
    if (s->phase == SK_PHASE_NEW)
        return SSHKIT_E_STATE;
    size_t n;
    uint8_t *p = sk_packet_room(&s->reader, &n);
    if (p == NULL && sk_buf_error(&s->reader.in) == SSHKIT_E_NOMEM)
        return sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, SSHKIT_E_NOMEM, "out of memory");
    if (p == NULL)
        n = 0;
    *data = p;
    *room = n;
    s->receive_room = n;
    return 0;
}

int sshkit_session_received(sshkit_session *s, size_t len)
{
    size_t room = s->receive_room;
    s->receive_room = 0;
    if (s->phase == SK_PHASE_CLOSED)
        return s->final_error ? s->final_error : SSHKIT_E_STATE;
    if (len == 0)
        return sshkit_session_receive(s, NULL, 0);
    if (len > room)
        return SSHKIT_E_INVALID_ARGUMENT;
    uint8_t *p = s->reader.in.data + s->reader.in.len;
    size_t version_used = 0;
    if (s->phase == SK_PHASE_VERSION) {
        /* The version exchange reads its lines itself; bytes after the
         * peer's version line are the first packets: they move to where
         * the reader expects them. */
        int rc = receive_version(s, p, len);
        if (rc < 0)
            return rc;
        version_used = (size_t)rc;
        if (s->phase != SK_PHASE_RUNNING)
            return (int)(len > (size_t)INT32_MAX ? INT32_MAX : len);
        memmove(p, p + version_used, len - version_used);
    }
    sk_packet_commit(&s->reader, len - version_used);
    int rc = drain_packets(s);
    if (rc)
        return rc;
    return (int)(len > (size_t)INT32_MAX ? INT32_MAX : len);
}

/* Sent bytes at the front of the output queue worth moving the rest over. */
#define SK_OUT_COMPACT_MIN ((size_t)64 << 10)

size_t sshkit_session_pending(sshkit_session *s, const uint8_t **data)
{
    *data = s->out.data ? s->out.data + s->out_sent : NULL;
    return s->out.len - s->out_sent;
}

void sshkit_session_sent(sshkit_session *s, size_t len)
{
    size_t pending = s->out.len - s->out_sent;
    s->out_sent += len < pending ? len : pending;
    size_t left = s->out.len - s->out_sent;
    if (left == 0) {
        s->out.len = 0;
        s->out_sent = 0;
    } else if (s->out_sent >= SK_OUT_COMPACT_MIN && s->out_sent >= left) {
        /* A queue never sent to its end would otherwise only grow: move
         * the unsent rest to the front once the sent part is at least as
         * large (so each byte is moved at most once, on average). */
        memmove(s->out.data, s->out.data + s->out_sent, left);
        s->out.len = left;
        s->out_sent = 0;
    }
    sk_connection_output_drained(s);
}

/* LoginGraceTime: a server gives a client so long to authenticate. */
static int check_login_grace(sshkit_session *s)
{
    if (s->role != SSHKIT_ROLE_SERVER || s->authenticated)
        return 0;
    unsigned grace = s->server_auth.login_grace_seconds;
    uint64_t limit_ms = (uint64_t)(grace ? grace : SK_LOGIN_GRACE_DEFAULT) * 1000;
    if (s->now_ms - s->first_tick_ms < limit_ms)
        return 0;
    return sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, SSHKIT_E_TIMEOUT,
                           "Timeout before authentication");
}

int sshkit_session_tick(sshkit_session *s, uint64_t now_ms)
{
    if (!s->ticked) {
        s->ticked = true;
        s->first_tick_ms = now_ms;
    }
    s->now_ms = now_ms;
    if (s->phase == SK_PHASE_CLOSED)
        return s->final_error;
    if (s->phase == SK_PHASE_NEW)
        return 0;
    int rc = check_login_grace(s);
    if (rc == 0 && s->phase == SK_PHASE_RUNNING)
        rc = sk_kex_check_limits(s);
    return rc;
}

int sshkit_session_rekey(sshkit_session *s)
{
    if (s->phase != SK_PHASE_RUNNING || !s->kex.done_once || s->kex.in_progress)
        return SSHKIT_E_STATE;
    return sk_kex_send_kexinit(s);
}

int sshkit_session_disconnect(sshkit_session *s, unsigned reason, const char *message)
{
    if (s->phase == SK_PHASE_CLOSED)
        return SSHKIT_E_STATE;
    snprintf(s->last_error, sizeof s->last_error, "%s", message ? message : "disconnected");
    if (s->phase == SK_PHASE_RUNNING)
        queue_disconnect(s, reason, message ? message : "");
    close_session(s, SSHKIT_OK, reason, false);
    s->last_error[0] = '\0';
    return 0;
}
