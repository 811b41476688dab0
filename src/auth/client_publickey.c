/* Client publickey authentication (RFC 4252 section 7): ask whether the
 * server would take the key, then sign and send the real request once it
 * says PK_OK. RSA signs with rsa-sha2-512/256 (RFC 8332), never ssh-rsa.
 * The signature is made with the key pair, or by the application's signer
 * (an agent) for a key whose private half lives elsewhere. */
#include "auth/auth_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

#include "transport/messages.h"
#include "transport/session_internal.h"

const char *sk_auth_client_rsa_alg(const char *server_sig_algs)
{
    if (server_sig_algs) {
        sk_bytes list = { (const uint8_t *)server_sig_algs, strlen(server_sig_algs) };
        if (sk_namelist_contains(list, "rsa-sha2-512"))
            return "rsa-sha2-512";
    }
    return "rsa-sha2-256";   /* also the guess when the server sent no list */
}

static int start_publickey(sshkit_session *session, const char *user, const sshkit_key *key,
                           sshkit_sign_fn sign, void *sign_ctx)
{
    int rc = sk_auth_client_prepare(session, user, SK_AUTH_METHOD_PUBLICKEY);
    if (rc)
        return rc;
    struct sk_auth_client *c = session->auth_client;
    c->key = key;
    c->sign = sign;
    c->sign_ctx = sign_ctx;
    if ((rc = sshkit_key_public_blob(key, &c->blob, &c->blob_len)) != 0) {
        sk_auth_client_end_attempt(c);
        return rc;
    }
    return sk_auth_client_launch(session);
}

int sshkit_auth_publickey(sshkit_session *session, const char *user, const sshkit_key *key)
{
    if (!key || !sshkit_key_is_private(key))
        return SSHKIT_E_INVALID_ARGUMENT;
    return start_publickey(session, user, key, NULL, NULL);
}

int sshkit_auth_publickey_signer(sshkit_session *session, const char *user,
                                 const sshkit_key *key, sshkit_sign_fn sign, void *sign_ctx)
{
    if (!key || !sign)
        return SSHKIT_E_INVALID_ARGUMENT;
    return start_publickey(session, user, key, sign, sign_ctx);
}

/* Sends the query, choosing the algorithm now: the server's EXT_INFO
 * (server-sig-algs) has arrived by the time it accepts the service. */
int sk_auth_client_pk_query(sshkit_session *s)
{
    struct sk_auth_client *c = s->auth_client;
    const char *alg = sshkit_key_get_type(c->key) == SSHKIT_KEY_RSA
                          ? sk_auth_client_rsa_alg(sk_session_server_sig_algs(s))
                          : sshkit_key_type_name(c->key);
    snprintf(c->alg, sizeof c->alg, "%s", alg);
    sk_buf *b = sk_auth_msg(s, SK_MSG_USERAUTH_REQUEST);
    if (!b)
        return SSHKIT_E_STATE;
    sk_auth_write_head(b, c->user, "publickey");
    sk_auth_write_pubkey(b, c->alg, c->blob, c->blob_len, NULL, 0);
    c->state = SK_CLIENT_PK_QUERY;
    return sk_msg_end(s);
}

/* The signature over RFC 4252 section 7's data, in SSH format. */
static int sign_request(sshkit_session *s, uint8_t **sig, size_t *sig_len)
{
    struct sk_auth_client *c = s->auth_client;
    sk_bytes user = { (const uint8_t *)c->user, strlen(c->user) };
    sk_bytes blob = { c->blob, c->blob_len };
    sk_buf data;
    sk_buf_init(&data);
    sk_auth_write_signed_data(&data, s->kex.session_id, s->kex.session_id_len, user, c->alg, blob);
    int rc = sk_buf_error(&data);
    if (rc == 0 && c->sign)
        rc = c->sign(c->sign_ctx, c->key, c->alg, data.data, data.len, sig, sig_len);
    else if (rc == 0)
        rc = sshkit_key_sign(c->key, c->alg, data.data, data.len, sig, sig_len);
    sk_buf_free(&data);
    return rc;
}

/* The application's signer failed (an agent refused, say): the attempt
 * ends as a failure that names why, with the server's last list of
 * methods, and the session goes on. The server needs no word of it: a
 * client may send a new request after PK_OK (RFC 4252 section 7). */
static int signer_failed(sshkit_session *s, int error)
{
    struct sk_auth_client *c = s->auth_client;
    sk_log(s, SSHKIT_LOG_DEBUG, "userauth: the signer failed for the %s key: %s", c->alg,
           sshkit_strerror(error));
    sk_auth_client_end_attempt(c);
    sshkit_event ev = { .type = SSHKIT_EVENT_AUTH_RESULT };
    ev.u.auth.status = SSHKIT_AUTH_FAILURE;
    ev.u.auth.methods = c->methods ? c->methods : "publickey";
    ev.u.auth.error = error;
    return sk_auth_event(s, &ev);
}

int sk_auth_client_pk_ok(sshkit_session *s, sk_bytes payload)
{
    struct sk_auth_client *c = s->auth_client;
    sk_bytes alg, blob;
    if (sk_auth_read_pk_ok(payload, &alg, &blob) != 0)
        return sk_auth_protocol_error(s, SK_MSG_USERAUTH_PK_OK, "malformed PK_OK");
    if (!sk_bytes_eq(alg, c->alg) || blob.len != c->blob_len ||
        memcmp(blob.ptr, c->blob, blob.len) != 0)
        return sk_auth_protocol_error(s, SK_MSG_USERAUTH_PK_OK, "PK_OK for another key");
    uint8_t *sig = NULL;
    size_t sig_len = 0;
    int rc = sign_request(s, &sig, &sig_len);
    if (rc != 0 && c->sign)
        return signer_failed(s, rc);
    if (rc != 0)
        return sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, rc,
                               "userauth: cannot sign with the %s key", c->alg);
    sk_buf *b = sk_auth_msg(s, SK_MSG_USERAUTH_REQUEST);
    if (b) {
        sk_auth_write_head(b, c->user, "publickey");
        sk_auth_write_pubkey(b, c->alg, c->blob, c->blob_len, sig, sig_len);
        rc = sk_msg_end(s);
    }
    sshkit_free(sig, sig_len);
    c->state = SK_CLIENT_RESULT;
    return b ? rc : SSHKIT_E_STATE;
}
