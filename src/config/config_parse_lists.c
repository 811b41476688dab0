/* The lists with rules of their own: CanonicalDomains (domain names),
 * CanonicalizePermittedCNAMEs ("source:target" pattern lists, "*", or
 * "none"), PermitRemoteOpen (host:port, "any" or "none"). */
#include "config/config_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sshkit/error.h>

#define ERR(...) sk_cfg_report(w, SSHKIT_LOG_ERROR, __VA_ARGS__)

static int alone(const struct sk_cfg_where *w, const struct sk_cfg_list *args, const char *a)
{
    (void)args;
    return ERR("%s line %u: keyword %s \"%s\" argument must appear alone.", w->file, w->line,
               w->keyword, a);
}

static int domains(const struct sk_cfg_where *w, const struct sk_cfg_list *args,
                   struct sk_cfg_value *v)
{
    for (size_t i = 0; i < args->count; i++) {
        char *a = args->items[i], msg[256];
        if (*a == '\0')
            return ERR("%s line %u: keyword %s empty argument", w->file, w->line, w->keyword);
        if (strcasecmp(a, "none") == 0 && args->count > 1)
            return ERR("%s line %u: keyword %s \"none\" argument must appear alone.", w->file,
                       w->line, w->keyword);
        char *copy = strdup(a);
        if (copy == NULL)
            return SSHKIT_E_NOMEM;
        const char *bad = sk_cfg_valid_domain(copy, msg, sizeof msg);
        int rc = bad ? ERR("%s line %u: %s", w->file, w->line, bad)
               : i >= SK_CFG_MAX_LIST ? ERR("%s line %u: too many hostname suffixes.", w->file,
                                            w->line)
               : sk_cfg_list_add(&v->list, copy);
        free(copy);
        if (rc != 0)
            return rc;
    }
    v->has |= SK_HAS_LIST;
    return 0;
}

/* Each rule kept as "source:target"; "none" as "none:" (dropped after). */
static int cnames(const struct sk_cfg_where *w, const struct sk_cfg_list *args,
                  struct sk_cfg_value *v)
{
    for (size_t i = 0; i < args->count; i++) {
        const char *a = args->items[i];
        char *rule;
        if (strcasecmp(a, "none") == 0) {
            if (args->count > 1)
                return alone(w, args, a);
            rule = strdup("none:");
        } else if (strcmp(a, "*") == 0) {
            rule = strdup("*:*");
        } else {
            const char *colon = strchr(a, ':');
            if (colon == NULL || colon[1] == '\0')
                return ERR("%s line %u: Invalid permitted CNAME \"%s\"", w->file, w->line, a);
            rule = strdup(a);
            for (char *c = rule; c && *c; c++)
                *c = (char)tolower((unsigned char)*c);
        }
        int rc = rule == NULL ? SSHKIT_E_NOMEM
               : i >= SK_CFG_MAX_LIST ? ERR("%s line %u: too many permitted CNAMEs.", w->file,
                                            w->line)
               : sk_cfg_list_add(&v->list, rule);
        free(rule);
        if (rc != 0)
            return rc;
    }
    v->has |= SK_HAS_LIST;
    return 0;
}

/* host:port with a port number or "*"; [host]:port for addresses. */
static bool host_port_ok(const char *a)
{
    const char *port;
    if (*a == '[') {
        const char *close = strchr(a, ']');
        if (close == NULL || close == a + 1 || close[1] != ':')
            return false;
        port = close + 2;
    } else {
        const char *colon = strchr(a, ':');
        if (colon == NULL || colon == a)
            return false;
        port = colon + 1;
    }
    return strcmp(port, "*") == 0 || sk_cfg_port(port) > 0;
}

static int remote_open(const struct sk_cfg_where *w, const struct sk_cfg_list *args,
                       struct sk_cfg_value *v)
{
    if (args->count == 0)
        return ERR("%s line %u: missing %s specification", w->file, w->line, w->keyword);
    for (size_t i = 0; i < args->count; i++) {
        const char *a = args->items[i];
        if (strcasecmp(a, "none") == 0 || strcasecmp(a, "any") == 0) {
            if (args->count > 1)
                return alone(w, args, a);
        } else if (!host_port_ok(a)) {
            return ERR("%s line %u: bad host:port in %s", w->file, w->line, w->keyword);
        }
        if (sk_cfg_list_add(&v->list, a) != 0)
            return SSHKIT_E_NOMEM;
    }
    v->has |= SK_HAS_LIST;
    return 0;
}

int sk_cfg_parse_lists(const struct sk_cfg_where *w, int kw, const struct sk_cfg_list *args,
                       struct sk_cfg_value *v)
{
    switch (sk_cfg_keywords[kw].kind) {
    case SK_KIND_DOMAINS: return domains(w, args, v);
    case SK_KIND_CNAMES: return cnames(w, args, v);
    default: return remote_open(w, args, v);
    }
}
