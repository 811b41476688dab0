/* Pseudo-terminals for pty-req: posix_openpt, the client's terminal modes
 * (RFC 4254 section 8) applied to the slave, the window size on the master. */
#define _XOPEN_SOURCE 700   /* posix_openpt, grantpt, unlockpt, ptsname */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "channels.h"
#include "log.h"

enum mode_kind { M_CC, M_IFLAG, M_LFLAG, M_OFLAG, M_CFLAG };

struct mode_op {
    uint8_t op;
    enum mode_kind kind;
    tcflag_t bit;       /* a flag, or the index into c_cc */
};

static const struct mode_op mode_ops[] = {
    { 1, M_CC, VINTR },     { 2, M_CC, VQUIT },      { 3, M_CC, VERASE },   { 4, M_CC, VKILL },
    { 5, M_CC, VEOF },      { 6, M_CC, VEOL },       { 8, M_CC, VSTART },   { 9, M_CC, VSTOP },
    { 10, M_CC, VSUSP },
#ifdef VEOL2
    { 7, M_CC, VEOL2 },
#endif
#ifdef VREPRINT
    { 12, M_CC, VREPRINT }, { 13, M_CC, VWERASE },   { 14, M_CC, VLNEXT },  { 18, M_CC, VDISCARD },
#endif
    { 30, M_IFLAG, IGNPAR }, { 31, M_IFLAG, PARMRK }, { 32, M_IFLAG, INPCK }, { 33, M_IFLAG, ISTRIP },
    { 34, M_IFLAG, INLCR },  { 35, M_IFLAG, IGNCR },  { 36, M_IFLAG, ICRNL }, { 38, M_IFLAG, IXON },
    { 39, M_IFLAG, IXANY },  { 40, M_IFLAG, IXOFF },
#ifdef IMAXBEL
    { 41, M_IFLAG, IMAXBEL },
#endif
#ifdef IUTF8
    { 42, M_IFLAG, IUTF8 },
#endif
    { 50, M_LFLAG, ISIG },   { 51, M_LFLAG, ICANON }, { 53, M_LFLAG, ECHO },  { 54, M_LFLAG, ECHOE },
    { 55, M_LFLAG, ECHOK },  { 56, M_LFLAG, ECHONL }, { 57, M_LFLAG, NOFLSH }, { 58, M_LFLAG, TOSTOP },
    { 59, M_LFLAG, IEXTEN },
#ifdef ECHOCTL
    { 60, M_LFLAG, ECHOCTL }, { 61, M_LFLAG, ECHOKE },
#endif
    { 70, M_OFLAG, OPOST },  { 72, M_OFLAG, ONLCR },  { 73, M_OFLAG, OCRNL }, { 74, M_OFLAG, ONOCR },
    { 75, M_OFLAG, ONLRET },
    { 92, M_CFLAG, PARENB }, { 93, M_CFLAG, PARODD },
};

static void set_flag(tcflag_t *f, tcflag_t bit, uint32_t on)
{
    *f = on ? (*f | bit) : (*f & ~bit);
}

static void apply_mode(struct termios *t, uint8_t op, uint32_t v)
{
    if (op == 90 || op == 91) {             /* CS7, CS8 */
        if (v)
            t->c_cflag = (t->c_cflag & ~(tcflag_t)CSIZE) | (op == 90 ? CS7 : CS8);
        return;
    }
    for (size_t i = 0; i < sizeof mode_ops / sizeof mode_ops[0]; i++) {
        const struct mode_op *m = &mode_ops[i];
        if (m->op != op)
            continue;
        switch (m->kind) {
        case M_CC: t->c_cc[m->bit] = v == 255 ? _POSIX_VDISABLE : (cc_t)v; break;
        case M_IFLAG: set_flag(&t->c_iflag, m->bit, v); break;
        case M_LFLAG: set_flag(&t->c_lflag, m->bit, v); break;
        case M_OFLAG: set_flag(&t->c_oflag, m->bit, v); break;
        case M_CFLAG: set_flag(&t->c_cflag, m->bit, v); break;
        }
        return;
    }
}

/* Opcode byte, then a uint32 for opcodes 1..159; 0 (or 160 and up,
 * undefined) ends the list. Unknown opcodes below 160 are skipped. */
static void apply_modes(struct termios *t, const uint8_t *p, size_t len)
{
    while (len >= 5 && p[0] > 0 && p[0] < 160) {
        uint32_t v = (uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 8 | p[4];
        apply_mode(t, p[0], v);
        p += 5;
        len -= 5;
    }
}

static int open_pair(struct sess *s)
{
    s->master = posix_openpt(O_RDWR | O_NOCTTY);
    if (s->master < 0 || grantpt(s->master) < 0 || unlockpt(s->master) < 0)
        return -1;
    const char *name = ptsname(s->master);
    if (name == NULL)
        return -1;
    snprintf(s->tty, sizeof s->tty, "%s", name);
    s->slave = open(s->tty, O_RDWR | O_NOCTTY);
    if (s->slave < 0)
        return -1;
    fcntl(s->master, F_SETFD, FD_CLOEXEC);
    fcntl(s->master, F_SETFL, fcntl(s->master, F_GETFL) | O_NONBLOCK);
    fcntl(s->slave, F_SETFD, FD_CLOEXEC);
    return 0;
}

int pty_open(struct sess *s, const char *term, const struct winsize *ws, const uint8_t *modes,
             size_t modes_len)
{
    struct termios t;
    if (open_pair(s) < 0 || tcgetattr(s->slave, &t) < 0) {
        log_error("%s: cannot allocate a pty: %s", s->c->label, strerror(errno));
        pty_close(s);
        return -1;
    }
    apply_modes(&t, modes, modes_len);
    if (tcsetattr(s->slave, TCSANOW, &t) < 0 || pty_resize(s, ws) < 0) {
        log_error("%s: cannot set up %s: %s", s->c->label, s->tty, strerror(errno));
        pty_close(s);
        return -1;
    }
    s->term = strdup(term);
    return s->term ? 0 : -1;
}

int pty_resize(struct sess *s, const struct winsize *ws)
{
    return s->master >= 0 ? ioctl(s->master, TIOCSWINSZ, ws) : -1;
}

void pty_close(struct sess *s)
{
    if (s->slave >= 0)
        close(s->slave);
    if (s->master >= 0)
        close(s->master);
    s->master = s->slave = -1;
}
