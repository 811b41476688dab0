/* Terminal prompts; see prompt.h. */
#include "prompt.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* Reads up to a newline from fd; bounded by cap. */
static bool read_line(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    for (;;) {
        char c;
        ssize_t got = read(fd, &c, 1);
        if (got <= 0)
            return n > 0 && (buf[n] = '\0', true);
        if (c == '\n' || c == '\r')
            break;
        if (n + 1 < cap)
            buf[n++] = c;
    }
    buf[n] = '\0';
    return true;
}

bool prompt_line(const char *prompt, bool echo, char *buf, size_t cap)
{
    if (cap == 0)
        return false;
    buf[0] = '\0';
    int tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    int in = tty >= 0 ? tty : STDIN_FILENO;
    int out = tty >= 0 ? tty : STDERR_FILENO;
    struct termios saved, quiet;
    bool restore = false;
    if (!echo && isatty(in) && tcgetattr(in, &saved) == 0) {
        quiet = saved;
        quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
        restore = tcsetattr(in, TCSAFLUSH, &quiet) == 0;
    }
    if (write(out, prompt, strlen(prompt)) < 0) {
        /* Nowhere to show the prompt; still read the answer. */
    }
    bool ok = read_line(in, buf, cap);
    if (restore) {
        tcsetattr(in, TCSAFLUSH, &saved);
        if (write(out, "\n", 1) < 0) {
            /* The line break after a hidden answer is cosmetic. */
        }
    }
    if (tty >= 0)
        close(tty);
    return ok;
}
