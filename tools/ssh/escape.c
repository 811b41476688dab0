/* sshkit-ssh: ssh's escape character on a pty session. A '~' right after
 * a newline (or first of all) is held back and the next byte decides:
 * '.' ends the session (status 255, as ssh), '~' sends one '~', '?' lists
 * the escapes, anything else goes through with the '~' before it. */
#include <string.h>
#include <unistd.h>

#include "relay.h"

#define ESCAPE_CHAR '~'

static void say(const char *text)
{
    (void)!write(STDERR_FILENO, text, strlen(text));
}

static void help(void)
{
    say("Supported escape sequences:\r\n"
        " ~.   - terminate connection\r\n"
        " ~?   - this message\r\n"
        " ~~   - send the escape character by typing it twice\r\n"
        "(Note that escapes are only recognized immediately after newline.)\r\n");
}

/* Handles the byte after a held '~'; how many bytes went to out. */
static size_t after_tilde(struct relay *r, uint8_t c, uint8_t *out)
{
    r->tilde_held = false;
    switch (c) {
    case '.':
        r->ended = true;        /* silently: ssh's "Connection to ... closed." follows */
        return 0;
    case '?':
        help();
        r->line_start = true;           /* another escape may follow */
        return 0;
    case ESCAPE_CHAR:
        out[0] = ESCAPE_CHAR;
        return 1;
    default:
        out[0] = ESCAPE_CHAR;
        out[1] = c;
        return 2;
    }
}

size_t escape_filter(struct relay *r, const uint8_t *in, size_t n, uint8_t *out)
{
    size_t len = 0;
    for (size_t i = 0; i < n && !r->ended; i++) {
        uint8_t c = in[i];
        bool at_start = r->line_start;
        r->line_start = c == '\r' || c == '\n';
        if (r->tilde_held)
            len += after_tilde(r, c, out + len);
        else if (at_start && c == ESCAPE_CHAR)
            r->tilde_held = true;
        else
            out[len++] = c;
    }
    return len;
}
