/* A channel's received bytes, queued for the application. Bounded by the
 * window the peer was granted, so it never grows past that. */
#include "connection/connection_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

int sk_stream_append(sk_stream *st, const uint8_t *data, size_t len)
{
    if (st->pos > 0 && st->pos == st->len)
        st->pos = st->len = 0;
    if (len > st->cap - st->len) {
        /* Move what is unread to the front first; grow only if that is not enough. */
        if (st->pos > 0) {
            memmove(st->data, st->data + st->pos, st->len - st->pos);
            st->len -= st->pos;
            st->pos = 0;
        }
        if (len > st->cap - st->len) {
            size_t cap = st->cap ? st->cap : 16384;
            while (cap - st->len < len)
                cap *= 2;
            uint8_t *bigger = realloc(st->data, cap);
            if (bigger == NULL)
                return SSHKIT_E_NOMEM;
            st->data = bigger;
            st->cap = cap;
        }
    }
    memcpy(st->data + st->len, data, len);
    st->len += len;
    return 0;
}

size_t sk_stream_take(sk_stream *st, uint8_t *out, size_t cap)
{
    size_t n = st->len - st->pos;
    if (n > cap)
        n = cap;
    if (n)
        memcpy(out, st->data + st->pos, n);
    st->pos += n;
    return n;
}

void sk_stream_free(sk_stream *st)
{
    free(st->data);
    memset(st, 0, sizeof *st);
}
