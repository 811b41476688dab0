/* sshkit-ssh: the local terminal in raw mode while a pty session runs,
 * and its modes given back whatever way the program ends: the normal
 * path, exit() (atexit), or a fatal signal (signals.c calls tty_restore(),
 * which only uses tcsetattr(), async-signal-safe). */
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "ssh.h"

static struct termios saved;
static volatile sig_atomic_t saved_fd = -1;

void tty_restore(void)
{
    int fd = saved_fd;
    if (fd < 0)
        return;
    saved_fd = -1;
    tcsetattr(fd, TCSADRAIN, &saved);
}

/* ssh's raw mode: no input translation or flow control, no signals,
 * no line editing or echo, no output processing; one byte at a time. */
static void make_raw(struct termios *t)
{
    t->c_iflag |= IGNPAR;
    t->c_iflag &= ~(tcflag_t)(ISTRIP | INLCR | IGNCR | ICRNL | IXON | IXANY | IXOFF);
#ifdef IUCLC
    t->c_iflag &= ~(tcflag_t)IUCLC;
#endif
    t->c_lflag &= ~(tcflag_t)(ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHONL | IEXTEN);
    t->c_oflag &= ~(tcflag_t)OPOST;
    t->c_cc[VMIN] = 1;
    t->c_cc[VTIME] = 0;
}

bool tty_make_raw(int fd)
{
    static bool registered;
    struct termios t;
    if (saved_fd >= 0 || tcgetattr(fd, &saved) != 0)
        return false;
    if (!registered)
        registered = atexit(tty_restore) == 0;
    t = saved;
    make_raw(&t);
    saved_fd = fd;
    if (tcsetattr(fd, TCSADRAIN, &t) != 0) {
        saved_fd = -1;
        return false;
    }
    return true;
}

bool tty_size(int fd, unsigned *cols, unsigned *rows)
{
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0)
        return false;
    *cols = ws.ws_col;
    *rows = ws.ws_row;
    return true;
}
