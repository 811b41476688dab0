/* Test helper: a client and a server session joined in memory, and a pump
 * that moves bytes between them until neither has anything to say. */
#ifndef SSHKIT_TESTS_SESSION_PAIR_H
#define SSHKIT_TESTS_SESSION_PAIR_H

#include <string.h>
#include <sshkit/session.h>

typedef struct {
    sshkit_session *client;
    sshkit_session *server;
    sshkit_key *host_key;
    int client_kex_done, server_kex_done;
    int client_disconnects, server_disconnects;
    sshkit_event last_client_disconnect, last_server_disconnect;
} session_pair;

static inline int accept_pair_host_key(void *user, sshkit_session *s, const sshkit_key *key)
{
    (void)s;
    session_pair *p = user;
    return sshkit_key_equal(key, p->host_key) ? 0 : -1;
}

/* Moves pending bytes from one side to the other; returns how many moved,
 * or -1 when the receiver failed. Delivers in pieces of at most chunk. */
static inline long pair_move(sshkit_session *from, sshkit_session *to, size_t chunk)
{
    const uint8_t *data;
    size_t n = sshkit_session_pending(from, &data);
    long moved = 0;
    while (n > 0) {
        size_t piece = n < chunk ? n : chunk;
        int took = sshkit_session_receive(to, data, piece);
        if (took < 0) {
            sshkit_session_sent(from, n);
            return -1;
        }
        sshkit_session_sent(from, (size_t)took);
        moved += took;
        if (took == 0)
            break;
        n = sshkit_session_pending(from, &data);
    }
    return moved;
}

static inline void pair_count_events(session_pair *p)
{
    sshkit_event ev;
    while (sshkit_session_next_event(p->client, &ev) > 0) {
        if (ev.type == SSHKIT_EVENT_KEX_DONE)
            p->client_kex_done++;
        if (ev.type == SSHKIT_EVENT_DISCONNECTED) {
            p->client_disconnects++;
            p->last_client_disconnect = ev;
        }
    }
    while (sshkit_session_next_event(p->server, &ev) > 0) {
        if (ev.type == SSHKIT_EVENT_KEX_DONE)
            p->server_kex_done++;
        if (ev.type == SSHKIT_EVENT_DISCONNECTED) {
            p->server_disconnects++;
            p->last_server_disconnect = ev;
        }
    }
}

/* Pumps until quiet (bounded). Returns 0, or -1 if a side failed. */
static inline int pair_pump(session_pair *p, size_t chunk)
{
    int failed = 0;
    for (int round = 0; round < 1000; round++) {
        long a = pair_move(p->client, p->server, chunk);
        long b = pair_move(p->server, p->client, chunk);
        pair_count_events(p);
        if (a < 0 || b < 0)
            failed = -1;
        if (a <= 0 && b <= 0)
            break;
    }
    return failed;
}

/* Makes both sessions; host_key is the server's (borrowed). */
static inline int pair_new(session_pair *p, sshkit_key *host_key)
{
    memset(p, 0, sizeof *p);
    p->host_key = host_key;
    if (sshkit_session_new(SSHKIT_ROLE_CLIENT, &p->client) ||
        sshkit_session_new(SSHKIT_ROLE_SERVER, &p->server))
        return -1;
    sshkit_session_set_host_key_check(p->client, accept_pair_host_key, p);
    return sshkit_session_add_host_key(p->server, host_key);
}

static inline int pair_start(session_pair *p)
{
    if (sshkit_session_start(p->client) || sshkit_session_start(p->server))
        return -1;
    return 0;
}

static inline void pair_free(session_pair *p)
{
    sshkit_session_free(p->client);
    sshkit_session_free(p->server);
}

#endif
