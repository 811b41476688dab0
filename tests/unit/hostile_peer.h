/* Test helper: a hostile peer scripted by hand against one real session.
 *
 * The test writes what the peer says (a version line, cleartext packets
 * framed with sk_packet_writer) into h->wire, hands it to the session with
 * hp_flush(), and then looks at how the session ended: the value
 * sshkit_session_receive() returned, the DISCONNECTED event, and the
 * DISCONNECT packet the session queued for the peer (read back from its
 * pending output, which is cleartext before the first NEWKEYS). */
#ifndef SSHKIT_TESTS_HOSTILE_PEER_H
#define SSHKIT_TESTS_HOSTILE_PEER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>
#include <sshkit/session.h>

#include "transport/kexinit.h"
#include "transport/messages.h"
#include "transport/packet.h"
#include "transport/session_internal.h"
#include "session_pair.h"

typedef struct {
    sshkit_session *s;      /* the real session under attack */
    sk_buf wire;            /* what the hostile peer says next */
    int rc;                 /* the last sshkit_session_receive() result, if < 0 */
    int disconnects;        /* DISCONNECTED events seen */
    sshkit_event disc;      /* the last of them (message copied below) */
    char disc_msg[SK_ERROR_MAX];
    int kex_done;           /* KEX_DONE events seen */
} hostile;

static inline int hp_accept_any(void *user, sshkit_session *s, const sshkit_key *key)
{
    (void)user;
    (void)s;
    (void)key;
    return 0;
}

/* A started session of the given role; kex (may be NULL) replaces its kex list. */
static inline int hp_new(hostile *h, sshkit_role role, const sshkit_key *host_key,
                         const char *kex)
{
    memset(h, 0, sizeof *h);
    sk_buf_init(&h->wire);
    if (sshkit_session_new(role, &h->s))
        return -1;
    if (role == SSHKIT_ROLE_SERVER && sshkit_session_add_host_key(h->s, host_key))
        return -1;
    sshkit_session_set_host_key_check(h->s, hp_accept_any, NULL);
    if (kex && sshkit_session_set_algorithms(h->s, SSHKIT_ALG_KEX, kex))
        return -1;
    return sshkit_session_start(h->s);
}

static inline void hp_free(hostile *h)
{
    sshkit_session_free(h->s);
    sk_buf_free(&h->wire);
}

static inline void hp_events(hostile *h)
{
    sshkit_event ev;
    while (sshkit_session_next_event(h->s, &ev) > 0) {
        if (ev.type == SSHKIT_EVENT_KEX_DONE)
            h->kex_done++;
        if (ev.type != SSHKIT_EVENT_DISCONNECTED)
            continue;
        h->disconnects++;
        h->disc = ev;
        snprintf(h->disc_msg, sizeof h->disc_msg, "%s", ev.u.disconnect.message);
        h->disc.u.disconnect.message = h->disc_msg;
    }
}

/* Gives the session bytes, as much as it takes, then reads its events.
 * Returns 0, or the session's (negative) error. */
static inline int hp_feed(hostile *h, const uint8_t *data, size_t len)
{
    size_t used = 0;
    for (int round = 0; round < 10000 && used < len; round++) {
        int took = sshkit_session_receive(h->s, data + used, len - used);
        if (took < 0) {
            h->rc = took;
            break;
        }
        if (took == 0)
            break;
        used += (size_t)took;
    }
    hp_events(h);
    return h->rc;
}

/* Sends what was written to h->wire. */
static inline int hp_flush(hostile *h)
{
    int rc = hp_feed(h, h->wire.data, h->wire.len);
    sk_buf_reset(&h->wire);
    return rc;
}

static inline void hp_version(hostile *h, const char *line)
{
    sk_write_raw(&h->wire, line, strlen(line));
}

/* Frames a payload (message type first) as a cleartext packet. */
static inline void hp_packet(sk_buf *out, const uint8_t *payload, size_t len)
{
    sk_packet_writer w;
    sk_packet_writer_init(&w, out);
    sk_packet_begin(&w, payload[0]);
    sk_write_raw(out, payload + 1, len - 1);
    sk_packet_end(&w);
}

/* A message that is only its type byte, or with a string body. */
static inline void hp_msg(hostile *h, uint8_t type, const char *body)
{
    sk_buf p;
    sk_buf_init(&p);
    sk_write_u8(&p, type);
    if (body)
        sk_write_cstring(&p, body);
    hp_packet(&h->wire, p.data, p.len);
    sk_buf_free(&p);
}

/* A KEXINIT payload as a peer of the given role would send it: curve25519,
 * ssh-ed25519, aes128-ctr with hmac-sha2-256-etm, no compression; list
 * `which` (or -1 for none) replaced by `value`; strict kex if asked. */
static inline void hp_kexinit_payload(sk_buf *out, sshkit_role peer_role, int which,
                                      const char *value, bool strict)
{
    char kex[256];
    snprintf(kex, sizeof kex, "curve25519-sha256%s",
             !strict ? "" : peer_role == SSHKIT_ROLE_CLIENT ? "," SK_KEX_STRICT_C
                                                            : "," SK_KEX_STRICT_S);
    const char *lists[SK_KEXINIT_LISTS] = {
        kex, "ssh-ed25519", "aes128-ctr", "aes128-ctr",
        "hmac-sha2-256-etm@openssh.com", "hmac-sha2-256-etm@openssh.com",
        "none", "none", "", "",
    };
    for (int i = 0; i < SK_KEXINIT_LISTS; i++)
        if (i == which || (which == SK_KEXINIT_CIPHER_C2S && i == SK_KEXINIT_CIPHER_S2C) ||
            (which == SK_KEXINIT_MAC_C2S && i == SK_KEXINIT_MAC_S2C))
            lists[i] = value;
    sk_kexinit_write(out, lists, false);
}

static inline void hp_kexinit(hostile *h, int which, const char *value, bool strict)
{
    sk_buf p;
    sk_buf_init(&p);
    sshkit_role peer = h->s->role == SSHKIT_ROLE_CLIENT ? SSHKIT_ROLE_SERVER : SSHKIT_ROLE_CLIENT;
    hp_kexinit_payload(&p, peer, which, value, strict);
    hp_packet(&h->wire, p.data, p.len);
    sk_buf_free(&p);
}

/* The version line and a KEXINIT from the peer's side. */
static inline void hp_hello(hostile *h, bool strict)
{
    hp_version(h, "SSH-2.0-hostile\r\n");
    hp_kexinit(h, -1, NULL, strict);
}

/* Finds the next cleartext packet of a type in data[*pos..len), skipping a
 * version line at the start. Sets its payload; false when there is none. */
static inline bool hp_find_packet(const uint8_t *data, size_t len, size_t *pos, uint8_t type,
                                  sk_bytes *payload)
{
    if (*pos == 0 && len >= 4 && memcmp(data, "SSH-", 4) == 0) {
        const uint8_t *nl = memchr(data, '\n', len);
        *pos = nl ? (size_t)(nl - data) + 1 : len;
    }
    while (*pos + 6 <= len) {
        uint32_t plen = sk_load_u32(data + *pos);
        uint8_t pad = data[*pos + 4];
        if (plen > len - *pos - 4 || pad + 1u >= plen)
            return false;
        size_t at = *pos;
        *pos += 4 + plen;
        if (data[at + 5] == type) {
            *payload = (sk_bytes){ data + at + 5, plen - 1 - pad };
            return true;
        }
    }
    return false;
}

/* The reason code of the cleartext DISCONNECT a session queued for its
 * peer, or -1 when there is none. */
static inline long sent_reason(sshkit_session *s)
{
    const uint8_t *data;
    size_t len = sshkit_session_pending(s, &data), pos = 0;
    sk_bytes payload;
    if (!hp_find_packet(data, len, &pos, SK_MSG_DISCONNECT, &payload) || payload.len < 5)
        return -1;
    return (long)sk_load_u32(payload.ptr + 1);
}

static inline long hp_sent_reason(hostile *h)
{
    return sent_reason(h->s);
}

/* ---- post-kex: a real pair, with the bytes between them in the test's hands ---- */

/* A pair through its first key exchange with a cipher and MAC (NULL for
 * an AEAD cipher). Returns 0, or -1 when the handshake failed. */
static inline int pair_ready(session_pair *p, sshkit_key *key, const char *cipher,
                             const char *mac)
{
    if (pair_new(p, key) ||
        sshkit_session_set_algorithms(p->client, SSHKIT_ALG_CIPHER, cipher) ||
        (mac && sshkit_session_set_algorithms(p->client, SSHKIT_ALG_MAC, mac)) ||
        (mac && sshkit_session_set_algorithms(p->server, SSHKIT_ALG_MAC, mac)) ||
        pair_start(p) || pair_pump(p, 1 << 20))
        return -1;
    return p->client_kex_done == 1 && p->server_kex_done == 1 ? 0 : -1;
}

/* Takes what a session has pending into out, as if it had been sent. */
static inline void pair_take(sshkit_session *from, sk_buf *out)
{
    const uint8_t *data;
    size_t n = sshkit_session_pending(from, &data);
    sk_write_raw(out, data, n);
    sshkit_session_sent(from, n);
}

/* Makes a session send an IGNORE carrying body_len bytes. */
static inline int send_ignore(sshkit_session *s, size_t body_len)
{
    uint8_t body[512] = { 0 };
    sk_buf *b = sk_msg_begin(s, SK_MSG_IGNORE);
    sk_write_string(b, body, body_len < sizeof body ? body_len : sizeof body);
    return sk_msg_end(s);
}

#endif
