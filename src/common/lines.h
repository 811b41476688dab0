/* Splitting text into lines for the line-based formats (public key files,
 * authorized_keys, RFC 4716). A line ends at CR, LF or CRLF, or at the end
 * of the text; the terminator is not part of the line. */
#ifndef SSHKIT_COMMON_LINES_H
#define SSHKIT_COMMON_LINES_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const char *pos;
    const char *end;
} sk_lines;

void sk_lines_init(sk_lines *it, const char *text, size_t len);

/* Sets *line and *len to the next line and returns true; false at the end. */
bool sk_lines_next(sk_lines *it, const char **line, size_t *len);

/* Space or tab, the separators inside a line. */
static inline bool sk_is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Skips blanks from *p, stopping at end; returns the new position. */
const char *sk_skip_blanks(const char *p, const char *end);

/* Returns the first blank at or after p, or end. */
const char *sk_find_blank(const char *p, const char *end);

#endif
