/* sshkit-sftp: a whole remote directory in memory, as OpenSSH's
 * do_readdir() reads it, for ls, globbing and recursive transfers. Names
 * holding a '/' are dropped (a server could otherwise lead a recursive get
 * outside its target); the count is bounded. */
#include <stdlib.h>
#include <string.h>

#include "sftp.h"

/* More entries than this in one directory is taken as abuse. */
#define RS_DIR_MAX_ENTRIES 1000000

static bool add_entry(struct rs_dir *d, size_t *cap, const sshkit_sftp_dirent *e)
{
    if (d->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        struct rs_dirent *nv = realloc(d->v, ncap * sizeof *nv);
        if (nv == NULL)
            return false;
        d->v = nv;
        *cap = ncap;
    }
    struct rs_dirent *slot = &d->v[d->n];
    slot->name = strdup(e->name);
    slot->longname = strdup(e->longname ? e->longname : "");
    slot->attrs = e->attrs;
    if (slot->name == NULL || slot->longname == NULL) {
        free(slot->name);
        free(slot->longname);
        return false;
    }
    d->n++;
    return true;
}

/* Reads the open listing to its end; the SFTP call's result. */
static int read_all(struct remote *r, sshkit_sftp_dir *dir, const char *path, struct rs_dir *d)
{
    size_t cap = 0;
    for (;;) {
        sshkit_sftp_dirent e;
        int rc;
        REMOTE_CALL(r, rc, sshkit_sftp_dir_read(dir, &e));
        if (rc <= 0)
            return rc;
        if (strchr(e.name, '/') != NULL) {
            error_line("Server sent suspect path \"%s\" during readdir of \"%s\"", e.name,
                       path);
            continue;
        }
        if (d->n >= RS_DIR_MAX_ENTRIES)
            return SSHKIT_E_TOO_LARGE;
        if (!add_entry(d, &cap, &e))
            return SSHKIT_E_NOMEM;
    }
}

int rs_readdir(struct remote *r, const char *path, struct rs_dir *d)
{
    memset(d, 0, sizeof *d);
    sshkit_sftp_dir *dir = NULL;
    int rc;
    REMOTE_CALL(r, rc, sshkit_sftp_dir_open(r->sftp, path, &dir));
    if (rc != 0) {
        error_line("remote readdir(\"%s\"): %s", path, remote_why(r, rc));
        return -1;
    }
    rc = read_all(r, dir, path, d);
    if (rc < 0)
        error_line("Couldn't read directory: %s",
                   rc == SSHKIT_E_TOO_LARGE ? "too many entries" : remote_why(r, rc));
    int closed;
    REMOTE_CALL(r, closed, sshkit_sftp_dir_close(dir));
    if (closed != 0)
        remote_why(r, closed);      /* only a lost session matters here */
    if (rc < 0) {
        rs_dir_free(d);
        return -1;
    }
    return 0;
}

void rs_dir_free(struct rs_dir *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].name);
        free(d->v[i].longname);
    }
    free(d->v);
    d->v = NULL;
    d->n = 0;
}
