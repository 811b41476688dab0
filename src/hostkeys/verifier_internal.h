/* The inside of sshkit_hostkey_verifier, shared by verifier.c (setup and
 * the check), verifier_files.c (reading the files, adding a key) and
 * verifier_describe.c (ssh's messages). */
#ifndef SSHKIT_HOSTKEYS_VERIFIER_INTERNAL_H
#define SSHKIT_HOSTKEYS_VERIFIER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sshkit/knownhosts.h>
#include "hostkeys/knownhosts_internal.h"

typedef struct {
    char *path;
    bool writable;
} sk_hv_file;

struct sshkit_hostkey_verifier {
    char *host;                       /* as the application named it */
    unsigned port;                    /* 22 for 0 */
    char name[SK_KH_NAME_MAX];        /* the lookup name: "host" or "[host]:port" */
    sshkit_hostkey_policy policy;
    sshkit_hostkey_callback cb;
    void *userdata;
    bool hash;
    sk_hv_file *files;
    size_t nfiles;
    bool checked;                     /* a check has run: out is valid */
    char fingerprint[96];
    sshkit_hostkey_outcome out;
};

/* ---- verifier_files.c ---- */

/* Reads every file and merges their checks of key into v->out (status,
 * file, line, other_*) and result. On a read failure sets v->out.file and
 * error_errno and returns the error. */
int sk_hv_check_files(sshkit_hostkey_verifier *v, const sshkit_key *key,
                      sshkit_kh_result *result);

/* Adds key to the first writable file (creating its directory one level
 * deep, 0700) and saves it; records add_file, added, added_line, add_error
 * and add_errno in v->out. */
void sk_hv_learn(sshkit_hostkey_verifier *v, const sshkit_key *key);

#endif
