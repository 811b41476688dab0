/* Algorithm lists as OpenSSH's configuration writes them: "a,b" replaces
 * the default, "+a,b" appends to it, "-a,b" removes from it (with '*' and
 * '?' wildcards), "^a,b" puts them first. */
#ifndef SSHKIT_TRANSPORT_ALGLIST_H
#define SSHKIT_TRANSPORT_ALGLIST_H

#include <stdbool.h>
#include <sshkit/session.h>

/* Applies spec to the role's default list of kind; every name it adds must
 * be one sshkit supports. Returns a new string (free()) via *out, or
 * SSHKIT_E_UNSUPPORTED (an unknown name, or an empty result) /
 * SSHKIT_E_NOMEM. */
int sk_alglist_apply(sshkit_algorithm_kind kind, sshkit_role role, const char *spec, char **out);

/* The default list and the support test of each kind, for a role. */
const char *sk_alglist_default(sshkit_algorithm_kind kind, sshkit_role role);
bool sk_alglist_known(sshkit_algorithm_kind kind, const char *name);

#endif
