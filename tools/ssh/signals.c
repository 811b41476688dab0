/* sshkit-ssh: signals during a session, turned into a descriptor the
 * relay polls (a pipe the handler writes a byte to). An ending signal
 * gives the terminal back at once; a second one exits on the spot, for
 * a relay stuck in a blocking write. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "ssh.h"

static int wake[2] = { -1, -1 };
static volatile sig_atomic_t ending, resized;

static void on_signal(int sig)
{
    int saved = errno;
    if (sig == SIGWINCH) {
        resized = 1;
    } else {
        tty_restore();
        if (ending)
            _exit(SSH_EXIT_FAILURE);
        ending = sig;
    }
    if (wake[1] >= 0)
        (void)!write(wake[1], "", 1);
    errno = saved;
}

static int make_pipe(void)
{
    if (pipe(wake) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(wake[i], F_SETFL, fcntl(wake[i], F_GETFL) | O_NONBLOCK);
        fcntl(wake[i], F_SETFD, FD_CLOEXEC);
    }
    return 0;
}

int signals_install(void)
{
    static const int handled[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH };
    if (wake[0] < 0 && make_pipe() != 0)
        return -1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++)
        sigaddset(&sa.sa_mask, handled[i]);
    for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++)
        sigaction(handled[i], &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    return wake[0];
}

int signals_take(bool *winch)
{
    char drain[64];
    while (read(wake[0], drain, sizeof drain) > 0)
        continue;
    *winch = resized != 0;
    resized = 0;
    return ending;
}
