/* Unit tests for the version exchange parser. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "transport/version.h"

static sk_version_status feed_all(sk_version_parser *p, const char *text, size_t *used)
{
    return sk_version_feed(p, (const uint8_t *)text, strlen(text), used);
}

static void test_plain_version_line(void **state)
{
    (void)state;
    sk_version_parser p;
    size_t used;
    sk_version_init(&p, true);
    const char *in = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6\r\n\x00\x00\x01";
    assert_int_equal(sk_version_feed(&p, (const uint8_t *)in, 43, &used), SK_VERSION_OK);
    assert_int_equal(used, 40);   /* stops right after the line; the rest is packets */
    assert_string_equal(p.peer_version, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6");
}

static void test_byte_at_a_time_and_bare_lf(void **state)
{
    (void)state;
    sk_version_parser p;
    size_t used;
    sk_version_init(&p, true);
    const char *in = "SSH-1.99-old\n";
    for (size_t i = 0; i < strlen(in) - 1; i++)
        assert_int_equal(sk_version_feed(&p, (const uint8_t *)in + i, 1, &used), SK_VERSION_NEED_MORE);
    assert_int_equal(sk_version_feed(&p, (const uint8_t *)"\n", 1, &used), SK_VERSION_OK);
    assert_string_equal(p.peer_version, "SSH-1.99-old");
}

static void test_server_lines_before_version(void **state)
{
    (void)state;
    sk_version_parser p;
    size_t used;
    sk_version_init(&p, true);
    assert_int_equal(feed_all(&p, "Welcome\r\nto the machine\r\nSSH-2.0-x\r\n", &used), SK_VERSION_OK);
    assert_int_equal(p.lines, 2);
    assert_string_equal(p.first_line, "Welcome");
}

static void test_client_may_not_send_lines_first(void **state)
{
    (void)state;
    sk_version_parser p;
    size_t used;
    char msg[200];
    sk_version_init(&p, false);
    sk_version_status s = feed_all(&p, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", &used);
    assert_int_equal(s, SK_VERSION_NOT_SSH);
    assert_non_null(strstr(sk_version_describe(&p, s, msg, sizeof msg), "GET / HTTP/1.1"));
}

static void test_http_server_then_close(void **state)
{
    (void)state;
    sk_version_parser p;
    size_t used;
    char msg[200];
    sk_version_init(&p, true);
    sk_version_status s = feed_all(&p, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", &used);
    assert_int_equal(s, SK_VERSION_NEED_MORE);
    /* At end of stream the caller describes what it saw. */
    assert_non_null(strstr(sk_version_describe(&p, s, msg, sizeof msg), "HTTP/1.1 400 Bad Request"));
}

static void test_protocol_1_refused(void **state)
{
    (void)state;
    sk_version_parser p;
    size_t used;
    sk_version_init(&p, true);
    assert_int_equal(feed_all(&p, "SSH-1.5-ancient\r\n", &used), SK_VERSION_BAD_PROTOCOL);
}

static void test_binary_garbage(void **state)
{
    (void)state;
    sk_version_parser p;
    size_t used;
    const uint8_t junk[] = { 0x16, 0x03, 0x01, 0x02, 0x00 };   /* a TLS ClientHello */
    sk_version_init(&p, false);
    assert_int_equal(sk_version_feed(&p, junk, sizeof junk, &used), SK_VERSION_BAD_CHARACTER);
    sk_version_init(&p, true);
    assert_int_equal(sk_version_feed(&p, (const uint8_t *)"SSH-2.0-a\0b\r\n", 13, &used),
                     SK_VERSION_BAD_CHARACTER);
}

static void test_bounds(void **state)
{
    (void)state;
    sk_version_parser p;
    size_t used;
    char *line = malloc(SK_VERSION_LINE_MAX + 10);
    memset(line, 'a', SK_VERSION_LINE_MAX + 9);
    line[SK_VERSION_LINE_MAX + 9] = '\0';
    sk_version_init(&p, true);
    assert_int_equal(feed_all(&p, line, &used), SK_VERSION_TOO_LONG);

    /* A version line over 255 bytes with its CR LF. */
    memcpy(line, "SSH-2.0-", 8);
    line[254] = '\r';
    line[255] = '\n';
    line[256] = '\0';
    sk_version_init(&p, true);
    assert_int_equal(feed_all(&p, line, &used), SK_VERSION_TOO_LONG);
    line[253] = '\r';
    line[254] = '\n';
    line[255] = '\0';
    sk_version_init(&p, true);
    assert_int_equal(feed_all(&p, line, &used), SK_VERSION_OK);
    free(line);

    sk_version_init(&p, true);
    sk_version_status s = SK_VERSION_NEED_MORE;
    for (int i = 0; i <= SK_VERSION_MAX_LINES && s == SK_VERSION_NEED_MORE; i++)
        s = feed_all(&p, "banner\r\n", &used);
    assert_int_equal(s, SK_VERSION_TOO_MANY_LINES);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_version_line),
        cmocka_unit_test(test_byte_at_a_time_and_bare_lf),
        cmocka_unit_test(test_server_lines_before_version),
        cmocka_unit_test(test_client_may_not_send_lines_first),
        cmocka_unit_test(test_http_server_then_close),
        cmocka_unit_test(test_protocol_1_refused),
        cmocka_unit_test(test_binary_garbage),
        cmocka_unit_test(test_bounds),
    };
    return cmocka_run_group_tests_name("version", tests, NULL, NULL);
}
