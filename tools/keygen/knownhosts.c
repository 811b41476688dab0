/* sshkit-keygen -F, -R and -H: find, remove and hash known_hosts entries,
 * with ssh-keygen's output, messages and exit statuses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kh_file.h"

/* "# Host NAME found: line N CA|REVOKED|" as ssh-keygen -F prints it. */
static void print_found(const char *name, const sshkit_kh_entry *e)
{
    printf("# Host %s found: line %zu %s\n", name, e->line,
           e->marker == SSHKIT_KH_MARKER_CERT_AUTHORITY ? "CA" :
           e->marker == SSHKIT_KH_MARKER_REVOKED ? "REVOKED" : "");
}

/* An entry as ssh-keygen -F -H prints it: each plain name hashed on a line
 * of its own (the library's -H, on a set of this one line). */
static int print_hashed(const sshkit_kh_entry *e)
{
    sshkit_knownhosts *one = NULL;
    char *text = NULL;
    size_t len = 0;
    int rc = sshkit_knownhosts_parse(e->text, e->len, &one);
    if (rc == 0)
        rc = sshkit_knownhosts_hash(one);
    if (rc >= 0)
        rc = sshkit_knownhosts_format(one, &text, &len);
    if (rc == 0) {
        fwrite(text, 1, len, stdout);
        if (len == 0 || text[len - 1] != '\n')
            putchar('\n');
        sshkit_free(text, len + 1);
    }
    sshkit_knownhosts_free(one);
    return rc;
}

static bool has_upper(const char *s)
{
    return strpbrk(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != NULL;
}

/* -F: exit 0 when something matched, 1 when not. A name sshkit cannot look
 * up (blanks, commas) matches nothing. */
static int find_host(const struct keygen_options *opt, const sshkit_knownhosts *kh)
{
    size_t cursor = 0;
    sshkit_kh_entry e;
    int rc;
    bool found = false;
    while ((rc = sshkit_knownhosts_find(kh, opt->kh_host, 0, &cursor, &e)) > 0) {
        /* ssh-keygen hashes the name as typed, so "Host" finds no hashed "host". */
        if (e.hashed && has_upper(opt->kh_host))
            continue;
        found = true;
        if (!opt->quiet)
            print_found(opt->kh_host, &e);
        if (!opt->hash_hosts) {
            fwrite(e.text, 1, e.len, stdout);
            putchar('\n');
        } else if ((rc = print_hashed(&e)) < 0) {
            return kh_fail("hash", rc);
        }
    }
    if (rc < 0 && rc != SSHKIT_E_INVALID_ARGUMENT)
        return kh_fail("find", rc);
    return found ? KEYGEN_EXIT_OK : KEYGEN_EXIT_DECLINED;
}

/* Prints "# Host NAME found: line N" for each line -R removes (marked
 * lines stay); returns how many, or a negative error. */
static int report_removals(const struct keygen_options *opt, const sshkit_knownhosts *kh)
{
    size_t cursor = 0;
    sshkit_kh_entry e;
    int rc, n = 0;
    while ((rc = sshkit_knownhosts_find(kh, opt->kh_host, 0, &cursor, &e)) > 0) {
        if (e.marker != SSHKIT_KH_MARKER_NONE)
            continue;
        n++;
        if (!opt->quiet)
            printf("# Host %s found: line %zu\n", opt->kh_host, e.line);
    }
    return rc == SSHKIT_E_INVALID_ARGUMENT ? 0 : rc < 0 ? rc : n;
}

/* -R: the file is rewritten only when something matched. */
static int remove_host(const struct keygen_options *opt, const char *path,
                       sshkit_knownhosts *kh, mode_t mode)
{
    int found = report_removals(opt, kh);
    if (found < 0)
        return kh_fail("find", found);
    if (kh_log_lines(path, kh, false))
        return kh_refuse(path);
    if (found == 0) {
        kh_log("Host %s not found in %s", opt->kh_host, path);
        return KEYGEN_EXIT_OK;
    }
    int rc = sshkit_knownhosts_remove(kh, opt->kh_host, 0);
    if (rc < 0)
        return kh_fail("remove", rc);
    return kh_replace(kh, path, mode, false);
}

/* -H: the file is always rewritten, unless it has invalid lines. */
static int hash_file(const char *path, sshkit_knownhosts *kh, mode_t mode)
{
    if (kh_log_lines(path, kh, true))
        return kh_refuse(path);
    int hashed = sshkit_knownhosts_hash(kh);
    if (hashed < 0)
        return kh_fail("hash", hashed);
    return kh_replace(kh, path, mode, hashed > 0);
}

int keygen_known_hosts(const struct keygen_options *opt)
{
    const char *path = kh_path(opt);
    sshkit_knownhosts *kh = NULL;
    mode_t mode = 0;
    int rc = kh_open(path, &kh, &mode);
    if (rc != 0)
        return rc;
    switch (opt->mode) {
    case 'F': rc = find_host(opt, kh); break;
    case 'R': rc = remove_host(opt, path, kh, mode); break;
    default:  rc = hash_file(path, kh, mode); break;
    }
    sshkit_knownhosts_free(kh);
    fflush(stdout);
    return rc;
}
