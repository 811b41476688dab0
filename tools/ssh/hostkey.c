/* sshkit-ssh: host key checking with the library's verifier, as ssh's
 * StrictHostKeyChecking, UserKnownHostsFile (writable), GlobalKnownHostsFile
 * and HashKnownHosts, and ssh's messages (the verifier's describe()).
 *
 * yes and accept-new are the verifier's REJECT and ACCEPT_NEW policies;
 * ask (the question at the terminal) and no (a changed key let through,
 * passwords then withheld by auth.c) are decided by a callback. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "askpass.h"
#include "ssh_client.h"

struct hostkey_check {
    const struct ssh_options *opt;
    sshkit_hostkey_verifier *v;
    char ipdesc[300];           /* "[addr]:port" or "addr", for the question */
    bool checked;
};

/* ssh's question for an unknown host (StrictHostKeyChecking ask). */
static sshkit_hostkey_decision ask(const struct hostkey_check *hc, const sshkit_key *key)
{
    sshkit_hostkey_outcome out;
    if (hc->opt->batch_mode || sshkit_hostkey_verifier_outcome(hc->v, &out) != 0)
        return SSHKIT_HOSTKEY_REJECT;
    char *fp = NULL, prompt[1024], answer[SSH_SECRET_MAX];
    if (sshkit_key_fingerprint(key, SSHKIT_FP_SHA256, &fp) != 0)
        return SSHKIT_HOSTKEY_REJECT;
    snprintf(prompt, sizeof prompt,
             "The authenticity of host '%s (%s)' can't be established.\n"
             "%s key fingerprint is %s.\n"
             "This key is not known by any other names.\n"
             "Are you sure you want to continue connecting (yes/no/[fingerprint])? ",
             out.host, hc->ipdesc, sshkit_key_short_name(key), fp);
    sshkit_hostkey_decision d = SSHKIT_HOSTKEY_REJECT;
    for (int tries = 0; tries < 10; tries++) {
        if (!askpass_read(prompt, true, true, answer, sizeof answer) ||
            strcasecmp(answer, "no") == 0)
            break;
        if (strcasecmp(answer, "yes") == 0 || strcmp(answer, fp) == 0) {
            d = SSHKIT_HOSTKEY_ACCEPT_AND_ADD;
            break;
        }
        snprintf(prompt, sizeof prompt, "Please type 'yes', 'no' or the fingerprint: ");
    }
    sshkit_free(fp, 0);
    return d;
}

/* StrictHostKeyChecking ask and no. */
static sshkit_hostkey_decision decide(const char *host, unsigned port, const sshkit_key *key,
                                      const sshkit_kh_result *result, void *user)
{
    (void)host;
    (void)port;
    const struct hostkey_check *hc = user;
    if (hc->opt->strict == SSH_STRICT_NO && result->status == SSHKIT_KH_CHANGED)
        return SSHKIT_HOSTKEY_ACCEPT;
    if (hc->opt->strict == SSH_STRICT_NO)
        return sshkit_knownhosts_decide(SSHKIT_HOSTKEY_POLICY_ACCEPT_NEW, (int)result->status);
    if (result->status == SSHKIT_KH_NEW)
        return ask(hc, key);
    return sshkit_knownhosts_decide(SSHKIT_HOSTKEY_POLICY_REJECT, (int)result->status);
}

static int check(void *user, sshkit_session *s, const sshkit_key *key)
{
    struct hostkey_check *hc = user;
    char *fp = NULL;
    sshkit_key_fingerprint(key, SSHKIT_FP_SHA256, &fp);
    log_at(SSH_LOG_DEBUG1, "Server host key: %s %s", sshkit_key_type_name(key), fp ? fp : "");
    sshkit_free(fp, 0);
    hc->checked = true;
    return sshkit_hostkey_verifier_check(hc->v, s, key);
}

static bool add_files(struct hostkey_check *hc)
{
    const struct ssh_options *o = hc->opt;
    bool ok = true;
    for (size_t i = 0; i < o->user_known_hosts.count; i++)
        ok &= sshkit_hostkey_verifier_add_file(hc->v, o->user_known_hosts.items[i], true) == 0;
    for (size_t i = 0; i < o->global_known_hosts.count; i++)
        ok &= sshkit_hostkey_verifier_add_file(hc->v, o->global_known_hosts.items[i], false) == 0;
    return ok;
}

struct hostkey_check *hostkey_check_new(const struct ssh_options *o, const char *addr)
{
    struct hostkey_check *hc = calloc(1, sizeof *hc);
    if (hc == NULL)
        return NULL;
    hc->opt = o;
    if (o->port == 22)
        snprintf(hc->ipdesc, sizeof hc->ipdesc, "%s", addr);
    else
        snprintf(hc->ipdesc, sizeof hc->ipdesc, "[%s]:%u", addr, o->port);
    sshkit_hostkey_policy policy = o->strict == SSH_STRICT_ACCEPT_NEW
                                       ? SSHKIT_HOSTKEY_POLICY_ACCEPT_NEW
                                       : SSHKIT_HOSTKEY_POLICY_REJECT;
    if (sshkit_hostkey_verifier_new(&hc->v, o->host, o->port, policy) != 0 || !add_files(hc)) {
        log_at(SSH_LOG_ERROR, "ssh: cannot check host keys for %s", o->host);
        hostkey_check_free(hc);
        return NULL;
    }
    sshkit_hostkey_verifier_set_hash(hc->v, o->hash_known_hosts);
    if (o->strict == SSH_STRICT_ASK || o->strict == SSH_STRICT_NO)
        sshkit_hostkey_verifier_set_callback(hc->v, decide, hc);
    return hc;
}

void hostkey_check_install(struct hostkey_check *hc, sshkit_session *s)
{
    sshkit_session_set_host_key_check(s, check, hc);
}

void hostkey_check_report(const struct hostkey_check *hc)
{
    if (hc->checked)
        hostkey_report_print(hc->opt, hc->v);
}

bool hostkey_check_refused(const struct hostkey_check *hc)
{
    sshkit_hostkey_outcome out;
    return hc->checked && (sshkit_hostkey_verifier_outcome(hc->v, &out) != 0 ||
                           out.decision == SSHKIT_HOSTKEY_REJECT);
}

bool hostkey_check_changed(const struct hostkey_check *hc)
{
    sshkit_hostkey_outcome out;
    return hc->checked && sshkit_hostkey_verifier_outcome(hc->v, &out) == 0 &&
           out.error == 0 && out.status == SSHKIT_KH_CHANGED;
}

void hostkey_check_free(struct hostkey_check *hc)
{
    if (hc)
        sshkit_hostkey_verifier_free(hc->v);
    free(hc);
}
