/* sshkit-sftp: get and reget, as OpenSSH's process_get() and
 * do_download(): the remote pattern globbed, each match fetched (a
 * directory with -r), with OpenSSH's checks and messages around the
 * library's pipelined download. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sftp.h"

/* Why a download failed, told as OpenSSH tells it: the remote open, the
 * local open, a remote read or a local write. */
static void report_failure(struct sftp_state *st, int rc, int err, const char *remote,
                           const char *local)
{
    struct remote *r = st->r;
    if (rc == SSHKIT_E_IO) {
        bool opening = err == EACCES || err == ENOENT || err == ENOTDIR || err == EISDIR ||
                       err == EROFS || err == ELOOP || err == ENAMETOOLONG || err == EPERM ||
                       err == ETXTBSY;
        error_line("%s local \"%s\": %s", opening ? "open" : "write", local,
                   strerror(err));
        return;
    }
    const char *why = remote_why(r, rc);
    unsigned status = sshkit_sftp_last_status(r->sftp);
    /* The library does not say which request failed: a read rarely fails
     * on a file that opens, so ask the server again to tell them apart. */
    sshkit_sftp_file *f = NULL;
    int again;
    REMOTE_CALL(r, again, sshkit_sftp_file_open(r->sftp, remote, SSHKIT_SFTP_READ, 0, &f));
    if (again != 0) {
        error_line("remote open \"%s\": %s", remote, remote_why(r, again));
        return;
    }
    REMOTE_CALL(r, again, sshkit_sftp_file_close(f));
    error_line("read remote \"%s\" : %s", remote,
               rc == SSHKIT_E_SFTP_STATUS ? sshkit_sftp_status_message(status) : why);
}

/* When resuming: the local file's size, to tell OpenSSH's two notices. */
static bool local_size(const char *path, uint64_t *size)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return false;
    *size = (uint64_t)sb.st_size;
    return true;
}

/* get -f: the library syncs only what it uploads; the local copy here. */
static void sync_local(const char *path)
{
    int fd = open(path, O_WRONLY);
    if (fd < 0 || fsync(fd) != 0)
        error_line("local sync \"%s\": %s", path, strerror(errno));
    if (fd >= 0)
        close(fd);
}

int download_file(struct sftp_state *st, const char *remote, const char *local,
                  const sshkit_sftp_attrs *known, bool preserve, bool resume, bool fsync)
{
    sshkit_sftp_attrs a;
    if (known != NULL)
        a = *known;
    else if (rs_stat(st->r, remote, &a, false) != 0)
        return -1;
    if ((a.flags & SSHKIT_SFTP_ATTR_PERMISSIONS) && !S_ISREG(a.permissions)) {
        error_line("download %s: not a regular file", remote);
        return -1;
    }
    uint64_t size = a.flags & SSHKIT_SFTP_ATTR_SIZE ? a.size : 0, before = 0;
    bool had = resume && local_size(local, &before);
    char *name = path_base(remote);
    struct transfer_job job = { .upload = false, .local = local, .remote = remote,
                                .resume = resume, .preserve = preserve, .fsync = fsync,
                                .meter_name = st->progress && size != 0 ? name : NULL,
                                .meter_start = had && before <= size ? before : 0,
                                .meter_total = size };
    int rc = transfer_run(st, &job);
    int err = errno;
    free(name);
    if (rc == SSHKIT_E_STATE && resume) {
        error_line("Unable to resume download of \"%s\": local file is larger than remote",
                   local);
        return -1;
    }
    if (rc < 0) {
        report_failure(st, rc, err, remote, local);
        return -1;
    }
    if (rc == 0 && resume && had && before == size)
        error_line("File \"%s\" was not modified", local);
    else if (rc == 0 && fsync)
        sync_local(local);
    return rc == 0 ? 0 : -1;
}

/* Where one match goes, as process_get() decides. */
static char *destination_for(const char *match, const char *dst, size_t matches)
{
    char *base = path_base(match), *out;
    if (dst == NULL)
        return base;
    if (matches > 1 || local_is_dir(dst))
        out = path_append(dst, base);
    else
        out = xstrdup(dst);
    free(base);
    return out;
}

int cmd_get(struct sftp_state *st, const struct command *c, bool resume)
{
    const struct sftp_options *o = st->opt;
    char *pattern = make_absolute_glob(c->path1, st->pwd);
    struct rglob g;
    int err = 0, rc = rglob(st->r, pattern, RGLOB_MARK, &g);
    if (rc != 0) {
        if (rc == RGLOB_NOSPACE)
            error_line("Too many matches for \"%s\".", pattern);
        else
            error_line("File \"%s\" not found.", pattern);
        free(pattern);
        return -1;
    }
    if (g.matched > 1 && c->path2 != NULL && !local_is_dir(c->path2)) {
        error_line("Multiple source paths, but destination \"%s\" is not a directory",
                   c->path2);
        err = -1;
    }
    resume |= o->resume_all;
    bool preserve = c->p || o->preserve_all, fsync = c->f || o->fsync_all;
    for (size_t i = 0; i < (err ? 0 : g.n) && !sftp_interrupted; i++) {
        const char *src = g.v[i].path;
        char *dst = destination_for(src, c->path2, g.matched);
        if (!o->quiet)
            mprintf(resume ? "Resuming %s to %s\n" : "Fetching %s to %s\n", src, dst);
        fflush(stdout);
        if (path_is_marked_dir(src) && (c->r || o->recurse_all))
            rc = download_dir(st, src, dst, preserve, resume, fsync);
        else
            rc = download_file(st, src, dst, NULL, preserve, resume, fsync);
        if (rc != 0)
            err = -1;
        free(dst);
    }
    rglob_free(&g);
    free(pattern);
    return err;
}
