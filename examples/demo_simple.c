/* demo_simple: the seed's simplest demo in C. Asks for a host, a user
 * and a password (or takes them as arguments), connects with the
 * high-level client (a host not yet in ~/.ssh/known_hosts is added, with
 * a warning, as paramiko's AutoAddPolicy does), and opens an interactive
 * shell on a pseudo-terminal: your keystrokes go to the server, its output
 * comes to your terminal, until the shell exits.
 *
 *   demo_simple [-p port] [user@]host */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <sshkit.h>

static struct termios saved;
static bool raw;

static void restore_terminal(void)
{
    if (raw)
        tcsetattr(STDIN_FILENO, TCSADRAIN, &saved);
    raw = false;
}

/* Keystrokes go to the server as they are typed, as ssh does. */
static void raw_terminal(void)
{
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved) != 0)
        return;
    struct termios t = saved;
    cfmakeraw(&t);
    raw = tcsetattr(STDIN_FILENO, TCSADRAIN, &t) == 0;
    atexit(restore_terminal);
}

static void ask(const char *prompt, char *buf, size_t cap, bool echo)
{
    fputs(prompt, stderr);
    struct termios t, quiet;
    bool hide = !echo && isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &t) == 0;
    if (hide) {
        quiet = t;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    /* Byte by byte, so that nothing typed after the line is swallowed
     * by a stdio buffer: it belongs to the shell. */
    size_t n = 0;
    char ch;
    while (n + 1 < cap && read(STDIN_FILENO, &ch, 1) == 1 && ch != '\n')
        buf[n++] = ch;
    buf[n] = '\0';
    buf[strcspn(buf, "\r")] = '\0';
    if (hide) {
        tcsetattr(STDIN_FILENO, TCSANOW, &t);
        fputs("\n", stderr);
    }
}

/* Copies what the shell sent to the terminal. */
static int show_output(sshkit_channel *ch)
{
    char buf[16384];
    int n;
    while ((n = sshkit_channel_read(ch, 0, buf, sizeof buf)) > 0 ||
           (n = sshkit_channel_read(ch, 1, buf, sizeof buf)) > 0)
        if (write(STDOUT_FILENO, buf, (size_t)n) < 0)
            return -1;
    return 0;
}

/* Moves bytes both ways until the shell's channel ends. */
static int relay(sshkit_client *c, sshkit_channel *ch)
{
    sshkit_session *s = sshkit_client_session(c);
    int fd = sshkit_client_fd(c);
    char buf[16384];
    while (!sshkit_channel_eof_received(ch)) {
        if (show_output(ch) != 0)
            return -1;
        sshkit_event ev;
        unsigned want = 0;
        int rc = sshkit_nb_process(s, fd, &ev, &want);
        if (rc == 1)
            continue;   /* data and window events: the reads above handle them */
        if (rc != SSHKIT_E_AGAIN)
            return rc;
        struct pollfd p[2] = {
            { fd, (short)((want & SSHKIT_WANT_READ ? POLLIN : 0) |
                          (want & SSHKIT_WANT_WRITE ? POLLOUT : 0)), 0 },
            { STDIN_FILENO, POLLIN, 0 },
        };
        if (poll(p, 2, 1000) > 0 && (p[1].revents & (POLLIN | POLLHUP))) {
            ssize_t got = read(STDIN_FILENO, buf, sizeof buf);
            if (got <= 0)
                sshkit_channel_send_eof(ch);
            else
                sshkit_client_write(c, ch, buf, (size_t)got);
        }
    }
    return show_output(ch);     /* what came with the end */
}

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
        rc = relay(c, ch);
        restore_terminal();
        sshkit_channel_free(ch);
    }
    sshkit_client_free(c);
    if (rc)
        fprintf(stderr, "*** Caught exception: %s\n", sshkit_strerror(rc));
    return rc ? 1 : 0;
}
