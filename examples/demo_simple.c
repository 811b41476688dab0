/* demo_simple: the seed's simplest demo in C. Asks for a host, a user
 * and a password (or takes them as arguments), connects with the
 * high-level client (a host not yet in ~/.ssh/known_hosts is added, with
 * a warning, as paramiko's AutoAddPolicy does), and opens an interactive
 * shell on a pseudo-terminal: your keystrokes go to the server, its output
 * comes to your terminal, until the shell exits.
 *
 *   demo_simple [-p port] [user@]host */
#include "terminal.h"

int main(int argc, char **argv)
{
    char host[256] = "", user[128] = "", password[256] = "";
    sshkit_client_options opt;
    sshkit_client_options_init(&opt);
    int o;
    while ((o = getopt(argc, argv, "p:")) != -1)
        opt.port = (unsigned)atoi(optarg);
    if (optind < argc) {
        char *at = strchr(argv[optind], '@');
        snprintf(host, sizeof host, "%s", at ? at + 1 : argv[optind]);
        if (at)
            snprintf(user, sizeof user, "%.*s", (int)(at - argv[optind]), argv[optind]);
    } else {
        ask("Hostname: ", host, sizeof host, true);
    }
    if (!user[0])
        ask("Username: ", user, sizeof user, true);
    ask("Password: ", password, sizeof password, false);
    opt.user = user;
    opt.password = password;
    opt.host_key_policy = SSHKIT_HOSTKEY_POLICY_ACCEPT_NEW;
    sshkit_client *c;
    char err[512];
    int rc = sshkit_client_connect(host, &opt, &c, err, sizeof err);
    memset(password, 0, sizeof password);
    if (rc)
        return fprintf(stderr, "*** Caught exception: %s\n", err), 1;
    struct winsize ws = { .ws_col = 80, .ws_row = 24 };
    ioctl(STDIN_FILENO, TIOCGWINSZ, &ws);
    sshkit_channel *ch;
    const char *term = getenv("TERM");
    rc = sshkit_client_shell(c, term ? term : "vt100", ws.ws_col, ws.ws_row, &ch);
    if (rc == 0) {
        fprintf(stderr, "*** Here we go!\n\n");
        raw_terminal();
        rc = relay(sshkit_client_session(c), sshkit_client_fd(c), ch);
        restore_terminal();
        sshkit_channel_free(ch);
    }
    sshkit_client_free(c);
    if (rc)
        fprintf(stderr, "*** Caught exception: %s\n", sshkit_strerror(rc));
    return rc ? 1 : 0;
}
