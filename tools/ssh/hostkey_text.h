/* sshkit-ssh: ssh's messages about a host key (sshconnect.c's wording,
 * OpenSSH 9.2). Goes away, but for the lines about a changed key accepted
 * with StrictHostKeyChecking no, when the library's verifier describes
 * its outcome itself. */
#ifndef SSHKIT_SSH_HOSTKEY_TEXT_H
#define SSHKIT_SSH_HOSTKEY_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <sshkit.h>

struct hostkey_facts {
    bool checked;
    bool policy_strict;         /* StrictHostKeyChecking is not "no" */
    sshkit_kh_status status;    /* merged over the files */
    sshkit_hostkey_decision decision;
    char host[300];             /* "host" or "[host]:port", lowercased */
    char key_type[16];          /* "ED25519" */
    char fingerprint[128];      /* "SHA256:..." */
    const char *file;           /* the line behind the status, or NULL */
    size_t line;
    const char *user_file;      /* the first UserKnownHostsFile */
    const char *add_file;       /* where the key was to be added, or NULL */
    bool added;
};

void hostkey_text_print(const struct hostkey_facts *f);

#endif
