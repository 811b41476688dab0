/* sshkit-sshd's configuration parser (tools/sshd/config*.c) and its
 * patterns (tools/sshd/match.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config.h"
#include "match.h"

static char last_error[1024];

static void report(void *ctx, const char *message)
{
    (*(int *)ctx)++;
    snprintf(last_error, sizeof last_error, "%s", message);
}

/* Parses lines (NULL-terminated) as a file named "cfg" would be. */
static int parse(struct sshd_config *cfg, const char *const *lines)
{
    int errors = 0;
    last_error[0] = '\0';
    for (unsigned i = 0; lines[i]; i++)
        config_parse_line(cfg, lines[i], "cfg", i + 1, report, &errors);
    return errors;
}

static void test_values(void **state)
{
    (void)state;
    assert_int_equal(config_parse_flag("YES"), 1);
    assert_int_equal(config_parse_flag("no"), 0);
    assert_int_equal(config_parse_flag("maybe"), -1);
    assert_int_equal(config_parse_time("90"), 90);
    assert_int_equal(config_parse_time("1m30s"), 90);
    assert_int_equal(config_parse_time("2h"), 7200);
    assert_int_equal(config_parse_time("1w1d"), 8 * 86400);
    assert_int_equal(config_parse_time(""), -1);
    assert_int_equal(config_parse_time("5x"), -1);
    assert_int_equal(config_parse_time("-5"), -1);
    assert_int_equal(config_parse_time("99999999999"), -1);
    assert_int_equal(config_parse_size("64K"), 65536);
    assert_int_equal(config_parse_size("1G"), 1073741824);
    assert_int_equal(config_parse_size("100"), 100);
    assert_int_equal(config_parse_size("1Q"), -1);
    assert_int_equal(config_parse_size("1KB"), -1);
    assert_int_equal(config_parse_log_level("debug"), SSHD_LOG_DEBUG1);
    assert_int_equal(config_parse_log_level("DEBUG3"), SSHD_LOG_DEBUG3);
    assert_int_equal(config_parse_log_level("LOUD"), -1);
    assert_int_equal(config_session_log_level(SSHD_LOG_INFO), SSHKIT_LOG_ERROR);
    assert_int_equal(config_session_log_level(SSHD_LOG_DEBUG3), SSHKIT_LOG_TRACE);
    assert_int_equal(config_parse_port("22"), 22);
    assert_int_equal(config_parse_port("0"), -1);
    assert_int_equal(config_parse_port("65536"), -1);
    assert_int_equal(config_parse_port("22x"), -1);
}

static void test_max_startups(void **state)
{
    (void)state;
    int b, r, f;
    assert_int_equal(config_parse_max_startups("10:30:100", &b, &r, &f), 0);
    assert_int_equal(b, 10);
    assert_int_equal(r, 30);
    assert_int_equal(f, 100);
    assert_int_equal(config_parse_max_startups("5", &b, &r, &f), 0);
    assert_int_equal(b, 5);
    assert_int_equal(r, 100);
    assert_int_equal(f, 5);
    assert_int_equal(config_parse_max_startups("0", &b, &r, &f), -1);
    assert_int_equal(config_parse_max_startups("10:30:5", &b, &r, &f), -1);
    assert_int_equal(config_parse_max_startups("10:101:20", &b, &r, &f), -1);
    assert_int_equal(config_parse_max_startups("10:30", &b, &r, &f), -1);
}

static void check_listen(const char *s, const char *host, unsigned port)
{
    struct listen_addr a;
    assert_int_equal(config_parse_listen(s, &a), 0);
    assert_string_equal(a.host, host);
    assert_int_equal(a.port, port);
    free(a.host);
}

static void test_listen(void **state)
{
    (void)state;
    struct listen_addr a;
    check_listen("127.0.0.1", "127.0.0.1", 0);
    check_listen("127.0.0.1:2222", "127.0.0.1", 2222);
    check_listen("[::1]:22", "::1", 22);
    check_listen("[::1]", "::1", 0);
    check_listen("::1", "::1", 0);
    check_listen("localhost:80", "localhost", 80);
    assert_int_equal(config_parse_listen("host:0", &a), -1);
    assert_int_equal(config_parse_listen("[::1", &a), -1);
    assert_int_equal(config_parse_listen("[::1]x", &a), -1);
    assert_int_equal(config_parse_listen(":22", &a), -1);
}

static void test_syntax(void **state)
{
    (void)state;
    struct sshd_config cfg;
    config_init(&cfg);
    const char *lines[] = { "# a comment", "", "   ", "port 2222", "Port=2223",
                            "PORT = 2224", "ListenAddress 127.0.0.1:22 # trailing",
                            "AuthorizedKeysFile \"%h/my keys\" .ssh/other", NULL };
    assert_int_equal(parse(&cfg, lines), 0);
    assert_int_equal(cfg.port_count, 3);
    assert_int_equal(cfg.ports[0], 2222);
    assert_int_equal(cfg.ports[2], 2224);
    assert_int_equal(cfg.listen_count, 1);
    assert_int_equal(cfg.authorized_keys.n, 2);
    assert_string_equal(cfg.authorized_keys.v[0], "%h/my keys");
    config_free(&cfg);
}

static void expect_error(const char *line, unsigned lineno_wanted, const char *text)
{
    struct sshd_config cfg;
    int errors = 0;
    char where[32];
    config_init(&cfg);
    if (config_parse_line(&cfg, line, "cfg", lineno_wanted, report, &errors) != -1)
        fail_msg("'%s' was accepted", line);
    assert_int_equal(errors, 1);
    snprintf(where, sizeof where, "cfg: line %u: ", lineno_wanted);
    assert_non_null(strstr(last_error, where));
    if (strstr(last_error, text) == NULL)
        fail_msg("'%s' does not say '%s'", last_error, text);
    config_free(&cfg);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("Bogus yes", 7, "Bad configuration option: Bogus");
    expect_error("Match User alice", 3, "Match is not supported");
    expect_error("Include /etc/ssh/sshd_config.d/*", 3, "Include is not supported");
    expect_error("Port", 2, "missing argument");
    expect_error("Port 22 23", 2, "garbage at end of line");
    expect_error("Port none", 2, "port");
    expect_error("PasswordAuthentication maybe", 4, "unsupported option");
    expect_error("Ciphers nonesuch-cipher", 5, "Bad SSH2 cipher spec 'nonesuch-cipher'");
    expect_error("MACs +nonesuch", 5, "Bad SSH2 mac spec");
    expect_error("KexAlgorithms ^nonesuch", 5, "Bad SSH2 KexAlgorithms spec");
    expect_error("LoginGraceTime forever", 1, "invalid time");
    expect_error("MaxStartups 10:30:5", 1, "MaxStartups");
    expect_error("LogLevel LOUD", 1, "log level");
    expect_error("RekeyLimit 8", 1, "RekeyLimit");
    expect_error("RekeyLimit 1G soon", 1, "RekeyLimit");
    expect_error("AllowTcpForwarding sometimes", 1, "unsupported option");
    expect_error("GatewayPorts maybe", 1, "unsupported option");
    expect_error("AllowAgentForwarding perhaps", 1, "unsupported option");
    expect_error("PermitOpen any host:22", 1, "PermitOpen");
    expect_error("PermitOpen host", 1, "PermitOpen");
    expect_error("AcceptEnv A=B", 1, "AcceptEnv");
    expect_error("Subsystem sftp", 1, "missing argument");
    expect_error("MaxAuthTries 0", 1, "MaxAuthTries");
    expect_error("ListenAddress 127.0.0.1 rdomain0", 1, "rdomain");
    expect_error("Banner \"unbalanced", 1, "quotes");
}

static void test_first_wins(void **state)
{
    (void)state;
    struct sshd_config cfg;
    config_init(&cfg);
    int errors = 0;
    /* -o options come first: they win over the file. */
    config_parse_line(&cfg, "PasswordAuthentication=no", "command-line", 0, report, &errors);
    config_parse_line(&cfg, "Ciphers aes256-ctr", "command-line", 0, report, &errors);
    const char *lines[] = { "PasswordAuthentication yes", "Ciphers aes128-ctr",
                            "MaxAuthTries 3", "MaxAuthTries 4", "LoginGraceTime 1m",
                            "Banner none", "Banner /etc/issue", "HostKey /a", "HostKey /b",
                            "AllowUsers alice bob@10.*", "AllowUsers carol",
                            "Subsystem sftp internal-sftp", "Subsystem sftp /usr/lib/sftp",
                            "Subsystem other /bin/other -x", NULL };
    assert_int_equal(parse(&cfg, lines), 1);     /* the second sftp */
    assert_string_equal(last_error, "cfg: line 13: Subsystem 'sftp' already defined.");
    assert_int_equal(errors, 0);
    assert_int_equal(cfg.password_auth, 0);
    assert_string_equal(cfg.algorithms[SSHKIT_ALG_CIPHER], "aes256-ctr");
    assert_int_equal(cfg.max_auth_tries, 3);
    assert_int_equal(cfg.login_grace, 60);
    assert_true(cfg.banner_set);
    assert_null(cfg.banner);
    assert_int_equal(cfg.host_keys.n, 2);
    assert_int_equal(cfg.allow_users.n, 3);
    assert_int_equal(cfg.subsystem_count, 2);
    assert_string_equal(cfg.subsystems[0].command, "internal-sftp");
    assert_string_equal(cfg.subsystems[1].command, "/bin/other -x");
    config_free(&cfg);
}

static void test_session_keywords(void **state)
{
    (void)state;
    struct sshd_config cfg;
    config_init(&cfg);
    const char *lines[] = { "RekeyLimit 1G 1h", "MaxStartups 3:50:9", "MaxSessions 4",
                            "ClientAliveInterval 15", "ForceCommand echo  hello world",
                            "ChrootDirectory /srv/%u", "AllowTcpForwarding local",
                            "GatewayPorts clientspecified", "PermitOpen host:22 [::1]:* *:80",
                            "LogLevel DEBUG2", "HostKeyAlgorithms +ssh-ed25519",
                            "PidFile none", "KexAlgorithms ^curve25519-sha256",
                            "AcceptEnv LANG LC_*", "AcceptEnv FOO", "AllowAgentForwarding no",
                            NULL };
    assert_int_equal(parse(&cfg, lines), 0);
    assert_int_equal(cfg.rekey_bytes, 1073741824);
    assert_int_equal(cfg.rekey_seconds, 3600);
    assert_int_equal(cfg.max_startups_begin, 3);
    assert_int_equal(cfg.max_startups_rate, 50);
    assert_int_equal(cfg.max_startups_full, 9);
    assert_int_equal(cfg.max_sessions, 4);
    assert_int_equal(cfg.client_alive_interval, 15);
    assert_string_equal(cfg.force_command, "echo hello world");
    assert_string_equal(cfg.chroot_directory, "/srv/%u");
    assert_int_equal(cfg.allow_tcp_forwarding, SSHD_FWD_LOCAL);
    assert_int_equal(cfg.gateway_ports, SSHD_GW_CLIENTSPECIFIED);
    assert_int_equal(cfg.permit_open.n, 3);
    assert_int_equal(cfg.accept_env.n, 3);          /* AcceptEnv lines add up */
    assert_string_equal(cfg.accept_env.v[2], "FOO");
    assert_int_equal(cfg.log_level, SSHD_LOG_DEBUG2);
    assert_int_equal(cfg.allow_agent_forwarding, 0);
    config_finish(&cfg);
    assert_null(cfg.pid_file);
    config_free(&cfg);
}

/* Compression: yes and delayed offer zlib@openssh.com; the first wins. */
static void test_compression(void **state)
{
    (void)state;
    static const struct { const char *line; const char *list; } cases[] = {
        { "Compression yes", "none,zlib@openssh.com" },
        { "compression DELAYED", "none,zlib@openssh.com" },
        { "Compression=no", "none" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sshd_config cfg;
        config_init(&cfg);
        const char *lines[] = { cases[i].line, "Compression yes", NULL };
        assert_int_equal(parse(&cfg, lines), 0);
        assert_string_equal(cfg.algorithms[SSHKIT_ALG_COMPRESSION], cases[i].list);
        config_free(&cfg);
    }
    struct sshd_config cfg;
    config_init(&cfg);
    const char *bad[] = { "Compression zlib", "Compression yes no", NULL };
    assert_int_equal(parse(&cfg, bad), 2);
    assert_null(cfg.algorithms[SSHKIT_ALG_COMPRESSION]);
    config_free(&cfg);
}

static void test_defaults(void **state)
{
    (void)state;
    struct sshd_config cfg;
    config_init(&cfg);
    config_finish(&cfg);
    assert_int_equal(cfg.port_count, 1);
    assert_int_equal(cfg.ports[0], 22);
    assert_int_equal(cfg.listen_count, 1);
    assert_null(cfg.listen[0].host);
    assert_int_equal(cfg.host_keys.n, 3);
    assert_string_equal(cfg.host_keys.v[2], "/etc/ssh/ssh_host_ed25519_key");
    assert_int_equal(cfg.authorized_keys.n, 2);
    assert_string_equal(cfg.authorized_keys.v[0], ".ssh/authorized_keys");
    assert_string_equal(cfg.authorized_keys.v[1], ".ssh/authorized_keys2");
    assert_int_equal(cfg.password_auth, 1);
    assert_int_equal(cfg.pubkey_auth, 1);
    assert_int_equal(cfg.kbdint_auth, 1);
    assert_int_equal(cfg.max_auth_tries, 6);
    assert_int_equal(cfg.login_grace, 120);
    assert_int_equal(cfg.max_sessions, 10);
    assert_int_equal(cfg.max_startups_begin, 10);
    assert_int_equal(cfg.max_startups_full, 100);
    assert_int_equal(cfg.log_level, SSHD_LOG_INFO);
    assert_int_equal(cfg.rekey_bytes, 0);
    assert_string_equal(cfg.pid_file, "/run/sshd.pid");
    assert_null(cfg.password_file);
    assert_int_equal(cfg.allow_agent_forwarding, 1);
    config_free(&cfg);
}

static void test_ports_from_cmdline(void **state)
{
    (void)state;
    struct sshd_config cfg;
    config_init(&cfg);
    const char *lines[] = { "Port 2222", NULL };
    cfg.ports_from_cmdline = true;
    assert_int_equal(parse(&cfg, lines), 0);
    assert_int_equal(cfg.port_count, 0);
    config_free(&cfg);
}

static void check_path(const char *pattern, const char *want)
{
    char *got = config_expand_path(pattern, "alice", "/home/alice");
    if (want == NULL) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_expand_path(void **state)
{
    (void)state;
    check_path(".ssh/authorized_keys", "/home/alice/.ssh/authorized_keys");
    check_path("%h/keys/%u", "/home/alice/keys/alice");
    check_path("/etc/keys/%u.%%", "/etc/keys/alice.%");
    check_path("%u/keys", "/home/alice/alice/keys");
    check_path("/etc/%x", NULL);
    check_path("/etc/%", NULL);
}

static void test_match(void **state)
{
    (void)state;
    assert_true(match_pattern("alice", "alice"));
    assert_true(match_pattern("alice", "a*"));
    assert_true(match_pattern("alice", "*c?"));
    assert_true(match_pattern("alice", "*"));
    assert_false(match_pattern("alice", "bob"));
    assert_false(match_pattern("alice", "a?"));
    assert_true(match_pattern("", "*"));
    assert_int_equal(match_pattern_list("alice", "bob,al*"), 1);
    assert_int_equal(match_pattern_list("alice", "*,!alice"), -1);
    assert_int_equal(match_pattern_list("carol", "bob,al*"), 0);
    assert_int_equal(match_address_list("10.1.2.3", "10.0.0.0/8"), 1);
    assert_int_equal(match_address_list("11.1.2.3", "10.0.0.0/8"), 0);
    assert_int_equal(match_address_list("10.1.2.3", "10.0.0.0/8,!10.1.0.0/16"), -1);
    assert_int_equal(match_address_list("127.0.0.1", "127.0.0.*"), 1);
    assert_int_equal(match_address_list("::1", "::1/128"), 1);
    assert_int_equal(match_address_list("::2", "::1/128"), 0);
    assert_int_equal(match_address_list("2001:db8::5", "2001:db8::/32"), 1);
    assert_int_equal(match_address_list("10.0.0.1", "::/0"), 0);   /* families differ */
    assert_int_equal(match_address_list("10.0.0.1", "10.0.0.0/33"), -2);
    assert_int_equal(match_address_list("10.0.0.1", "banana/8"), -2);
    assert_int_equal(match_address_list("10.0.0.1", "0.0.0.0/0"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_max_startups),
        cmocka_unit_test(test_listen),
        cmocka_unit_test(test_syntax),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_first_wins),
        cmocka_unit_test(test_session_keywords),
        cmocka_unit_test(test_compression),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_ports_from_cmdline),
        cmocka_unit_test(test_expand_path),
        cmocka_unit_test(test_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
