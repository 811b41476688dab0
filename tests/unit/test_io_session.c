/* Unit tests for the drivers of sshkit/io.h with the real engine: a server
 * session on a thread with the blocking driver, a client with the
 * non-blocking (or blocking) driver, over loopback TCP or a socketpair.
 * Every wait is bounded and every thread joined. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>
#include <sshkit/error.h>
#include <sshkit/io.h>

#define WAIT_MS 10000

static sshkit_key *host_key;

static int group_setup(void **state)
{
    (void)state;
    return sshkit_key_generate(SSHKIT_KEY_ED25519, 0, &host_key);
}

static int group_teardown(void **state)
{
    (void)state;
    sshkit_key_free(host_key);
    return 0;
}

/* ---- the server, on its own thread, with the blocking driver ---------- */

struct server {
    int fd;
    pthread_t thread;
    int handshake;          /* sshkit_blocking_handshake()'s result */
    int end;                /* waiting for the end: 0, or an error */
    sshkit_event_type last; /* the last event seen */
    int end_error;          /* its disconnect.error */
    bool by_peer;
};

static void *server_main(void *arg)
{
    struct server *sv = arg;
    const sshkit_key *keys[] = { host_key };
    sshkit_session *s;
    sv->handshake = sshkit_server_session_new(keys, 1, NULL, &s);
    if (sv->handshake != 0)
        return NULL;
    sv->handshake = sshkit_blocking_handshake(s, sv->fd, WAIT_MS);
    sshkit_event ev = { .type = SSHKIT_EVENT_NONE };
    sv->end = sshkit_blocking_wait_for(s, sv->fd, SSHKIT_EVENT_DISCONNECTED, &ev, WAIT_MS);
    sv->last = ev.type;
    if (ev.type == SSHKIT_EVENT_DISCONNECTED) {
        sv->end_error = ev.u.disconnect.error;
        sv->by_peer = ev.u.disconnect.by_peer;
    }
    sshkit_session_free(s);
    return NULL;
}

static void server_start(struct server *sv, int fd)
{
    *sv = (struct server){ .fd = fd, .handshake = 1, .end = 1 };
    assert_int_equal(pthread_create(&sv->thread, NULL, server_main, sv), 0);
}

static void server_join(struct server *sv)
{
    assert_int_equal(pthread_join(sv->thread, NULL), 0);
    close(sv->fd);
}

/* ---- the client -------------------------------------------------------- */

/* Accepts exactly the test's host key. */
static int check_key(void *user, sshkit_session *s, const sshkit_key *key)
{
    (void)s;
    return sshkit_key_equal(user, key) ? 0 : -1;
}

static sshkit_session *client_new(const sshkit_key *accept_key)
{
    sshkit_session *s;
    assert_int_equal(sshkit_session_new(SSHKIT_ROLE_CLIENT, &s), 0);
    sshkit_session_set_host_key_check(s, check_key, (void *)accept_key);
    assert_int_equal(sshkit_session_start(s), 0);
    return s;
}

/* The non-blocking driver in a poll loop, until an event of a type: 0, or
 * the error that ended it. At most 200 polls of 50 ms. */
static int nb_until(sshkit_session *s, int fd, sshkit_event_type until, sshkit_event *ev)
{
    for (int i = 0; i < 200; i++) {
        unsigned want;
        int rc;
        while ((rc = sshkit_nb_process(s, fd, ev, &want)) == 1)
            if (ev->type == until)
                return 0;
        if (rc != SSHKIT_E_AGAIN)
            return rc;
        assert_true(want != 0);
        struct pollfd p = { .fd = fd, .events = (short)((want & SSHKIT_WANT_READ ? POLLIN : 0)
                                                        | (want & SSHKIT_WANT_WRITE ? POLLOUT : 0)) };
        poll(&p, 1, 50);
    }
    return SSHKIT_E_TIMEOUT;
}

/* Handshake with the non-blocking client, then an orderly goodbye. */
static void handshake_and_goodbye(int cfd, int sfd)
{
    struct server sv;
    server_start(&sv, sfd);
    assert_int_equal(sshkit_set_nonblocking(cfd), 0);
    sshkit_session *c = client_new(host_key);
    sshkit_event ev;
    assert_int_equal(nb_until(c, cfd, SSHKIT_EVENT_KEX_DONE, &ev), 0);
    assert_true(sshkit_session_is_secure(c));
    assert_true(sshkit_key_equal(sshkit_session_host_key(c), host_key));
    assert_string_not_equal(sshkit_session_get_negotiated(c, SSHKIT_ALG_CIPHER), "");

    int rc = sshkit_auth_none(c, "nobody");
    if (rc == 0) {   /* the authentication layer is there */
        assert_int_equal(nb_until(c, cfd, SSHKIT_EVENT_AUTH_RESULT, &ev), 0);
    } else {
        assert_int_equal(rc, SSHKIT_E_UNSUPPORTED);
    }

    assert_int_equal(sshkit_session_disconnect(c, 11, "bye"), 0);
    assert_int_equal(nb_until(c, cfd, SSHKIT_EVENT_NONE, &ev), SSHKIT_E_CLOSED);
    close(cfd);
    sshkit_session_free(c);
    server_join(&sv);
    assert_int_equal(sv.handshake, 0);
    assert_int_equal(sv.end, 0);
    assert_int_equal(sv.last, SSHKIT_EVENT_DISCONNECTED);
    assert_true(sv.by_peer);
}

static void test_handshake_loopback_tcp(void **state)
{
    (void)state;
    int lfd, cfd, sfd;
    assert_int_equal(sshkit_listen("127.0.0.1", 0, 4, &lfd), 0);
    int port = sshkit_local_port(lfd);
    assert_true(port > 0);
    assert_int_equal(sshkit_connect("127.0.0.1", (unsigned)port, WAIT_MS, &cfd, NULL, 0), 0);
    assert_int_equal(sshkit_accept(lfd, &sfd, WAIT_MS), 0);
    close(lfd);
    handshake_and_goodbye(cfd, sfd);
}

/* Tiny socket buffers: short writes and reads in pieces, both ways. */
static void test_handshake_socketpair_small_buffers(void **state)
{
    (void)state;
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    for (int i = 0; i < 2; i++) {
        int size = 1;       /* the kernel rounds it up to its minimum */
        setsockopt(sv[i], SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
        setsockopt(sv[i], SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    }
    handshake_and_goodbye(sv[0], sv[1]);
}

/* A refused host key: the client's handshake fails with the reason, and
 * the server hears the DISCONNECT (written before the call returns). */
static void test_host_key_rejected(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    struct server sv;
    server_start(&sv, fds[1]);
    sshkit_key *other;
    assert_int_equal(sshkit_key_generate(SSHKIT_KEY_ED25519, 0, &other), 0);
    sshkit_session *c = client_new(other);
    assert_int_equal(sshkit_blocking_handshake(c, fds[0], WAIT_MS), SSHKIT_E_HOST_KEY_REJECTED);
    sshkit_event ev;
    assert_int_equal(sshkit_blocking_wait_event(c, fds[0], &ev, WAIT_MS), SSHKIT_E_CLOSED);
    server_join(&sv);
    close(fds[0]);
    sshkit_session_free(c);
    sshkit_key_free(other);
    assert_int_equal(sv.handshake, SSHKIT_E_DISCONNECTED);
    assert_int_equal(sv.end, SSHKIT_E_CLOSED);
}

/* A peer that never speaks: the time limit ends the wait, the session goes on. */
static void test_handshake_timeout(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    sshkit_session *c = client_new(host_key);
    assert_int_equal(sshkit_blocking_handshake(c, fds[0], 100), SSHKIT_E_TIMEOUT);
    assert_false(sshkit_session_is_closed(c));
    char buf[256];
    ssize_t n = read(fds[1], buf, sizeof buf);          /* our version line went out */
    assert_true(n > 8);
    assert_memory_equal(buf, "SSH-2.0-", 8);
    unsigned want;
    sshkit_event ev;
    assert_int_equal(sshkit_nb_process(c, fds[0], &ev, &want), SSHKIT_E_AGAIN);
    assert_int_equal(want, SSHKIT_WANT_READ);
    assert_int_equal(sshkit_blocking_disconnect(c, fds[0], 11, "bye", WAIT_MS), 0);
    assert_true(sshkit_session_is_closed(c));
    close(fds[0]);
    close(fds[1]);
    sshkit_session_free(c);
}

/* The peer closes at once: the session ends with CONNECTION_CLOSED. */
static void test_peer_closes(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    close(fds[1]);
    sshkit_session *c = client_new(host_key);
    assert_int_equal(sshkit_blocking_handshake(c, fds[0], WAIT_MS), SSHKIT_E_CONNECTION_CLOSED);
    assert_true(sshkit_session_is_closed(c));
    unsigned want;
    sshkit_event ev;
    assert_int_equal(sshkit_nb_process(c, fds[0], &ev, &want), SSHKIT_E_CLOSED);
    assert_int_equal(want, 0);
    close(fds[0]);
    sshkit_session_free(c);
}

/* Not a socket: an error value, never a hang. */
static void test_bad_descriptor(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    sshkit_session *c = client_new(host_key);
    unsigned want;
    sshkit_event ev;
    assert_int_equal(sshkit_nb_process(c, p[1], &ev, &want), SSHKIT_E_IO);
    assert_int_equal(sshkit_nb_process(NULL, p[1], &ev, &want), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_blocking_handshake(c, -1, 10), SSHKIT_E_INVALID_ARGUMENT);
    close(p[0]);
    close(p[1]);
    sshkit_session_free(c);
}

static void test_server_session_arguments(void **state)
{
    (void)state;
    sshkit_session *s = (sshkit_session *)1;
    sshkit_key *pub;
    assert_int_equal(sshkit_key_public_copy(host_key, &pub), 0);
    const sshkit_key *keys[] = { pub };
    assert_int_equal(sshkit_server_session_new(keys, 1, NULL, &s), SSHKIT_E_INVALID_ARGUMENT);
    assert_null(s);
    assert_int_equal(sshkit_server_session_new(keys, 0, NULL, &s), SSHKIT_E_INVALID_ARGUMENT);
    sshkit_key_free(pub);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handshake_loopback_tcp),
        cmocka_unit_test(test_handshake_socketpair_small_buffers),
        cmocka_unit_test(test_host_key_rejected),
        cmocka_unit_test(test_handshake_timeout),
        cmocka_unit_test(test_peer_closes),
        cmocka_unit_test(test_bad_descriptor),
        cmocka_unit_test(test_server_session_arguments),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
