/* sshkit-sshd's TCP forwarding, shared by its files: tcp_fwd.c (the
 * connections and their relays), tcp_policy.c (what is allowed). */
#ifndef SSHKIT_SSHD_TCP_FWD_INTERNAL_H
#define SSHKIT_SSHD_TCP_FWD_INTERNAL_H

#include "tcp_fwd.h"

/* NULL when host:port may be opened; else what refuses it (for the log). */
const char *tcp_policy_refusal(const struct conn *c, const char *host, unsigned port);

#endif
