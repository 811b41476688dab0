/* sshkit-sftp: running one command line as OpenSSH's
 * parse_dispatch_command() does: the echo ("sftp> LINE"), the command,
 * and what a failure means (the end of a batch, unless the line starts
 * with '-'). */
#include <stdlib.h>
#include <string.h>

#include "sftp.h"

static int run_command(struct sftp_state *st, const struct command *c, bool err_abort)
{
    switch (c->id) {
    case CMD_BLANK: return 0;
    case CMD_GET: return cmd_get(st, c, c->a);
    case CMD_REGET: return cmd_get(st, c, true);
    case CMD_PUT: return cmd_put(st, c, c->a);
    case CMD_REPUT: return cmd_put(st, c, true);
    case CMD_LS: return cmd_ls(st, c);
    case CMD_DF: return cmd_df(st, c);
    case CMD_CD: return cmd_cd(st, c);
    case CMD_COPY: case CMD_RENAME: case CMD_LN: case CMD_SYMLINK: case CMD_RM: case CMD_MKDIR:
    case CMD_RMDIR: case CMD_CHMOD: case CMD_CHOWN: case CMD_CHGRP:
        return cmd_paths(st, c, err_abort);
    case CMD_HELP:
        cmd_help();
        return 0;
    case CMD_QUIT: return 0;
    default: return cmd_local(st, c);
    }
}

enum dispatch_result dispatch_line(struct sftp_state *st, const char *line, bool err_abort,
                                   bool echo)
{
    struct command c;
    int err = parse_command(line, &c);
    if (c.ignore_errors)
        err_abort = false;
    /* The echo comes after parsing, as OpenSSH's does: a parse error is
     * printed (on stderr) before the line it is about. */
    if (echo && !c.no_echo) {
        mprintf("sftp> %s\n", line);
        fflush(stdout);
    }
    if (err == 0)
        err = run_command(st, &c, err_abort);
    fflush(stdout);
    enum cmd_id id = c.id;
    command_free(&c);
    if (err_abort && err != 0)
        return DISPATCH_ABORT;
    return err == 0 && id == CMD_QUIT ? DISPATCH_QUIT : DISPATCH_OK;
}
