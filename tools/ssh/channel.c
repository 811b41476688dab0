/* sshkit-ssh: the channel step, what runs once authenticated.
 *
 * TEMPORARY: the connection layer (channels: exec, shell, pty) is not in
 * the library yet. When it lands, channel_step_check() lets commands (and
 * -t/-T) through and channel_step_run() opens a session channel: exec for
 * o->command, a shell otherwise, and returns the remote exit status.
 * Until then only -N runs; everything about the missing layer is here. */
#include <stdio.h>
#include <stdlib.h>

#include "ssh.h"

void channel_step_check(const struct ssh_options *o)
{
    if (o->command_count > 0) {
        fprintf(stderr, "sshkit-ssh: commands need the channel layer, not in this build\n");
        exit(SSH_EXIT_FAILURE);
    }
    if (!o->no_command) {
        fprintf(stderr, "sshkit-ssh: a shell needs the channel layer, not in this build "
                        "(use -N)\n");
        exit(SSH_EXIT_FAILURE);
    }
}

int channel_step_run(const struct ssh_options *o, sshkit_session *s, int fd, const char *addr)
{
    return stay_connected(o, s, fd, addr);
}
