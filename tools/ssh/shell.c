/* sshkit-ssh: whether to ask for a pseudo-terminal, as ssh decides, and
 * the pty-req that asks for one. */
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "ssh.h"

/* Room for every mode pty_modes_encode() writes. */
#define PTY_MODES_MAX 512

bool shell_want_pty(const struct ssh_options *o)
{
    bool want;
    switch (o->request_tty) {
    case SSH_TTY_NO: return false;
    case SSH_TTY_YES: want = true; break;
    case SSH_TTY_FORCE: return true;
    default: want = o->command_count == 0; break;    /* auto: for a shell */
    }
    if (want && !isatty(STDIN_FILENO)) {
        log_at(SSH_LOG_INFO, "Pseudo-terminal will not be allocated because stdin is not a "
                             "terminal.");
        want = false;
    }
    return want;
}

int shell_request_pty(sshkit_channel *ch, int fd)
{
    const char *term = getenv("TERM");
    unsigned cols = 0, rows = 0;
    uint8_t modes[PTY_MODES_MAX];
    size_t len = 0;
    struct termios t;
    tty_size(fd, &cols, &rows);          /* 0 x 0 when fd is no terminal, as ssh */
    if (tcgetattr(fd, &t) == 0)
        len = pty_modes_encode(&t, modes, sizeof modes);
    return sshkit_channel_request_pty(ch, term ? term : "", cols, rows, len ? modes : NULL, len);
}
