/* sshkit-client-probe: the sshkit client side of the transport interop
 * tests. Connects, completes the key exchange with the algorithms given,
 * checks the host key with sshkit_hostkey_verifier, authenticates, and
 * optionally stays connected for a while (to see rekeys), then says
 * goodbye. Prints one line per step; exits 0 when every step worked. The
 * verifier's message (sshkit_hostkey_verifier_describe()) goes to stderr,
 * as ssh prints its own.
 *
 *   sshkit-client-probe -p PORT -l USER -o OPTION [-o OPTION...]
 *       [-i KEY | -w PASSWORD] [-k KEX] [-H HOSTKEYALGS] [-c CIPHER] [-m MAC]
 *       [-s SECONDS] [-r REKEY_BYTES] [-v] HOST
 *
 * OPTION is one of ssh's, as -o NAME=VALUE: StrictHostKeyChecking=yes (the
 * REJECT policy, the default) | accept-new (ACCEPT_NEW) | no (WARN);
 * UserKnownHostsFile=FILE (writable; may repeat); GlobalKnownHostsFile=FILE
 * (read-only; may repeat); HashKnownHosts=yes|no. A bare -o FILE means
 * UserKnownHostsFile=FILE. At least one file is needed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sshkit.h>

#define STEP_TIMEOUT_MS 20000

#define MAX_FILES 8

struct probe {
    const char *host, *user, *key_path, *password;
    const char *files[MAX_FILES];
    bool writable[MAX_FILES];
    int nfiles;
    sshkit_hostkey_policy policy;
    bool hash;
    const char *algs[SSHKIT_ALG_KINDS];
    unsigned port;
    int stay_seconds;
    unsigned long long rekey_bytes;
    bool verbose;
};

/* Prints what the host key check found: a step line on stdout, and the
 * verifier's message for the user on stderr. */
static void report_host_key(sshkit_hostkey_verifier *v)
{
    sshkit_hostkey_outcome o;
    if (sshkit_hostkey_verifier_outcome(v, &o) != 0)
        return;
    printf("host key %s %s: %s\n", o.key_type, o.fingerprint,
           o.status == SSHKIT_KH_OK ? "known" : "NOT known");
    char text[8192];
    int n = sshkit_hostkey_verifier_describe(v, text, sizeof text);
    if (n > 0)
        fputs(text, stderr);
    fflush(stdout);
}

static void log_line(void *user, sshkit_log_level level, const char *message)
{
    (void)user;
    (void)level;
    fprintf(stderr, "debug: %s\n", message);
}

static void usage(void)
{
    fprintf(stderr, "usage: sshkit-client-probe -p port -l user -o option... [-i key | -w password]\n"
                    "       [-k kex] [-H hostkeyalgs] [-c cipher] [-m mac] [-s seconds] [-r bytes] [-v] host\n");
    exit(2);
}

static void add_file(struct probe *p, const char *path, bool writable)
{
    if (p->nfiles == MAX_FILES)
        usage();
    p->files[p->nfiles] = path;
    p->writable[p->nfiles++] = writable;
}

/* One -o: NAME=VALUE as in ssh_config, or a bare known_hosts file. */
static void option(struct probe *p, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (eq == NULL) {
        add_file(p, arg, true);
        return;
    }
    size_t n = (size_t)(eq - arg);
    const char *value = eq + 1;
    if (n == 21 && strncmp(arg, "StrictHostKeyChecking", n) == 0) {
        if (strcmp(value, "yes") == 0)
            p->policy = SSHKIT_HOSTKEY_POLICY_REJECT;
        else if (strcmp(value, "accept-new") == 0)
            p->policy = SSHKIT_HOSTKEY_POLICY_ACCEPT_NEW;
        else if (strcmp(value, "no") == 0)
            p->policy = SSHKIT_HOSTKEY_POLICY_WARN;
        else
            usage();
    } else if (n == 18 && strncmp(arg, "UserKnownHostsFile", n) == 0) {
        add_file(p, value, true);
    } else if (n == 20 && strncmp(arg, "GlobalKnownHostsFile", n) == 0) {
        add_file(p, value, false);
    } else if (n == 14 && strncmp(arg, "HashKnownHosts", n) == 0) {
        p->hash = strcmp(value, "yes") == 0;
    } else {
        usage();
    }
}

static void parse(int argc, char **argv, struct probe *p)
{
    int c;
    while ((c = getopt(argc, argv, "p:l:o:i:w:k:H:c:m:s:r:v")) != -1) {
        switch (c) {
        case 'p': p->port = (unsigned)atoi(optarg); break;
        case 'l': p->user = optarg; break;
        case 'o': option(p, optarg); break;
        case 'i': p->key_path = optarg; break;
        case 'w': p->password = optarg; break;
        case 'k': p->algs[SSHKIT_ALG_KEX] = optarg; break;
        case 'H': p->algs[SSHKIT_ALG_HOSTKEY] = optarg; break;
        case 'c': p->algs[SSHKIT_ALG_CIPHER] = optarg; break;
        case 'm': p->algs[SSHKIT_ALG_MAC] = optarg; break;
        case 's': p->stay_seconds = atoi(optarg); break;
        case 'r': p->rekey_bytes = strtoull(optarg, NULL, 10); break;
        case 'v': p->verbose = true; break;
        default: usage();
        }
    }
    if (optind + 1 != argc || !p->port || !p->user || p->nfiles == 0)
        usage();
    p->host = argv[optind];
}

static int fail(sshkit_session *s, const char *step, int rc)
{
    printf("FAILED %s: %s (%s)\n", step, sshkit_error_name(rc),
           s ? sshkit_session_last_error(s) : "");
    return 1;
}

static int authenticate(const struct probe *p, sshkit_session *s, int fd)
{
    int rc;
    if (p->key_path) {
        sshkit_key *key;
        if ((rc = sshkit_key_load_private(p->key_path, NULL, &key)) != 0)
            return fail(s, "loading the key", rc);
        rc = sshkit_blocking_auth_publickey(s, fd, p->user, key, STEP_TIMEOUT_MS);
        sshkit_key_free(key);
    } else {
        rc = sshkit_blocking_auth_password(s, fd, p->user, p->password ? p->password : "",
                                           STEP_TIMEOUT_MS);
    }
    if (rc != SSHKIT_AUTH_SUCCESS)
        return fail(s, "authentication", rc < 0 ? rc : SSHKIT_E_PROTOCOL);
    printf("authenticated as %s\n", sshkit_auth_user(s));
    return 0;
}

/* Stays connected, counting the key exchanges the server or we start. */
static int stay(const struct probe *p, sshkit_session *s, int fd)
{
    int rekeys = 0;
    time_t end = time(NULL) + p->stay_seconds;
    while (time(NULL) < end) {
        sshkit_event ev;
        int rc = sshkit_blocking_wait_event(s, fd, &ev, 200);
        if (rc == SSHKIT_E_TIMEOUT)
            continue;
        if (rc < 0)
            return fail(s, "staying connected", rc);
        if (ev.type == SSHKIT_EVENT_KEX_DONE)
            rekeys++;
        if (ev.type == SSHKIT_EVENT_DISCONNECTED)
            return fail(s, "staying connected", ev.u.disconnect.error);
    }
    printf("rekeys %d\n", rekeys);
    return 0;
}

static int run(const struct probe *p, sshkit_session *s, int fd, sshkit_hostkey_verifier *v)
{
    for (int k = 0; k < SSHKIT_ALG_KINDS; k++)
        if (p->algs[k] && sshkit_session_set_algorithms(s, (sshkit_algorithm_kind)k, p->algs[k]))
            return fail(s, "setting algorithms", SSHKIT_E_UNSUPPORTED);
    if (p->rekey_bytes)
        sshkit_session_set_rekey_limit(s, p->rekey_bytes, 0);
    int rc = sshkit_session_start(s);
    if (rc == 0)
        rc = sshkit_blocking_handshake(s, fd, STEP_TIMEOUT_MS);
    report_host_key(v);
    if (rc)
        return fail(s, "key exchange", rc);
    printf("kex %s hostkey %s cipher %s mac %s\n",
           sshkit_session_get_negotiated(s, SSHKIT_ALG_KEX),
           sshkit_session_get_negotiated(s, SSHKIT_ALG_HOSTKEY),
           sshkit_session_get_negotiated(s, SSHKIT_ALG_CIPHER),
           sshkit_session_get_negotiated(s, SSHKIT_ALG_MAC));
    if (authenticate(p, s, fd) != 0)
        return 1;
    if (p->stay_seconds > 0 && stay(p, s, fd) != 0)
        return 1;
    sshkit_blocking_disconnect(s, fd, 11, "probe done", STEP_TIMEOUT_MS);
    return 0;
}

int main(int argc, char **argv)
{
    struct probe p = { 0 };
    parse(argc, argv, &p);
    char err[256];
    int fd;
    int rc = sshkit_connect(p.host, p.port, STEP_TIMEOUT_MS, &fd, err, sizeof err);
    if (rc) {
        printf("FAILED connect: %s\n", err);
        return 1;
    }
    sshkit_hostkey_verifier *v;
    if (sshkit_hostkey_verifier_new(&v, p.host, p.port, p.policy) != 0)
        return fail(NULL, "making the verifier", SSHKIT_E_INVALID_ARGUMENT);
    for (int i = 0; i < p.nfiles; i++)
        if (sshkit_hostkey_verifier_add_file(v, p.files[i], p.writable[i]) != 0)
            return fail(NULL, "adding a known_hosts file", SSHKIT_E_NOMEM);
    sshkit_hostkey_verifier_set_hash(v, p.hash);
    sshkit_session *s;
    if (sshkit_session_new(SSHKIT_ROLE_CLIENT, &s) != 0)
        return 1;
    sshkit_session_set_host_key_check(s, sshkit_hostkey_verifier_check, v);
    if (p.verbose)
        sshkit_session_set_log(s, SSHKIT_LOG_DEBUG, log_line, NULL);
    int status = run(&p, s, fd, v);
    sshkit_session_free(s);
    sshkit_hostkey_verifier_free(v);
    close(fd);
    return status;
}
