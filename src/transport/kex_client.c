/* The client's side of the key exchange methods: send our public value
 * (after the group, for group exchange), then check the server's reply:
 * its signature over H with its host key, and the host key itself. */
#include "transport/kex_internal.h"

#include <sshkit/error.h>

#include "transport/hostkey_algs.h"
#include "transport/messages.h"

static int send_public(sshkit_session *s, uint8_t type)
{
    sk_packet_begin(&s->writer, type);
    sk_kex_dh_write_public(s->kex.dh, &s->out);
    int rc = sk_packet_end(&s->writer);
    return rc ? sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, rc, "cannot send kex message")
              : 0;
}

int sk_kex_client_begin(sshkit_session *s)
{
    sk_kex *k = &s->kex;
    if (k->method->method == SK_KEX_DH_GEX) {
        k->gex_min = SK_GEX_MIN;
        k->gex_n = sk_kex_gex_wanted_bits(&k->neg);
        k->gex_max = SK_GEX_MAX;
        sk_packet_begin(&s->writer, SK_MSG_GEX_REQUEST);
        sk_write_u32(&s->out, k->gex_min);
        sk_write_u32(&s->out, k->gex_n);
        sk_write_u32(&s->out, k->gex_max);
        int rc = sk_packet_end(&s->writer);
        return rc ? sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, rc, "cannot send kex message")
                  : 0;
    }
    int rc = sk_kex_dh_new(&k->dh, k->method->method);
    if (rc)
        return sk_session_fail(s, SK_DISCONNECT_KEY_EXCHANGE_FAILED, rc, "key generation failed");
    return send_public(s, SK_MSG_KEX_INIT);
}

static int handle_group(sshkit_session *s, sk_bytes payload)
{
    sk_kex *k = &s->kex;
    sk_reader r;
    uint8_t type;
    sk_bytes p, g;
    sk_reader_init(&r, payload.ptr, payload.len);
    sk_read_u8(&r, &type);
    sk_read_mpint_unsigned(&r, &p);
    sk_read_mpint_unsigned(&r, &g);
    if (sk_reader_finish(&r) != 0)
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "malformed KEX_DH_GEX_GROUP");
    int rc = sk_kex_dh_new_gex(&k->dh, p.ptr, p.len, g.ptr, g.len, k->gex_min, k->gex_max, 0);
    if (rc)
        return sk_session_fail(s, SK_DISCONNECT_KEY_EXCHANGE_FAILED, rc,
                               "server sent an unacceptable group (%zu bits)", p.len * 8);
    sk_write_raw(&k->gex_p, p.ptr, p.len);
    sk_write_raw(&k->gex_g, g.ptr, g.len);
    return send_public(s, SK_MSG_GEX_INIT);
}

/* The host key the server proved: new on the first exchange (ask the
 * application), and the same one on every rekey. */
static int accept_host_key(sshkit_session *s, sshkit_key *key)
{
    sk_kex *k = &s->kex;
    if (k->done_once) {
        bool same = sshkit_key_equal(k->host_key, key);
        sshkit_key_free(key);
        return same ? 0 : sk_session_fail(s, SK_DISCONNECT_HOST_KEY_NOT_VERIFIABLE,
                                          SSHKIT_E_HOST_KEY_REJECTED,
                                          "server host key changed during rekey");
    }
    if (s->host_key_check == NULL || s->host_key_check(s->host_key_check_user, s, key) != 0) {
        sshkit_key_free(key);
        return sk_session_fail(s, SK_DISCONNECT_HOST_KEY_NOT_VERIFIABLE,
                               SSHKIT_E_HOST_KEY_REJECTED, "Host key verification failed.");
    }
    k->host_key = key;
    return 0;
}

struct reply {
    sk_bytes host_key, server_public, signature;
};

static int read_reply(sshkit_session *s, sk_bytes payload, struct reply *rp)
{
    sk_reader r;
    uint8_t type;
    sk_reader_init(&r, payload.ptr, payload.len);
    sk_read_u8(&r, &type);
    sk_read_string(&r, &rp->host_key);
    if (sk_kex_dh_public_is_mpint(s->kex.dh))
        sk_read_mpint_unsigned(&r, &rp->server_public);
    else
        sk_read_string(&r, &rp->server_public);
    sk_read_string(&r, &rp->signature);
    return sk_reader_finish(&r);
}

/* Checks the blob is a key of the negotiated host key algorithm's type. */
static int host_key_of(sshkit_session *s, sk_bytes blob, sshkit_key **key)
{
    const sk_hostkey_alg *alg = sk_hostkey_alg_find(s->kex.neg.hostkey);
    int rc = sshkit_key_from_public_blob(blob.ptr, blob.len, key);
    if (rc == 0 && (alg == NULL || sshkit_key_get_type(*key) != alg->key_type)) {
        sshkit_key_free(*key);
        *key = NULL;
        rc = SSHKIT_E_UNKNOWN_KEY_TYPE;
    }
    return rc ? sk_session_fail(s, SK_DISCONNECT_KEY_EXCHANGE_FAILED, rc,
                                "server sent an unusable host key")
              : 0;
}

static int handle_reply(sshkit_session *s, sk_bytes payload)
{
    sk_kex *k = &s->kex;
    struct reply rp;
    sshkit_key *key = NULL;
    if (k->dh == NULL || read_reply(s, payload, &rp) != 0)
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "malformed key exchange reply");
    int rc = host_key_of(s, rp.host_key, &key);
    if (rc)
        return rc;
    sk_buf secret;
    sk_buf_init_secret(&secret);
    rc = sk_kex_dh_derive(k->dh, rp.server_public.ptr, rp.server_public.len, &secret);
    uint8_t h[SK_HASH_MAX_SIZE];
    size_t h_len = 0;
    if (rc == 0) {
        sk_exchange_hash_input in;
        sk_kex_hash_input(s, &in);
        in.k_s = rp.host_key;
        in.q_c = sk_kex_dh_public(k->dh);
        in.q_s = rp.server_public;
        in.publics_are_mpints = sk_kex_dh_public_is_mpint(k->dh);
        in.k = (sk_bytes){ secret.data, secret.len };
        if ((rc = sk_exchange_hash(k->method->hash, &in, h, &h_len)) != 0)
            rc = sk_session_fail(s, SK_DISCONNECT_KEY_EXCHANGE_FAILED, rc,
                                 "cannot compute the exchange hash");
    } else {
        rc = sk_session_fail(s, SK_DISCONNECT_KEY_EXCHANGE_FAILED, rc,
                             "server sent an invalid public value");
    }
    if (rc == 0 && sshkit_key_verify(key, k->neg.hostkey, rp.signature.ptr, rp.signature.len,
                                     h, h_len) != 0)
        rc = sk_session_fail(s, SK_DISCONNECT_KEY_EXCHANGE_FAILED, SSHKIT_E_SIGNATURE,
                             "server's signature over the exchange hash does not verify");
    else if (rc == 0) {
        rc = accept_host_key(s, key);
        key = NULL;
    }
    if (rc == 0)
        rc = sk_kex_send_newkeys(s, (sk_bytes){ secret.data, secret.len }, h, h_len);
    sshkit_key_free(key);
    sk_buf_free(&secret);
    return rc;
}

int sk_kex_client_handle(sshkit_session *s, uint8_t type, sk_bytes payload)
{
    bool gex = s->kex.method->method == SK_KEX_DH_GEX;
    if (gex && type == SK_MSG_GEX_GROUP && s->kex.dh == NULL)
        return handle_group(s, payload);
    if ((gex && type == SK_MSG_GEX_REPLY) || (!gex && type == SK_MSG_KEX_REPLY))
        return handle_reply(s, payload);
    return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                           "unexpected key exchange message %u", type);
}
