/* Fuzzes the ssh-agent client's reply handling (src/agent/): the frame
 * reader fed the input in pieces, then the three reply parsers over the
 * message it collects.
 *
 * Input: [piece][stream]. The stream goes to sk_agent_frame_advance in
 * pieces of (piece % 16) + 1 bytes, as recv() might hand them over. When a
 * whole message comes, it is parsed as a status, an identities list and a
 * signature. Promises checked: the frame never takes more than its length
 * announced, never holds more than SSHKIT_AGENT_MAX_REPLY; a list parses
 * into at most SSHKIT_AGENT_MAX_IDENTITIES public keys, all present, and
 * nothing on failure; a signature comes out only as a copy that names the
 * algorithm asked for. */
#include <string.h>
#include <sshkit/error.h>

#include "agent/agent_internal.h"
#include "fuzz.h"

static void parse(sk_bytes msg)
{
    int rc = sk_agent_reply_status(msg);
    FUZZ_ASSERT(rc == 0 || rc == SSHKIT_E_REFUSED || rc == SSHKIT_E_PROTOCOL);

    sshkit_key **keys = NULL;
    size_t n = 99;
    rc = sk_agent_reply_identities(msg, &keys, &n);
    FUZZ_ASSERT(rc != 0 ? keys == NULL && n == 0 : (n == 0) == (keys == NULL));
    FUZZ_ASSERT(n <= SSHKIT_AGENT_MAX_IDENTITIES);
    for (size_t i = 0; i < n; i++)
        FUZZ_ASSERT(keys[i] != NULL && !sshkit_key_is_private(keys[i]) &&
                    sshkit_key_comment(keys[i]) != NULL);
    sshkit_agent_keys_free(keys, n);

    uint8_t *sig = NULL;
    size_t sig_len = 0;
    rc = sk_agent_reply_signature(msg, "ssh-ed25519", &sig, &sig_len);
    FUZZ_ASSERT((rc == 0) == (sig != NULL));
    if (rc == 0)
        FUZZ_ASSERT(sig_len >= 15 && memcmp(sig + 4, "ssh-ed25519", 11) == 0);
    sshkit_free(sig, sig_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = { data, size };
    size_t piece = (size_t)(fuzz_byte(&in) % 16) + 1;
    sk_agent_frame f;
    sk_agent_frame_init(&f);
    int rc = 0;
    while (rc == 0 && in.len > 0) {
        uint8_t *where;
        size_t room, got;
        sk_agent_frame_space(&f, &where, &room);
        FUZZ_ASSERT(room > 0);
        uint8_t *bytes = fuzz_take(&in, room < piece ? room : piece, &got);
        if (bytes == NULL)
            break;
        memcpy(where, bytes, got);
        free(bytes);
        rc = sk_agent_frame_advance(&f, got);
        FUZZ_ASSERT(f.body_len <= SSHKIT_AGENT_MAX_REPLY && f.got <= f.body_len);
    }
    FUZZ_ASSERT(rc == 0 || rc == 1 || rc == SSHKIT_E_TOO_LARGE || rc == SSHKIT_E_PROTOCOL);
    if (rc == 1) {
        /* An exact-size copy: ASan then sees any read past the end. */
        sk_bytes m = sk_agent_frame_message(&f);
        uint8_t *copy = malloc(m.len);
        if (copy) {
            memcpy(copy, m.ptr, m.len);
            parse((sk_bytes){ copy, m.len });
            free(copy);
        }
    }
    sk_agent_frame_free(&f);
    return 0;
}
