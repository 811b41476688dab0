/* Patterns as OpenSSH's: '*' and '?' wildcards, comma-separated lists
 * with '!' negation, and address lists with CIDR blocks (from=). */
#ifndef SSHKIT_SSHD_MATCH_H
#define SSHKIT_SSHD_MATCH_H

#include <stdbool.h>

/* Whether s matches one pattern ('*' any run, '?' any one character). */
bool match_pattern(const char *s, const char *pattern);

/* A comma-separated list with '!' negations: 1 when s matches a positive
 * pattern and no negated one, -1 when a negated one matches, 0 otherwise. */
int match_pattern_list(const char *s, const char *list);

/* An address against a from= list: patterns, or CIDR blocks
 * ("10.0.0.0/8", "!192.168.1.0/24", "::1/128"). 1, -1 or 0 as
 * match_pattern_list(); -2 when the list is malformed. */
int match_address_list(const char *addr, const char *list);

#endif
