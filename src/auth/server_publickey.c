/* Server publickey authentication (RFC 4252 section 7): a query gets
 * PK_OK when the callback takes the key; a signed request is verified
 * first (the same work for every user) and then put to the callback.
 * Algorithms: Ed25519, ECDSA, rsa-sha2-256/512; never ssh-rsa (SHA-1). */
#include "auth/auth_internal.h"

#include <string.h>
#include <sshkit/error.h>

#include "keys/key_internal.h"
#include "transport/messages.h"
#include "transport/session_internal.h"

static bool alg_allowed(sk_bytes alg)
{
    static const char *const allowed[] = {
        "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "rsa-sha2-512", "rsa-sha2-256",
    };
    for (size_t i = 0; i < sizeof allowed / sizeof *allowed; i++)
        if (sk_bytes_eq(alg, allowed[i]))
            return true;
    return false;
}

static int send_pk_ok(sshkit_session *s, const sk_auth_pubkey_req *p)
{
    sk_buf *b = sk_auth_msg(s, SK_MSG_USERAUTH_PK_OK);
    if (!b)
        return SSHKIT_E_STATE;
    sk_auth_write_pk_ok(b, p->alg, p->blob);
    return sk_msg_end(s);
}

static bool signature_good(sshkit_session *s, const sk_auth_pubkey_req *p, const sshkit_key *key,
                           const char *alg)
{
    const char *user = s->auth_server->user;
    sk_bytes u = { (const uint8_t *)user, strlen(user) };
    sk_buf data;
    sk_buf_init(&data);
    sk_auth_write_signed_data(&data, s->kex.session_id, s->kex.session_id_len, u, alg, p->blob);
    bool good = sk_buf_error(&data) == 0 &&
                sshkit_key_verify(key, alg, p->sig.ptr, p->sig.len, data.data, data.len) == 0;
    sk_buf_free(&data);
    return good;
}

/* Decides with a parsed key whose algorithm fits. */
static int decide(sshkit_session *s, const sk_auth_pubkey_req *p, const sshkit_key *key,
                  const char *alg)
{
    const sshkit_server_auth *a = &s->server_auth;
    sk_log(s, SSHKIT_LOG_DEBUG, "userauth: publickey %s with %s", p->has_sig ? "request" : "query",
           alg);
    if (!p->has_sig) {
        if (a->publickey(a->user, s->auth_server->user, key) == SSHKIT_AUTH_ACCEPT)
            return send_pk_ok(s, p);
        return sk_auth_server_reject(s, false);
    }
    bool good = signature_good(s, p, key, alg);
    if (good && a->publickey(a->user, s->auth_server->user, key) == SSHKIT_AUTH_ACCEPT)
        return sk_auth_server_accept(s, SK_AUTH_METHOD_PUBLICKEY);
    return sk_auth_server_reject(s, false);
}

int sk_auth_server_publickey(sshkit_session *s, sk_reader *r)
{
    sk_auth_pubkey_req p;
    if (sk_auth_read_pubkey(r, &p) != 0)
        return sk_auth_protocol_error(s, SK_MSG_USERAUTH_REQUEST, "malformed publickey request");
    sshkit_key *key = NULL;
    if (!alg_allowed(p.alg) || sshkit_key_from_public_blob(p.blob.ptr, p.blob.len, &key) != 0)
        return sk_auth_server_reject(s, false);
    char alg[SK_AUTH_NAME_MAX + 1];
    memcpy(alg, p.alg.ptr, p.alg.len);
    alg[p.alg.len] = '\0';
    int rc = sk_key_sig_alg_fits(key, alg) ? decide(s, &p, key, alg)
                                            : sk_auth_server_reject(s, false);
    sshkit_key_free(key);
    return rc;
}
