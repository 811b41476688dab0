/* sshkit-sftp: get -r and put -r, as OpenSSH's download_dir() and
 * upload_dir(): depth-first, at most 64 levels, regular files only (links
 * and others are reported and skipped), a directory made writable while
 * it is filled and given its mode (and, with -p, its times) afterwards. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "sftp.h"

#define MAX_DIR_DEPTH 64

struct walk {
    struct sftp_state *st;
    bool preserve, resume, fsync;
};

/* The local directory's mode and times once its files are in. */
static void finish_local_dir(const char *dst, const sshkit_sftp_attrs *a, unsigned mode,
                             unsigned tmpmode, bool preserve)
{
    if (preserve && (a->flags & SSHKIT_SFTP_ATTR_ACMODTIME)) {
        struct timeval tv[2] = { { .tv_sec = a->atime }, { .tv_sec = a->mtime } };
        if (utimes(dst, tv) != 0)
            error_line("local set times on \"%s\": %s", dst, strerror(errno));
    }
    if (mode != tmpmode && chmod(dst, mode) != 0)
        error_line("local chmod directory \"%s\": %s", dst, strerror(errno));
}

static int download_entry(struct walk *w, const struct rs_dirent *e, const char *src,
                          const char *dst, int depth);

static int download_tree(struct walk *w, const char *src, const char *dst, int depth,
                         const sshkit_sftp_attrs *known)
{
    struct remote *r = w->st->r;
    sshkit_sftp_attrs a;
    if (depth >= MAX_DIR_DEPTH) {
        error_line("Maximum directory depth exceeded: %d levels", depth);
        return -1;
    }
    if (known != NULL) {
        a = *known;
    } else if (rs_stat(r, src, &a, true) != 0) {
        error_line("stat remote \"%s\" directory failed", src);
        return -1;
    }
    if (!S_ISDIR(a.permissions)) {
        error_line("\"%s\" is not a directory", src);
        return -1;
    }
    mprintf("Retrieving %s\n", src);
    fflush(stdout);
    unsigned mode = 0777, tmpmode = 0777;
    if (a.flags & SSHKIT_SFTP_ATTR_PERMISSIONS) {
        mode = a.permissions & 01777;
        tmpmode = mode | S_IWUSR | S_IXUSR;
    }
    if (mkdir(dst, tmpmode) != 0 && errno != EEXIST) {
        error_line("mkdir %s: %s", dst, strerror(errno));
        return -1;
    }
    struct rs_dir d;
    if (rs_readdir(r, src, &d) != 0) {
        error_line("remote readdir \"%s\" failed", src);
        return -1;
    }
    int ret = 0;
    for (size_t i = 0; i < d.n && !sftp_interrupted; i++)
        if (download_entry(w, &d.v[i], src, dst, depth) != 0)
            ret = -1;
    rs_dir_free(&d);
    finish_local_dir(dst, &a, mode, tmpmode, w->preserve);
    return ret;
}

static int download_entry(struct walk *w, const struct rs_dirent *e, const char *src,
                          const char *dst, int depth)
{
    uint32_t perm = e->attrs.permissions;
    if (S_ISDIR(perm) && (strcmp(e->name, ".") == 0 || strcmp(e->name, "..") == 0))
        return 0;
    char *from = path_append(src, e->name), *to = path_append(dst, e->name);
    int ret = 0;
    if (S_ISDIR(perm)) {
        ret = download_tree(w, from, to, depth + 1, &e->attrs);
    } else if (S_ISREG(perm)) {
        ret = download_file(w->st, from, to, &e->attrs, w->preserve, w->resume, w->fsync);
        if (ret != 0)
            error_line("Download of file %s to %s failed", from, to);
    } else {
        error_line("download \"%s\": not a regular file", from);
    }
    free(from);
    free(to);
    return ret;
}

int download_dir(struct sftp_state *st, const char *src, const char *dst, bool preserve,
                 bool resume, bool fsync)
{
    char *canon = rs_realpath(st->r, src);
    if (canon == NULL) {
        error_line("download \"%s\": path canonicalization failed", src);
        return -1;
    }
    struct walk w = { .st = st, .preserve = preserve, .resume = resume, .fsync = fsync };
    int rc = download_tree(&w, canon, dst, 0, NULL);
    free(canon);
    return rc;
}

/* The remote directory to fill: made (writable for now), or one that
 * exists already. */
static int make_remote_dir(struct remote *r, const char *dst, const sshkit_sftp_attrs *a)
{
    if (rs_mkdir(r, dst, a->permissions | S_IWUSR | S_IXUSR, true) == 0)
        return 0;
    sshkit_sftp_attrs there;
    if (rs_stat(r, dst, &there, false) != 0)
        return -1;
    if (!S_ISDIR(there.permissions)) {
        error_line("\"%s\" exists but is not a directory", dst);
        return -1;
    }
    return 0;
}

static int upload_tree(struct walk *w, const char *src, const char *dst, int depth);

static int upload_entry(struct walk *w, const char *name, const char *src, const char *dst,
                        int depth)
{
    char *from = path_append(src, name), *to = path_append(dst, name);
    struct stat sb;
    int ret = 0;
    if (lstat(from, &sb) != 0) {
        error_line("local lstat \"%s\": %s", name, strerror(errno));
        ret = -1;
    } else if (S_ISDIR(sb.st_mode)) {
        if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0)
            ret = upload_tree(w, from, to, depth + 1);
    } else if (S_ISREG(sb.st_mode)) {
        ret = upload_file(w->st, from, to, w->preserve, w->resume, w->fsync);
        if (ret != 0)
            error_line("upload \"%s\" to \"%s\" failed", from, to);
    } else {
        error_line("%s: not a regular file", name);
    }
    free(from);
    free(to);
    return ret;
}

static int upload_tree(struct walk *w, const char *src, const char *dst, int depth)
{
    struct stat sb;
    if (depth >= MAX_DIR_DEPTH) {
        error_line("Maximum directory depth exceeded: %d levels", depth);
        return -1;
    }
    if (stat(src, &sb) != 0) {
        error_line("stat local \"%s\": %s", src, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(sb.st_mode)) {
        error_line("\"%s\" is not a directory", src);
        return -1;
    }
    mprintf("Entering %s\n", src);
    fflush(stdout);
    sshkit_sftp_attrs a = { .flags = SSHKIT_SFTP_ATTR_PERMISSIONS,
                            .permissions = sb.st_mode & 01777 };
    if (w->preserve) {
        a.flags |= SSHKIT_SFTP_ATTR_ACMODTIME;
        a.atime = (uint32_t)sb.st_atime;
        a.mtime = (uint32_t)sb.st_mtime;
    }
    if (make_remote_dir(w->st->r, dst, &a) != 0)
        return -1;
    DIR *dir = opendir(src);
    if (dir == NULL) {
        error_line("local opendir \"%s\": %s", src, strerror(errno));
        return -1;
    }
    int ret = 0;
    struct dirent *de;
    while (!sftp_interrupted && (de = readdir(dir)) != NULL)
        if (de->d_ino != 0 && upload_entry(w, de->d_name, src, dst, depth) != 0)
            ret = -1;
    closedir(dir);
    rs_setstat(w->st->r, dst, &a, false);
    return ret;
}

int upload_dir(struct sftp_state *st, const char *src, const char *dst, bool preserve,
               bool resume, bool fsync)
{
    char *canon = rs_realpath(st->r, dst);
    if (canon == NULL) {
        error_line("upload \"%s\": path canonicalization failed", dst);
        return -1;
    }
    struct walk w = { .st = st, .preserve = preserve, .resume = resume, .fsync = fsync };
    int rc = upload_tree(&w, src, canon, 0);
    free(canon);
    return rc;
}
