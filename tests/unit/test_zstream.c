/* The zlib streams of the packet codec (src/transport/zstream.c): each
 * packet deflated with a partial flush inflates whole on its own, the
 * stream carries over from packet to packet, and what must be refused
 * (more than the cap, corrupt data, an ended stream) is, with the work
 * bounded by the cap. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include <sshkit/error.h>
#include "transport/zstream.h"

/* Text-like data that compresses well, or noise that does not. */
static uint8_t *make_data(size_t n, bool noise, uint64_t seed)
{
    uint8_t *p = malloc(n);
    uint64_t x = seed | 1;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        p[i] = noise ? (uint8_t)x : (uint8_t)("line of a log file, number "[i % 27] + (i / 4096) % 3);
    }
    return p;
}

static void test_method_names(void **state)
{
    (void)state;
    sk_comp_method m;
    assert_true(sk_comp_method_find("none", &m));
    assert_int_equal(m, SK_COMP_NONE);
    assert_true(sk_comp_method_find("zlib", &m));
    assert_int_equal(m, SK_COMP_ZLIB);
    assert_true(sk_comp_method_find("zlib@openssh.com", &m));
    assert_int_equal(m, SK_COMP_ZLIB_DELAYED);
    assert_false(sk_comp_method_find("zlib@example.com", &m));
    assert_false(sk_comp_method_find("", NULL));
}

/* Packets of many sizes, both kinds of data, each inflated on its own as
 * soon as it is deflated: the same bytes come out, and text shrinks. */
static void test_packets_round_trip(void **state)
{
    (void)state;
    sk_zstream *def, *inf;
    assert_int_equal(sk_zstream_new(true, &def), 0);
    assert_int_equal(sk_zstream_new(false, &inf), 0);
    static const size_t sizes[] = { 1, 2, 17, 1000, 32768, 32777, 131072, 262144 };
    size_t plain = 0, zipped = 0;
    for (int noise = 0; noise < 2; noise++) {
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            uint8_t *data = make_data(sizes[i], noise, i + 1);
            sk_bytes z, back;
            assert_int_equal(sk_zstream_deflate(def, data, sizes[i], &z), 0);
            /* The stream's output buffer is reused: inflate before the next. */
            assert_int_equal(sk_zstream_inflate(inf, z.ptr, z.len, 262144, &back), 0);
            assert_int_equal(back.len, sizes[i]);
            assert_memory_equal(back.ptr, data, sizes[i]);
            if (!noise) {
                plain += sizes[i];
                zipped += z.len;
            }
            free(data);
        }
    }
    assert_true(zipped * 10 < plain);
    sk_zstream_free(def);
    sk_zstream_free(inf);
}

/* The peer's deflate is one stream: the second packet refers back to the
 * first (its copy is a few bytes), and only an inflater that saw the first
 * can read it. */
static void test_stream_carries_over(void **state)
{
    (void)state;
    sk_zstream *def, *inf, *fresh;
    assert_int_equal(sk_zstream_new(true, &def), 0);
    assert_int_equal(sk_zstream_new(false, &inf), 0);
    assert_int_equal(sk_zstream_new(false, &fresh), 0);
    uint8_t *data = make_data(4000, true, 7);
    sk_bytes z, back;
    assert_int_equal(sk_zstream_deflate(def, data, 4000, &z), 0);
    assert_int_equal(sk_zstream_inflate(inf, z.ptr, z.len, 65536, &back), 0);
    assert_int_equal(sk_zstream_deflate(def, data, 4000, &z), 0);
    assert_true(z.len < 100);
    uint8_t copy[100];
    memcpy(copy, z.ptr, z.len);
    assert_int_equal(sk_zstream_inflate(inf, copy, z.len, 65536, &back), 0);
    assert_int_equal(back.len, 4000);
    assert_memory_equal(back.ptr, data, 4000);
    /* No zlib header, a back reference to nothing: refused. */
    assert_int_equal(sk_zstream_inflate(fresh, copy, z.len, 65536, &back), SSHKIT_E_FORMAT);
    free(data);
    sk_zstream_free(def);
    sk_zstream_free(inf);
    sk_zstream_free(fresh);
}

/* A bomb: 64 MiB of zeros is about 64 KiB deflated. Inflating stops one
 * byte past the cap, and the stream is dead afterwards. */
static void test_bomb_is_refused(void **state)
{
    (void)state;
    size_t big = (size_t)64 << 20;
    uint8_t *zeros = calloc(1, big);
    uLongf zlen = compressBound((uLong)big);
    uint8_t *bomb = malloc(zlen);
    assert_int_equal(compress2(bomb, &zlen, zeros, (uLong)big, 9), Z_OK);
    assert_true(zlen < 128 * 1024);
    sk_zstream *inf;
    sk_bytes out;
    assert_int_equal(sk_zstream_new(false, &inf), 0);
    assert_int_equal(sk_zstream_inflate(inf, bomb, zlen, 262144, &out), SSHKIT_E_TOO_LARGE);
    assert_int_equal(sk_zstream_inflate(inf, bomb, 1, 262144, &out), SSHKIT_E_STATE);
    sk_zstream_free(inf);
    free(bomb);
    free(zeros);
}

/* The cap itself is allowed; one byte more is not. */
static void test_cap_boundary(void **state)
{
    (void)state;
    for (size_t extra = 0; extra < 2; extra++) {
        size_t n = 1000 + extra;
        uint8_t *data = make_data(n, false, 3);
        sk_zstream *def, *inf;
        sk_bytes z, out;
        assert_int_equal(sk_zstream_new(true, &def), 0);
        assert_int_equal(sk_zstream_new(false, &inf), 0);
        assert_int_equal(sk_zstream_deflate(def, data, n, &z), 0);
        int rc = sk_zstream_inflate(inf, z.ptr, z.len, 1000, &out);
        assert_int_equal(rc, extra ? SSHKIT_E_TOO_LARGE : 0);
        if (!extra)
            assert_memory_equal(out.ptr, data, n);
        sk_zstream_free(def);
        sk_zstream_free(inf);
        free(data);
    }
}

/* Inflates bytes on a fresh stream; returns the result. */
static int inflate_fresh(const uint8_t *in, size_t len)
{
    sk_zstream *inf;
    sk_bytes out;
    assert_int_equal(sk_zstream_new(false, &inf), 0);
    int rc = sk_zstream_inflate(inf, in, len, 65536, &out);
    sk_zstream_free(inf);
    return rc;
}

static void test_corrupt_and_ended_streams(void **state)
{
    (void)state;
    /* An uncompressed SSH payload where a zlib header belongs. */
    static const uint8_t plain_packet[] = { 5, 0, 0, 0, 12, 's', 's', 'h', '-' };
    assert_int_equal(inflate_fresh(plain_packet, sizeof plain_packet), SSHKIT_E_FORMAT);
    /* A header whose check bits are wrong. */
    static const uint8_t bad_check[] = { 0x78, 0x9d, 0x01, 0x00 };
    assert_int_equal(inflate_fresh(bad_check, sizeof bad_check), SSHKIT_E_FORMAT);
    /* A good header, then a block of the reserved type 3. */
    static const uint8_t bad_block[] = { 0x78, 0x9c, 0x06, 0x00, 0x00 };
    assert_int_equal(inflate_fresh(bad_block, sizeof bad_block), SSHKIT_E_FORMAT);
    /* A header asking for a preset dictionary. */
    static const uint8_t dict[] = { 0x78, 0xbb, 0x00, 0x00, 0x00, 0x01 };
    assert_int_equal(inflate_fresh(dict, sizeof dict), SSHKIT_E_FORMAT);
    /* A whole stream, ended with Z_FINISH: a peer's stream never ends. */
    uint8_t text[] = "hello", packed[64];
    uLongf plen = sizeof packed;
    assert_int_equal(compress2(packed, &plen, text, sizeof text, 6), Z_OK);
    assert_int_equal(inflate_fresh(packed, plen), SSHKIT_E_FORMAT);
    /* The first part of a packet gives what it can and waits for more. */
    sk_zstream *def, *inf;
    sk_bytes z, out;
    uint8_t *data = make_data(5000, true, 5);
    assert_int_equal(sk_zstream_new(true, &def), 0);
    assert_int_equal(sk_zstream_new(false, &inf), 0);
    assert_int_equal(sk_zstream_deflate(def, data, 5000, &z), 0);
    assert_int_equal(sk_zstream_inflate(inf, z.ptr, 2, 65536, &out), 0);
    assert_int_equal(out.len, 0);
    assert_int_equal(sk_zstream_inflate(inf, z.ptr + 2, z.len - 2, 65536, &out), 0);
    assert_int_equal(out.len, 5000);
    assert_memory_equal(out.ptr, data, 5000);
    sk_zstream_free(def);
    sk_zstream_free(inf);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_method_names),
        cmocka_unit_test(test_packets_round_trip),
        cmocka_unit_test(test_stream_carries_over),
        cmocka_unit_test(test_bomb_is_refused),
        cmocka_unit_test(test_cap_boundary),
        cmocka_unit_test(test_corrupt_and_ended_streams),
    };
    return cmocka_run_group_tests_name("zstream", tests, NULL, NULL);
}
