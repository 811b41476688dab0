/* A ready-made host key check for client sessions: known_hosts files, a
 * policy and a callback behind one sshkit_host_key_check_fn. Calls no
 * session function. */
#include "hostkeys/verifier_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

int sshkit_hostkey_verifier_new(sshkit_hostkey_verifier **out, const char *host, unsigned port,
                                sshkit_hostkey_policy policy)
{
    if (out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = NULL;
    if (policy != SSHKIT_HOSTKEY_POLICY_REJECT && policy != SSHKIT_HOSTKEY_POLICY_ACCEPT_NEW &&
        policy != SSHKIT_HOSTKEY_POLICY_WARN)
        return SSHKIT_E_INVALID_ARGUMENT;
    sshkit_hostkey_verifier *v = calloc(1, sizeof *v);
    if (v == NULL)
        return SSHKIT_E_NOMEM;
    v->port = port == 0 ? 22 : port;
    int rc = sk_kh_lookup_name(host, v->port, v->name);
    if (rc == 0 && (v->host = strdup(host)) == NULL)
        rc = SSHKIT_E_NOMEM;
    if (rc != 0) {
        free(v);
        return rc;
    }
    v->policy = policy;
    *out = v;
    return 0;
}

void sshkit_hostkey_verifier_free(sshkit_hostkey_verifier *v)
{
    if (v == NULL)
        return;
    for (size_t i = 0; i < v->nfiles; i++)
        free(v->files[i].path);
    free(v->files);
    free(v->host);
    free(v);
}

int sshkit_hostkey_verifier_add_file(sshkit_hostkey_verifier *v, const char *path, bool writable)
{
    if (v == NULL || path == NULL || path[0] == '\0')
        return SSHKIT_E_INVALID_ARGUMENT;
    if (v->nfiles >= SSHKIT_HOSTKEY_VERIFIER_MAX_FILES)
        return SSHKIT_E_TOO_LARGE;
    sk_hv_file *files = realloc(v->files, (v->nfiles + 1) * sizeof *files);
    if (files == NULL)
        return SSHKIT_E_NOMEM;
    v->files = files;
    char *copy = strdup(path);
    if (copy == NULL)
        return SSHKIT_E_NOMEM;
    files[v->nfiles].path = copy;
    files[v->nfiles].writable = writable;
    v->nfiles++;
    return 0;
}

void sshkit_hostkey_verifier_set_callback(sshkit_hostkey_verifier *v, sshkit_hostkey_callback cb,
                                          void *userdata)
{
    if (v == NULL)
        return;
    v->cb = cb;
    v->userdata = userdata;
}

void sshkit_hostkey_verifier_set_hash(sshkit_hostkey_verifier *v, bool hash)
{
    if (v != NULL)
        v->hash = hash;
}

/* Starts a fresh outcome: the host, the key's type and fingerprint. */
static int outcome_begin(sshkit_hostkey_verifier *v, const sshkit_key *key)
{
    memset(&v->out, 0, sizeof v->out);
    v->checked = true;
    v->fingerprint[0] = '\0';
    v->out.policy = v->policy;
    v->out.decision = SSHKIT_HOSTKEY_REJECT;
    v->out.host = v->name;
    v->out.key_type = sshkit_key_short_name(key);
    v->out.fingerprint = v->fingerprint;
    char *fp;
    int rc = sshkit_key_fingerprint(key, SSHKIT_FP_SHA256, &fp);
    if (rc != 0)
        return rc;
    size_t n = strlen(fp);
    if (n >= sizeof v->fingerprint)
        n = sizeof v->fingerprint - 1;
    memcpy(v->fingerprint, fp, n);
    v->fingerprint[n] = '\0';
    sshkit_free(fp, 0);
    return 0;
}

static bool valid_decision(sshkit_hostkey_decision d)
{
    return d == SSHKIT_HOSTKEY_REJECT || d == SSHKIT_HOSTKEY_ACCEPT ||
           d == SSHKIT_HOSTKEY_ACCEPT_AND_ADD || d == SSHKIT_HOSTKEY_ACCEPT_WITH_WARNING;
}

static sshkit_hostkey_decision decide(sshkit_hostkey_verifier *v, const sshkit_key *key,
                                      const sshkit_kh_result *result)
{
    if (v->cb == NULL)
        return sshkit_knownhosts_decide(v->policy, (int)result->status);
    v->out.by_callback = true;
    sshkit_hostkey_decision d = v->cb(v->host, v->port, key, result, v->userdata);
    return valid_decision(d) ? d : SSHKIT_HOSTKEY_REJECT;
}

int sshkit_hostkey_verifier_check(void *user, struct sshkit_session *session,
                                  const sshkit_key *key)
{
    (void)session;
    sshkit_hostkey_verifier *v = user;
    if (v == NULL || key == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    sshkit_kh_result result;
    int rc = outcome_begin(v, key);
    if (rc == 0)
        rc = sk_hv_check_files(v, key, &result);
    if (rc != 0) {
        v->out.error = rc;
        return SSHKIT_E_HOST_KEY_REJECTED;
    }
    sshkit_hostkey_decision d = decide(v, key, &result);
    v->out.decision = d;
    if (d == SSHKIT_HOSTKEY_ACCEPT_AND_ADD && result.status != SSHKIT_KH_OK)
        sk_hv_learn(v, key);
    return d == SSHKIT_HOSTKEY_REJECT ? SSHKIT_E_HOST_KEY_REJECTED : 0;
}

int sshkit_hostkey_verifier_outcome(const sshkit_hostkey_verifier *v, sshkit_hostkey_outcome *out)
{
    if (v == NULL || out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    if (!v->checked)
        return SSHKIT_E_STATE;
    *out = v->out;
    return 0;
}
