/* sshkit-sftp: ls, as OpenSSH's do_ls_dir() and do_globbed_ls(): names in
 * columns as wide as the terminal on standard input (80 otherwise), or one
 * per line (-1), or long lines (-l: the server's longname for a directory
 * listing when the server does not look names up, else OpenSSH's ls_file()
 * format); sorted by name, time (-t) or size (-S), reversed (-r) or not at
 * all (-f); dot files with -a. */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sftp.h"

/* One name to show: its path for the listing and its attributes. */
struct ls_item {
    char *name;
    const sshkit_sftp_attrs *attrs;
    const char *longname;
    const char *sort_name;
};

struct columns {
    unsigned width, count, done;
};

static unsigned terminal_width(void)
{
    struct winsize ws;
    if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) != -1)
        return ws.ws_col;
    return 80;
}

/* Columns for names at most `longest` wide, as OpenSSH fits them. */
static struct columns fit(unsigned longest)
{
    unsigned width = terminal_width();
    struct columns c = { .count = width / (longest + 2), .done = 1 };
    if (c.count < 1)
        c.count = 1;
    c.width = width / c.count;
    if (c.width > width)
        c.width = width;
    return c;
}

static int sort_flags;

/* OpenSSH's order: names ascending, times and sizes descending. */
static int compare(const void *pa, const void *pb)
{
    const struct ls_item *a = pa, *b = pb;
    int sign = sort_flags & LS_REVERSE ? -1 : 1;
    if (sort_flags & LS_NAME_SORT)
        return sign * strcmp(a->sort_name, b->sort_name);
    uint64_t x = sort_flags & LS_TIME_SORT ? a->attrs->mtime : a->attrs->size;
    uint64_t y = sort_flags & LS_TIME_SORT ? b->attrs->mtime : b->attrs->size;
    return sign * (x == y ? 0 : x < y ? 1 : -1);
}

static void sort_items(struct ls_item *v, size_t n, unsigned flags)
{
    if (!(flags & LS_SORT_FLAGS))
        return;
    sort_flags = flags & (LS_SORT_FLAGS | LS_REVERSE);
    qsort(v, n, sizeof *v, compare);
}

/* Prints the items, long or in columns; longname_ok: a listing's
 * longname may stand for the line. */
static void print_items(struct remote *r, struct ls_item *v, size_t n, unsigned flags,
                        struct columns cols, bool longname_ok)
{
    bool names = names_available(r);
    for (size_t i = 0; i < n && !sftp_interrupted; i++) {
        if (!(flags & LS_LONG)) {
            mprintf("%-*s", (int)cols.width, v[i].name);
            if (cols.done >= cols.count) {
                printf("\n");
                cols.done = 1;
            } else {
                cols.done++;
            }
            continue;
        }
        if (longname_ok && v[i].longname && !names && !(flags & (LS_NUMERIC | LS_SI))) {
            mprintf("%s\n", v[i].longname);
            continue;
        }
        const sshkit_sftp_attrs *a = v[i].attrs;
        bool numeric = (flags & LS_NUMERIC) || !names;
        char *line = format_long(v[i].name, a, flags & LS_SI,
                                 numeric ? NULL : names_user(a->uid),
                                 numeric ? NULL : names_group(a->gid));
        mprintf("%s\n", line);
        free(line);
    }
    if (!(flags & LS_LONG) && cols.done != 1)
        printf("\n");
}

/* A directory's entries (do_ls_dir()). */
static int ls_dir(struct remote *r, const char *path, const char *strip, unsigned flags)
{
    struct rs_dir d;
    if (rs_readdir(r, path, &d) != 0)
        return -1;
    names_learn(&d);
    struct ls_item *v = calloc(d.n ? d.n : 1, sizeof *v);
    size_t n = 0;
    unsigned longest = 0;
    for (size_t i = 0; v && i < d.n; i++) {
        if (d.v[i].name[0] == '.' && !(flags & LS_ALL))
            continue;
        char *full = path_append(path, d.v[i].name);
        v[n] = (struct ls_item){ .name = path_strip(full, strip), .attrs = &d.v[i].attrs,
                                 .longname = d.v[i].longname, .sort_name = d.v[i].name };
        free(full);
        if (strlen(d.v[i].name) > longest)
            longest = (unsigned)strlen(d.v[i].name);
        n++;
    }
    char *prefix = path_strip(path, strip);
    struct columns cols = { 0 };
    if (!(flags & LS_SHORT))
        cols = fit(longest + (unsigned)strlen(prefix));
    cols.done = 1;
    free(prefix);
    sort_items(v, n, flags);
    print_items(r, v, n, flags, cols, true);
    for (size_t i = 0; i < n; i++)
        free(v[i].name);
    free(v);
    rs_dir_free(&d);
    return 0;
}

/* The matches of a pattern (do_globbed_ls()). */
static int ls_glob(struct remote *r, const char *pattern, const char *strip, unsigned flags)
{
    struct rglob g;
    int rc = rglob(r, pattern, RGLOB_MARK | RGLOB_NOCHECK | RGLOB_NOSORT, &g);
    if (rc != 0 || g.matched == 0) {
        if (rc == RGLOB_NOSPACE)
            error_line("Can't ls: Too many matches for \"%s\"", pattern);
        else
            error_line("Can't ls: \"%s\" not found", pattern);
        rglob_free(&g);
        return -1;
    }
    if (g.matched == 1 && (g.v[0].attrs.flags & SSHKIT_SFTP_ATTR_PERMISSIONS) &&
        S_ISDIR(g.v[0].attrs.permissions)) {
        rc = ls_dir(r, g.v[0].path, strip, flags);
        rglob_free(&g);
        return rc;
    }
    for (size_t i = 0; i < g.ndirs; i++)
        names_learn(&g.dirs[i]);
    struct ls_item *v = calloc(g.n, sizeof *v);
    unsigned longest = 0;
    for (size_t i = 0; v && i < g.n; i++) {
        v[i] = (struct ls_item){ .name = path_strip(g.v[i].path, strip), .attrs = &g.v[i].attrs,
                                 .sort_name = g.v[i].path };
        if (strlen(g.v[i].path) > longest)
            longest = (unsigned)strlen(g.v[i].path);
        if (flags & LS_LONG)
            names_fetch_for(r, g.v[i].path, &g.v[i].attrs);
    }
    struct columns cols = { 0 };
    if (!(flags & LS_SHORT))
        cols = fit(longest);
    cols.done = 1;
    sort_items(v, v ? g.n : 0, flags);
    print_items(r, v, v ? g.n : 0, flags, cols, false);
    for (size_t i = 0; v && i < g.n; i++)
        free(v[i].name);
    free(v);
    rglob_free(&g);
    return 0;
}

int cmd_ls(struct sftp_state *st, const struct command *c)
{
    if (c->path1 == NULL) {
        ls_dir(st->r, st->pwd, st->pwd, c->ls_flags);
        return 0;                   /* as OpenSSH: a bare ls never fails */
    }
    const char *strip = c->path1[0] == '/' ? NULL : st->pwd;
    char *pattern = make_absolute_glob(c->path1, st->pwd);
    int rc = ls_glob(st->r, pattern, strip, c->ls_flags);
    free(pattern);
    return rc;
}
