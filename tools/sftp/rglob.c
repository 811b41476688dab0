/* sshkit-sftp: glob(3) on the remote side, with what OpenSSH's sftp gets
 * from OpenBSD's glob over SFTP. The pattern is taken one component at a
 * time: one without glob characters is appended as it is (unescaped); one
 * with them is matched with fnmatch(3) against the listing of the
 * directory so far (its path with a trailing '/', as glob(3) opens it; a
 * listing that fails is reported and matches nothing), a leading '.' only
 * by a component that starts with one. Results not seen in a listing are
 * checked with LSTAT. With RGLOB_MARK directories, and links to them, get
 * a '/' (and a link's attributes become its target's, as in glob(3)).
 * Results are sorted by name unless RGLOB_NOSORT. */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sftp.h"

/* More results than this is GLOB_NOSPACE, as OpenBSD's limit on stats. */
#define RGLOB_MAX_RESULTS 65536

bool glob_has_magic(const char *s)
{
    for (; *s; s++) {
        if (*s == '\\' && s[1] != '\0')
            s++;
        else if (*s == '*' || *s == '?' || *s == '[')
            return true;
    }
    return false;
}

static bool push(struct rglob *g, char *path, const sshkit_sftp_attrs *a, const char *longname)
{
    if (g->n >= RGLOB_MAX_RESULTS) {
        free(path);
        return false;
    }
    if (g->n == g->cap) {
        size_t ncap = g->cap ? g->cap * 2 : 16;
        struct rglob_entry *nv = realloc(g->v, ncap * sizeof *nv);
        if (nv == NULL) {
            free(path);
            return false;
        }
        g->v = nv;
        g->cap = ncap;
    }
    struct rglob_entry *e = &g->v[g->n++];
    e->path = path;
    memset(&e->attrs, 0, sizeof e->attrs);
    if (a != NULL)
        e->attrs = *a;
    e->longname = longname;
    return true;
}

/* Moves a listing into g, where the longnames of its entries live on. */
static struct rs_dir *keep_listing(struct rglob *g, struct rs_dir *d)
{
    struct rs_dir *nd = realloc(g->dirs, (g->ndirs + 1) * sizeof *nd);
    if (nd == NULL) {
        rs_dir_free(d);
        return NULL;
    }
    g->dirs = nd;
    g->dirs[g->ndirs] = *d;
    return &g->dirs[g->ndirs++];
}

/* The entries of prefix's directory that match component. */
static bool expand(struct remote *r, const char *prefix, const char *component,
                   struct rglob *next)
{
    char *dir = prefix[0] ? path_append(prefix, "") : xstrdup(".");
    struct rs_dir listing;
    int rc = rs_readdir(r, dir, &listing);
    free(dir);
    if (rc != 0)
        return true;
    struct rs_dir *kept = keep_listing(next, &listing);
    if (kept == NULL)
        return false;
    bool dot = component[0] == '.' || (component[0] == '\\' && component[1] == '.');
    for (size_t i = 0; i < kept->n; i++) {
        const struct rs_dirent *e = &kept->v[i];
        if ((e->name[0] == '.' && !dot) || fnmatch(component, e->name, 0) != 0)
            continue;
        if (!push(next, path_append(prefix, e->name), &e->attrs, e->longname))
            return false;
    }
    return true;
}

/* Applies one component to every path found so far. */
static bool apply(struct remote *r, struct rglob *from, const char *component, struct rglob *to)
{
    bool magic = glob_has_magic(component);
    char *literal = xstrdup(component);
    undo_glob_escape(literal);
    bool ok = true;
    for (size_t i = 0; ok && i < from->n; i++) {
        if (magic)
            ok = expand(r, from->v[i].path, component, to);
        else
            ok = push(to, path_append(from->v[i].path, literal), NULL, NULL);
    }
    free(literal);
    return ok;
}

/* LSTAT for what no listing described (dropping what is not there), and
 * the '/' mark. */
static void settle(struct remote *r, struct rglob *g, int flags)
{
    size_t kept = 0;
    for (size_t i = 0; i < g->n; i++) {
        struct rglob_entry e = g->v[i];
        if (e.attrs.flags == 0 && rs_lstat(r, e.path, &e.attrs, true) != 0) {
            free(e.path);
            continue;
        }
        bool perm = e.attrs.flags & SSHKIT_SFTP_ATTR_PERMISSIONS;
        sshkit_sftp_attrs target;
        if ((flags & RGLOB_MARK) && perm && S_ISLNK(e.attrs.permissions) &&
            rs_stat(r, e.path, &target, true) == 0)
            e.attrs = target;
        if ((flags & RGLOB_MARK) && perm && S_ISDIR(e.attrs.permissions) &&
            !path_is_marked_dir(e.path)) {
            char *marked = path_append(e.path, "");
            free(e.path);
            e.path = marked;
        }
        g->v[kept++] = e;
    }
    g->n = kept;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const struct rglob_entry *)a)->path, ((const struct rglob_entry *)b)->path);
}

/* Moves the results of `from` into g (freeing the rest of `from`). */
static void take(struct rglob *g, struct rglob *from)
{
    rglob_free(g);
    *g = *from;
    memset(from, 0, sizeof *from);
}

/* No match: the pattern itself (NOCHECK), a directory marked. */
static int no_match(struct remote *r, const char *pattern, int flags, struct rglob *g)
{
    rglob_free(g);
    if (!(flags & RGLOB_NOCHECK))
        return RGLOB_NOMATCH;
    char *path = xstrdup(pattern);
    if ((flags & RGLOB_MARK) && !path_is_marked_dir(path) && path[0] && rs_is_dir(r, path)) {
        char *marked = path_append(path, "");
        free(path);
        path = marked;
    }
    if (push(g, path, NULL, NULL))
        return 0;
    rglob_free(g);
    return RGLOB_NOSPACE;
}

int rglob(struct remote *r, const char *pattern, int flags, struct rglob *g)
{
    memset(g, 0, sizeof *g);
    struct rglob cur = { 0 };
    bool ok = push(&cur, xstrdup(pattern[0] == '/' ? "/" : ""), NULL, NULL);
    char *copy = xstrdup(pattern), *save = NULL;
    for (char *c = strtok_r(copy, "/", &save); ok && c; c = strtok_r(NULL, "/", &save)) {
        struct rglob next = { 0 };
        ok = apply(r, &cur, c, &next);
        take(&cur, &next);
        rglob_free(&next);
    }
    free(copy);
    if (!ok) {
        rglob_free(&cur);
        return RGLOB_NOSPACE;
    }
    settle(r, &cur, flags);
    take(g, &cur);
    g->matched = g->n;
    if (g->n == 0)
        return no_match(r, pattern, flags, g);
    if (!(flags & RGLOB_NOSORT))
        qsort(g->v, g->n, sizeof g->v[0], by_path);
    return 0;
}

void rglob_free(struct rglob *g)
{
    for (size_t i = 0; i < g->n; i++)
        free(g->v[i].path);
    free(g->v);
    for (size_t i = 0; i < g->ndirs; i++)
        rs_dir_free(&g->dirs[i]);
    free(g->dirs);
    memset(g, 0, sizeof *g);
}
