/* Routing connection-layer messages (80..127). */
#include "connection/connection_internal.h"

#include <sshkit/error.h>

#include "transport/dispatch.h"
#include "transport/messages.h"

int sk_channel_from_message(sshkit_session *s, sk_reader *r, uint8_t type, sshkit_channel **ch)
{
    uint32_t id;
    *ch = NULL;
    if (sk_read_u32(r, &id) == 0)
        *ch = sk_channel_lookup(s, id);
    if (*ch == NULL)
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "message %u for unknown channel %u", type, id);
    return 0;
}

int sk_connection_handle(sshkit_session *s, uint8_t type, sk_bytes payload)
{
    sk_reader r;
    uint8_t skip;
    sk_reader_init(&r, payload.ptr, payload.len);
    sk_read_u8(&r, &skip);
    switch (type) {
    case SK_MSG_GLOBAL_REQUEST:
    case SK_MSG_REQUEST_SUCCESS:
    case SK_MSG_REQUEST_FAILURE:
        return sk_global_handle(s, type, &r);
    case SK_MSG_CHANNEL_OPEN:
        return sk_channel_handle_open(s, &r);
    case SK_MSG_CHANNEL_OPEN_CONFIRMATION:
    case SK_MSG_CHANNEL_OPEN_FAILURE:
        return sk_channel_handle_open_reply(s, type, &r);
    case SK_MSG_CHANNEL_WINDOW_ADJUST:
        return sk_channel_handle_window(s, &r);
    case SK_MSG_CHANNEL_DATA:
    case SK_MSG_CHANNEL_EXTENDED_DATA:
        return sk_channel_handle_data(s, type, &r);
    case SK_MSG_CHANNEL_EOF:
    case SK_MSG_CHANNEL_CLOSE:
        return sk_channel_handle_eof_close(s, type, &r);
    case SK_MSG_CHANNEL_REQUEST:
        return sk_channel_handle_request(s, &r);
    case SK_MSG_CHANNEL_SUCCESS:
    case SK_MSG_CHANNEL_FAILURE:
        return sk_channel_handle_request_reply(s, type, &r);
    default:
        return sk_send_unimplemented(s);
    }
}
