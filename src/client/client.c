/* sshkit_client: options, accessors, free. */
#include "client/client_internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sshkit/error.h>

void sshkit_client_options_init(sshkit_client_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->port = 22;
    opt->timeout_ms = SK_CLIENT_DEFAULT_TIMEOUT_MS;
    opt->host_key_policy = SSHKIT_HOSTKEY_POLICY_REJECT;
}

/* Says goodbye as the mode allows: within the timeout when blocking, with
 * what the socket takes now when not. */
static void say_goodbye(sshkit_client *c)
{
    if (c->session == NULL || c->fd < 0)
        return;
    bool open = !sshkit_session_is_closed(c->session);
    if (c->nonblocking) {
        if (open)
            (void)sshkit_session_disconnect(c->session, 11, "disconnected by user");
        (void)sk_io_write_pending(c->session, c->fd);
    } else if (open) {
        (void)sshkit_blocking_disconnect(c->session, c->fd, 11, "disconnected by user",
                                         c->timeout_ms);
    }
}

void sshkit_client_free(sshkit_client *c)
{
    if (c == NULL)
        return;
    say_goodbye(c);
    sk_client_connect_free(c);
    sk_open_op_clear(&c->open);
    sk_run_op_clear(&c->run);
    sk_client_writes_free(c);
    sshkit_session_free(c->session);
    sshkit_hostkey_verifier_free(c->verifier);
    if (c->fd >= 0)
        close(c->fd);
    for (size_t i = 0; c->env && c->env[i]; i++)
        free(c->env[i]);
    free(c->env);
    free(c);
}

sshkit_session *sshkit_client_session(const sshkit_client *c)
{
    return c->session;
}

int sshkit_client_fd(const sshkit_client *c)
{
    return c->connecting ? sk_client_connect_fd(c) : c->fd;
}

const char *sshkit_client_last_error(const sshkit_client *c)
{
    return c ? c->error : "";
}
