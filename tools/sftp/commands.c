/* sshkit-sftp: the commands on remote paths other than transfers and
 * listings: cd, copy, rename, ln, symlink, rm, mkdir, rmdir, chmod, chown,
 * chgrp, as OpenSSH's parse_dispatch_command() runs them (rm, chmod, chown
 * and chgrp glob; the others take their paths as they are). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sftp.h"

int cmd_cd(struct sftp_state *st, const struct command *c)
{
    const char *to = c->path1 && *c->path1 ? c->path1 : st->startdir;
    char *path = make_absolute(xstrdup(to), st->pwd);
    char *canon = rs_realpath(st->r, path);
    free(path);
    if (canon == NULL)
        return -1;
    sshkit_sftp_attrs a;
    if (rs_stat(st->r, canon, &a, false) != 0) {
        free(canon);
        return -1;
    }
    if (!(a.flags & SSHKIT_SFTP_ATTR_PERMISSIONS)) {
        error_line("Can't change directory: Can't check target");
        free(canon);
        return -1;
    }
    if (!S_ISDIR(a.permissions)) {
        error_line("Can't change directory: \"%s\" is not a directory", canon);
        free(canon);
        return -1;
    }
    free(st->pwd);
    st->pwd = canon;
    return 0;
}

/* chown and chgrp on one path: the other id kept as it is. */
static int change_owner(struct sftp_state *st, const struct command *c, const char *path)
{
    sshkit_sftp_attrs a;
    int rc = c->h ? rs_lstat(st->r, path, &a, false) : rs_stat(st->r, path, &a, false);
    if (rc != 0)
        return -1;
    if (!(a.flags & SSHKIT_SFTP_ATTR_UIDGID)) {
        error_line("Can't get current ownership of remote file \"%s\"", path);
        return -1;
    }
    a.flags = SSHKIT_SFTP_ATTR_UIDGID;
    if (!st->opt->quiet)
        mprintf("Changing %s on %s\n", c->id == CMD_CHOWN ? "owner" : "group", path);
    if (c->id == CMD_CHOWN)
        a.uid = (uint32_t)c->number;
    else
        a.gid = (uint32_t)c->number;
    return rs_setstat(st->r, path, &a, c->h);
}

/* One globbed path of rm, chmod, chown or chgrp. */
static int on_match(struct sftp_state *st, const struct command *c, const char *path)
{
    bool quiet = st->opt->quiet;
    if (c->id == CMD_RM) {
        if (!quiet)
            mprintf("Removing %s\n", path);
        return rs_remove(st->r, path);
    }
    if (c->id == CMD_CHMOD) {
        if (!quiet)
            mprintf("Changing mode on %s\n", path);
        sshkit_sftp_attrs a = { .flags = SSHKIT_SFTP_ATTR_PERMISSIONS,
                                .permissions = (uint32_t)c->number };
        return rs_setstat(st->r, path, &a, c->h);
    }
    return change_owner(st, c, path);
}

/* rm, chmod, chown, chgrp: the result is the last path's, as OpenSSH's;
 * in a batch, the first failure stops the rest. */
static int on_glob(struct sftp_state *st, const struct command *c, bool err_abort)
{
    char *pattern = make_absolute_glob(c->path1, st->pwd);
    struct rglob g;
    int err = 0;
    rglob(st->r, pattern, RGLOB_NOCHECK, &g);
    for (size_t i = 0; i < g.n && !sftp_interrupted; i++) {
        err = on_match(st, c, g.v[i].path);
        fflush(stdout);
        if (err != 0 && err_abort)
            break;
    }
    rglob_free(&g);
    free(pattern);
    return err;
}

/* The commands on two paths. */
static int two_paths(struct sftp_state *st, const struct command *c)
{
    char *from = xstrdup(c->path1), *to = make_absolute(xstrdup(c->path2), st->pwd);
    bool symbolic = c->id == CMD_SYMLINK || (c->id == CMD_LN && c->s);
    if (!symbolic)
        from = make_absolute(from, st->pwd);   /* a link's target stays as typed */
    int rc;
    if (c->id == CMD_COPY)
        rc = rs_copy(st->r, from, to);
    else if (c->id == CMD_RENAME)
        rc = rs_rename(st->r, from, to, c->l);
    else if (symbolic)
        rc = rs_symlink(st->r, from, to);
    else
        rc = rs_hardlink(st->r, from, to);
    free(from);
    free(to);
    return rc;
}

int cmd_paths(struct sftp_state *st, const struct command *c, bool err_abort)
{
    switch (c->id) {
    case CMD_RM: case CMD_CHMOD: case CMD_CHOWN: case CMD_CHGRP:
        return on_glob(st, c, err_abort);
    case CMD_MKDIR: case CMD_RMDIR: {
        char *path = make_absolute(xstrdup(c->path1), st->pwd);
        int rc = c->id == CMD_MKDIR ? rs_mkdir(st->r, path, 0777, false) : rs_rmdir(st->r, path);
        free(path);
        return rc;
    }
    default:
        return two_paths(st, c);
    }
}
