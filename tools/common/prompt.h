/* Asking the person at the terminal for a line: a passphrase (not echoed)
 * or an answer. */
#ifndef SSHKIT_TOOLS_PROMPT_H
#define SSHKIT_TOOLS_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

/* Prints prompt and reads one line into buf (without its newline). Reads
 * from the controlling terminal when there is one, with echo off if
 * !echo; otherwise from standard input, as OpenSSH's tools do. Returns
 * false at end of input or on error. */
bool prompt_line(const char *prompt, bool echo, char *buf, size_t cap);

#endif
