/* sshkit-sftp: the commands that need no request, or only local work:
 * pwd, lpwd, lcd, lmkdir, lumask, version, progress, help. The local
 * shell (! and lls) is not provided. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sftp.h"

static int local_cd(const struct command *c)
{
    char *path = tilde_expand(c->path1 && *c->path1 ? c->path1 : "~");
    int rc = chdir(path);
    if (rc != 0)
        error_line("Couldn't change local directory to \"%s\": %s", path,
                   strerror(errno));
    free(path);
    return rc == 0 ? 0 : -1;
}

static int local_pwd(void)
{
    char buf[PATH_MAX];
    if (getcwd(buf, sizeof buf) == NULL) {
        error_line("Couldn't get local cwd: %s", strerror(errno));
        return -1;
    }
    mprintf("Local working directory: %s\n", buf);
    return 0;
}

int cmd_local(struct sftp_state *st, const struct command *c)
{
    switch (c->id) {
    case CMD_PWD:
        mprintf("Remote working directory: %s\n", st->pwd);
        return 0;
    case CMD_LPWD: return local_pwd();
    case CMD_LCD: return local_cd(c);
    case CMD_LMKDIR:
        if (mkdir(c->path1, 0777) != 0) {
            error_line("Couldn't create local directory \"%s\": %s", c->path1,
                       strerror(errno));
            return -1;
        }
        return 0;
    case CMD_LUMASK:
        umask((mode_t)c->number);
        printf("Local umask: %03lo\n", c->number);
        return 0;
    case CMD_VERSION:
        printf("SFTP protocol version %u\n", sshkit_sftp_server_version(st->r->sftp));
        return 0;
    case CMD_PROGRESS:
        st->progress = !st->progress;
        printf("Progress meter %s\n", st->progress ? "enabled" : "disabled");
        return 0;
    default:
        error_line("sshkit-sftp: no local shell: \"%s\" is not supported", c->name);
        return -1;
    }
}

/* The commands, one line each (sshkit-sftp -h has the details). */
static const char *const help_lines[] = {
    "bye, exit, quit                  end the session",
    "cd [path]                        change the remote directory (none: the start)",
    "chgrp [-h] gid path              set the group of remote files (-h: the links)",
    "chmod [-h] mode path             set the permissions of remote files",
    "chown [-h] uid path              set the owner of remote files",
    "copy, cp from to                 copy a remote file on the server",
    "df [-hi] [path]                  usage of the remote file system",
    "get [-afpR] remote [local]       download (-a resume, -f fsync, -p keep modes",
    "                                 and times, -R whole directories)",
    "help, ?                          this list",
    "lcd [path]                       change the local directory (none: home)",
    "lmkdir path                      make a local directory",
    "ln [-s] from to                  link remote files (-s: a symbolic link)",
    "lpwd                             show the local directory",
    "ls [-1afhlnrSt] [path]           list remote files",
    "lumask umask                     set the local umask",
    "mkdir path                       make a remote directory",
    "progress                         turn the progress meter on or off",
    "put [-afpR] local [remote]       upload (flags as get)",
    "pwd                              show the remote directory",
    "reget [-fpR] remote [local]      resume a download",
    "rename [-l] from to              rename a remote file",
    "reput [-fpR] local [remote]      resume an upload",
    "rm path                          remove remote files",
    "rmdir path                       remove a remote directory",
    "symlink from to                  make a remote symbolic link",
    "version                          show the SFTP protocol version",
};

void cmd_help(void)
{
    printf("Available commands:\n");
    for (size_t i = 0; i < sizeof help_lines / sizeof help_lines[0]; i++)
        printf("%s\n", help_lines[i]);
}
