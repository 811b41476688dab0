/* The server's side of the key exchange methods: take the client's public
 * value (after choosing a group, for group exchange), answer with ours,
 * our host key and a signature over H. */
#include "transport/kex_internal.h"

#include <sshkit/error.h>

#include "transport/hostkey_algs.h"
#include "transport/messages.h"

static const sshkit_key *our_host_key(const sshkit_session *s)
{
    const sk_hostkey_alg *alg = sk_hostkey_alg_find(s->kex.neg.hostkey);
    for (size_t i = 0; alg && i < s->host_key_count; i++)
        if (sshkit_key_get_type(s->host_keys[i]) == alg->key_type)
            return s->host_keys[i];
    return NULL;
}

/* Sends the reply: K_S, our public value, the signature over H. */
static int send_reply(sshkit_session *s, uint8_t type, sk_bytes blob, const uint8_t *sig,
                      size_t sig_len)
{
    sk_kex *k = &s->kex;
    sk_packet_begin(&s->writer, type);
    sk_write_string(&s->out, blob.ptr, blob.len);
    sk_kex_dh_write_public(k->dh, &s->out);
    sk_write_string(&s->out, sig, sig_len);
    int rc = sk_packet_end(&s->writer);
    return rc ? sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, rc, "cannot send kex reply")
              : 0;
}

/* Derives K from the client's value, computes and signs H, replies, and
 * moves on to NEWKEYS. */
static int answer(sshkit_session *s, sk_bytes client_public, uint8_t reply_type)
{
    sk_kex *k = &s->kex;
    const sshkit_key *key = our_host_key(s);
    uint8_t *blob = NULL, *sig = NULL, h[SK_HASH_MAX_SIZE];
    size_t blob_len = 0, sig_len = 0, h_len = 0;
    sk_buf secret;
    sk_buf_init_secret(&secret);
    int rc = key ? sshkit_key_public_blob(key, &blob, &blob_len) : SSHKIT_E_STATE;
    if (rc == 0 && (rc = sk_kex_dh_derive(k->dh, client_public.ptr, client_public.len,
                                          &secret)) != 0)
        rc = sk_session_fail(s, SK_DISCONNECT_KEY_EXCHANGE_FAILED, rc,
                             "client sent an invalid public value");
    if (rc == 0) {
        sk_exchange_hash_input in;
        sk_kex_hash_input(s, &in);
        in.k_s = (sk_bytes){ blob, blob_len };
        in.q_c = client_public;
        in.q_s = sk_kex_dh_public(k->dh);
        in.publics_are_mpints = sk_kex_dh_public_is_mpint(k->dh);
        in.k = (sk_bytes){ secret.data, secret.len };
        rc = sk_exchange_hash(k->method->hash, &in, h, &h_len);
        if (rc == 0)
            rc = sshkit_key_sign(key, k->neg.hostkey, h, h_len, &sig, &sig_len);
        if (rc)
            rc = sk_session_fail(s, SK_DISCONNECT_KEY_EXCHANGE_FAILED, rc,
                                 "cannot sign the exchange hash");
    }
    if (rc == 0)
        rc = send_reply(s, reply_type, (sk_bytes){ blob, blob_len }, sig, sig_len);
    if (rc == 0)
        rc = sk_kex_send_newkeys(s, (sk_bytes){ secret.data, secret.len }, h, h_len);
    if (rc == SSHKIT_E_STATE)
        rc = sk_session_fail(s, SK_DISCONNECT_KEY_EXCHANGE_FAILED, rc, "no host key for %s",
                             k->neg.hostkey);
    sshkit_free(blob, blob_len);
    sshkit_free(sig, sig_len);
    sk_buf_free(&secret);
    return rc;
}

/* KEXDH_INIT / KEX_ECDH_INIT: the client's e or Q_C. */
static int handle_init(sshkit_session *s, sk_bytes payload, uint8_t reply_type)
{
    sk_kex *k = &s->kex;
    int rc = k->dh ? 0 : sk_kex_dh_new(&k->dh, k->method->method);
    if (rc)
        return sk_session_fail(s, SK_DISCONNECT_KEY_EXCHANGE_FAILED, rc, "key generation failed");
    sk_reader r;
    uint8_t type;
    sk_bytes value;
    sk_reader_init(&r, payload.ptr, payload.len);
    sk_read_u8(&r, &type);
    if (sk_kex_dh_public_is_mpint(k->dh))
        sk_read_mpint_unsigned(&r, &value);
    else
        sk_read_string(&r, &value);
    if (sk_reader_finish(&r) != 0)
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "malformed key exchange init");
    return answer(s, value, reply_type);
}

/* KEX_DH_GEX_REQUEST: pick a group within the client's bounds (clamped
 * to ours, as OpenSSH does) and send it. */
static int handle_gex_request(sshkit_session *s, sk_bytes payload)
{
    sk_kex *k = &s->kex;
    sk_reader r;
    uint8_t type;
    uint32_t min, n, max;
    sk_reader_init(&r, payload.ptr, payload.len);
    sk_read_u8(&r, &type);
    sk_read_u32(&r, &min);
    sk_read_u32(&r, &n);
    sk_read_u32(&r, &max);
    if (sk_reader_finish(&r) != 0 || k->gex_p.len != 0)
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "malformed or repeated KEX_DH_GEX_REQUEST");
    k->gex_min = min < SK_GEX_MIN ? SK_GEX_MIN : min;
    k->gex_max = max > SK_GEX_MAX ? SK_GEX_MAX : max;
    k->gex_n = n < k->gex_min ? k->gex_min : n > k->gex_max ? k->gex_max : n;
    /* H hashes the values the client sent, not our clamped ones. */
    uint32_t lo = k->gex_min, hi = k->gex_max;
    k->gex_min = min;
    k->gex_n = n;
    k->gex_max = max;
    int rc = lo <= hi ? sk_kex_gex_choose_group(lo, n < lo ? lo : n > hi ? hi : n, hi,
                                                &k->gex_p, &k->gex_g)
                      : SSHKIT_E_NO_COMMON_ALGORITHM;
    if (rc == 0)
        rc = sk_kex_dh_new_gex(&k->dh, k->gex_p.data, k->gex_p.len, k->gex_g.data, k->gex_g.len,
                               SK_KEX_GEX_MIN_BITS, SK_KEX_GEX_MAX_BITS, 0);
    if (rc)
        return sk_session_fail(s, SK_DISCONNECT_KEY_EXCHANGE_FAILED, rc,
                               "no group for the requested sizes %u..%u", min, max);
    sk_packet_begin(&s->writer, SK_MSG_GEX_GROUP);
    sk_write_mpint(&s->out, k->gex_p.data, k->gex_p.len);
    sk_write_mpint(&s->out, k->gex_g.data, k->gex_g.len);
    rc = sk_packet_end(&s->writer);
    return rc ? sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, rc, "cannot send group") : 0;
}

int sk_kex_server_handle(sshkit_session *s, uint8_t type, sk_bytes payload)
{
    sk_kex *k = &s->kex;
    bool gex = k->method->method == SK_KEX_DH_GEX;
    if (k->sent_newkeys)
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "key exchange message %u after NEWKEYS", type);
    if (gex && type == SK_MSG_GEX_REQUEST)
        return handle_gex_request(s, payload);
    if (gex && type == SK_MSG_GEX_INIT && k->dh)
        return handle_init(s, payload, SK_MSG_GEX_REPLY);
    if (!gex && type == SK_MSG_KEX_INIT)
        return handle_init(s, payload, SK_MSG_KEX_REPLY);
    return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                           "unexpected key exchange message %u", type);
}
