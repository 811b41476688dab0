/* sshkit-keygen's known_hosts modes (-F, -R, -H): the file side they share,
 * with ssh-keygen's messages. */
#ifndef SSHKIT_KEYGEN_KH_FILE_H
#define SSHKIT_KEYGEN_KH_FILE_H

#include <stdbool.h>
#include <sys/types.h>
#include <sshkit.h>

#include "keygen.h"

/* A message as ssh-keygen logs it on standard error (its log lines end in
 * "\r\n"). */
void kh_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The file to work on: -f, else ~/.ssh/known_hosts (a static buffer). */
const char *kh_path(const struct keygen_options *opt);

/* Loads the file, which must exist (ssh-keygen stats it first). Prints
 * ssh-keygen's message and returns KEYGEN_EXIT_FAILURE on failure; *mode
 * gets the file's permission bits. */
int kh_open(const char *path, sshkit_knownhosts **kh, mode_t *mode);

/* Logs "FILE:N: invalid line" for each invalid line, and with wildcards
 * also "FILE:N: ignoring host name with wildcard: ..." for entries whose
 * host names hold '*', '?' or '!', in line order. True if any was invalid. */
bool kh_log_lines(const char *path, const sshkit_knownhosts *kh, bool wildcards);

/* ssh-keygen's refusal to rewrite a file with invalid lines; returns the
 * exit status (1). */
int kh_refuse(const char *path);

/* Replaces the file by the set as ssh-keygen does: the old contents stay as
 * FILE.old (a hard link), every line ends with a newline, the new file gets
 * the old one's mode & 0644; prints "FILE updated." and "Original contents
 * retained as FILE.old", then the unhashed-entries warning if asked. */
int kh_replace(sshkit_knownhosts *kh, const char *path, mode_t mode, bool warn_unhashed);

/* The error for a library failure; returns KEYGEN_EXIT_FAILURE. */
int kh_fail(const char *what, int rc);

#endif
