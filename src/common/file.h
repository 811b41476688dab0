/* Whole-file reads and atomic whole-file replacement, for the key,
 * public key and known_hosts files. */
#ifndef SSHKIT_COMMON_FILE_H
#define SSHKIT_COMMON_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Reads a whole file of at most max bytes (whatever its size claims, so
 * devices and pipes such as /dev/null work too) into a new buffer with a
 * NUL after the data. A secret buffer is wiped before any failure frees it;
 * the caller wipes it after use. Returns 0; SSHKIT_E_IO with errno set;
 * SSHKIT_E_FORMAT for a directory; SSHKIT_E_TOO_LARGE; SSHKIT_E_NOMEM. */
int sk_file_read(const char *path, size_t max, bool secret, char **data, size_t *len);

/* Replaces path with data so that no reader ever sees a partial file: a
 * temporary file beside it (created 0600), fsync, rename. mode is the
 * new file's mode, or -1 to keep the old file's mode (0644 for a new
 * file). A symbolic link is followed (its target is replaced, the link
 * kept); a path that is not a regular file (/dev/null) is written in
 * place, never renamed over. Returns 0, SSHKIT_E_IO with errno set, or
 * SSHKIT_E_NOMEM. */
int sk_file_replace(const char *path, const void *data, size_t len, mode_t mode);

#define SK_FILE_KEEP_MODE ((mode_t)-1)

#endif
