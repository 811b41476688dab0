/* sshkit-ssh: host key checking, as ssh's StrictHostKeyChecking,
 * UserKnownHostsFile, GlobalKnownHostsFile and HashKnownHosts, with ssh's
 * messages.
 *
 * The rest of the tool sees only the small interface in ssh.h. Inside,
 * the files are merged and the key added with sshkit_knownhosts_check()
 * and sshkit_knownhosts_decide(); once sshkit_hostkey_verifier_* is in
 * the library this becomes: a verifier with the files added (user files
 * writable), decide() below as its callback, and report() printing
 * sshkit_hostkey_verifier_describe(). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "askpass.h"
#include "hostkey_text.h"
#include "ssh.h"

struct hostkey_check {
    const struct ssh_options *opt;
    char ipdesc[300];           /* "[addr]:port", for the question */
    struct hostkey_facts facts; /* what was found and done, for the messages */
};

/* The merged check over every file: REVOKED, else OK, else CHANGED, else NEW. */
static void check_files(struct hostkey_check *hc, const sshkit_key *key)
{
    const struct ssh_options *o = hc->opt;
    struct hostkey_facts *f = &hc->facts;
    static const int rank[] = { [SSHKIT_KH_NEW] = 0, [SSHKIT_KH_CHANGED] = 1,
                                [SSHKIT_KH_OK] = 2, [SSHKIT_KH_REVOKED] = 3 };
    f->status = SSHKIT_KH_NEW;
    for (size_t i = 0; i < o->user_known_hosts.count + o->global_known_hosts.count; i++) {
        const char *path = i < o->user_known_hosts.count
                               ? o->user_known_hosts.items[i]
                               : o->global_known_hosts.items[i - o->user_known_hosts.count];
        sshkit_knownhosts *kh;
        if (sshkit_knownhosts_load(path, &kh) != 0) {
            log_at(SSH_LOG_DEBUG1, "Failed to read %s: skipped", path);
            continue;
        }
        sshkit_kh_result r;
        int st = sshkit_knownhosts_check(kh, o->host, o->port, key, &r);
        sshkit_knownhosts_free(kh);
        if (st < 0 || rank[st] <= rank[f->status])
            continue;
        f->status = (sshkit_kh_status)st;
        f->file = path;
        f->line = r.line;
    }
}

/* Appends the key to the first user file, creating ~/.ssh if need be. */
static void add_key(struct hostkey_check *hc, const sshkit_key *key)
{
    const struct ssh_options *o = hc->opt;
    struct hostkey_facts *f = &hc->facts;
    const char *path = o->user_known_hosts.items[0];
    char *dir = strdup(path), *slash = dir ? strrchr(dir, '/') : NULL;
    if (slash && slash != dir) {
        *slash = '\0';
        if (mkdir(dir, 0700) == 0)
            log_at(SSH_LOG_DEBUG1, "Created directory %s", dir);
    }
    free(dir);
    sshkit_knownhosts *kh;
    f->add_file = path;
    if (sshkit_knownhosts_load(path, &kh) != 0)
        return;
    unsigned flags = o->hash_known_hosts ? SSHKIT_KH_ADD_HASHED : SSHKIT_KH_ADD_PLAIN;
    f->added = sshkit_knownhosts_add(kh, o->host, o->port, key, flags) > 0 &&
               sshkit_knownhosts_save(kh, path) == 0;
    sshkit_knownhosts_free(kh);
}

/* ssh's question for an unknown host (StrictHostKeyChecking ask). */
static sshkit_hostkey_decision ask(struct hostkey_check *hc)
{
    struct hostkey_facts *f = &hc->facts;
    f->policy_strict = false;   /* a "no" is the user's, not a policy's */
    if (hc->opt->batch_mode)
        return SSHKIT_HOSTKEY_REJECT;
    char prompt[1024], answer[SSH_SECRET_MAX];
    snprintf(prompt, sizeof prompt,
             "The authenticity of host '%s (%s)' can't be established.\n"
             "%s key fingerprint is %s.\n"
             "This key is not known by any other names.\n"
             "Are you sure you want to continue connecting (yes/no/[fingerprint])? ",
             f->host, hc->ipdesc, f->key_type, f->fingerprint);
    for (int tries = 0; tries < 10; tries++) {
        if (!askpass_read(prompt, true, true, answer, sizeof answer))
            return SSHKIT_HOSTKEY_REJECT;
        if (strcasecmp(answer, "yes") == 0 || strcmp(answer, f->fingerprint) == 0)
            return SSHKIT_HOSTKEY_ACCEPT_AND_ADD;
        if (strcasecmp(answer, "no") == 0)
            return SSHKIT_HOSTKEY_REJECT;
        snprintf(prompt, sizeof prompt, "Please type 'yes', 'no' or the fingerprint: ");
    }
    return SSHKIT_HOSTKEY_REJECT;
}

/* The decision for what the files say, by StrictHostKeyChecking. (The
 * shape of a verifier callback, so that it can become one.) */
static sshkit_hostkey_decision decide(struct hostkey_check *hc)
{
    sshkit_kh_status st = hc->facts.status;
    switch (hc->opt->strict) {
    case SSH_STRICT_YES: return sshkit_knownhosts_decide(SSHKIT_HOSTKEY_POLICY_REJECT, (int)st);
    case SSH_STRICT_ACCEPT_NEW:
        return sshkit_knownhosts_decide(SSHKIT_HOSTKEY_POLICY_ACCEPT_NEW, (int)st);
    case SSH_STRICT_NO:
        /* ssh goes on with a changed key, but sends no password (see auth.c). */
        if (st == SSHKIT_KH_CHANGED)
            return SSHKIT_HOSTKEY_ACCEPT;
        return sshkit_knownhosts_decide(SSHKIT_HOSTKEY_POLICY_ACCEPT_NEW, (int)st);
    case SSH_STRICT_ASK:
    default:
        return st == SSHKIT_KH_NEW ? ask(hc)
                                   : sshkit_knownhosts_decide(SSHKIT_HOSTKEY_POLICY_REJECT, (int)st);
    }
}

static int check(void *user, sshkit_session *s, const sshkit_key *key)
{
    (void)s;
    struct hostkey_check *hc = user;
    struct hostkey_facts *f = &hc->facts;
    char *fp = NULL;
    sshkit_key_fingerprint(key, SSHKIT_FP_SHA256, &fp);
    snprintf(f->fingerprint, sizeof f->fingerprint, "%s", fp ? fp : "?");
    sshkit_free(fp, 0);
    snprintf(f->key_type, sizeof f->key_type, "%s", sshkit_key_short_name(key));
    log_at(SSH_LOG_DEBUG1, "Server host key: %s %s", sshkit_key_type_name(key), f->fingerprint);
    check_files(hc, key);
    f->decision = decide(hc);
    f->checked = true;
    if (f->decision == SSHKIT_HOSTKEY_ACCEPT_AND_ADD && f->status == SSHKIT_KH_NEW)
        add_key(hc, key);
    return f->decision == SSHKIT_HOSTKEY_REJECT ? -1 : 0;
}

struct hostkey_check *hostkey_check_new(const struct ssh_options *o, const char *addr)
{
    struct hostkey_check *hc = calloc(1, sizeof *hc);
    if (hc == NULL)
        return NULL;
    hc->opt = o;
    hc->facts.policy_strict = o->strict != SSH_STRICT_NO;
    hc->facts.user_file = o->user_known_hosts.items[0];
    if (o->port == 22) {
        snprintf(hc->facts.host, sizeof hc->facts.host, "%s", o->host);
        snprintf(hc->ipdesc, sizeof hc->ipdesc, "%s", addr);
    } else {
        snprintf(hc->facts.host, sizeof hc->facts.host, "[%s]:%u", o->host, o->port);
        snprintf(hc->ipdesc, sizeof hc->ipdesc, "[%s]:%u", addr, o->port);
    }
    for (char *c = hc->facts.host; *c; c++)
        *c = (char)(*c >= 'A' && *c <= 'Z' ? *c + ('a' - 'A') : *c);
    return hc;
}

void hostkey_check_install(struct hostkey_check *hc, sshkit_session *s)
{
    sshkit_session_set_host_key_check(s, check, hc);
}

void hostkey_check_report(const struct hostkey_check *hc)
{
    if (hc->facts.checked)
        hostkey_text_print(&hc->facts);
}

bool hostkey_check_refused(const struct hostkey_check *hc)
{
    return hc->facts.checked && hc->facts.decision == SSHKIT_HOSTKEY_REJECT;
}

bool hostkey_check_changed(const struct hostkey_check *hc)
{
    return hc->facts.checked && hc->facts.status == SSHKIT_KH_CHANGED;
}

void hostkey_check_free(struct hostkey_check *hc)
{
    free(hc);
}
