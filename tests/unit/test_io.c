/* Unit tests for the socket half of sshkit/io.h: connect, listen, accept.
 * Loopback addresses only (127.0.0.1, ::1); every wait is bounded. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <sshkit/error.h>
#include <sshkit/io.h>

#define WAIT_MS 5000

/* A listener on addr, port 0; skips the test when the address is missing
 * (no IPv6 on this machine). */
static int listener(const char *addr, int backlog, int *port)
{
    int fd;
    int rc = sshkit_listen(addr, 0, backlog, &fd);
    if (rc != 0 && strchr(addr, ':') != NULL)
        skip();
    assert_int_equal(rc, 0);
    *port = sshkit_local_port(fd);
    assert_true(*port > 0 && *port <= 65535);
    return fd;
}

/* Connects to addr, accepts, and checks that bytes go both ways. */
static void round_trip(const char *listen_addr, const char *connect_addr)
{
    int port;
    int lfd = listener(listen_addr, -1, &port);
    int cfd, sfd;
    char why[256];
    assert_int_equal(sshkit_connect(connect_addr, (unsigned)port, WAIT_MS, &cfd, why, sizeof why), 0);
    assert_string_equal(why, "");
    assert_int_equal(sshkit_accept(lfd, &sfd, WAIT_MS), 0);
    assert_int_equal(write(cfd, "ping", 4), 4);
    char buf[4];
    assert_int_equal(read(sfd, buf, 4), 4);
    assert_memory_equal(buf, "ping", 4);
    assert_int_equal(write(sfd, "pong", 4), 4);
    assert_int_equal(read(cfd, buf, 4), 4);
    assert_memory_equal(buf, "pong", 4);
    close(cfd);
    close(sfd);
    close(lfd);
}

static void test_connect_ipv4(void **state)
{
    (void)state;
    round_trip("127.0.0.1", "127.0.0.1");
}

static void test_connect_ipv6(void **state)
{
    (void)state;
    round_trip("::1", "::1");
}

/* A name, not a number: resolved, then each of its addresses tried in turn. */
static void test_connect_name_tries_each_address(void **state)
{
    (void)state;
    round_trip("127.0.0.1", "localhost");
}

static void test_socket_options(void **state)
{
    (void)state;
    int port;
    int lfd = listener("127.0.0.1", -1, &port);
    assert_true(fcntl(lfd, F_GETFL) & O_NONBLOCK);
    assert_true(fcntl(lfd, F_GETFD) & FD_CLOEXEC);
    int cfd, sfd;
    assert_int_equal(sshkit_connect("127.0.0.1", (unsigned)port, WAIT_MS, &cfd, NULL, 0), 0);
    assert_int_equal(sshkit_accept(lfd, &sfd, WAIT_MS), 0);
    for (int i = 0; i < 2; i++) {
        int fd = i ? sfd : cfd, on = 0;
        socklen_t len = sizeof on;
        assert_int_equal(getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, &len), 0);
        assert_true(on);
        assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
        assert_false(fcntl(fd, F_GETFL) & O_NONBLOCK);
    }
    assert_int_equal(sshkit_set_nonblocking(cfd), 0);
    assert_true(fcntl(cfd, F_GETFL) & O_NONBLOCK);
    close(cfd);
    close(sfd);
    close(lfd);
}

static void test_connect_refused(void **state)
{
    (void)state;
    int port;
    close(listener("127.0.0.1", -1, &port));    /* a port nobody listens on now */
    int fd = 123;
    char why[256];
    assert_int_equal(sshkit_connect("127.0.0.1", (unsigned)port, WAIT_MS, &fd, why, sizeof why),
                     SSHKIT_E_CONNECT);
    assert_int_equal(fd, -1);
    assert_non_null(strstr(why, "connect to host 127.0.0.1 port"));
    assert_non_null(strstr(why, strerror(ECONNREFUSED)));
}

/* A listener with a backlog of 0 that never accepts: once its queue is
 * full, the kernel drops further SYNs and connect() waits until timeout. */
static void test_connect_timeout(void **state)
{
    (void)state;
    int port;
    int lfd = listener("127.0.0.1", 0, &port);
    int fds[8], n = 0, rc = 0;
    char why[256];
    while (n < 8) {
        rc = sshkit_connect("127.0.0.1", (unsigned)port, 300, &fds[n], why, sizeof why);
        if (rc != 0)
            break;
        n++;
    }
    assert_int_equal(rc, SSHKIT_E_TIMEOUT);
    assert_non_null(strstr(why, strerror(ETIMEDOUT)));
    for (int i = 0; i < n; i++)
        close(fds[i]);
    close(lfd);
}

static void test_connect_resolve_failure(void **state)
{
    (void)state;
    int fd;
    char why[256];
    assert_int_equal(sshkit_connect("nonexistent.invalid", 22, WAIT_MS, &fd, why, sizeof why),
                     SSHKIT_E_RESOLVE);
    assert_int_equal(fd, -1);
    assert_non_null(strstr(why, "Could not resolve hostname nonexistent.invalid"));
}

static void test_connect_bad_arguments(void **state)
{
    (void)state;
    int fd;
    assert_int_equal(sshkit_connect(NULL, 22, WAIT_MS, &fd, NULL, 0), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_connect("127.0.0.1", 0, WAIT_MS, &fd, NULL, 0), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_connect("127.0.0.1", 65536, WAIT_MS, &fd, NULL, 0), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_connect("127.0.0.1", 22, WAIT_MS, NULL, NULL, 0), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_listen("127.0.0.1", 65536, 1, &fd), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_listen("127.0.0.1", 0, 1, NULL), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_accept(0, NULL, 0), SSHKIT_E_INVALID_ARGUMENT);
}

static void test_accept_timeout(void **state)
{
    (void)state;
    int port;
    int lfd = listener("127.0.0.1", -1, &port);
    int fd = 123;
    assert_int_equal(sshkit_accept(lfd, &fd, 0), SSHKIT_E_TIMEOUT);
    assert_int_equal(fd, -1);
    assert_int_equal(sshkit_accept(lfd, &fd, 50), SSHKIT_E_TIMEOUT);
    close(lfd);
}

static void test_listen_errors(void **state)
{
    (void)state;
    int port, fd;
    int lfd = listener("127.0.0.1", -1, &port);
    /* the same port, held by a listening socket: SO_REUSEADDR does not allow it */
    assert_int_equal(sshkit_listen("127.0.0.1", (unsigned)port, 1, &fd), SSHKIT_E_IO);
    assert_int_equal(fd, -1);
    assert_int_equal(sshkit_listen("nonexistent.invalid", 0, 1, &fd), SSHKIT_E_RESOLVE);
    close(lfd);
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    assert_int_equal(sshkit_local_port(pipefd[0]), SSHKIT_E_IO);
    close(pipefd[0]);
    close(pipefd[1]);
}

static void test_error_strings(void **state)
{
    (void)state;
    assert_string_equal(sshkit_error_name(SSHKIT_E_TIMEOUT), "SSHKIT_E_TIMEOUT");
    assert_string_equal(sshkit_error_name(SSHKIT_E_RESOLVE), "SSHKIT_E_RESOLVE");
    assert_string_equal(sshkit_error_name(SSHKIT_E_CONNECT), "SSHKIT_E_CONNECT");
    assert_string_equal(sshkit_error_name(SSHKIT_E_CLOSED), "SSHKIT_E_CLOSED");
    assert_string_equal(sshkit_strerror(SSHKIT_E_RESOLVE), "could not resolve host name");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_connect_ipv4),
        cmocka_unit_test(test_connect_ipv6),
        cmocka_unit_test(test_connect_name_tries_each_address),
        cmocka_unit_test(test_socket_options),
        cmocka_unit_test(test_connect_refused),
        cmocka_unit_test(test_connect_timeout),
        cmocka_unit_test(test_connect_resolve_failure),
        cmocka_unit_test(test_connect_bad_arguments),
        cmocka_unit_test(test_accept_timeout),
        cmocka_unit_test(test_listen_errors),
        cmocka_unit_test(test_error_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
