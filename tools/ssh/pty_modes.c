/* sshkit-ssh: a terminal's modes in the encoding of RFC 4254 section 8,
 * for pty-req: an opcode byte then a uint32 per mode, TTY_OP_END last.
 * Special characters go as their byte (255 when disabled), flags as 0 or
 * 1, speeds in bits per second. */
#include <stddef.h>
#include <stdint.h>
#include <termios.h>
#include <unistd.h>

#include "ssh.h"

#define TTY_OP_END 0
#define TTY_OP_ISPEED 128
#define TTY_OP_OSPEED 129
/* What a disabled special character is sent as. */
#define PTY_CHAR_DISABLED 255

struct mode_char { uint8_t op; int index; };
struct mode_flag { uint8_t op; char field; tcflag_t bit; };   /* field: i o c l */

static const struct mode_char chars[] = {
    { 1, VINTR }, { 2, VQUIT }, { 3, VERASE }, { 4, VKILL }, { 5, VEOF }, { 6, VEOL },
#ifdef VEOL2
    { 7, VEOL2 },
#endif
    { 8, VSTART }, { 9, VSTOP }, { 10, VSUSP },
#ifdef VREPRINT
    { 12, VREPRINT },
#endif
#ifdef VWERASE
    { 13, VWERASE },
#endif
#ifdef VLNEXT
    { 14, VLNEXT },
#endif
#ifdef VDISCARD
    { 18, VDISCARD },
#endif
};

static const struct mode_flag flags[] = {
    { 30, 'i', IGNPAR }, { 31, 'i', PARMRK }, { 32, 'i', INPCK }, { 33, 'i', ISTRIP },
    { 34, 'i', INLCR }, { 35, 'i', IGNCR }, { 36, 'i', ICRNL },
#ifdef IUCLC
    { 37, 'i', IUCLC },
#endif
    { 38, 'i', IXON }, { 39, 'i', IXANY }, { 40, 'i', IXOFF },
#ifdef IMAXBEL
    { 41, 'i', IMAXBEL },
#endif
#ifdef IUTF8
    { 42, 'i', IUTF8 },
#endif
    { 50, 'l', ISIG }, { 51, 'l', ICANON },
#ifdef XCASE
    { 52, 'l', XCASE },
#endif
    { 53, 'l', ECHO }, { 54, 'l', ECHOE }, { 55, 'l', ECHOK }, { 56, 'l', ECHONL },
    { 57, 'l', NOFLSH }, { 58, 'l', TOSTOP }, { 59, 'l', IEXTEN },
#ifdef ECHOCTL
    { 60, 'l', ECHOCTL },
#endif
#ifdef ECHOKE
    { 61, 'l', ECHOKE },
#endif
#ifdef PENDIN
    { 62, 'l', PENDIN },
#endif
    { 70, 'o', OPOST },
#ifdef OLCUC
    { 71, 'o', OLCUC },
#endif
    { 72, 'o', ONLCR }, { 73, 'o', OCRNL }, { 74, 'o', ONOCR }, { 75, 'o', ONLRET },
    { 90, 'c', CS7 }, { 91, 'c', CS8 }, { 92, 'c', PARENB }, { 93, 'c', PARODD },
};

/* speed_t constants and the rates they stand for. */
static const struct { speed_t code; uint32_t bps; } speeds[] = {
    { B0, 0 }, { B50, 50 }, { B75, 75 }, { B110, 110 }, { B134, 134 }, { B150, 150 },
    { B200, 200 }, { B300, 300 }, { B600, 600 }, { B1200, 1200 }, { B1800, 1800 },
    { B2400, 2400 }, { B4800, 4800 }, { B9600, 9600 }, { B19200, 19200 }, { B38400, 38400 },
#ifdef B57600
    { B57600, 57600 },
#endif
#ifdef B115200
    { B115200, 115200 },
#endif
#ifdef B230400
    { B230400, 230400 },
#endif
};

static uint32_t speed_bps(speed_t code)
{
    for (size_t i = 0; i < sizeof speeds / sizeof speeds[0]; i++)
        if (speeds[i].code == code)
            return speeds[i].bps;
    return 38400;
}

static tcflag_t field_of(const struct termios *t, char field)
{
    switch (field) {
    case 'i': return t->c_iflag;
    case 'o': return t->c_oflag;
    case 'c': return t->c_cflag;
    default: return t->c_lflag;
    }
}

static uint8_t *put(uint8_t *p, uint8_t op, uint32_t v)
{
    p[0] = op;
    p[1] = (uint8_t)(v >> 24);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 8);
    p[4] = (uint8_t)v;
    return p + 5;
}

/* Whether a flag is set; CS7 and CS8 are values of the CSIZE field. */
static uint32_t flag_value(const struct termios *t, const struct mode_flag *f)
{
    tcflag_t v = field_of(t, f->field);
    if (f->field == 'c' && (f->bit == CS7 || f->bit == CS8))
        return (v & CSIZE) == f->bit;
    return (v & f->bit) != 0;
}

size_t pty_modes_encode(const struct termios *t, uint8_t *out, size_t cap)
{
    size_t n_chars = sizeof chars / sizeof chars[0], n_flags = sizeof flags / sizeof flags[0];
    if (cap < (n_chars + n_flags + 2) * 5 + 1)
        return 0;
    uint8_t *p = out;
    p = put(p, TTY_OP_ISPEED, speed_bps(cfgetispeed(t)));
    p = put(p, TTY_OP_OSPEED, speed_bps(cfgetospeed(t)));
    for (size_t i = 0; i < n_chars; i++) {
        cc_t c = t->c_cc[chars[i].index];
        p = put(p, chars[i].op, c == _POSIX_VDISABLE ? PTY_CHAR_DISABLED : c);
    }
    for (size_t i = 0; i < n_flags; i++)
        p = put(p, flags[i].op, flag_value(t, &flags[i]));
    *p++ = TTY_OP_END;
    return (size_t)(p - out);
}
