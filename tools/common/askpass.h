/* Asking for a password, a passphrase or an answer the way OpenSSH's
 * read_passphrase() does: at the terminal, or through the SSH_ASKPASS
 * program. */
#ifndef SSHKIT_TOOLS_ASKPASS_H
#define SSHKIT_TOOLS_ASKPASS_H

#include <stdbool.h>
#include <stddef.h>

/* Reads one line into buf (without its newline). Where from, as OpenSSH:
 *  - SSH_ASKPASS_REQUIRE=force: the askpass program, always;
 *  - SSH_ASKPASS_REQUIRE=never: the terminal only;
 *  - otherwise the terminal (/dev/tty) when there is one, else the askpass
 *    program when DISPLAY (or WAYLAND_DISPLAY) is set.
 * The askpass program is $SSH_ASKPASS, else /usr/bin/ssh-askpass; it gets
 * the prompt as its argument (and SSH_ASKPASS_PROMPT=confirm when confirm
 * is set, for yes/no questions) and prints the answer.
 * Returns false when there is no way to ask, at end of input, or when the
 * program fails; buf is then empty (and wiped). */
bool askpass_read(const char *prompt, bool echo, bool confirm, char *buf, size_t cap);

#endif
