/* Fuzzes the post-kex receive path of a server (decryption and MAC checks
 * in every kind of packet protection): a real client and server finish a
 * key exchange in memory, then the input's stream goes to the server as if
 * from the network. Nearly every input fails the MAC; that is the point:
 * nothing before the MAC check may misbehave on any bytes.
 *
 * Input: [mode][n][n chunk sizes - 1][stream]; mode & 3 picks
 * chacha20-poly1305, aes256-gcm, aes128-ctr + hmac-sha2-256-etm,
 * aes128-ctr + hmac-sha2-256. Checked: the handshake completes, and the
 * server ends closed with exactly one DISCONNECTED event. */
#include "fuzz_session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = { data, size };
    uint8_t mode = fuzz_byte(&in);
    fuzz_chunks chunks;
    fuzz_chunks_take(&in, &chunks);
    sshkit_session *c, *s;
    fuzz_pair(mode, &c, &s);
    fuzz_link links[2] = { { 0, NULL, 0 }, { 0, NULL, 0 } };
    fuzz_tally tallies[2] = { { 0, 0 }, { 0, 0 } };
    fuzz_pump(c, s, links, tallies);
    FUZZ_ASSERT(tallies[0].kex_done == 1 && tallies[1].kex_done == 1);
    fuzz_feed(s, in.data, in.len, &chunks, &tallies[1]);
    fuzz_finish(s, &tallies[1]);
    sshkit_session_free(c);
    sshkit_session_free(s);
    return 0;
}
