/* Key exchange: KEXINIT, NEWKEYS, EXT_INFO and rekeying. The method's own
 * messages are in kex_client.c and kex_server.c. */
#include "transport/kex_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <sshkit/error.h>

#include "transport/hostkey_algs.h"
#include "transport/messages.h"
#include "transport/newkeys.h"


void sk_kex_init(sk_kex *k)
{
    memset(k, 0, sizeof *k);
    sk_buf_init(&k->ours);
    sk_buf_init(&k->theirs);
    sk_buf_init(&k->gex_p);
    sk_buf_init(&k->gex_g);
}

/* Forgets one exchange's working state, keeping what outlives it. */
static void reset_exchange(sk_kex *k)
{
    sk_kex_dh_free(k->dh);
    k->dh = NULL;
    sk_packet_cipher_free(k->next_send);
    sk_packet_cipher_free(k->next_recv);
    k->next_send = k->next_recv = NULL;
    sk_buf_reset(&k->ours);
    sk_buf_reset(&k->theirs);
    sk_buf_reset(&k->gex_p);
    sk_buf_reset(&k->gex_g);
    k->sent_kexinit = k->got_kexinit = k->sent_newkeys = k->got_newkeys = false;
    k->skip_guess = false;
    k->method = NULL;
}

void sk_kex_free(sk_kex *k)
{
    reset_exchange(k);
    sk_buf_free(&k->ours);
    sk_buf_free(&k->theirs);
    sk_buf_free(&k->gex_p);
    sk_buf_free(&k->gex_g);
    sshkit_key_free(k->host_key);
    free(k->server_sig_algs);
    OPENSSL_cleanse(k, sizeof *k);
}

bool sk_kex_allows(uint8_t type)
{
    return type <= SK_MSG_DEBUG || type == SK_MSG_EXT_INFO || type == SK_MSG_KEXINIT ||
           type == SK_MSG_NEWKEYS || (type >= 30 && type <= 49);
}

/* The server offers only the host key algorithms its keys can sign with. */
static void server_hostkey_list(const sshkit_session *s, char *out, size_t cap)
{
    char *copy = strdup(s->algorithms[SSHKIT_ALG_HOSTKEY]), *save = NULL;
    out[0] = '\0';
    for (char *p = copy ? strtok_r(copy, ",", &save) : NULL; p; p = strtok_r(NULL, ",", &save)) {
        const sk_hostkey_alg *alg = sk_hostkey_alg_find(p);
        for (size_t i = 0; alg && i < s->host_key_count; i++) {
            if (sshkit_key_get_type(s->host_keys[i]) == alg->key_type &&
                strlen(out) + strlen(p) + 2 < cap) {
                if (out[0])
                    strcat(out, ",");
                strcat(out, p);
                break;
            }
        }
    }
    free(copy);
}

int sk_kex_send_kexinit(sshkit_session *s)
{
    sk_kex *k = &s->kex;
    bool client = s->role == SSHKIT_ROLE_CLIENT;
    char kex_list[1024], hostkeys[512];
    /* ext-info and strict kex are announced in the first exchange only. */
    const char *strict = s->no_strict_kex ? "" : client ? "," SK_KEX_STRICT_C : "," SK_KEX_STRICT_S;
    snprintf(kex_list, sizeof kex_list, "%s%s%s", s->algorithms[SSHKIT_ALG_KEX],
             k->done_once || !client ? "" : "," SK_EXT_INFO_C, k->done_once ? "" : strict);
    if (client)
        snprintf(hostkeys, sizeof hostkeys, "%s", s->algorithms[SSHKIT_ALG_HOSTKEY]);
    else
        server_hostkey_list(s, hostkeys, sizeof hostkeys);
    const char *lists[SK_KEXINIT_LISTS] = {
        kex_list, hostkeys,
        s->algorithms[SSHKIT_ALG_CIPHER], s->algorithms[SSHKIT_ALG_CIPHER],
        s->algorithms[SSHKIT_ALG_MAC], s->algorithms[SSHKIT_ALG_MAC],
        s->algorithms[SSHKIT_ALG_COMPRESSION], s->algorithms[SSHKIT_ALG_COMPRESSION],
        "", "",
    };
    if (!k->got_kexinit)
        reset_exchange(k);
    sk_buf_reset(&k->ours);
    int rc = sk_kexinit_write(&k->ours, lists, false);
    if (rc)
        return sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, rc, "cannot build KEXINIT");
    sk_packet_begin(&s->writer, SK_MSG_KEXINIT);
    sk_write_raw(&s->out, k->ours.data + 1, k->ours.len - 1);
    if ((rc = sk_packet_end(&s->writer)) != 0)
        return sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, rc, "cannot send KEXINIT");
    k->in_progress = true;
    k->sent_kexinit = true;
    sk_log(s, SSHKIT_LOG_DEBUG, "SSH2_MSG_KEXINIT sent");
    return 0;
}

/* Says which list failed, with both sides' offers, as OpenSSH does. */
static int negotiation_failed(sshkit_session *s, const sk_kexinit *c, const sk_kexinit *sv,
                              int list)
{
    return sk_session_fail(s, SK_DISCONNECT_KEY_EXCHANGE_FAILED, SSHKIT_E_NO_COMMON_ALGORITHM,
                           "no matching %s found: client %.*s server %.*s",
                           sk_kexinit_list_name(list), (int)c->lists[list].len,
                           (const char *)c->lists[list].ptr, (int)sv->lists[list].len,
                           (const char *)sv->lists[list].ptr);
}

static int negotiate(sshkit_session *s)
{
    sk_kex *k = &s->kex;
    sk_kexinit ours, theirs;
    sk_bytes ours_b = { k->ours.data, k->ours.len }, theirs_b = { k->theirs.data, k->theirs.len };
    int rc = sk_kexinit_read(ours_b, &ours);
    if (rc == 0)
        rc = sk_kexinit_read(theirs_b, &theirs);
    if (rc)
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "malformed KEXINIT");
    bool client = s->role == SSHKIT_ROLE_CLIENT;
    const sk_kexinit *c = client ? &ours : &theirs, *sv = client ? &theirs : &ours;
    int failed;
    if (sk_kexinit_negotiate(c, sv, sk_cipher_is_aead, &k->neg, &failed) != 0)
        return negotiation_failed(s, c, sv, failed);
    k->method = sk_kex_method_find(k->neg.kex);
    if (!k->done_once)
        k->strict = k->neg.strict_kex;
    k->skip_guess = theirs.first_kex_follows && k->neg.guess_wrong;
    sk_log(s, SSHKIT_LOG_DEBUG, "kex: algorithm: %s, host key: %s, cipher: %s MAC: %s%s",
           k->neg.kex, k->neg.hostkey, k->neg.cipher[0],
           k->neg.mac[0][0] ? k->neg.mac[0] : "<implicit>", k->strict ? ", strict" : "");
    for (int dir = 0; dir < 2; dir++)
        sk_log(s, SSHKIT_LOG_DEBUG, "kex: %s cipher: %s MAC: %s compression: %s",
               dir == 0 ? "client->server" : "server->client", k->neg.cipher[dir],
               k->neg.mac[dir][0] ? k->neg.mac[dir] : "<implicit>", k->neg.comp[dir]);
    return 0;
}

static int handle_kexinit(sshkit_session *s, sk_bytes payload)
{
    sk_kex *k = &s->kex;
    if (k->got_kexinit)
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "second KEXINIT during one key exchange");
    if (!k->sent_kexinit) {
        int rc = sk_kex_send_kexinit(s);
        if (rc)
            return rc;
    }
    sk_buf_reset(&k->theirs);
    sk_write_raw(&k->theirs, payload.ptr, payload.len);
    k->got_kexinit = true;
    int rc = negotiate(s);
    if (rc)
        return rc;
    /* Strict kex: the peer's KEXINIT must be the very first packet. */
    if (k->strict && !k->done_once && s->reader.dir.packets != 1)
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "strict KEX violation: KEXINIT was not the first packet");
    return s->role == SSHKIT_ROLE_CLIENT ? sk_kex_client_begin(s) : 0;
}

/* Both NEWKEYS have passed: the exchange is over. */
static int finish_exchange(sshkit_session *s)
{
    sk_kex *k = &s->kex;
    k->in_progress = false;
    k->done_once = true;
    s->keys_since_ms = s->now_ms;
    reset_exchange(k);
    sk_log(s, SSHKIT_LOG_DEBUG, "key exchange done");
    int rc = sk_msg_flush_deferred(s);
    if (rc)
        return sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, rc, "cannot send held messages");
    sshkit_event ev = { .type = SSHKIT_EVENT_KEX_DONE };
    sk_event_push(s, &ev);
    return 0;
}

/* The compression method negotiated for a direction (0: client to server). */
static sk_comp_method comp_method(const sk_kex *k, int dir)
{
    sk_comp_method m = SK_COMP_NONE;
    sk_comp_method_find(k->neg.comp[dir], &m);     /* both lists hold known names only */
    return m;
}

static int handle_newkeys(sshkit_session *s, sk_bytes payload)
{
    sk_kex *k = &s->kex;
    if (payload.len != 1 || k->next_recv == NULL || k->got_newkeys)
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "unexpected NEWKEYS");
    int rc = sk_packet_dir_rekey(&s->reader.dir, k->next_recv, k->strict,
                                 comp_method(k, s->role == SSHKIT_ROLE_SERVER ? 0 : 1),
                                 s->userauth_passed);
    k->next_recv = NULL;
    if (rc)
        return sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, rc, "cannot start decompression");
    k->got_newkeys = true;
    sk_log(s, SSHKIT_LOG_DEBUG, "SSH2_MSG_NEWKEYS received");
    return k->sent_newkeys ? finish_exchange(s) : 0;
}

int sk_kex_send_newkeys(sshkit_session *s, sk_bytes kb, const uint8_t *h, size_t h_len)
{
    sk_kex *k = &s->kex;
    if (!k->done_once) {
        memcpy(k->session_id, h, h_len);
        k->session_id_len = h_len;
    }
    sk_bytes hb = { h, h_len }, sid = { k->session_id, k->session_id_len };
    int rc = sk_newkeys_derive(&k->neg, s->role == SSHKIT_ROLE_SERVER, k->method->hash, kb, hb,
                               sid, &k->next_send, &k->next_recv);
    if (rc)
        return sk_session_fail(s, SK_DISCONNECT_KEY_EXCHANGE_FAILED, rc, "cannot derive keys");
    sk_packet_begin(&s->writer, SK_MSG_NEWKEYS);
    if ((rc = sk_packet_end(&s->writer)) != 0)
        return sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, rc, "cannot send NEWKEYS");
    rc = sk_packet_dir_rekey(&s->writer.dir, k->next_send, k->strict,
                             comp_method(k, s->role == SSHKIT_ROLE_SERVER ? 1 : 0),
                             s->userauth_passed);
    k->next_send = NULL;
    if (rc)
        return sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, rc, "cannot start compression");
    k->sent_newkeys = true;
    sk_log(s, SSHKIT_LOG_DEBUG, "SSH2_MSG_NEWKEYS sent");
    /* RFC 8308 section 2.4: EXT_INFO comes right after the server's first NEWKEYS. */
    if (s->role == SSHKIT_ROLE_SERVER && !k->done_once && k->neg.client_ext_info &&
        (rc = sk_ext_info_send(s)) != 0)
        return rc;
    return k->got_newkeys ? finish_exchange(s) : 0;
}

int sk_kex_handle(sshkit_session *s, uint8_t type, sk_bytes payload)
{
    sk_kex *k = &s->kex;
    if (type == SK_MSG_KEXINIT)
        return handle_kexinit(s, payload);
    if (type == SK_MSG_NEWKEYS)
        return handle_newkeys(s, payload);
    if (type == SK_MSG_EXT_INFO)
        return sk_ext_info_handle(s, payload);
    if (!k->got_kexinit || k->method == NULL)
        return sk_session_fail(s, SK_DISCONNECT_PROTOCOL_ERROR, SSHKIT_E_PROTOCOL,
                               "key exchange message %u before KEXINIT", type);
    if (k->skip_guess) {
        k->skip_guess = false;      /* RFC 4253 section 7: a wrong guess is ignored */
        return 0;
    }
    return s->role == SSHKIT_ROLE_CLIENT ? sk_kex_client_handle(s, type, payload)
                                         : sk_kex_server_handle(s, type, payload);
}

/* RFC 4344 section 3.2 as OpenSSH applies it: 2^32 blocks for 16-byte
 * blocks, 1 GiB for smaller ones. */
static uint64_t default_byte_limit(const sk_packet_cipher *c)
{
    size_t block = c ? sk_packet_block_size(c) : 16;
    return block >= 16 ? ((uint64_t)1 << 32) * block : (uint64_t)1 << 30;
}

static bool over_limit(const sshkit_session *s, const sk_packet_dir *d)
{
    uint64_t limit = default_byte_limit(d->cipher);
    if (s->rekey_bytes && s->rekey_bytes < limit)
        limit = s->rekey_bytes;
    return d->bytes >= limit || d->packets >= ((uint64_t)1 << 31);
}

int sk_kex_check_limits(sshkit_session *s)
{
    sk_kex *k = &s->kex;
    if (!k->done_once || k->in_progress || s->phase != SK_PHASE_RUNNING)
        return 0;
    bool due = over_limit(s, &s->writer.dir) || over_limit(s, &s->reader.dir);
    if (s->rekey_seconds && s->now_ms - s->keys_since_ms >= (uint64_t)s->rekey_seconds * 1000)
        due = true;
    if (!due)
        return 0;
    sk_log(s, SSHKIT_LOG_DEBUG, "rekey limit reached, renewing keys");
    return sk_kex_send_kexinit(s);
}
