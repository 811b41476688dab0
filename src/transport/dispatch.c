/* Message routing by type and state; see dispatch.h. */
#include "transport/dispatch.h"

#include <sshkit/error.h>

#include "connection/connection_internal.h"
#include "transport/messages.h"

static int handle_disconnect(sshkit_session *s, sk_bytes payload)
{
    sk_reader r;
    uint8_t type;
    uint32_t reason;
    char message[256];
    sk_reader_init(&r, payload.ptr, payload.len);
    sk_read_u8(&r, &type);
    sk_read_u32(&r, &reason);
    sk_bytes desc;
    sk_read_string(&r, &desc);
    if (sk_reader_error(&r))
        return sk_session_peer_disconnected(s, 0, "(malformed DISCONNECT)");
    /* Keep printable ASCII only: the text came from the network. */
    size_t n = 0;
    for (size_t i = 0; i < desc.len && n + 1 < sizeof message; i++)
        message[n++] = desc.ptr[i] >= 0x20 && desc.ptr[i] < 0x7f ? (char)desc.ptr[i] : '?';
    message[n] = '\0';
    return sk_session_peer_disconnected(s, reason, message);
}

int sk_send_unimplemented(sshkit_session *s)
{
    sk_buf *b = sk_msg_begin(s, SK_MSG_UNIMPLEMENTED);
    sk_write_u32(b, s->last_seqnr);
    return sk_msg_end(s);
}

/* Messages 1..4, allowed at any time except in a strict initial kex. */
static int handle_generic(sshkit_session *s, uint8_t type, sk_bytes payload)
{
    switch (type) {
    case SK_MSG_DISCONNECT:
        return handle_disconnect(s, payload);
    case SK_MSG_IGNORE:
        return 0;
    case SK_MSG_UNIMPLEMENTED:
        sk_log(s, SSHKIT_LOG_DEBUG, "peer did not understand one of our messages");
        return 0;
    case SK_MSG_DEBUG:
        sk_log(s, SSHKIT_LOG_DEBUG, "peer sent a DEBUG message");
        return 0;
    default:
        return 0;
    }
}

static bool is_kex_message(uint8_t type)
{
    return type == SK_MSG_KEXINIT || type == SK_MSG_NEWKEYS || (type >= 30 && type <= 49);
}

/* What may arrive while a key exchange runs (RFC 4253 section 7.1, and
 * OpenSSH's strict kex: nothing else at all during the first one). */
static int check_kex_phase(sshkit_session *s, uint8_t type)
{
    sk_kex *k = &s->kex;
    bool initial = !k->done_once;
    if (initial && !is_kex_message(type) && type != SK_MSG_DISCONNECT) {
        if (k->strict || type == SK_MSG_EXT_INFO || type >= 5)
            return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                                   "%s: unexpected message %u before key exchange completed",
                                   k->strict ? "strict KEX violation" : "protocol error", type);
    }
    /* Once the peer's KEXINIT is in, only kex messages until its NEWKEYS. */
    if (k->got_kexinit && !k->got_newkeys && type > SK_MSG_DEBUG && !is_kex_message(type))
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "unexpected message %u during key exchange", type);
    return 0;
}

/* Connection-layer messages need an authenticated user; a client sending
 * them earlier is attacking the server (CVE-2018-10933). */
static int handle_connection(sshkit_session *s, uint8_t type, sk_bytes payload)
{
    if (!s->authenticated)
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "connection message %u before authentication", type);
    return sk_connection_handle(s, type, payload);
}

int sk_dispatch(sshkit_session *s, sk_bytes payload)
{
    uint8_t type = payload.ptr[0];
    int rc = check_kex_phase(s, type);
    if (rc)
        return rc;
    if (type <= SK_MSG_DEBUG)
        return handle_generic(s, type, payload);
    if (is_kex_message(type) || type == SK_MSG_EXT_INFO)
        return sk_kex_handle(s, type, payload);
    if (type == SK_MSG_SERVICE_REQUEST || type == SK_MSG_SERVICE_ACCEPT ||
        (type >= 50 && type <= 79))
        return sk_auth_handle(s, type, payload);
    if (type >= 80 && type <= 127)
        return handle_connection(s, type, payload);
    return sk_send_unimplemented(s);
}
