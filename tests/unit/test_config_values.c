/* ssh_config (sshkit/config.h): tokens and '~' in the keywords ssh
 * expands, the keywords that accumulate, typed getters, algorithm lists,
 * ProxyCommand and ProxyJump, defaults, and the ssh -G text. */
#include "config_testutil.h"

#include <pwd.h>
#include <openssl/evp.h>

/* The local user and host names, as ssh's tokens take them. */
static void local_names(char *user, size_t user_size, char *host, size_t host_size)
{
    const struct passwd *pw = getpwuid(getuid());
    assert_non_null(pw);
    snprintf(user, user_size, "%s", pw->pw_name);
    assert_int_equal(gethostname(host, host_size), 0);
}

/* %C computed here with libcrypto straight: SHA-1 of %l%h%p%r in hex. */
static void conn_hash(const char *l, const char *h, const char *p, const char *r, char out[41])
{
    char joined[1024];
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    snprintf(joined, sizeof joined, "%s%s%s%s", l, h, p, r);
    assert_int_equal(EVP_Digest(joined, strlen(joined), md, &len, EVP_sha1(), NULL), 1);
    for (unsigned i = 0; i < len; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void test_tokens(void **state)
{
    (void)state;
    char user[256], host[256], shorthost[256], want[2048], hash[41];
    local_names(user, sizeof user, host, sizeof host);
    snprintf(shorthost, sizeof shorthost, "%s", host);
    shorthost[strcspn(shorthost, ".")] = '\0';
    setenv("SSHKIT_TEST_CONFIG_VAR", "fromenv", 1);
    const char *text =
        "Host alias\n"
        "  HostName target.example\n"
        "  Port 2200\n"
        "  User remote\n"
        "  HostKeyAlias KeyAlias\n"
        "  IdentityFile ~/.ssh/id_%h_%r\n"
        "  UserKnownHostsFile ~/kh/%h-%p %d/x%%y ${SSHKIT_TEST_CONFIG_VAR}/%n\n"
        "  RemoteCommand echo %h %C %k\n"
        "  ControlPath ~/cm-%r@%h:%p\n"
        "  LocalForward /tmp/%h.sock /run/%r.sock\n";
    sshkit_host_config *hc = resolve_text(text, "alias");
    conn_hash(host, "target.example", "2200", "remote", hash);
    /* IdentityFile as written; expanded on demand. */
    assert_value(hc, "IdentityFile", "~/.ssh/id_%h_%r");
    char *path = NULL;
    assert_int_equal(sshkit_host_config_expand(hc, sshkit_host_config_item(hc, "IdentityFile", 0),
                                               &path), 0);
    snprintf(want, sizeof want, "%s/.ssh/id_target.example_remote", home);
    assert_string_equal(path, want);
    sshkit_free(path, 0);
    snprintf(want, sizeof want, "%s/kh/target.example-2200 %s/x%%y fromenv/alias", home, home);
    assert_value(hc, "UserKnownHostsFile", want);
    assert_int_equal(sshkit_host_config_count(hc, "UserKnownHostsFile"), 3);
    snprintf(want, sizeof want, "echo target.example %s keyalias", hash);
    assert_value(hc, "RemoteCommand", want);
    snprintf(want, sizeof want, "%s/cm-remote@target.example:2200", home);
    assert_value(hc, "ControlPath", want);
    assert_value(hc, "LocalForward", "/tmp/target.example.sock /run/remote.sock");
    assert_int_equal(sshkit_host_config_expand(hc, "%u@%l/%L uid=%i home=%d", &path), 0);
    snprintf(want, sizeof want, "%s@%s/%s uid=%lu home=%s", user, host, shorthost,
             (unsigned long)getuid(), home);
    assert_string_equal(path, want);
    sshkit_free(path, 0);
    /* An unknown token or an unset variable is an error. */
    assert_int_equal(sshkit_host_config_expand(hc, "%Z", &path), SSHKIT_E_FORMAT);
    assert_null(path);
    assert_int_equal(sshkit_host_config_expand(hc, "${SSHKIT_TEST_CONFIG_UNSET}", &path),
                     SSHKIT_E_FORMAT);
    assert_int_equal(sshkit_host_config_expand(hc, "100%", &path), SSHKIT_E_FORMAT);
    sshkit_host_config_free(hc);

    /* Hostname takes only %h; an unknown token fails the resolution. */
    sshkit_config *cfg = new_config();
    const char *bad = "HostName %p.example\n";
    assert_int_equal(sshkit_config_load_text(cfg, "cfg", bad, strlen(bad), 0), 0);
    assert_int_equal(sshkit_config_resolve(cfg, "h", &hc), SSHKIT_E_FORMAT);
    assert_string_equal(sshkit_config_last_error(cfg), "Hostname %p.example: unknown key %p");
    sshkit_config_free(cfg);
}

static void test_accumulate(void **state)
{
    (void)state;
    const char *text =
        "Host *\n"
        "  IdentityFile ~/.ssh/one\n"
        "  IdentityFile ~/.ssh/two\n"
        "  IdentityFile ~/.ssh/one\n"                /* a duplicate is dropped */
        "  CertificateFile ~/.ssh/one-cert.pub\n"
        "  SendEnv LANG LC_* XDG_A\n"
        "  SendEnv -XDG_* EXTRA\n"                   /* removes, then adds */
        "  SetEnv A=1 \"B=two words\" A=3\n"         /* the first A wins */
        "  SetEnv C=4\n"                             /* a later line adds nothing */
        "  LocalForward 8080 localhost:80\n"
        "  LocalForward 8080 localhost:80\n"
        "  DynamicForward 1080\n"
        "  RemoteForward [::1]:9090 host:22\n"
        "  UserKnownHostsFile /a /b\n"
        "  UserKnownHostsFile /c\n";                 /* lists: the first line wins */
    sshkit_host_config *hc = resolve_text(text, "h");
    assert_int_equal(sshkit_host_config_count(hc, "IdentityFile"), 2);
    assert_string_equal(sshkit_host_config_item(hc, "identityfile", 1), "~/.ssh/two");
    assert_null(sshkit_host_config_item(hc, "identityfile", 2));
    assert_int_equal(sshkit_host_config_count(hc, "CertificateFile"), 1);
    assert_int_equal(sshkit_host_config_count(hc, "SendEnv"), 3);
    assert_string_equal(sshkit_host_config_item(hc, "SendEnv", 2), "EXTRA");
    assert_int_equal(sshkit_host_config_count(hc, "SetEnv"), 2);
    assert_string_equal(sshkit_host_config_item(hc, "SetEnv", 1), "B=two words");
    assert_int_equal(sshkit_host_config_count(hc, "LocalForward"), 1);
    assert_value(hc, "LocalForward", "8080 [localhost]:80");
    assert_value(hc, "DynamicForward", "1080");
    assert_value(hc, "RemoteForward", "[::1]:9090 [host]:22");
    assert_value(hc, "UserKnownHostsFile", "/a /b");
    sshkit_host_config_free(hc);

    /* With none given, IdentityFile has its defaults. */
    hc = resolve_text("Port 22\n", "h");
    assert_int_equal(sshkit_host_config_count(hc, "IdentityFile"), 3);
    assert_false(sshkit_host_config_is_set(hc, "IdentityFile"));
    sshkit_host_config_free(hc);
}

static void test_getters(void **state)
{
    (void)state;
    const char *text =
        "StrictHostKeyChecking accept-new\n"
        "PubkeyAuthentication unbound\n"
        "RekeyLimit 1G 1h\n"
        "EscapeChar ^A\n"
        "GlobalKnownHostsFile none\n"
        "LogLevel debug\n"
        "ForwardAgent no\n"
        "ProxyCommand none\n";
    sshkit_host_config *hc = resolve_text(text, "h");
    bool flag = false;
    long long n = 0;
    assert_value(hc, "StrictHostKeyChecking", "accept-new");
    assert_int_equal(sshkit_host_config_flag(hc, "StrictHostKeyChecking", &flag), 0);
    assert_true(flag);
    assert_value(hc, "PubkeyAcceptedKeyTypes", sshkit_host_config_get(hc, "pubkeyacceptedalgorithms"));
    assert_value(hc, "PubkeyAuthentication", "unbound");
    assert_int_equal(sshkit_host_config_flag(hc, "ChallengeResponseAuthentication", &flag), 0);
    assert_true(flag);
    assert_int_equal(sshkit_host_config_flag(hc, "ForwardAgent", &flag), 0);
    assert_false(flag);
    assert_int_equal(sshkit_host_config_number(hc, "RekeyLimit", &n), 0);
    assert_int_equal(n, 1LL << 30);
    assert_value(hc, "RekeyLimit", "1073741824 3600");
    assert_int_equal(sshkit_host_config_number(hc, "ConnectTimeout", &n), 0);
    assert_int_equal(n, -1);
    assert_value(hc, "ConnectTimeout", "none");
    assert_value(hc, "EscapeChar", "\\^A");
    assert_value(hc, "GlobalKnownHostsFile", "none");
    assert_int_equal(sshkit_host_config_count(hc, "GlobalKnownHostsFile"), 0);
    assert_value(hc, "LogLevel", "DEBUG");
    assert_null(sshkit_host_config_get(hc, "ProxyCommand"));
    assert_int_equal(sshkit_host_config_count(hc, "ProxyCommand"), 0);
    assert_value(hc, "Port", "22");
    assert_int_equal(sshkit_host_config_count(hc, "Port"), 1);
    assert_string_equal(sshkit_host_config_item(hc, "Port", 0), "22");
    /* Wrong types and unknown keywords. */
    assert_int_equal(sshkit_host_config_flag(hc, "Port", &flag), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_host_config_number(hc, "User", &n), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_host_config_number(hc, "NoSuch", &n), SSHKIT_E_INVALID_ARGUMENT);
    assert_null(sshkit_host_config_get(hc, "NoSuch"));
    assert_int_equal(sshkit_host_config_count(hc, "NoSuch"), 0);
    assert_false(sshkit_host_config_is_set(hc, "NoSuch"));
    size_t count = 0;
    while (sshkit_config_keyword(count) != NULL)
        count++;
    assert_true(count > 90);
    for (size_t i = 0; i < count; i++)
        assert_true(sshkit_host_config_get(hc, sshkit_config_keyword(i)) != NULL ||
                    sshkit_host_config_count(hc, sshkit_config_keyword(i)) == 0);
    sshkit_host_config_free(hc);
}

static void test_algorithms(void **state)
{
    (void)state;
    /* Names sshkit does not have are dropped; "+" adds to sshkit's list. */
    const char *text =
        "Ciphers aes128-cbc,aes128-ctr\n"
        "KexAlgorithms +diffie-hellman-group1-sha1,diffie-hellman-group14-sha256\n"
        "MACs -hmac-sha2-512*\n";
    sshkit_host_config *hc = resolve_text(text, "h");
    assert_value(hc, "Ciphers", "aes128-ctr");
    assert_value(hc, "MACs", "hmac-sha2-256-etm@openssh.com,hmac-sha2-256");
    assert_non_null(strstr(messages, "aes128-cbc is not an algorithm sshkit has"));
    assert_non_null(strstr(sshkit_host_config_get(hc, "KexAlgorithms"),
                           "diffie-hellman-group14-sha256"));
    assert_null(strstr(sshkit_host_config_get(hc, "KexAlgorithms"), "group1-"));
    sshkit_host_config_free(hc);

    sshkit_config *cfg = new_config();
    const char *none_left = "Host *\n  Ciphers arcfour,blowfish-cbc\n";
    assert_int_equal(sshkit_config_load_text(cfg, "c", none_left, strlen(none_left), 0), 0);
    assert_int_equal(sshkit_config_resolve(cfg, "h", &hc), SSHKIT_E_FORMAT);
    assert_string_equal(sshkit_config_last_error(cfg),
                        "c line 2: Bad SSH2 cipher spec 'arcfour,blowfish-cbc'.");
    sshkit_config_free(cfg);
}

static void test_proxy(void **state)
{
    (void)state;
    sshkit_host_config *hc = resolve_text("ProxyJump u@10.0.0.1:2200,other\n"
                                          "ProxyCommand nc %h %p\n", "h");
    assert_value(hc, "ProxyJump", "u@10.0.0.1:2200,other");
    assert_null(sshkit_host_config_get(hc, "ProxyCommand"));
    sshkit_host_config_free(hc);
    hc = resolve_text("ProxyJump other,u@10.0.0.1:2200\n", "h");
    assert_value(hc, "ProxyJump", "other,u@[10.0.0.1]:2200");
    char *command = NULL;
    assert_int_equal(sshkit_host_config_proxy_command(hc, &command), SSHKIT_E_NOT_FOUND);
    assert_null(command);
    sshkit_host_config_free(hc);
    hc = resolve_text("Host alias\n  HostName real\n  Port 2022\n  User u\n"
                      "  ProxyCommand ssh -W %h:%p gw %n %r %% # kept as written\n"
                      "  ProxyJump x\n", "alias");
    assert_value(hc, "ProxyCommand", "ssh -W %h:%p gw %n %r %% # kept as written");
    assert_null(sshkit_host_config_get(hc, "ProxyJump"));
    assert_int_equal(sshkit_host_config_proxy_command(hc, &command), 0);
    assert_string_equal(command, "ssh -W real:2022 gw alias u % # kept as written");
    sshkit_free(command, 0);
    sshkit_host_config_free(hc);
    /* Only %h %n %p %r expand in ProxyCommand. */
    hc = resolve_text("ProxyCommand nc %d\n", "h");
    assert_int_equal(sshkit_host_config_proxy_command(hc, &command), SSHKIT_E_FORMAT);
    sshkit_host_config_free(hc);
}

static void test_dump(void **state)
{
    (void)state;
    sshkit_host_config *hc = resolve_text("Host h\n  User u\n  Port 2\n"
                                          "  IdentityFile /k1\n  IdentityFile /k2\n", "h");
    char *text = NULL;
    assert_int_equal(sshkit_host_config_dump(hc, &text), 0);
    assert_int_equal(strncmp(text, "host h\nuser u\nhostname h\nport 2\naddressfamily any\n", 49), 0);
    assert_non_null(strstr(text, "\nidentityfile /k1\nidentityfile /k2\ncanonicaldomains none\n"));
    assert_non_null(strstr(text, "\ncanonicalizePermittedcnames none\n"));
    assert_non_null(strstr(text, "\nrekeylimit 0 0\n"));
    assert_null(strstr(text, "proxycommand"));
    /* Every line is "keyword value". */
    for (char *line = text; *line; line = strchr(line, '\n') + 1) {
        size_t len = strcspn(line, "\n");
        assert_true(memchr(line, ' ', len) != NULL);
    }
    sshkit_free(text, 0);
    sshkit_host_config_free(hc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_accumulate),
        cmocka_unit_test(test_getters),
        cmocka_unit_test(test_algorithms),
        cmocka_unit_test(test_proxy),
        cmocka_unit_test(test_dump),
    };
    return cmocka_run_group_tests(tests, make_home, remove_home);
}
