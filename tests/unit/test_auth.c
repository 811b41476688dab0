/* User authentication end to end: a client session and a server session
 * joined in memory (session_pair.h), every method, partial success,
 * MaxAuthTries, the banner, and clients and servers that break the rules. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <sshkit/auth.h>
#include <sshkit/error.h>
#include <sshkit/session.h>
#include "session_pair.h"
#include "auth/auth_internal.h"
#include "transport/messages.h"
#include "transport/session_internal.h"

#define NKEYS 5
static sshkit_key *host_key;
static sshkit_key *user_keys[NKEYS];

/* What one side's events said, copied out. */
typedef struct {
    int results, banners, prompts, authenticated, disconnects;
    sshkit_auth_status status;
    char methods[128], banner[128], user[64];
    unsigned prompt_count, reason;
    char prompt0[64], name[64];
    bool echo0, by_peer;
} side_log;

/* The server's configuration and what its callbacks saw. */
typedef struct {
    const char *methods;            /* NULL: the methods callback returns NULL */
    const sshkit_key *good_key;
    int pk_calls, pw_calls, kbd_calls;
    char log[4096];
} server_ctx;

typedef struct {
    session_pair p;
    side_log c, s;
    server_ctx ctx;
    sshkit_server_auth auth;
} fixture;

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

static void collect(sshkit_session *session, side_log *l)
{
    sshkit_event ev;
    while (sshkit_session_next_event(session, &ev) > 0) {
        switch (ev.type) {
        case SSHKIT_EVENT_AUTH_RESULT:
            l->results++;
            l->status = ev.u.auth.status;
            copy(l->methods, sizeof l->methods, ev.u.auth.methods);
            break;
        case SSHKIT_EVENT_AUTH_BANNER:
            l->banners++;
            copy(l->banner, sizeof l->banner, ev.u.text.text);
            break;
        case SSHKIT_EVENT_AUTH_PROMPT:
            l->prompts++;
            l->prompt_count = ev.u.prompt.count;
            copy(l->name, sizeof l->name, ev.u.prompt.name);
            copy(l->prompt0, sizeof l->prompt0, ev.u.prompt.count ? ev.u.prompt.prompts[0] : "");
            l->echo0 = ev.u.prompt.count && ev.u.prompt.echo[0];
            break;
        case SSHKIT_EVENT_AUTHENTICATED:
            l->authenticated++;
            copy(l->user, sizeof l->user, ev.u.text.text);
            break;
        case SSHKIT_EVENT_DISCONNECTED:
            l->disconnects++;
            l->reason = ev.u.disconnect.reason;
            l->by_peer = ev.u.disconnect.by_peer;
            break;
        default:
            break;
        }
    }
}

/* Moves bytes both ways until neither side has anything to say. */
static void pump(fixture *f)
{
    for (int round = 0; round < 1000; round++) {
        long a = pair_move(f->p.client, f->p.server, 1 << 20);
        long b = pair_move(f->p.server, f->p.client, 1 << 20);
        collect(f->p.client, &f->c);
        collect(f->p.server, &f->s);
        if (a == 0 && b == 0)
            return;
    }
    fail_msg("the sessions never went quiet");
}

/* ---- the server's callbacks ---- */

static const char *cb_methods(void *user, const char *username)
{
    (void)username;
    return ((server_ctx *)user)->methods;
}

static sshkit_auth_decision cb_password(void *user, const char *username, const char *password)
{
    ((server_ctx *)user)->pw_calls++;
    return strcmp(username, "robey") == 0 && strcmp(password, "foo") == 0 ? SSHKIT_AUTH_ACCEPT
                                                                          : SSHKIT_AUTH_REJECT;
}

static sshkit_auth_decision cb_publickey(void *user, const char *username, const sshkit_key *key)
{
    server_ctx *ctx = user;
    ctx->pk_calls++;
    return strcmp(username, "robey") == 0 && ctx->good_key && sshkit_key_equal(key, ctx->good_key)
               ? SSHKIT_AUTH_ACCEPT
               : SSHKIT_AUTH_REJECT;
}

/* Two rounds: a password, then a code shown as typed. */
static int cb_kbdint(void *user, const char *username, unsigned round, const char *const *answers,
                     unsigned count, sshkit_kbdint_request *next)
{
    static const char *const pw_prompt[] = { "Password: " }, *const code_prompt[] = { "Code: " };
    static const bool no_echo[] = { false }, echo[] = { true };
    ((server_ctx *)user)->kbd_calls++;
    if (strcmp(username, "robey") != 0)
        return SSHKIT_AUTH_REJECT;
    if (round == 0) {
        *next = (sshkit_kbdint_request){ "Login", "", 1, pw_prompt, no_echo };
        return SSHKIT_AUTH_CONTINUE;
    }
    if (round == 1 && count == 1 && strcmp(answers[0], "foo") == 0) {
        *next = (sshkit_kbdint_request){ "", "Second factor", 1, code_prompt, echo };
        return SSHKIT_AUTH_CONTINUE;
    }
    return round == 2 && count == 1 && strcmp(answers[0], "42") == 0 ? SSHKIT_AUTH_ACCEPT
                                                                    : SSHKIT_AUTH_REJECT;
}

static void server_log(void *user, sshkit_log_level level, const char *message)
{
    (void)level;
    server_ctx *ctx = user;
    size_t n = strlen(ctx->log);
    snprintf(ctx->log + n, sizeof ctx->log - n, "%s\n", message);
}

/* A pair through its first key exchange, the server set up by auth. */
static void connect_with(fixture *f, const sshkit_server_auth *auth)
{
    memset(f, 0, sizeof *f);
    assert_int_equal(pair_new(&f->p, host_key), 0);
    f->auth = *auth;
    f->auth.user = &f->ctx;
    assert_int_equal(sshkit_server_set_auth(f->p.server, &f->auth), 0);
    sshkit_session_set_log(f->p.server, SSHKIT_LOG_DEBUG, server_log, &f->ctx);
    assert_int_equal(pair_start(&f->p), 0);
    pump(f);
    assert_true(sshkit_session_is_secure(f->p.client));
    assert_true(sshkit_session_is_secure(f->p.server));
}

static const sshkit_server_auth all_methods = {
    .methods = cb_methods, .password = cb_password, .publickey = cb_publickey,
    .kbdint = cb_kbdint,
};

static void connect_all(fixture *f)
{
    connect_with(f, &all_methods);
}

static void assert_authenticated(fixture *f)
{
    assert_int_equal(f->c.status, SSHKIT_AUTH_SUCCESS);
    assert_int_equal(f->s.authenticated, 1);
    assert_string_equal(f->s.user, "robey");
    assert_true(sshkit_auth_is_done(f->p.client) && sshkit_auth_is_done(f->p.server));
    assert_string_equal(sshkit_auth_user(f->p.client), "robey");
    assert_string_equal(sshkit_auth_user(f->p.server), "robey");
    assert_int_equal(f->c.disconnects + f->s.disconnects, 0);
}

static void assert_server_ended(fixture *f, unsigned reason)
{
    assert_int_equal(f->s.disconnects, 1);
    assert_int_equal(f->s.reason, reason);
    assert_false(f->s.by_peer);
    assert_int_equal(f->c.disconnects, 1);
    assert_int_equal(f->c.reason, reason);
    assert_true(f->c.by_peer);
    assert_false(sshkit_auth_is_done(f->p.server));
}

/* ---- tests ---- */

static void test_none_lists_methods(void **state)
{
    (void)state;
    fixture f;
    connect_all(&f);
    assert_null(sshkit_auth_user(f.p.client));
    assert_int_equal(sshkit_auth_none(f.p.client, "robey"), 0);
    assert_int_equal(sshkit_auth_none(f.p.client, "robey"), SSHKIT_E_STATE);   /* one at a time */
    pump(&f);
    assert_int_equal(f.c.results, 1);
    assert_int_equal(f.c.status, SSHKIT_AUTH_FAILURE);
    assert_string_equal(f.c.methods, "publickey,password,keyboard-interactive");
    assert_false(sshkit_auth_is_done(f.p.server));
    pair_free(&f.p);
}

static void test_password(void **state)
{
    (void)state;
    fixture f;
    connect_all(&f);
    assert_int_equal(sshkit_auth_password(f.p.client, "robey", "bar"), 0);
    pump(&f);
    assert_int_equal(f.c.status, SSHKIT_AUTH_FAILURE);
    assert_int_equal(sshkit_auth_password(f.p.client, "robey", "foo"), 0);
    pump(&f);
    assert_int_equal(f.c.results, 2);
    assert_authenticated(&f);
    assert_int_equal(f.ctx.pw_calls, 2);
    /* Done: no more attempts; a request after success is ignored. */
    assert_int_equal(sshkit_auth_none(f.p.client, "robey"), SSHKIT_E_STATE);
    sk_buf *b = sk_msg_begin(f.p.client, SK_MSG_USERAUTH_REQUEST);
    sk_write_cstring(b, "robey");
    sk_write_cstring(b, "ssh-connection");
    sk_write_cstring(b, "none");
    assert_int_equal(sk_msg_end(f.p.client), 0);
    pump(&f);
    assert_int_equal(f.s.disconnects + f.c.disconnects, 0);
    pair_free(&f.p);
}

/* An unknown user costs the callback call too, and gets the same answer. */
static void test_password_unknown_user(void **state)
{
    (void)state;
    fixture f;
    connect_all(&f);
    assert_int_equal(sshkit_auth_password(f.p.client, "nobody", "foo"), 0);
    pump(&f);
    assert_int_equal(f.c.status, SSHKIT_AUTH_FAILURE);
    assert_string_equal(f.c.methods, "publickey,password,keyboard-interactive");
    assert_int_equal(f.ctx.pw_calls, 1);
    pair_free(&f.p);
}

static void test_publickey_every_type(void **state)
{
    (void)state;
    for (int i = 0; i < NKEYS; i++) {
        fixture f;
        connect_all(&f);
        f.ctx.good_key = user_keys[i];
        assert_int_equal(sshkit_auth_publickey(f.p.client, "robey", user_keys[i]), 0);
        pump(&f);
        assert_int_equal(f.c.results, 1);
        assert_authenticated(&f);
        assert_int_equal(f.ctx.pk_calls, 2);        /* query, then the signed request */
        if (sshkit_key_get_type(user_keys[i]) == SSHKIT_KEY_RSA)
            assert_non_null(strstr(f.ctx.log, "publickey request with rsa-sha2-512"));
        pair_free(&f.p);
    }
}

static void test_publickey_refused(void **state)
{
    (void)state;
    fixture f;
    connect_all(&f);
    f.ctx.good_key = user_keys[0];
    assert_int_equal(sshkit_auth_publickey(f.p.client, "robey", user_keys[1]), 0);
    pump(&f);
    assert_int_equal(f.c.status, SSHKIT_AUTH_FAILURE);
    assert_int_equal(f.ctx.pk_calls, 1);            /* no PK_OK, no signature */
    /* A public key alone cannot sign. */
    sshkit_key *pub;
    assert_int_equal(sshkit_key_public_copy(user_keys[0], &pub), 0);
    assert_int_equal(sshkit_auth_publickey(f.p.client, "robey", pub), SSHKIT_E_INVALID_ARGUMENT);
    sshkit_key_free(pub);
    /* The right key still works after a refused one. */
    assert_int_equal(sshkit_auth_publickey(f.p.client, "robey", user_keys[0]), 0);
    pump(&f);
    assert_authenticated(&f);
    pair_free(&f.p);
}

/* A signature over the wrong data (another session id) is refused. */
static void test_publickey_bad_signature(void **state)
{
    (void)state;
    fixture f;
    connect_all(&f);
    f.ctx.good_key = user_keys[0];
    uint8_t *blob, *sig;
    size_t blob_len, sig_len;
    assert_int_equal(sshkit_key_public_blob(user_keys[0], &blob, &blob_len), 0);
    assert_int_equal(sshkit_key_sign(user_keys[0], NULL, (const uint8_t *)"x", 1, &sig, &sig_len), 0);
    assert_int_equal(sshkit_auth_none(f.p.client, "robey"), 0);   /* gets the service */
    pump(&f);
    sk_buf *b = sk_msg_begin(f.p.client, SK_MSG_USERAUTH_REQUEST);
    sk_write_cstring(b, "robey");
    sk_write_cstring(b, "ssh-connection");
    sk_write_cstring(b, "publickey");
    sk_write_bool(b, true);
    sk_write_cstring(b, "ssh-ed25519");
    sk_write_string(b, blob, blob_len);
    sk_write_string(b, sig, sig_len);
    assert_int_equal(sk_msg_end(f.p.client), 0);
    f.p.client->auth_client->state = SK_CLIENT_RESULT;  /* as if the client had sent it */
    pump(&f);
    assert_int_equal(f.c.results, 2);
    assert_int_equal(f.c.status, SSHKIT_AUTH_FAILURE);
    assert_false(sshkit_auth_is_done(f.p.server));
    assert_int_equal(f.ctx.pk_calls, 0);        /* verified first: the callback never asked */
    sshkit_free(blob, blob_len);
    sshkit_free(sig, sig_len);
    pair_free(&f.p);
}

static void test_kbdint_two_rounds(void **state)
{
    (void)state;
    fixture f;
    connect_all(&f);
    assert_int_equal(sshkit_auth_kbdint_respond(f.p.client, NULL, 0), SSHKIT_E_STATE);
    assert_int_equal(sshkit_auth_kbdint(f.p.client, "robey"), 0);
    pump(&f);
    assert_int_equal(f.c.prompts, 1);
    assert_string_equal(f.c.name, "Login");
    assert_string_equal(f.c.prompt0, "Password: ");
    assert_false(f.c.echo0);
    const char *a1[] = { "foo" };
    assert_int_equal(sshkit_auth_kbdint_respond(f.p.client, a1, 2), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_auth_kbdint_respond(f.p.client, a1, 1), 0);
    pump(&f);
    assert_int_equal(f.c.prompts, 2);
    assert_string_equal(f.c.prompt0, "Code: ");
    assert_true(f.c.echo0);
    const char *a2[] = { "42" };
    assert_int_equal(sshkit_auth_kbdint_respond(f.p.client, a2, 1), 0);
    pump(&f);
    assert_authenticated(&f);
    assert_int_equal(f.ctx.kbd_calls, 3);
    pair_free(&f.p);
}

static void test_kbdint_wrong_answer(void **state)
{
    (void)state;
    fixture f;
    connect_all(&f);
    assert_int_equal(sshkit_auth_kbdint(f.p.client, "robey"), 0);
    pump(&f);
    const char *a[] = { "nope" };
    assert_int_equal(sshkit_auth_kbdint_respond(f.p.client, a, 1), 0);
    pump(&f);
    assert_int_equal(f.c.status, SSHKIT_AUTH_FAILURE);
    assert_false(sshkit_auth_is_done(f.p.client));
    pair_free(&f.p);
}

/* "publickey,password" with require_all: both, in that order. */
static void test_partial_success(void **state)
{
    (void)state;
    sshkit_server_auth auth = all_methods;
    auth.require_all = true;
    fixture f;
    connect_with(&f, &auth);
    f.ctx.methods = "publickey,password";
    f.ctx.good_key = user_keys[0];
    assert_int_equal(sshkit_auth_password(f.p.client, "robey", "foo"), 0);
    pump(&f);
    assert_int_equal(f.c.status, SSHKIT_AUTH_FAILURE);      /* not yet its turn */
    assert_string_equal(f.c.methods, "publickey");
    assert_int_equal(sshkit_auth_publickey(f.p.client, "robey", user_keys[0]), 0);
    pump(&f);
    assert_int_equal(f.c.status, SSHKIT_AUTH_PARTIAL);
    assert_string_equal(f.c.methods, "password");
    assert_false(sshkit_auth_is_done(f.p.server));
    assert_int_equal(sshkit_auth_password(f.p.client, "robey", "foo"), 0);
    pump(&f);
    assert_authenticated(&f);
    pair_free(&f.p);
}

/* "none" in the list: no authentication needed; "" lets nobody in. */
static void test_none_policy(void **state)
{
    (void)state;
    fixture f;
    connect_all(&f);
    f.ctx.methods = "none";
    assert_int_equal(sshkit_auth_none(f.p.client, "robey"), 0);
    pump(&f);
    assert_authenticated(&f);
    pair_free(&f.p);
    connect_all(&f);
    f.ctx.methods = "";
    assert_int_equal(sshkit_auth_password(f.p.client, "robey", "foo"), 0);
    pump(&f);
    assert_int_equal(f.c.status, SSHKIT_AUTH_FAILURE);
    assert_string_equal(f.c.methods, "");
    assert_int_equal(f.ctx.pw_calls, 0);
    pair_free(&f.p);
}

static void test_max_tries(void **state)
{
    (void)state;
    sshkit_server_auth auth = all_methods;
    auth.max_tries = 3;
    fixture f;
    connect_with(&f, &auth);
    assert_int_equal(sshkit_auth_none(f.p.client, "robey"), 0);   /* the first none is free */
    pump(&f);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(sshkit_auth_password(f.p.client, "robey", "bad"), 0);
        pump(&f);
        assert_int_equal(f.c.status, SSHKIT_AUTH_FAILURE);
        assert_int_equal(f.c.disconnects, 0);
    }
    assert_int_equal(sshkit_auth_password(f.p.client, "robey", "bad"), 0);
    pump(&f);
    assert_int_equal(f.c.results, 3);
    assert_server_ended(&f, SK_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE);
    assert_non_null(strstr(sshkit_session_last_error(f.p.server), "Too many authentication failures"));
    pair_free(&f.p);
}

/* LoginGraceTime: the clock starts at the server's first tick. */
static void test_login_grace_time(void **state)
{
    (void)state;
    sshkit_server_auth auth = all_methods;
    auth.login_grace_seconds = 5;
    fixture f;
    connect_with(&f, &auth);
    assert_int_equal(sshkit_session_tick(f.p.server, 1000), 0);
    assert_int_equal(sshkit_session_tick(f.p.server, 5999), 0);
    pump(&f);
    assert_int_equal(f.c.disconnects, 0);
    assert_int_equal(sshkit_session_tick(f.p.server, 6000), SSHKIT_E_TIMEOUT);
    pump(&f);
    assert_server_ended(&f, SK_DISCONNECT_BY_APPLICATION);
    assert_non_null(strstr(sshkit_session_last_error(f.p.server), "Timeout before authentication"));
    pair_free(&f.p);

    /* An authenticated user is past the grace time for good. */
    connect_with(&f, &auth);
    assert_int_equal(sshkit_session_tick(f.p.server, 0), 0);
    assert_int_equal(sshkit_auth_password(f.p.client, "robey", "foo"), 0);
    pump(&f);
    assert_int_equal(f.c.status, SSHKIT_AUTH_SUCCESS);
    assert_int_equal(sshkit_session_tick(f.p.server, 3600 * 1000), 0);
    pair_free(&f.p);
}

static void test_default_max_tries(void **state)
{
    (void)state;
    fixture f;
    connect_all(&f);
    for (int i = 0; i < 6 && f.c.disconnects == 0; i++) {
        assert_int_equal(sshkit_auth_publickey(f.p.client, "robey", user_keys[i % NKEYS]), 0);
        pump(&f);
    }
    assert_int_equal(f.c.results, 5);
    assert_server_ended(&f, SK_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE);
    pair_free(&f.p);
}

static void test_banner_once(void **state)
{
    (void)state;
    sshkit_server_auth auth = all_methods;
    auth.banner = "Welcome to the BBS\r\n";
    fixture f;
    connect_with(&f, &auth);
    assert_int_equal(sshkit_auth_none(f.p.client, "robey"), 0);
    pump(&f);
    assert_int_equal(f.c.banners, 1);
    assert_string_equal(f.c.banner, "Welcome to the BBS\r\n");
    assert_int_equal(sshkit_auth_password(f.p.client, "robey", "foo"), 0);
    pump(&f);
    assert_int_equal(f.c.banners, 1);
    assert_authenticated(&f);
    pair_free(&f.p);
}

/* A message the client writes itself, past its auth layer. */
static void client_sends(fixture *f, uint8_t type, const char *field)
{
    sk_buf *b = sk_msg_begin(f->p.client, type);
    if (field)
        sk_write_cstring(b, field);
    assert_int_equal(sk_msg_end(f->p.client), 0);
    pump(f);
}

static void test_client_sends_success(void **state)
{
    (void)state;
    fixture f;
    connect_all(&f);
    assert_int_equal(sshkit_auth_none(f.p.client, "robey"), 0);
    pump(&f);
    client_sends(&f, SK_MSG_USERAUTH_SUCCESS, NULL);
    assert_server_ended(&f, SK_DISCONNECT_PROTOCOL_ERROR);
    pair_free(&f.p);
}

static void test_channel_open_before_auth(void **state)
{
    (void)state;
    fixture f;
    connect_all(&f);
    assert_int_equal(sshkit_auth_none(f.p.client, "robey"), 0);
    pump(&f);
    client_sends(&f, SK_MSG_CHANNEL_OPEN, "session");
    assert_server_ended(&f, SK_DISCONNECT_PROTOCOL_ERROR);
    pair_free(&f.p);
}

static void test_request_before_service(void **state)
{
    (void)state;
    fixture f;
    connect_all(&f);
    sk_buf *b = sk_msg_begin(f.p.client, SK_MSG_USERAUTH_REQUEST);
    sk_auth_write_head(b, "robey", "none");
    assert_int_equal(sk_msg_end(f.p.client), 0);
    pump(&f);
    assert_server_ended(&f, SK_DISCONNECT_PROTOCOL_ERROR);
    pair_free(&f.p);
}

static void test_bad_service(void **state)
{
    (void)state;
    fixture f;
    connect_all(&f);
    client_sends(&f, SK_MSG_SERVICE_REQUEST, "ssh-connection");
    assert_server_ended(&f, SK_DISCONNECT_SERVICE_NOT_AVAILABLE);
    assert_non_null(strstr(sshkit_session_last_error(f.p.server), "bad service request ssh-connection"));
    pair_free(&f.p);
}

static void test_user_change(void **state)
{
    (void)state;
    fixture f;
    connect_all(&f);
    assert_int_equal(sshkit_auth_none(f.p.client, "robey"), 0);
    pump(&f);
    assert_int_equal(sshkit_auth_password(f.p.client, "root", "foo"), 0);
    pump(&f);
    assert_server_ended(&f, SK_DISCONNECT_PROTOCOL_ERROR);
    pair_free(&f.p);
}

/* The client refuses server messages out of place. */
static void test_server_out_of_place(void **state)
{
    (void)state;
    fixture f;
    connect_all(&f);
    sk_msg_begin(f.p.server, SK_MSG_USERAUTH_SUCCESS);      /* before any request */
    assert_int_equal(sk_msg_end(f.p.server), 0);
    pump(&f);
    assert_int_equal(f.c.disconnects, 1);
    assert_int_equal(f.c.reason, SK_DISCONNECT_PROTOCOL_ERROR);
    assert_false(sshkit_auth_is_done(f.p.client));
    pair_free(&f.p);
    /* PK_OK while no publickey query is pending. */
    connect_all(&f);
    assert_int_equal(sshkit_auth_none(f.p.client, "robey"), 0);
    pair_move(f.p.client, f.p.server, 1 << 20);
    sk_buf *b = sk_msg_begin(f.p.server, SK_MSG_USERAUTH_PK_OK);
    sk_write_cstring(b, "ssh-ed25519");
    sk_write_cstring(b, "blob");
    assert_int_equal(sk_msg_end(f.p.server), 0);
    pump(&f);
    assert_int_equal(f.c.disconnects, 1);
    assert_int_equal(f.c.reason, SK_DISCONNECT_PROTOCOL_ERROR);
    pair_free(&f.p);
}

/* Malformed requests and answers end the session; so does an
 * INFO_RESPONSE nobody asked for. */
static void test_hostile_client(void **state)
{
    (void)state;
    fixture f;
    connect_all(&f);
    assert_int_equal(sshkit_auth_none(f.p.client, "robey"), 0);
    pump(&f);
    sk_buf *b = sk_msg_begin(f.p.client, SK_MSG_USERAUTH_REQUEST);
    sk_auth_write_head(b, "robey", "password");
    sk_write_bool(b, false);
    sk_write_u32(b, 100);                       /* a password that is not there */
    assert_int_equal(sk_msg_end(f.p.client), 0);
    pump(&f);
    assert_server_ended(&f, SK_DISCONNECT_PROTOCOL_ERROR);
    assert_int_equal(f.ctx.pw_calls, 0);
    pair_free(&f.p);

    connect_all(&f);
    assert_int_equal(sshkit_auth_none(f.p.client, "robey"), 0);
    pump(&f);
    b = sk_msg_begin(f.p.client, SK_MSG_USERAUTH_INFO_RESPONSE);
    sk_write_u32(b, 0);
    assert_int_equal(sk_msg_end(f.p.client), 0);
    pump(&f);
    assert_server_ended(&f, SK_DISCONNECT_PROTOCOL_ERROR);
    pair_free(&f.p);

    /* A kbdint answer count that differs from the prompts'. */
    connect_all(&f);
    assert_int_equal(sshkit_auth_kbdint(f.p.client, "robey"), 0);
    pump(&f);
    b = sk_msg_begin(f.p.client, SK_MSG_USERAUTH_INFO_RESPONSE);
    sk_write_u32(b, 2);
    sk_write_cstring(b, "foo");
    sk_write_cstring(b, "bar");
    assert_int_equal(sk_msg_end(f.p.client), 0);
    pump(&f);
    assert_server_ended(&f, SK_DISCONNECT_PROTOCOL_ERROR);
    pair_free(&f.p);
}

/* A server asking 65 keyboard-interactive questions is cut off: the
 * forged INFO_REQUEST goes straight to the client's auth layer. */
static void test_hostile_server_prompts(void **state)
{
    (void)state;
    fixture f;
    connect_all(&f);
    assert_int_equal(sshkit_auth_kbdint(f.p.client, "robey"), 0);
    pair_move(f.p.client, f.p.server, 1 << 20);     /* SERVICE_REQUEST */
    pair_move(f.p.server, f.p.client, 1 << 20);     /* SERVICE_ACCEPT: the client sends its request */
    assert_int_equal(f.p.client->auth_client->state, SK_CLIENT_KBDINT);
    sk_buf b;
    sk_buf_init(&b);
    sk_write_u8(&b, SK_MSG_USERAUTH_PK_OK);
    sk_write_cstring(&b, "");
    sk_write_cstring(&b, "");
    sk_write_cstring(&b, "");
    sk_write_u32(&b, 65);
    for (int i = 0; i < 65; i++) {
        sk_write_cstring(&b, "?");
        sk_write_bool(&b, false);
    }
    sk_bytes payload = { b.data, b.len };
    assert_int_equal(sk_auth_handle(f.p.client, SK_MSG_USERAUTH_PK_OK, payload), SSHKIT_E_PROTOCOL);
    sk_buf_free(&b);
    collect(f.p.client, &f.c);
    assert_int_equal(f.c.prompts, 0);
    assert_int_equal(f.c.disconnects, 1);
    assert_int_equal(f.c.reason, SK_DISCONNECT_PROTOCOL_ERROR);
    assert_non_null(strstr(sshkit_session_last_error(f.p.client), "INFO_REQUEST"));
    assert_true(sshkit_session_is_closed(f.p.client));
    pair_free(&f.p);
}

static void test_client_api_states(void **state)
{
    (void)state;
    sshkit_session *s;
    assert_int_equal(sshkit_session_new(SSHKIT_ROLE_CLIENT, &s), 0);
    assert_int_equal(sshkit_auth_none(s, "robey"), SSHKIT_E_STATE);      /* no kex yet */
    assert_int_equal(sshkit_auth_password(s, "robey", NULL), SSHKIT_E_INVALID_ARGUMENT);
    sshkit_server_auth auth = all_methods;
    assert_int_equal(sshkit_server_set_auth(s, &auth), SSHKIT_E_STATE); /* a client */
    assert_false(sshkit_auth_is_done(s));
    assert_null(sshkit_auth_user(s));
    sshkit_session_free(s);
    fixture f;
    connect_all(&f);
    assert_int_equal(sshkit_server_set_auth(f.p.server, &auth), SSHKIT_E_STATE); /* started */
    assert_int_equal(sshkit_auth_none(f.p.server, "robey"), SSHKIT_E_STATE);     /* a server */
    char user[300];
    memset(user, 'u', sizeof user - 1);
    user[sizeof user - 1] = '\0';
    assert_int_equal(sshkit_auth_none(f.p.client, user), SSHKIT_E_INVALID_ARGUMENT);
    pair_free(&f.p);
}

static int setup(void **state)
{
    (void)state;
    const sshkit_key_type types[NKEYS] = { SSHKIT_KEY_ED25519, SSHKIT_KEY_ECDSA_P256,
                                           SSHKIT_KEY_ECDSA_P384, SSHKIT_KEY_ECDSA_P521,
                                           SSHKIT_KEY_RSA };
    if (sshkit_key_generate(SSHKIT_KEY_ED25519, 0, &host_key))
        return -1;
    for (int i = 0; i < NKEYS; i++)
        if (sshkit_key_generate(types[i], types[i] == SSHKIT_KEY_RSA ? 2048 : 0, &user_keys[i]))
            return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sshkit_key_free(host_key);
    for (int i = 0; i < NKEYS; i++)
        sshkit_key_free(user_keys[i]);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_none_lists_methods),
        cmocka_unit_test(test_password),
        cmocka_unit_test(test_password_unknown_user),
        cmocka_unit_test(test_publickey_every_type),
        cmocka_unit_test(test_publickey_refused),
        cmocka_unit_test(test_publickey_bad_signature),
        cmocka_unit_test(test_kbdint_two_rounds),
        cmocka_unit_test(test_kbdint_wrong_answer),
        cmocka_unit_test(test_partial_success),
        cmocka_unit_test(test_none_policy),
        cmocka_unit_test(test_max_tries),
        cmocka_unit_test(test_default_max_tries),
        cmocka_unit_test(test_banner_once),
        cmocka_unit_test(test_client_sends_success),
        cmocka_unit_test(test_channel_open_before_auth),
        cmocka_unit_test(test_request_before_service),
        cmocka_unit_test(test_bad_service),
        cmocka_unit_test(test_user_change),
        cmocka_unit_test(test_server_out_of_place),
        cmocka_unit_test(test_login_grace_time),
        cmocka_unit_test(test_hostile_client),
        cmocka_unit_test(test_hostile_server_prompts),
        cmocka_unit_test(test_client_api_states),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
