/* Unit tests for public key text: OpenSSH's one-line form, RFC 4716, files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sshkit/error.h>
#include <sshkit/key.h>

static const char ed_b64[] = "AAAAC3NzaC1lZDI1NTE5AAAAIF+EI24ZrWmZX1U/K3JoD2gyvhilbsM05fcs95pQrySi";
static const char ed_fp[] = "SHA256:OomryviWSX3iQoXvfKmFAurh8B6+dwMWm3LaYqMNDuI";

/* The P-521 key as ssh-keygen -e printed it (the comment aside). */
static const char p521_rfc4716[] =
    "---- BEGIN SSH2 PUBLIC KEY ----\n"
    "Comment: \"fixture p521\"\n"
    "AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBADjYyoEUDGs5bytct\n"
    "T4ztuOXvIS3QHBn9oyhtrsDEIWQUGA+8tAs4ddxNsufu4BEzNwlLIuUvsGloz2TY1dq6gE\n"
    "wgEaMpgQ6rJrSK8KfKMU6FyBNnOOJFySxu+UECpMrJcBTPVqp8ooFXCLl2eiFGvCAsY+qo\n"
    "I/7lx+NhScColX94huUQ==\n"
    "---- END SSH2 PUBLIC KEY ----\n";
static const char p521_fp[] = "SHA256:AiLZBvEyQUPgY5LEjejuZNYIvB1GCUwCGQaDP9WcCR4";

static sshkit_key *parse_ok(const char *text)
{
    sshkit_key *key;
    assert_int_equal(sshkit_key_parse_public(text, strlen(text), &key), 0);
    return key;
}

static void assert_fp(const sshkit_key *key, const char *want)
{
    char *fp;
    assert_int_equal(sshkit_key_fingerprint(key, SSHKIT_FP_SHA256, &fp), 0);
    assert_string_equal(fp, want);
    sshkit_free(fp, 0);
}

static void assert_parse_fails(const char *text, int want)
{
    sshkit_key *key = (sshkit_key *)1;
    assert_int_equal(sshkit_key_parse_public(text, strlen(text), &key), want);
    assert_null(key);
}

static void test_one_line_forms(void **state)
{
    (void)state;
    char text[512];
    struct { const char *before, *after, *comment; } forms[] = {
        { "ssh-ed25519 ", "", "" },
        { "ssh-ed25519 ", "\n", "" },
        { "ssh-ed25519 ", " \r\n", "" },
        { "  \tssh-ed25519\t", " a comment with  spaces\n", "a comment with  spaces" },
        { "ssh-ed25519 ", " trailing blanks kept  \r\nssh-rsa second line", "trailing blanks kept  " },
        { "# a comment line\n\n   \nssh-ed25519 ", " me@host", "me@host" },
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        snprintf(text, sizeof text, "%s%s%s", forms[i].before, ed_b64, forms[i].after);
        sshkit_key *key = parse_ok(text);
        assert_false(sshkit_key_is_private(key));
        assert_int_equal(sshkit_key_get_type(key), SSHKIT_KEY_ED25519);
        assert_string_equal(sshkit_key_comment(key), forms[i].comment);
        assert_fp(key, ed_fp);
        sshkit_key_free(key);
    }
}

static void test_format_public(void **state)
{
    (void)state;
    char line[256], *text;
    snprintf(line, sizeof line, "ssh-ed25519 %s some one@host", ed_b64);
    sshkit_key *key = parse_ok(line);
    assert_int_equal(sshkit_key_format_public(key, &text), 0);
    assert_string_equal(text, line);
    sshkit_free(text, 0);
    assert_int_equal(sshkit_key_set_comment(key, NULL), 0);
    assert_int_equal(sshkit_key_format_public(key, &text), 0);
    snprintf(line, sizeof line, "ssh-ed25519 %s", ed_b64);
    assert_string_equal(text, line);
    sshkit_free(text, 0);
    sshkit_key_free(key);
}

static void test_one_line_errors(void **state)
{
    (void)state;
    char text[512];
    assert_parse_fails("", SSHKIT_E_FORMAT);
    assert_parse_fails("# only a comment\n\n", SSHKIT_E_FORMAT);
    assert_parse_fails("ssh-ed25519", SSHKIT_E_FORMAT);
    assert_parse_fails("ssh-ed25519   \n", SSHKIT_E_FORMAT);
    snprintf(text, sizeof text, "ssh-dss %s", ed_b64);
    assert_parse_fails(text, SSHKIT_E_UNKNOWN_KEY_TYPE);
    /* The type word must match the blob's type. */
    snprintf(text, sizeof text, "ssh-rsa %s", ed_b64);
    assert_parse_fails(text, SSHKIT_E_FORMAT);
    snprintf(text, sizeof text, "ecdsa-sha2-nistp256 %s", ed_b64);
    assert_parse_fails(text, SSHKIT_E_FORMAT);
    assert_parse_fails("ssh-ed25519 AAAA$AAA", SSHKIT_E_BASE64);
    assert_parse_fails("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF+EI24Zr", SSHKIT_E_BASE64);
    assert_parse_fails("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF+EI24Z", SSHKIT_E_TRUNCATED);
    /* A blob of a type sshkit does not know. */
    assert_parse_fails("ssh-ed25519 AAAAB3NzaC1kc3MAAAAA", SSHKIT_E_UNKNOWN_KEY_TYPE);
    /* A NUL in the comment. */
    snprintf(text, sizeof text, "ssh-ed25519 %s ab", ed_b64);
    size_t len = strlen(text);
    text[len - 1] = '\0';
    sshkit_key *key;
    assert_int_equal(sshkit_key_parse_public(text, len, &key), SSHKIT_E_FORMAT);
    assert_int_equal(sshkit_key_parse_public(NULL, 3, &key), SSHKIT_E_INVALID_ARGUMENT);
}

static void test_rfc4716_parse(void **state)
{
    (void)state;
    sshkit_key *key = parse_ok(p521_rfc4716);
    assert_int_equal(sshkit_key_get_type(key), SSHKIT_KEY_ECDSA_P521);
    assert_string_equal(sshkit_key_comment(key), "fixture p521");
    assert_fp(key, p521_fp);
    char *text;
    assert_int_equal(sshkit_key_format_public_rfc4716(key, &text), 0);
    assert_string_equal(text, p521_rfc4716);
    sshkit_free(text, 0);
    sshkit_key_free(key);

    /* RFC 4716 section 3.6's style: other headers, continuation lines,
     * CRLF, an unquoted comment. */
    char buf[1024];
    snprintf(buf, sizeof buf,
             "\n---- BEGIN SSH2 PUBLIC KEY ----\r\n"
             "Subject: me\r\n"
             "x-private: a long header that is \\\r\n"
             "continued\r\n"
             "comment: split \\\r\n"
             "across lines\r\n"
             "%.30s\r\n%s\r\n"
             "---- END SSH2 PUBLIC KEY ----\r\n", ed_b64, ed_b64 + 30);
    key = parse_ok(buf);
    assert_string_equal(sshkit_key_comment(key), "split across lines");
    assert_fp(key, ed_fp);
    sshkit_key_free(key);
}

static void test_rfc4716_errors(void **state)
{
    (void)state;
    char buf[1024];
    snprintf(buf, sizeof buf, "---- BEGIN SSH2 PUBLIC KEY ----\n%s\n", ed_b64);
    assert_parse_fails(buf, SSHKIT_E_FORMAT);     /* no END line */
    assert_parse_fails("---- BEGIN SSH2 PUBLIC KEY ----\n---- END SSH2 PUBLIC KEY ----\n",
                       SSHKIT_E_FORMAT);          /* no body */
    snprintf(buf, sizeof buf, "---- BEGIN SSH2 PUBLIC KEY ----\nComment: \\\n%s\n"
             "---- END SSH2 PUBLIC KEY ----\n", ed_b64);
    assert_parse_fails(buf, SSHKIT_E_FORMAT);     /* the body swallowed by a continuation */
    snprintf(buf, sizeof buf, "---- BEGIN SSH2 PUBLIC KEY ----\n%s\n!!\n"
             "---- END SSH2 PUBLIC KEY ----\n", ed_b64);
    assert_parse_fails(buf, SSHKIT_E_BASE64);
    snprintf(buf, sizeof buf, "---- BEGIN SSH2 PUBLIC KEY ----\n"
             "%065d: x\n%s\n---- END SSH2 PUBLIC KEY ----\n", 0, ed_b64);
    assert_parse_fails(buf, SSHKIT_E_FORMAT);     /* tag over 64 bytes */
}

/* Long comments are split into lines of at most 72 bytes and read back whole;
 * a key without a comment gets "<bits>-bit <TYPE>". */
static void test_rfc4716_long_and_missing_comment(void **state)
{
    (void)state;
    sshkit_key *key, *back;
    char *text, comment[301];
    assert_int_equal(sshkit_key_generate(SSHKIT_KEY_ECDSA_P384, 0, &key), 0);
    assert_int_equal(sshkit_key_format_public_rfc4716(key, &text), 0);
    assert_non_null(strstr(text, "\nComment: \"384-bit ECDSA\"\n"));
    sshkit_free(text, 0);

    for (size_t i = 0; i < 300; i++)
        comment[i] = (char)('a' + i % 26);
    comment[300] = '\0';
    assert_int_equal(sshkit_key_set_comment(key, comment), 0);
    assert_int_equal(sshkit_key_format_public_rfc4716(key, &text), 0);
    for (char *line = text; *line; ) {
        size_t n = strcspn(line, "\n");
        assert_true(n <= 72);
        line += n + 1;
    }
    assert_int_equal(sshkit_key_parse_public(text, strlen(text), &back), 0);
    assert_string_equal(sshkit_key_comment(back), comment);
    assert_true(sshkit_key_equal(key, back));
    sshkit_free(text, 0);
    sshkit_key_free(back);
    sshkit_key_free(key);
}

static void test_round_trip_every_type(void **state)
{
    (void)state;
    static const sshkit_key_type types[] = {
        SSHKIT_KEY_ED25519, SSHKIT_KEY_ECDSA_P256, SSHKIT_KEY_ECDSA_P384, SSHKIT_KEY_ECDSA_P521,
        SSHKIT_KEY_RSA,
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        sshkit_key *key, *a, *b;
        char *line, *rfc;
        assert_int_equal(sshkit_key_generate(types[i], 2048, &key), 0);
        assert_int_equal(sshkit_key_set_comment(key, "round trip"), 0);
        assert_int_equal(sshkit_key_format_public(key, &line), 0);
        assert_int_equal(sshkit_key_format_public_rfc4716(key, &rfc), 0);
        assert_int_equal(sshkit_key_parse_public(line, strlen(line), &a), 0);
        assert_int_equal(sshkit_key_parse_public(rfc, strlen(rfc), &b), 0);
        assert_true(sshkit_key_equal(key, a));
        assert_true(sshkit_key_equal(key, b));
        assert_string_equal(sshkit_key_comment(a), "round trip");
        assert_string_equal(sshkit_key_comment(b), "round trip");
        sshkit_free(line, 0);
        sshkit_free(rfc, 0);
        sshkit_key_free(a);
        sshkit_key_free(b);
        sshkit_key_free(key);
    }
}

static void test_load_public(void **state)
{
    (void)state;
    char path[] = "/tmp/sshkit_test_key_text_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "ssh-ed25519 %s first\nssh-ed25519 %s second\n", ed_b64, ed_b64);
    fclose(f);
    sshkit_key *key;
    assert_int_equal(sshkit_key_load_public(path, &key), 0);
    assert_string_equal(sshkit_key_comment(key), "first");
    sshkit_key_free(key);
    remove(path);
    assert_int_equal(sshkit_key_load_public(path, &key), SSHKIT_E_IO);
    assert_null(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_line_forms),
        cmocka_unit_test(test_format_public),
        cmocka_unit_test(test_one_line_errors),
        cmocka_unit_test(test_rfc4716_parse),
        cmocka_unit_test(test_rfc4716_errors),
        cmocka_unit_test(test_rfc4716_long_and_missing_comment),
        cmocka_unit_test(test_round_trip_every_type),
        cmocka_unit_test(test_load_public),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
