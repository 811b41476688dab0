/* sshkit-sftp: single requests, each failure worded as OpenSSH's sftp
 * words it (its sftp-client.c: "stat remote: ...", "remote mkdir "P": ...",
 * "Server does not support ... extension"). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sftp.h"

/* Realpath answers longer than this are refused (the library says so). */
#define RS_PATH_MAX 8192

int rs_stat(struct remote *r, const char *path, sshkit_sftp_attrs *a, bool quiet)
{
    int rc;
    REMOTE_CALL(r, rc, sshkit_sftp_stat(r->sftp, path, a));
    if (rc != 0 && !quiet)
        error_line("stat remote: %s", remote_why(r, rc));
    else if (rc != 0)
        remote_why(r, rc);      /* fatal errors end the session even when quiet */
    return rc == 0 ? 0 : -1;
}

int rs_lstat(struct remote *r, const char *path, sshkit_sftp_attrs *a, bool quiet)
{
    int rc;
    REMOTE_CALL(r, rc, sshkit_sftp_lstat(r->sftp, path, a));
    if (rc != 0 && !quiet)
        error_line("stat remote: %s", remote_why(r, rc));
    else if (rc != 0)
        remote_why(r, rc);
    return rc == 0 ? 0 : -1;
}

bool rs_is_dir(struct remote *r, const char *path)
{
    sshkit_sftp_attrs a;
    if (rs_stat(r, path, &a, true) != 0 || !(a.flags & SSHKIT_SFTP_ATTR_PERMISSIONS))
        return false;
    return S_ISDIR(a.permissions);
}

char *rs_realpath(struct remote *r, const char *path)
{
    char *buf = malloc(RS_PATH_MAX);
    int rc = SSHKIT_E_NOMEM;
    if (buf != NULL)
        REMOTE_CALL(r, rc, sshkit_sftp_realpath(r->sftp, path, buf, RS_PATH_MAX));
    if (rc >= 0)
        return buf;
    free(buf);
    error_line("realpath %s: %s", path, remote_why(r, rc));
    return NULL;
}

int rs_mkdir(struct remote *r, const char *path, unsigned mode, bool quiet)
{
    int rc;
    REMOTE_CALL(r, rc, sshkit_sftp_mkdir(r->sftp, path, mode));
    if (rc != 0) {
        const char *why = remote_why(r, rc);
        if (!quiet)
            error_line("remote mkdir \"%s\": %s", path, why);
    }
    return rc == 0 ? 0 : -1;
}

int rs_rmdir(struct remote *r, const char *path)
{
    int rc;
    REMOTE_CALL(r, rc, sshkit_sftp_rmdir(r->sftp, path));
    if (rc != 0)
        error_line("remote rmdir \"%s\": %s", path, remote_why(r, rc));
    return rc == 0 ? 0 : -1;
}

int rs_remove(struct remote *r, const char *path)
{
    int rc;
    REMOTE_CALL(r, rc, sshkit_sftp_remove(r->sftp, path));
    if (rc != 0)
        error_line("remote delete %s: %s", path, remote_why(r, rc));
    return rc == 0 ? 0 : -1;
}

int rs_rename(struct remote *r, const char *from, const char *to, bool legacy)
{
    int rc;
    unsigned flags = legacy ? SSHKIT_SFTP_RENAME_LEGACY : 0;
    REMOTE_CALL(r, rc, sshkit_sftp_rename(r->sftp, from, to, flags));
    if (rc != 0)
        error_line("remote rename \"%s\" to \"%s\": %s", from, to, remote_why(r, rc));
    return rc == 0 ? 0 : -1;
}

int rs_symlink(struct remote *r, const char *target, const char *link_path)
{
    int rc;
    REMOTE_CALL(r, rc, sshkit_sftp_symlink(r->sftp, target, link_path));
    if (rc != 0)
        error_line("remote symlink file \"%s\" to \"%s\": %s", target, link_path,
                   remote_why(r, rc));
    return rc == 0 ? 0 : -1;
}

int rs_hardlink(struct remote *r, const char *existing, const char *link_path)
{
    if (!sshkit_sftp_has_extension(r->sftp, "hardlink@openssh.com")) {
        error_line("Server does not support hardlink@openssh.com extension");
        return -1;
    }
    int rc;
    REMOTE_CALL(r, rc, sshkit_sftp_hardlink(r->sftp, existing, link_path));
    if (rc != 0)
        error_line("remote link \"%s\" to \"%s\": %s", existing, link_path,
                   remote_why(r, rc));
    return rc == 0 ? 0 : -1;
}

int rs_setstat(struct remote *r, const char *path, const sshkit_sftp_attrs *a, bool no_follow)
{
    int rc;
    if (no_follow && !sshkit_sftp_has_extension(r->sftp, "lsetstat@openssh.com")) {
        error_line("Server does not support lsetstat@openssh.com extension");
        return -1;
    }
    if (no_follow)
        REMOTE_CALL(r, rc, sshkit_sftp_lsetstat(r->sftp, path, a));
    else
        REMOTE_CALL(r, rc, sshkit_sftp_setstat(r->sftp, path, a));
    if (rc != 0)
        error_line("remote %s \"%s\": %s", no_follow ? "lsetstat" : "setstat", path,
                   remote_why(r, rc));
    return rc == 0 ? 0 : -1;
}

int rs_statvfs(struct remote *r, const char *path, sshkit_sftp_fs_stats *st)
{
    if (!sshkit_sftp_has_extension(r->sftp, "statvfs@openssh.com")) {
        error_line("Server does not support statvfs@openssh.com extension");
        return -1;
    }
    int rc;
    REMOTE_CALL(r, rc, sshkit_sftp_statvfs(r->sftp, path, st));
    if (rc != 0)
        error_line("remote statvfs: %s", remote_why(r, rc));
    return rc == 0 ? 0 : -1;
}
