/* Fuzzes the version exchange parser (src/transport/version.c) in both roles.
 *
 * Input: [flags][n][n chunk sizes][stream]. Bit 0 of flags picks the role
 * (set: we are the client, so the peer is a server and may send lines before
 * its version). The stream is fed in chunks whose sizes cycle through the
 * given ones (a size of 0 feeds nothing, which must be harmless), each chunk
 * copied to a block of exactly its size so ASan sees reads past its end.
 *
 * Checked beyond "does not crash": chunking changes nothing (same status,
 * same bytes used, same version as one call over the whole stream); a
 * NEED_MORE call takes every byte it was given; an OK ends right after a
 * line feed and its version is that line; describe() never overflows. */
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "transport/version.h"

typedef struct {
    sk_version_status status;
    size_t used;            /* bytes of the stream taken in all */
    sk_version_parser p;
} outcome;

/* Feeds stream in chunks of sizes[i % nsizes] (all at once when nsizes is
 * 0) until the parser is done or the stream runs out. */
static void run(outcome *o, bool peer_is_server, const uint8_t *stream, size_t len,
                const uint8_t *sizes, size_t nsizes)
{
    sk_version_init(&o->p, peer_is_server);
    o->status = SK_VERSION_NEED_MORE;
    o->used = 0;
    size_t zeros = 0;       /* empty chunks in a row */
    for (size_t i = 0; o->used < len; i++) {
        size_t n = len - o->used;
        /* Sizes in turn; but once a whole round of them was zeros, the rest
         * at once, so that all-zero sizes still end. */
        if (nsizes > 0 && zeros < nsizes && sizes[i % nsizes] < n)
            n = sizes[i % nsizes];
        zeros = n == 0 ? zeros + 1 : 0;
        uint8_t *chunk = malloc(n ? n : 1);
        FUZZ_ASSERT(chunk != NULL);
        if (n)
            memcpy(chunk, stream + o->used, n);
        size_t used = 12345;
        o->status = sk_version_feed(&o->p, chunk, n, &used);
        free(chunk);
        FUZZ_ASSERT(used <= n);
        o->used += used;
        if (o->status != SK_VERSION_NEED_MORE)
            break;
        FUZZ_ASSERT(used == n);
    }
}

static void check_ok(const outcome *o, bool peer_is_server, const uint8_t *stream)
{
    FUZZ_ASSERT(o->used > 0 && stream[o->used - 1] == '\n');
    /* The line that ended there, without its CR LF or LF. */
    size_t end = o->used - 1, start = end;
    while (start > 0 && stream[start - 1] != '\n')
        start--;
    if (end > start && stream[end - 1] == '\r')
        end--;
    const char *v = o->p.peer_version;
    size_t vlen = strlen(v);
    FUZZ_ASSERT(vlen == end - start && memcmp(v, stream + start, vlen) == 0);
    FUZZ_ASSERT(vlen + 2 <= SK_VERSION_MAX);
    FUZZ_ASSERT(strncmp(v, "SSH-2.0-", 8) == 0 || strncmp(v, "SSH-1.99-", 9) == 0);
    if (!peer_is_server)
        FUZZ_ASSERT(start == 0);    /* a client sends nothing before it */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = { data, size };
    bool peer_is_server = fuzz_byte(&in) & 1;
    size_t nsizes = 0, len = 0;
    uint8_t *sizes = fuzz_take(&in, fuzz_byte(&in), &nsizes);
    uint8_t *stream = fuzz_take(&in, in.len, &len);
    outcome *chunked = malloc(sizeof *chunked), *whole = malloc(sizeof *whole);
    if (sizes == NULL || stream == NULL || chunked == NULL || whole == NULL)
        goto out;

    run(chunked, peer_is_server, stream, len, sizes, nsizes);
    run(whole, peer_is_server, stream, len, NULL, 0);
    FUZZ_ASSERT(chunked->status == whole->status && chunked->used == whole->used);
    if (chunked->status == SK_VERSION_OK) {
        FUZZ_ASSERT(strcmp(chunked->p.peer_version, whole->p.peer_version) == 0);
        check_ok(chunked, peer_is_server, stream);
    }

    /* Every buffer size from 0 up, for truncation. */
    char msg[400];
    for (size_t cap = 0; cap <= sizeof msg; cap += 37) {
        memset(msg, 'x', sizeof msg);
        const char *d = sk_version_describe(&chunked->p, chunked->status, msg, cap);
        FUZZ_ASSERT(d == msg);
        if (cap > 0)
            FUZZ_ASSERT(memchr(msg, '\0', cap) != NULL);
    }

out:
    free(sizes);
    free(stream);
    free(chunked);
    free(whole);
    return 0;
}
