/* sshkit-sftp: put and reput, as OpenSSH's process_put() and
 * do_upload(): the local pattern globbed (glob(3)), each match sent (a
 * directory with -r), with OpenSSH's checks and messages around the
 * library's pipelined upload. */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sftp.h"

/* Checks the local file as do_upload() does before sending anything. */
static bool local_regular(const char *path, uint64_t *size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        error_line("open local \"%s\": %s", path, strerror(errno));
        return false;
    }
    struct stat sb;
    bool ok = fstat(fd, &sb) == 0;
    if (!ok)
        error_line("fstat local \"%s\": %s", path, strerror(errno));
    else if (!(ok = S_ISREG(sb.st_mode)))
        error_line("local \"%s\" is not a regular file", path);
    close(fd);
    *size = (uint64_t)sb.st_size;
    return ok;
}

/* Why an upload failed: the remote open or a remote write (told apart by
 * asking the server again: the library does not say), or the local read. */
static void report_failure(struct sftp_state *st, int rc, int err, const char *local,
                           const char *remote)
{
    struct remote *r = st->r;
    if (rc == SSHKIT_E_IO) {
        error_line("read local \"%s\": %s", local, strerror(err));
        return;
    }
    const char *why = remote_why(r, rc);
    char words[128];
    snprintf(words, sizeof words, "%s", why);
    sshkit_sftp_file *f = NULL;
    int again;
    REMOTE_CALL(r, again, sshkit_sftp_file_open(r->sftp, remote, SSHKIT_SFTP_WRITE, 0, &f));
    if (again != 0) {
        remote_why(r, again);
        error_line("dest open \"%s\": %s", remote, words);
        return;
    }
    REMOTE_CALL(r, again, sshkit_sftp_file_close(f));
    error_line("write remote \"%s\": %s", remote, words);
}

int upload_file(struct sftp_state *st, const char *local, const char *remote, bool preserve,
                bool resume, bool fsync)
{
    uint64_t size;
    if (!local_regular(local, &size))
        return -1;
    uint64_t there = 0;
    if (resume) {
        sshkit_sftp_attrs a;
        if (rs_stat(st->r, remote, &a, false) != 0)
            return -1;
        there = a.flags & SSHKIT_SFTP_ATTR_SIZE ? a.size : 0;
        if (there >= size) {
            error_line("resume \"%s\": destination file same size or larger", local);
            return -1;
        }
    }
    char *name = path_base(local);
    struct transfer_job job = { .upload = true, .local = local, .remote = remote,
                                .resume = resume, .preserve = preserve, .fsync = fsync,
                                .meter_name = st->progress ? name : NULL,
                                .meter_start = there, .meter_total = size };
    int rc = transfer_run(st, &job);
    int err = errno;
    free(name);
    if (rc < 0)
        report_failure(st, rc, err, local, remote);
    return rc == 0 ? 0 : -1;
}

/* Where one match goes, as process_put() decides. */
static char *destination_for(struct sftp_state *st, const char *match, const char *dst,
                             bool dst_is_dir, size_t matches)
{
    char *base = path_base(match), *out;
    if (dst == NULL)
        out = make_absolute(xstrdup(base), st->pwd);
    else if (matches > 1 || dst_is_dir)
        out = path_append(dst, base);
    else
        out = xstrdup(dst);
    free(base);
    return out;
}

/* The local matches: glob(3)'s, or the pattern itself when nothing
 * matches (OpenSSH's GLOB_NOCHECK); *matches counts the real ones. */
static int local_glob(const char *pattern, glob_t *g, size_t *matches)
{
    memset(g, 0, sizeof *g);
    int rc = glob(pattern, GLOB_MARK, NULL, g);
    if (rc == 0) {
        *matches = g->gl_pathc;
        return 0;
    }
    globfree(g);
    *matches = 0;
    return rc == GLOB_NOMATCH ? glob(pattern, GLOB_MARK | GLOB_NOCHECK, NULL, g) : rc;
}

static int put_one(struct sftp_state *st, const struct command *c, const char *src,
                   const char *dst, bool resume)
{
    const struct sftp_options *o = st->opt;
    struct stat sb;
    if (stat(src, &sb) != 0) {
        error_line("stat %s: %s", src, strerror(errno));
        return -1;
    }
    if (!o->quiet)
        mprintf(resume ? "Resuming upload of %s to %s\n" : "Uploading %s to %s\n", src, dst);
    fflush(stdout);
    bool preserve = c->p || o->preserve_all, fsync = c->f || o->fsync_all;
    if (path_is_marked_dir(src) && (c->r || o->recurse_all))
        return upload_dir(st, src, dst, preserve, resume, fsync);
    return upload_file(st, src, dst, preserve, resume, fsync);
}

int cmd_put(struct sftp_state *st, const struct command *c, bool resume)
{
    char *dst = c->path2 ? make_absolute(xstrdup(c->path2), st->pwd) : NULL;
    glob_t g;
    size_t matches;
    int err = 0;
    bool refused = false;
    if (local_glob(c->path1, &g, &matches) != 0) {
        error_line("File \"%s\" not found.", c->path1);
        free(dst);
        return -1;
    }
    bool dst_is_dir = dst == NULL || rs_is_dir(st->r, dst);
    if (matches > 1 && dst != NULL && !dst_is_dir) {
        error_line("Multiple paths match, but destination \"%s\" is not a directory", dst);
        refused = true;
        err = -1;
    }
    resume |= st->opt->resume_all;
    for (size_t i = 0; !refused && i < g.gl_pathc && !sftp_interrupted; i++) {
        const char *src = g.gl_pathv[i];
        char *to = destination_for(st, src, dst, dst_is_dir, matches);
        if (put_one(st, c, src, to, resume) != 0)
            err = -1;
        free(to);
    }
    globfree(&g);
    free(dst);
    return err;
}
