/* The verifier's files: each read at check time and checked, the results
 * merged as ssh(1) merges UserKnownHostsFile and GlobalKnownHostsFile; and
 * a new key written to the first writable file. */
#include "hostkeys/verifier_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sshkit/error.h>

/* How strongly a status speaks: REVOKED beats OK beats CHANGED beats NEW. */
static int rank(sshkit_kh_status status)
{
    switch (status) {
    case SSHKIT_KH_REVOKED: return 3;
    case SSHKIT_KH_OK: return 2;
    case SSHKIT_KH_CHANGED: return 1;
    default: return 0;
    }
}

/* Folds one file's result into the merged one; ties keep the earlier file. */
static void merge(sshkit_hostkey_verifier *v, const char *path, const sshkit_kh_result *r,
                  sshkit_kh_result *merged)
{
    if (rank(r->status) > rank(merged->status)) {
        merged->status = r->status;
        merged->line = r->line;
        v->out.file = path;
    }
    if (r->other_types && !merged->other_types) {
        merged->other_types = true;
        merged->other_line = r->other_line;
        v->out.other_file = path;
    }
}

static int check_one(sshkit_hostkey_verifier *v, const char *path, const sshkit_key *key,
                     sshkit_kh_result *r)
{
    sshkit_knownhosts *kh;
    int rc = sshkit_knownhosts_load(path, &kh);
    if (rc != 0) {
        v->out.file = path;
        v->out.error_errno = rc == SSHKIT_E_IO ? errno : 0;
        return rc;
    }
    rc = sshkit_knownhosts_check(kh, v->host, v->port, key, r);
    sshkit_knownhosts_free(kh);
    return rc < 0 ? rc : 0;
}

int sk_hv_check_files(sshkit_hostkey_verifier *v, const sshkit_key *key,
                      sshkit_kh_result *result)
{
    memset(result, 0, sizeof *result);
    result->status = SSHKIT_KH_NEW;
    for (size_t i = 0; i < v->nfiles; i++) {
        sshkit_kh_result r;
        int rc = check_one(v, v->files[i].path, key, &r);
        if (rc != 0)
            return rc;
        merge(v, v->files[i].path, &r, result);
    }
    v->out.status = result->status;
    v->out.line = result->status == SSHKIT_KH_NEW ? 0 : result->line;
    if (result->status == SSHKIT_KH_NEW)
        v->out.file = NULL;
    v->out.other_types = result->other_types;
    v->out.other_line = result->other_line;
    return 0;
}

/* Creates the file's directory (one level, mode 0700) when it is missing. */
static int make_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL || slash == path)
        return 0;
    size_t n = (size_t)(slash - path);
    char *dir = malloc(n + 1);
    if (dir == NULL)
        return SSHKIT_E_NOMEM;
    memcpy(dir, path, n);
    dir[n] = '\0';
    struct stat st;
    int rc = 0;
    if (stat(dir, &st) != 0 && (errno != ENOENT || mkdir(dir, 0700) != 0))
        rc = SSHKIT_E_IO;
    int saved = errno;
    free(dir);
    errno = saved;
    return rc;
}

/* Reads the file afresh, adds the key, saves. Returns the line or an error. */
static int add_to(const sshkit_hostkey_verifier *v, const char *path, const sshkit_key *key)
{
    int rc = make_parent(path);
    if (rc != 0)
        return rc;
    sshkit_knownhosts *kh;
    if ((rc = sshkit_knownhosts_load(path, &kh)) != 0)
        return rc;
    int line = sshkit_knownhosts_add(kh, v->host, v->port, key,
                                     v->hash ? SSHKIT_KH_ADD_HASHED : SSHKIT_KH_ADD_PLAIN);
    rc = line < 0 ? line : sshkit_knownhosts_save(kh, path);
    int saved = errno;
    sshkit_knownhosts_free(kh);
    errno = saved;
    return rc < 0 ? rc : line;
}

void sk_hv_learn(sshkit_hostkey_verifier *v, const sshkit_key *key)
{
    const sk_hv_file *target = NULL;
    for (size_t i = 0; i < v->nfiles && target == NULL; i++)
        if (v->files[i].writable)
            target = &v->files[i];
    if (target == NULL) {
        v->out.add_error = SSHKIT_E_NOT_FOUND;
        return;
    }
    v->out.add_file = target->path;
    errno = 0;
    int rc = add_to(v, target->path, key);
    if (rc < 0) {
        v->out.add_error = rc;
        v->out.add_errno = rc == SSHKIT_E_IO ? errno : 0;
        return;
    }
    v->out.added = true;
    v->out.added_line = (size_t)rc;
}
