/* The ssh-agent client's requests as a scripted agent reads them (sign
 * with the RSA flags, add with constraints, remove, lock), the signatures
 * it accepts and refuses, and the frame reader fed a byte at a time. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sshkit/agent.h>
#include <sshkit/error.h>
#include <sshkit/key.h>
#include "agent/agent_internal.h"
#include "keys/key_internal.h"
#include "fake_agent.h"

#define NKEYS 5
static sshkit_key *keys[NKEYS];
static const uint8_t data[] = "the data to sign";

static int setup(void **state)
{
    (void)state;
    static const sshkit_key_type types[NKEYS] = {
        SSHKIT_KEY_ED25519, SSHKIT_KEY_ECDSA_P256, SSHKIT_KEY_ECDSA_P384, SSHKIT_KEY_ECDSA_P521,
        SSHKIT_KEY_RSA,
    };
    for (int i = 0; i < NKEYS; i++)
        if (sshkit_key_generate(types[i], types[i] == SSHKIT_KEY_RSA ? 2048 : 0, &keys[i]))
            return -1;
    return sshkit_key_set_comment(keys[0], "me@there");
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < NKEYS; i++)
        sshkit_key_free(keys[i]);
    return 0;
}

/* A SIGN_RESPONSE carrying sig. */
static void reply_signature(fake_agent *f, const uint8_t *sig, size_t len)
{
    sk_buf b;
    sk_buf_init(&b);
    sk_write_u8(&b, SK_AGENT_SIGN_RESPONSE);
    sk_write_string(&b, sig, len);
    fake_reply(f, &b);
    sk_buf_free(&b);
}

/* Checks a SIGN_REQUEST: the key's blob, the data, the flags. */
static void check_sign_request(fake_agent *f, const sshkit_key *key, uint32_t flags)
{
    uint8_t req[4096], *blob;
    size_t len = fake_request(f, req, sizeof req), blob_len;
    sk_reader r;
    sk_bytes got_blob, got_data;
    uint8_t type;
    uint32_t got_flags;
    sk_reader_init(&r, req, len);
    sk_read_u8(&r, &type);
    sk_read_string(&r, &got_blob);
    sk_read_string(&r, &got_data);
    sk_read_u32(&r, &got_flags);
    assert_int_equal(sk_reader_finish(&r), 0);
    assert_int_equal(type, SK_AGENTC_SIGN_REQUEST);
    assert_int_equal(sshkit_key_public_blob(key, &blob, &blob_len), 0);
    assert_memory_equal(got_blob.ptr, blob, blob_len);
    assert_int_equal(got_blob.len, blob_len);
    assert_int_equal(got_data.len, sizeof data);
    assert_memory_equal(got_data.ptr, data, sizeof data);
    assert_int_equal(got_flags, flags);
    sshkit_free(blob, blob_len);
}

/* Signs through the agent with algorithm alg, the agent answering with a
 * signature made by signer_alg over signed_data. */
static int sign_via(const sshkit_key *key, const char *alg, const char *signer_alg,
                    const uint8_t *signed_data, size_t signed_len, uint32_t flags)
{
    fake_agent f;
    fake_open(&f, 5000);
    uint8_t *sig, *got;
    size_t sig_len, got_len;
    assert_int_equal(sshkit_key_sign(key, signer_alg, signed_data, signed_len, &sig, &sig_len), 0);
    reply_signature(&f, sig, sig_len);
    sshkit_key *pub;
    assert_int_equal(sshkit_key_public_copy(key, &pub), 0);
    int rc = sshkit_agent_sign(f.agent, pub, alg, data, sizeof data, &got, &got_len);
    if (rc == 0) {
        assert_int_equal(got_len, sig_len);
        assert_memory_equal(got, sig, sig_len);
        assert_int_equal(sshkit_key_verify(pub, alg, got, got_len, data, sizeof data), 0);
    } else {
        assert_null(got);
    }
    check_sign_request(&f, key, flags);
    sshkit_free(got, got_len);
    sshkit_free(sig, sig_len);
    sshkit_key_free(pub);
    fake_close(&f);
    return rc;
}

static void test_sign_every_type(void **state)
{
    (void)state;
    for (int i = 0; i < NKEYS - 1; i++) {
        const char *name = sshkit_key_type_name(keys[i]);
        assert_int_equal(sign_via(keys[i], NULL, NULL, data, sizeof data, 0), 0);
        assert_int_equal(sign_via(keys[i], name, NULL, data, sizeof data, 0), 0);
    }
    sshkit_key *rsa = keys[NKEYS - 1];
    assert_int_equal(sign_via(rsa, NULL, "rsa-sha2-512", data, sizeof data,
                              SK_AGENT_RSA_SHA2_512), 0);
    assert_int_equal(sign_via(rsa, "rsa-sha2-512", "rsa-sha2-512", data, sizeof data,
                              SK_AGENT_RSA_SHA2_512), 0);
    assert_int_equal(sign_via(rsa, "rsa-sha2-256", "rsa-sha2-256", data, sizeof data,
                              SK_AGENT_RSA_SHA2_256), 0);
}

/* Signatures that must not be handed on. */
static void test_sign_refused_signatures(void **state)
{
    (void)state;
    sshkit_key *rsa = keys[NKEYS - 1];
    /* Another algorithm than asked for (an agent that ignores the flags). */
    assert_int_equal(sign_via(rsa, "rsa-sha2-256", "rsa-sha2-512", data, sizeof data,
                              SK_AGENT_RSA_SHA2_256), SSHKIT_E_SIGNATURE);
    /* Over other data. */
    assert_int_equal(sign_via(keys[0], NULL, NULL, (const uint8_t *)"other", 5, 0),
                     SSHKIT_E_SIGNATURE);
    /* By another key. */
    fake_agent f;
    fake_open(&f, 5000);
    uint8_t *sig, *got;
    size_t sig_len, got_len;
    assert_int_equal(sshkit_key_sign(keys[1], NULL, data, sizeof data, &sig, &sig_len), 0);
    reply_signature(&f, sig, sig_len);
    assert_int_equal(sshkit_agent_sign(f.agent, keys[0], NULL, data, sizeof data, &got, &got_len),
                     SSHKIT_E_SIGNATURE);
    sshkit_free(sig, sig_len);
    /* A signature that is no (string, string) pair. */
    reply_signature(&f, (const uint8_t *)"\0\0\0\13ssh-ed25519", 15);
    assert_int_equal(sshkit_agent_sign(f.agent, keys[0], NULL, data, sizeof data, &got, &got_len),
                     SSHKIT_E_PROTOCOL);
    assert_null(got);
    fake_close(&f);
    /* The agent refuses. */
    fake_open(&f, 5000);
    fake_reply_byte(&f, SK_AGENT_FAILURE);
    assert_int_equal(sshkit_agent_sign(f.agent, keys[0], NULL, data, sizeof data, &got, &got_len),
                     SSHKIT_E_REFUSED);
    /* Arguments that never reach the agent. */
    assert_int_equal(sshkit_agent_sign(f.agent, rsa, "ssh-rsa", data, sizeof data, &got, &got_len),
                     SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_agent_sign(f.agent, keys[0], "rsa-sha2-512", data, sizeof data, &got,
                                       &got_len), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_agent_sign(f.agent, keys[0], NULL, NULL, 3, &got, &got_len),
                     SSHKIT_E_INVALID_ARGUMENT);
    fake_close(&f);
}

/* ADD_IDENTITY / ADD_ID_CONSTRAINED: the private fields read back as the
 * key, the comment, the constraints. */
static void check_add(const sshkit_key *key, const char *comment,
                      const sshkit_agent_constraints *c, uint8_t type, const char *want_comment)
{
    fake_agent f;
    fake_open(&f, 5000);
    fake_reply_byte(&f, SK_AGENT_SUCCESS);
    assert_int_equal(sshkit_agent_add(f.agent, key, comment, c), 0);
    uint8_t req[8192], got_type, constraint;
    size_t len = fake_request(&f, req, sizeof req);
    sk_reader r;
    sshkit_key *back;
    char got_comment[64];
    sk_reader_init(&r, req, len);
    sk_read_u8(&r, &got_type);
    assert_int_equal(got_type, type);
    assert_int_equal(sk_key_read_private(&r, &back), 0);
    assert_true(sshkit_key_equal(back, key));
    sshkit_key_free(back);
    assert_int_equal(sk_read_cstring(&r, got_comment, sizeof got_comment), 0);
    assert_string_equal(got_comment, want_comment);
    if (c && c->lifetime) {
        uint32_t seconds;
        sk_read_u8(&r, &constraint);
        sk_read_u32(&r, &seconds);
        assert_int_equal(constraint, SK_AGENT_CONSTRAIN_LIFETIME);
        assert_int_equal(seconds, c->lifetime);
    }
    if (c && c->confirm) {
        sk_read_u8(&r, &constraint);
        assert_int_equal(constraint, SK_AGENT_CONSTRAIN_CONFIRM);
    }
    assert_int_equal(sk_reader_finish(&r), 0);
    fake_close(&f);
}

static void test_add(void **state)
{
    (void)state;
    const sshkit_agent_constraints none = { 0, false }, life = { 3600, false },
                                   confirm = { 0, true }, both = { 60, true };
    for (int i = 0; i < NKEYS; i++)
        check_add(keys[i], "added", NULL, SK_AGENTC_ADD_IDENTITY, "added");
    check_add(keys[0], NULL, &none, SK_AGENTC_ADD_IDENTITY, "me@there");
    check_add(keys[0], NULL, &life, SK_AGENTC_ADD_ID_CONSTRAINED, "me@there");
    check_add(keys[4], "c", &confirm, SK_AGENTC_ADD_ID_CONSTRAINED, "c");
    check_add(keys[2], "", &both, SK_AGENTC_ADD_ID_CONSTRAINED, "");
    fake_agent f;
    fake_open(&f, 5000);
    sshkit_key *pub;
    assert_int_equal(sshkit_key_public_copy(keys[0], &pub), 0);
    assert_int_equal(sshkit_agent_add(f.agent, pub, NULL, NULL), SSHKIT_E_INVALID_ARGUMENT);
    fake_reply_byte(&f, SK_AGENT_FAILURE);
    assert_int_equal(sshkit_agent_add(f.agent, keys[0], NULL, &life), SSHKIT_E_REFUSED);
    sshkit_key_free(pub);
    fake_close(&f);
}

/* REMOVE_IDENTITY, REMOVE_ALL, LOCK and UNLOCK as the agent reads them. */
static void test_remove_lock(void **state)
{
    (void)state;
    fake_agent f;
    fake_open(&f, 5000);
    uint8_t req[1024], *blob;
    size_t len, blob_len;
    assert_int_equal(sshkit_key_public_blob(keys[1], &blob, &blob_len), 0);
    fake_reply_byte(&f, SK_AGENT_SUCCESS);
    assert_int_equal(sshkit_agent_remove(f.agent, keys[1]), 0);
    len = fake_request(&f, req, sizeof req);
    assert_int_equal(len, 1 + 4 + blob_len);
    assert_int_equal(req[0], SK_AGENTC_REMOVE_IDENTITY);
    assert_memory_equal(req + 5, blob, blob_len);
    fake_reply_byte(&f, SK_AGENT_FAILURE);
    assert_int_equal(sshkit_agent_remove(f.agent, keys[1]), SSHKIT_E_REFUSED);
    fake_request(&f, req, sizeof req);
    fake_reply_byte(&f, SK_AGENT_SUCCESS);
    assert_int_equal(sshkit_agent_remove_all(f.agent), 0);
    assert_int_equal(fake_request(&f, req, sizeof req), 1);
    assert_int_equal(req[0], SK_AGENTC_REMOVE_ALL_IDENTITIES);
    fake_reply_byte(&f, SK_AGENT_SUCCESS);
    assert_int_equal(sshkit_agent_lock(f.agent, "sesame"), 0);
    assert_int_equal(fake_request(&f, req, sizeof req), 11);
    assert_memory_equal(req, "\x16\0\0\0\6sesame", 11);
    fake_reply_byte(&f, SK_AGENT_FAILURE);
    assert_int_equal(sshkit_agent_unlock(f.agent, "wrong"), SSHKIT_E_REFUSED);
    assert_int_equal(fake_request(&f, req, sizeof req), 10);
    assert_memory_equal(req, "\x17\0\0\0\5wrong", 10);
    char long_pass[SK_AGENT_PASSPHRASE_MAX + 2];
    memset(long_pass, 'p', sizeof long_pass - 1);
    long_pass[sizeof long_pass - 1] = '\0';
    assert_int_equal(sshkit_agent_lock(f.agent, long_pass), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_agent_lock(f.agent, NULL), SSHKIT_E_INVALID_ARGUMENT);
    sshkit_free(blob, blob_len);
    fake_close(&f);
}

/* A request larger than an agent reads is refused before it is sent. */
static void test_request_too_large(void **state)
{
    (void)state;
    fake_agent f;
    fake_open(&f, 5000);
    size_t big = SSHKIT_AGENT_MAX_REPLY;
    uint8_t *huge = calloc(1, big), *sig;
    size_t sig_len;
    assert_int_equal(sshkit_agent_sign(f.agent, keys[0], NULL, huge, big, &sig, &sig_len),
                     SSHKIT_E_TOO_LARGE);
    fake_reply_byte(&f, SK_AGENT_SUCCESS);
    assert_int_equal(sshkit_agent_remove_all(f.agent), 0);   /* nothing was sent */
    free(huge);
    fake_close(&f);
}

/* The frame reader, fed one byte at a time. */
static void test_frame_bytewise(void **state)
{
    (void)state;
    static const uint8_t stream[] = { 0, 0, 0, 3, 12, 0, 0 };
    sk_agent_frame f;
    sk_agent_frame_init(&f);
    int rc = 0;
    for (size_t i = 0; i < sizeof stream; i++) {
        uint8_t *where;
        size_t room;
        sk_agent_frame_space(&f, &where, &room);
        assert_true(room >= 1);
        *where = stream[i];
        rc = sk_agent_frame_advance(&f, 1);
        assert_int_equal(rc, i + 1 == sizeof stream ? 1 : 0);
    }
    sk_bytes m = sk_agent_frame_message(&f);
    assert_int_equal(m.len, 3);
    assert_memory_equal(m.ptr, stream + 4, 3);
    sk_agent_frame_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_every_type),
        cmocka_unit_test(test_sign_refused_signatures),
        cmocka_unit_test(test_add),
        cmocka_unit_test(test_remove_lock),
        cmocka_unit_test(test_request_too_large),
        cmocka_unit_test(test_frame_bytewise),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
