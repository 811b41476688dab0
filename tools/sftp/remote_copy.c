/* sshkit-sftp: copy/cp, a copy made by the server (the copy-data
 * extension), with the steps and messages of OpenSSH's do_copy(). */
#include <sys/stat.h>

#include "sftp.h"

/* Opens a remote file, or prints OpenSSH's message. */
static sshkit_sftp_file *open_remote(struct remote *r, const char *path, unsigned flags,
                                     unsigned mode)
{
    sshkit_sftp_file *f = NULL;
    int rc;
    REMOTE_CALL(r, rc, sshkit_sftp_file_open(r->sftp, path, flags, mode, &f));
    if (rc != 0) {
        error_line("remote open(\"%s\"): %s", path, remote_why(r, rc));
        return NULL;
    }
    return f;
}

static void close_remote(struct remote *r, sshkit_sftp_file *f)
{
    int rc;
    if (f == NULL)
        return;
    REMOTE_CALL(r, rc, sshkit_sftp_file_close(f));
    if (rc != 0)
        error_line("close remote: %s", remote_why(r, rc));
}

int rs_copy(struct remote *r, const char *from, const char *to)
{
    if (!sshkit_sftp_has_extension(r->sftp, "copy-data")) {
        error_line("Server does not support copy-data extension");
        return -1;
    }
    sshkit_sftp_attrs a;
    if (rs_stat(r, from, &a, false) != 0)
        return -1;
    unsigned mode = 0666;
    if (a.flags & SSHKIT_SFTP_ATTR_PERMISSIONS) {
        if (!S_ISREG(a.permissions)) {
            error_line("Cannot copy non-regular file: %s", from);
            return -1;
        }
        mode = a.permissions & 0777;
    }
    sshkit_sftp_file *src = open_remote(r, from, SSHKIT_SFTP_READ, 0);
    if (src == NULL)
        return -1;
    sshkit_sftp_file *dst = open_remote(
        r, to, SSHKIT_SFTP_WRITE | SSHKIT_SFTP_CREAT | SSHKIT_SFTP_TRUNC, mode);
    int rc = SSHKIT_E_IO;
    if (dst != NULL) {
        REMOTE_CALL(r, rc, sshkit_sftp_copy_data(src, 0, 0, dst, 0));
        if (rc != 0)
            error_line("Couldn't copy file \"%s\" to \"%s\": %s", from, to,
                       remote_why(r, rc));
    }
    close_remote(r, src);
    close_remote(r, dst);
    return rc == 0 ? 0 : -1;
}
