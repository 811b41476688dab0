/* The SFTP client against a scripted server in memory (sftp_fake_server.h):
 * the handshake and extensions, status codes and their messages, replies
 * that break the protocol (truncated, oversized, wrong id, unknown type,
 * lying lengths) each refused with SSHKIT_E_PROTOCOL, the call-again rules
 * of non-blocking use, and a download whose answers come short and out
 * of order. */
#include <fcntl.h>
#include <unistd.h>
#include "sftp_fake_server.h"

/* ---- the handshake ---- */

static void answer_limits(fake *f, uint8_t type, uint32_t id, sk_reader *r)
{
    sk_bytes name;
    assert_int_equal(type, SK_FXP_EXTENDED);
    assert_int_equal(sk_read_string(r, &name), 0);
    assert_true(sk_bytes_eq(name, "limits@openssh.com"));
    sk_buf b;
    size_t start = fake_begin(&b, SK_FXP_EXTENDED_REPLY, id);
    sk_write_u64(&b, 100000);   /* packet */
    sk_write_u64(&b, 1u << 20); /* read: over the packet, so capped */
    sk_write_u64(&b, 40000);    /* write */
    sk_write_u64(&b, 10);       /* handles */
    sk_sftp_packet_end(&b, start);
    fake_send_buf(f, &b);
}

static void test_handshake_extensions_and_limits(void **state)
{
    (void)state;
    static const char *const ext[] = { "limits@openssh.com", "1", "statvfs@openssh.com", "1",
                                       "x@example.com", "7", NULL };
    fake f;
    fake_start(&f, answer_limits);
    f.extensions = ext;
    fake_handshake(&f);
    assert_int_equal(sshkit_sftp_server_version(f.sftp), 3);
    assert_true(sshkit_sftp_has_extension(f.sftp, "x@example.com"));
    assert_string_equal(sshkit_sftp_extension_version(f.sftp, "x@example.com"), "7");
    assert_null(sshkit_sftp_extension_version(f.sftp, "copy-data"));
    const char *v;
    assert_string_equal(sshkit_sftp_extension(f.sftp, 1, &v), "statvfs@openssh.com");
    assert_null(sshkit_sftp_extension(f.sftp, 3, NULL));
    sshkit_sftp_limits l;
    assert_int_equal(sshkit_sftp_get_limits(f.sftp, &l), 0);
    assert_int_equal(l.max_packet, 100000);
    assert_int_equal(l.max_read, 100000 - 1024);
    assert_int_equal(l.max_write, 40000);
    assert_int_equal(l.max_handles, 10);
    /* statvfs at version "1" is not the one sshkit knows ("2"). */
    sshkit_sftp_fs_stats st;
    assert_int_equal(sshkit_sftp_statvfs(f.sftp, "/", &st), SSHKIT_E_UNSUPPORTED);
    assert_int_equal(f.requests, 1);    /* the limits; nothing for statvfs */
    fake_finish(&f);
}

static void never(fake *f, uint8_t type, uint32_t id, sk_reader *r)
{
    (void)f, (void)type, (void)id, (void)r;
    fail_msg("no request was expected");
}

static void test_wrong_version(void **state)
{
    (void)state;
    fake f;
    fake_start(&f, never);
    f.version = 4;
    int rc;
    FAKE_CALL(&f, rc, sshkit_sftp_handshake(f.sftp));
    assert_int_equal(rc, SSHKIT_E_PROTOCOL);
    sshkit_sftp_attrs a;
    assert_int_equal(sshkit_sftp_stat(f.sftp, "x", &a), SSHKIT_E_PROTOCOL);   /* final */
    assert_non_null(strstr(sshkit_sftp_last_error(f.sftp), "version 4"));
    fake_finish(&f);
}

static void test_subsystem_refused(void **state)
{
    (void)state;
    fake f;
    fake_start(&f, never);
    f.refuse_subsystem = true;
    int rc;
    FAKE_CALL(&f, rc, sshkit_sftp_handshake(f.sftp));
    assert_int_equal(rc, SSHKIT_E_REFUSED);
    fake_finish(&f);
}

/* ---- statuses ---- */

static void answer_statuses(fake *f, uint8_t type, uint32_t id, sk_reader *r)
{
    (void)type, (void)r;
    static const uint32_t codes[] = { 2, 3, 8, 99, 1 };
    unsigned n = f->requests - 1;
    fake_status(f, id, codes[n % 5], n == 0 ? "gone away" : NULL);
}

static void test_status_codes_and_messages(void **state)
{
    (void)state;
    static const struct { unsigned status; const char *message; } want[] = {
        { 2, "gone away" }, { 3, "Permission denied" }, { 8, "Operation unsupported" },
        { 99, "Unknown status" }, { 1, "End of file" },
    };
    fake f;
    fake_start(&f, answer_statuses);
    fake_handshake(&f);
    assert_int_equal(sshkit_sftp_last_status(f.sftp), SSHKIT_SFTP_OK);
    assert_string_equal(sshkit_sftp_last_message(f.sftp), "Success");
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        sshkit_sftp_attrs a;
        int rc;
        FAKE_CALL(&f, rc, sshkit_sftp_stat(f.sftp, "x", &a));
        assert_int_equal(rc, SSHKIT_E_SFTP_STATUS);
        assert_int_equal(sshkit_sftp_last_status(f.sftp), want[i].status);
        assert_string_equal(sshkit_sftp_last_message(f.sftp), want[i].message);
    }
    assert_string_equal(sshkit_sftp_status_message(SSHKIT_SFTP_NO_SUCH_FILE),
                        "No such file or directory");
    fake_finish(&f);
}

/* ---- replies that break the protocol ---- */

/* Each case answers a stat (or the read that follows an open) with bytes
 * that must be refused. */
static void answer_hostile(fake *f, uint8_t type, uint32_t id, sk_reader *r)
{
    (void)r;
    int which = *(int *)f->state;
    sk_buf b;
    size_t start;
    switch (which) {
    case 0: /* ATTRS says a size follows; it does not */
        start = fake_begin(&b, SK_FXP_ATTRS, id);
        sk_write_u32(&b, SSHKIT_SFTP_ATTR_SIZE);
        sk_write_u32(&b, 7);
        break;
    case 1: /* a packet of 1 MiB, announced; the rest never comes */
        sk_buf_init(&b);
        sk_write_u32(&b, 1u << 20);
        sk_write_u8(&b, SK_FXP_ATTRS);
        sk_write_u32(&b, id);
        fake_send_buf(f, &b);
        return;
    case 2: /* an answer to a request never made */
        start = fake_begin(&b, SK_FXP_ATTRS, id + 1000);
        sk_write_u32(&b, 0);
        break;
    case 3: /* a type that does not exist */
        start = fake_begin(&b, 150, id);
        sk_write_u32(&b, 0);
        break;
    case 4: /* an empty packet */
        sk_buf_init(&b);
        sk_write_u32(&b, 0);
        fake_send_buf(f, &b);
        return;
    case 5: /* a handle longer than the draft allows */
        if (type != SK_FXP_OPEN) {
            fake_status(f, id, 0, "");
            return;
        }
        start = fake_begin(&b, SK_FXP_HANDLE, id);
        sk_write_string(&b, (uint8_t[300]){ 0 }, 300);
        break;
    case 6: /* DATA whose string claims more than the packet holds */
        if (type == SK_FXP_OPEN) {
            fake_handle(f, id, "h");
            return;
        }
        start = fake_begin(&b, SK_FXP_DATA, id);
        sk_write_u32(&b, 5000);
        sk_write_raw(&b, "abc", 3);
        break;
    case 7: /* more DATA than the READ asked for */
        if (type == SK_FXP_OPEN) {
            fake_handle(f, id, "h");
            return;
        }
        start = fake_begin(&b, SK_FXP_DATA, id);
        sk_write_string(&b, (uint8_t[64]){ 0 }, 64);
        break;
    default: /* NAME: 5 entries announced, 1 there */
        start = fake_begin(&b, SK_FXP_NAME, id);
        sk_write_u32(&b, 5);
        sk_write_cstring(&b, "/home");
        sk_write_cstring(&b, "");
        sk_write_u32(&b, 0);
        break;
    }
    sk_sftp_packet_end(&b, start);
    fake_send_buf(f, &b);
}

static int hostile_call(fake *f, int which, sshkit_sftp_file **file)
{
    int rc;
    sshkit_sftp_attrs a;
    char path[64];
    uint8_t buf[16];
    switch (which) {
    case 5:
        FAKE_CALL(f, rc, sshkit_sftp_file_open(f->sftp, "x", SSHKIT_SFTP_READ, 0, file));
        return rc;
    case 6:
    case 7:
        FAKE_CALL(f, rc, sshkit_sftp_file_open(f->sftp, "x", SSHKIT_SFTP_READ, 0, file));
        assert_int_equal(rc, 0);
        FAKE_CALL(f, rc, sshkit_sftp_file_read(*file, buf, sizeof buf));
        return rc;
    case 8:
        FAKE_CALL(f, rc, sshkit_sftp_realpath(f->sftp, ".", path, sizeof path));
        return rc;
    default:
        FAKE_CALL(f, rc, sshkit_sftp_stat(f->sftp, "x", &a));
        return rc;
    }
}

static void test_hostile_replies_are_refused(void **state)
{
    (void)state;
    for (int which = 0; which <= 8; which++) {
        fake f;
        fake_start(&f, answer_hostile);
        f.state = &which;
        fake_handshake(&f);
        sshkit_sftp_file *file = NULL;
        int rc = hostile_call(&f, which, &file);
        if (rc != SSHKIT_E_PROTOCOL)
            fail_msg("case %d: %s (%s)", which, sshkit_error_name(rc), sshkit_sftp_last_error(f.sftp));
        /* Final: the session refuses everything afterwards. */
        sshkit_sftp_attrs a;
        assert_int_equal(sshkit_sftp_stat(f.sftp, "y", &a), SSHKIT_E_PROTOCOL);
        assert_int_equal(sshkit_sftp_file_close(file), file ? SSHKIT_E_PROTOCOL : 0);
        fake_finish(&f);
    }
}

/* ---- non-blocking rules ---- */

static void answer_attrs(fake *f, uint8_t type, uint32_t id, sk_reader *r)
{
    (void)type, (void)r;
    fake_attrs(f, id, 42, 0100644);
}

static void test_one_call_at_a_time(void **state)
{
    (void)state;
    fake f;
    fake_start(&f, answer_attrs);
    fake_handshake(&f);
    f.hold = true;
    sshkit_sftp_attrs a;
    assert_int_equal(sshkit_sftp_stat(f.sftp, "x", &a), SSHKIT_E_AGAIN);
    fake_pump(&f);
    assert_int_equal(sshkit_sftp_stat(f.sftp, "x", &a), SSHKIT_E_AGAIN);    /* sent once */
    assert_int_equal(sshkit_sftp_lstat(f.sftp, "x", &a), SSHKIT_E_STATE);   /* another call */
    assert_int_equal(sshkit_sftp_mkdir(f.sftp, "d", 0755), SSHKIT_E_STATE);
    assert_int_equal(sshkit_sftp_set_blocking(f.sftp, true), SSHKIT_E_STATE);
    f.hold = false;
    fake_pump(&f);
    int rc;
    FAKE_CALL(&f, rc, sshkit_sftp_stat(f.sftp, "x", &a));
    assert_int_equal(rc, 0);
    assert_int_equal(a.size, 42);
    assert_int_equal(f.requests, 1);
    fake_finish(&f);
}

/* Extensions the server did not announce fail at once, sending nothing. */
static void test_unannounced_extensions(void **state)
{
    (void)state;
    static const char *const none[] = { NULL };
    fake f;
    fake_start(&f, never);
    f.extensions = none;
    fake_handshake(&f);
    char buf[64];
    sshkit_sftp_fs_stats st;
    sshkit_sftp_attrs a = { 0 };
    assert_int_equal(sshkit_sftp_hardlink(f.sftp, "a", "b"), SSHKIT_E_UNSUPPORTED);
    assert_int_equal(sshkit_sftp_statvfs(f.sftp, "/", &st), SSHKIT_E_UNSUPPORTED);
    assert_int_equal(sshkit_sftp_expand_path(f.sftp, "~", buf, sizeof buf), SSHKIT_E_UNSUPPORTED);
    assert_int_equal(sshkit_sftp_lsetstat(f.sftp, "a", &a), SSHKIT_E_UNSUPPORTED);
    assert_int_equal(f.requests, 0);
    fake_finish(&f);
}

static void answer_then_close(fake *f, uint8_t type, uint32_t id, sk_reader *r)
{
    (void)type, (void)id, (void)r;
    sshkit_channel_close(f->server_ch);
}

static void test_channel_closed_mid_call(void **state)
{
    (void)state;
    fake f;
    fake_start(&f, answer_then_close);
    fake_handshake(&f);
    sshkit_sftp_attrs a;
    int rc;
    FAKE_CALL(&f, rc, sshkit_sftp_stat(f.sftp, "x", &a));
    assert_int_equal(rc, SSHKIT_E_CLOSED);
    fake_finish(&f);
}

/* ---- a download answered short and out of order ---- */

#define FILE_SIZE 300001u

struct held {
    uint32_t id;
    uint64_t offset;
    uint32_t len;
};

struct download {
    uint8_t *content;
    struct held held[64];
    unsigned n;
    unsigned reads;
};

/* Answers the READs three at a time, last first, each cut to at most
 * 7000 bytes; the end of the file says EOF. */
static void flush_reads(fake *f, struct download *d)
{
    while (d->n > 0) {
        struct held h = d->held[--d->n];
        if (h.offset >= FILE_SIZE) {
            fake_status(f, h.id, SSHKIT_SFTP_EOF, "EOF");
            continue;
        }
        uint64_t len = h.len < 7000 ? h.len : 7000;
        if (len > FILE_SIZE - h.offset)
            len = FILE_SIZE - h.offset;
        fake_data(f, h.id, d->content + h.offset, (size_t)len);
    }
}

static void answer_download(fake *f, uint8_t type, uint32_t id, sk_reader *r)
{
    struct download *d = f->state;
    sk_bytes handle;
    if (type == SK_FXP_OPEN || type == SK_FXP_CLOSE) {
        if (type == SK_FXP_OPEN)
            fake_handle(f, id, "file-handle");
        else
            fake_status(f, id, 0, "");
        return;
    }
    if (type == SK_FXP_FSTAT) {
        fake_attrs(f, id, FILE_SIZE, 0100600);
        return;
    }
    assert_int_equal(type, SK_FXP_READ);
    struct held *h = &d->held[d->n++];
    h->id = id;
    sk_read_string(r, &handle);
    sk_read_u64(r, &h->offset);
    sk_read_u32(r, &h->len);
    assert_int_equal(sk_reader_finish(r), 0);
    assert_true(sk_bytes_eq(handle, "file-handle"));
    d->reads++;
    if (d->n == 3)
        flush_reads(f, d);
}

static void test_download_short_and_out_of_order(void **state)
{
    (void)state;
    struct download d = { .content = malloc(FILE_SIZE) };
    assert_non_null(d.content);
    for (unsigned i = 0; i < FILE_SIZE; i++)
        d.content[i] = (uint8_t)(i * 7 + i / 251);
    char path[] = "/tmp/sftpc-unit-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    fake f;
    fake_start(&f, answer_download);
    f.state = &d;
    fake_handshake(&f);
    sshkit_sftp_transfer_options o;
    sshkit_sftp_transfer_options_init(&o);
    o.requests = 5;
    o.request_size = 20000;
    sshkit_sftp_transfer *t;
    assert_int_equal(sshkit_sftp_get_start(f.sftp, "remote", path, &o, &t), 0);
    int rc;
    for (int round = 0; (rc = sshkit_sftp_transfer_step(t)) == SSHKIT_E_AGAIN && round < 10000; round++) {
        fake_pump(&f);
        flush_reads(&f, &d);    /* what is left of a batch of three */
    }
    assert_int_equal(rc, 0);
    uint64_t done, total;
    sshkit_sftp_transfer_progress(t, &done, &total);
    assert_int_equal(done, FILE_SIZE);
    assert_int_equal(total, FILE_SIZE);
    sshkit_sftp_transfer_free(t);
    uint8_t *got = malloc(FILE_SIZE + 1);
    fd = open(path, O_RDONLY);
    assert_int_equal(read(fd, got, FILE_SIZE + 1), FILE_SIZE);
    close(fd);
    assert_memory_equal(got, d.content, FILE_SIZE);
    assert_true(d.reads > FILE_SIZE / 7000);    /* short answers were asked again */
    unlink(path);
    free(got);
    free(d.content);
    fake_finish(&f);
}

static int setup(void **state)
{
    (void)state;
    return sshkit_key_generate(SSHKIT_KEY_ED25519, 0, &fake_host_key);
}

static int teardown(void **state)
{
    (void)state;
    sshkit_key_free(fake_host_key);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handshake_extensions_and_limits),
        cmocka_unit_test(test_wrong_version),
        cmocka_unit_test(test_subsystem_refused),
        cmocka_unit_test(test_status_codes_and_messages),
        cmocka_unit_test(test_hostile_replies_are_refused),
        cmocka_unit_test(test_one_call_at_a_time),
        cmocka_unit_test(test_unannounced_extensions),
        cmocka_unit_test(test_channel_closed_mid_call),
        cmocka_unit_test(test_download_short_and_out_of_order),
    };
    return cmocka_run_group_tests_name("sftp_client", tests, setup, teardown);
}
