/* sshkit-sftp-probe: drives the SFTP client API (sshkit/sftp.h) for the
 * interop tests. Connects, opens SFTP, then runs the commands read from
 * standard input, one per line, printing one line for each:
 * "ok ..." or "error NAME status=N message".
 *
 *   sshkit-sftp-probe -p PORT -l USER -i KEY -o KNOWN_HOSTS [-n | -N]
 *       [-R requests] [-B size] HOST < commands
 *
 * -n: sshkit_sftp_open() switched to non-blocking; -N: sshkit_sftp_new()
 * on a channel opened here. Either way every call is repeated with the
 * same arguments while it returns SSHKIT_E_AGAIN, the session driven by
 * sshkit_nb_process() and poll() in between. Exit status: 0 when every
 * command succeeded, 1 otherwise, 255 when the connection failed.
 *
 * Commands (paths are remote unless named local):
 *   stat P | lstat P | fstat P      attributes: size, mode, uid, gid, times
 *   chmod P MODE | truncate P SIZE | utime P ATIME MTIME | lutime P A M
 *   mkdir P MODE | rmdir P | rm P | rename A B [legacy] | symlink T L
 *   hardlink A B | readlink P | realpath P | expand P | statvfs P | fstatvfs P
 *   ls P                            one line per entry: name, mode, size, longname
 *   get R LOCAL [resume] [preserve] | put LOCAL R [resume] [preserve] [fsync]
 *   tget R LOCAL | tput LOCAL R     the same through a transfer object
 *   abort-get R LOCAL BYTES | abort-put LOCAL R BYTES
 *                                   start a transfer, abandon it past BYTES
 *   readfile R LOCAL [CHUNK]        file_read loop (with seek and tell)
 *   writefile LOCAL R [CHUNK]       file_write loop
 *   copy A B                        copy-data from file A to a new file B
 *   fsync P | ext | limits
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sshkit.h>

static sshkit_client *client;
static sshkit_sftp *sftp;
static bool nonblocking;
static unsigned requests;
static uint32_t request_size;

/* Moves the session on once: every event there is, else poll() first. */
static int drive(void)
{
    sshkit_session *s = sshkit_client_session(client);
    int fd = sshkit_client_fd(client), rc, events = 0;
    sshkit_event ev;
    unsigned want;
    while ((rc = sshkit_nb_process(s, fd, &ev, &want)) == 1)
        events++;
    if (rc != SSHKIT_E_AGAIN)
        return rc;
    if (events == 0) {
        struct pollfd p = { fd, (short)((want & SSHKIT_WANT_READ ? POLLIN : 0) |
                                        (want & SSHKIT_WANT_WRITE ? POLLOUT : 0)), 0 };
        if (poll(&p, 1, 30000) == 0)
            return SSHKIT_E_TIMEOUT;
    }
    return 0;
}

/* rc = expr, repeated with the same arguments while it returns
 * SSHKIT_E_AGAIN (non-blocking modes), the session driven in between. */
#define CALL(rc, expr)                                                  \
    do {                                                                \
        while (((rc) = (expr)) == SSHKIT_E_AGAIN && nonblocking) {      \
            int d_ = drive();                                           \
            if (d_ < 0) {                                               \
                (rc) = d_;                                              \
                break;                                                  \
            }                                                           \
        }                                                               \
    } while (0)

static int report(int rc)
{
    if (rc >= 0)
        return 0;
    printf("error %s status=%u %s\n", sshkit_error_name(rc), sshkit_sftp_last_status(sftp),
           rc == SSHKIT_E_SFTP_STATUS ? sshkit_sftp_last_message(sftp) : sshkit_sftp_last_error(sftp));
    return 1;
}

static void print_attrs(const char *what, const sshkit_sftp_attrs *a)
{
    printf("ok %s flags=%u size=%llu mode=%o uid=%u gid=%u atime=%u mtime=%u\n", what, a->flags,
           (unsigned long long)a->size, a->permissions, a->uid, a->gid, a->atime, a->mtime);
}

static int open_file(const char *path, unsigned flags, sshkit_sftp_file **f)
{
    int rc;
    CALL(rc, sshkit_sftp_file_open(sftp, path, flags, 0644, f));
    return rc;
}

static int cmd_stat(char **a, int n)
{
    sshkit_sftp_attrs attrs;
    int rc;
    if (n != 2)
        return -1;
    if (strcmp(a[0], "stat") == 0)
        CALL(rc, sshkit_sftp_stat(sftp, a[1], &attrs));
    else if (strcmp(a[0], "lstat") == 0)
        CALL(rc, sshkit_sftp_lstat(sftp, a[1], &attrs));
    else {
        sshkit_sftp_file *f;
        if ((rc = open_file(a[1], SSHKIT_SFTP_READ, &f)) != 0)
            return report(rc);
        CALL(rc, sshkit_sftp_file_fstat(f, &attrs));
        int rc2;
        CALL(rc2, sshkit_sftp_file_close(f));
        rc = rc ? rc : rc2;
    }
    if (rc)
        return report(rc);
    print_attrs(a[0], &attrs);
    return 0;
}

static int cmd_setstat(char **a, int n)
{
    sshkit_sftp_attrs attrs = { 0 };
    bool link = strcmp(a[0], "lutime") == 0;
    if (strcmp(a[0], "chmod") == 0 && n == 3) {
        attrs.flags = SSHKIT_SFTP_ATTR_PERMISSIONS;
        attrs.permissions = (uint32_t)strtoul(a[2], NULL, 8);
    } else if (strcmp(a[0], "truncate") == 0 && n == 3) {
        attrs.flags = SSHKIT_SFTP_ATTR_SIZE;
        attrs.size = strtoull(a[2], NULL, 10);
    } else if (n == 4) {
        attrs.flags = SSHKIT_SFTP_ATTR_ACMODTIME;
        attrs.atime = (uint32_t)strtoul(a[2], NULL, 10);
        attrs.mtime = (uint32_t)strtoul(a[3], NULL, 10);
    } else {
        return -1;
    }
    int rc;
    if (link)
        CALL(rc, sshkit_sftp_lsetstat(sftp, a[1], &attrs));
    else
        CALL(rc, sshkit_sftp_setstat(sftp, a[1], &attrs));
    return rc ? report(rc) : (printf("ok %s\n", a[0]), 0);
}

static int cmd_path(char **a, int n)
{
    int rc;
    if (strcmp(a[0], "mkdir") == 0 && n == 3)
        CALL(rc, sshkit_sftp_mkdir(sftp, a[1], (unsigned)strtoul(a[2], NULL, 8)));
    else if (strcmp(a[0], "rmdir") == 0 && n == 2)
        CALL(rc, sshkit_sftp_rmdir(sftp, a[1]));
    else if (strcmp(a[0], "rm") == 0 && n == 2)
        CALL(rc, sshkit_sftp_remove(sftp, a[1]));
    else if (strcmp(a[0], "rename") == 0 && (n == 3 || n == 4))
        CALL(rc, sshkit_sftp_rename(sftp, a[1], a[2], n == 4 ? SSHKIT_SFTP_RENAME_LEGACY : 0));
    else if (strcmp(a[0], "symlink") == 0 && n == 3)
        CALL(rc, sshkit_sftp_symlink(sftp, a[1], a[2]));
    else if (strcmp(a[0], "hardlink") == 0 && n == 3)
        CALL(rc, sshkit_sftp_hardlink(sftp, a[1], a[2]));
    else
        return -1;
    return rc ? report(rc) : (printf("ok %s\n", a[0]), 0);
}

static int cmd_name(char **a, int n)
{
    char buf[4096];
    int rc;
    if (n != 2)
        return -1;
    if (strcmp(a[0], "readlink") == 0)
        CALL(rc, sshkit_sftp_readlink(sftp, a[1], buf, sizeof buf));
    else if (strcmp(a[0], "realpath") == 0)
        CALL(rc, sshkit_sftp_realpath(sftp, a[1], buf, sizeof buf));
    else
        CALL(rc, sshkit_sftp_expand_path(sftp, a[1], buf, sizeof buf));
    if (rc < 0)
        return report(rc);
    printf("ok %s %s len=%d\n", a[0], buf, rc);
    return 0;
}

static int cmd_statvfs(char **a, int n)
{
    sshkit_sftp_fs_stats v;
    int rc;
    if (n != 2)
        return -1;
    if (strcmp(a[0], "statvfs") == 0) {
        CALL(rc, sshkit_sftp_statvfs(sftp, a[1], &v));
    } else {
        sshkit_sftp_file *f;
        if ((rc = open_file(a[1], SSHKIT_SFTP_READ, &f)) != 0)
            return report(rc);
        CALL(rc, sshkit_sftp_file_fstatvfs(f, &v));
        int rc2;
        CALL(rc2, sshkit_sftp_file_close(f));
        rc = rc ? rc : rc2;
    }
    if (rc)
        return report(rc);
    printf("ok %s bsize=%llu frsize=%llu blocks=%llu bfree=%llu bavail=%llu files=%llu "
           "ffree=%llu namemax=%llu flag=%llu\n", a[0], (unsigned long long)v.bsize,
           (unsigned long long)v.frsize, (unsigned long long)v.blocks,
           (unsigned long long)v.bfree, (unsigned long long)v.bavail,
           (unsigned long long)v.files, (unsigned long long)v.ffree,
           (unsigned long long)v.namemax, (unsigned long long)v.flag);
    return 0;
}

static int cmd_ls(char **a, int n)
{
    sshkit_sftp_dir *d;
    if (n != 2)
        return -1;
    int rc, rc2;
    CALL(rc, sshkit_sftp_dir_open(sftp, a[1], &d));
    if (rc)
        return report(rc);
    sshkit_sftp_dirent e;
    int count = 0;
    for (;;) {
        CALL(rc, sshkit_sftp_dir_read(d, &e));
        if (rc != 1)
            break;
        printf("entry %s mode=%o size=%llu long=%s\n", e.name, e.attrs.permissions,
               (unsigned long long)e.attrs.size, e.longname);
        count++;
    }
    CALL(rc2, sshkit_sftp_dir_close(d));
    if (rc || rc2)
        return report(rc ? rc : rc2);
    printf("ok ls %d entries\n", count);
    return 0;
}

#include "sftp_probe_transfer.h"

static int dispatch(char **a, int n)
{
    static const struct { const char *name; int (*fn)(char **, int); } table[] = {
        { "stat", cmd_stat },         { "lstat", cmd_stat },       { "fstat", cmd_stat },
        { "chmod", cmd_setstat },     { "truncate", cmd_setstat }, { "utime", cmd_setstat },
        { "lutime", cmd_setstat },    { "mkdir", cmd_path },       { "rmdir", cmd_path },
        { "rm", cmd_path },           { "rename", cmd_path },      { "symlink", cmd_path },
        { "hardlink", cmd_path },     { "readlink", cmd_name },    { "realpath", cmd_name },
        { "expand", cmd_name },       { "statvfs", cmd_statvfs },  { "fstatvfs", cmd_statvfs },
        { "ls", cmd_ls },             { "get", cmd_get },          { "put", cmd_put },
        { "tget", cmd_transfer },     { "tput", cmd_transfer },    { "abort-get", cmd_transfer },
        { "abort-put", cmd_transfer }, { "readfile", cmd_readfile }, { "writefile", cmd_writefile },
        { "copy", cmd_copy },         { "fsync", cmd_fsync },      { "ext", cmd_ext },
        { "limits", cmd_ext },
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (strcmp(a[0], table[i].name) == 0) {
            int rc = table[i].fn(a, n);
            if (rc == -1)
                printf("error usage %s\n", a[0]);
            return rc ? 1 : 0;
        }
    }
    printf("error unknown command %s\n", a[0]);
    return 1;
}

static int open_sftp(int mode)
{
    int rc;
    if (mode == 'N') {
        sshkit_channel *ch;
        rc = sshkit_channel_open_session(sshkit_client_session(client), &ch);
        if (rc == 0)
            rc = sshkit_sftp_new(ch, &sftp);
        if (rc == 0)
            CALL(rc, sshkit_sftp_handshake(sftp));
    } else {
        rc = sshkit_sftp_open(client, &sftp);
        if (rc == 0 && mode == 'n')
            rc = sshkit_sftp_set_blocking(sftp, false);
    }
    if (rc)
        fprintf(stderr, "sftp: %s (%s)\n", sshkit_error_name(rc),
                sftp ? sshkit_sftp_last_error(sftp) : "");
    return rc;
}

int main(int argc, char **argv)
{
    sshkit_client_options opt;
    sshkit_client_options_init(&opt);
    const char *keys[2] = { NULL, NULL };
    int c, mode = 0;
    while ((c = getopt(argc, argv, "p:l:i:o:nNR:B:")) != -1) {
        switch (c) {
        case 'p': opt.port = (unsigned)atoi(optarg); break;
        case 'l': opt.user = optarg; break;
        case 'i': keys[0] = optarg; opt.identity_files = keys; break;
        case 'o': opt.known_hosts = optarg; break;
        case 'n': case 'N': mode = c; nonblocking = true; break;
        case 'R': requests = (unsigned)atoi(optarg); break;
        case 'B': request_size = (uint32_t)atoi(optarg); break;
        default: return 2;
        }
    }
    if (optind + 1 != argc)
        return 2;
    char err[512];
    if (sshkit_client_connect(argv[optind], &opt, &client, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 255;
    }
    if (open_sftp(mode) != 0)
        return 255;
    int failures = 0;
    char line[8192];
    while (fgets(line, sizeof line, stdin)) {
        char *words[8];
        int n = 0;
        for (char *w = strtok(line, " \t\n"); w && n < 8; w = strtok(NULL, " \t\n"))
            words[n++] = w;
        if (n > 0 && words[0][0] != '#')
            failures += dispatch(words, n);
        fflush(stdout);
    }
    sshkit_channel *ch = mode == 'N' ? sshkit_sftp_channel(sftp) : NULL;
    sshkit_sftp_free(sftp);
    sshkit_channel_free(ch);
    sshkit_client_free(client);
    return failures ? 1 : 0;
}
