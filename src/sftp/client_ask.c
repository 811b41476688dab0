/* One request waiting for its reply, which is kept whole; and the checks
 * every reply goes through. */
#include "sftp/client_internal.h"

#include <stdio.h>
#include <string.h>
#include <sshkit/error.h>

static const char *type_name(uint8_t type)
{
    switch (type) {
    case SK_FXP_STATUS: return "STATUS";
    case SK_FXP_HANDLE: return "HANDLE";
    case SK_FXP_DATA: return "DATA";
    case SK_FXP_NAME: return "NAME";
    case SK_FXP_ATTRS: return "ATTRS";
    case SK_FXP_EXTENDED_REPLY: return "EXTENDED_REPLY";
    default: return "unknown";
    }
}

void sk_sftp_ask_init(sk_sftp_ask *ask)
{
    memset(ask, 0, sizeof *ask);
    sk_buf_init(&ask->reply);
    ask->reply.max = SK_SFTP_MAX_PACKET + 4;
}

void sk_sftp_ask_free(sshkit_sftp *sftp, sk_sftp_ask *ask)
{
    if (ask->waiting && sftp)
        sk_sftp_orphan(sftp, ask->id);
    sk_buf_free(&ask->reply);
    ask->waiting = ask->answered = false;
}

void sk_sftp_ask_sent(sk_sftp_ask *ask, uint32_t id)
{
    ask->id = id;
    ask->waiting = true;
    ask->answered = false;
}

bool sk_sftp_ask_take(sk_sftp_ask *ask, uint32_t id, const uint8_t *pkt, size_t len)
{
    if (!ask->waiting || ask->id != id)
        return false;
    sk_buf_reset(&ask->reply);
    sk_write_raw(&ask->reply, pkt + 4, len - 4);
    ask->waiting = false;
    ask->answered = sk_buf_error(&ask->reply) == 0;
    return true;
}

int sk_sftp_ask_reply(sk_sftp_ask *ask, sk_sftp_reply *reply)
{
    if (!ask->answered)
        return SSHKIT_E_NOMEM;      /* the copy failed */
    ask->answered = false;
    sk_reader_init(&reply->r, ask->reply.data, ask->reply.len);
    sk_read_u8(&reply->r, &reply->type);
    sk_read_u32(&reply->r, &reply->id);
    return sk_reader_error(&reply->r);
}

int sk_sftp_status(sshkit_sftp *sftp, sk_sftp_reply *reply)
{
    uint32_t code;
    sk_bytes message, lang;
    sk_read_u32(&reply->r, &code);
    /* Version 3 servers may leave out the message and language. */
    if (sk_reader_remaining(&reply->r) > 0) {
        sk_read_string(&reply->r, &message);
        sk_read_string(&reply->r, &lang);
    } else {
        message = (sk_bytes){ (const uint8_t *)"", 0 };
    }
    if (sk_reader_error(&reply->r))
        return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent a malformed STATUS");
    if (code == SSHKIT_SFTP_OK)
        return 0;
    sftp->last_status = code;
    size_t n = message.len < sizeof sftp->last_message - 1 ? message.len
                                                           : sizeof sftp->last_message - 1;
    if (n > 0 && memchr(message.ptr, 0, n) == NULL) {
        memcpy(sftp->last_message, message.ptr, n);
        sftp->last_message[n] = 0;
    } else {
        snprintf(sftp->last_message, sizeof sftp->last_message, "%s",
                 sshkit_sftp_status_message(code));
    }
    snprintf(sftp->last_error, sizeof sftp->last_error, "%s", sftp->last_message);
    return SSHKIT_E_SFTP_STATUS;
}

int sk_sftp_expect(sshkit_sftp *sftp, sk_sftp_reply *reply, uint8_t type, const char *what)
{
    if (reply->type == type)
        return 0;
    if (reply->type == SK_FXP_STATUS) {
        int rc = sk_sftp_status(sftp, reply);
        if (rc == 0)    /* OK where data was due */
            return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server answered %s with OK and no %s",
                                what, type_name(type));
        return rc;
    }
    return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server answered %s with %s (type %u)", what,
                        type_name(reply->type), reply->type);
}
