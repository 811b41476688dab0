/* Unit tests for the high-level client's non-blocking connect
 * (sshkit_client_connect_start / _continue / _want) against servers on
 * loopback that misbehave: one that never says a word, one that sends its
 * version and no more, one that hangs up, a port nobody listens on. No
 * call may wait: each returns SSHKIT_E_AGAIN until a deadline has passed,
 * then SSHKIT_E_TIMEOUT, in ssh's words. Every loop is bounded. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <poll.h>
#include <unistd.h>
#include <sshkit/client.h>
#include <sshkit/error.h>
#include <sshkit/io.h>

#define TIMEOUT_MS 300
#define MAX_STEPS 200

/* A listener on a free loopback port; the kernel completes connections to
 * it whether or not anyone accepts them. */
static int listener(unsigned *port)
{
    int fd;
    assert_int_equal(sshkit_listen("127.0.0.1", 0, 8, &fd), 0);
    int p = sshkit_local_port(fd);
    assert_true(p > 0);
    *port = (unsigned)p;
    return fd;
}

static sshkit_client *start(unsigned port, int timeout_ms)
{
    sshkit_client_options opt;
    sshkit_client_options_init(&opt);
    opt.port = port;
    opt.user = "nobody";
    opt.timeout_ms = timeout_ms;
    static const char *const no_keys[] = { NULL };
    opt.identity_files = no_keys;
    opt.known_hosts = "/dev/null";
    sshkit_client *c = NULL;
    assert_int_equal(sshkit_client_connect_start("127.0.0.1", &opt, &c), 0);
    assert_non_null(c);
    return c;
}

/* Continues until the outcome, polling as sshkit_client_want() says;
 * counts the calls that returned SSHKIT_E_AGAIN. */
static int drive(sshkit_client *c, int *agains, int limit_ms)
{
    *agains = 0;
    for (int i = 0; i < MAX_STEPS; i++) {
        int rc = sshkit_client_connect_continue(c);
        if (rc != SSHKIT_E_AGAIN)
            return rc;
        (*agains)++;
        int timeout;
        unsigned want = sshkit_client_want(c, &timeout);
        assert_true(timeout >= 0 && timeout <= limit_ms);      /* a deadline is running */
        assert_true(want != 0);
        struct pollfd p = { .fd = sshkit_client_fd(c),
                            .events = (short)((want & SSHKIT_WANT_READ ? POLLIN : 0)
                                              | (want & SSHKIT_WANT_WRITE ? POLLOUT : 0)) };
        assert_true(p.fd >= 0);
        poll(&p, 1, timeout);
    }
    fail_msg("no outcome after %d steps", MAX_STEPS);
    return 0;
}

/* A server that never answers: SSHKIT_E_AGAIN, then SSHKIT_E_TIMEOUT. */
static void test_silent_server_times_out(void **state)
{
    (void)state;
    unsigned port;
    int lfd = listener(&port);
    sshkit_client *c = start(port, TIMEOUT_MS);
    /* Calls of a connected client are refused while connecting. */
    sshkit_channel *ch = (sshkit_channel *)1;
    assert_int_equal(sshkit_client_exec(c, "true", &ch), SSHKIT_E_STATE);
    assert_null(ch);
    sshkit_exec_result r;
    assert_int_equal(sshkit_client_run(c, "true", NULL, 0, &r), SSHKIT_E_STATE);
    assert_int_equal(r.exit_status, -1);
    assert_int_equal(sshkit_client_wait_event(c), SSHKIT_E_STATE);
    int agains;
    assert_int_equal(drive(c, &agains, TIMEOUT_MS), SSHKIT_E_TIMEOUT);
    assert_true(agains >= 1);
    assert_string_equal(sshkit_client_last_error(c), "Connection timed out during banner exchange");
    /* The outcome stays; nothing else is possible but freeing. */
    assert_int_equal(sshkit_client_connect_continue(c), SSHKIT_E_TIMEOUT);
    assert_int_equal(sshkit_client_exec(c, "true", &ch), SSHKIT_E_STATE);
    int timeout = -1;
    (void)sshkit_client_want(c, &timeout);
    assert_int_equal(timeout, 0);
    sshkit_client_free(c);
    close(lfd);
}

/* The blocking connect is the same machine in a poll loop. */
static void test_blocking_connect_times_out(void **state)
{
    (void)state;
    unsigned port;
    int lfd = listener(&port);
    sshkit_client_options opt;
    sshkit_client_options_init(&opt);
    opt.port = port;
    opt.timeout_ms = TIMEOUT_MS;
    opt.known_hosts = "/dev/null";
    sshkit_client *c = (sshkit_client *)1;
    char err[256];
    assert_int_equal(sshkit_client_connect("127.0.0.1", &opt, &c, err, sizeof err),
                     SSHKIT_E_TIMEOUT);
    assert_null(c);
    assert_string_equal(err, "Connection timed out during banner exchange");
    close(lfd);
}

/* A server that sends its version and then nothing. */
static void test_mute_after_version(void **state)
{
    (void)state;
    unsigned port;
    int lfd = listener(&port);
    sshkit_client *c = start(port, TIMEOUT_MS);
    int sfd;
    assert_int_equal(sshkit_accept(lfd, &sfd, 5000), 0);
    static const char version[] = "SSH-2.0-Mute_1.0\r\n";
    assert_int_equal(write(sfd, version, sizeof version - 1), (ssize_t)(sizeof version - 1));
    int agains;
    assert_int_equal(drive(c, &agains, TIMEOUT_MS), SSHKIT_E_TIMEOUT);
    assert_true(agains >= 1);
    assert_string_equal(sshkit_client_last_error(c), "Connection timed out during key exchange");
    sshkit_client_free(c);
    close(sfd);
    close(lfd);
}

/* A server that hangs up at once: an error, not a wait. */
static void test_server_hangs_up(void **state)
{
    (void)state;
    unsigned port;
    int lfd = listener(&port);
    sshkit_client *c = start(port, 10000);
    int sfd;
    assert_int_equal(sshkit_accept(lfd, &sfd, 5000), 0);
    close(sfd);
    int agains;
    int rc = drive(c, &agains, 10000);
    assert_int_not_equal(rc, SSHKIT_E_TIMEOUT);
    assert_true(rc < 0);
    assert_true(strlen(sshkit_client_last_error(c)) > 0);
    sshkit_client_free(c);
    close(lfd);
}

/* Nobody listens: refused, worded as ssh does. */
static void test_refused(void **state)
{
    (void)state;
    unsigned port;
    close(listener(&port));
    sshkit_client *c = start(port, 10000);
    int agains;
    assert_int_equal(drive(c, &agains, 10000), SSHKIT_E_CONNECT);
    assert_non_null(strstr(sshkit_client_last_error(c), "port"));
    assert_non_null(strstr(sshkit_client_last_error(c), "Connection refused"));
    assert_int_equal(sshkit_client_fd(c), -1);
    assert_int_equal(sshkit_client_disconnect(c), 0);  /* no SSH connection: nothing to say */
    sshkit_client_free(c);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    sshkit_client *c = (sshkit_client *)1;
    assert_int_equal(sshkit_client_connect_start(NULL, NULL, &c), SSHKIT_E_INVALID_ARGUMENT);
    assert_null(c);
    assert_int_equal(sshkit_client_connect_start("127.0.0.1", NULL, NULL),
                     SSHKIT_E_INVALID_ARGUMENT);
    sshkit_client_options opt;
    sshkit_client_options_init(&opt);
    opt.port = 70000;
    assert_int_equal(sshkit_client_connect_start("127.0.0.1", &opt, &c),
                     SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_client_connect_continue(NULL), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_client_disconnect(NULL), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_client_wait_event(NULL), SSHKIT_E_INVALID_ARGUMENT);
    int timeout = 5;
    assert_int_equal(sshkit_client_want(NULL, &timeout), 0);
    assert_string_equal(sshkit_client_last_error(NULL), "");
    sshkit_client_set_nonblocking(NULL, true);
    sshkit_client_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_silent_server_times_out),
        cmocka_unit_test(test_blocking_connect_times_out),
        cmocka_unit_test(test_mute_after_version),
        cmocka_unit_test(test_server_hangs_up),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
