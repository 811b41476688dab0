/* Fuzzes the receive side of compression (src/transport/zstream.c): one
 * inflate stream, fed packet after packet as a peer's compressed payloads
 * would come, with the payload cap the session uses.
 *
 * Input: [mode] then packets, each [2 bytes length][bytes] (the last one
 * takes what is left). Each packet sits in a block of exactly its size.
 *  - raw (mode & 1 clear): the packets are compressed data from a peer.
 *    Each inflates to at most the cap, or fails; after a failure the
 *    stream refuses everything (errors are final).
 *  - round trip (mode & 1 set): the packets are payloads. A deflate
 *    stream compresses each, as a sender does; the inflate stream must give
 *    each back whole, byte for byte. mode >> 1 (mod 4) picks the cap:
 *    each payload larger than it must be refused, as a bomb would be. */
#include <string.h>
#include <sshkit/error.h>

#include "fuzz.h"
#include "transport/packet.h"
#include "transport/zstream.h"

static size_t next_length(fuzz_input *in)
{
    size_t n = (size_t)fuzz_byte(in) << 8;
    return n | fuzz_byte(in);
}

static void raw(fuzz_input *in, sk_zstream *inf)
{
    bool failed = false;
    while (in->len > 0) {
        size_t got;
        uint8_t *packet = fuzz_take(in, next_length(in), &got);
        if (packet == NULL)
            return;
        sk_bytes out;
        int rc = sk_zstream_inflate(inf, packet, got, SK_PACKET_INFLATED_MAX, &out);
        free(packet);
        if (failed)
            FUZZ_ASSERT(rc == SSHKIT_E_STATE);
        else if (rc == 0)
            FUZZ_ASSERT(out.len <= SK_PACKET_INFLATED_MAX);
        else
            FUZZ_ASSERT(rc == SSHKIT_E_FORMAT || rc == SSHKIT_E_TOO_LARGE || rc == SSHKIT_E_NOMEM);
        failed |= rc != 0;
    }
}

static void round_trip(fuzz_input *in, sk_zstream *inf, size_t cap)
{
    sk_zstream *def;
    if (sk_zstream_new(true, &def) != 0)
        return;
    while (in->len > 0) {
        size_t got;
        uint8_t *payload = fuzz_take(in, next_length(in), &got);
        if (payload == NULL)
            break;
        sk_bytes z, back;
        FUZZ_ASSERT(sk_zstream_deflate(def, payload, got, &z) == 0);
        int rc = sk_zstream_inflate(inf, z.ptr, z.len, cap, &back);
        if (got > cap) {
            FUZZ_ASSERT(rc == SSHKIT_E_TOO_LARGE);
            free(payload);
            break;
        }
        FUZZ_ASSERT(rc == 0 && back.len == got);
        FUZZ_ASSERT(got == 0 || memcmp(back.ptr, payload, got) == 0);
        free(payload);
    }
    sk_zstream_free(def);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t caps[] = { SK_PACKET_INFLATED_MAX, 1, 1000, 40000 };
    fuzz_input in = { data, size };
    uint8_t mode = fuzz_byte(&in);
    sk_zstream *inf;
    if (sk_zstream_new(false, &inf) != 0)
        return 0;
    if (mode & 1)
        round_trip(&in, inf, caps[(mode >> 1) & 3]);
    else
        raw(&in, inf);
    sk_zstream_free(inf);
    return 0;
}
