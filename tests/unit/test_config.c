/* ssh_config (sshkit/config.h): Host and Match blocks, first value wins,
 * the final pass, Include (globs, blocks, loops, depth, permissions),
 * Match exec, and malformed lines reported with their file and line. */
#include "config_testutil.h"

static void test_first_value_wins(void **state)
{
    (void)state;
    const char *text =
        "# comments and blank lines are skipped\n"
        "\n"
        "Host web\n"
        "  HostName %h.example.COM\n"
        "  Port 2222\n"
        "  User alice\n"
        "Host *\n"
        "  Port 22\n"
        "  User nobody\n"
        "  BatchMode=yes\n"
        "  ConnectTimeout = 1m30s\n";
    sshkit_host_config *hc = resolve_text(text, "web");
    assert_value(hc, "host", "web");
    assert_value(hc, "HostName", "web.example.com");        /* %h, then lowercased */
    assert_value(hc, "port", "2222");
    assert_value(hc, "User", "alice");
    assert_value(hc, "batchmode", "yes");
    long long n;
    assert_int_equal(sshkit_host_config_number(hc, "ConnectTimeout", &n), 0);
    assert_int_equal(n, 90);
    assert_true(sshkit_host_config_is_set(hc, "Port"));
    assert_false(sshkit_host_config_is_set(hc, "Compression"));
    sshkit_host_config_free(hc);

    hc = resolve_text(text, "other");
    assert_value(hc, "HostName", "other");
    assert_value(hc, "Port", "22");
    assert_value(hc, "User", "nobody");
    sshkit_host_config_free(hc);
}

static void test_host_patterns(void **state)
{
    (void)state;
    const char *text =
        "Host *.example.com !secret.example.com\n"
        "  User pattern\n"
        "Host db? web\n"
        "  Port 1000\n"
        "Host WEB\n"
        "  Port 2000\n";
    sshkit_host_config *hc = resolve_text(text, "a.example.com");
    assert_value(hc, "User", "pattern");
    sshkit_host_config_free(hc);
    hc = resolve_text(text, "secret.example.com");          /* the negation vetoes */
    assert_false(sshkit_host_config_is_set(hc, "User"));
    sshkit_host_config_free(hc);
    hc = resolve_text(text, "db1");
    assert_value(hc, "Port", "1000");
    sshkit_host_config_free(hc);
    hc = resolve_text(text, "db12");
    assert_value(hc, "Port", "22");
    sshkit_host_config_free(hc);
    hc = resolve_text(text, "WEB");                         /* Host compares case-sensitively */
    assert_value(hc, "Port", "2000");
    assert_value(hc, "HostName", "web");
    sshkit_host_config_free(hc);
}

static void test_match_criteria(void **state)
{
    (void)state;
    char text[1024], user[256];
    /* The local user's name as the library sees it: %u of a token. */
    sshkit_host_config *hc = resolve_text("Host *\n", "x");
    char *me = NULL;
    assert_int_equal(sshkit_host_config_expand(hc, "%u", &me), 0);
    snprintf(user, sizeof user, "%s", me);
    sshkit_free(me, 0);
    sshkit_host_config_free(hc);

    snprintf(text, sizeof text,
             "Host alias\n"
             "  HostName Real.Example.Org\n"
             "Match host real.example.org originalhost ALIAS\n"
             "  Port 1111\n"
             "Match user bob\n"
             "  Ciphers aes128-ctr\n"
             "Match !user bob localuser %s\n"
             "  MACs hmac-sha2-512\n"
             "Match localuser nosuchuser\n"
             "  Compression yes\n"
             "Match all\n"
             "  ServerAliveCountMax 9\n"
             "Match !all\n"
             "  ServerAliveCountMax 1\n", user);
    hc = resolve_text(text, "alias");
    assert_value(hc, "Port", "1111");
    assert_value(hc, "HostName", "real.example.org");
    assert_value(hc, "MACs", "hmac-sha2-512");
    assert_value(hc, "Compression", "no");
    assert_value(hc, "ServerAliveCountMax", "9");
    assert_false(sshkit_host_config_is_set(hc, "Ciphers"));
    sshkit_host_config_free(hc);

    /* The user given before the files is what "Match user" sees. */
    sshkit_config *cfg = new_config();
    assert_int_equal(sshkit_config_add_option(cfg, "User=bob"), 0);
    assert_int_equal(sshkit_config_load_text(cfg, "cfg", text, strlen(text), 0), 0);
    assert_int_equal(sshkit_config_resolve(cfg, "alias", &hc), 0);
    assert_value(hc, "Ciphers", "aes128-ctr");
    assert_value(hc, "MACs", "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,"
                             "hmac-sha2-256,hmac-sha2-512");
    sshkit_host_config_free(hc);
    sshkit_config_free(cfg);
}

/* Counts the commands run, and says 0 for those that start with "yes". */
static int count_exec(void *user, const char *command)
{
    char *log = user;
    strcat(log, command);
    strcat(log, ";");
    return strncmp(command, "yes", 3) == 0 ? 0 : 1;
}

static int failing_exec(void *user, const char *command)
{
    (void)user;
    (void)command;
    return SSHKIT_E_IO;
}

static void test_match_exec(void **state)
{
    (void)state;
    /* Through the shell, with tokens. */
    const char *text =
        "Host h\n"
        "  Port 2200\n"
        "Match exec true\n"
        "  User viatrue\n"
        "Match exec false\n"
        "  Ciphers aes128-ctr\n"
        "Match exec \"test %h:%p:%n = h:2200:h\"\n"
        "  MACs hmac-sha2-256\n"
        "Match !exec \"exit 3\"\n"
        "  Compression yes\n";
    sshkit_host_config *hc = resolve_text(text, "h");
    assert_value(hc, "User", "viatrue");
    assert_false(sshkit_host_config_is_set(hc, "Ciphers"));
    assert_value(hc, "MACs", "hmac-sha2-256");
    assert_value(hc, "Compression", "yes");
    sshkit_host_config_free(hc);

    /* An exec after a criterion that failed is not run. */
    static char ran[512];
    ran[0] = '\0';
    sshkit_config *cfg = new_config();
    const char *skip = "Match host nomatch exec \"yes 1\"\n  Port 1\n"
                       "Match host h exec \"yes %h %r\"\n  Port 2\n";
    assert_int_equal(sshkit_config_add_option(cfg, "User root2"), 0);
    assert_int_equal(sshkit_config_load_text(cfg, "cfg", skip, strlen(skip), 0), 0);
    sshkit_config_set_exec(cfg, count_exec, ran);
    assert_int_equal(sshkit_config_resolve(cfg, "h", &hc), 0);
    assert_string_equal(ran, "yes h root2;");
    assert_value(hc, "Port", "2");
    sshkit_host_config_free(hc);

    /* A command that cannot run fails the resolution, naming the line. */
    sshkit_config_set_exec(cfg, failing_exec, NULL);
    assert_int_equal(sshkit_config_resolve(cfg, "h", &hc), SSHKIT_E_IO);
    assert_null(hc);
    assert_non_null(strstr(sshkit_config_last_error(cfg), "cfg line 3: match exec"));
    sshkit_config_free(cfg);
}

static void test_final_pass(void **state)
{
    (void)state;
    const char *text =
        "Host short\n"
        "  HostName long.example.com\n"
        "Match final host long.example.com\n"
        "  User late\n"
        "  SendEnv ONCE\n"
        "Host long.example.com\n"                   /* matches in the second pass only */
        "  Port 2022\n"
        "Match canonical\n"
        "  Compression yes\n";
    sshkit_host_config *hc = resolve_text(text, "short");
    assert_value(hc, "User", "late");
    assert_value(hc, "Port", "2022");
    assert_value(hc, "Compression", "yes");
    assert_int_equal(sshkit_host_config_count(hc, "SendEnv"), 1);
    sshkit_host_config_free(hc);

    /* Without "Match final" or CanonicalizeHostname there is one pass:
     * canonical never matches. */
    hc = resolve_text("Match canonical\n  Compression yes\n", "h");
    assert_value(hc, "Compression", "no");
    sshkit_host_config_free(hc);
    hc = resolve_text("CanonicalizeHostname yes\nMatch canonical\n  Compression yes\n", "h");
    assert_value(hc, "Compression", "yes");
    sshkit_host_config_free(hc);
}

static void test_include(void **state)
{
    (void)state;
    char dir[300];
    snprintf(dir, sizeof dir, "%s/.ssh/conf.d", home);
    assert_int_equal(mkdir(dir, 0755), 0);
    put_file(".ssh/conf.d/20-b.conf", "Port 2020\nUser from-b\n");
    put_file(".ssh/conf.d/10-a.conf", "Host inc\n  Port 1010\nMatch all\n");
    put_file(".ssh/inblock.conf", "Compression yes\nHost *\n  BatchMode yes\n");
    const char *main_text =
        "Include conf.d/*.conf\n"                   /* relative to ~/.ssh, sorted */
        "Host nothing\n"
        "  Include inblock.conf\n"                  /* read, but nothing applies */
        "Host *\n"
        "  Include ~/.ssh/nomatch-*.conf\n"         /* no file: no error */
        "  User from-main\n";
    const char *path = put_file(".ssh/main.conf", main_text);
    sshkit_config *cfg = new_config();
    assert_int_equal(sshkit_config_load_file(cfg, path, SSHKIT_CONFIG_USER), 0);
    sshkit_host_config *hc = NULL;
    assert_int_equal(sshkit_config_resolve(cfg, "inc", &hc), 0);
    assert_value(hc, "Port", "1010");
    assert_value(hc, "User", "from-b");
    assert_value(hc, "Compression", "no");
    assert_value(hc, "BatchMode", "no");
    sshkit_host_config_free(hc);
    assert_int_equal(sshkit_config_resolve(cfg, "other", &hc), 0);
    assert_value(hc, "Port", "2020");
    sshkit_host_config_free(hc);
    assert_non_null(strstr(messages, "matched no files"));
    sshkit_config_free(cfg);

    /* A system file may not use '~' in Include. */
    cfg = new_config();
    const char *sys = "Include ~/.ssh/x\n";
    assert_int_equal(sshkit_config_load_text(cfg, "sys", sys, strlen(sys), 0), SSHKIT_E_FORMAT);
    assert_string_equal(sshkit_config_last_error(cfg), "sys line 1: bad include path ~/.ssh/x.");
    sshkit_config_free(cfg);
}

static void test_include_loops(void **state)
{
    (void)state;
    put_file(".ssh/loop-a.conf", "Port 1\nInclude loop-b.conf\n");
    const char *b = put_file(".ssh/loop-b.conf", "\nHost *\n  Include loop-a.conf\n");
    char b_path[512];
    snprintf(b_path, sizeof b_path, "%s", b);
    sshkit_config *cfg = new_config();
    char path[512];
    snprintf(path, sizeof path, "%s/.ssh/loop-a.conf", home);
    assert_int_equal(sshkit_config_load_file(cfg, path, SSHKIT_CONFIG_USER), SSHKIT_E_FORMAT);
    char want[1200];
    snprintf(want, sizeof want, "%s line 3: Include loop: %s is already being read", b_path, path);
    assert_string_equal(sshkit_config_last_error(cfg), want);
    /* Nothing of a failed file is kept. */
    sshkit_host_config *hc = NULL;
    assert_int_equal(sshkit_config_resolve(cfg, "h", &hc), 0);
    assert_value(hc, "Port", "22");
    sshkit_host_config_free(hc);
    sshkit_config_free(cfg);

    /* A chain deeper than 16 files. */
    for (int i = 0; i < 20; i++) {
        char name[64], text[64];
        snprintf(name, sizeof name, ".ssh/deep%d.conf", i);
        snprintf(text, sizeof text, "Include deep%d.conf\n", i + 1);
        put_file(name, text);
    }
    cfg = new_config();
    snprintf(path, sizeof path, "%s/.ssh/deep0.conf", home);
    assert_int_equal(sshkit_config_load_file(cfg, path, SSHKIT_CONFIG_USER), SSHKIT_E_FORMAT);
    assert_non_null(strstr(sshkit_config_last_error(cfg),
                           "line 1: Too many recursive configuration includes"));
    sshkit_config_free(cfg);
}

static void test_permissions(void **state)
{
    (void)state;
    const char *path = put_file(".ssh/config", "Port 4444\n");
    sshkit_config *cfg = new_config();
    assert_int_equal(sshkit_config_load_default(cfg), 0);
    sshkit_config_free(cfg);
    assert_int_equal(chmod(path, 0664), 0);
    cfg = new_config();
    assert_int_equal(sshkit_config_load_default(cfg), SSHKIT_E_FORMAT);
    char want[600];
    snprintf(want, sizeof want, "Bad owner or permissions on %s", path);
    assert_string_equal(sshkit_config_last_error(cfg), want);
    sshkit_config_free(cfg);
    unlink(path);

    /* An included file is always checked. */
    const char *inc = put_file(".ssh/writable.conf", "Port 1\n");
    assert_int_equal(chmod(inc, 0666), 0);
    cfg = new_config();
    const char *text = "Include writable.conf\n";
    assert_int_equal(sshkit_config_load_text(cfg, "t", text, strlen(text), SSHKIT_CONFIG_USER),
                     SSHKIT_E_FORMAT);
    sshkit_config_free(cfg);

    /* -F's file is not, and a missing one is an error unless optional. */
    cfg = new_config();
    assert_int_equal(sshkit_config_load_file(cfg, inc, SSHKIT_CONFIG_USER), 0);
    assert_int_equal(sshkit_config_load_file(cfg, "/nonexistent/sshkit", 0), SSHKIT_E_NOT_FOUND);
    assert_string_equal(sshkit_config_last_error(cfg), "Can't open user config file "
                        "/nonexistent/sshkit: No such file or directory");
    assert_int_equal(sshkit_config_load_file(cfg, "/nonexistent/sshkit", SSHKIT_CONFIG_OPTIONAL), 0);
    sshkit_config_free(cfg);
}

/* Every malformed line is reported with its file and line; the first is
 * the error; the file is not kept. */
static void test_malformed(void **state)
{
    (void)state;
    const char *text =
        "Port 22\n"
        "Port abc\n"
        "BatchMode maybe\n"
        "Host\n"
        "Match host\n"
        "User \"open\n"
        "NoSuchKeyword yes\n"
        "LocalForward 8080\n"
        "Port 1 2\n"
        "Match all host x\n";
    sshkit_config *cfg = new_config();
    assert_int_equal(sshkit_config_load_text(cfg, "bad.conf", text, strlen(text), 0),
                     SSHKIT_E_FORMAT);
    assert_string_equal(sshkit_config_last_error(cfg), "bad.conf line 2: Bad port 'abc'.");
    static const char *const want[] = {
        "0 bad.conf line 3: unsupported option \"maybe\".",
        "0 bad.conf line 4: no argument after keyword \"host\"",
        "0 bad.conf line 5: Missing Match criteria for host",
        "0 bad.conf line 6: invalid quotes",
        "2 bad.conf line 7: Ignored unknown option \"nosuchkeyword\"",
        "0 bad.conf line 8: Missing target argument.",
        "0 bad.conf line 9: keyword port extra arguments at end of line",
        "0 bad.conf line 10: 'all' cannot be combined with other Match attributes",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (strstr(messages, want[i]) == NULL)
            fail_msg("missing \"%s\" in:\n%s", want[i], messages);
    sshkit_host_config *hc = NULL;
    assert_int_equal(sshkit_config_resolve(cfg, "x", &hc), 0);
    assert_false(sshkit_host_config_is_set(hc, "Port"));
    sshkit_host_config_free(hc);

    /* On the command line an unknown keyword is an error, and Host, Match
     * and Include are refused. */
    assert_int_equal(sshkit_config_add_option(cfg, "NoSuchKeyword=yes"), SSHKIT_E_FORMAT);
    assert_string_equal(sshkit_config_last_error(cfg),
                        "command-line: line 0: Bad configuration option: nosuchkeyword");
    assert_int_equal(sshkit_config_add_option(cfg, "IgnoreUnknown nosuch*"), 0);
    assert_int_equal(sshkit_config_add_option(cfg, "NoSuchKeyword=yes"), 0);
    assert_int_equal(sshkit_config_add_option(cfg, "Match all"), SSHKIT_E_FORMAT);
    assert_int_equal(sshkit_config_add_option(cfg, "Include x"), SSHKIT_E_FORMAT);
    assert_int_equal(sshkit_config_add_option(cfg, "Port=0"), SSHKIT_E_FORMAT);
    assert_string_equal(sshkit_config_last_error(cfg), "command-line line 0: Bad port '0'.");
    assert_int_equal(sshkit_config_add_option(cfg, "Port=2"), 0);
    assert_int_equal(sshkit_config_resolve(cfg, "x", &hc), 0);
    assert_value(hc, "Port", "2");
    sshkit_host_config_free(hc);
    sshkit_config_free(cfg);
}

static void test_arguments(void **state)
{
    (void)state;
    sshkit_config *cfg = NULL;
    sshkit_host_config *hc = NULL;
    assert_int_equal(sshkit_config_new(NULL), SSHKIT_E_INVALID_ARGUMENT);
    sshkit_config_free(NULL);
    sshkit_host_config_free(NULL);
    cfg = new_config();
    assert_int_equal(sshkit_config_set_home(cfg, "relative"), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_config_resolve(cfg, "", &hc), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_config_resolve(cfg, NULL, &hc), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_config_load_text(cfg, "empty", "", 0, 0), 0);
    sshkit_config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_value_wins),
        cmocka_unit_test(test_host_patterns),
        cmocka_unit_test(test_match_criteria),
        cmocka_unit_test(test_match_exec),
        cmocka_unit_test(test_final_pass),
        cmocka_unit_test(test_include),
        cmocka_unit_test(test_include_loops),
        cmocka_unit_test(test_permissions),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_arguments),
    };
    return cmocka_run_group_tests(tests, make_home, remove_home);
}
