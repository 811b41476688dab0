/* sshkit-ssh: OpenSSH's ssh on sshkit (DESIGN.md section 6). Connect,
 * key exchange, host key check, authentication (session_open.c, shared
 * with sshkit-sftp), then the channel step (channel.c). Exit status 255 on
 * any connection or authentication failure, as ssh. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config_apply.h"
#include "ssh.h"

int main(int argc, char **argv)
{
    struct ssh_options o;
    options_init(&o);
    options_parse(&o, argc, argv);
    config_resolve(&o);
    options_finish(&o);
    if (o.proxy_jump)
        jump_to_proxy_command(&o);
    log_set_level(o.log_level);
    if (o.stdin_null) {
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0 && dup2(null, STDIN_FILENO) >= 0 && null != STDIN_FILENO)
            close(null);
    }
    channel_step_check(&o);
    struct ssh_conn c;
    int status = SSH_EXIT_FAILURE;
    if (ssh_conn_open(&o, &c))
        status = channel_step_run(&o, c.s, c.fd, c.addr);
    ssh_conn_close(&c);
    options_free(&o);
    return status;
}
