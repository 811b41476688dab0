/* The zero-copy receive path: sshkit_session_receive_buffer() lends the
 * free space of the session's input buffer, sshkit_session_received() takes
 * what was written there. A pair of sessions joined in memory through it
 * (in pieces of every size, and filling the whole room), its argument and
 * state checks, and hostile bytes delivered through it. Also the other end
 * of the byte flow: an output queue that is never sent to its end. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "hostile_peer.h"

static sshkit_key *host_key;

static int make_key(void **state)
{
    (void)state;
    return sshkit_key_generate(SSHKIT_KEY_ED25519, 0, &host_key) ? -1 : 0;
}

static int free_key(void **state)
{
    (void)state;
    sshkit_key_free(host_key);
    return 0;
}

/* Moves what `from` has pending into `to` through the lent space, at most
 * chunk bytes per call (0: as much as the room allows). Returns the bytes
 * moved, or -1 when the receiver failed. */
static long zc_move(sshkit_session *from, sshkit_session *to, size_t chunk)
{
    long moved = 0;
    for (;;) {
        const uint8_t *data;
        size_t n = sshkit_session_pending(from, &data);
        if (n == 0)
            return moved;
        uint8_t *room_at;
        size_t room;
        int rc = sshkit_session_receive_buffer(to, &room_at, &room);
        if (rc < 0) {
            sshkit_session_sent(from, n);
            return -1;
        }
        assert_true(room > 0);
        assert_non_null(room_at);
        size_t piece = n < room ? n : room;
        if (chunk && piece > chunk)
            piece = chunk;
        memcpy(room_at, data, piece);
        sshkit_session_sent(from, piece);
        rc = sshkit_session_received(to, piece);
        if (rc < 0)
            return -1;
        assert_int_equal(rc, (int)piece);
        moved += (long)piece;
    }
}

static int zc_pump(session_pair *p, size_t chunk)
{
    int failed = 0;
    for (int round = 0; round < 1000; round++) {
        long a = zc_move(p->client, p->server, chunk);
        long b = zc_move(p->server, p->client, chunk);
        pair_count_events(p);
        if (a < 0 || b < 0)
            failed = -1;
        if (a <= 0 && b <= 0)
            break;
    }
    return failed;
}

/* Key exchange through the new path, bytes given 1, 7, 100, 4096 at a time
 * and as much as fits: the version lines and the first packets arrive in
 * the same pieces, so the version exchange hands its leftovers on. */
static void test_pair_in_pieces(void **state)
{
    (void)state;
    const size_t chunks[] = { 1, 7, 100, 4096, 0 };
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        session_pair p;
        assert_int_equal(pair_new(&p, host_key), 0);
        assert_int_equal(pair_start(&p), 0);
        assert_int_equal(zc_pump(&p, chunks[i]), 0);
        assert_int_equal(p.client_kex_done, 1);
        assert_int_equal(p.server_kex_done, 1);
        assert_true(sshkit_session_is_secure(p.client));
        /* A rekey, mixing both paths: old one way, new the other. */
        assert_int_equal(sshkit_session_rekey(p.client), 0);
        for (int r = 0; r < 20; r++) {
            long a = zc_move(p.client, p.server, chunks[i]);
            long b = pair_move(p.server, p.client, 333);
            pair_count_events(&p);
            assert_true(a >= 0 && b >= 0);
            if (a == 0 && b == 0)
                break;
        }
        assert_int_equal(p.client_kex_done, 2);
        assert_int_equal(p.server_kex_done, 2);
        assert_int_equal(p.client_disconnects + p.server_disconnects, 0);
        pair_free(&p);
    }
}

/* More than the room at once: every call fills the whole room, the last
 * packet of each fill is incomplete, and the reader must carry it over. */
static void test_full_room(void **state)
{
    (void)state;
    session_pair p;
    assert_int_equal(pair_ready(&p, host_key, "aes256-gcm@openssh.com", NULL), 0);
    for (int i = 0; i < 4000; i++)
        assert_int_equal(send_ignore(p.client, 500), 0);
    const uint8_t *data;
    size_t total = sshkit_session_pending(p.client, &data);
    assert_true(total > 3 * SK_PACKET_RECEIVE_ROOM);
    size_t fills = 0, moved = 0;
    while (moved < total) {
        uint8_t *at;
        size_t room;
        assert_int_equal(sshkit_session_receive_buffer(p.server, &at, &room), 0);
        assert_true(room > 0 && room <= 2 * SK_PACKET_RECEIVE_ROOM);
        size_t n = sshkit_session_pending(p.client, &data);
        size_t piece = n < room ? n : room;
        if (piece == room)
            fills++;
        memcpy(at, data, piece);
        sshkit_session_sent(p.client, piece);
        assert_int_equal(sshkit_session_received(p.server, piece), (int)piece);
        moved += piece;
    }
    assert_true(fills >= 3);
    /* 4000 IGNOREs after the key exchange's packets, none lost or repeated. */
    assert_int_equal(p.client_disconnects + p.server_disconnects, 0);
    assert_false(sshkit_session_is_closed(p.server));
    assert_true(p.server->reader.dir.packets >= 4000);
    assert_int_equal(p.server->reader.dir.seqnr, p.client->writer.dir.seqnr);
    /* Still working both ways. */
    assert_int_equal(sshkit_session_rekey(p.server), 0);
    assert_int_equal(zc_pump(&p, 0), 0);
    assert_int_equal(p.client_kex_done, 2);
    assert_int_equal(p.server_kex_done, 2);
    pair_free(&p);
}

/* Argument and state checks: before start, more than the room, without a
 * lent room, end of stream, and after the end. */
static void test_contract(void **state)
{
    (void)state;
    session_pair p;
    uint8_t *at;
    size_t room;
    assert_int_equal(pair_new(&p, host_key), 0);
    assert_int_equal(sshkit_session_receive_buffer(p.server, &at, &room), SSHKIT_E_STATE);
    assert_null(at);
    assert_int_equal(room, 0);
    assert_int_equal(pair_start(&p), 0);
    assert_int_equal(sshkit_session_received(p.server, 1), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_session_receive_buffer(p.server, &at, &room), 0);
    assert_true(room >= 1024);
    assert_int_equal(sshkit_session_received(p.server, room + 1), SSHKIT_E_INVALID_ARGUMENT);
    assert_false(sshkit_session_is_closed(p.server));
    /* A room lent, then the copying path used: the room is withdrawn. */
    assert_int_equal(sshkit_session_receive_buffer(p.server, &at, &room), 0);
    assert_true(pair_move(p.client, p.server, 10) > 0);
    assert_int_equal(sshkit_session_received(p.server, 1), SSHKIT_E_INVALID_ARGUMENT);
    /* End of stream. */
    assert_int_equal(sshkit_session_received(p.server, 0), SSHKIT_E_CONNECTION_CLOSED);
    assert_true(sshkit_session_is_closed(p.server));
    assert_int_equal(sshkit_session_receive_buffer(p.server, &at, &room),
                     SSHKIT_E_CONNECTION_CLOSED);
    assert_int_equal(room, 0);
    assert_int_equal(sshkit_session_received(p.server, 1), SSHKIT_E_CONNECTION_CLOSED);
    pair_free(&p);
}

/* Hostile bytes through the new path end the session as through the old:
 * a garbage version line, and a packet with a flipped byte. */
static void test_hostile(void **state)
{
    (void)state;
    session_pair p;
    assert_int_equal(pair_new(&p, host_key), 0);
    assert_int_equal(pair_start(&p), 0);
    uint8_t *at;
    size_t room;
    static const char garbage[] = "SSH-1.5-nope\r\n";
    assert_int_equal(sshkit_session_receive_buffer(p.server, &at, &room), 0);
    memcpy(at, garbage, sizeof garbage - 1);
    assert_int_equal(sshkit_session_received(p.server, sizeof garbage - 1), SSHKIT_E_PROTOCOL);
    assert_true(sshkit_session_is_closed(p.server));
    pair_free(&p);

    assert_int_equal(pair_ready(&p, host_key, "chacha20-poly1305@openssh.com", NULL), 0);
    assert_int_equal(send_ignore(p.client, 100), 0);
    const uint8_t *data;
    size_t n = sshkit_session_pending(p.client, &data);
    assert_int_equal(sshkit_session_receive_buffer(p.server, &at, &room), 0);
    assert_true(n <= room);
    memcpy(at, data, n);
    at[n / 2] ^= 0x40;
    sshkit_session_sent(p.client, n);
    assert_int_equal(sshkit_session_received(p.server, n), SSHKIT_E_MAC);
    pair_count_events(&p);
    assert_int_equal(p.server_disconnects, 1);
    assert_int_equal(p.last_server_disconnect.u.disconnect.error, SSHKIT_E_MAC);
    pair_free(&p);
}

/* An output queue never sent to its end: the part already sent must not
 * pile up in front of it. 2000 rounds of ~5 KB queued, all but 100 bytes
 * sent (and delivered, so the peer checks every packet). */
static void test_output_queue_partly_sent(void **state)
{
    (void)state;
    session_pair p;
    assert_int_equal(pair_ready(&p, host_key, "aes256-gcm@openssh.com", NULL), 0);
    size_t most = 0;
    for (int round = 0; round < 2000; round++) {
        for (int i = 0; i < 10; i++)
            assert_int_equal(send_ignore(p.client, 500), 0);
        const uint8_t *data;
        size_t n = sshkit_session_pending(p.client, &data);
        assert_true(n > 100);
        assert_int_equal(sshkit_session_receive(p.server, data, n - 100), (int)(n - 100));
        sshkit_session_sent(p.client, n - 100);
        if (p.client->out.len > most)
            most = p.client->out.len;
    }
    assert_true(most < ((size_t)1 << 20));     /* without compaction: over 10 MB */
    assert_int_equal(pair_pump(&p, 1 << 20), 0);
    assert_int_equal(p.client_disconnects + p.server_disconnects, 0);
    assert_int_equal(p.server->reader.dir.seqnr, p.client->writer.dir.seqnr);
    pair_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pair_in_pieces),
        cmocka_unit_test(test_full_room),
        cmocka_unit_test(test_contract),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_output_queue_partly_sent),
    };
    return cmocka_run_group_tests(tests, make_key, free_key);
}
