/* sshkit-ssh: the channel step, what runs once authenticated: -W joins
 * stdio to a forwarded connection (stdio_fwd.c); -L's listeners are set
 * up (fwd.c) for what follows: -N stays connected (stay.c); otherwise a session channel runs the command, or a
 * shell when there is none (exec.c). */
#include <stdlib.h>

#include "fwd.h"
#include "ssh.h"

void channel_step_check(struct ssh_options *o)
{
    if (o->stdio_host && o->command_count > 0) {
        log_at(SSH_LOG_FATAL, "ssh: -W and a remote command cannot go together");
        exit(SSH_EXIT_FAILURE);
    }
    o->want_pty = !o->no_command && !o->stdio_host && shell_want_pty(o);
}

int channel_step_run(const struct ssh_options *o, sshkit_session *s, int fd, const char *addr)
{
    if (o->stdio_host)
        return stdio_forward_run(o, s, fd, addr);
    struct fwd *fwd = fwd_new(o, s);
    int status = o->no_command ? stay_connected(o, s, fd, addr, fwd)
                               : session_run(o, s, fd, addr, fwd);
    fwd_free(fwd);
    return status;
}
