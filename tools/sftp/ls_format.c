/* sshkit-sftp: the pieces of a long listing as OpenSSH's sftp prints
 * them: ls_file()'s line ("?" for the link count of a remote file, names
 * or numeric ids at least 8 wide, the date as ls(1) shows it), OpenBSD's
 * strmode(3) and fmt_scaled(3) formats. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "sftp.h"

/* Half a year, as ls(1) decides between a time and a year. */
#define SIX_MONTHS (365L * 24 * 60 * 60 / 2)

static char type_char(uint32_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFDIR: return 'd';
    case S_IFCHR: return 'c';
    case S_IFBLK: return 'b';
    case S_IFREG: return '-';
    case S_IFLNK: return 'l';
    case S_IFSOCK: return 's';
    case S_IFIFO: return 'p';
    default: return '?';
    }
}

/* x, or the special bit shown over it (s/S, t/T). */
static char exec_char(uint32_t mode, uint32_t x, uint32_t special, char lower, char upper)
{
    if (mode & special)
        return mode & x ? lower : upper;
    return mode & x ? 'x' : '-';
}

void format_mode(uint32_t mode, char out[12])
{
    out[0] = type_char(mode);
    out[1] = mode & S_IRUSR ? 'r' : '-';
    out[2] = mode & S_IWUSR ? 'w' : '-';
    out[3] = exec_char(mode, S_IXUSR, S_ISUID, 's', 'S');
    out[4] = mode & S_IRGRP ? 'r' : '-';
    out[5] = mode & S_IWGRP ? 'w' : '-';
    out[6] = exec_char(mode, S_IXGRP, S_ISGID, 's', 'S');
    out[7] = mode & S_IROTH ? 'r' : '-';
    out[8] = mode & S_IWOTH ? 'w' : '-';
    out[9] = exec_char(mode, S_IXOTH, S_ISVTX, 't', 'T');
    out[10] = ' ';
    out[11] = '\0';
}

bool format_scaled(long long number, char *out, size_t cap)
{
    static const char units[] = "BKMGTPE";
    long long whole = number < 0 ? -number : number, rest = 0, scale = 1;
    int unit = 0;
    if (number == LLONG_MIN || whole / 1024 >= (1LL << 60))
        return false;
    /* The largest unit under which the number stays below 1024 of it. */
    while (whole / 1024 >= scale && unit < 6) {
        scale *= 1024;
        unit++;
    }
    if (unit > 0)
        rest = whole % scale / (scale / 1024);
    long long value = number / scale;
    long long tenths = (10 * rest + 512) / 1024;
    if (tenths >= 10) {
        value += value >= 0 ? 1 : -1;
        tenths = 0;
    }
    if (value == 0)
        snprintf(out, cap, "0B");
    else if (unit == 0 || value >= 100 || value <= -100)
        snprintf(out, cap, "%lld%c", value + (tenths >= 5 ? (value >= 0 ? 1 : -1) : 0),
                 units[unit]);
    else
        snprintf(out, cap, "%lld.%lld%c", value, tenths, units[unit]);
    return true;
}

/* "Nov 25 18:03" for the last six months, else "Nov 25  2024". */
static void format_date(uint32_t mtime, char *out, size_t cap)
{
    time_t t = (time_t)mtime, now = time(NULL);
    struct tm tm;
    size_t n = 0;
    if (localtime_r(&t, &tm) != NULL) {
        bool recent = now - SIX_MONTHS < t && now >= t;
        n = strftime(out, cap, recent ? "%b %e %H:%M" : "%b %e  %Y", &tm);
    }
    if (n == 0)
        out[0] = '\0';
}

char *format_long(const char *name, const sshkit_sftp_attrs *a, bool si_units,
                  const char *user, const char *group)
{
    char mode[12], ubuf[16], gbuf[16], date[32], size[32];
    format_mode(a->flags & SSHKIT_SFTP_ATTR_PERMISSIONS ? a->permissions : 0, mode);
    uint32_t uid = a->flags & SSHKIT_SFTP_ATTR_UIDGID ? a->uid : 0;
    uint32_t gid = a->flags & SSHKIT_SFTP_ATTR_UIDGID ? a->gid : 0;
    if (user == NULL) {
        snprintf(ubuf, sizeof ubuf, "%u", uid);
        user = ubuf;
    }
    if (group == NULL) {
        snprintf(gbuf, sizeof gbuf, "%u", gid);
        group = gbuf;
    }
    format_date(a->flags & SSHKIT_SFTP_ATTR_ACMODTIME ? a->mtime : 0, date, sizeof date);
    long long bytes = a->flags & SSHKIT_SFTP_ATTR_SIZE ? (long long)a->size : 0;
    if (!si_units || !format_scaled(bytes, size, sizeof size))
        snprintf(size, sizeof size, "%llu", (unsigned long long)bytes);
    int ulen = strlen(user) > 8 ? (int)strlen(user) : 8;
    int glen = strlen(group) > 8 ? (int)strlen(group) : 8;
    size_t cap = strlen(name) + strlen(user) + strlen(group) + 128;
    char *line = malloc(cap);
    if (line == NULL) {
        error_line("sshkit-sftp: out of memory");
        exit(SFTP_EXIT_FATAL);
    }
    snprintf(line, cap, "%s %3s %-*s %-*s %8s %s %s", mode, "?", ulen, user, glen, group, size,
             date, name);
    return line;
}
