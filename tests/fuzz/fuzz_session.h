/* What the session harnesses share: a host key made once, chunked feeding
 * (chunk sizes from the front of the input), draining a session as an
 * application would, and a client<->server pair in memory. */
#ifndef SSHKIT_FUZZ_SESSION_H
#define SSHKIT_FUZZ_SESSION_H

#include <stdbool.h>
#include <string.h>
#include <sshkit/error.h>
#include <sshkit/key.h>
#include <sshkit/session.h>

#include "fuzz.h"

/* The server's Ed25519 host key, made on first use and kept for the run. */
static inline const sshkit_key *fuzz_host_key(void)
{
    static sshkit_key *key;
    if (key == NULL)
        FUZZ_ASSERT(sshkit_key_generate(SSHKIT_KEY_ED25519, 0, &key) == 0);
    return key;
}

static inline int fuzz_accept_any(void *user, sshkit_session *s, const sshkit_key *key)
{
    (void)user;
    (void)s;
    (void)key;
    return 0;
}

/* Chunk sizes: [n (low 3 bits)][n bytes, each size - 1]; n = 0: all at once. */
typedef struct {
    size_t sizes[8];
    size_t n;
} fuzz_chunks;

static inline void fuzz_chunks_take(fuzz_input *in, fuzz_chunks *c)
{
    c->n = fuzz_byte(in) & 7u;
    for (size_t i = 0; i < c->n; i++)
        c->sizes[i] = (size_t)fuzz_byte(in) + 1;
}

/* Events taken, and the DISCONNECTED ones counted. */
typedef struct {
    int disconnects;
    int kex_done;
} fuzz_tally;

/* Takes every event, counting some and checking the DISCONNECTED ones. */
static inline void fuzz_drain_events(sshkit_session *s, fuzz_tally *t)
{
    sshkit_event ev;
    while (sshkit_session_next_event(s, &ev) > 0) {
        if (ev.type == SSHKIT_EVENT_DISCONNECTED) {
            t->disconnects++;
            FUZZ_ASSERT(ev.u.disconnect.message != NULL);
            FUZZ_ASSERT(strlen(ev.u.disconnect.message) < 4096);
        }
        if (ev.type == SSHKIT_EVENT_KEX_DONE)
            t->kex_done++;
    }
}

/* What an application does between reads: take every event, send
 * (here: drop) every pending byte. */
static inline void fuzz_drain(sshkit_session *s, fuzz_tally *t)
{
    fuzz_drain_events(s, t);
    const uint8_t *out;
    size_t n = sshkit_session_pending(s, &out);
    sshkit_session_sent(s, n);
}

/* Feeds data in chunks, each in a block of exactly its size, draining after
 * each. Returns the last receive result (negative once the session failed). */
static inline int fuzz_feed(sshkit_session *s, const uint8_t *data, size_t len,
                            const fuzz_chunks *c, fuzz_tally *t)
{
    size_t used = 0;
    int rc = 0;
    for (size_t i = 0; used < len; i++) {
        size_t n = len - used;
        if (c->n && c->sizes[i % c->n] < n)
            n = c->sizes[i % c->n];
        uint8_t *chunk = malloc(n);
        FUZZ_ASSERT(chunk != NULL);
        memcpy(chunk, data + used, n);
        rc = sshkit_session_receive(s, chunk, n);
        free(chunk);
        fuzz_drain(s, t);
        if (rc < 0)
            return rc;
        FUZZ_ASSERT((size_t)rc <= n);
        if (rc == 0)
            return 0;   /* cannot happen: the reader holds two packets and drains */
        used += (size_t)rc;
    }
    return rc;
}

/* The end of every run: the peer goes away. The session must then be
 * closed, with exactly one DISCONNECTED event in its whole life, and stay
 * closed. */
static inline void fuzz_finish(sshkit_session *s, fuzz_tally *t)
{
    int rc = sshkit_session_receive(s, NULL, 0);
    fuzz_drain(s, t);
    FUZZ_ASSERT(rc < 0);
    FUZZ_ASSERT(sshkit_session_is_closed(s));
    FUZZ_ASSERT(t->disconnects == 1);
    FUZZ_ASSERT(sshkit_session_receive(s, "x", 1) < 0);
    FUZZ_ASSERT(sshkit_session_last_error(s) != NULL);
}

/* A session of a role, started, with the host key (server) or a host key
 * check that accepts anything (client). */
static inline sshkit_session *fuzz_session(sshkit_role role)
{
    sshkit_session *s = NULL;
    FUZZ_ASSERT(sshkit_session_new(role, &s) == 0);
    if (role == SSHKIT_ROLE_SERVER)
        FUZZ_ASSERT(sshkit_session_add_host_key(s, fuzz_host_key()) == 0);
    else
        sshkit_session_set_host_key_check(s, fuzz_accept_any, NULL);
    FUZZ_ASSERT(sshkit_session_start(s) == 0);
    return s;
}

/* The four kinds of packet protection; a harness picks one by a byte. */
static inline void fuzz_pick_mode(sshkit_session *client, sshkit_session *server, uint8_t m)
{
    static const char *const ciphers[4] = { "chacha20-poly1305@openssh.com",
                                            "aes256-gcm@openssh.com", "aes128-ctr",
                                            "aes128-ctr" };
    static const char *const macs[4] = { NULL, NULL, "hmac-sha2-256-etm@openssh.com",
                                         "hmac-sha2-256" };
    m &= 3;
    FUZZ_ASSERT(sshkit_session_set_algorithms(client, SSHKIT_ALG_CIPHER, ciphers[m]) == 0);
    if (macs[m]) {
        FUZZ_ASSERT(sshkit_session_set_algorithms(client, SSHKIT_ALG_MAC, macs[m]) == 0);
        FUZZ_ASSERT(sshkit_session_set_algorithms(server, SSHKIT_ALG_MAC, macs[m]) == 0);
    }
}

/* Bytes changed in flight: at stream offset `at` of one direction (counted
 * over everything that direction has carried), xor with `x`. */
typedef struct {
    size_t at;
    uint8_t x;
} fuzz_flip;

typedef struct {
    size_t carried;         /* bytes this direction has carried so far */
    const fuzz_flip *flips;
    size_t nflips;
} fuzz_link;

/* Moves what one side has pending to the other, in one piece, with the
 * link's flips applied. Returns the receive result, or 1 when there was
 * nothing to move. */
static inline int fuzz_move(sshkit_session *from, sshkit_session *to, fuzz_link *link)
{
    const uint8_t *data;
    size_t n = sshkit_session_pending(from, &data);
    if (n == 0)
        return 1;
    uint8_t *copy = malloc(n);
    FUZZ_ASSERT(copy != NULL);
    memcpy(copy, data, n);
    sshkit_session_sent(from, n);
    for (size_t i = 0; i < link->nflips; i++)
        if (link->flips[i].at >= link->carried && link->flips[i].at - link->carried < n)
            copy[link->flips[i].at - link->carried] ^= link->flips[i].x;
    link->carried += n;
    int rc = 0;
    for (size_t used = 0; used < n;) {
        rc = sshkit_session_receive(to, copy + used, n - used);
        if (rc <= 0)
            break;
        used += (size_t)rc;
    }
    free(copy);
    return rc;
}

/* Moves bytes both ways until both sides are quiet or one failed (at most
 * 64 rounds), draining events into the tallies. */
static inline void fuzz_pump(sshkit_session *c, sshkit_session *s, fuzz_link links[2],
                             fuzz_tally tallies[2])
{
    for (int round = 0; round < 64; round++) {
        int a = fuzz_move(c, s, &links[0]);
        int b = fuzz_move(s, c, &links[1]);
        fuzz_drain_events(c, &tallies[0]);
        fuzz_drain_events(s, &tallies[1]);
        if ((a == 1 && b == 1) || a < 0 || b < 0)
            return;
    }
}

/* A client and a server in the given protection mode, started. */
static inline void fuzz_pair(uint8_t mode, sshkit_session **c, sshkit_session **s)
{
    FUZZ_ASSERT(sshkit_session_new(SSHKIT_ROLE_CLIENT, c) == 0);
    FUZZ_ASSERT(sshkit_session_new(SSHKIT_ROLE_SERVER, s) == 0);
    FUZZ_ASSERT(sshkit_session_add_host_key(*s, fuzz_host_key()) == 0);
    sshkit_session_set_host_key_check(*c, fuzz_accept_any, NULL);
    fuzz_pick_mode(*c, *s, mode);
    FUZZ_ASSERT(sshkit_session_start(*c) == 0);
    FUZZ_ASSERT(sshkit_session_start(*s) == 0);
}

#endif
