/* Unit tests for the binary packet protocol: writer to reader, in the clear
 * and under every cipher and MAC, and hostile input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sshkit/error.h>
#include "transport/packet.h"

static const uint8_t key[64] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
static const uint8_t iv[16] = { 0xa0, 0xa1, 0xa2 };
static const uint8_t mac_key[64] = { 0x55 };

struct link {
    sk_buf wire;
    sk_packet_writer w;
    sk_packet_reader r;
};

static void link_init(struct link *l)
{
    sk_buf_init(&l->wire);
    sk_packet_writer_init(&l->w, &l->wire);
    sk_packet_reader_init(&l->r);
}

static void link_free(struct link *l)
{
    sk_packet_dir_free(&l->w.dir);
    sk_packet_reader_free(&l->r);
    sk_buf_free(&l->wire);
}

static void link_keys(struct link *l, const char *cipher, const char *mac, bool reset)
{
    const sk_cipher_alg *c = sk_cipher_find(cipher);
    const sk_mac_alg *m = mac ? sk_mac_find(mac) : NULL;
    sk_packet_cipher *enc, *dec;
    assert_int_equal(sk_packet_cipher_new(c, m, true, key, iv, mac_key, &enc), 0);
    assert_int_equal(sk_packet_cipher_new(c, m, false, key, iv, mac_key, &dec), 0);
    assert_int_equal(sk_packet_dir_rekey(&l->w.dir, enc, reset, SK_COMP_NONE, false), 0);
    assert_int_equal(sk_packet_dir_rekey(&l->r.dir, dec, reset, SK_COMP_NONE, false), 0);
}

static void send_payload(struct link *l, uint8_t type, size_t n)
{
    sk_packet_begin(&l->w, type);
    uint8_t *p = sk_buf_reserve(&l->wire, n);
    assert_non_null(p);
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(i * 7 + type);
    sk_buf_advance(&l->wire, n);
    assert_int_equal(sk_packet_end(&l->w), 0);
}

/* Moves the wire into the reader in pieces of `step` bytes and checks
 * the payload that comes out. */
static void receive_payload(struct link *l, uint8_t type, size_t n, size_t step)
{
    sk_bytes payload;
    size_t off = 0;
    int rc = SSHKIT_E_AGAIN;
    while (rc == SSHKIT_E_AGAIN) {
        assert_true(off < l->wire.len);
        size_t chunk = l->wire.len - off < step ? l->wire.len - off : step;
        int took = sk_packet_feed(&l->r, l->wire.data + off, chunk);
        assert_true(took > 0);
        off += (size_t)took;
        rc = sk_packet_next(&l->r, &payload);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(off, l->wire.len);
    assert_int_equal(payload.len, n + 1);
    assert_int_equal(payload.ptr[0], type);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(payload.ptr[1 + i], (uint8_t)(i * 7 + type));
    sk_buf_reset(&l->wire);
}

static void test_clear_round_trip(void **state)
{
    (void)state;
    struct link l;
    link_init(&l);
    const size_t sizes[] = { 0, 1, 2, 3, 7, 8, 100, 4096 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        send_payload(&l, 20, sizes[i]);
        assert_int_equal(l.wire.len % 8, 0);
        assert_true(l.wire.len >= 16);
        receive_payload(&l, 20, sizes[i], i % 2 ? 1 : 5000);
    }
    assert_int_equal(l.w.dir.seqnr, 8);
    assert_int_equal(l.r.dir.seqnr, 8);
    link_free(&l);
}

static const char *const combos[][2] = {
    { "chacha20-poly1305@openssh.com", NULL },
    { "aes256-gcm@openssh.com", NULL },
    { "aes128-gcm@openssh.com", NULL },
    { "aes256-ctr", "hmac-sha2-256-etm@openssh.com" },
    { "aes192-ctr", "hmac-sha2-512-etm@openssh.com" },
    { "aes128-ctr", "hmac-sha2-256" },
    { "aes256-ctr", "hmac-sha2-512" },
    { "aes128-ctr", "hmac-sha1" },
};

static void test_encrypted_round_trips(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof combos / sizeof combos[0]; k++) {
        struct link l;
        link_init(&l);
        send_payload(&l, 20, 10);                 /* a KEXINIT in the clear */
        receive_payload(&l, 20, 10, 3);
        link_keys(&l, combos[k][0], combos[k][1], false);
        for (size_t n = 0; n < 40; n += 3) {
            send_payload(&l, 94, n * 37);
            receive_payload(&l, 94, n * 37, n % 3 ? 7 : 100000);
        }
        /* Several packets queued at once come out one by one. */
        for (uint8_t t = 1; t <= 3; t++)
            send_payload(&l, t, 1000);
        assert_int_equal(sk_packet_feed(&l.r, l.wire.data, l.wire.len), (int)l.wire.len);
        for (uint8_t t = 1; t <= 3; t++) {
            sk_bytes p;
            assert_int_equal(sk_packet_next(&l.r, &p), 0);
            assert_int_equal(p.ptr[0], t);
            assert_int_equal(p.len, 1001);
        }
        sk_bytes p;
        assert_int_equal(sk_packet_next(&l.r, &p), SSHKIT_E_AGAIN);
        sk_buf_reset(&l.wire);
        link_free(&l);
    }
}

static void test_strict_kex_resets_seqnr(void **state)
{
    (void)state;
    struct link l;
    link_init(&l);
    send_payload(&l, 20, 4);
    receive_payload(&l, 20, 4, 100);
    send_payload(&l, 21, 0);
    receive_payload(&l, 21, 0, 100);
    link_keys(&l, "chacha20-poly1305@openssh.com", NULL, true);
    assert_int_equal(l.w.dir.seqnr, 0);
    assert_int_equal(l.r.dir.seqnr, 0);
    send_payload(&l, 5, 12);
    receive_payload(&l, 5, 12, 100);
    assert_int_equal(l.w.dir.packets, 1);
    link_free(&l);
}

static void test_hostile_lengths(void **state)
{
    (void)state;
    const uint8_t huge[] = { 0xff, 0xff, 0xff, 0xff, 4, 1, 2, 3 };
    const uint8_t tiny[] = { 0, 0, 0, 4, 4, 20, 0, 0 };
    const uint8_t misaligned[] = { 0, 0, 0, 13, 4, 20, 0, 0 };
    const uint8_t *cases[] = { huge, tiny, misaligned };
    const int want[] = { SSHKIT_E_TOO_LARGE, SSHKIT_E_PROTOCOL, SSHKIT_E_PROTOCOL };
    for (int i = 0; i < 3; i++) {
        sk_packet_reader r;
        sk_bytes p;
        sk_packet_reader_init(&r);
        assert_int_equal(sk_packet_feed(&r, cases[i], 8), 8);
        assert_int_equal(sk_packet_next(&r, &p), want[i]);
        sk_packet_reader_free(&r);
    }
}

static void test_bad_padding_in_clear(void **state)
{
    (void)state;
    /* packet_length 12, padding_length 11: no room for a payload. */
    const uint8_t no_payload[16] = { 0, 0, 0, 12, 11 };
    /* padding_length 3, under RFC 4253's minimum of 4. */
    const uint8_t short_pad[16] = { 0, 0, 0, 12, 3, 20 };
    const uint8_t *cases[] = { no_payload, short_pad };
    for (int i = 0; i < 2; i++) {
        sk_packet_reader r;
        sk_bytes p;
        sk_packet_reader_init(&r);
        sk_packet_feed(&r, cases[i], 16);
        assert_int_equal(sk_packet_next(&r, &p), SSHKIT_E_PROTOCOL);
        sk_packet_reader_free(&r);
    }
}

static void test_tampering_detected(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof combos / sizeof combos[0]; k++) {
        struct link l;
        link_init(&l);
        link_keys(&l, combos[k][0], combos[k][1], false);
        send_payload(&l, 94, 64);
        l.wire.data[l.wire.len / 2] ^= 0x40;
        sk_bytes p;
        sk_packet_feed(&l.r, l.wire.data, l.wire.len);
        int rc = sk_packet_next(&l.r, &p);
        assert_true(rc == SSHKIT_E_MAC || rc == SSHKIT_E_PROTOCOL);
        link_free(&l);
    }
}

static void test_oversized_payload_refused(void **state)
{
    (void)state;
    struct link l;
    link_init(&l);
    link_keys(&l, "aes256-gcm@openssh.com", NULL, false);
    size_t max = sk_packet_max_payload(&l.w);
    send_payload(&l, 94, max - 1);          /* the type byte counts too */
    receive_payload(&l, 94, max - 1, 1 << 20);
    sk_packet_begin(&l.w, 94);
    sk_buf_reserve(&l.wire, SK_PACKET_MAX);
    sk_buf_advance(&l.wire, SK_PACKET_MAX);
    assert_int_equal(sk_packet_end(&l.w), SSHKIT_E_TOO_LARGE);
    assert_int_equal(l.wire.len, 0);
    link_free(&l);
}

static void test_feed_is_bounded(void **state)
{
    (void)state;
    sk_packet_reader r;
    sk_packet_reader_init(&r);
    size_t n = 4 * SK_PACKET_MAX;
    uint8_t *junk = calloc(1, n);
    int took = sk_packet_feed(&r, junk, n);
    assert_true(took > 0 && (size_t)took < n);
    assert_int_equal(sk_packet_feed(&r, junk, n), 0);
    free(junk);
    sk_packet_reader_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clear_round_trip),
        cmocka_unit_test(test_encrypted_round_trips),
        cmocka_unit_test(test_strict_kex_resets_seqnr),
        cmocka_unit_test(test_hostile_lengths),
        cmocka_unit_test(test_bad_padding_in_clear),
        cmocka_unit_test(test_tampering_detected),
        cmocka_unit_test(test_oversized_payload_refused),
        cmocka_unit_test(test_feed_is_bounded),
    };
    return cmocka_run_group_tests_name("packet", tests, NULL, NULL);
}
