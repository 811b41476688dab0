/* Global requests with data (sshkit_session_global_request_data,
 * sshkit_session_global_reply_data), client against server in memory:
 * answers come as events in the order asked, with the fields the handler
 * gave REQUEST_SUCCESS; refusals carry none; keepalive-style requests
 * (no event) interleave without shifting the others' answers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <sshkit/auth.h>
#include <sshkit/channel.h>
#include <sshkit/error.h>
#include "session_pair.h"

static sshkit_key *host_key;

static const char *anyone(void *user, const char *name)
{
    (void)user;
    (void)name;
    return "none";
}

/* Grants "port-please" with its 4 data bytes plus one, refuses the rest. */
static bool handler(void *user, sshkit_session *s, const char *name, const uint8_t *data,
                    size_t len)
{
    int *calls = user;
    (*calls)++;
    if (strcmp(name, "port-please") != 0 || len != 4)
        return false;
    uint8_t reply[4] = { data[0], data[1], data[2], (uint8_t)(data[3] + 1) };
    assert_int_equal(sshkit_session_global_reply_data(s, reply, sizeof reply), 0);
    return true;
}

struct results {
    int count;
    bool success[8];
    uint8_t data[8][4];
    size_t len[8];
};

static void pump(session_pair *p, struct results *r)
{
    for (int round = 0; round < 1000; round++) {
        long a = pair_move(p->client, p->server, 1 << 16);
        long b = pair_move(p->server, p->client, 1 << 16);
        sshkit_event ev;
        int events = 0;
        while (sshkit_session_next_event(p->client, &ev) > 0 && ++events) {
            if (ev.type != SSHKIT_EVENT_GLOBAL_REQUEST_RESULT || r->count == 8)
                continue;
            r->success[r->count] = ev.u.global.success;
            r->len[r->count] = ev.u.global.len;
            if (ev.u.global.len == 4)
                memcpy(r->data[r->count], ev.u.global.data, 4);
            r->count++;
        }
        while (sshkit_session_next_event(p->server, &ev) > 0)
            events++;
        if (a <= 0 && b <= 0 && events == 0)
            return;
    }
}

static void test_answers_in_order_with_data(void **state)
{
    (void)state;
    session_pair p;
    int calls = 0;
    struct results r = { 0 };
    assert_int_equal(pair_new(&p, host_key), 0);
    sshkit_server_auth auth = { .methods = anyone };
    assert_int_equal(sshkit_server_set_auth(p.server, &auth), 0);
    sshkit_session_set_global_request_handler(p.server, handler, &calls);
    assert_int_equal(pair_start(&p), 0);
    pump(&p, &r);
    /* Not before authentication. */
    assert_int_equal(sshkit_session_global_request_data(p.client, "port-please", NULL, 0),
                     SSHKIT_E_STATE);
    assert_int_equal(sshkit_auth_none(p.client, "robey"), 0);
    pump(&p, &r);
    const uint8_t ask[4] = { 0, 0, 0, 41 };
    assert_int_equal(sshkit_session_global_request_data(p.client, "port-please", ask, 4), 0);
    assert_int_equal(sshkit_session_global_request(p.client, "keepalive-ish", true), 0);
    assert_int_equal(sshkit_session_global_request_data(p.client, "unknown", ask, 4), 0);
    assert_int_equal(sshkit_session_global_request_data(p.client, "port-please", ask, 3), 0);
    assert_int_equal(sshkit_session_global_request_data(p.client, NULL, ask, 4),
                     SSHKIT_E_INVALID_ARGUMENT);
    pump(&p, &r);
    assert_int_equal(calls, 4);
    assert_int_equal(r.count, 3);
    assert_true(r.success[0]);
    assert_int_equal(r.len[0], 4);
    assert_int_equal(r.data[0][3], 42);
    assert_false(r.success[1]);
    assert_int_equal(r.len[1], 0);
    assert_false(r.success[2]);
    /* Outside a handler, reply data is refused. */
    assert_int_equal(sshkit_session_global_reply_data(p.server, ask, 4), SSHKIT_E_STATE);
    pair_free(&p);
}

static int setup(void **state)
{
    (void)state;
    return sshkit_key_generate(SSHKIT_KEY_ED25519, 0, &host_key);
}

static int teardown(void **state)
{
    (void)state;
    sshkit_key_free(host_key);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_answers_in_order_with_data),
    };
    return cmocka_run_group_tests_name("global_request", tests, setup, teardown);
}
