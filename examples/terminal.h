/* What the interactive demos share: prompting, a raw terminal, and the
 * relay between the terminal and a shell's channel. Header-only, so each
 * example stays one program. */
#ifndef SSHKIT_EXAMPLES_TERMINAL_H
#define SSHKIT_EXAMPLES_TERMINAL_H

#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <sshkit.h>

static struct termios saved_terminal;
static bool terminal_is_raw;

static inline void restore_terminal(void)
{
    if (terminal_is_raw)
        tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_terminal);
    terminal_is_raw = false;
}

/* Keystrokes go to the server as they are typed, as ssh does. */
static inline void raw_terminal(void)
{
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_terminal) != 0)
        return;
    struct termios t = saved_terminal;
    cfmakeraw(&t);
    terminal_is_raw = tcsetattr(STDIN_FILENO, TCSADRAIN, &t) == 0;
    atexit(restore_terminal);
}

static inline void ask(const char *prompt, char *buf, size_t cap, bool echo)
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
static inline int show_output(sshkit_channel *ch)
{
    char buf[16384];
    int n;
    while ((n = sshkit_channel_read(ch, 0, buf, sizeof buf)) > 0 ||
           (n = sshkit_channel_read(ch, 1, buf, sizeof buf)) > 0)
        if (write(STDOUT_FILENO, buf, (size_t)n) < 0)
            return -1;
    return 0;
}

/* Moves bytes both ways until the shell's channel ends: the terminal's
 * keystrokes to the channel (keeping what the window cannot take yet), the
 * channel's output to the terminal. One poll() over both descriptors. */
static inline int relay(sshkit_session *s, int fd, sshkit_channel *ch)
{
    char in[4096];
    size_t in_len = 0, in_off = 0;
    bool stdin_open = true;
    while (!sshkit_channel_eof_received(ch)) {
        if (show_output(ch) != 0)
            return -1;
        if (in_off < in_len) {
            int n = sshkit_channel_write(ch, 0, in + in_off, in_len - in_off);
            if (n > 0)
                in_off += (size_t)n;
        }
        sshkit_event ev;
        unsigned want = 0;
        int rc = sshkit_nb_process(s, fd, &ev, &want);
        if (rc == 1)
            continue;   /* data and window events: the calls above handle them */
        if (rc != SSHKIT_E_AGAIN)
            return rc;
        bool want_keys = stdin_open && in_off == in_len;
        struct pollfd p[2] = {
            { fd, (short)((want & SSHKIT_WANT_READ ? POLLIN : 0) |
                          (want & SSHKIT_WANT_WRITE ? POLLOUT : 0)), 0 },
            { want_keys ? STDIN_FILENO : -1, POLLIN, 0 },
        };
        if (poll(p, 2, 1000) > 0 && (p[1].revents & (POLLIN | POLLHUP))) {
            ssize_t got = read(STDIN_FILENO, in, sizeof in);
            in_off = 0;
            in_len = got > 0 ? (size_t)got : 0;
            if (got <= 0) {
                stdin_open = false;
                sshkit_channel_send_eof(ch);
            }
        }
    }
    return show_output(ch);     /* what came with the end */
}

#endif
