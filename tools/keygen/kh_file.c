/* Loading and replacing known_hosts files for sshkit-keygen -F, -R and -H,
 * with ssh-keygen's messages and its FILE.old backup. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kh_file.h"

void kh_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\r\n", stderr);
}

int kh_fail(const char *what, int rc)
{
    fprintf(stderr, "sshkit-keygen: %s: %s\n", what, sshkit_strerror(rc));
    return KEYGEN_EXIT_FAILURE;
}

const char *kh_path(const struct keygen_options *opt)
{
    static char path[4096];
    if (opt->file)
        return opt->file;
    snprintf(path, sizeof path, "%s/.ssh/known_hosts", keygen_home_dir());
    return path;
}

int kh_open(const char *path, sshkit_knownhosts **kh, mode_t *mode)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        kh_log("Cannot stat %s: %s", path, strerror(errno));
        return KEYGEN_EXIT_FAILURE;
    }
    *mode = sb.st_mode;
    int rc = sshkit_knownhosts_load(path, kh);
    if (rc == SSHKIT_E_IO) {
        kh_log("%s: %s", path, strerror(errno));
        return KEYGEN_EXIT_FAILURE;
    }
    return rc ? kh_fail(path, rc) : 0;
}

/* The host names field of an entry: after the blanks and the marker. */
static void hosts_field(const sshkit_kh_entry *e, size_t *off, size_t *len)
{
    static const char *const markers[] = { "", "@cert-authority", "@revoked" };
    size_t i = strspn(e->text, " \t");
    if (e->marker != SSHKIT_KH_MARKER_NONE)
        i += strlen(markers[e->marker]);
    i += strspn(e->text + i, " \t");
    *off = i;
    *len = strcspn(e->text + i, " \t");
}

bool kh_log_lines(const char *path, const sshkit_knownhosts *kh, bool wildcards)
{
    bool invalid = false;
    size_t n = sshkit_knownhosts_line_count(kh);
    for (size_t i = 1; i <= n; i++) {
        sshkit_kh_entry e;
        if (sshkit_knownhosts_get_line(kh, i, &e) != 0)
            break;
        if (e.kind == SSHKIT_KH_LINE_INVALID) {
            kh_log("%s:%zu: invalid line", path, i);
            invalid = true;
        } else if (e.kind == SSHKIT_KH_LINE_ENTRY && wildcards) {
            size_t off, len;
            hosts_field(&e, &off, &len);
            if (strcspn(e.text + off, "*?!") < len)
                kh_log("%s:%zu: ignoring host name with wildcard: %.*s", path, i,
                       (int)(len < 64 ? len : 64), e.text + off);
        }
    }
    return invalid;
}

int kh_refuse(const char *path)
{
    kh_log("%s is not a valid known_hosts file.", path);
    kh_log("Not replacing existing known_hosts file because of errors");
    return KEYGEN_EXIT_DECLINED;
}

/* ssh-keygen writes "%s\n" for every line, so a last line without its
 * newline gets one: points *kh at a new set that ends with a newline (the
 * old one is left to its owner), or leaves it when it already does. */
static int terminate(sshkit_knownhosts **kh)
{
    char *text;
    size_t len;
    int rc = sshkit_knownhosts_format(*kh, &text, &len);
    if (rc != 0 || len == 0 || text[len - 1] == '\n') {
        sshkit_free(text, rc ? 0 : len + 1);
        return rc;
    }
    char *ended = malloc(len + 1);
    rc = SSHKIT_E_NOMEM;
    if (ended) {
        memcpy(ended, text, len);
        ended[len] = '\n';
        sshkit_knownhosts *again = NULL;
        rc = sshkit_knownhosts_parse(ended, len + 1, &again);
        if (rc == 0)
            *kh = again;    /* the caller frees both */
        free(ended);
    }
    sshkit_free(text, len + 1);
    return rc;
}

int kh_replace(sshkit_knownhosts *kh, const char *path, mode_t mode, bool warn_unhashed)
{
    char old[4200];
    snprintf(old, sizeof old, "%s.old", path);
    sshkit_knownhosts *set = kh;
    int rc = terminate(&set);
    if (rc != 0)
        return kh_fail(path, rc);
    if (unlink(old) == -1 && errno != ENOENT) {
        kh_log("unlink %.100s: %s", old, strerror(errno));
        rc = KEYGEN_EXIT_FAILURE;
    } else if (link(path, old) == -1) {
        kh_log("link %.100s to %.100s: %s", path, old, strerror(errno));
        rc = KEYGEN_EXIT_FAILURE;
    } else if (sshkit_knownhosts_save(set, path) != 0) {
        kh_log("rename\"%s\" to \"%s\": %s", path, path, strerror(errno));
        unlink(old);
        rc = KEYGEN_EXIT_DECLINED;
    } else {
        (void)chmod(path, mode & 0644);
        printf("%s updated.\n", path);
        printf("Original contents retained as %s\n", old);
        if (warn_unhashed) {
            kh_log("WARNING: %s contains unhashed entries", old);
            kh_log("Delete this file to ensure privacy of hostnames");
        }
    }
    if (set != kh)
        sshkit_knownhosts_free(set);
    return rc;
}
