/* ssh-agent requests (draft-miller-ssh-agent section 4), each framed as
 * the agent reads them: uint32 length, then the type and its fields. */
#include "agent/agent_internal.h"

#include <string.h>
#include <sshkit/error.h>

#include "keys/key_internal.h"

/* Opens a frame: the length is filled in by end(). */
static size_t begin(sk_buf *b, uint8_t type)
{
    size_t start = sk_write_string_begin(b);
    sk_write_u8(b, type);
    return start;
}

static int end(sk_buf *b, size_t start)
{
    sk_write_string_end(b, start);
    return sk_buf_error(b);
}

int sk_agent_msg_simple(sk_buf *b, uint8_t type)
{
    return end(b, begin(b, type));
}

uint32_t sk_agent_sign_flags(const char *algorithm)
{
    if (algorithm && strcmp(algorithm, "rsa-sha2-256") == 0)
        return SK_AGENT_RSA_SHA2_256;
    if (algorithm && strcmp(algorithm, "rsa-sha2-512") == 0)
        return SK_AGENT_RSA_SHA2_512;
    return 0;
}

int sk_agent_msg_sign(sk_buf *b, const uint8_t *blob, size_t blob_len, const uint8_t *data,
                      size_t len, uint32_t flags)
{
    size_t start = begin(b, SK_AGENTC_SIGN_REQUEST);
    sk_write_string(b, blob, blob_len);
    sk_write_string(b, data, len);
    sk_write_u32(b, flags);
    return end(b, start);
}

/* The private key fields are the same as in OpenSSH's key file format
 * (section 4.2.3 and PROTOCOL.key), followed by the comment. */
int sk_agent_msg_add(sk_buf *b, const sshkit_key *key, const char *comment,
                     const sshkit_agent_constraints *constraints)
{
    bool constrained = constraints && (constraints->lifetime || constraints->confirm);
    size_t start = begin(b, constrained ? SK_AGENTC_ADD_ID_CONSTRAINED : SK_AGENTC_ADD_IDENTITY);
    int rc = sk_key_write_private(b, key);
    if (rc != 0)
        return rc;
    sk_write_cstring(b, comment ? comment : sshkit_key_comment(key));
    if (constrained && constraints->lifetime) {
        sk_write_u8(b, SK_AGENT_CONSTRAIN_LIFETIME);
        sk_write_u32(b, constraints->lifetime);
    }
    if (constrained && constraints->confirm)
        sk_write_u8(b, SK_AGENT_CONSTRAIN_CONFIRM);
    return end(b, start);
}

int sk_agent_msg_remove(sk_buf *b, const uint8_t *blob, size_t blob_len)
{
    size_t start = begin(b, SK_AGENTC_REMOVE_IDENTITY);
    sk_write_string(b, blob, blob_len);
    return end(b, start);
}

int sk_agent_msg_passphrase(sk_buf *b, uint8_t type, const char *passphrase)
{
    size_t start = begin(b, type);
    sk_write_cstring(b, passphrase);
    return end(b, start);
}
