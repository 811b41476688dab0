/* Changing the set: add an entry, remove a host's entries, hash names.
 * Each either completes or leaves the set as it was. */
#include "hostkeys/knownhosts_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

#include "common/base64.h"

/* "hostfield keytype base64" as ssh(1) writes a new entry. */
static int format_entry(const char *name, const sshkit_key *key, bool hashed, char **out)
{
    uint8_t *blob;
    size_t blob_len;
    *out = NULL;
    int rc = sshkit_key_public_blob(key, &blob, &blob_len);
    if (rc != 0)
        return rc;
    char *b64 = sk_base64_encode(blob, blob_len);
    sshkit_free(blob, blob_len);
    char *hostfield = NULL;
    rc = b64 ? 0 : SSHKIT_E_NOMEM;
    if (rc == 0)
        rc = hashed ? sk_kh_hash_name(name, &hostfield) : ((hostfield = strdup(name)) ? 0 : SSHKIT_E_NOMEM);
    if (rc == 0) {
        const char *type = sshkit_key_type_name(key);
        size_t n = strlen(hostfield) + 1 + strlen(type) + 1 + strlen(b64) + 1;
        char *text = malloc(n);
        if (text) {
            strcpy(text, hostfield);
            strcat(text, " ");
            strcat(text, type);
            strcat(text, " ");
            strcat(text, b64);
        }
        *out = text;
        rc = text ? 0 : SSHKIT_E_NOMEM;
    }
    free(hostfield);
    free(b64);
    return rc;
}

int sshkit_knownhosts_add(sshkit_knownhosts *kh, const char *host, unsigned port,
                          const sshkit_key *key, unsigned flags)
{
    char name[SK_KH_NAME_MAX];
    if (kh == NULL || key == NULL || (flags & ~(unsigned)SSHKIT_KH_ADD_HASHED) != 0)
        return SSHKIT_E_INVALID_ARGUMENT;
    int rc = sk_kh_lookup_name(host, port, name);
    if (rc != 0)
        return rc;
    /* A name that would read back as a pattern, a marker, a comment or a
     * hashed field is no host name. */
    if (strpbrk(name, "*?!") != NULL || strchr("@#|", name[0]) != NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    if (kh->count >= SSHKIT_KNOWNHOSTS_MAX_LINES)
        return SSHKIT_E_TOO_LARGE;
    char *text;
    rc = format_entry(name, key, (flags & SSHKIT_KH_ADD_HASHED) != 0, &text);
    if (rc != 0)
        return rc;
    sk_kh_line line;
    rc = sk_kh_line_init(&line, text, strlen(text), true);
    free(text);
    if (rc != 0)
        return rc;
    if (line.kind != SSHKIT_KH_LINE_ENTRY || line.blob == NULL) {
        sk_kh_line_clear(&line);    /* cannot happen for a valid name and key */
        return SSHKIT_E_INVALID_ARGUMENT;
    }
    bool *last_nl = kh->count ? &kh->lines[kh->count - 1].newline : NULL;
    bool had_nl = last_nl ? *last_nl : true;
    if (last_nl)
        *last_nl = true;    /* as ssh(1): end the last line before appending */
    rc = sk_kh_append(kh, &line);
    if (rc != 0) {
        if (last_nl)
            *last_nl = had_nl;
        sk_kh_line_clear(&line);
        return rc;
    }
    return (int)kh->count;
}

int sshkit_knownhosts_remove(sshkit_knownhosts *kh, const char *host, unsigned port)
{
    char name[SK_KH_NAME_MAX];
    if (kh == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    int rc = sk_kh_lookup_name(host, port, name);
    if (rc != 0 || kh->count == 0)
        return rc;
    /* Decide first, so that a failure part way changes nothing. */
    bool *drop = calloc(kh->count, sizeof *drop);
    if (drop == NULL)
        return SSHKIT_E_NOMEM;
    for (size_t i = 0; i < kh->count; i++) {
        const sk_kh_line *l = &kh->lines[i];
        if (l->kind != SSHKIT_KH_LINE_ENTRY || l->marker != SSHKIT_KH_MARKER_NONE)
            continue;
        rc = sk_kh_line_matches(l, name);
        if (rc < 0) {
            free(drop);
            return rc;
        }
        drop[i] = rc == 1;
    }
    size_t kept = 0, removed = 0;
    for (size_t i = 0; i < kh->count; i++) {
        if (drop[i]) {
            sk_kh_line_clear(&kh->lines[i]);
            removed++;
        } else {
            kh->lines[kept++] = kh->lines[i];
        }
    }
    kh->count = kept;
    free(drop);
    return (int)removed;
}
