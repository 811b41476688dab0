/* Fuzzes a client session (the whole transport engine, src/transport/) as
 * a hostile server would: a fresh session that accepts any host key, fed
 * "SSH-2.0-fuzz\r\n" and then the input's stream.
 *
 * Input: [n][n chunk sizes - 1][stream] (see fuzz_chunks_take). The stream
 * goes in in chunks of those sizes, events and output drained after each,
 * then the connection closes. Checked beyond "does not crash, leak or
 * hang": every receive takes at most what it was given, and at the end the
 * session is closed with exactly one DISCONNECTED event. */
#include "fuzz_session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = { data, size };
    fuzz_chunks chunks;
    fuzz_tally tally = { 0, 0 };
    fuzz_chunks_take(&in, &chunks);
    sshkit_session *s = fuzz_session(SSHKIT_ROLE_CLIENT);
    static const char hello[] = "SSH-2.0-fuzz\r\n";
    FUZZ_ASSERT(sshkit_session_receive(s, hello, sizeof hello - 1) == (int)sizeof hello - 1);
    fuzz_drain(s, &tally);
    fuzz_feed(s, in.data, in.len, &chunks, &tally);
    fuzz_finish(s, &tally);
    sshkit_session_free(s);
    return 0;
}
