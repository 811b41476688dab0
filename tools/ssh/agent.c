/* sshkit-ssh: which ssh-agent to talk to. As ssh: IdentityAgent names it
 * ("none" for no agent, "SSH_AUTH_SOCK" or "$VAR" for an environment
 * variable, else a path), $SSH_AUTH_SOCK by default; forwarded connections
 * go to ForwardAgent's socket when it names one, else to that agent. */
#include <stdlib.h>
#include <string.h>
#include <sshkit/agent.h>

#include "options_values.h"
#include "ssh_client.h"

/* A socket from a setting's value; NULL for none. */
static char *resolve(const char *value)
{
    const char *env = NULL;
    if (value == NULL || strcmp(value, SSHKIT_AGENT_SOCKET_ENV) == 0)
        env = getenv(SSHKIT_AGENT_SOCKET_ENV);
    else if (strcmp(value, "none") == 0)
        return NULL;
    else if (value[0] == '$')
        env = getenv(value + 1);
    else
        return value_expand_path(value);
    return env && *env ? strdup(env) : NULL;
}

char *agent_socket_path(const struct ssh_options *o)
{
    return resolve(o->identity_agent);
}

char *agent_forward_path(const struct ssh_options *o)
{
    return o->forward_agent_path ? resolve(o->forward_agent_path) : agent_socket_path(o);
}
