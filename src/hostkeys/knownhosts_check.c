/* Checking a host key against the set (OpenSSH's check_key_in_hostkeys,
 * with "changed" limited to keys of the same type), and the policies. */
#include "hostkeys/knownhosts_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

typedef struct {
    const uint8_t *blob;    /* the presented key's blob */
    size_t blob_len;
    sshkit_key_type type;
    size_t ok_line, changed_line, revoked_line, other_line;
} check_state;

static bool same_blob(const sk_kh_line *l, const check_state *st)
{
    return l->blob_len == st->blob_len && memcmp(l->blob, st->blob, st->blob_len) == 0;
}

/* OpenSSH skips entries whose key does not parse; sshkit reads the blob
 * only when it could count against the presented key. */
static bool blob_is_key(const sk_kh_line *l)
{
    sshkit_key *k = NULL;
    int rc = sshkit_key_from_public_blob(l->blob, l->blob_len, &k);
    sshkit_key_free(k);
    return rc == 0;
}

static void consider(const sk_kh_line *l, size_t lineno, check_state *st)
{
    bool same = same_blob(l, st);
    if (l->marker == SSHKIT_KH_MARKER_REVOKED) {
        if (same && st->revoked_line == 0)
            st->revoked_line = lineno;
        return;
    }
    if (l->marker != SSHKIT_KH_MARKER_NONE)
        return;     /* @cert-authority: for certificates only */
    if (same) {
        if (st->ok_line == 0)
            st->ok_line = lineno;
    } else if (l->key_type == st->type) {
        if (st->changed_line == 0 && blob_is_key(l))
            st->changed_line = lineno;
    } else if (st->other_line == 0 && blob_is_key(l)) {
        st->other_line = lineno;
    }
}

static sshkit_kh_status conclude(const check_state *st, sshkit_kh_result *res)
{
    sshkit_kh_status status;
    size_t line;
    if (st->revoked_line) {
        status = SSHKIT_KH_REVOKED;
        line = st->revoked_line;
    } else if (st->ok_line) {
        status = SSHKIT_KH_OK;
        line = st->ok_line;
    } else if (st->changed_line) {
        status = SSHKIT_KH_CHANGED;
        line = st->changed_line;
    } else {
        status = SSHKIT_KH_NEW;
        line = 0;
    }
    if (res) {
        res->status = status;
        res->line = line;
        res->other_types = st->other_line != 0;
        res->other_line = st->other_line;
    }
    return status;
}

int sshkit_knownhosts_check(const sshkit_knownhosts *kh, const char *host, unsigned port,
                            const sshkit_key *key, sshkit_kh_result *result)
{
    char name[SK_KH_NAME_MAX];
    if (result)
        memset(result, 0, sizeof *result);
    if (kh == NULL || key == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    int rc = sk_kh_lookup_name(host, port, name);
    if (rc != 0)
        return rc;
    check_state st;
    memset(&st, 0, sizeof st);
    uint8_t *blob;
    rc = sshkit_key_public_blob(key, &blob, &st.blob_len);
    if (rc != 0)
        return rc;
    st.blob = blob;
    st.type = sshkit_key_get_type(key);
    for (size_t i = 0; i < kh->count && rc >= 0; i++) {
        const sk_kh_line *l = &kh->lines[i];
        if (l->kind != SSHKIT_KH_LINE_ENTRY || l->blob == NULL)
            continue;
        rc = sk_kh_line_matches(l, name);
        if (rc == 1)
            consider(l, i + 1, &st);
    }
    sshkit_free(blob, st.blob_len);
    if (rc < 0)
        return rc;
    return (int)conclude(&st, result);
}

sshkit_hostkey_decision sshkit_knownhosts_decide(sshkit_hostkey_policy policy, int status)
{
    if (policy != SSHKIT_HOSTKEY_POLICY_REJECT && policy != SSHKIT_HOSTKEY_POLICY_ACCEPT_NEW &&
        policy != SSHKIT_HOSTKEY_POLICY_WARN)
        return SSHKIT_HOSTKEY_REJECT;
    switch (status) {
    case SSHKIT_KH_OK:
        return SSHKIT_HOSTKEY_ACCEPT;
    case SSHKIT_KH_NEW:
        if (policy == SSHKIT_HOSTKEY_POLICY_ACCEPT_NEW)
            return SSHKIT_HOSTKEY_ACCEPT_AND_ADD;
        if (policy == SSHKIT_HOSTKEY_POLICY_WARN)
            return SSHKIT_HOSTKEY_ACCEPT_WITH_WARNING;
        return SSHKIT_HOSTKEY_REJECT;
    default:
        return SSHKIT_HOSTKEY_REJECT;   /* changed, revoked, errors, unknown values */
    }
}
