/* Agent forwarding's two messages (OpenSSH's PROTOCOL section 2.3, and
 * draft-miller-ssh-agent section 6): the session channel request that
 * asks for it, and the channel the server opens for each connection to
 * the agent socket it offers. The bytes on that channel are the agent
 * protocol, relayed as they are; sshkit/agent.h speaks it. */
#include "connection/connection_internal.h"

#include <sshkit/error.h>

int sshkit_channel_request_agent_forwarding(sshkit_channel *channel, bool want_reply)
{
    return sshkit_channel_request(channel, SSHKIT_AGENT_REQUEST_TYPE, want_reply, NULL, 0);
}

int sshkit_channel_open_agent(sshkit_session *session, sshkit_channel **channel)
{
    return sshkit_channel_open(session, SSHKIT_AGENT_CHANNEL_TYPE, NULL, 0, channel);
}
