/* Userauth message builders and parsers (RFC 4252, RFC 4256), with hostile
 * inputs: truncations, huge counts, lengths over the limits, NULs, wrong
 * types; and the server's method policy. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <sshkit/error.h>
#include "auth/auth_internal.h"
#include "transport/messages.h"

static sk_bytes view(const sk_buf *b)
{
    return (sk_bytes){ b->data, b->len };
}

/* A payload: the type, then what a builder wrote. */
static void start(sk_buf *b, uint8_t type)
{
    sk_buf_init(b);
    sk_write_u8(b, type);
}

static void password_request(sk_buf *b, const char *user, const char *password)
{
    start(b, SK_MSG_USERAUTH_REQUEST);
    sk_auth_write_head(b, user, "password");
    sk_auth_write_password(b, password);
}

static void test_password_round_trip(void **state)
{
    (void)state;
    sk_buf b;
    password_request(&b, "robey", "foo");
    sk_reader r;
    sk_auth_head h;
    sk_auth_password_req p;
    assert_int_equal(sk_auth_read_head(&r, view(&b), &h), 0);
    assert_true(sk_bytes_eq(h.user, "robey"));
    assert_true(sk_bytes_eq(h.service, "ssh-connection"));
    assert_true(sk_bytes_eq(h.method, "password"));
    assert_int_equal(sk_auth_read_password(&r, &p), 0);
    assert_false(p.change);
    assert_true(sk_bytes_eq(p.password, "foo"));
    sk_buf_free(&b);
}

/* Every proper prefix of a request is refused, never read past. */
static void test_truncated_requests(void **state)
{
    (void)state;
    sk_buf b;
    password_request(&b, "robey", "foo");
    for (size_t n = 0; n < b.len; n++) {
        sk_reader r;
        sk_auth_head h;
        sk_auth_password_req p;
        sk_bytes cut = { b.data, n };
        int rc = sk_auth_read_head(&r, cut, &h);
        if (rc == 0)
            rc = sk_auth_read_password(&r, &p);
        assert_int_not_equal(rc, 0);
    }
    sk_buf_free(&b);
}

static void test_head_limits(void **state)
{
    (void)state;
    char user[SK_AUTH_USER_MAX + 2];
    memset(user, 'a', sizeof user - 1);
    user[sizeof user - 1] = '\0';
    sk_buf b;
    sk_reader r;
    sk_auth_head h;
    password_request(&b, user, "x");            /* 257 bytes */
    assert_int_equal(sk_auth_read_head(&r, view(&b), &h), SSHKIT_E_TOO_LARGE);
    sk_buf_free(&b);
    user[SK_AUTH_USER_MAX] = '\0';              /* 256 bytes: fine */
    password_request(&b, user, "x");
    assert_int_equal(sk_auth_read_head(&r, view(&b), &h), 0);
    sk_buf_free(&b);
    /* A NUL inside the user name. */
    start(&b, SK_MSG_USERAUTH_REQUEST);
    sk_write_string(&b, "ro\0ot", 5);
    sk_write_cstring(&b, "ssh-connection");
    sk_write_cstring(&b, "none");
    assert_int_equal(sk_auth_read_head(&r, view(&b), &h), SSHKIT_E_FORMAT);
    sk_buf_free(&b);
    /* A wrong message type. */
    start(&b, SK_MSG_USERAUTH_FAILURE);
    sk_auth_write_head(&b, "u", "none");
    assert_int_equal(sk_auth_read_head(&r, view(&b), &h), SSHKIT_E_PROTOCOL);
    sk_buf_free(&b);
    /* A huge string length. */
    start(&b, SK_MSG_USERAUTH_REQUEST);
    sk_write_u32(&b, 0xffffffffu);
    assert_int_not_equal(sk_auth_read_head(&r, view(&b), &h), 0);
    sk_buf_free(&b);
}

static void test_password_flags(void **state)
{
    (void)state;
    sk_buf b;
    sk_reader r;
    sk_auth_head h;
    sk_auth_password_req p;
    /* Change request: the new password follows. Any non-zero byte is TRUE. */
    start(&b, SK_MSG_USERAUTH_REQUEST);
    sk_auth_write_head(&b, "u", "password");
    sk_write_u8(&b, 2);
    sk_write_cstring(&b, "old");
    sk_write_cstring(&b, "new");
    assert_int_equal(sk_auth_read_head(&r, view(&b), &h), 0);
    assert_int_equal(sk_auth_read_password(&r, &p), 0);
    assert_true(p.change);
    assert_true(sk_bytes_eq(p.new_password, "new"));
    sk_buf_free(&b);
    /* Change flag without the new password: truncated. */
    start(&b, SK_MSG_USERAUTH_REQUEST);
    sk_auth_write_head(&b, "u", "password");
    sk_write_bool(&b, true);
    sk_write_cstring(&b, "old");
    assert_int_equal(sk_auth_read_head(&r, view(&b), &h), 0);
    assert_int_not_equal(sk_auth_read_password(&r, &p), 0);
    sk_buf_free(&b);
    /* Trailing bytes, and a password over 1 KiB. */
    password_request(&b, "u", "pw");
    sk_write_u8(&b, 0);
    assert_int_equal(sk_auth_read_head(&r, view(&b), &h), 0);
    assert_int_equal(sk_auth_read_password(&r, &p), SSHKIT_E_FORMAT);
    sk_buf_free(&b);
    char big[SK_AUTH_PASSWORD_MAX + 2];
    memset(big, 'p', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    password_request(&b, "u", big);
    assert_int_equal(sk_auth_read_head(&r, view(&b), &h), 0);
    assert_int_equal(sk_auth_read_password(&r, &p), SSHKIT_E_TOO_LARGE);
    sk_buf_free(&b);
}

static void test_publickey(void **state)
{
    (void)state;
    static const uint8_t blob[] = { 0, 0, 0, 1, 'x' }, sig[] = { 1, 2, 3 };
    sk_buf b;
    sk_reader r;
    sk_auth_head h;
    sk_auth_pubkey_req p;
    start(&b, SK_MSG_USERAUTH_REQUEST);
    sk_auth_write_head(&b, "u", "publickey");
    sk_auth_write_pubkey(&b, "ssh-ed25519", blob, sizeof blob, NULL, 0);
    assert_int_equal(sk_auth_read_head(&r, view(&b), &h), 0);
    assert_int_equal(sk_auth_read_pubkey(&r, &p), 0);
    assert_false(p.has_sig);
    assert_true(sk_bytes_eq(p.alg, "ssh-ed25519"));
    assert_int_equal(p.blob.len, sizeof blob);
    sk_buf_free(&b);
    start(&b, SK_MSG_USERAUTH_REQUEST);
    sk_auth_write_head(&b, "u", "publickey");
    sk_auth_write_pubkey(&b, "ssh-ed25519", blob, sizeof blob, sig, sizeof sig);
    assert_int_equal(sk_auth_read_head(&r, view(&b), &h), 0);
    assert_int_equal(sk_auth_read_pubkey(&r, &p), 0);
    assert_true(p.has_sig);
    assert_memory_equal(p.sig.ptr, sig, sizeof sig);
    sk_buf_free(&b);
    /* Signed flag but no signature; a blob over the limit. */
    start(&b, SK_MSG_USERAUTH_REQUEST);
    sk_auth_write_head(&b, "u", "publickey");
    sk_write_bool(&b, true);
    sk_write_cstring(&b, "ssh-ed25519");
    sk_write_string(&b, blob, sizeof blob);
    assert_int_equal(sk_auth_read_head(&r, view(&b), &h), 0);
    assert_int_not_equal(sk_auth_read_pubkey(&r, &p), 0);
    sk_buf_free(&b);
    static uint8_t huge[SK_AUTH_BLOB_MAX + 1];
    start(&b, SK_MSG_USERAUTH_REQUEST);
    sk_auth_write_head(&b, "u", "publickey");
    sk_auth_write_pubkey(&b, "ssh-ed25519", huge, sizeof huge, NULL, 0);
    assert_int_equal(sk_auth_read_head(&r, view(&b), &h), 0);
    assert_int_equal(sk_auth_read_pubkey(&r, &p), SSHKIT_E_TOO_LARGE);
    sk_buf_free(&b);
}

/* RFC 4252 section 7's signed data, field by field. */
static void test_signed_data(void **state)
{
    (void)state;
    static const uint8_t id[] = { 9, 9, 9 }, blob[] = { 7 };
    sk_buf b;
    sk_buf_init(&b);
    sk_auth_write_signed_data(&b, id, sizeof id, (sk_bytes){ (const uint8_t *)"me", 2 },
                              "rsa-sha2-256", (sk_bytes){ blob, 1 });
    sk_reader r;
    sk_bytes f;
    uint8_t byte;
    bool flag;
    sk_reader_init(&r, b.data, b.len);
    sk_read_string(&r, &f);
    assert_memory_equal(f.ptr, id, sizeof id);
    sk_read_u8(&r, &byte);
    assert_int_equal(byte, 50);
    sk_read_string(&r, &f);
    assert_true(sk_bytes_eq(f, "me"));
    sk_read_string(&r, &f);
    assert_true(sk_bytes_eq(f, "ssh-connection"));
    sk_read_string(&r, &f);
    assert_true(sk_bytes_eq(f, "publickey"));
    sk_read_bool(&r, &flag);
    assert_true(flag);
    sk_read_string(&r, &f);
    assert_true(sk_bytes_eq(f, "rsa-sha2-256"));
    sk_read_string(&r, &f);
    assert_int_equal(f.len, 1);
    assert_int_equal(sk_reader_finish(&r), 0);
    sk_buf_free(&b);
}

static void test_failure_and_banner(void **state)
{
    (void)state;
    sk_buf b;
    sk_bytes methods, text, alg, blob;
    bool partial;
    start(&b, SK_MSG_USERAUTH_FAILURE);
    sk_auth_write_failure(&b, "publickey,password", true);
    assert_int_equal(sk_auth_read_failure(view(&b), &methods, &partial), 0);
    assert_true(sk_bytes_eq(methods, "publickey,password"));
    assert_true(partial);
    b.len--;                                    /* no boolean */
    assert_int_not_equal(sk_auth_read_failure(view(&b), &methods, &partial), 0);
    sk_buf_free(&b);
    start(&b, SK_MSG_USERAUTH_FAILURE);
    sk_auth_write_failure(&b, "a,,b", false);   /* empty name */
    assert_int_not_equal(sk_auth_read_failure(view(&b), &methods, &partial), 0);
    sk_buf_free(&b);
    start(&b, SK_MSG_USERAUTH_BANNER);
    sk_auth_write_banner(&b, "Welcome\r\n");
    assert_int_equal(sk_auth_read_banner(view(&b), &text), 0);
    assert_true(sk_bytes_eq(text, "Welcome\r\n"));
    sk_buf_free(&b);
    start(&b, SK_MSG_USERAUTH_SUCCESS);
    assert_int_equal(sk_auth_read_success(view(&b)), 0);
    sk_write_u8(&b, 0);
    assert_int_not_equal(sk_auth_read_success(view(&b)), 0);
    sk_buf_free(&b);
    start(&b, SK_MSG_USERAUTH_PK_OK);
    sk_auth_write_pk_ok(&b, (sk_bytes){ (const uint8_t *)"ssh-ed25519", 11 },
                        (sk_bytes){ (const uint8_t *)"B", 1 });
    assert_int_equal(sk_auth_read_pk_ok(view(&b), &alg, &blob), 0);
    assert_true(sk_bytes_eq(alg, "ssh-ed25519") && sk_bytes_eq(blob, "B"));
    sk_buf_free(&b);
    start(&b, SK_MSG_SERVICE_REQUEST);
    sk_write_cstring(&b, "ssh-userauth");
    assert_int_equal(sk_auth_read_service(view(&b), SK_MSG_SERVICE_REQUEST, &text), 0);
    assert_int_equal(sk_auth_read_service(view(&b), SK_MSG_SERVICE_ACCEPT, &text),
                     SSHKIT_E_PROTOCOL);
    sk_buf_free(&b);
}

static void test_info_request(void **state)
{
    (void)state;
    const char *prompts[2] = { "Password: ", "Code: " };
    const bool echo[2] = { false, true };
    sshkit_kbdint_request req = { "title", "do this", 2, prompts, echo };
    sk_buf b;
    sk_auth_info_request in;
    start(&b, SK_MSG_USERAUTH_PK_OK);
    assert_int_equal(sk_auth_write_info_request(&b, &req), 0);
    assert_int_equal(sk_auth_read_info_request(view(&b), &in), 0);
    assert_string_equal(in.name, "title");
    assert_string_equal(in.instruction, "do this");
    assert_int_equal(in.count, 2);
    assert_string_equal(in.prompts[1], "Code: ");
    assert_false(in.echo[0]);
    assert_true(in.echo[1]);
    sk_auth_info_request_free(&in);
    for (size_t n = 0; n < b.len; n++) {
        sk_bytes cut = { b.data, n };
        assert_int_not_equal(sk_auth_read_info_request(cut, &in), 0);
        assert_null(in.strings);
    }
    sk_buf_free(&b);
    /* Counts over 64, up to 2^32 - 1, with nothing after them. */
    const uint32_t counts[] = { 65, 1000, 0x7fffffffu, 0xffffffffu };
    for (size_t i = 0; i < 4; i++) {
        start(&b, SK_MSG_USERAUTH_PK_OK);
        sk_write_cstring(&b, "");
        sk_write_cstring(&b, "");
        sk_write_cstring(&b, "");
        sk_write_u32(&b, counts[i]);
        assert_int_equal(sk_auth_read_info_request(view(&b), &in), SSHKIT_E_TOO_LARGE);
        sk_buf_free(&b);
    }
    /* A NUL in a prompt. */
    start(&b, SK_MSG_USERAUTH_PK_OK);
    sk_write_cstring(&b, "");
    sk_write_cstring(&b, "");
    sk_write_cstring(&b, "");
    sk_write_u32(&b, 1);
    sk_write_string(&b, "a\0b", 3);
    sk_write_bool(&b, true);
    assert_int_equal(sk_auth_read_info_request(view(&b), &in), SSHKIT_E_FORMAT);
    sk_buf_free(&b);
    /* The builder refuses what the parser would. */
    sk_buf_init(&b);
    req.count = 65;
    assert_int_equal(sk_auth_write_info_request(&b, &req), SSHKIT_E_INVALID_ARGUMENT);
    req.count = 1;
    req.prompts = NULL;
    assert_int_equal(sk_auth_write_info_request(&b, &req), SSHKIT_E_INVALID_ARGUMENT);
    sk_buf_free(&b);
}

static void test_info_response(void **state)
{
    (void)state;
    const char *answers[2] = { "secret", "" };
    sk_buf b;
    sk_auth_info_response out;
    start(&b, SK_MSG_USERAUTH_INFO_RESPONSE);
    sk_auth_write_info_response(&b, answers, 2);
    assert_int_equal(sk_auth_read_info_response(view(&b), 2, &out), 0);
    assert_int_equal(out.count, 2);
    assert_string_equal(out.answers[0], "secret");
    assert_string_equal(out.answers[1], "");
    sk_auth_info_response_free(&out);
    assert_int_equal(sk_auth_read_info_response(view(&b), 1, &out), SSHKIT_E_PROTOCOL);
    assert_null(out.strings);
    b.len--;
    assert_int_not_equal(sk_auth_read_info_response(view(&b), 2, &out), 0);
    sk_buf_free(&b);
    start(&b, SK_MSG_USERAUTH_INFO_RESPONSE);
    sk_write_u32(&b, 0xffffffffu);
    assert_int_equal(sk_auth_read_info_response(view(&b), 0xffffffffu, &out), SSHKIT_E_TOO_LARGE);
    sk_buf_free(&b);
    start(&b, SK_MSG_USERAUTH_INFO_RESPONSE);
    sk_auth_write_info_response(&b, NULL, 0);
    assert_int_equal(sk_auth_read_info_response(view(&b), 0, &out), 0);
    assert_int_equal(out.count, 0);
    sk_auth_info_response_free(&out);
    sk_buf_free(&b);
}

static void test_rsa_alg_choice(void **state)
{
    (void)state;
    assert_string_equal(sk_auth_client_rsa_alg(NULL), "rsa-sha2-256");
    assert_string_equal(sk_auth_client_rsa_alg("ssh-ed25519,rsa-sha2-256"), "rsa-sha2-256");
    assert_string_equal(sk_auth_client_rsa_alg("rsa-sha2-256,rsa-sha2-512"), "rsa-sha2-512");
    assert_string_equal(sk_auth_client_rsa_alg("ssh-rsa"), "rsa-sha2-256");
    assert_string_equal(sk_auth_client_rsa_alg("rsa-sha2-5120"), "rsa-sha2-256");
}

static void test_policy(void **state)
{
    (void)state;
    char list[64];
    sk_auth_policy any = { { SK_AUTH_METHOD_PUBLICKEY, SK_AUTH_METHOD_NONE,
                             SK_AUTH_METHOD_PASSWORD }, 3, false };
    unsigned bits = sk_auth_policy_allowed(&any, 0);
    assert_int_equal(bits, SK_AUTH_BIT_PUBLICKEY | SK_AUTH_BIT_NONE | SK_AUTH_BIT_PASSWORD);
    sk_auth_policy_list(&any, bits, list, sizeof list);
    assert_string_equal(list, "publickey,password");    /* never "none" */
    assert_true(sk_auth_policy_complete(&any, 0));
    sk_auth_policy all = { { SK_AUTH_METHOD_PUBLICKEY, SK_AUTH_METHOD_KBDINT }, 2, true };
    assert_int_equal(sk_auth_policy_allowed(&all, 0), SK_AUTH_BIT_PUBLICKEY);
    assert_int_equal(sk_auth_policy_allowed(&all, 1), SK_AUTH_BIT_KBDINT);
    assert_int_equal(sk_auth_policy_allowed(&all, 2), 0);
    assert_false(sk_auth_policy_complete(&all, 1));
    assert_true(sk_auth_policy_complete(&all, 2));
    sk_auth_policy_list(&all, SK_AUTH_BIT_KBDINT, list, sizeof list);
    assert_string_equal(list, "keyboard-interactive");
    sk_auth_policy_list(&any, bits, list, 10);          /* too small: whole names only */
    assert_string_equal(list, "publickey");
    assert_int_equal(sk_auth_method_from_name((sk_bytes){ (const uint8_t *)"hostbased", 9 }), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_password_round_trip),
        cmocka_unit_test(test_truncated_requests),
        cmocka_unit_test(test_head_limits),
        cmocka_unit_test(test_password_flags),
        cmocka_unit_test(test_publickey),
        cmocka_unit_test(test_signed_data),
        cmocka_unit_test(test_failure_and_banner),
        cmocka_unit_test(test_info_request),
        cmocka_unit_test(test_info_response),
        cmocka_unit_test(test_rsa_alg_choice),
        cmocka_unit_test(test_policy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
