/* Unit tests for authorized_keys lines. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sshkit/authorized_keys.h>
#include <sshkit/error.h>

static const char key[] =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF+EI24ZrWmZX1U/K3JoD2gyvhilbsM05fcs95pQrySi";

static sshkit_authorized_key *parse_ok(const char *options, const char *comment)
{
    char line[1024];
    snprintf(line, sizeof line, "%s%s%s", options, key, comment);
    sshkit_authorized_key *ak;
    assert_int_equal(sshkit_authorized_key_parse(line, strlen(line), &ak), 0);
    assert_int_equal(sshkit_key_get_type(sshkit_authorized_key_get_key(ak)), SSHKIT_KEY_ED25519);
    return ak;
}

static int parse_err(const char *options, const char *comment)
{
    char line[1024];
    snprintf(line, sizeof line, "%s%s%s", options, key, comment);
    sshkit_authorized_key *ak = (sshkit_authorized_key *)1;
    int rc = sshkit_authorized_key_parse(line, strlen(line), &ak);
    assert_null(ak);
    return rc;
}

static void assert_option(const sshkit_authorized_key *ak, size_t i, const char *name, const char *value)
{
    const char *n, *v;
    assert_int_equal(sshkit_authorized_key_option(ak, i, &n, &v), 0);
    assert_string_equal(n, name);
    if (value == NULL)
        assert_null(v);
    else
        assert_string_equal(v, value);
}

static void test_no_options(void **state)
{
    (void)state;
    sshkit_authorized_key *ak = parse_ok("", " me@host with spaces\n");
    assert_int_equal(sshkit_authorized_key_option_count(ak), 0);
    assert_string_equal(sshkit_authorized_key_comment(ak), "me@host with spaces");
    assert_int_equal(sshkit_authorized_key_option(ak, 0, NULL, NULL), SSHKIT_E_NOT_FOUND);
    sshkit_authorized_key_free(ak);
    ak = parse_ok("  \t", "\r\n");
    assert_string_equal(sshkit_authorized_key_comment(ak), "");
    sshkit_authorized_key_free(ak);
}

static void test_options(void **state)
{
    (void)state;
    sshkit_authorized_key *ak = parse_ok(
        "command=\"echo \\\"hi\\\" \\\\n\",no-pty,from=\"10.0.0.0/8,!10.1.*\","
        "environment=\"A=B\",PermitOpen=\"h:1\",permitopen=\"h:2\",empty=\"\" ",
        " comment");
    assert_int_equal(sshkit_authorized_key_option_count(ak), 7);
    assert_option(ak, 0, "command", "echo \"hi\" \\\\n");
    assert_option(ak, 1, "no-pty", NULL);
    assert_option(ak, 2, "from", "10.0.0.0/8,!10.1.*");
    assert_option(ak, 3, "environment", "A=B");
    assert_option(ak, 4, "PermitOpen", "h:1");
    assert_option(ak, 5, "permitopen", "h:2");
    assert_option(ak, 6, "empty", "");
    assert_string_equal(sshkit_authorized_key_comment(ak), "comment");

    assert_int_equal(sshkit_authorized_key_find_option(ak, "NO-PTY", 0), 1);
    assert_int_equal(sshkit_authorized_key_find_option(ak, "permitopen", 0), 4);
    assert_int_equal(sshkit_authorized_key_find_option(ak, "permitopen", 5), 5);
    assert_int_equal(sshkit_authorized_key_find_option(ak, "permitopen", 6), SSHKIT_E_NOT_FOUND);
    assert_int_equal(sshkit_authorized_key_find_option(ak, "restrict", 0), SSHKIT_E_NOT_FOUND);
    assert_int_equal(sshkit_authorized_key_find_option(ak, "from", 99), SSHKIT_E_NOT_FOUND);
    sshkit_authorized_key_free(ak);

    /* Blanks inside quotes do not end the options. */
    ak = parse_ok("command=\"a b\tc\" ", "");
    assert_option(ak, 0, "command", "a b\tc");
    sshkit_authorized_key_free(ak);
}

static void test_blank_and_comment_lines(void **state)
{
    (void)state;
    static const char *lines[] = { "", "\n", "   \t \r\n", "# comment", "  #ssh-ed25519 AAAA" };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        sshkit_authorized_key *ak;
        assert_int_equal(sshkit_authorized_key_parse(lines[i], strlen(lines[i]), &ak),
                         SSHKIT_E_NOT_FOUND);
        assert_null(ak);
    }
}

static void test_malformed(void **state)
{
    (void)state;
    assert_int_equal(parse_err("command=\"echo ", ""), SSHKIT_E_FORMAT);      /* unbalanced */
    assert_int_equal(parse_err("command=\"echo \\\" ", ""), SSHKIT_E_FORMAT);  /* escaped close */
    assert_int_equal(parse_err("command=echo ", ""), SSHKIT_E_FORMAT);        /* unquoted */
    assert_int_equal(parse_err("command= ", ""), SSHKIT_E_FORMAT);
    assert_int_equal(parse_err("no-pty,,no-agent-forwarding ", ""), SSHKIT_E_FORMAT);
    assert_int_equal(parse_err("no-pty, ", ""), SSHKIT_E_FORMAT);
    assert_int_equal(parse_err(",no-pty ", ""), SSHKIT_E_FORMAT);
    assert_int_equal(parse_err("no pty ", ""), SSHKIT_E_UNKNOWN_KEY_TYPE);     /* "pty" as a type */
    assert_int_equal(parse_err("command=\"x\"no-pty ", ""), SSHKIT_E_FORMAT);
    assert_int_equal(parse_err("no-pty ", "\nsecond line"), SSHKIT_E_FORMAT);
    assert_int_equal(parse_err("", "\rcomment"), SSHKIT_E_FORMAT);

    sshkit_authorized_key *ak;
    static const char only_options[] = "no-pty,command=\"x\"";
    assert_int_equal(sshkit_authorized_key_parse(only_options, strlen(only_options), &ak),
                     SSHKIT_E_FORMAT);
    static const char bad_type[] = "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIF+EI24ZrWmZX1U/K3JoD2gyvhilbsM05fcs95pQrySi";
    assert_int_equal(sshkit_authorized_key_parse(bad_type, strlen(bad_type), &ak), SSHKIT_E_FORMAT);
    static const char bad_b64[] = "no-pty ssh-ed25519 AAAA*AAA";
    assert_int_equal(sshkit_authorized_key_parse(bad_b64, strlen(bad_b64), &ak), SSHKIT_E_BASE64);
    static const char nul[] = "no-pty\0 ssh-ed25519";
    assert_int_equal(sshkit_authorized_key_parse(nul, sizeof nul - 1, &ak), SSHKIT_E_FORMAT);
    assert_int_equal(sshkit_authorized_key_parse(NULL, 0, &ak), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_authorized_key_parse("x", 1, NULL), SSHKIT_E_INVALID_ARGUMENT);
    sshkit_authorized_key_free(NULL);
}

static void test_option_cap(void **state)
{
    (void)state;
    char options[4096] = "";
    for (int i = 0; i <= SSHKIT_AUTHORIZED_KEY_MAX_OPTIONS; i++)
        strcat(options, i ? ",a" : "a");
    strcat(options, " ");
    assert_int_equal(parse_err(options, ""), SSHKIT_E_TOO_LARGE);
    options[strlen(options) - 3] = ' ';    /* one fewer: exactly the cap */
    options[strlen(options) - 2] = '\0';
    sshkit_authorized_key *ak = parse_ok(options, "");
    assert_int_equal(sshkit_authorized_key_option_count(ak), SSHKIT_AUTHORIZED_KEY_MAX_OPTIONS);
    sshkit_authorized_key_free(ak);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_options),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_blank_and_comment_lines),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_option_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
