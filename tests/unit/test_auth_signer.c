/* Publickey authentication with the signature made outside the session
 * (sshkit_auth_publickey_signer): a signer that refuses, one that signs,
 * and an ssh-agent (a forked scripted agent holding the key) through
 * sshkit_agent_signer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/wait.h>

#include <sshkit/agent.h>
#include <sshkit/auth.h>
#include <sshkit/error.h>
#include <sshkit/session.h>
#include "agent/agent_internal.h"
#include "session_pair.h"
#include "fake_agent.h"

static sshkit_key *host_key, *user_ed25519, *user_rsa;

typedef struct {
    const sshkit_key *good;     /* the key the server takes */
    int pk_calls;
} server_ctx;

typedef struct {
    const sshkit_key *pair;     /* the private half, or NULL to refuse */
    int calls;
    char alg[32];
} signer_ctx;

static sshkit_auth_decision cb_publickey(void *user, const char *name, const sshkit_key *key)
{
    server_ctx *ctx = user;
    ctx->pk_calls++;
    return strcmp(name, "robey") == 0 && sshkit_key_equal(key, ctx->good) ? SSHKIT_AUTH_ACCEPT
                                                                         : SSHKIT_AUTH_REJECT;
}

static sshkit_auth_decision cb_password(void *user, const char *name, const char *password)
{
    (void)user;
    (void)name;
    (void)password;
    return SSHKIT_AUTH_REJECT;
}

static int test_signer(void *ctx, const sshkit_key *key, const char *alg, const uint8_t *data,
                       size_t len, uint8_t **sig, size_t *sig_len)
{
    signer_ctx *s = ctx;
    s->calls++;
    snprintf(s->alg, sizeof s->alg, "%s", alg);
    if (s->pair == NULL)
        return SSHKIT_E_REFUSED;
    assert_true(sshkit_key_equal(key, s->pair));
    return sshkit_key_sign(s->pair, alg, data, len, sig, sig_len);
}

typedef struct {
    session_pair p;
    server_ctx ctx;
    int results;
    sshkit_event last;          /* the last AUTH_RESULT (methods copied below) */
    char methods[128];
} fixture;

static void pump(fixture *f)
{
    for (int round = 0; round < 1000; round++) {
        long a = pair_move(f->p.client, f->p.server, 1 << 20);
        long b = pair_move(f->p.server, f->p.client, 1 << 20);
        sshkit_event ev;
        while (sshkit_session_next_event(f->p.client, &ev) > 0) {
            assert_int_not_equal(ev.type, SSHKIT_EVENT_DISCONNECTED);
            if (ev.type == SSHKIT_EVENT_AUTH_RESULT) {
                f->results++;
                f->last = ev;
                snprintf(f->methods, sizeof f->methods, "%s", ev.u.auth.methods);
            }
        }
        while (sshkit_session_next_event(f->p.server, &ev) > 0)
            assert_int_not_equal(ev.type, SSHKIT_EVENT_DISCONNECTED);
        if (a == 0 && b == 0)
            return;
    }
    fail_msg("the sessions never went quiet");
}

static void connect_pair(fixture *f, const sshkit_key *good)
{
    memset(f, 0, sizeof *f);
    f->ctx.good = good;
    sshkit_server_auth auth = { .publickey = cb_publickey, .password = cb_password,
                                .user = &f->ctx };
    assert_int_equal(pair_new(&f->p, host_key), 0);
    assert_int_equal(sshkit_server_set_auth(f->p.server, &auth), 0);
    assert_int_equal(pair_start(&f->p), 0);
    pump(f);
    assert_true(sshkit_session_is_secure(f->p.client));
}

static int setup(void **state)
{
    (void)state;
    if (sshkit_key_generate(SSHKIT_KEY_ED25519, 0, &host_key) ||
        sshkit_key_generate(SSHKIT_KEY_ED25519, 0, &user_ed25519) ||
        sshkit_key_generate(SSHKIT_KEY_RSA, 2048, &user_rsa))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sshkit_key_free(host_key);
    sshkit_key_free(user_ed25519);
    sshkit_key_free(user_rsa);
    return 0;
}

/* A refusing signer ends the attempt, not the session; the next works. */
static void test_signer_refuses_then_signs(void **state)
{
    (void)state;
    fixture f;
    connect_pair(&f, user_rsa);
    sshkit_key *pub;
    assert_int_equal(sshkit_key_public_copy(user_rsa, &pub), 0);
    signer_ctx refuse = { NULL, 0, "" }, sign = { user_rsa, 0, "" };
    /* Before any failure from the server: "publickey" stands for the list. */
    assert_int_equal(sshkit_auth_publickey_signer(f.p.client, "robey", pub, test_signer, &refuse),
                     0);
    pump(&f);
    assert_int_equal(refuse.calls, 1);
    assert_int_equal(f.results, 1);
    assert_int_equal(f.last.u.auth.status, SSHKIT_AUTH_FAILURE);
    assert_int_equal(f.last.u.auth.error, SSHKIT_E_REFUSED);
    assert_string_equal(f.methods, "publickey");
    assert_int_equal(f.ctx.pk_calls, 1);                /* the query only */
    /* After a failure, the server's list. */
    assert_int_equal(sshkit_auth_none(f.p.client, "robey"), 0);
    pump(&f);
    assert_string_equal(f.methods, "publickey,password");
    assert_int_equal(f.last.u.auth.error, 0);
    assert_int_equal(sshkit_auth_publickey_signer(f.p.client, "robey", pub, test_signer, &refuse),
                     0);
    pump(&f);
    assert_int_equal(f.last.u.auth.error, SSHKIT_E_REFUSED);
    assert_string_equal(f.methods, "publickey,password");
    assert_false(sshkit_auth_is_done(f.p.client));
    /* A signer that signs; RSA with the server's rsa-sha2-512. */
    assert_int_equal(sshkit_auth_publickey_signer(f.p.client, "robey", pub, test_signer, &sign), 0);
    pump(&f);
    assert_int_equal(f.last.u.auth.status, SSHKIT_AUTH_SUCCESS);
    assert_int_equal(sign.calls, 1);
    assert_string_equal(sign.alg, "rsa-sha2-512");
    assert_true(sshkit_auth_is_done(f.p.server));
    sshkit_key_free(pub);
    pair_free(&f.p);
}

static void test_signer_arguments(void **state)
{
    (void)state;
    fixture f;
    connect_pair(&f, user_ed25519);
    signer_ctx sign = { user_ed25519, 0, "" };
    assert_int_equal(sshkit_auth_publickey_signer(f.p.client, "robey", NULL, test_signer, &sign),
                     SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_auth_publickey_signer(f.p.client, "robey", user_ed25519, NULL, &sign),
                     SSHKIT_E_INVALID_ARGUMENT);
    /* A key the server refuses: the signer is never asked. */
    assert_int_equal(sshkit_auth_publickey_signer(f.p.client, "robey", host_key, test_signer,
                                                  &sign), 0);
    pump(&f);
    assert_int_equal(sign.calls, 0);
    assert_int_equal(f.last.u.auth.status, SSHKIT_AUTH_FAILURE);
    assert_int_equal(f.last.u.auth.error, 0);
    pair_free(&f.p);
}

/* A scripted agent in a child process: answers one SIGN_REQUEST with the
 * key it holds, as the flags ask. */
static void agent_child(int fd, const sshkit_key *key)
{
    fake_agent f = { NULL, fd };
    uint8_t req[8192];
    size_t len = fake_request(&f, req, sizeof req);
    sk_reader r;
    sk_bytes blob, data;
    uint8_t type;
    uint32_t flags;
    sk_reader_init(&r, req, len);
    sk_read_u8(&r, &type);
    sk_read_string(&r, &blob);
    sk_read_string(&r, &data);
    sk_read_u32(&r, &flags);
    const char *alg = flags & SK_AGENT_RSA_SHA2_512 ? "rsa-sha2-512"
                      : flags & SK_AGENT_RSA_SHA2_256 ? "rsa-sha2-256" : NULL;
    uint8_t *sig;
    size_t sig_len;
    if (sk_reader_finish(&r) || type != SK_AGENTC_SIGN_REQUEST ||
        sshkit_key_sign(key, alg, data.ptr, data.len, &sig, &sig_len))
        _exit(1);
    sk_buf b;
    sk_buf_init(&b);
    sk_write_u8(&b, SK_AGENT_SIGN_RESPONSE);
    sk_write_string(&b, sig, sig_len);
    fake_reply(&f, &b);
    _exit(0);
}

static void test_through_agent(void **state)
{
    (void)state;
    const sshkit_key *users[] = { user_ed25519, user_rsa };
    for (size_t i = 0; i < 2; i++) {
        fixture f;
        connect_pair(&f, users[i]);
        int fds[2];
        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            agent_child(fds[1], users[i]);
        }
        close(fds[1]);
        sshkit_agent *agent;
        assert_int_equal(sshkit_agent_from_fd(fds[0], 10000, &agent), 0);
        sshkit_key *pub;
        assert_int_equal(sshkit_key_public_copy(users[i], &pub), 0);
        assert_int_equal(sshkit_auth_publickey_signer(f.p.client, "robey", pub,
                                                      sshkit_agent_signer, agent), 0);
        pump(&f);
        assert_int_equal(f.last.u.auth.status, SSHKIT_AUTH_SUCCESS);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        sshkit_key_free(pub);
        sshkit_agent_free(agent);
        pair_free(&f.p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signer_refuses_then_signs),
        cmocka_unit_test(test_signer_arguments),
        cmocka_unit_test(test_through_agent),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
