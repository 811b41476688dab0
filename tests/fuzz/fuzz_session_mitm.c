/* Fuzzes the handshake against a man in the middle: a real client and
 * server in memory, with bytes changed in flight (either direction, any
 * offset, any xor) during the first key exchange and a rekey.
 *
 * Input: [mode][then 4 bytes per flip: direction (bit 0: server to client),
 * offset high, offset low, xor], at most 8 flips. mode & 3 picks the packet
 * protection as in fuzz_session_pair.
 *
 * Checked: nothing crashes, leaks or hangs; if both sides finish a key
 * exchange they agree on the session identifier (a flip that both sides
 * survive changed nothing that the exchange hash covers); once the
 * connection closes each side is closed with exactly one DISCONNECTED
 * event. */
#include "fuzz_session.h"

#define MAX_FLIPS 8

static void check_agreement(sshkit_session *c, sshkit_session *s, const fuzz_tally t[2])
{
    if (t[0].kex_done == 0 || t[1].kex_done == 0)
        return;
    size_t a, b;
    const uint8_t *ida = sshkit_session_id(c, &a), *idb = sshkit_session_id(s, &b);
    FUZZ_ASSERT(a > 0 && a == b && memcmp(ida, idb, a) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = { data, size };
    uint8_t mode = fuzz_byte(&in);
    fuzz_flip flips[2][MAX_FLIPS];
    fuzz_link links[2] = { { 0, flips[0], 0 }, { 0, flips[1], 0 } };
    for (int i = 0; i < MAX_FLIPS && in.len >= 4; i++) {
        fuzz_link *l = &links[fuzz_byte(&in) & 1];
        size_t at = (size_t)fuzz_byte(&in) << 8;
        at |= fuzz_byte(&in);
        flips[l == &links[1]][l->nflips++] = (fuzz_flip){ at, fuzz_byte(&in) };
    }
    sshkit_session *c, *s;
    fuzz_pair(mode, &c, &s);
    fuzz_tally tallies[2] = { { 0, 0 }, { 0, 0 } };
    fuzz_pump(c, s, links, tallies);
    check_agreement(c, s, tallies);
    if (sshkit_session_rekey(c) == 0)
        fuzz_pump(c, s, links, tallies);
    check_agreement(c, s, tallies);
    fuzz_finish(c, &tallies[0]);
    fuzz_finish(s, &tallies[1]);
    sshkit_session_free(c);
    sshkit_session_free(s);
    return 0;
}
