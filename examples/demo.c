/* demo: the seed's long-form demo in C, on the session API rather than the
 * high-level client: connect the socket yourself, run the key exchange,
 * check the host key against ~/.ssh/known_hosts (warn if unknown, refuse
 * if changed), authenticate with ssh-agent's keys when there is an agent
 * ($SSH_AUTH_SOCK), else with a key file or a password, and open an
 * interactive shell.
 *
 *   demo [-p port] [-i keyfile] [user@]host */
#include <pwd.h>
#include "terminal.h"

/* Each of the agent's keys in turn, as the seed's agent_auth(); true once
 * one gets in. The agent signs: its keys never leave it. */
static bool agent_auth(sshkit_session *s, int fd, const char *user)
{
    sshkit_agent *agent;
    sshkit_key **keys = NULL;
    size_t n = 0;
    bool in = false;
    if (sshkit_agent_connect(NULL, 30000, &agent) != 0)
        return false;
    sshkit_agent_list(agent, &keys, &n);
    for (size_t i = 0; i < n && !in; i++) {
        char *fp = NULL;
        sshkit_key_fingerprint(keys[i], SSHKIT_FP_SHA256, &fp);
        fprintf(stderr, "Trying ssh-agent key %s\n", fp ? fp : "?");
        sshkit_free(fp, 0);
        in = sshkit_blocking_auth_publickey_signer(s, fd, user, keys[i], sshkit_agent_signer,
                                                   agent, 30000) == SSHKIT_AUTH_SUCCESS;
        fprintf(stderr, in ? "... success!\n" : "... nope.\n");
    }
    sshkit_agent_keys_free(keys, n);
    sshkit_agent_free(agent);
    return in;
}

static int authenticate(sshkit_session *s, int fd, const char *user, const char *key_path)
{
    if (key_path) {
        sshkit_key *key;
        char passphrase[256] = "";
        int rc = sshkit_key_load_private(key_path, NULL, &key);
        if (rc == SSHKIT_E_PASSPHRASE_REQUIRED) {
            ask("Key passphrase: ", passphrase, sizeof passphrase, false);
            rc = sshkit_key_load_private(key_path, passphrase, &key);
            memset(passphrase, 0, sizeof passphrase);
        }
        if (rc)
            return fprintf(stderr, "*** %s: %s\n", key_path, sshkit_strerror(rc)), rc;
        rc = sshkit_blocking_auth_publickey(s, fd, user, key, 30000);
        sshkit_key_free(key);
        return rc;
    }
    char password[256];
    char prompt[300];
    snprintf(prompt, sizeof prompt, "Password for %s: ", user);
    ask(prompt, password, sizeof password, false);
    int rc = sshkit_blocking_auth_password(s, fd, user, password, 30000);
    memset(password, 0, sizeof password);
    return rc;
}

/* Known host? The verifier checks ~/.ssh/known_hosts; unknown hosts are
 * let in with a warning (the seed's behaviour), changed keys never. */
static sshkit_hostkey_verifier *verifier_for(const char *host, unsigned port)
{
    sshkit_hostkey_verifier *v;
    char path[1024];
    const char *home = getenv("HOME");
    snprintf(path, sizeof path, "%s/.ssh/known_hosts", home ? home : ".");
    if (sshkit_hostkey_verifier_new(&v, host, port, SSHKIT_HOSTKEY_POLICY_WARN) != 0)
        return NULL;
    sshkit_hostkey_verifier_add_file(v, path, false);
    return v;
}

int main(int argc, char **argv)
{
    unsigned port = 22;
    const char *key_path = NULL;
    int o;
    while ((o = getopt(argc, argv, "p:i:")) != -1) {
        if (o == 'p')
            port = (unsigned)atoi(optarg);
        else if (o == 'i')
            key_path = optarg;
        else
            return fprintf(stderr, "usage: demo [-p port] [-i keyfile] [user@]host\n"), 2;
    }
    if (optind >= argc)
        return fprintf(stderr, "usage: demo [-p port] [-i keyfile] [user@]host\n"), 2;
    char user[128], host[256];
    const char *at = strchr(argv[optind], '@');
    struct passwd *pw = getpwuid(getuid());
    snprintf(host, sizeof host, "%s", at ? at + 1 : argv[optind]);
    if (at)
        snprintf(user, sizeof user, "%.*s", (int)(at - argv[optind]), argv[optind]);
    else
        snprintf(user, sizeof user, "%s", pw ? pw->pw_name : "root");

    /* The socket, then the session over it. */
    int fd;
    char err[256];
    if (sshkit_connect(host, port, 30000, &fd, err, sizeof err) != 0)
        return fprintf(stderr, "*** Connect failed: %s\n", err), 1;
    sshkit_session *s;
    sshkit_session_new(SSHKIT_ROLE_CLIENT, &s);
    sshkit_hostkey_verifier *v = verifier_for(host, port);
    sshkit_session_set_host_key_check(s, sshkit_hostkey_verifier_check, v);
    sshkit_session_start(s);
    int rc = sshkit_blocking_handshake(s, fd, 30000);
    char said[2048];
    if (v && sshkit_hostkey_verifier_describe(v, said, sizeof said) > 0)
        fprintf(stderr, "*** %s", said);
    if (rc == 0 && !agent_auth(s, fd, user) &&
        (rc = authenticate(s, fd, user, key_path)) != SSHKIT_AUTH_SUCCESS)
        fprintf(stderr, "*** Authentication failed. :(\n");
    sshkit_channel *ch = NULL;
    if (rc == 0 && (rc = sshkit_channel_open_session(s, &ch)) == 0) {
        sshkit_event ev;
        sshkit_blocking_wait_for(s, fd, SSHKIT_EVENT_CHANNEL_OPENED, &ev, 30000);
        struct winsize ws = { .ws_col = 80, .ws_row = 24 };
        ioctl(STDIN_FILENO, TIOCGWINSZ, &ws);
        const char *term = getenv("TERM");
        sshkit_channel_request_pty(ch, term ? term : "vt100", ws.ws_col, ws.ws_row, NULL, 0);
        sshkit_channel_shell(ch);
        fprintf(stderr, "*** Here we go!\n\n");
        raw_terminal();
        rc = relay(s, fd, ch);
        restore_terminal();
    } else if (rc < 0) {
        fprintf(stderr, "*** Caught exception: %s\n", *sshkit_session_last_error(s)
                ? sshkit_session_last_error(s) : sshkit_strerror(rc));
    }
    sshkit_channel_free(ch);
    sshkit_blocking_disconnect(s, fd, 11, "bye", 5000);
    sshkit_session_free(s);
    sshkit_hostkey_verifier_free(v);
    close(fd);
    return rc ? 1 : 0;
}
