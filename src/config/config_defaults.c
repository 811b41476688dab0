/* What no line set: OpenSSH 9.2's defaults (fill_default_options), with
 * Debian's where its ssh differs (ForwardX11Trusted yes, IPQoS lowdelay
 * throughput, ServerAliveInterval 300 in batch mode), since Debian's is the
 * ssh sshkit is held against; "none" cleared where ssh clears it; the
 * algorithm lists resolved against sshkit's own. */
#include "config/config_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sshkit/error.h>

#include "transport/alglist.h"

static const struct {
    int kw;
    long long num, num2;
} number_defaults[] = {
    { SK_KW_FORWARDAGENT, 0, 0 }, { SK_KW_FORWARDX11, 0, 0 }, { SK_KW_FORWARDX11TRUSTED, 1, 0 },
    { SK_KW_FORWARDX11TIMEOUT, 1200, 0 }, { SK_KW_EXITONFORWARDFAILURE, 0, 0 },
    { SK_KW_GATEWAYPORTS, 0, 0 }, { SK_KW_PASSWORDAUTHENTICATION, 1, 0 },
    { SK_KW_KBDINTERACTIVEAUTHENTICATION, 1, 0 }, { SK_KW_PUBKEYAUTHENTICATION, 3, 0 },
    { SK_KW_HOSTBASEDAUTHENTICATION, 0, 0 }, { SK_KW_GSSAPIAUTHENTICATION, 0, 0 },
    { SK_KW_GSSAPIDELEGATECREDENTIALS, 0, 0 }, { SK_KW_IDENTITIESONLY, 0, 0 },
    { SK_KW_ADDKEYSTOAGENT, 0, 0 }, { SK_KW_PORT, 22, 0 }, { SK_KW_ESCAPECHAR, '~', 0 },
    { SK_KW_CONNECTIONATTEMPTS, 1, 0 }, { SK_KW_BATCHMODE, 0, 0 }, { SK_KW_CHECKHOSTIP, 0, 0 },
    { SK_KW_STRICTHOSTKEYCHECKING, 3, 0 }, { SK_KW_COMPRESSION, 0, 0 },
    { SK_KW_TCPKEEPALIVE, 1, 0 }, { SK_KW_NUMBEROFPASSWORDPROMPTS, 3, 0 },
    { SK_KW_SYSLOGFACILITY, 1, 0 }, { SK_KW_LOGLEVEL, 3, 0 }, { SK_KW_CLEARALLFORWARDINGS, 0, 0 },
    { SK_KW_ENABLESSHKEYSIGN, 0, 0 }, { SK_KW_VERIFYHOSTKEYDNS, 0, 0 },
    { SK_KW_NOHOSTAUTHENTICATIONFORLOCALHOST, 0, 0 }, { SK_KW_REKEYLIMIT, 0, 0 },
    { SK_KW_CONNECTTIMEOUT, -1, 0 }, { SK_KW_ADDRESSFAMILY, 0, 0 },
    { SK_KW_SERVERALIVEINTERVAL, 0, 0 }, { SK_KW_SERVERALIVECOUNTMAX, 3, 0 },
    { SK_KW_CONTROLMASTER, 0, 0 }, { SK_KW_CONTROLPERSIST, 0, 0 }, { SK_KW_HASHKNOWNHOSTS, 0, 0 },
    { SK_KW_TUNNEL, 0, 0 }, { SK_KW_TUNNELDEVICE, SK_CFG_TUN_ANY, SK_CFG_TUN_ANY },
    { SK_KW_PERMITLOCALCOMMAND, 0, 0 }, { SK_KW_VISUALHOSTKEY, 0, 0 },
    { SK_KW_IPQOS, 0x10, 0x08 }, { SK_KW_REQUESTTTY, 1, 0 }, { SK_KW_SESSIONTYPE, 2, 0 },
    { SK_KW_STDINNULL, 0, 0 }, { SK_KW_FORKAFTERAUTHENTICATION, 0, 0 },
    { SK_KW_PROXYUSEFDPASS, 0, 0 }, { SK_KW_CANONICALIZEFALLBACKLOCAL, 1, 0 },
    { SK_KW_CANONICALIZEHOSTNAME, 0, 0 }, { SK_KW_CANONICALIZEMAXDOTS, 1, 0 },
    { SK_KW_STREAMLOCALBINDMASK, 0177, 0 }, { SK_KW_STREAMLOCALBINDUNLINK, 0, 0 },
    { SK_KW_FINGERPRINTHASH, 2, 0 }, { SK_KW_REQUIREDRSASIZE, 1024, 0 },
    { SK_KW_ENABLEESCAPECOMMANDLINE, 0, 0 },
};

/* The keywords whose value "none" means no value at all. */
static const int clear_on_none[] = {
    SK_KW_LOCALCOMMAND, SK_KW_REMOTECOMMAND, SK_KW_PROXYCOMMAND, SK_KW_CONTROLPATH,
    SK_KW_REVOKEDHOSTKEYS, SK_KW_PKCS11PROVIDER, SK_KW_SECURITYKEYPROVIDER,
    SK_KW_KNOWNHOSTSCOMMAND, SK_KW_PROXYJUMP,
};

static int set_str(struct sk_cfg_value *v, const char *s)
{
    if (v->has & SK_HAS_STR)
        return 0;
    if ((v->str = strdup(s)) == NULL)
        return SSHKIT_E_NOMEM;
    v->has |= SK_HAS_STR;
    return 0;
}

static int set_list(struct sk_cfg_value *v, const char *const *items)
{
    if (v->has & SK_HAS_LIST)
        return 0;
    v->has |= SK_HAS_LIST;
    for (; *items; items++)
        if (sk_cfg_list_add(&v->list, *items) != 0)
            return SSHKIT_E_NOMEM;
    return 0;
}

/* The names of spec sshkit knows, the prefix kept; unknown ones logged. */
static char *known_names(sshkit_config *cfg, const char *keyword, int kind, const char *spec)
{
    size_t prefix = strchr("+-^", spec[0]) ? 1 : 0;
    char *out = malloc(strlen(spec) + 1), *copy = strdup(spec + prefix), *save = NULL;
    if (out == NULL || copy == NULL) {
        free(out);
        free(copy);
        return NULL;
    }
    memcpy(out, spec, prefix);
    out[prefix] = '\0';
    for (char *n = strtok_r(copy, ",", &save); n; n = strtok_r(NULL, ",", &save)) {
        if (spec[0] != '-' && !sk_alglist_known((sshkit_algorithm_kind)kind, n)) {
            sk_cfg_log(cfg, SSHKIT_LOG_DEBUG, "%s: %s is not an algorithm sshkit has", keyword, n);
            continue;
        }
        if (out[prefix] != '\0')
            strcat(out, ",");
        strcat(out, n);
    }
    free(copy);
    return out;
}

/* ssh's words for a list it does not take. */
static const char *bad_list(int kw)
{
    switch (kw) {
    case SK_KW_CIPHERS: return "Bad SSH2 cipher spec";
    case SK_KW_MACS: return "Bad SSH2 MAC spec";
    case SK_KW_KEXALGORITHMS: return "Bad SSH2 KexAlgorithms";
    default: return "Bad key types";
    }
}

static int assemble(sshkit_config *cfg, const sshkit_host_config *hc, int kw,
                    struct sk_cfg_value *v)
{
    const struct sk_cfg_keyword *k = &sk_cfg_keywords[kw];
    char *list = NULL;
    int rc;
    if (!(v->has & SK_HAS_STR)) {
        return set_str(v, sk_alglist_default((sshkit_algorithm_kind)k->alg_kind,
                                             SSHKIT_ROLE_CLIENT));
    }
    char *spec = known_names(cfg, k->name, k->alg_kind, v->str);
    if (spec == NULL)
        return SSHKIT_E_NOMEM;
    rc = sk_alglist_apply((sshkit_algorithm_kind)k->alg_kind, SSHKIT_ROLE_CLIENT, spec, &list);
    free(spec);
    if (rc == SSHKIT_E_UNSUPPORTED) {
        /* Nothing sshkit has is left: ssh's message when it knows none of them. */
        sk_cfg_set_error(cfg, "%s line %u: %s '%s'.", hc->from_file[kw] ? hc->from_file[kw] : "",
                         hc->from_line[kw], bad_list(kw), v->str);
        return SSHKIT_E_FORMAT;
    }
    if (rc != 0)
        return rc;
    free(v->str);
    v->str = list;
    return 0;
}

/* UpdateHostKeys depends on what else was set, as in ssh. */
static void update_hostkeys(struct sk_cfg_value *v)
{
    const struct sk_cfg_value *ukh = &v[SK_KW_USERKNOWNHOSTSFILE];
    const struct sk_cfg_value *dns = &v[SK_KW_VERIFYHOSTKEYDNS];
    if (v[SK_KW_UPDATEHOSTKEYS].has & SK_HAS_NUM)
        return;
    bool plain = ukh->list.count == 0 ||
                 (ukh->list.count == 1 && strcmp(ukh->list.items[0], "~/.ssh/known_hosts") == 0);
    v[SK_KW_UPDATEHOSTKEYS].num = (!(dns->has & SK_HAS_NUM) || dns->num <= 0) && plain;
    v[SK_KW_UPDATEHOSTKEYS].has |= SK_HAS_NUM;
}

static int lists(sshkit_host_config *hc)
{
    static const char *const ids[] = { "~/.ssh/id_rsa", "~/.ssh/id_ecdsa", "~/.ssh/id_ed25519",
                                       NULL };
    static const char *const global[] = { "/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2",
                                          NULL };
    static const char *const user[] = { "~/.ssh/known_hosts", "~/.ssh/known_hosts2", NULL };
    struct sk_cfg_value *v = hc->values;
    if (v[SK_KW_CLEARALLFORWARDINGS].num == 1) {
        sk_cfg_value_clear(&v[SK_KW_LOCALFORWARD]);
        sk_cfg_value_clear(&v[SK_KW_REMOTEFORWARD]);
    }
    update_hostkeys(v);
    if (set_list(&v[SK_KW_IDENTITYFILE], ids) != 0 ||
        set_list(&v[SK_KW_GLOBALKNOWNHOSTSFILE], global) != 0 ||
        set_list(&v[SK_KW_USERKNOWNHOSTSFILE], user) != 0)
        return SSHKIT_E_NOMEM;
    struct sk_cfg_value *cn = &v[SK_KW_CANONICALIZEPERMITTEDCNAMES];
    if (cn->list.count == 1 && strcmp(cn->list.items[0], "none:") == 0)
        sk_cfg_list_clear(&cn->list);
    return 0;
}

int sk_cfg_fill_defaults(sshkit_config *cfg, sshkit_host_config *hc)
{
    struct sk_cfg_value *v = hc->values;
    struct sk_cfg_value *alive = &v[SK_KW_SERVERALIVEINTERVAL];
    if (!(alive->has & SK_HAS_NUM) && (v[SK_KW_BATCHMODE].has & SK_HAS_NUM) &&
        v[SK_KW_BATCHMODE].num == 1) {
        alive->num = 300;                       /* Debian's keepalive in batch mode */
        alive->has |= SK_HAS_NUM;
    }
    for (size_t i = 0; i < sizeof number_defaults / sizeof number_defaults[0]; i++) {
        struct sk_cfg_value *d = &v[number_defaults[i].kw];
        if (!(d->has & SK_HAS_NUM))
            d->num = number_defaults[i].num;
        if (!(d->has & SK_HAS_NUM2))
            d->num2 = number_defaults[i].num2;
        d->has |= SK_HAS_NUM | SK_HAS_NUM2;
    }
    for (size_t i = 0; i < sizeof clear_on_none / sizeof clear_on_none[0]; i++) {
        struct sk_cfg_value *c = &v[clear_on_none[i]];
        if ((c->has & SK_HAS_STR) && strcasecmp(c->str, "none") == 0) {
            free(c->str);
            c->str = NULL;
            c->has &= ~(unsigned)SK_HAS_STR;
        }
    }
    int rc = 0;
    if (set_str(&v[SK_KW_XAUTHLOCATION], "/usr/bin/xauth") != 0 ||
        set_str(&v[SK_KW_USER], hc->local.user) != 0)
        return SSHKIT_E_NOMEM;
    /* ssh fills "internal" before it clears "none": a "none" given stays none. */
    if (!hc->set[SK_KW_SECURITYKEYPROVIDER] &&
        set_str(&v[SK_KW_SECURITYKEYPROVIDER], "internal") != 0)
        return SSHKIT_E_NOMEM;
    for (int kw = 0; kw < SK_KW_COUNT && rc == 0; kw++)
        if (sk_cfg_keywords[kw].kind == SK_KIND_ALGS)
            rc = assemble(cfg, hc, kw, &v[kw]);
    return rc ? rc : lists(hc);
}
