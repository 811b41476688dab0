/* Algorithm list configuration; see alglist.h. */
#include "transport/alglist.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

#include "crypto/packet_cipher.h"
#include "transport/hostkey_algs.h"
#include "transport/kex_methods.h"
#include "transport/zstream.h"

const char *sk_alglist_default(sshkit_algorithm_kind kind, sshkit_role role)
{
    bool server = role == SSHKIT_ROLE_SERVER;
    switch (kind) {
    case SSHKIT_ALG_KEX: return server ? SK_KEX_DEFAULT_SERVER : SK_KEX_DEFAULT_CLIENT;
    case SSHKIT_ALG_HOSTKEY: return SK_HOSTKEY_ALGS_DEFAULT;
    case SSHKIT_ALG_CIPHER: return SK_CIPHERS_DEFAULT;
    case SSHKIT_ALG_MAC: return server ? SK_MACS_DEFAULT_SERVER : SK_MACS_DEFAULT;
    case SSHKIT_ALG_COMPRESSION: return server ? SK_COMP_DEFAULT_SERVER : SK_COMP_DEFAULT_CLIENT;
    default: return "";
    }
}

static bool known_kex(const char *n) { return sk_kex_method_find(n) != NULL; }
static bool known_hostkey(const char *n) { return sk_hostkey_alg_find(n) != NULL; }
static bool known_cipher(const char *n) { return sk_cipher_find(n) != NULL; }
static bool known_mac(const char *n) { return sk_mac_find(n) != NULL; }
static bool known_comp(const char *n) { return sk_comp_method_find(n, NULL); }

bool sk_alglist_known(sshkit_algorithm_kind kind, const char *name)
{
    switch (kind) {
    case SSHKIT_ALG_KEX: return known_kex(name);
    case SSHKIT_ALG_HOSTKEY: return known_hostkey(name);
    case SSHKIT_ALG_CIPHER: return known_cipher(name);
    case SSHKIT_ALG_MAC: return known_mac(name);
    case SSHKIT_ALG_COMPRESSION: return known_comp(name);
    default: return false;
    }
}

/* Appends name to list (comma-separated) unless it is there already. */
static void add_name(char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; (p = strstr(p, name)) != NULL; p += n)
        if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
            return;
    if (*list)
        strcat(list, ",");
    strcat(list, name);
}

/* Whether name matches any pattern of the comma-separated patterns. */
static bool matches_any(const char *patterns, const char *name)
{
    char *copy = strdup(patterns), *save = NULL;
    bool hit = false;
    for (char *p = copy ? strtok_r(copy, ",", &save) : NULL; p && !hit; p = strtok_r(NULL, ",", &save))
        hit = fnmatch(p, name, 0) == 0;
    free(copy);
    return hit;
}

/* Adds each name of src to dst, filtered: keep only those (not) matching filter. */
static int add_names(char *dst, const char *src, const char *filter, bool keep_matching,
                     int kind)
{
    char *copy = strdup(src), *save = NULL;
    if (copy == NULL)
        return SSHKIT_E_NOMEM;
    int rc = 0;
    for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        if (filter && matches_any(filter, p) != keep_matching)
            continue;
        if (kind >= 0 && !sk_alglist_known((sshkit_algorithm_kind)kind, p)) {
            rc = SSHKIT_E_UNSUPPORTED;
            break;
        }
        add_name(dst, p);
    }
    free(copy);
    return rc;
}

int sk_alglist_apply(sshkit_algorithm_kind kind, sshkit_role role, const char *spec, char **out)
{
    const char *defaults = sk_alglist_default(kind, role);
    *out = NULL;
    size_t cap = strlen(defaults) + strlen(spec) + 2;
    char *list = calloc(1, cap);
    if (list == NULL)
        return SSHKIT_E_NOMEM;
    int rc;
    switch (spec[0]) {
    case '+':
        rc = add_names(list, defaults, NULL, true, -1);
        if (rc == 0)
            rc = add_names(list, spec + 1, NULL, true, (int)kind);
        break;
    case '-':
        rc = add_names(list, defaults, spec + 1, false, -1);
        break;
    case '^':
        rc = add_names(list, spec + 1, NULL, true, (int)kind);
        if (rc == 0)
            rc = add_names(list, defaults, NULL, true, -1);
        break;
    default:
        rc = add_names(list, spec, NULL, true, (int)kind);
    }
    if (rc == 0 && list[0] == '\0')
        rc = SSHKIT_E_UNSUPPORTED;
    if (rc) {
        free(list);
        return rc;
    }
    *out = list;
    return 0;
}
