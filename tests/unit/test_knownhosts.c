/* Unit tests for known_hosts: parsing, matching (plain, hashed, ports,
 * patterns), check outcomes, add, remove, find, hash, round trips, and
 * hostile input. */
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
#include <sshkit/key.h>
#include <sshkit/knownhosts.h>
#include "common/base64.h"

/* Keys made with ssh-keygen; K1 is in the hashed vector below. */
#define K1 "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPIgHtPpnad/C8e+cdhyYaynhQref+AMa2V/jC1mXQlX"
#define K2 "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAxw5vJ6WIL14fOJAPXN+HlJX5v2pB11z74aGdU8as+I"
#define K3 "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBJa25IZThP4paGF0" \
           "wgewq+Czo2uzm5MecBLOMHeNs5Ir94fH3EUb4RPjP3Rw/u/jqoYOqw3KJ3ExxHQrysiVkZI="

/* `ssh-keygen -H` of "host.example.com K1" and "[host.example.com]:2222 K1". */
#define HASHED_22   "|1|loxuZ9nqGM8qRdb7fwnLLwA4rls=|OiJfmXJIEsdNOxaP9s3hgs831jI="
#define HASHED_2222 "|1|9SCmEg2Zp/2FbTpUHSTBIN1RlN8=|yEWGzN1k6Ctr0rmqNm7Kk21EAFs="

static sshkit_key *key_of(const char *line)
{
    const char *b64 = strchr(line, ' ') + 1;
    uint8_t *blob;
    size_t len;
    sshkit_key *key = NULL;
    assert_int_equal(sk_base64_decode(b64, strlen(b64), &blob, &len), 0);
    assert_int_equal(sshkit_key_from_public_blob(blob, len, &key), 0);
    free(blob);
    return key;
}

static sshkit_knownhosts *parse(const char *text)
{
    sshkit_knownhosts *kh = NULL;
    assert_int_equal(sshkit_knownhosts_parse(text, strlen(text), &kh), 0);
    return kh;
}

static void assert_text(const sshkit_knownhosts *kh, const char *expected, size_t expected_len)
{
    char *text;
    size_t len;
    assert_int_equal(sshkit_knownhosts_format(kh, &text, &len), 0);
    assert_int_equal(len, expected_len);
    assert_memory_equal(text, expected, len);
    sshkit_free(text, len + 1);
}

/* The check's status, and the line it reports. */
static void expect(const sshkit_knownhosts *kh, const char *host, unsigned port,
                   const char *keyline, int status, size_t line)
{
    sshkit_key *key = key_of(keyline);
    sshkit_kh_result res;
    assert_int_equal(sshkit_knownhosts_check(kh, host, port, key, &res), status);
    assert_int_equal(res.status, status);
    assert_int_equal(res.line, line);
    sshkit_key_free(key);
}

static void test_plain_ok_changed_new(void **state)
{
    (void)state;
    sshkit_knownhosts *kh = parse("# comment\n"
                                  "alpha,beta " K1 "\n"
                                  "gamma " K2 " a comment\n"
                                  "gamma " K1 "\n"
                                  "delta " K3 "\n");
    expect(kh, "alpha", 22, K1, SSHKIT_KH_OK, 2);
    expect(kh, "BETA", 0, K1, SSHKIT_KH_OK, 2);
    expect(kh, "alpha", 22, K2, SSHKIT_KH_CHANGED, 2);
    expect(kh, "gamma", 22, K1, SSHKIT_KH_OK, 4);   /* one matching line is enough */
    expect(kh, "nobody", 22, K1, SSHKIT_KH_NEW, 0);

    /* delta only has an ECDSA key: an Ed25519 key is new, other types known. */
    sshkit_key *key = key_of(K1);
    sshkit_kh_result res;
    assert_int_equal(sshkit_knownhosts_check(kh, "delta", 22, key, &res), SSHKIT_KH_NEW);
    assert_true(res.other_types);
    assert_int_equal(res.other_line, 5);
    assert_int_equal(sshkit_knownhosts_check(kh, "alpha", 22, key, NULL), SSHKIT_KH_OK);
    assert_int_equal(sshkit_knownhosts_check(kh, "nobody", 22, key, &res), SSHKIT_KH_NEW);
    assert_false(res.other_types);
    sshkit_key_free(key);
    sshkit_knownhosts_free(kh);
}

static void test_hashed_vector(void **state)
{
    (void)state;
    sshkit_knownhosts *kh = parse(HASHED_22 " " K1 "\n" HASHED_2222 " " K1 "\n");
    expect(kh, "host.example.com", 22, K1, SSHKIT_KH_OK, 1);
    expect(kh, "Host.Example.COM", 22, K1, SSHKIT_KH_OK, 1);
    expect(kh, "host.example.com", 2222, K1, SSHKIT_KH_OK, 2);
    expect(kh, "host.example.com", 2222, K2, SSHKIT_KH_CHANGED, 2);
    expect(kh, "host.example.com", 2200, K1, SSHKIT_KH_NEW, 0);
    expect(kh, "other.example.com", 22, K1, SSHKIT_KH_NEW, 0);

    size_t cursor = 0;
    sshkit_kh_entry e;
    assert_int_equal(sshkit_knownhosts_find(kh, "host.example.com", 2222, &cursor, &e), 1);
    assert_int_equal(e.line, 2);
    assert_true(e.hashed);
    assert_int_equal(e.kind, SSHKIT_KH_LINE_ENTRY);
    assert_string_equal(e.text, HASHED_2222 " " K1);
    assert_int_equal(sshkit_knownhosts_find(kh, "host.example.com", 2222, &cursor, &e), 0);
    sshkit_knownhosts_free(kh);
}

static void test_ports(void **state)
{
    (void)state;
    sshkit_knownhosts *kh = parse("[h.example]:2222 " K1 "\nh.example " K2 "\n[h.example]:22 " K3 "\n");
    expect(kh, "h.example", 2222, K1, SSHKIT_KH_OK, 1);
    expect(kh, "h.example", 22, K1, SSHKIT_KH_CHANGED, 2);   /* bare name: port 22 only */
    expect(kh, "h.example", 22, K2, SSHKIT_KH_OK, 2);
    expect(kh, "h.example", 2222, K2, SSHKIT_KH_CHANGED, 1);
    expect(kh, "h.example", 22, K3, SSHKIT_KH_NEW, 0);       /* as OpenSSH: "[h]:22" is never looked up */
    sshkit_knownhosts_free(kh);

    kh = parse("[10.0.0.1]:2200,[::1]:2200 " K1 "\n* " K2 "\n");
    expect(kh, "10.0.0.1", 2200, K1, SSHKIT_KH_OK, 1);
    expect(kh, "::1", 2200, K1, SSHKIT_KH_OK, 1);
    expect(kh, "anything", 4444, K2, SSHKIT_KH_OK, 2);       /* "*" matches "[anything]:4444" too */
    sshkit_knownhosts_free(kh);
}

static void test_wildcards_and_negation(void **state)
{
    (void)state;
    sshkit_knownhosts *kh = parse("*.example.com,!bad.example.com " K1 "\n"
                                  "h?st,*.A*B " K2 "\n");
    expect(kh, "www.example.com", 22, K1, SSHKIT_KH_OK, 1);
    expect(kh, "a.b.example.com", 22, K1, SSHKIT_KH_OK, 1);
    expect(kh, "bad.example.com", 22, K1, SSHKIT_KH_NEW, 0);   /* the negation vetoes the line */
    expect(kh, "example.com", 22, K1, SSHKIT_KH_NEW, 0);
    expect(kh, "www.example.com", 2222, K1, SSHKIT_KH_NEW, 0); /* "[www.example.com]:2222" */
    expect(kh, "host", 22, K2, SSHKIT_KH_OK, 2);
    expect(kh, "hst", 22, K2, SSHKIT_KH_NEW, 0);
    expect(kh, "hoost", 22, K2, SSHKIT_KH_NEW, 0);
    expect(kh, "x.aqqb", 22, K2, SSHKIT_KH_OK, 2);              /* patterns are lowercased */
    sshkit_knownhosts_free(kh);

    /* A negation alone never matches; a sub-pattern over 1022 bytes fails the list. */
    char *text = malloc(2048);
    memset(text, 'a', 1100);
    strcpy(text + 1100, ",host " K1 "\n");
    kh = parse(text);
    expect(kh, "host", 22, K1, SSHKIT_KH_NEW, 0);
    sshkit_knownhosts_free(kh);
    free(text);
    kh = parse("!host " K1 "\n");
    expect(kh, "other", 22, K1, SSHKIT_KH_NEW, 0);
    sshkit_knownhosts_free(kh);
}

static void test_markers(void **state)
{
    (void)state;
    sshkit_knownhosts *kh = parse("h " K1 "\n"
                                  "@revoked * " K1 "\n"
                                  "@cert-authority *.example.com " K2 "\n"
                                  "@revoked\tq " K2 "\n"        /* OpenSSH: marker ends at a ' ' */
                                  "@bogus h " K2 "\n"
                                  "@revoked @revoked h " K2 "\n");
    expect(kh, "h", 22, K1, SSHKIT_KH_REVOKED, 2);
    expect(kh, "h", 22, K2, SSHKIT_KH_CHANGED, 1);
    expect(kh, "www.example.com", 22, K2, SSHKIT_KH_NEW, 0);   /* a CA is no plain match */
    expect(kh, "q", 22, K2, SSHKIT_KH_NEW, 0);

    size_t cursor = 0;
    sshkit_kh_entry e;
    assert_int_equal(sshkit_knownhosts_find(kh, "www.example.com", 22, &cursor, &e), 1);
    assert_int_equal(e.line, 2);
    assert_int_equal(e.marker, SSHKIT_KH_MARKER_REVOKED);
    assert_int_equal(sshkit_knownhosts_find(kh, "www.example.com", 22, &cursor, &e), 1);
    assert_int_equal(e.line, 3);
    assert_int_equal(e.marker, SSHKIT_KH_MARKER_CERT_AUTHORITY);
    assert_int_equal(sshkit_knownhosts_find(kh, "www.example.com", 22, &cursor, &e), 0);
    for (size_t line = 4; line <= 6; line++) {
        assert_int_equal(sshkit_knownhosts_get_line(kh, line, &e), 0);
        assert_int_equal(e.kind, SSHKIT_KH_LINE_INVALID);
    }
    assert_int_equal(sshkit_knownhosts_get_line(kh, 7, &e), SSHKIT_E_NOT_FOUND);
    sshkit_knownhosts_free(kh);
}

static void test_add_then_check(void **state)
{
    (void)state;
    sshkit_knownhosts *kh = parse("# no newline at the end");
    sshkit_key *k1 = key_of(K1), *k3 = key_of(K3);
    assert_int_equal(sshkit_knownhosts_add(kh, "NEW.example.com", 22, k1, SSHKIT_KH_ADD_PLAIN), 2);
    assert_int_equal(sshkit_knownhosts_add(kh, "new.example.com", 2222, k3, SSHKIT_KH_ADD_PLAIN), 3);
    const char expected[] = "# no newline at the end\n"
                            "new.example.com " K1 "\n"
                            "[new.example.com]:2222 " K3 "\n";
    assert_text(kh, expected, sizeof expected - 1);

    assert_int_equal(sshkit_knownhosts_add(kh, "Secret", 2200, k1, SSHKIT_KH_ADD_HASHED), 4);
    sshkit_kh_entry e;
    assert_int_equal(sshkit_knownhosts_get_line(kh, 4, &e), 0);
    assert_true(e.hashed);
    assert_int_equal(strncmp(e.text, "|1|", 3), 0);
    assert_int_equal(e.len, 3 + 28 + 1 + 28 + 1 + strlen(K1));
    assert_string_equal(e.text + e.len - strlen(K1), K1);
    expect(kh, "secret", 2200, K1, SSHKIT_KH_OK, 4);
    expect(kh, "new.example.com", 0, K1, SSHKIT_KH_OK, 2);
    expect(kh, "new.example.com", 2222, K3, SSHKIT_KH_OK, 3);

    assert_int_equal(sshkit_knownhosts_add(kh, "bad host", 22, k1, 0), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_knownhosts_add(kh, "a,b", 22, k1, 0), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_knownhosts_add(kh, "", 22, k1, 0), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_knownhosts_add(kh, "h", 70000, k1, 0), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_knownhosts_add(kh, "h", 22, k1, 4), SSHKIT_E_INVALID_ARGUMENT);
    const char *const not_names[] = { "*.example.com", "h?st", "!h", "@revoked", "#h", "|1|x" };
    for (size_t i = 0; i < sizeof not_names / sizeof not_names[0]; i++)
        assert_int_equal(sshkit_knownhosts_add(kh, not_names[i], 22, k1, 0), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_knownhosts_line_count(kh), 4);
    sshkit_key_free(k1);
    sshkit_key_free(k3);
    sshkit_knownhosts_free(kh);
}

static void test_remove(void **state)
{
    (void)state;
    sshkit_knownhosts *kh = parse("# keep\n"
                                  "host.example.com " K2 "\n"
                                  HASHED_22 " " K1 "\n"
                                  "other,host.example.com " K3 " both go\n"
                                  "other " K1 "\n"
                                  HASHED_2222 " " K1 "\n"
                                  "@revoked host.example.com " K2 "\n"
                                  "host.example.com\n"
                                  "host.example.com " K1);
    assert_int_equal(sshkit_knownhosts_remove(kh, "host.example.com", 22), 4);
    const char expected[] = "# keep\n"
                            "other " K1 "\n"
                            HASHED_2222 " " K1 "\n"
                            "@revoked host.example.com " K2 "\n"
                            "host.example.com\n";
    assert_text(kh, expected, sizeof expected - 1);
    assert_int_equal(sshkit_knownhosts_remove(kh, "host.example.com", 22), 0);
    assert_int_equal(sshkit_knownhosts_remove(kh, "HOST.example.com", 2222), 1);
    assert_int_equal(sshkit_knownhosts_line_count(kh), 4);
    assert_int_equal(sshkit_knownhosts_remove(kh, "bad,host", 22), SSHKIT_E_INVALID_ARGUMENT);
    sshkit_knownhosts_free(kh);

    /* A wildcard line counts, as for ssh-keygen -R. */
    kh = parse("*.example.com " K1 "\n");
    assert_int_equal(sshkit_knownhosts_remove(kh, "www.example.com", 22), 1);
    assert_int_equal(sshkit_knownhosts_line_count(kh), 0);
    sshkit_knownhosts_free(kh);
}

static const char messy[] =
    "# known hosts\n"
    "\n"
    "   \t\n"
    "alpha " K1 "   trailing comment  \n"
    "beta\t" K2 "\r\n"
    "  indented " K3 "\n"
    "garbage line\n"
    "@cert-authority *.ca " K1 "\n"
    "gamma " K1;     /* no final newline */

static void test_round_trip(void **state)
{
    (void)state;
    sshkit_knownhosts *kh = parse(messy);
    assert_int_equal(sshkit_knownhosts_line_count(kh), 9);
    assert_text(kh, messy, sizeof messy - 1);
    expect(kh, "beta", 22, K2, SSHKIT_KH_OK, 5);   /* the CR is a blank */
    expect(kh, "indented", 22, K3, SSHKIT_KH_OK, 6);

    char dir[] = "/tmp/sshkit-kh-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/known_hosts", dir);
    sshkit_knownhosts *empty;
    assert_int_equal(sshkit_knownhosts_load(path, &empty), 0);   /* missing: empty set */
    assert_int_equal(sshkit_knownhosts_line_count(empty), 0);
    sshkit_knownhosts_free(empty);

    FILE *f = fopen(path, "w");
    fputs("old\n", f);
    fclose(f);
    assert_int_equal(chmod(path, 0640), 0);
    assert_int_equal(sshkit_knownhosts_save(kh, path), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    sshkit_knownhosts *back;
    assert_int_equal(sshkit_knownhosts_load(path, &back), 0);
    assert_text(back, messy, sizeof messy - 1);
    sshkit_knownhosts_free(back);
    unlink(path);
    assert_int_equal(sshkit_knownhosts_load(dir, &back), SSHKIT_E_FORMAT);   /* a directory */
    assert_null(back);
    rmdir(dir);
    sshkit_knownhosts_free(kh);
}

static void test_hash_all(void **state)
{
    (void)state;
    sshkit_knownhosts *kh = parse("# c\n"
                                  "Alpha,[beta]:2222 " K1 " my comment\n"
                                  "*.wild,plain " K2 "\n"
                                  "@revoked gamma " K2 "\n"
                                  HASHED_22 " " K1 "\n"
                                  "a,,b " K3 "\n"
                                  "broken\n");
    assert_int_equal(sshkit_knownhosts_hash(kh), 3);
    assert_int_equal(sshkit_knownhosts_line_count(kh), 8);
    sshkit_kh_entry e;
    const char *const same[] = { "# c", NULL, NULL, "*.wild,plain " K2, "@revoked gamma " K2,
                                 HASHED_22 " " K1, NULL, "broken" };
    for (size_t i = 0; i < 8; i++) {
        assert_int_equal(sshkit_knownhosts_get_line(kh, i + 1, &e), 0);
        if (same[i]) {
            assert_string_equal(e.text, same[i]);
        } else {
            assert_true(e.hashed);
            assert_non_null(strstr(e.text, i == 6 ? " " K3 : " " K1 " my comment"));
        }
    }
    expect(kh, "alpha", 22, K1, SSHKIT_KH_OK, 2);
    expect(kh, "beta", 2222, K1, SSHKIT_KH_OK, 3);
    expect(kh, "a", 22, K3, SSHKIT_KH_OK, 7);
    expect(kh, "b", 22, K3, SSHKIT_KH_NEW, 0);     /* strsep stops at the empty name */
    assert_int_equal(sshkit_knownhosts_hash(kh), 0);
    sshkit_knownhosts_free(kh);
}

static void test_hostile_lines(void **state)
{
    (void)state;
    size_t big = SSHKIT_KNOWNHOSTS_MAX_LINE + 100;
    char *text = malloc(big + 512);
    strcpy(text, "h " K1 " ");
    size_t n = strlen(text);
    memset(text + n, 'x', big - n);
    n = big;
    const char tail[] = "\nh\nh ssh-ed25519\nh ssh-ed25519 #x\nh ssh-ed25519 !!!notbase64\n"
                        "h ssh-foo AAAA\nh RSA AAAA\nh ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQAB\n"
                        "h " K1 "\0 tail\n|1|bad|salt " K1 "\n|1|" K1 "\n@\n\n";
    memcpy(text + n, tail, sizeof tail - 1);
    n += sizeof tail - 1;
    sshkit_knownhosts *kh;
    assert_int_equal(sshkit_knownhosts_parse(text, n, &kh), 0);
    assert_int_equal(sshkit_knownhosts_line_count(kh), 13);
    assert_text(kh, text, n);
    expect(kh, "h", 22, K1, SSHKIT_KH_NEW, 0);
    sshkit_kh_entry e;
    size_t cursor = 0, found = 0;
    while (sshkit_knownhosts_find(kh, "h", 22, &cursor, &e) == 1)
        found++;
    /* As ssh-keygen -F: lines 5, 7, 8 have a known type and something after it. */
    assert_int_equal(found, 3);
    assert_int_equal(sshkit_knownhosts_get_line(kh, 9, &e), 0);
    assert_int_equal(e.kind, SSHKIT_KH_LINE_INVALID);   /* the NUL */
    assert_int_equal(e.len, 2 + strlen(K1) + 6);
    assert_int_equal(sshkit_knownhosts_hash(kh), 3);     /* the three entries, keys unread */
    assert_int_equal(sshkit_knownhosts_remove(kh, "h", 22), 3);
    free(text);
    sshkit_knownhosts_free(kh);

    assert_int_equal(sshkit_knownhosts_parse("x", SSHKIT_KNOWNHOSTS_MAX_SIZE + 1, &kh),
                     SSHKIT_E_TOO_LARGE);
    assert_null(kh);
    assert_int_equal(sshkit_knownhosts_parse(NULL, 0, &kh), 0);
    assert_int_equal(sshkit_knownhosts_line_count(kh), 0);
    char long_host[SSHKIT_KNOWNHOSTS_MAX_HOST + 2];
    memset(long_host, 'a', sizeof long_host - 1);
    long_host[sizeof long_host - 1] = '\0';
    sshkit_key *k1 = key_of(K1);
    assert_int_equal(sshkit_knownhosts_check(kh, long_host, 22, k1, NULL), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_knownhosts_check(kh, "a\nb", 22, k1, NULL), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_knownhosts_check(kh, NULL, 22, k1, NULL), SSHKIT_E_INVALID_ARGUMENT);
    sshkit_key_free(k1);
    sshkit_knownhosts_free(kh);
}

static void test_too_many_lines(void **state)
{
    (void)state;
    size_t n = SSHKIT_KNOWNHOSTS_MAX_LINES + 1;
    char *text = malloc(n);
    memset(text, '\n', n);
    sshkit_knownhosts *kh;
    assert_int_equal(sshkit_knownhosts_parse(text, n, &kh), SSHKIT_E_TOO_LARGE);
    assert_int_equal(sshkit_knownhosts_parse(text, n - 1, &kh), 0);
    sshkit_key *k1 = key_of(K1);
    assert_int_equal(sshkit_knownhosts_add(kh, "h", 22, k1, 0), SSHKIT_E_TOO_LARGE);
    sshkit_key_free(k1);
    sshkit_knownhosts_free(kh);
    free(text);
}

static void test_decide(void **state)
{
    (void)state;
    const sshkit_hostkey_policy pols[] = { SSHKIT_HOSTKEY_POLICY_REJECT,
                                           SSHKIT_HOSTKEY_POLICY_ACCEPT_NEW,
                                           SSHKIT_HOSTKEY_POLICY_WARN };
    const sshkit_hostkey_decision on_new[] = { SSHKIT_HOSTKEY_REJECT, SSHKIT_HOSTKEY_ACCEPT_AND_ADD,
                                               SSHKIT_HOSTKEY_ACCEPT_WITH_WARNING };
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(sshkit_knownhosts_decide(pols[i], SSHKIT_KH_OK), SSHKIT_HOSTKEY_ACCEPT);
        assert_int_equal(sshkit_knownhosts_decide(pols[i], SSHKIT_KH_NEW), on_new[i]);
        assert_int_equal(sshkit_knownhosts_decide(pols[i], SSHKIT_KH_CHANGED), SSHKIT_HOSTKEY_REJECT);
        assert_int_equal(sshkit_knownhosts_decide(pols[i], SSHKIT_KH_REVOKED), SSHKIT_HOSTKEY_REJECT);
        assert_int_equal(sshkit_knownhosts_decide(pols[i], SSHKIT_E_NOMEM), SSHKIT_HOSTKEY_REJECT);
    }
    assert_int_equal(sshkit_knownhosts_decide((sshkit_hostkey_policy)9, SSHKIT_KH_OK),
                     SSHKIT_HOSTKEY_REJECT);
}

/* Saving never turns a device into a file (/dev/null as a known_hosts
 * file is common), and a symbolic link stays a link. */
static void test_save_to_device_and_symlink(void **state)
{
    (void)state;
    sshkit_knownhosts *kh;
    assert_int_equal(sshkit_knownhosts_parse("# nothing\n", 10, &kh), 0);
    assert_int_equal(sshkit_knownhosts_save(kh, "/dev/null"), 0);
    struct stat st;
    assert_int_equal(stat("/dev/null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));

    char dir[] = "/tmp/sshkit-kh-link-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char target[256], link[256];
    snprintf(target, sizeof target, "%s/real", dir);
    snprintf(link, sizeof link, "%s/link", dir);
    assert_int_equal(sshkit_knownhosts_save(kh, target), 0);
    assert_int_equal(symlink(target, link), 0);
    assert_int_equal(sshkit_knownhosts_save(kh, link), 0);
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    unlink(link);
    unlink(target);
    rmdir(dir);
    sshkit_knownhosts_free(kh);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_save_to_device_and_symlink),
        cmocka_unit_test(test_plain_ok_changed_new),
        cmocka_unit_test(test_hashed_vector),
        cmocka_unit_test(test_ports),
        cmocka_unit_test(test_wildcards_and_negation),
        cmocka_unit_test(test_markers),
        cmocka_unit_test(test_add_then_check),
        cmocka_unit_test(test_remove),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_hash_all),
        cmocka_unit_test(test_hostile_lines),
        cmocka_unit_test(test_too_many_lines),
        cmocka_unit_test(test_decide),
    };
    return cmocka_run_group_tests_name("knownhosts", tests, NULL, NULL);
}
