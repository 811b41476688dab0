/* sshkit-sshd: agent forwarding, the server's side (agent_fwd.c). Hooks:
 * requests.c (the request), child.c (SSH_AUTH_SOCK), channels.c (events,
 * poll entries, the end of the connection). */
#ifndef SSHKIT_SSHD_AGENT_FWD_H
#define SSHKIT_SSHD_AGENT_FWD_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "channels.h"

/* auth-agent-req@openssh.com on a session: whether forwarding is on for
 * its connection (made now, or already). */
bool agent_fwd_request(struct sess *s);
/* The socket a connection offers, for SSH_AUTH_SOCK; NULL when none. */
const char *agent_fwd_socket(const struct conn *c);
/* Takes an agent channel's event; false for any other. */
bool agent_fwd_event(struct conn *c, const sshkit_event *ev);
/* Poll entries: how many, filling them, and what to do with the results
 * (true when the session has output to send). */
size_t agent_fwd_poll_count(const struct conn *c);
size_t agent_fwd_poll_fill(struct conn *c, struct pollfd *pfds, size_t base);
bool agent_fwd_poll_done(struct conn *c, const struct pollfd *pfds);
/* Closes the agent connections, removes the socket and its directory. */
void agent_fwd_free(struct conn *c);

#endif
