/*
 * poll_clients: several SSH client sessions to one server, all driven from
 * ONE poll() loop with sshkit's non-blocking driver (sshkit_nb_process()).
 *
 *   poll_clients [-n count] [-p port] [-l user] -i identity
 *                [-o UserKnownHostsFile=file] [-o StrictHostKeyChecking=yes|no] host
 *
 * Each client connects, does the key exchange (printing the server's host
 * key fingerprint), authenticates with the key given with -i, and says
 * goodbye. The host key is checked against the known_hosts file, or
 * accepted unchecked with StrictHostKeyChecking=no (for tests only!).
 */
#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sshkit.h>

#define MAX_CLIENTS 64
#define RUN_LIMIT_MS 30000      /* the whole run, so that it always ends */

struct options {
    const char *host, *user, *identity, *known_hosts;
    unsigned port, count;
    bool strict;
};

/* One connection and where it stands. */
struct client {
    int id, fd;
    sshkit_session *session;
    unsigned want;              /* what sshkit_nb_process() waits for */
    bool active, authenticated;
};

static struct options opt = { .port = 22, .count = 3, .strict = true };
static sshkit_key *identity;
static sshkit_knownhosts *known_hosts;

/* The host key check every session calls once the server has proven it holds the key. */
static int check_host_key(void *user, sshkit_session *session, const sshkit_key *key)
{
    struct client *c = user;
    (void)session;
    char *fp = NULL;
    if (sshkit_key_fingerprint(key, SSHKIT_FP_SHA256, &fp) == 0)
        printf("[%d] host key %s %s\n", c->id, sshkit_key_type_name(key), fp);
    sshkit_free(fp, 0);
    if (!opt.strict)
        return 0;                               /* StrictHostKeyChecking=no */
    int st = known_hosts ? sshkit_knownhosts_check(known_hosts, opt.host, opt.port, key, NULL)
                         : SSHKIT_KH_NEW;
    if (st != SSHKIT_KH_OK)
        printf("[%d] host key not in known_hosts: refusing\n", c->id);
    return st == SSHKIT_KH_OK ? 0 : -1;
}

static void client_close(struct client *c)
{
    if (c->fd >= 0)
        close(c->fd);
    sshkit_session_free(c->session);
    *c = (struct client){ .id = c->id, .fd = -1 };
}

/* Connects (blocking, for brevity) and starts a client session. */
static int client_open(struct client *c, int id)
{
    char why[256];
    *c = (struct client){ .id = id, .fd = -1, .want = SSHKIT_WANT_WRITE };
    int rc = sshkit_connect(opt.host, opt.port, 10000, &c->fd, why, sizeof why);
    if (rc != 0) {
        fprintf(stderr, "[%d] %s\n", id, why);
        return rc;
    }
    if ((rc = sshkit_set_nonblocking(c->fd)) != 0
        || (rc = sshkit_session_new(SSHKIT_ROLE_CLIENT, &c->session)) != 0) {
        client_close(c);
        return rc;
    }
    sshkit_session_set_host_key_check(c->session, check_host_key, c);
    if ((rc = sshkit_session_start(c->session)) != 0) {   /* queues our version and KEXINIT */
        client_close(c);
        return rc;
    }
    c->active = true;
    return 0;
}

/* Reacts to one event: authenticate after the key exchange, then leave. */
static void client_event(struct client *c, const sshkit_event *ev)
{
    switch (ev->type) {
    case SSHKIT_EVENT_KEX_DONE: {
        if (sshkit_auth_is_done(c->session))
            break;                              /* a rekey, later on */
        int rc = sshkit_auth_publickey(c->session, opt.user, identity);
        if (rc != 0) {
            printf("[%d] publickey: %s\n", c->id, sshkit_strerror(rc));
            sshkit_session_disconnect(c->session, 11, "bye");
        }
        break;
    }
    case SSHKIT_EVENT_AUTH_RESULT:
        c->authenticated = ev->u.auth.status == SSHKIT_AUTH_SUCCESS;
        printf("[%d] publickey: %s%s%s\n", c->id, c->authenticated ? "accepted" : "refused",
               c->authenticated ? "" : "; methods left: ", ev->u.auth.methods);
        sshkit_session_disconnect(c->session, 11, "bye");
        break;
    case SSHKIT_EVENT_DISCONNECTED:
        if (ev->u.disconnect.error != 0)
            printf("[%d] ended: %s\n", c->id, sshkit_session_last_error(c->session));
        break;
    default:
        break;
    }
}

/* Runs one client as far as it goes without blocking. */
static void client_drive(struct client *c)
{
    sshkit_event ev;
    int rc;
    while ((rc = sshkit_nb_process(c->session, c->fd, &ev, &c->want)) == 1)
        client_event(c, &ev);   /* it may queue output: the loop sends it */
    if (rc == SSHKIT_E_AGAIN)
        return;
    if (rc != SSHKIT_E_CLOSED)
        printf("[%d] %s\n", c->id, sshkit_strerror(rc));
    close(c->fd);               /* ended: everything it had to say is written */
    c->fd = -1;
    c->active = false;          /* the session is freed at the end, after its results */
}

/* The one loop: poll every active client for what it wants. */
static void run(struct client *clients, unsigned n)
{
    struct pollfd pfd[MAX_CLIENTS];
    struct client *who[MAX_CLIENTS];
    for (int waited = 0; waited < RUN_LIMIT_MS; waited += 1000) {
        nfds_t k = 0;
        for (unsigned i = 0; i < n; i++) {
            if (!clients[i].active)
                continue;
            short ev = (short)((clients[i].want & SSHKIT_WANT_READ ? POLLIN : 0)
                               | (clients[i].want & SSHKIT_WANT_WRITE ? POLLOUT : 0));
            pfd[k] = (struct pollfd){ .fd = clients[i].fd, .events = ev };
            who[k++] = &clients[i];
        }
        if (k == 0)
            return;
        /* a one-second timeout also gives sessions their clock ticks */
        if (poll(pfd, k, 1000) < 0 && errno != EINTR)
            return;
        for (nfds_t i = 0; i < k; i++)
            client_drive(who[i]);
    }
    printf("time is up\n");
}

static int parse_option(const char *kv)
{
    if (strncmp(kv, "UserKnownHostsFile=", 19) == 0)
        opt.known_hosts = kv + 19;
    else if (strcmp(kv, "StrictHostKeyChecking=no") == 0)
        opt.strict = false;
    else if (strcmp(kv, "StrictHostKeyChecking=yes") == 0)
        opt.strict = true;
    else {
        fprintf(stderr, "unsupported option: %s\n", kv);
        return -1;
    }
    return 0;
}

static int parse_args(int argc, char **argv)
{
    int ch;
    const struct passwd *pw = getpwuid(getuid());
    opt.user = pw ? pw->pw_name : getenv("USER");
    while ((ch = getopt(argc, argv, "i:l:n:o:p:")) != -1) {
        switch (ch) {
        case 'i': opt.identity = optarg; break;
        case 'l': opt.user = optarg; break;
        case 'n': opt.count = (unsigned)atoi(optarg); break;
        case 'p': opt.port = (unsigned)atoi(optarg); break;
        case 'o': if (parse_option(optarg) != 0) return -1; break;
        default: return -1;
        }
    }
    if (optind + 1 != argc || !opt.identity || !opt.user || opt.count < 1 || opt.count > MAX_CLIENTS)
        return -1;
    opt.host = argv[optind];
    return 0;
}

int main(int argc, char **argv)
{
    if (parse_args(argc, argv) != 0) {
        fprintf(stderr, "usage: %s [-n count] [-p port] [-l user] -i identity "
                        "[-o UserKnownHostsFile=file] [-o StrictHostKeyChecking=yes|no] host\n", argv[0]);
        return 2;
    }
    int rc = sshkit_key_load_private(opt.identity, NULL, &identity);
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", opt.identity, sshkit_strerror(rc));
        return 1;
    }
    if (opt.known_hosts && sshkit_knownhosts_load(opt.known_hosts, &known_hosts) != 0)
        fprintf(stderr, "%s: cannot read; every host key is unknown\n", opt.known_hosts);

    static struct client clients[MAX_CLIENTS];
    unsigned n = 0;
    while (n < opt.count && client_open(&clients[n], (int)n) == 0)
        n++;
    run(clients, n);

    unsigned ok = 0;
    for (unsigned i = 0; i < n; i++) {
        ok += clients[i].authenticated;
        client_close(&clients[i]);
    }
    printf("%u of %u clients authenticated\n", ok, opt.count);
    sshkit_knownhosts_free(known_hosts);
    sshkit_key_free(identity);
    return ok == opt.count ? 0 : 1;
}
