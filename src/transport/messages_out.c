/* Sending messages: straight into the send queue, or held back while a key
 * exchange runs (RFC 4253 section 7.1). */
#include "transport/session_internal.h"

#include <sshkit/error.h>

#include "transport/messages.h"

/* After a packet is framed: the server's USERAUTH_SUCCESS starts delayed
 * compression with the packet that follows it. */
static int framed(sshkit_session *s)
{
    if (s->writer.type == SK_MSG_USERAUTH_SUCCESS && s->role == SSHKIT_ROLE_SERVER)
        return sk_compression_auth_passed(s);
    return 0;
}

sk_buf *sk_msg_begin(sshkit_session *s, uint8_t type)
{
    s->deferring = s->kex.in_progress && !sk_kex_allows(type);
    if (!s->deferring) {
        sk_packet_begin(&s->writer, type);
        return &s->out;
    }
    s->deferred_start = sk_write_string_begin(&s->deferred);
    sk_write_u8(&s->deferred, type);
    return &s->deferred;
}

int sk_msg_end(sshkit_session *s)
{
    if (s->deferring) {
        s->deferring = false;
        sk_write_string_end(&s->deferred, s->deferred_start);
        return sk_buf_error(&s->deferred);
    }
    int rc = sk_packet_end(&s->writer);
    if (rc == 0)
        rc = framed(s);
    /* A sender that never hears back must still renew its keys in time. */
    return rc ? rc : sk_kex_check_limits(s);
}

/* Called when a key exchange ends: frames the held messages under the new keys. */
int sk_msg_flush_deferred(sshkit_session *s)
{
    sk_reader r;
    sk_bytes payload;
    int rc = sk_buf_error(&s->deferred);
    sk_reader_init(&r, s->deferred.data, s->deferred.len);
    while (rc == 0 && sk_reader_remaining(&r) > 0 && sk_read_string(&r, &payload) == 0) {
        sk_packet_begin(&s->writer, payload.ptr[0]);
        sk_write_raw(&s->out, payload.ptr + 1, payload.len - 1);
        rc = sk_packet_end(&s->writer);
        if (rc == 0)
            rc = framed(s);
    }
    sk_buf_reset(&s->deferred);
    return rc;
}
