/* sshkit-ssh: the channel step, what runs once authenticated: -N stays
 * connected (stay.c); otherwise a session channel runs the command, or a
 * shell when there is none (exec.c). */
#include "ssh.h"

void channel_step_check(struct ssh_options *o)
{
    o->want_pty = !o->no_command && shell_want_pty(o);
}

int channel_step_run(const struct ssh_options *o, sshkit_session *s, int fd, const char *addr)
{
    if (o->no_command)
        return stay_connected(o, s, fd, addr);
    return session_run(o, s, fd, addr);
}
