/* sshkit_session: life cycle, configuration and accessors. The byte flow
 * is in session_io.c, events in events.c, the key exchange in kex*.c. */
#include "transport/session_internal.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <sshkit/error.h>

#include "connection/connection_internal.h"
#include "transport/alglist.h"

int sshkit_session_new(sshkit_role role, sshkit_session **out)
{
    if (out == NULL || (role != SSHKIT_ROLE_CLIENT && role != SSHKIT_ROLE_SERVER))
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = NULL;
    sshkit_session *s = calloc(1, sizeof *s);
    if (s == NULL)
        return SSHKIT_E_NOMEM;
    s->role = role;
    s->phase = SK_PHASE_NEW;
    for (int k = 0; k < SSHKIT_ALG_KINDS; k++) {
        s->algorithms[k] = strdup(sk_alglist_default((sshkit_algorithm_kind)k, role));
        if (s->algorithms[k] == NULL) {
            sshkit_session_free(s);
            return SSHKIT_E_NOMEM;
        }
    }
    sk_buf_init(&s->out);
    sk_buf_init_secret(&s->deferred);   /* it holds plaintext (passwords) during a rekey */
    sk_packet_writer_init(&s->writer, &s->out);
    sk_packet_reader_init(&s->reader);
    sk_version_init(&s->version, role == SSHKIT_ROLE_CLIENT);
    sk_kex_init(&s->kex);
    *out = s;
    return 0;
}

static void free_event_strings(sk_event_slot *slot)
{
    free(slot->strings);
    slot->strings = NULL;
}

void sshkit_session_free(sshkit_session *s)
{
    if (s == NULL)
        return;
    sk_connection_free(s);
    sk_auth_free(s);
    sk_kex_free(&s->kex);
    sk_packet_dir_free(&s->writer.dir);
    sk_packet_reader_free(&s->reader);
    sk_buf_free(&s->out);
    sk_buf_free(&s->deferred);
    for (int k = 0; k < SSHKIT_ALG_KINDS; k++)
        free(s->algorithms[k]);
    for (size_t i = 0; i < s->event_cap; i++)
        free_event_strings(&s->events[i]);
    free(s->events);
    free_event_strings(&s->current);
    free(s->user);
    OPENSSL_cleanse(s, sizeof *s);
    free(s);
}

int sshkit_session_set_algorithms(sshkit_session *s, sshkit_algorithm_kind kind, const char *list)
{
    if (kind < 0 || kind >= SSHKIT_ALG_KINDS || list == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    if (s->phase != SK_PHASE_NEW)
        return SSHKIT_E_STATE;
    char *applied;
    int rc = sk_alglist_apply(kind, s->role, list, &applied);
    if (rc)
        return rc;
    free(s->algorithms[kind]);
    s->algorithms[kind] = applied;
    return 0;
}

const char *sshkit_session_get_algorithms(const sshkit_session *s, sshkit_algorithm_kind kind)
{
    return kind >= 0 && kind < SSHKIT_ALG_KINDS ? s->algorithms[kind] : "";
}

const char *sshkit_session_get_negotiated(const sshkit_session *s, sshkit_algorithm_kind kind)
{
    const sk_negotiated *n = &s->kex.neg;
    if (!s->kex.done_once)
        return "";
    switch (kind) {
    case SSHKIT_ALG_KEX: return n->kex;
    case SSHKIT_ALG_HOSTKEY: return n->hostkey;
    case SSHKIT_ALG_CIPHER: return n->cipher[0];
    case SSHKIT_ALG_MAC: return n->mac[0];
    case SSHKIT_ALG_COMPRESSION: return n->comp[0];
    default: return "";
    }
}

int sshkit_session_add_host_key(sshkit_session *s, const sshkit_key *key)
{
    if (key == NULL || !sshkit_key_is_private(key))
        return SSHKIT_E_INVALID_ARGUMENT;
    if (s->role != SSHKIT_ROLE_SERVER || s->phase != SK_PHASE_NEW)
        return SSHKIT_E_STATE;
    for (size_t i = 0; i < s->host_key_count; i++)
        if (sshkit_key_get_type(s->host_keys[i]) == sshkit_key_get_type(key))
            return SSHKIT_E_INVALID_ARGUMENT;
    if (s->host_key_count == SK_MAX_HOST_KEYS)
        return SSHKIT_E_TOO_LARGE;
    s->host_keys[s->host_key_count++] = key;
    return 0;
}

void sshkit_session_set_host_key_check(sshkit_session *s, sshkit_host_key_check_fn check,
                                       void *user)
{
    s->host_key_check = check;
    s->host_key_check_user = user;
}

int sshkit_session_set_rekey_limit(sshkit_session *s, uint64_t bytes, uint32_t seconds)
{
    s->rekey_bytes = bytes;
    s->rekey_seconds = seconds;
    return 0;
}

void sshkit_session_set_log(sshkit_session *s, sshkit_log_level level, sshkit_log_fn log,
                            void *user)
{
    s->log_level = level;
    s->log = log;
    s->log_user = user;
}

bool sshkit_session_is_closed(const sshkit_session *s)
{
    return s->phase == SK_PHASE_CLOSED;
}

bool sshkit_session_is_secure(const sshkit_session *s)
{
    return s->kex.done_once;
}

const char *sshkit_session_last_error(const sshkit_session *s)
{
    return s->last_error;
}

const char *sshkit_session_peer_version(const sshkit_session *s)
{
    return s->version.peer_version;
}

const sshkit_key *sshkit_session_host_key(const sshkit_session *s)
{
    return s->kex.done_once ? s->kex.host_key : NULL;
}

const uint8_t *sshkit_session_id(const sshkit_session *s, size_t *len)
{
    *len = s->kex.session_id_len;
    return s->kex.session_id;
}

const char *sk_session_server_sig_algs(const sshkit_session *s)
{
    return s->kex.server_sig_algs;
}
