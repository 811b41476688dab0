/* The SFTP server engine's bounds, over the in-memory tree: open handles
 * (10,000 opens against the limit), forged and stale handles, the READ
 * length clamp (a 2 GiB read), packets over the limit, truncated and
 * malformed requests, requests before INIT, back-pressure when replies are
 * not taken, copy-data in slices, the end of input, and freeing a server
 * that still holds handles. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sftp_test_client.h"

static int setup(void **state)
{
    sftp_fx *f = malloc(sizeof *f);
    fx_init(f, &memfs_ops);
    fx_hello(f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_done(*state);
    free(*state);
    return 0;
}

static void test_ten_thousand_opens_against_the_limit(void **state)
{
    sftp_fx *f = *state;
    uint8_t h[8], first[8];
    unsigned ok = 0, refused = 0;
    memfs_put(&f->fs, "/home/f", "x", 1);
    for (uint32_t i = 0; i < 10000; i++) {
        unsigned st = fx_open(f, i, "f", SSHKIT_SFTP_READ, h);
        if (st == 0 && ok++ == 0)
            memcpy(first, h, 8);
        refused += st == SSHKIT_SFTP_FAILURE;
    }
    assert_int_equal(ok, SSHKIT_SFTP_DEFAULT_MAX_HANDLES);
    assert_int_equal(refused, 10000 - SSHKIT_SFTP_DEFAULT_MAX_HANDLES);
    assert_int_equal(f->fs.open_objects, SSHKIT_SFTP_DEFAULT_MAX_HANDLES);
    /* One closed makes room for one more; its handle is not the old one. */
    assert_int_equal(fx_close(f, 20000, first), SSHKIT_SFTP_OK);
    assert_int_equal(fx_open(f, 20001, "f", SSHKIT_SFTP_READ, h), 0);
    assert_memory_not_equal(h, first, 8);
    assert_int_equal(fx_close(f, 20002, first), SSHKIT_SFTP_FAILURE);
    assert_int_equal(fx_open(f, 20003, "f", SSHKIT_SFTP_READ, h), SSHKIT_SFTP_FAILURE);
    /* A smaller limit counts the handles already open. */
    assert_int_equal(sshkit_sftp_server_set_max_handles(f->srv, 3), 0);
    fx_path_request(f, SK_FXP_OPENDIR, 20004, "/");
    assert_int_equal(fx_status(f, 20004), SSHKIT_SFTP_FAILURE);
    assert_int_equal(sshkit_sftp_server_set_max_handles(f->srv, 70000), SSHKIT_E_INVALID_ARGUMENT);
    /* Freeing the server (teardown) closes the 512 still open. */
}

static void test_handles_never_issued(void **state)
{
    sftp_fx *f = *state;
    uint8_t h[8], forged[8];
    memfs_put(&f->fs, "/home/f", "x", 1);
    assert_int_equal(fx_open(f, 1, "f", SSHKIT_SFTP_READ, h), 0);
    const uint8_t *bad[] = { (const uint8_t *)"\0\0\0\0", forged, forged, h };
    size_t lens[] = { 4, 8, 8, 7 };
    memcpy(forged, h, 8);
    forged[7] ^= 1;                             /* wrong generation */
    for (int i = 0; i < 4; i++) {
        if (i == 2)
            sk_store_u32(forged, 99999);        /* a slot that does not exist */
        size_t at = fx_handle_request(f, SK_FXP_READ, 10 + (uint32_t)i, bad[i], lens[i]);
        sk_write_u64(&f->req, 0);
        sk_write_u32(&f->req, 1);
        fx_send(f, at);
        assert_int_equal(fx_status(f, 10 + (uint32_t)i), SSHKIT_SFTP_FAILURE);
    }
    fx_send(f, fx_handle_request(f, SK_FXP_READDIR, 20, h, 8));      /* a file's handle */
    assert_int_equal(fx_status(f, 20), SSHKIT_SFTP_FAILURE);
    assert_int_equal(fx_close(f, 21, h), SSHKIT_SFTP_OK);
}

static void test_read_of_two_gib_is_clamped(void **state)
{
    sftp_fx *f = *state;
    uint8_t h[8], *big = malloc(300000);
    sk_reader r;
    sk_bytes data;
    for (size_t i = 0; i < 300000; i++)
        big[i] = (uint8_t)(i * 7);
    memfs_put(&f->fs, "/home/big", big, 300000);
    assert_int_equal(fx_open(f, 1, "big", SSHKIT_SFTP_READ, h), 0);
    size_t at = fx_handle_request(f, SK_FXP_READ, 2, h, 8);
    sk_write_u64(&f->req, 1);
    sk_write_u32(&f->req, 0x80000000u);
    fx_send(f, at);
    fx_expect(f, SK_FXP_DATA, 2, &r);
    assert_int_equal(sk_read_string(&r, &data), 0);
    assert_int_equal(data.len, 255 * 1024);
    assert_memory_equal(data.ptr, big + 1, data.len);
    at = fx_handle_request(f, SK_FXP_READ, 3, h, 8);
    sk_write_u64(&f->req, 5);
    sk_write_u32(&f->req, 0);                   /* as OpenSSH: empty DATA */
    fx_send(f, at);
    fx_expect(f, SK_FXP_DATA, 3, &r);
    assert_int_equal(sk_read_string(&r, &data), 0);
    assert_int_equal(data.len, 0);
    f->fs.fail_io = true;                       /* a failed read: STATUS, nothing half-written */
    at = fx_handle_request(f, SK_FXP_READ, 4, h, 8);
    sk_write_u64(&f->req, 0);
    sk_write_u32(&f->req, 10);
    fx_send(f, at);
    assert_int_equal(fx_status(f, 4), SSHKIT_SFTP_FAILURE);
    f->fs.fail_io = false;
    assert_int_equal(fx_close(f, 5, h), SSHKIT_SFTP_OK);
    free(big);
}

static void test_packet_over_the_limit_ends_the_server(void **state)
{
    sftp_fx *f = *state;
    uint8_t header[9] = { 0, 0x04, 0x00, 0x01, SK_FXP_STAT, 0, 0, 0, 1 };   /* 256 KiB + 1 */
    fx_path_request(f, SK_FXP_REALPATH, 7, ".");    /* answered before the bad one */
    assert_int_equal(fx_feed(f, header, sizeof header), SSHKIT_E_TOO_LARGE);
    assert_true(fx_logged(f, "SFTP packet of 262145 bytes is over the limit of 262144"));
    uint8_t *room;
    size_t cap;
    assert_int_equal(sshkit_sftp_server_receive_buffer(f->srv, &room, &cap), SSHKIT_E_TOO_LARGE);
    assert_int_equal(sshkit_sftp_server_receive(f->srv, "x", 1), SSHKIT_E_TOO_LARGE);
    assert_int_equal(sshkit_sftp_server_process(f->srv), SSHKIT_E_TOO_LARGE);
    sk_reader r;
    fx_expect(f, SK_FXP_NAME, 7, &r);
}

static void test_malformed_requests(void **state)
{
    sftp_fx *f = *state;
    char long_path[5000];
    /* OPEN whose attributes are cut short. */
    size_t at = fx_begin(f, SK_FXP_OPEN, 1);
    sk_write_cstring(&f->req, "x");
    sk_write_u32(&f->req, SSHKIT_SFTP_READ);
    sk_write_u32(&f->req, SSHKIT_SFTP_ATTR_SIZE);
    sk_write_u32(&f->req, 0);
    fx_send(f, at);
    assert_int_equal(fx_status(f, 1), SSHKIT_SFTP_BAD_MESSAGE);
    /* A path with a NUL, a path too long, a string longer than the packet. */
    at = fx_begin(f, SK_FXP_STAT, 2);
    sk_write_string(&f->req, "a\0b", 3);
    fx_send(f, at);
    assert_int_equal(fx_status(f, 2), SSHKIT_SFTP_BAD_MESSAGE);
    memset(long_path, 'a', sizeof long_path - 1);
    long_path[sizeof long_path - 1] = '\0';
    fx_path_request(f, SK_FXP_LSTAT, 3, long_path);
    assert_int_equal(fx_status(f, 3), SSHKIT_SFTP_BAD_MESSAGE);
    at = fx_begin(f, SK_FXP_REMOVE, 4);
    sk_write_u32(&f->req, 1000);
    sk_write_cstring(&f->req, "short");
    fx_send(f, at);
    assert_int_equal(fx_status(f, 4), SSHKIT_SFTP_BAD_MESSAGE);
    /* Unknown types get OP_UNSUPPORTED (a reply type included). */
    fx_send(f, fx_begin(f, 99, 5));
    assert_int_equal(fx_status(f, 5), SSHKIT_SFTP_OP_UNSUPPORTED);
    fx_send(f, fx_begin(f, SK_FXP_STATUS, 6));
    assert_int_equal(fx_status(f, 6), SSHKIT_SFTP_OP_UNSUPPORTED);
    /* A request sent a byte at a time is answered once whole. */
    at = fx_begin(f, SK_FXP_REALPATH, 7);
    sk_write_cstring(&f->req, "/");
    sk_sftp_packet_end(&f->req, at);
    for (size_t i = 0; i < f->req.len; i++)
        assert_int_equal(fx_feed(f, f->req.data + i, 1), 0);
    sk_reader r;
    fx_expect(f, SK_FXP_NAME, 7, &r);
    /* A request too short to carry its id ends the server. */
    const uint8_t no_id[] = { 0, 0, 0, 3, SK_FXP_STAT, 0, 0 };
    assert_int_equal(fx_feed(f, no_id, sizeof no_id), SSHKIT_E_PROTOCOL);
}

static void test_requests_before_init_and_empty_packets(void **state)
{
    sftp_fx f;
    const uint8_t stat_first[] = { 0, 0, 0, 5, SK_FXP_STAT, 0, 0, 0, 1 };
    const uint8_t empty[] = { 0, 0, 0, 0 };
    (void)state;
    fx_init(&f, &memfs_ops);
    assert_int_equal(fx_feed(&f, stat_first, sizeof stat_first), SSHKIT_E_PROTOCOL);
    assert_true(fx_logged(&f, "Received 17 request before init"));
    fx_done(&f);
    fx_init(&f, &memfs_ops);
    fx_hello(&f);
    assert_int_equal(fx_feed(&f, empty, sizeof empty), SSHKIT_E_PROTOCOL);
    fx_done(&f);
}

/* Replies that are not taken: the server stops taking requests once about
 * SK_SFTPS_OUT_HIGH waits, holds the rest in its bounded input, and goes on
 * when replies are sent. */
static void test_back_pressure(void **state)
{
    sftp_fx *f = *state;
    uint8_t h[8], *big = calloc(1, 300000);
    const uint8_t *p;
    memfs_put(&f->fs, "/home/big", big, 300000);
    assert_int_equal(fx_open(f, 1, "big", SSHKIT_SFTP_READ, h), 0);
    sk_buf all;
    sk_buf_init(&all);
    for (uint32_t i = 0; i < 8; i++) {
        size_t at = sk_sftp_packet_begin(&all, SK_FXP_READ);
        sk_write_u32(&all, 100 + i);
        sk_write_string(&all, h, 8);
        sk_write_u64(&all, 0);
        sk_write_u32(&all, 255 * 1024);
        sk_sftp_packet_end(&all, at);
    }
    int took = sshkit_sftp_server_receive(f->srv, all.data, all.len);
    assert_int_equal(took, (int)all.len);   /* 8 small requests fit the input */
    size_t waiting = sshkit_sftp_server_pending(f->srv, &p);
    assert_true(waiting >= (512u << 10) && waiting < (800u << 10));
    assert_int_equal(sshkit_sftp_server_process(f->srv), 0);       /* no room: nothing more */
    assert_int_equal(sshkit_sftp_server_pending(f->srv, &p), waiting);
    unsigned replies = 0;
    for (int round = 0; round < 100 && replies < 8; round++) {
        sk_reader r;
        uint8_t type;
        uint32_t id;
        while (fx_reply(f, &type, &id, &r)) {
            assert_int_equal(type, SK_FXP_DATA);
            assert_int_equal(id, 100 + replies);
            replies++;
        }
        sshkit_sftp_server_process(f->srv);
    }
    assert_int_equal(replies, 8);
    /* The input is bounded: a client that floods it is told to wait. */
    uint8_t *flood = calloc(1, 1u << 20);
    for (size_t off = 0; off + 5 < (1u << 20); off += 256u << 10) {
        sk_store_u32(flood + off, (256u << 10) - 4);
        flood[off + 4] = SK_FXP_EXTENDED;       /* one large, harmless request after another */
    }
    took = sshkit_sftp_server_receive(f->srv, flood, 1u << 20);
    assert_true(took > 0 && took < (1 << 20));
    sk_buf_free(&all);
    free(flood);
    free(big);
}

static void copy_data(sftp_fx *f, uint32_t id, const uint8_t *from, uint64_t off, uint64_t len,
                      const uint8_t *to)
{
    size_t at = fx_begin(f, SK_FXP_EXTENDED, id);
    sk_write_cstring(&f->req, "copy-data");
    sk_write_string(&f->req, from, 8);
    sk_write_u64(&f->req, off);
    sk_write_u64(&f->req, len);
    sk_write_string(&f->req, to, 8);
    sk_write_u64(&f->req, 0);
    sk_sftp_packet_end(&f->req, at);
    assert_true(sshkit_sftp_server_receive(f->srv, f->req.data, f->req.len) > 0);
}

static void test_copy_data_in_slices(void **state)
{
    sftp_fx *f = *state;
    size_t n = 20u << 20;
    uint8_t a[8], b[8], *src = malloc(n);
    for (size_t i = 0; i < n; i++)
        src[i] = (uint8_t)(i * 31 + (i >> 12));
    memfs_put(&f->fs, "/home/src", src, n);
    assert_int_equal(fx_open(f, 1, "src", SSHKIT_SFTP_READ, a), 0);
    assert_int_equal(fx_open(f, 2, "dst", SSHKIT_SFTP_WRITE | SSHKIT_SFTP_CREAT, b), 0);
    copy_data(f, 3, a, 0, 0, b);                /* to the end */
    unsigned slices = 1;
    while (sshkit_sftp_server_process(f->srv) == 1)
        slices++;
    assert_true(slices >= 2);
    assert_int_equal(fx_status(f, 3), SSHKIT_SFTP_OK);
    int dst = memfs_find(&f->fs, "/home/dst");
    assert_int_equal(f->fs.nodes[dst].attrs.size, n);
    assert_memory_equal(f->fs.nodes[dst].data, src, n);
    copy_data(f, 4, a, n - 10, 100, b);         /* past the end: EOF */
    assert_int_equal(fx_status(f, 4), SSHKIT_SFTP_EOF);
    copy_data(f, 5, a, 0, 10, a);               /* onto itself */
    assert_int_equal(fx_status(f, 5), SSHKIT_SFTP_FAILURE);
    assert_int_equal(fx_close(f, 6, a), SSHKIT_SFTP_OK);
    assert_int_equal(fx_close(f, 7, b), SSHKIT_SFTP_OK);
    free(src);
}

static void test_end_of_input_and_free_with_handles_open(void **state)
{
    sftp_fx *f = *state;
    uint8_t h[8];
    memfs_put(&f->fs, "/home/f", "x", 1);
    assert_int_equal(fx_open(f, 1, "f", SSHKIT_SFTP_READ, h), 0);
    fx_path_request(f, SK_FXP_OPENDIR, 2, "/");
    sk_reader r;
    fx_expect(f, SK_FXP_HANDLE, 2, &r);
    const uint8_t half[] = { 0, 0, 0, 9, SK_FXP_STAT };
    assert_int_equal(fx_feed(f, half, sizeof half), 0);
    sshkit_sftp_server_end_input(f->srv);
    assert_int_equal(sshkit_sftp_server_process(f->srv), SSHKIT_E_CLOSED);
    assert_int_equal(f->fs.open_objects, 2);
    /* teardown frees the server: both closed, logged as forced. */
    sshkit_sftp_server_free(f->srv);
    f->srv = NULL;
    assert_int_equal(f->fs.open_objects, 0);
    assert_true(fx_logged(f, "forced close \"f\" bytes read 0 written 0"));
    assert_true(fx_logged(f, "forced closedir \"/\""));
}

static void test_missing_operations_are_unsupported(void **state)
{
    sftp_fx f;
    const sshkit_sftp_server_ops none = { 0 };
    uint8_t h[8];
    (void)state;
    fx_init(&f, &none);
    fx_hello(&f);
    assert_int_equal(fx_open(&f, 1, "x", SSHKIT_SFTP_READ, h), SSHKIT_SFTP_OP_UNSUPPORTED);
    const uint8_t types[] = { SK_FXP_STAT, SK_FXP_LSTAT, SK_FXP_REMOVE, SK_FXP_RMDIR,
                              SK_FXP_REALPATH, SK_FXP_READLINK, SK_FXP_OPENDIR };
    for (uint32_t i = 0; i < sizeof types; i++) {
        fx_path_request(&f, types[i], 10 + i, "x");
        assert_int_equal(fx_status(&f, 10 + i), SSHKIT_SFTP_OP_UNSUPPORTED);
    }
    fx_done(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ten_thousand_opens_against_the_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_handles_never_issued, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_of_two_gib_is_clamped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_packet_over_the_limit_ends_the_server, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_requests, setup, teardown),
        cmocka_unit_test(test_requests_before_init_and_empty_packets),
        cmocka_unit_test_setup_teardown(test_back_pressure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copy_data_in_slices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_end_of_input_and_free_with_handles_open, setup,
                                        teardown),
        cmocka_unit_test(test_missing_operations_are_unsupported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
