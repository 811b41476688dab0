/* sshkit-client-probe: the sshkit client side of the transport interop
 * tests. Connects, completes the key exchange with the algorithms given,
 * checks the host key against a known_hosts file, authenticates, and
 * optionally stays connected for a while (to see rekeys), then says
 * goodbye. Prints one line per step; exits 0 when every step worked.
 *
 *   sshkit-client-probe -p PORT -l USER -o KNOWN_HOSTS
 *       [-i KEY | -w PASSWORD] [-k KEX] [-H HOSTKEYALGS] [-c CIPHER] [-m MAC]
 *       [-s SECONDS] [-r REKEY_BYTES] [-v] HOST
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sshkit.h>

#define STEP_TIMEOUT_MS 20000

struct probe {
    const char *host, *user, *known_hosts, *key_path, *password;
    const char *algs[SSHKIT_ALG_KINDS];
    unsigned port;
    int stay_seconds;
    unsigned long long rekey_bytes;
    bool verbose;
};

static int check_known_host(void *user, sshkit_session *s, const sshkit_key *key)
{
    (void)s;
    const struct probe *p = user;
    sshkit_knownhosts *kh;
    if (sshkit_knownhosts_load(p->known_hosts, &kh) != 0)
        return -1;
    sshkit_kh_result result;
    int status = sshkit_knownhosts_check(kh, p->host, p->port, key, &result);
    sshkit_knownhosts_free(kh);
    printf("host key %s: %s\n", sshkit_key_type_name(key),
           status == SSHKIT_KH_OK ? "known" : "NOT known");
    return status == SSHKIT_KH_OK ? 0 : -1;
}

static void log_line(void *user, sshkit_log_level level, const char *message)
{
    (void)user;
    (void)level;
    fprintf(stderr, "debug: %s\n", message);
}

static void usage(void)
{
    fprintf(stderr, "usage: sshkit-client-probe -p port -l user -o known_hosts [-i key | -w password]\n"
                    "       [-k kex] [-H hostkeyalgs] [-c cipher] [-m mac] [-s seconds] [-r bytes] [-v] host\n");
    exit(2);
}

static void parse(int argc, char **argv, struct probe *p)
{
    int c;
    while ((c = getopt(argc, argv, "p:l:o:i:w:k:H:c:m:s:r:v")) != -1) {
        switch (c) {
        case 'p': p->port = (unsigned)atoi(optarg); break;
        case 'l': p->user = optarg; break;
        case 'o': p->known_hosts = optarg; break;
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
    if (optind + 1 != argc || !p->port || !p->user || !p->known_hosts)
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

static int run(const struct probe *p, sshkit_session *s, int fd)
{
    for (int k = 0; k < SSHKIT_ALG_KINDS; k++)
        if (p->algs[k] && sshkit_session_set_algorithms(s, (sshkit_algorithm_kind)k, p->algs[k]))
            return fail(s, "setting algorithms", SSHKIT_E_UNSUPPORTED);
    if (p->rekey_bytes)
        sshkit_session_set_rekey_limit(s, p->rekey_bytes, 0);
    int rc = sshkit_session_start(s);
    if (rc == 0)
        rc = sshkit_blocking_handshake(s, fd, STEP_TIMEOUT_MS);
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
    sshkit_session *s;
    if (sshkit_session_new(SSHKIT_ROLE_CLIENT, &s) != 0)
        return 1;
    sshkit_session_set_host_key_check(s, check_known_host, &p);
    if (p.verbose)
        sshkit_session_set_log(s, SSHKIT_LOG_DEBUG, log_line, NULL);
    int status = run(&p, s, fd);
    sshkit_session_free(s);
    close(fd);
    return status;
}
