/* sshkit-ssh -A: agent forwarding (agent_fwd.c), used by the session's
 * relay (relay.c) and exec.c. */
#ifndef SSHKIT_SSH_AGENT_FWD_H
#define SSHKIT_SSH_AGENT_FWD_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "chan_relay.h"
#include "ssh.h"

#define AGENT_FWD_MAX 64            /* agent connections at once */

struct agent_fwd {
    char *path;                     /* the local agent's socket */
    struct chan_relay *relays[AGENT_FWD_MAX];
    size_t count;
};

/* NULL unless ForwardAgent is on and there is an agent to forward. */
struct agent_fwd *agent_fwd_new(const struct ssh_options *o);
/* Asks for forwarding on the session channel (nothing when f is NULL). */
void agent_fwd_request(struct agent_fwd *f, sshkit_channel *session);
/* Takes the event when it is about agent forwarding (an agent channel's
 * open, data, end; with f NULL, an unasked open is refused). */
bool agent_fwd_event(struct agent_fwd *f, const sshkit_event *ev);
/* Moves what can move; whether anything did. */
bool agent_fwd_pump(struct agent_fwd *f);
/* Fills poll entries for the agent connections (AGENT_FWD_MAX at most);
 * returns how many. */
size_t agent_fwd_poll(struct agent_fwd *f, struct pollfd *p);
void agent_fwd_free(struct agent_fwd *f);

#endif
