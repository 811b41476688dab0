/* RFC 8308 extension negotiation: the server tells the client which
 * signature algorithms it accepts for user authentication. */
#include "transport/kex_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

#include "transport/messages.h"

/* Signature algorithms sshkit's server verifies in publickey authentication. */
#define SK_SERVER_SIG_ALGS \
    "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521," \
    "rsa-sha2-512,rsa-sha2-256"

/* Extensions a client reads at most; there are a handful in use. */
#define SK_EXT_INFO_MAX 32

int sk_ext_info_send(sshkit_session *s)
{
    sk_packet_begin(&s->writer, SK_MSG_EXT_INFO);
    sk_write_u32(&s->out, 1);
    sk_write_cstring(&s->out, "server-sig-algs");
    sk_write_cstring(&s->out, SK_SERVER_SIG_ALGS);
    int rc = sk_packet_end(&s->writer);
    if (rc)
        return sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, rc, "cannot send EXT_INFO");
    s->kex.ext_info_sent = true;
    return 0;
}

static int keep_sig_algs(sshkit_session *s, sk_bytes value)
{
    sk_reader r;
    sk_bytes list;
    /* Re-read the value as a name-list to validate it. */
    sk_buf tmp;
    sk_buf_init(&tmp);
    sk_write_string(&tmp, value.ptr, value.len);
    sk_reader_init(&r, tmp.data, tmp.len);
    int rc = sk_read_namelist(&r, &list);
    char *copy = rc == 0 ? malloc(list.len + 1) : NULL;
    if (copy) {
        memcpy(copy, list.ptr, list.len);
        copy[list.len] = '\0';
        free(s->kex.server_sig_algs);
        s->kex.server_sig_algs = copy;
    }
    sk_buf_free(&tmp);
    return rc;
}

int sk_ext_info_handle(sshkit_session *s, sk_bytes payload)
{
    sk_reader r;
    uint8_t type;
    uint32_t count;
    sk_reader_init(&r, payload.ptr, payload.len);
    sk_read_u8(&r, &type);
    sk_read_u32(&r, &count);
    if (sk_reader_error(&r) || count > SK_EXT_INFO_MAX)
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "malformed EXT_INFO");
    for (uint32_t i = 0; i < count; i++) {
        sk_bytes name, value;
        sk_read_string(&r, &name);
        if (sk_read_string(&r, &value))
            break;
        if (sk_bytes_eq(name, "server-sig-algs") && s->role == SSHKIT_ROLE_CLIENT &&
            keep_sig_algs(s, value) != 0)
            return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                                   "malformed server-sig-algs");
    }
    if (sk_reader_error(&r))
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "malformed EXT_INFO");
    if (s->kex.server_sig_algs)
        sk_log(s, SSHKIT_LOG_DEBUG, "server-sig-algs=<%s>", s->kex.server_sig_algs);
    return 0;
}
