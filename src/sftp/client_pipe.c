/* A pipeline's requests in flight: a ring in offset order, so that the
 * bytes known to have landed in order (in_order) are at its head. */
#include "sftp/client_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

int sk_sftp_pipe_init(sk_sftp_pipe *p, unsigned requests, uint32_t size, uint64_t start)
{
    memset(p, 0, sizeof *p);
    if (requests == 0)
        requests = SK_SFTP_DEFAULT_REQUESTS;
    if (requests > SK_SFTP_MAX_REQUESTS)
        requests = SK_SFTP_MAX_REQUESTS;
    p->blocks = calloc(requests, sizeof *p->blocks);
    if (p->blocks == NULL)
        return SSHKIT_E_NOMEM;
    p->cap = requests;
    p->size = size;
    p->next = p->in_order = start;
    p->eof_at = UINT64_MAX;
    return 0;
}

void sk_sftp_pipe_free(sshkit_sftp *sftp, sk_sftp_pipe *p)
{
    for (unsigned i = 0; sftp && i < p->count; i++) {
        const sk_sftp_block *b = &p->blocks[(p->head + i) % p->cap];
        if (!b->done)
            sk_sftp_orphan(sftp, b->id);
    }
    free(p->blocks);
    memset(p, 0, sizeof *p);
}

sk_sftp_block *sk_sftp_pipe_find(sk_sftp_pipe *p, uint32_t id)
{
    /* Servers answer in order, nearly always: the head is the usual hit. */
    for (unsigned i = 0; i < p->count; i++) {
        sk_sftp_block *b = &p->blocks[(p->head + i) % p->cap];
        if (b->id == id && !b->done)
            return b;
    }
    return NULL;
}

bool sk_sftp_pipe_full(const sk_sftp_pipe *p)
{
    return p->count == p->cap;
}

sk_sftp_block *sk_sftp_pipe_push(sk_sftp_pipe *p, uint64_t offset, uint64_t end)
{
    sk_sftp_block *b = &p->blocks[(p->head + p->count) % p->cap];
    p->count++;
    *b = (sk_sftp_block){ .offset = offset, .end = end };
    return b;
}

bool sk_sftp_pipe_advance(sk_sftp_pipe *p)
{
    bool moved = false;
    while (p->count > 0 && p->blocks[p->head].done) {
        const sk_sftp_block *b = &p->blocks[p->head];
        /* A block the server said EOF for ends where the file does. */
        uint64_t end = b->end < p->eof_at ? b->end : p->eof_at;
        if (end > p->in_order) {
            p->in_order = end;
            moved = true;
        }
        p->head = (p->head + 1) % p->cap;
        p->count--;
    }
    return moved;
}
