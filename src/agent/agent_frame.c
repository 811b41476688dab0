/* One framed agent reply (uint32 length, then the message) collected from
 * a byte stream with no copy: the caller reads straight into the space the
 * frame lends. The length is checked against SSHKIT_AGENT_MAX_REPLY before
 * anything is allocated. */
#include "agent/agent_internal.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <sshkit/error.h>

void sk_agent_frame_init(sk_agent_frame *f)
{
    memset(f, 0, sizeof *f);
}

void sk_agent_frame_free(sk_agent_frame *f)
{
    if (f->body) {
        OPENSSL_cleanse(f->body, f->body_len);
        free(f->body);
    }
    sk_agent_frame_init(f);
}

void sk_agent_frame_space(sk_agent_frame *f, uint8_t **where, size_t *room)
{
    if (f->head_len < sizeof f->head) {
        *where = f->head + f->head_len;
        *room = sizeof f->head - f->head_len;
    } else {
        *where = f->body + f->got;
        *room = f->body_len - f->got;
    }
}

/* The header is complete: check the length, make room for the body. */
static int open_body(sk_agent_frame *f)
{
    uint32_t len = sk_load_u32(f->head);
    if (len == 0)
        return SSHKIT_E_PROTOCOL;           /* a message has a type byte at least */
    if (len > SSHKIT_AGENT_MAX_REPLY)
        return SSHKIT_E_TOO_LARGE;
    if ((f->body = malloc(len)) == NULL)
        return SSHKIT_E_NOMEM;
    f->body_len = len;
    return 0;
}

int sk_agent_frame_advance(sk_agent_frame *f, size_t n)
{
    if (f->head_len < sizeof f->head) {
        f->head_len += n;
        if (f->head_len < sizeof f->head)
            return 0;
        int rc = open_body(f);
        return rc ? rc : 0;
    }
    f->got += n;
    return f->got == f->body_len ? 1 : 0;
}

sk_bytes sk_agent_frame_message(const sk_agent_frame *f)
{
    sk_bytes m = { f->body, f->got };
    return m;
}
