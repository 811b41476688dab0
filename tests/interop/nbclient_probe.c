/* sshkit-nbclient-probe: several high-level clients (sshkit/client.h) in
 * non-blocking mode, all driven from ONE poll() loop. Each connects,
 * runs a command with input (sshkit_client_exec, write, read both
 * streams, wait), then one with sshkit_client_run(), and checks what came
 * back against what the command must print.
 *
 *   sshkit-nbclient-probe -p PORT -l USER -o KNOWN_HOSTS [-i KEY] [-P PASSWORD]
 *                         [-n COUNT] [-g GOFILE] [-s] [-r] HOST
 *
 * -g: the last client's command waits (on the server) until GOFILE exists;
 *     the probe creates it only once every other client is done, so the
 *     others must have gone on while that one waited.
 * -s: one more client connects to a listener of the probe's own that never
 *     answers, with a 1 s timeout: it must fail with SSHKIT_E_TIMEOUT while
 *     the others go on.
 * -r: client 0 checks the rules of calls in progress: another exec, run or
 *     write while one is in progress is SSHKIT_E_STATE; a 4 MiB write to a
 *     command that does not read yet (it waits for GOFILE.write) cannot
 *     finish at once, and finishes, intact, once the command reads.
 * Exits 0 when every check passed. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sshkit.h>

#define MAX_CLIENTS 32
#define BIG (4u << 20)
#define LOOP_LIMIT_MS 120000    /* the whole run, so that it always ends */

enum phase { CONNECT, EXEC, WRITE, READ, WAIT, RUN, DONE, FAILED };

struct client {
    int id;
    sshkit_client *c;
    enum phase phase;
    bool silent, held;
    int round;                  /* 0: the command with input; 1: the 4 MiB write (-r) */
    sshkit_channel *ch;
    char cmd[2048], input[64];
    uint8_t out[2][4096];
    size_t len[2];
    bool eof[2];
    unsigned again;             /* calls that returned SSHKIT_E_AGAIN */
    bool exec_rule, run_rule, write_rule;
    sshkit_exec_result res;
};

static struct {
    const char *host, *user, *known_hosts, *key, *password, *gofile;
    unsigned port, count;
    bool silent, rules;
} opt = { .count = 3 };
static int failures, done_order;
static unsigned silent_port;
static uint8_t *big;

static void check(struct client *k, bool ok, const char *what)
{
    printf("[%d] %s: %s\n", k->id, what, ok ? "ok" : "FAILED");
    failures += !ok;
}

static void touch(const char *suffix)
{
    char path[1024];
    snprintf(path, sizeof path, "%s%s", opt.gofile, suffix);
    int fd = open(path, O_WRONLY | O_CREAT, 0600);
    if (fd >= 0)
        close(fd);
}

/* The first round's command: a line in, output on both streams, a status. */
static void first_command(struct client *k)
{
    char wait[1200] = "";
    if (k->held)
        snprintf(wait, sizeof wait, "n=0; while [ ! -e %s ] && [ $n -lt 600 ]; do sleep 0.1; "
                 "n=$((n+1)); done; [ -e %s ] && echo released || echo not-released; ",
                 opt.gofile, opt.gofile);
    snprintf(k->cmd, sizeof k->cmd, "%sread -r line; echo \"$line/$(echo \"$line\" | tr a-z A-Z)\"; "
             "echo err-%d >&2; exit %d", wait, k->id, k->id + 3);
    snprintf(k->input, sizeof k->input, "hello-%d\n", k->id);
}

static void check_first(struct client *k, int status)
{
    char want_out[128], want_err[32];
    snprintf(want_out, sizeof want_out, "%shello-%d/HELLO-%d\n", k->held ? "released\n" : "",
             k->id, k->id);
    snprintf(want_err, sizeof want_err, "err-%d\n", k->id);
    bool ok = k->len[0] == strlen(want_out) && memcmp(k->out[0], want_out, k->len[0]) == 0
              && k->len[1] == strlen(want_err) && memcmp(k->out[1], want_err, k->len[1]) == 0
              && status == k->id + 3;
    if (!ok)
        printf("[%d] got out '%.*s' err '%.*s' status %d\n", k->id, (int)k->len[0], k->out[0],
               (int)k->len[1], k->out[1], status);
    check(k, ok, "exec with input, stdout, stderr, exit status");
}

static void check_big(struct client *k, int status)
{
    char want[32];
    snprintf(want, sizeof want, "%u\n", BIG);
    check(k, status == 0 && k->len[0] == strlen(want) && memcmp(k->out[0], want, k->len[0]) == 0,
          "4 MiB written through a closed window, every byte received");
}

/* Starts an exec round: the command, what it reads. */
static void begin_round(struct client *k, int round)
{
    k->round = round;
    memset(k->len, 0, sizeof k->len);
    memset(k->eof, 0, sizeof k->eof);
    if (round == 1)
        snprintf(k->cmd, sizeof k->cmd, "n=0; while [ ! -e %s.write ] && [ $n -lt 600 ]; do "
                 "sleep 0.1; n=$((n+1)); done; wc -c | tr -d ' '", opt.gofile);
    k->phase = EXEC;
}

static int exec_phase(struct client *k)
{
    int rc = sshkit_client_exec(k->c, k->cmd, &k->ch);
    if (rc == SSHKIT_E_AGAIN && opt.rules && k->id == 0 && !k->exec_rule) {
        sshkit_channel *other = NULL;
        k->exec_rule = true;
        check(k, sshkit_client_exec(k->c, "true", &other) == SSHKIT_E_STATE && !other,
              "a second exec while one is in progress: SSHKIT_E_STATE");
    }
    if (rc == 0)
        k->phase = WRITE;
    return rc;
}

static int write_phase(struct client *k)
{
    const void *data = k->round ? (const void *)big : k->input;
    size_t len = k->round ? BIG : strlen(k->input);
    int rc = sshkit_client_write(k->c, k->ch, data, len);
    if (k->round == 1 && !k->write_rule) {
        k->write_rule = true;
        check(k, rc == SSHKIT_E_AGAIN, "4 MiB to a command not reading: SSHKIT_E_AGAIN");
        check(k, sshkit_client_write(k->c, k->ch, "x", 1) == SSHKIT_E_STATE,
              "another write on the channel meanwhile: SSHKIT_E_STATE");
        touch(".write");        /* now the command reads */
    }
    if (rc == 0 && (rc = sshkit_channel_send_eof(k->ch)) == 0)
        k->phase = READ;
    return rc;
}

static int read_phase(struct client *k)
{
    bool progress = false;
    for (int s = 0; s < 2; s++) {
        size_t room = sizeof k->out[s] - k->len[s];
        int n = k->eof[s] ? SSHKIT_E_AGAIN
                          : sshkit_client_read(k->c, k->ch, s, k->out[s] + k->len[s], room);
        if (n > 0)
            k->len[s] += (size_t)n;
        if (n == 0 || (n > 0 && k->len[s] == sizeof k->out[s]))
            k->eof[s] = true;
        if (n < 0 && n != SSHKIT_E_AGAIN)
            return n;
        progress = progress || n >= 0;
    }
    if (k->eof[0] && k->eof[1])
        k->phase = WAIT;
    return progress ? 0 : SSHKIT_E_AGAIN;
}

static int wait_phase(struct client *k)
{
    int status;
    int rc = sshkit_client_wait(k->c, k->ch, &status);
    if (rc != 0)
        return rc;
    sshkit_channel_free(k->ch);
    k->ch = NULL;
    if (k->round == 0) {
        check_first(k, status);
        k->phase = RUN;
    } else {
        check_big(k, status);
        k->phase = DONE;
    }
    return 0;
}

static int run_phase(struct client *k)
{
    char cmd[64], in[32], want[64];
    snprintf(cmd, sizeof cmd, "cat; echo run-%d", k->id);
    snprintf(in, sizeof in, "in-%d\n", k->id);
    snprintf(want, sizeof want, "in-%d\nrun-%d\n", k->id, k->id);
    int rc = sshkit_client_run(k->c, cmd, in, strlen(in), &k->res);
    if (rc == SSHKIT_E_AGAIN && opt.rules && k->id == 0 && !k->run_rule) {
        sshkit_exec_result other;
        k->run_rule = true;
        check(k, sshkit_client_run(k->c, "true", NULL, 0, &other) == SSHKIT_E_STATE,
              "a second run while one is in progress: SSHKIT_E_STATE");
        sshkit_exec_result_free(&other);
    }
    if (rc != 0)
        return rc;
    check(k, k->res.exit_status == 0 && k->res.out_len == strlen(want)
             && memcmp(k->res.out, want, k->res.out_len) == 0 && k->res.err_len == 0, "run");
    sshkit_exec_result_free(&k->res);
    if (opt.rules && k->id == 0)
        begin_round(k, 1);
    else
        k->phase = DONE;
    return 0;
}

static int connect_phase(struct client *k)
{
    int rc = sshkit_client_connect_continue(k->c);
    if (k->silent && rc != SSHKIT_E_AGAIN) {
        printf("[%d] silent server: %s after %u calls returned SSHKIT_E_AGAIN (%s)\n", k->id,
               sshkit_error_name(rc), k->again, sshkit_client_last_error(k->c));
        check(k, rc == SSHKIT_E_TIMEOUT && k->again > 0, "a server that never answers times out");
        k->phase = DONE;
        return 0;
    }
    if (rc == 0) {
        printf("[%d] connected\n", k->id);
        k->phase = EXEC;
    }
    return rc;
}

static int step(struct client *k)
{
    switch (k->phase) {
    case CONNECT: return connect_phase(k);
    case EXEC: return exec_phase(k);
    case WRITE: return write_phase(k);
    case READ: return read_phase(k);
    case WAIT: return wait_phase(k);
    case RUN: return run_phase(k);
    default: return 0;
    }
}

/* Runs a client as far as it goes without waiting. */
static void advance(struct client *k)
{
    int rc = 0;
    while (rc == 0 && k->phase != DONE && k->phase != FAILED)
        rc = step(k);
    if (rc == SSHKIT_E_AGAIN) {
        k->again++;
    } else if (rc < 0) {
        printf("[%d] failed: %s: %s\n", k->id, sshkit_error_name(rc),
               sshkit_client_last_error(k->c));
        k->phase = FAILED;
        failures++;
    }
    if (k->phase == DONE || k->phase == FAILED)
        printf("[%d] finished %s (%d of the clients), %u waits\n", k->id,
               k->phase == DONE ? "ok" : "failed", ++done_order, k->again);
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The one loop: every unfinished client, polled for what it wants. */
static void run_all(struct client *cl, unsigned n)
{
    uint64_t end = now_ms() + LOOP_LIMIT_MS;
    bool released = false;
    while (now_ms() < end) {
        struct pollfd pfd[MAX_CLIENTS + 1];
        unsigned busy = 0, others_busy = 0;
        int timeout = 1000;
        for (unsigned i = 0; i < n; i++) {
            struct client *k = &cl[i];
            bool was_busy = k->phase != DONE && k->phase != FAILED;
            if (was_busy)
                advance(k);
            bool active = k->phase != DONE && k->phase != FAILED;
            int t = 0;
            unsigned want = active ? sshkit_client_want(k->c, &t) : 0;
            pfd[i] = (struct pollfd){ .fd = active ? sshkit_client_fd(k->c) : -1,
                                      .events = (short)((want & SSHKIT_WANT_READ ? POLLIN : 0)
                                                        | (want & SSHKIT_WANT_WRITE ? POLLOUT : 0)) };
            if (active && t >= 0 && t < timeout)
                timeout = t;
            busy += active;
            others_busy += active && !k->held && !k->silent;
        }
        if (busy == 0)
            return;
        if (opt.gofile && others_busy == 0 && !released) {
            printf("every other client is done: releasing the held one\n");
            touch("");
            released = true;
        }
        if (poll(pfd, n, timeout) < 0 && errno != EINTR)
            break;
    }
    printf("time is up\n");
    failures++;
}

static int parse_args(int argc, char **argv)
{
    int ch;
    while ((ch = getopt(argc, argv, "p:l:o:i:P:n:g:sr")) != -1) {
        switch (ch) {
        case 'p': opt.port = (unsigned)atoi(optarg); break;
        case 'l': opt.user = optarg; break;
        case 'o': opt.known_hosts = optarg; break;
        case 'i': opt.key = optarg; break;
        case 'P': opt.password = optarg; break;
        case 'n': opt.count = (unsigned)atoi(optarg); break;
        case 'g': opt.gofile = optarg; break;
        case 's': opt.silent = true; break;
        case 'r': opt.rules = true; break;
        default: return -1;
        }
    }
    if (optind + 1 != argc || !opt.user || !opt.known_hosts || opt.count < 1 ||
        opt.count > MAX_CLIENTS || (opt.rules && !opt.gofile))
        return -1;
    opt.host = argv[optind];
    return 0;
}

/* A listener that takes connections (the kernel does) and never says a word. */
static int silent_listener(void)
{
    int fd;
    if (sshkit_listen("127.0.0.1", 0, 16, &fd) != 0)
        return -1;
    silent_port = (unsigned)sshkit_local_port(fd);
    return fd;
}

int main(int argc, char **argv)
{
    if (parse_args(argc, argv) != 0) {
        fprintf(stderr, "usage: %s -p port -l user -o known_hosts [-i key] [-P password] "
                        "[-n count] [-g gofile] [-s] [-r] host\n", argv[0]);
        return 2;
    }
    if ((big = malloc(BIG)) == NULL)
        return 2;
    for (size_t i = 0; i < BIG; i++)
        big[i] = (uint8_t)(i * 131 + 7);
    int quiet_fd = opt.silent ? silent_listener() : -1;
    if (opt.silent && quiet_fd < 0)
        return 2;
    const char *keys[2] = { opt.key, NULL };
    static struct client cl[MAX_CLIENTS + 1];
    unsigned n = opt.count + opt.silent;
    for (unsigned i = 0; i < n; i++) {
        struct client *k = &cl[i];
        *k = (struct client){ .id = (int)i, .silent = i == opt.count,
                              .held = opt.gofile && i + 1 == opt.count && i > 0 };
        sshkit_client_options o;
        sshkit_client_options_init(&o);
        o.port = k->silent ? silent_port : opt.port;
        o.user = opt.user;
        o.known_hosts = opt.known_hosts;
        o.identity_files = keys;            /* only -i, never ~/.ssh's keys */
        o.password = opt.password;
        o.timeout_ms = k->silent ? 1000 : 60000;
        int rc = sshkit_client_connect_start(k->silent ? "127.0.0.1" : opt.host, &o, &k->c);
        if (rc != 0) {
            printf("[%d] connect_start: %s\n", k->id, sshkit_error_name(rc));
            return 1;
        }
        first_command(k);
    }
    run_all(cl, n);
    for (unsigned i = 0; i < n; i++) {
        sshkit_channel_free(cl[i].ch);
        sshkit_exec_result_free(&cl[i].res);
        sshkit_client_free(cl[i].c);
    }
    if (quiet_fd >= 0)
        close(quiet_fd);
    free(big);
    printf("%s: %d failed checks\n", failures ? "FAIL" : "PASS", failures);
    return failures ? 1 : 0;
}
