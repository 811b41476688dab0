/* sshkit-ssh: what its parts share (DESIGN.md section 6). */
#ifndef SSHKIT_SSH_TOOL_H
#define SSHKIT_SSH_TOOL_H

#include <stdbool.h>
#include <stdint.h>
#include <sshkit.h>

#include "ssh_client.h"

/* ---- options.c: sshkit-ssh's command line ---- */

/* Parses argv; exits 255 with ssh's message on a bad option. */
void options_parse(struct ssh_options *o, int argc, char **argv);

/* ---- direct_tcpip.c, stdio_fwd.c: -W ---- */

/* Opens a "direct-tcpip" channel asking the server to connect to
 * host:port, naming orig_addr:orig_port as where the connection comes
 * from. 0, or a negative SSHKIT_E_* (INVALID_ARGUMENT for a host name
 * too long to send). The channel is usable once OPENED comes. */
int direct_tcpip_open(sshkit_session *s, const char *host, unsigned port, const char *orig_addr,
                      unsigned orig_port, sshkit_channel **ch);
/* Opens a "direct-streamlocal@openssh.com" channel to the server's Unix
 * socket at path; as direct_tcpip_open(). */
int direct_streamlocal_open(sshkit_session *s, const char *path, sshkit_channel **ch);
/* -W: joins stdin and stdout to o->stdio_host:o->stdio_port until either
 * side ends; 0, or 255 when the channel was refused or the connection lost. */
int stdio_forward_run(const struct ssh_options *o, sshkit_session *s, int fd, const char *addr);
/* The open failure reasons of RFC 4254 section 5.1 in ssh's words. */
const char *open_failure_text(unsigned reason);

struct fwd;

/* ---- stay.c: -N ---- */

/* Stays connected, forwarding what fwd (NULL for none) forwards, until a
 * signal (exit status 0 after a clean DISCONNECT) or until the server ends
 * the connection (255). */
int stay_connected(const struct ssh_options *o, sshkit_session *s, int fd, const char *addr,
                   struct fwd *fwd);

/* ---- channel.c: what runs once authenticated (the channel step) ---- */

/* Decides, before connecting, what the session will be (a pty or not:
 * ssh's "Pseudo-terminal will not be allocated" notice comes here). */
void channel_step_check(struct ssh_options *o);
/* Runs the session's work; returns the exit status. */
int channel_step_run(const struct ssh_options *o, sshkit_session *s, int fd, const char *addr);

/* ---- exec.c: a session channel running a command or a shell ---- */

/* Opens the channel, asks for a pty when o->want_pty, then "exec" (the
 * command's words joined by spaces) or "shell"; relays stdio until the
 * channel closes. Returns the remote exit status, 255 when there is none. */
int session_run(const struct ssh_options *o, sshkit_session *s, int fd, const char *addr,
                struct fwd *fwd);
/* The command's words joined with spaces, as ssh sends them; NULL for none. */
char *command_join(char **words, int count);

/* ---- shell.c: the pty decision and request ---- */

/* Whether to ask for a pty, as ssh decides (RequestTTY, the command,
 * whether stdin is a terminal); prints ssh's notice when it cannot. */
bool shell_want_pty(const struct ssh_options *o);
/* Sends pty-req: TERM, the size of the terminal on fd, its modes. */
int shell_request_pty(sshkit_channel *ch, int fd);

/* ---- pty_modes.c: termios as RFC 4254 section 8 terminal modes ---- */

struct termios;
/* Encodes t's modes ending with TTY_OP_END; returns the length, or 0 when
 * cap is too small. */
size_t pty_modes_encode(const struct termios *t, uint8_t *out, size_t cap);

/* ---- tty.c: the local terminal ---- */

/* Puts the terminal on fd in raw mode (as ssh), saving its modes; they
 * come back through tty_restore(), called at exit and on fatal signals too. */
bool tty_make_raw(int fd);
/* Restores the saved modes, if any (async-signal-safe; again is harmless). */
void tty_restore(void);
/* The terminal's size; false when fd is no terminal. */
bool tty_size(int fd, unsigned *cols, unsigned *rows);

/* ---- fdmode.c: non-blocking stdio, undone at exit ---- */

/* Sets O_NONBLOCK on fd unless it is a terminal (as ssh), remembering the
 * old flags for fdmode_restore() (also run at exit). */
void fdmode_nonblock(int fd);
void fdmode_restore(void);

/* ---- signals.c: signals as a descriptor to poll ---- */

/* SIGINT, SIGTERM, SIGHUP, SIGQUIT end the session (the terminal restored
 * at once; a second one exits 255 on the spot); SIGWINCH is noted; SIGPIPE
 * is ignored. Returns a descriptor that polls readable when one came. */
int signals_install(void);
/* Drains the descriptor; the ending signal that came (0 for none) and
 * whether the window size changed. */
int signals_take(bool *winch);

#endif
