/* sshkit-sshd's TCP forwarding, shared by its files: tcp_fwd.c (the
 * connections and their relays), tcp_policy.c (what is allowed). */
#ifndef SSHKIT_SSHD_TCP_FWD_INTERNAL_H
#define SSHKIT_SSHD_TCP_FWD_INTERNAL_H

#include "tcp_fwd.h"

/* NULL when host:port may be opened; else what refuses it (for the log). */
const char *tcp_policy_refusal(const struct conn *c, const char *host, unsigned port);
/* NULL when the client may ask for remote forwarding; else what refuses it. */
const char *tcp_policy_remote_refusal(const struct conn *c);

/* tcp_fwd.c: whether another forwarded connection fits; a relay for a
 * channel we opened (forwarded-tcpip) and its accepted socket (owned). */
bool tcp_fwd_has_room(struct conn *c);
void tcp_fwd_add_relay(struct conn *c, sshkit_channel *ch, int fd);

#endif
