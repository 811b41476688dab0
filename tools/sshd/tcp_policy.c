/* sshkit-sshd: whether a direct-tcpip open may go where it asks, as sshd
 * decides: AllowTcpForwarding (yes/all or local), the accepted key's
 * no-port-forwarding and restrict (without port-forwarding), then
 * PermitOpen ("any", "none", or host:port entries where either part may be
 * "*"; hosts compared as written, without resolving, as sshd does). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tcp_fwd_internal.h"

static bool key_allows(const struct conn *c)
{
    const sshkit_authorized_key *ak = c->auth.key_line;
    if (ak == NULL)
        return true;
    if (sshkit_authorized_key_find_option(ak, "no-port-forwarding", 0) >= 0)
        return false;
    return sshkit_authorized_key_find_option(ak, "restrict", 0) < 0 ||
           sshkit_authorized_key_find_option(ak, "port-forwarding", 0) >= 0;
}

/* One PermitOpen entry against host:port. */
static bool entry_matches(const char *entry, const char *host, unsigned port)
{
    const char *colon = strrchr(entry, ':');
    if (colon == NULL)
        return false;
    const char *h = entry;
    size_t hn = (size_t)(colon - entry);
    if (hn >= 2 && h[0] == '[' && h[hn - 1] == ']') {
        h++;
        hn -= 2;
    }
    bool host_ok = (hn == 1 && h[0] == '*') ||
                   (hn == strlen(host) && strncasecmp(h, host, hn) == 0);
    if (!host_ok)
        return false;
    if (strcmp(colon + 1, "*") == 0)
        return true;
    char *end;
    unsigned long p = strtoul(colon + 1, &end, 10);
    return *end == '\0' && p == port;
}

static bool permit_open_allows(const struct sshd_config *cfg, const char *host, unsigned port)
{
    if (!cfg->permit_open_set)
        return true;
    for (size_t i = 0; i < cfg->permit_open.n; i++) {
        const char *e = cfg->permit_open.v[i];
        if (strcasecmp(e, "any") == 0)
            return true;
        if (strcasecmp(e, "none") == 0)
            return false;
        if (entry_matches(e, host, port))
            return true;
    }
    return false;
}

const char *tcp_policy_remote_refusal(const struct conn *c)
{
    int allow = c->srv->cfg->allow_tcp_forwarding;
    if (allow == SSHD_FWD_NONE || allow == SSHD_FWD_LOCAL)
        return "AllowTcpForwarding";
    return key_allows(c) ? NULL : "the key's options";
}

const char *tcp_policy_refusal(const struct conn *c, const char *host, unsigned port)
{
    int allow = c->srv->cfg->allow_tcp_forwarding;
    if (allow == SSHD_FWD_NONE || allow == SSHD_FWD_REMOTE)
        return "AllowTcpForwarding";
    if (!key_allows(c))
        return "the key's options";
    if (!permit_open_allows(c->srv->cfg, host, port))
        return "PermitOpen";
    return NULL;
}
