/* sshkit_hostkey_verifier installed as a client's host key check, client
 * against server in memory: the policies, a changed and a revoked key,
 * the callback, several files, creating the file and its directory, and
 * the messages describe() gives. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <sshkit/error.h>
#include <sshkit/knownhosts.h>
#include <sshkit/session.h>
#include "session_pair.h"

#define HOST "127.0.0.1"
#define PORT 2222u
#define NAME "[127.0.0.1]:2222"

static sshkit_key *host_key, *other_key, *rsa_key;
static char dir[] = "/tmp/verifier-unit-XXXXXX";
static char path_buf[8][512];
static int path_next;

static int setup(void **state)
{
    (void)state;
    if (mkdtemp(dir) == NULL)
        return -1;
    return sshkit_key_generate(SSHKIT_KEY_ED25519, 0, &host_key) ||
           sshkit_key_generate(SSHKIT_KEY_ED25519, 0, &other_key) ||
           sshkit_key_generate(SSHKIT_KEY_RSA, 2048, &rsa_key);
}

static int teardown(void **state)
{
    (void)state;
    sshkit_key_free(host_key);
    sshkit_key_free(other_key);
    sshkit_key_free(rsa_key);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A fresh path in the scratch directory (nothing there yet). */
static const char *fresh(const char *name)
{
    char *p = path_buf[path_next++ % 8];
    static unsigned serial;
    snprintf(p, 512, "%s/%u-%s", dir, serial++, name);
    return p;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *read_text(const char *path)
{
    static char buf[8192];
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* "NAME type base64\n" (or with a marker) for a key. */
static void entry(char *out, size_t cap, const char *marker, const char *name,
                  const sshkit_key *key)
{
    char *pub;
    assert_int_equal(sshkit_key_format_public(key, &pub), 0);
    snprintf(out, cap, "%s%s %s\n", marker, name, pub);
    sshkit_free(pub, 0);
}

/* Runs a handshake against a server holding host_key with the verifier as
 * the client's check. Returns 0 when it connected, else the client's error. */
static int connect_with(sshkit_hostkey_verifier *v, sshkit_key *server_key)
{
    session_pair p;
    assert_int_equal(pair_new(&p, server_key), 0);
    sshkit_session_set_host_key_check(p.client, sshkit_hostkey_verifier_check, v);
    assert_int_equal(pair_start(&p), 0);
    int rc = pair_pump(&p, 4096);
    int result = 0;
    if (rc != 0 || p.client_kex_done != 1)
        result = p.client_disconnects ? p.last_client_disconnect.u.disconnect.error : -1;
    pair_free(&p);
    return result;
}

static sshkit_hostkey_verifier *verifier(sshkit_hostkey_policy policy, const char *file)
{
    sshkit_hostkey_verifier *v;
    assert_int_equal(sshkit_hostkey_verifier_new(&v, HOST, PORT, policy), 0);
    if (file)
        assert_int_equal(sshkit_hostkey_verifier_add_file(v, file, true), 0);
    return v;
}

static const char *describe(const sshkit_hostkey_verifier *v)
{
    static char text[4096];
    int n = sshkit_hostkey_verifier_describe(v, text, sizeof text);
    assert_true(n >= 0 && (size_t)n < sizeof text);
    return text;
}

static sshkit_hostkey_outcome outcome(const sshkit_hostkey_verifier *v)
{
    sshkit_hostkey_outcome o;
    assert_int_equal(sshkit_hostkey_verifier_outcome(v, &o), 0);
    return o;
}

static void test_unknown_rejected(void **state)
{
    (void)state;
    const char *kh = fresh("known_hosts");
    sshkit_hostkey_verifier *v = verifier(SSHKIT_HOSTKEY_POLICY_REJECT, kh);
    sshkit_hostkey_outcome o;
    assert_int_equal(sshkit_hostkey_verifier_outcome(v, &o), SSHKIT_E_STATE);
    assert_int_equal(sshkit_hostkey_verifier_describe(v, NULL, 0), SSHKIT_E_STATE);
    assert_int_equal(connect_with(v, host_key), SSHKIT_E_HOST_KEY_REJECTED);
    o = outcome(v);
    assert_int_equal(o.error, 0);
    assert_int_equal(o.status, SSHKIT_KH_NEW);
    assert_int_equal(o.decision, SSHKIT_HOSTKEY_REJECT);
    assert_false(o.by_callback);
    assert_string_equal(o.host, NAME);
    assert_string_equal(o.key_type, "ED25519");
    assert_memory_equal(o.fingerprint, "SHA256:", 7);
    assert_null(o.file);
    assert_false(o.added);
    assert_string_equal(describe(v),
                        "No ED25519 host key is known for " NAME
                        " and you have requested strict checking.\n"
                        "Host key verification failed.\n");
    assert_int_equal(access(kh, F_OK), -1);
    /* The length comes back even when the buffer is too small. */
    char small[8];
    int n = sshkit_hostkey_verifier_describe(v, small, sizeof small);
    assert_int_equal(n, (int)strlen(describe(v)));
    assert_string_equal(small, "No ED25");
    sshkit_hostkey_verifier_free(v);
}

static void accept_new(bool hash)
{
    const char *kh = fresh("known_hosts");
    sshkit_hostkey_verifier *v = verifier(SSHKIT_HOSTKEY_POLICY_ACCEPT_NEW, kh);
    sshkit_hostkey_verifier_set_hash(v, hash);
    assert_int_equal(connect_with(v, host_key), 0);
    sshkit_hostkey_outcome o = outcome(v);
    assert_int_equal(o.status, SSHKIT_KH_NEW);
    assert_int_equal(o.decision, SSHKIT_HOSTKEY_ACCEPT_AND_ADD);
    assert_true(o.added);
    assert_int_equal(o.add_error, 0);
    assert_string_equal(o.add_file, kh);
    assert_int_equal(o.added_line, 1);
    assert_string_equal(describe(v), "Warning: Permanently added '" NAME
                                     "' (ED25519) to the list of known hosts.\n");
    char want[4096];
    entry(want, sizeof want, "", NAME, host_key);
    char text[8192];
    assert_non_null(read_text(kh));
    snprintf(text, sizeof text, "%s", read_text(kh));
    if (hash) {
        assert_memory_equal(text, "|1|", 3);
        assert_string_equal(strchr(text, ' '), strchr(want, ' '));
    } else {
        assert_string_equal(text, want);
    }
    /* The second connection finds it, even under the strict policy. */
    sshkit_hostkey_verifier *strict = verifier(SSHKIT_HOSTKEY_POLICY_REJECT, kh);
    assert_int_equal(connect_with(strict, host_key), 0);
    o = outcome(strict);
    assert_int_equal(o.status, SSHKIT_KH_OK);
    assert_int_equal(o.decision, SSHKIT_HOSTKEY_ACCEPT);
    assert_string_equal(o.file, kh);
    assert_int_equal(o.line, 1);
    assert_string_equal(describe(strict), "");
    /* The same verifier again: known now, nothing added twice. */
    assert_int_equal(connect_with(v, host_key), 0);
    assert_false(outcome(v).added);
    assert_string_equal(read_text(kh), text);
    sshkit_hostkey_verifier_free(strict);
    sshkit_hostkey_verifier_free(v);
}

static void test_accept_new_plain(void **state)
{
    (void)state;
    accept_new(false);
}

static void test_accept_new_hashed(void **state)
{
    (void)state;
    accept_new(true);
}

static void test_warn(void **state)
{
    (void)state;
    const char *kh = fresh("known_hosts");
    sshkit_hostkey_verifier *v = verifier(SSHKIT_HOSTKEY_POLICY_WARN, kh);
    assert_int_equal(connect_with(v, host_key), 0);
    sshkit_hostkey_outcome o = outcome(v);
    assert_int_equal(o.status, SSHKIT_KH_NEW);
    assert_int_equal(o.decision, SSHKIT_HOSTKEY_ACCEPT_WITH_WARNING);
    assert_false(o.added);
    assert_null(o.add_file);
    assert_int_equal(access(kh, F_OK), -1);
    char want[512];
    snprintf(want, sizeof want,
             "Warning: No ED25519 host key is known for " NAME "; it was not verified and not "
             "added to the list of known hosts.\nED25519 key fingerprint is %s.\n",
             o.fingerprint);
    assert_string_equal(describe(v), want);
    sshkit_hostkey_verifier_free(v);
}

static void test_changed_rejected_by_every_policy(void **state)
{
    (void)state;
    const char *kh = fresh("known_hosts");
    char line[4096], text[8192];
    entry(line, sizeof line, "", NAME, other_key);
    snprintf(text, sizeof text, "# a comment\n%s", line);
    write_file(kh, text);
    const sshkit_hostkey_policy policies[] = { SSHKIT_HOSTKEY_POLICY_REJECT,
                                               SSHKIT_HOSTKEY_POLICY_ACCEPT_NEW,
                                               SSHKIT_HOSTKEY_POLICY_WARN };
    for (int i = 0; i < 3; i++) {
        sshkit_hostkey_verifier *v = verifier(policies[i], kh);
        assert_int_equal(connect_with(v, host_key), SSHKIT_E_HOST_KEY_REJECTED);
        sshkit_hostkey_outcome o = outcome(v);
        assert_int_equal(o.status, SSHKIT_KH_CHANGED);
        assert_int_equal(o.decision, SSHKIT_HOSTKEY_REJECT);
        assert_string_equal(o.file, kh);
        assert_int_equal(o.line, 2);
        assert_false(o.added);
        const char *d = describe(v);
        char want[1024];
        snprintf(want, sizeof want,
                 "The fingerprint for the ED25519 key sent by the remote host is\n%s.\n"
                 "Please contact your system administrator.\n"
                 "Add correct host key in %s to get rid of this message.\n"
                 "Offending ED25519 key in %s:2\n"
                 "  remove with:\n"
                 "  ssh-keygen -f \"%s\" -R \"" NAME "\"\n",
                 o.fingerprint, kh, kh, kh);
        assert_non_null(strstr(d, want));
        assert_memory_equal(d, "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
                               "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n", 120);
        bool strict_line = policies[i] != SSHKIT_HOSTKEY_POLICY_WARN;
        assert_int_equal(strstr(d, "Host key for " NAME " has changed and you have requested "
                                   "strict checking.\n") != NULL, strict_line);
        assert_non_null(strstr(d, "Host key verification failed.\n"));
        sshkit_hostkey_verifier_free(v);
    }
    assert_string_equal(read_text(kh), text);
}

static void test_revoked(void **state)
{
    (void)state;
    /* The key is known in one file and revoked in another: revoked wins. */
    const char *known = fresh("known"), *revoked = fresh("revoked");
    char line[4096];
    entry(line, sizeof line, "", NAME, host_key);
    write_file(known, line);
    entry(line, sizeof line, "@revoked ", "*", host_key);
    write_file(revoked, line);
    sshkit_hostkey_verifier *v = verifier(SSHKIT_HOSTKEY_POLICY_ACCEPT_NEW, known);
    assert_int_equal(sshkit_hostkey_verifier_add_file(v, revoked, false), 0);
    assert_int_equal(connect_with(v, host_key), SSHKIT_E_HOST_KEY_REJECTED);
    sshkit_hostkey_outcome o = outcome(v);
    assert_int_equal(o.status, SSHKIT_KH_REVOKED);
    assert_string_equal(o.file, revoked);
    assert_int_equal(o.line, 1);
    assert_string_equal(describe(v),
                        "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
                        "@       WARNING: REVOKED HOST KEY DETECTED!               @\n"
                        "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n"
                        "The ED25519 host key for " NAME " is marked as revoked.\n"
                        "This could mean that a stolen key is being used to\n"
                        "impersonate this host.\n"
                        "ED25519 host key for " NAME " was revoked and you have requested "
                        "strict checking.\n"
                        "Host key verification failed.\n");
    sshkit_hostkey_verifier_free(v);
}

struct cb_state {
    sshkit_hostkey_verifier *v;
    sshkit_hostkey_decision answer;
    int calls;
    sshkit_kh_status seen;
    const char *seen_file;
    unsigned port;
};

static sshkit_hostkey_decision ask(const char *host, unsigned port, const sshkit_key *key,
                                   const sshkit_kh_result *result, void *userdata)
{
    struct cb_state *st = userdata;
    st->calls++;
    st->seen = result->status;
    st->port = port;
    assert_string_equal(host, HOST);
    assert_true(sshkit_key_equal(key, host_key));
    sshkit_hostkey_outcome o;
    assert_int_equal(sshkit_hostkey_verifier_outcome(st->v, &o), 0);
    assert_int_equal(o.status, result->status);
    st->seen_file = o.file;
    return st->answer;
}

static void test_callback_overrides(void **state)
{
    (void)state;
    const char *kh = fresh("known_hosts");
    /* The policy would reject; the callback adds. */
    sshkit_hostkey_verifier *v = verifier(SSHKIT_HOSTKEY_POLICY_REJECT, kh);
    struct cb_state st = { v, SSHKIT_HOSTKEY_ACCEPT_AND_ADD, 0, 0, NULL, 0 };
    sshkit_hostkey_verifier_set_callback(v, ask, &st);
    assert_int_equal(connect_with(v, host_key), 0);
    assert_int_equal(st.calls, 1);
    assert_int_equal(st.seen, SSHKIT_KH_NEW);
    assert_int_equal(st.port, PORT);
    assert_true(outcome(v).by_callback);
    assert_true(outcome(v).added);
    sshkit_hostkey_verifier_free(v);

    /* The policy would add; the callback refuses: nothing written. */
    const char *kh2 = fresh("known_hosts");
    v = verifier(SSHKIT_HOSTKEY_POLICY_ACCEPT_NEW, kh2);
    st = (struct cb_state){ v, SSHKIT_HOSTKEY_REJECT, 0, 0, NULL, 0 };
    sshkit_hostkey_verifier_set_callback(v, ask, &st);
    assert_int_equal(connect_with(v, host_key), SSHKIT_E_HOST_KEY_REJECTED);
    assert_int_equal(access(kh2, F_OK), -1);
    assert_string_equal(describe(v), "Host key verification failed.\n");

    /* A callback may accept a changed key (its own responsibility). */
    char line[4096];
    entry(line, sizeof line, "", NAME, other_key);
    write_file(kh2, line);
    st = (struct cb_state){ v, SSHKIT_HOSTKEY_ACCEPT, 0, 0, NULL, 0 };
    assert_int_equal(connect_with(v, host_key), 0);
    assert_int_equal(st.seen, SSHKIT_KH_CHANGED);
    assert_string_equal(st.seen_file, kh2);
    assert_null(strstr(describe(v), "verification failed"));
    /* A value outside the enum rejects; NULL goes back to the policy. */
    st.answer = (sshkit_hostkey_decision)42;
    assert_int_equal(connect_with(v, host_key), SSHKIT_E_HOST_KEY_REJECTED);
    sshkit_hostkey_verifier_set_callback(v, NULL, NULL);
    assert_int_equal(connect_with(v, host_key), SSHKIT_E_HOST_KEY_REJECTED);
    assert_false(outcome(v).by_callback);
    sshkit_hostkey_verifier_free(v);
}

static void test_several_files(void **state)
{
    (void)state;
    const char *global = fresh("global"), *user1 = fresh("user1"), *user2 = fresh("user2");
    char line[4096];
    entry(line, sizeof line, "", NAME, host_key);
    write_file(global, line);
    /* Known in the read-only global file. */
    sshkit_hostkey_verifier *v;
    assert_int_equal(sshkit_hostkey_verifier_new(&v, HOST, PORT, SSHKIT_HOSTKEY_POLICY_REJECT), 0);
    assert_int_equal(sshkit_hostkey_verifier_add_file(v, user1, true), 0);
    assert_int_equal(sshkit_hostkey_verifier_add_file(v, global, false), 0);
    assert_int_equal(connect_with(v, host_key), 0);
    assert_string_equal(outcome(v).file, global);
    /* RSA is new (an ED25519 key is known): added to the first writable file. */
    sshkit_hostkey_verifier_free(v);
    assert_int_equal(sshkit_hostkey_verifier_new(&v, HOST, PORT, SSHKIT_HOSTKEY_POLICY_ACCEPT_NEW), 0);
    assert_int_equal(sshkit_hostkey_verifier_add_file(v, global, false), 0);
    assert_int_equal(sshkit_hostkey_verifier_add_file(v, user1, true), 0);
    assert_int_equal(sshkit_hostkey_verifier_add_file(v, user2, true), 0);
    assert_int_equal(connect_with(v, rsa_key), 0);
    sshkit_hostkey_outcome o = outcome(v);
    assert_int_equal(o.status, SSHKIT_KH_NEW);
    assert_true(o.other_types);
    assert_string_equal(o.other_file, global);
    assert_int_equal(o.other_line, 1);
    assert_string_equal(o.add_file, user1);
    assert_true(o.added);
    assert_string_equal(describe(v), "Warning: Permanently added '" NAME
                                     "' (RSA) to the list of known hosts.\n");
    assert_string_equal(read_text(global), line);
    assert_int_equal(access(user2, F_OK), -1);
    /* A changed key in the writable file, the right one in the global: OK. */
    entry(line, sizeof line, "", NAME, other_key);
    write_file(user1, line);
    assert_int_equal(connect_with(v, host_key), 0);
    assert_int_equal(outcome(v).status, SSHKIT_KH_OK);
    /* Edits are seen at the next check: without the global file's line the
     * writable file's other key makes it CHANGED. */
    write_file(global, "");
    assert_int_equal(connect_with(v, host_key), SSHKIT_E_HOST_KEY_REJECTED);
    o = outcome(v);
    assert_int_equal(o.status, SSHKIT_KH_CHANGED);
    assert_string_equal(o.file, user1);
    sshkit_hostkey_verifier_free(v);
}

static void test_directory_created(void **state)
{
    (void)state;
    const char *sub = fresh("dotssh");
    char kh[600];
    snprintf(kh, sizeof kh, "%s/known_hosts", sub);
    sshkit_hostkey_verifier *v = verifier(SSHKIT_HOSTKEY_POLICY_ACCEPT_NEW, kh);
    mode_t old = umask(022);
    assert_int_equal(connect_with(v, host_key), 0);
    umask(old);
    assert_true(outcome(v).added);
    struct stat st;
    assert_int_equal(stat(sub, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0700);
    assert_int_equal(stat(kh, &st), 0);
    sshkit_hostkey_verifier_free(v);
}

static void test_save_failure_still_accepts(void **state)
{
    (void)state;
    /* Two missing levels: only one is created, so saving fails. */
    char kh[600];
    snprintf(kh, sizeof kh, "%s/a/b/known_hosts", fresh("deep"));
    sshkit_hostkey_verifier *v = verifier(SSHKIT_HOSTKEY_POLICY_ACCEPT_NEW, kh);
    assert_int_equal(connect_with(v, host_key), 0);
    sshkit_hostkey_outcome o = outcome(v);
    assert_int_equal(o.decision, SSHKIT_HOSTKEY_ACCEPT_AND_ADD);
    assert_false(o.added);
    assert_int_equal(o.add_error, SSHKIT_E_IO);
    assert_int_not_equal(o.add_errno, 0);
    char want[700];
    snprintf(want, sizeof want, "Failed to add the host to the list of known hosts (%s).\n", kh);
    assert_string_equal(describe(v), want);
    sshkit_hostkey_verifier_free(v);
    /* No writable file at all. */
    v = verifier(SSHKIT_HOSTKEY_POLICY_ACCEPT_NEW, NULL);
    assert_int_equal(connect_with(v, host_key), 0);
    assert_int_equal(outcome(v).add_error, SSHKIT_E_NOT_FOUND);
    assert_null(outcome(v).add_file);
    sshkit_hostkey_verifier_free(v);
}

static void test_unreadable_file_rejects(void **state)
{
    (void)state;
    const char *d = fresh("a-directory");
    assert_int_equal(mkdir(d, 0700), 0);
    sshkit_hostkey_verifier *v = verifier(SSHKIT_HOSTKEY_POLICY_WARN, d);
    assert_int_equal(connect_with(v, host_key), SSHKIT_E_HOST_KEY_REJECTED);
    sshkit_hostkey_outcome o = outcome(v);
    assert_int_equal(o.error, SSHKIT_E_FORMAT);
    assert_int_equal(o.decision, SSHKIT_HOSTKEY_REJECT);
    assert_string_equal(o.file, d);
    char want[700];
    snprintf(want, sizeof want, "Failed to read the list of known hosts (%s).\n"
                                "Host key verification failed.\n", d);
    assert_string_equal(describe(v), want);
    sshkit_hostkey_verifier_free(v);
}

static void test_port_22_and_arguments(void **state)
{
    (void)state;
    const char *kh = fresh("known_hosts");
    sshkit_hostkey_verifier *v;
    assert_int_equal(sshkit_hostkey_verifier_new(&v, "Example.COM", 0,
                                                 SSHKIT_HOSTKEY_POLICY_ACCEPT_NEW), 0);
    assert_int_equal(sshkit_hostkey_verifier_add_file(v, kh, true), 0);
    assert_int_equal(connect_with(v, host_key), 0);
    assert_string_equal(outcome(v).host, "example.com");
    char want[4096];
    entry(want, sizeof want, "", "example.com", host_key);
    assert_string_equal(read_text(kh), want);
    sshkit_hostkey_verifier_free(v);

    sshkit_hostkey_verifier *bad = (sshkit_hostkey_verifier *)1;
    assert_int_equal(sshkit_hostkey_verifier_new(&bad, "a b", 22, SSHKIT_HOSTKEY_POLICY_REJECT),
                     SSHKIT_E_INVALID_ARGUMENT);
    assert_null(bad);
    assert_int_equal(sshkit_hostkey_verifier_new(&bad, "h", 70000, SSHKIT_HOSTKEY_POLICY_REJECT),
                     SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_hostkey_verifier_new(&bad, "h", 22, (sshkit_hostkey_policy)9),
                     SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_hostkey_verifier_new(NULL, "h", 22, SSHKIT_HOSTKEY_POLICY_REJECT),
                     SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_hostkey_verifier_check(NULL, NULL, host_key),
                     SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_hostkey_verifier_new(&v, "h", 22, SSHKIT_HOSTKEY_POLICY_REJECT), 0);
    assert_int_equal(sshkit_hostkey_verifier_add_file(v, "", true), SSHKIT_E_INVALID_ARGUMENT);
    for (unsigned i = 0; i < SSHKIT_HOSTKEY_VERIFIER_MAX_FILES; i++)
        assert_int_equal(sshkit_hostkey_verifier_add_file(v, "/nonexistent/x", false), 0);
    assert_int_equal(sshkit_hostkey_verifier_add_file(v, "/nonexistent/x", false),
                     SSHKIT_E_TOO_LARGE);
    char buf[4];
    assert_int_equal(sshkit_hostkey_verifier_describe(v, NULL, 4), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_hostkey_verifier_describe(v, buf, sizeof buf), SSHKIT_E_STATE);
    sshkit_hostkey_verifier_free(v);
    sshkit_hostkey_verifier_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_rejected),
        cmocka_unit_test(test_accept_new_plain),
        cmocka_unit_test(test_accept_new_hashed),
        cmocka_unit_test(test_warn),
        cmocka_unit_test(test_changed_rejected_by_every_policy),
        cmocka_unit_test(test_revoked),
        cmocka_unit_test(test_callback_overrides),
        cmocka_unit_test(test_several_files),
        cmocka_unit_test(test_directory_created),
        cmocka_unit_test(test_save_failure_still_accepts),
        cmocka_unit_test(test_unreadable_file_rejects),
        cmocka_unit_test(test_port_22_and_arguments),
    };
    return cmocka_run_group_tests_name("hostkey_verifier", tests, setup, teardown);
}
