/* Hashing every plain host name in the set, as `ssh-keygen -H` does. */
#include "hostkeys/knownhosts_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

/* How many hashed lines an entry becomes: 0 when it stays as it is. */
static size_t hashable_names(const sk_kh_line *l)
{
    if (l->kind != SSHKIT_KH_LINE_ENTRY || l->hashed || l->marker != SSHKIT_KH_MARKER_NONE)
        return 0;
    const char *hosts = l->text + l->hosts_off;
    size_t n = 0, start = 0;
    for (size_t i = 0; i < l->hosts_len; i++)
        if (hosts[i] == '*' || hosts[i] == '?' || hosts[i] == '!')
            return 0;
    /* strsep(",") until the end or an empty name. */
    while (start < l->hosts_len) {
        const char *comma = memchr(hosts + start, ',', l->hosts_len - start);
        size_t end = comma ? (size_t)(comma - hosts) : l->hosts_len;
        if (end == start)
            break;
        n++;
        if (!comma)
            break;
        start = end + 1;
    }
    return n;
}

/* The i-th name of the host list, lowercased, as a new string. */
static char *nth_name(const sk_kh_line *l, size_t nth)
{
    const char *hosts = l->text + l->hosts_off;
    size_t start = 0;
    for (size_t k = 0; k < nth; k++)
        start += strcspn(hosts + start, ",") + 1;
    size_t end = start;
    while (end < l->hosts_len && hosts[end] != ',')
        end++;
    char *name = malloc(end - start + 1);
    if (name == NULL)
        return NULL;
    for (size_t i = start; i < end; i++)
        name[i - start] = (hosts[i] >= 'A' && hosts[i] <= 'Z') ? (char)(hosts[i] + 32) : hosts[i];
    name[end - start] = '\0';
    return name;
}

/* "hashed rawkey" for one name of l. */
static int hashed_line(const sk_kh_line *l, size_t nth, sk_kh_line *out)
{
    char *name = nth_name(l, nth), *field = NULL;
    int rc = name ? sk_kh_hash_name(name, &field) : SSHKIT_E_NOMEM;
    free(name);
    if (rc != 0)
        return rc;
    size_t flen = strlen(field), rlen = l->len - l->rawkey_off;
    char *text = malloc(flen + 1 + rlen);
    if (text) {
        memcpy(text, field, flen);
        text[flen] = ' ';
        memcpy(text + flen + 1, l->text + l->rawkey_off, rlen);
        rc = sk_kh_line_init(out, text, flen + 1 + rlen, true);
    } else {
        rc = SSHKIT_E_NOMEM;
    }
    free(text);
    free(field);
    return rc;
}

/* Builds the new line array; fresh[] tells which lines are new. */
static int build(const sshkit_knownhosts *kh, sk_kh_line *lines, bool *fresh, size_t *n_out)
{
    size_t n = 0;
    for (size_t i = 0; i < kh->count; i++) {
        size_t names = hashable_names(&kh->lines[i]);
        if (names == 0) {
            lines[n++] = kh->lines[i];
            continue;
        }
        for (size_t k = 0; k < names; k++) {
            int rc = hashed_line(&kh->lines[i], k, &lines[n]);
            if (rc != 0) {
                *n_out = n;
                return rc;
            }
            fresh[n++] = true;
        }
    }
    *n_out = n;
    return 0;
}

int sshkit_knownhosts_hash(sshkit_knownhosts *kh)
{
    if (kh == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    size_t total = 0, hashed = 0;
    for (size_t i = 0; i < kh->count; i++) {
        size_t names = hashable_names(&kh->lines[i]);
        total += names ? names : 1;
        hashed += names;
    }
    if (hashed == 0)
        return 0;
    if (total > SSHKIT_KNOWNHOSTS_MAX_LINES || hashed > (size_t)INT32_MAX)
        return SSHKIT_E_TOO_LARGE;
    sk_kh_line *lines = calloc(total, sizeof *lines);
    bool *fresh = calloc(total, sizeof *fresh);
    size_t n = 0;
    int rc = (lines && fresh) ? build(kh, lines, fresh, &n) : SSHKIT_E_NOMEM;
    if (rc != 0) {
        for (size_t i = 0; i < n; i++)
            if (fresh[i])
                sk_kh_line_clear(&lines[i]);
        free(lines);
        free(fresh);
        return rc;
    }
    for (size_t i = 0; i < kh->count; i++)
        if (hashable_names(&kh->lines[i]) > 0)
            sk_kh_line_clear(&kh->lines[i]);
    free(kh->lines);
    free(fresh);
    kh->lines = lines;
    kh->count = kh->cap = total;
    return (int)hashed;
}
