/* sshkit-server-probe: a small sshkit server for the transport interop
 * tests (OpenSSH's ssh as the client). Listens on loopback, serves each
 * connection in a child process: key exchange with the algorithms given,
 * authentication by public key (an authorized_keys file) or password,
 * then stays until the client leaves. Stops on SIGTERM, taking its
 * children with it.
 *
 *   sshkit-server-probe -p PORT -h HOSTKEY [-h HOSTKEY...] [-a AUTHORIZED_KEYS]
 *       [-w USER:PASSWORD] [-k KEX] [-c CIPHER] [-m MAC] [-H HOSTKEYALGS]
 *       [-r REKEY_BYTES] [-t REKEY_SECONDS] [-g LOGIN_GRACE_SECONDS] [-z COMPRESSION]
 * With -p 0 it prints "port N" once listening.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sshkit.h>

#define MAX_HOST_KEYS 8
#define MAX_CHILDREN 256

struct config {
    unsigned port;
    sshkit_key *host_keys[MAX_HOST_KEYS];
    size_t host_key_count;
    const char *authorized_keys;
    const char *password_user, *password;
    const char *algs[SSHKIT_ALG_KINDS];
    unsigned long long rekey_bytes;
    unsigned rekey_seconds;
    int grace_seconds;
};

static pid_t children[MAX_CHILDREN];
static size_t child_count;
static volatile sig_atomic_t stopping;

static void on_term(int sig)
{
    (void)sig;
    stopping = 1;
}

/* Whether the authorized_keys file lists key. */
static bool authorized(const char *path, const sshkit_key *key)
{
    FILE *f = path ? fopen(path, "r") : NULL;
    char line[16384];
    bool found = false;
    while (f && !found && fgets(line, sizeof line, f)) {
        sshkit_authorized_key *ak;
        if (sshkit_authorized_key_parse(line, strlen(line), &ak) != 0)
            continue;
        found = sshkit_key_equal(sshkit_authorized_key_get_key(ak), key);
        sshkit_authorized_key_free(ak);
    }
    if (f)
        fclose(f);
    return found;
}

static sshkit_auth_decision check_publickey(void *user, const char *name, const sshkit_key *key)
{
    (void)name;
    const struct config *cfg = user;
    return authorized(cfg->authorized_keys, key) ? SSHKIT_AUTH_ACCEPT : SSHKIT_AUTH_REJECT;
}

static sshkit_auth_decision check_password(void *user, const char *name, const char *password)
{
    const struct config *cfg = user;
    bool ok = cfg->password && strcmp(name, cfg->password_user) == 0 &&
              strcmp(password, cfg->password) == 0;
    return ok ? SSHKIT_AUTH_ACCEPT : SSHKIT_AUTH_REJECT;
}

static void log_line(void *user, sshkit_log_level level, const char *message)
{
    (void)user;
    (void)level;
    fprintf(stderr, "server[%d]: %s\n", (int)getpid(), message);
}

/* One connection: handshake, authentication, then wait for the end. */
static int serve(const struct config *cfg, int fd)
{
    sshkit_server_auth auth = { .publickey = check_publickey, .user = (void *)cfg,
                                .login_grace_seconds = (unsigned)cfg->grace_seconds };
    if (cfg->password)
        auth.password = check_password;
    sshkit_session *s;
    if (sshkit_session_new(SSHKIT_ROLE_SERVER, &s) != 0)
        return 1;
    sshkit_session_set_log(s, SSHKIT_LOG_DEBUG, log_line, NULL);
    for (int k = 0; k < SSHKIT_ALG_KINDS; k++)
        if (cfg->algs[k])
            sshkit_session_set_algorithms(s, (sshkit_algorithm_kind)k, cfg->algs[k]);
    for (size_t i = 0; i < cfg->host_key_count; i++)
        sshkit_session_add_host_key(s, cfg->host_keys[i]);
    sshkit_session_set_rekey_limit(s, cfg->rekey_bytes, cfg->rekey_seconds);
    sshkit_server_set_auth(s, &auth);
    int rc = sshkit_session_start(s);
    while (rc == 0 && !stopping) {
        sshkit_event ev;
        int got = sshkit_blocking_wait_event(s, fd, &ev, 500);
        if (got == SSHKIT_E_TIMEOUT)
            continue;   /* the session ends itself after LoginGraceTime */
        if (got < 0 || ev.type == SSHKIT_EVENT_DISCONNECTED)
            break;
        if (ev.type == SSHKIT_EVENT_AUTHENTICATED)
            fprintf(stderr, "server[%d]: authenticated %s\n", (int)getpid(), ev.u.text.text);
    }
    sshkit_session_free(s);
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: sshkit-server-probe -p port -h hostkey... [-a authorized_keys]\n"
                    "       [-w user:password] [-k kex] [-c cipher] [-m mac] [-H hostkeyalgs]\n"
                    "       [-r rekey_bytes] [-t rekey_seconds] [-g grace_seconds]\n"
                    "       [-z compression]\n");
    exit(2);
}

static void add_host_key(struct config *cfg, const char *path)
{
    sshkit_key *key;
    int rc = sshkit_key_load_private(path, NULL, &key);
    if (rc || cfg->host_key_count == MAX_HOST_KEYS) {
        fprintf(stderr, "cannot use host key %s: %s\n", path, sshkit_strerror(rc));
        exit(1);
    }
    cfg->host_keys[cfg->host_key_count++] = key;
}

static void parse(int argc, char **argv, struct config *cfg)
{
    int c;
    while ((c = getopt(argc, argv, "p:h:a:w:k:c:m:H:r:t:g:z:")) != -1) {
        switch (c) {
        case 'p': cfg->port = (unsigned)atoi(optarg); break;
        case 'h': add_host_key(cfg, optarg); break;
        case 'a': cfg->authorized_keys = optarg; break;
        case 'w': {
            char *colon = strchr(optarg, ':');
            if (colon == NULL)
                usage();
            *colon = '\0';
            cfg->password_user = optarg;
            cfg->password = colon + 1;
            break;
        }
        case 'k': cfg->algs[SSHKIT_ALG_KEX] = optarg; break;
        case 'c': cfg->algs[SSHKIT_ALG_CIPHER] = optarg; break;
        case 'm': cfg->algs[SSHKIT_ALG_MAC] = optarg; break;
        case 'H': cfg->algs[SSHKIT_ALG_HOSTKEY] = optarg; break;
        case 'z': cfg->algs[SSHKIT_ALG_COMPRESSION] = optarg; break;
        case 'r': cfg->rekey_bytes = strtoull(optarg, NULL, 10); break;
        case 't': cfg->rekey_seconds = (unsigned)atoi(optarg); break;
        case 'g': cfg->grace_seconds = atoi(optarg); break;
        default: usage();
        }
    }
    if (optind != argc || cfg->host_key_count == 0)
        usage();
}

static void reap(void)
{
    for (size_t i = 0; i < child_count;) {
        if (waitpid(children[i], NULL, WNOHANG) == children[i])
            children[i] = children[--child_count];
        else
            i++;
    }
}

int main(int argc, char **argv)
{
    struct config cfg = { .grace_seconds = 120 };
    parse(argc, argv, &cfg);
    struct sigaction sa = { .sa_handler = on_term };
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    int lfd;
    if (sshkit_listen("127.0.0.1", cfg.port, 16, &lfd) != 0) {
        perror("listen");
        return 1;
    }
    printf("port %d\n", sshkit_local_port(lfd));
    fflush(stdout);
    while (!stopping) {
        int fd;
        reap();
        if (sshkit_accept(lfd, &fd, 500) != 0)
            continue;
        pid_t pid = child_count < MAX_CHILDREN ? fork() : -1;
        if (pid == 0) {
            close(lfd);
            _exit(serve(&cfg, fd));
        }
        if (pid > 0)
            children[child_count++] = pid;
        close(fd);
    }
    for (size_t i = 0; i < child_count; i++)
        kill(children[i], SIGTERM);
    for (size_t i = 0; i < child_count; i++)
        waitpid(children[i], NULL, 0);
    for (size_t i = 0; i < cfg.host_key_count; i++)
        sshkit_key_free(cfg.host_keys[i]);
    close(lfd);
    return 0;
}
