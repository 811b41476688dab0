/* ssh-agent replies (draft-miller-ssh-agent section 4): the status of a
 * request, the identities list, a signature. Every parser reads a whole
 * reply and refuses bytes left over. */
#include "agent/agent_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

#include "keys/key_internal.h"

static bool is_failure(uint8_t type)
{
    return type == SK_AGENT_FAILURE || type == SK_AGENT_EXTENSION_FAILURE ||
           type == SK_AGENT_SSH2_FAILURE || type == SK_AGENT_SSHCOM_FAILURE;
}

/* Reads the type byte: 0 when it is want, SSHKIT_E_REFUSED for a failure,
 * SSHKIT_E_PROTOCOL for anything else. */
static int expect_type(sk_reader *r, uint8_t want)
{
    uint8_t type;
    if (sk_read_u8(r, &type) != 0)
        return SSHKIT_E_PROTOCOL;
    if (type == want)
        return 0;
    return is_failure(type) ? SSHKIT_E_REFUSED : SSHKIT_E_PROTOCOL;
}

int sk_agent_reply_status(sk_bytes msg)
{
    sk_reader r;
    sk_reader_init(&r, msg.ptr, msg.len);
    int rc = expect_type(&r, SK_AGENT_SUCCESS);
    if (rc == 0 && sk_reader_finish(&r) != 0)
        rc = SSHKIT_E_PROTOCOL;
    return rc;
}

void sshkit_agent_keys_free(sshkit_key **keys, size_t count)
{
    if (keys == NULL)
        return;
    for (size_t i = 0; i < count; i++)
        sshkit_key_free(keys[i]);
    free(keys);
}

/* One entry: string key blob, string comment. *key stays NULL for a type
 * sshkit does not know. */
static int read_identity(sk_reader *r, sshkit_key **key)
{
    sk_bytes blob, comment;
    sk_read_string(r, &blob);
    if (sk_read_string(r, &comment) != 0)
        return SSHKIT_E_PROTOCOL;
    *key = NULL;
    int rc = sshkit_key_from_public_blob(blob.ptr, blob.len, key);
    if (rc == SSHKIT_E_UNKNOWN_KEY_TYPE)
        return 0;
    if (rc == 0 && (rc = sk_key_set_comment_bytes(*key, (const char *)comment.ptr,
                                                  comment.len)) != 0) {
        sshkit_key_free(*key);
        *key = NULL;
    }
    return rc == SSHKIT_E_NOMEM ? rc : rc ? SSHKIT_E_PROTOCOL : 0;
}

int sk_agent_reply_identities(sk_bytes msg, sshkit_key ***keys, size_t *count)
{
    sk_reader r;
    uint32_t n;
    *keys = NULL;
    *count = 0;
    sk_reader_init(&r, msg.ptr, msg.len);
    int rc = expect_type(&r, SK_AGENT_IDENTITIES_ANSWER);
    if (rc != 0)
        return rc;
    if (sk_read_u32(&r, &n) != 0)
        return SSHKIT_E_PROTOCOL;
    if (n > SSHKIT_AGENT_MAX_IDENTITIES)
        return SSHKIT_E_TOO_LARGE;
    if (n > sk_reader_remaining(&r) / 8)     /* each entry is two strings at least */
        return SSHKIT_E_PROTOCOL;
    sshkit_key **list = n ? calloc(n, sizeof *list) : NULL;
    if (n && list == NULL)
        return SSHKIT_E_NOMEM;
    size_t kept = 0;
    for (uint32_t i = 0; i < n && rc == 0; i++) {
        rc = read_identity(&r, &list[kept]);
        kept += rc == 0 && list[kept] != NULL;
    }
    if (rc == 0 && sk_reader_finish(&r) != 0)
        rc = SSHKIT_E_PROTOCOL;
    if (rc != 0 || kept == 0) {
        sshkit_agent_keys_free(list, kept);
        return rc;
    }
    *keys = list;
    *count = kept;
    return 0;
}

int sk_agent_reply_signature(sk_bytes msg, const char *alg, uint8_t **sig, size_t *sig_len)
{
    sk_reader r, inner;
    sk_bytes signature, name, blob;
    *sig = NULL;
    *sig_len = 0;
    sk_reader_init(&r, msg.ptr, msg.len);
    int rc = expect_type(&r, SK_AGENT_SIGN_RESPONSE);
    if (rc != 0)
        return rc;
    sk_read_string(&r, &signature);
    if (sk_reader_finish(&r) != 0)
        return SSHKIT_E_PROTOCOL;
    sk_reader_init(&inner, signature.ptr, signature.len);
    sk_read_string(&inner, &name);
    sk_read_string(&inner, &blob);
    if (sk_reader_finish(&inner) != 0)
        return SSHKIT_E_PROTOCOL;
    if (!sk_bytes_eq(name, alg))
        return SSHKIT_E_SIGNATURE;  /* an agent that ignored the RSA flags */
    if ((*sig = malloc(signature.len)) == NULL)
        return SSHKIT_E_NOMEM;
    memcpy(*sig, signature.ptr, signature.len);
    *sig_len = signature.len;
    return 0;
}
