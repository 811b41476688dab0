/* Finding the entries for a host, as `ssh-keygen -F` lists them. */
#include "hostkeys/knownhosts_internal.h"

#include <sshkit/error.h>

int sshkit_knownhosts_find(const sshkit_knownhosts *kh, const char *host, unsigned port,
                           size_t *cursor, sshkit_kh_entry *entry)
{
    char name[SK_KH_NAME_MAX];
    if (kh == NULL || cursor == NULL || entry == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    int rc = sk_kh_lookup_name(host, port, name);
    if (rc != 0)
        return rc;
    for (size_t i = *cursor; i < kh->count; i++) {
        if (kh->lines[i].kind != SSHKIT_KH_LINE_ENTRY)
            continue;
        rc = sk_kh_line_matches(&kh->lines[i], name);
        if (rc < 0)
            return rc;
        if (rc == 1) {
            sk_kh_entry_of(kh, i, entry);
            *cursor = i + 1;
            return 1;
        }
    }
    *cursor = kh->count;
    return 0;
}
