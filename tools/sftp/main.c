/* sshkit-sftp: OpenSSH's sftp on sshkit (DESIGN.md section 6). Connects
 * as sshkit-ssh does, starts the SFTP session, then runs host:path and the
 * commands (loop.c). Exit status 0; 1 when a batch command failed; 255
 * when the connection could not be made or was lost. */
#include <stdlib.h>

#include "sftp.h"

int main(int argc, char **argv)
{
    struct sftp_options o;
    output_init();
    sftp_options_parse(&o, argc, argv);
    log_set_level(o.ssh.log_level);
    struct remote r;
    if (!remote_open(&r, &o)) {
        remote_close(&r);
        sftp_options_free(&o);
        return SFTP_EXIT_FATAL;
    }
    if (!o.quiet)
        error_line("Connected to %s.", o.ssh.host);
    struct sftp_state st = { .r = &r, .opt = &o, .progress = o.progress };
    st.pwd = rs_realpath(&r, ".");
    if (st.pwd == NULL) {
        fprintf(stderr, "Need cwd\n");
        exit(SFTP_EXIT_FATAL);
    }
    st.startdir = xstrdup(st.pwd);
    int status = run_start_path(&st);
    if (status < 0)
        status = run_commands(&st);
    free(st.pwd);
    free(st.startdir);
    remote_close(&r);
    sftp_options_free(&o);
    return status;
}
