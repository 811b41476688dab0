/* The ssh-agent client against a scripted agent (fake_agent.h): listing
 * identities, and replies that are refused, of the wrong type, truncated,
 * oversized, empty, cut off, or never come. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/wait.h>

#include <sshkit/agent.h>
#include <sshkit/error.h>
#include <sshkit/key.h>
#include "agent/agent_internal.h"
#include "fake_agent.h"

static sshkit_key *ed25519, *ecdsa;

static int setup(void **state)
{
    (void)state;
    if (sshkit_key_generate(SSHKIT_KEY_ED25519, 0, &ed25519) ||
        sshkit_key_generate(SSHKIT_KEY_ECDSA_P384, 0, &ecdsa))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sshkit_key_free(ed25519);
    sshkit_key_free(ecdsa);
    return 0;
}

static void put_identity(sk_buf *b, const sshkit_key *key, const char *comment)
{
    uint8_t *blob;
    size_t len;
    assert_int_equal(sshkit_key_public_blob(key, &blob, &len), 0);
    sk_write_string(b, blob, len);
    sk_write_cstring(b, comment);
    sshkit_free(blob, len);
}

/* An IDENTITIES_ANSWER claiming count entries, with the given keys. */
static void identities(sk_buf *b, uint32_t count)
{
    sk_buf_init(b);
    sk_write_u8(b, SK_AGENT_IDENTITIES_ANSWER);
    sk_write_u32(b, count);
}

static void test_list(void **state)
{
    (void)state;
    fake_agent f;
    fake_open(&f, 5000);
    sk_buf b;
    identities(&b, 3);
    put_identity(&b, ed25519, "first key");
    sk_write_string(&b, "\0\0\0\7ssh-dss\0\0\0\1x", 16);   /* a type sshkit skips */
    sk_write_cstring(&b, "old");
    put_identity(&b, ecdsa, "");
    fake_reply(&f, &b);
    sk_buf_free(&b);
    sshkit_key **keys;
    size_t n;
    assert_int_equal(sshkit_agent_list(f.agent, &keys, &n), 0);
    assert_int_equal(n, 2);
    assert_true(sshkit_key_equal(keys[0], ed25519));
    assert_false(sshkit_key_is_private(keys[0]));
    assert_string_equal(sshkit_key_comment(keys[0]), "first key");
    assert_true(sshkit_key_equal(keys[1], ecdsa));
    assert_string_equal(sshkit_key_comment(keys[1]), "");
    sshkit_agent_keys_free(keys, n);
    uint8_t req[16];
    assert_int_equal(fake_request(&f, req, sizeof req), 1);
    assert_int_equal(req[0], SK_AGENTC_REQUEST_IDENTITIES);
    /* No keys at all. */
    identities(&b, 0);
    fake_reply(&f, &b);
    sk_buf_free(&b);
    assert_int_equal(sshkit_agent_list(f.agent, &keys, &n), 0);
    assert_null(keys);
    assert_int_equal(n, 0);
    fake_close(&f);
}

/* Every failure code refuses, and the connection stays usable. */
static void test_refused(void **state)
{
    (void)state;
    static const uint8_t failures[] = { SK_AGENT_FAILURE, SK_AGENT_EXTENSION_FAILURE,
                                        SK_AGENT_SSH2_FAILURE, SK_AGENT_SSHCOM_FAILURE };
    fake_agent f;
    fake_open(&f, 5000);
    sshkit_key **keys;
    size_t n;
    for (size_t i = 0; i < sizeof failures; i++) {
        fake_reply_byte(&f, failures[i]);
        assert_int_equal(sshkit_agent_list(f.agent, &keys, &n), SSHKIT_E_REFUSED);
        fake_reply_byte(&f, failures[i]);
        assert_int_equal(sshkit_agent_remove_all(f.agent), SSHKIT_E_REFUSED);
    }
    fake_reply_byte(&f, SK_AGENT_SUCCESS);
    assert_int_equal(sshkit_agent_remove_all(f.agent), 0);
    fake_close(&f);
}

/* A reply sshkit must not trust: the error, then the connection is gone. */
static void expect_list_error(const sk_buf *reply, int expected)
{
    fake_agent f;
    fake_open(&f, 5000);
    fake_reply(&f, reply);
    sshkit_key **keys = (sshkit_key **)&keys;
    size_t n = 99;
    assert_int_equal(sshkit_agent_list(f.agent, &keys, &n), expected);
    assert_null(keys);
    assert_int_equal(n, 0);
    assert_int_equal(sshkit_agent_remove_all(f.agent), SSHKIT_E_CONNECTION_CLOSED);
    fake_close(&f);
}

static void test_malformed_identities(void **state)
{
    (void)state;
    sk_buf b;
    identities(&b, 2);                      /* claims two, holds one */
    put_identity(&b, ed25519, "a");
    expect_list_error(&b, SSHKIT_E_PROTOCOL);
    sk_buf_free(&b);
    identities(&b, 1);                      /* bytes left over */
    put_identity(&b, ed25519, "a");
    sk_write_u8(&b, 0);
    expect_list_error(&b, SSHKIT_E_PROTOCOL);
    sk_buf_free(&b);
    identities(&b, 1);                      /* a comment running past the end */
    put_identity(&b, ed25519, "a");
    b.data[b.len - 4] = 0x7f;
    expect_list_error(&b, SSHKIT_E_PROTOCOL);
    sk_buf_free(&b);
    identities(&b, 1);                      /* a NUL in the comment */
    put_identity(&b, ed25519, "");
    b.len -= 4;
    sk_write_string(&b, "a\0b", 3);
    expect_list_error(&b, SSHKIT_E_PROTOCOL);
    sk_buf_free(&b);
    identities(&b, 1);                      /* a known type with a broken blob */
    sk_write_string(&b, "\0\0\0\13ssh-ed25519\0\0\0\3abc", 22);
    sk_write_cstring(&b, "c");
    expect_list_error(&b, SSHKIT_E_PROTOCOL);
    sk_buf_free(&b);
    identities(&b, 100);                    /* more than the bytes could hold */
    put_identity(&b, ed25519, "a");
    expect_list_error(&b, SSHKIT_E_PROTOCOL);
    sk_buf_free(&b);
    identities(&b, SSHKIT_AGENT_MAX_IDENTITIES + 1);
    expect_list_error(&b, SSHKIT_E_TOO_LARGE);
    sk_buf_free(&b);
    identities(&b, UINT32_MAX);
    expect_list_error(&b, SSHKIT_E_TOO_LARGE);
    sk_buf_free(&b);
    sk_buf_init(&b);                        /* no count at all */
    sk_write_u8(&b, SK_AGENT_IDENTITIES_ANSWER);
    expect_list_error(&b, SSHKIT_E_PROTOCOL);
    sk_buf_free(&b);
    sk_buf_init(&b);                        /* the wrong type: a status for a list */
    sk_write_u8(&b, SK_AGENT_SUCCESS);
    expect_list_error(&b, SSHKIT_E_PROTOCOL);
    sk_buf_free(&b);
    sk_buf_init(&b);                        /* another answer */
    sk_write_u8(&b, SK_AGENT_SIGN_RESPONSE);
    sk_write_cstring(&b, "x");
    expect_list_error(&b, SSHKIT_E_PROTOCOL);
    sk_buf_free(&b);
}

/* A status reply with bytes after the type is no status. */
static void test_status_trailing(void **state)
{
    (void)state;
    fake_agent f;
    fake_open(&f, 5000);
    fake_raw(&f, "\0\0\0\2\6\0", 6);
    assert_int_equal(sshkit_agent_remove_all(f.agent), SSHKIT_E_PROTOCOL);
    assert_int_equal(sshkit_agent_remove_all(f.agent), SSHKIT_E_CONNECTION_CLOSED);
    fake_close(&f);
}

/* Frames: too long (refused before it is read), empty, cut off. */
static void test_frames(void **state)
{
    (void)state;
    fake_agent f;
    sshkit_key **keys;
    size_t n;
    fake_open(&f, 5000);
    uint8_t head[4];
    sk_store_u32(head, SSHKIT_AGENT_MAX_REPLY + 1);
    fake_raw(&f, head, 4);
    assert_int_equal(sshkit_agent_list(f.agent, &keys, &n), SSHKIT_E_TOO_LARGE);
    assert_int_equal(sshkit_agent_list(f.agent, &keys, &n), SSHKIT_E_CONNECTION_CLOSED);
    fake_close(&f);

    fake_open(&f, 5000);
    fake_raw(&f, "\0\0\0\0", 4);
    assert_int_equal(sshkit_agent_list(f.agent, &keys, &n), SSHKIT_E_PROTOCOL);
    fake_close(&f);

    fake_open(&f, 5000);
    fake_raw(&f, "\0\0\0\100\14\0\0", 7);      /* 64 bytes promised, 3 sent */
    fake_hang_up(&f);
    assert_int_equal(sshkit_agent_list(f.agent, &keys, &n), SSHKIT_E_CONNECTION_CLOSED);
    fake_close(&f);

    fake_open(&f, 5000);
    fake_raw(&f, "\0\0", 2);                   /* half a length */
    fake_hang_up(&f);
    assert_int_equal(sshkit_agent_list(f.agent, &keys, &n), SSHKIT_E_CONNECTION_CLOSED);
    fake_close(&f);
}

/* The largest reply allowed is read whole. */
static void test_largest_reply(void **state)
{
    (void)state;
    fake_agent f;
    fake_open(&f, 5000);
    sk_buf b;
    identities(&b, 1);
    uint8_t *blob;
    size_t len;
    assert_int_equal(sshkit_key_public_blob(ed25519, &blob, &len), 0);
    sk_write_string(&b, blob, len);
    size_t comment = SSHKIT_AGENT_MAX_REPLY - b.len - 4;
    char *text = malloc(comment + 1);
    memset(text, 'c', comment);
    text[comment] = '\0';
    sk_write_cstring(&b, text);
    assert_int_equal(b.len, SSHKIT_AGENT_MAX_REPLY);
    /* The socket buffer may not hold it all: feed it from a child. */
    pid_t pid = fork();
    if (pid == 0) {
        fake_reply(&f, &b);
        free(text);
        sshkit_free(blob, len);
        sk_buf_free(&b);
        fake_close(&f);
        teardown(NULL);
        _exit(0);
    }
    sshkit_key **keys;
    size_t n;
    assert_int_equal(sshkit_agent_list(f.agent, &keys, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(strlen(sshkit_key_comment(keys[0])), comment);
    sshkit_agent_keys_free(keys, n);
    assert_int_equal(waitpid(pid, NULL, 0), pid);
    free(text);
    sshkit_free(blob, len);
    sk_buf_free(&b);
    fake_close(&f);
}

/* An agent that never answers: the time limit, then the connection is gone. */
static void test_no_answer(void **state)
{
    (void)state;
    fake_agent f;
    fake_open(&f, 50);
    sshkit_key **keys;
    size_t n;
    assert_int_equal(sshkit_agent_list(f.agent, &keys, &n), SSHKIT_E_TIMEOUT);
    assert_int_equal(sshkit_agent_remove_all(f.agent), SSHKIT_E_CONNECTION_CLOSED);
    fake_close(&f);
    /* An agent that has gone before the request. */
    fake_open(&f, 5000);
    fake_hang_up(&f);
    assert_int_equal(sshkit_agent_list(f.agent, &keys, &n), SSHKIT_E_CONNECTION_CLOSED);
    fake_close(&f);
}

static void test_connect(void **state)
{
    (void)state;
    sshkit_agent *a = (sshkit_agent *)&a;
    unsetenv("SSH_AUTH_SOCK");
    assert_int_equal(sshkit_agent_connect(NULL, 1000, &a), SSHKIT_E_NOT_FOUND);
    assert_null(a);
    setenv("SSH_AUTH_SOCK", "", 1);
    assert_int_equal(sshkit_agent_connect(NULL, 1000, &a), SSHKIT_E_NOT_FOUND);
    assert_int_equal(sshkit_agent_connect("/nonexistent/agent.sock", 1000, &a), SSHKIT_E_CONNECT);
    char longpath[200];
    memset(longpath, 'a', sizeof longpath - 1);
    longpath[sizeof longpath - 1] = '\0';
    assert_int_equal(sshkit_agent_connect(longpath, 1000, &a), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_agent_connect("/x", 1000, NULL), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_agent_from_fd(-1, 1000, &a), SSHKIT_E_INVALID_ARGUMENT);
    sshkit_agent_free(NULL);
    sshkit_agent_keys_free(NULL, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_malformed_identities),
        cmocka_unit_test(test_status_trailing),
        cmocka_unit_test(test_frames),
        cmocka_unit_test(test_largest_reply),
        cmocka_unit_test(test_no_answer),
        cmocka_unit_test(test_connect),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
