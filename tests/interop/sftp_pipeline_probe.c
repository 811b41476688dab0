/* sshkit-sftp_pipeline-probe LOG N SERVER [ARG...]: an SFTP subsystem
 * that runs SERVER (OpenSSH's sftp-server) behind a relay which counts the
 * client's READ and WRITE requests in flight, to show that sftp's -R is
 * obeyed.
 *
 * After each OPEN, the first data request closes a gate: the server's
 * answers are held back until N data requests are in flight. A client
 * that keeps N requests in flight opens it; one that keeps fewer waits
 * forever (the test's timeout fails it). The largest number in flight is
 * counted throughout, an answer being counted when it is passed on: the
 * relay can only see fewer in flight than the client has, never more, so
 * a count above N proves the client sent too many. At the end LOG gets
 * "gates opened G" and "most in flight M".
 *
 * With "cut:K" for N, there is no gate: the relay hangs up (and stops the
 * server) once K data requests have been answered, in the middle of a
 * transfer, as a dying server would. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define FXP_OPEN 3
#define FXP_READ 5
#define FXP_WRITE 6
#define MAX_IDS 65536

/* A byte stream cut into SFTP packets as they pass. */
struct framer {
    uint8_t head[9];    /* length (4), type (1), id (4) of the packet under way */
    size_t have;        /* bytes of head filled */
    uint64_t left;      /* bytes of the packet still to pass after head */
};

static uint32_t in_flight[MAX_IDS];
static size_t n_in_flight, most, gates, gate_at, answered, cut_after;
static int gate_closed, gate_armed = 1;

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void request(uint8_t type, uint32_t id)
{
    if (type == FXP_OPEN)
        gate_armed = 1;
    if (type != FXP_READ && type != FXP_WRITE)
        return;
    if (gate_armed) {
        gate_armed = 0;
        gate_closed = 1;
    }
    if (n_in_flight < MAX_IDS)
        in_flight[n_in_flight++] = id;
    if (n_in_flight > most)
        most = n_in_flight;
    if (gate_closed && (cut_after || n_in_flight >= gate_at)) {
        gate_closed = 0;
        gates++;
    }
}

static void answer(uint32_t id)
{
    for (size_t i = 0; i < n_in_flight; i++)
        if (in_flight[i] == id) {
            in_flight[i] = in_flight[--n_in_flight];
            answered++;
            return;
        }
}

/* Feeds bytes to a framer; on_packet gets each packet's type and id. */
static void frame(struct framer *f, const uint8_t *p, size_t n, void (*on_packet)(uint8_t, uint32_t))
{
    while (n > 0) {
        if (f->have < sizeof f->head) {
            size_t take = sizeof f->head - f->have < n ? sizeof f->head - f->have : n;
            memcpy(f->head + f->have, p, take);
            f->have += take;
            p += take;
            n -= take;
            if (f->have == sizeof f->head) {
                uint32_t len = be32(f->head);
                on_packet(f->head[4], be32(f->head + 5));
                f->left = len >= 5 ? len - 5 : 0;
            }
            continue;
        }
        size_t skip = f->left < n ? (size_t)f->left : n;
        f->left -= skip;
        p += skip;
        n -= skip;
        if (f->left == 0)
            f->have = 0;
    }
}

static void on_reply(uint8_t type, uint32_t id)
{
    (void)type;
    answer(id);
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The server's output held while the gate is closed. */
static uint8_t *held;
static size_t held_len, held_cap;

static int hold(const uint8_t *p, size_t n)
{
    if (held_len + n > held_cap) {
        size_t cap = (held_len + n) * 2;
        uint8_t *nh = realloc(held, cap);
        if (nh == NULL)
            return -1;
        held = nh;
        held_cap = cap;
    }
    memcpy(held + held_len, p, n);
    held_len += n;
    return 0;
}

/* Passes what the server said on, once the gate allows. */
static int release(struct framer *replies)
{
    if (gate_closed || held_len == 0)
        return 0;
    frame(replies, held, held_len, on_reply);
    int rc = write_all(STDOUT_FILENO, held, held_len);
    held_len = 0;
    return rc;
}

static void relay(pid_t server, int to_server, int from_server)
{
    struct framer requests = { 0 }, replies = { 0 };
    uint8_t buf[65536];
    int client_open = 1;
    for (;;) {
        struct pollfd p[2] = { { .fd = client_open ? STDIN_FILENO : -1, .events = POLLIN },
                               { .fd = from_server, .events = POLLIN } };
        if (poll(p, 2, -1) < 0 && errno != EINTR)
            return;
        if (p[0].revents) {
            ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
            if (n <= 0) {
                client_open = 0;
                close(to_server);
            } else {
                frame(&requests, buf, (size_t)n, request);
                if (write_all(to_server, buf, (size_t)n) != 0)
                    return;
            }
        }
        if (p[1].revents) {
            ssize_t n = read(from_server, buf, sizeof buf);
            if (n <= 0 || hold(buf, (size_t)n) != 0)
                return;
        }
        if (release(&replies) != 0)
            return;
        if (cut_after && answered >= cut_after) {
            kill(server, SIGTERM);
            return;
        }
    }
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s LOG N SERVER [ARG...]\n", argv[0]);
        return 2;
    }
    if (strncmp(argv[2], "cut:", 4) == 0)
        cut_after = strtoul(argv[2] + 4, NULL, 10);
    else
        gate_at = strtoul(argv[2], NULL, 10);
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0)
        return 1;
    signal(SIGPIPE, SIG_IGN);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        close(in[0]), close(in[1]), close(out[0]), close(out[1]);
        execv(argv[3], argv + 3);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    relay(pid, in[1], out[0]);
    waitpid(pid, NULL, 0);
    FILE *log = fopen(argv[1], "a");
    if (log == NULL)
        return 1;
    fprintf(log, "gates opened %zu\nmost in flight %zu\n", gates, most);
    fclose(log);
    return 0;
}
