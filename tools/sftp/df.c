/* sshkit-sftp: df, OpenSSH's do_df() table: 1K blocks, or sizes with
 * units (-h, OpenBSD's fmt_scaled() with a "B"), or inodes (-i), and the
 * percentage used. */
#include <stdlib.h>
#include <string.h>

#include "sftp.h"

/* "%3llu%%" of used over total, or "ERR" for a total of 0. */
static void capacity(uint64_t total, uint64_t free_count, char *out, size_t cap)
{
    if (total == 0)
        snprintf(out, cap, "ERR");
    else
        snprintf(out, cap, "%3llu%%", (unsigned long long)(100 * (total - free_count) / total));
}

static void scaled(uint64_t bytes, char *out, size_t cap)
{
    if (!format_scaled((long long)bytes, out, cap))
        snprintf(out, cap, "error");
}

static void print_inodes(const sshkit_sftp_fs_stats *s)
{
    char pct[16];
    capacity(s->files, s->ffree, pct, sizeof pct);
    printf("     Inodes        Used       Avail      (root)    %%Capacity\n");
    printf("%11llu %11llu %11llu %11llu         %s\n", (unsigned long long)s->files,
           (unsigned long long)(s->files - s->ffree), (unsigned long long)s->favail,
           (unsigned long long)s->ffree, pct);
}

static void print_human(const sshkit_sftp_fs_stats *s)
{
    char total[16], used[16], avail[16], root[16], pct[16];
    capacity(s->blocks, s->bfree, pct, sizeof pct);
    scaled((s->blocks - s->bfree) * s->frsize, used, sizeof used);
    scaled(s->bavail * s->frsize, avail, sizeof avail);
    scaled(s->bfree * s->frsize, root, sizeof root);
    scaled(s->blocks * s->frsize, total, sizeof total);
    printf("    Size     Used    Avail   (root)    %%Capacity\n");
    printf("%7sB %7sB %7sB %7sB         %s\n", total, used, avail, root, pct);
}

static void print_kilobytes(const sshkit_sftp_fs_stats *s)
{
    char pct[16];
    capacity(s->blocks, s->bfree, pct, sizeof pct);
    printf("        Size         Used        Avail       (root)    %%Capacity\n");
    printf("%12llu %12llu %12llu %12llu         %s\n",
           (unsigned long long)(s->frsize * s->blocks / 1024),
           (unsigned long long)(s->frsize * (s->blocks - s->bfree) / 1024),
           (unsigned long long)(s->frsize * s->bavail / 1024),
           (unsigned long long)(s->frsize * s->bfree / 1024), pct);
}

int cmd_df(struct sftp_state *st, const struct command *c)
{
    char *path = make_absolute(xstrdup(c->path1 ? c->path1 : st->pwd), st->pwd);
    sshkit_sftp_fs_stats s;
    int rc = rs_statvfs(st->r, path, &s);
    free(path);
    if (rc != 0)
        return -1;
    if (c->i)
        print_inodes(&s);
    else if (c->h)
        print_human(&s);
    else
        print_kilobytes(&s);
    return 0;
}
