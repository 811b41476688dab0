/* sshkit_host_config_dump: the resolved options as ssh -G prints them, in
 * its order (readconf.c's dump_client_config). */
#include "config/config_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

/* In ssh's order; a per-line keyword prints each item on its own line. */
static const int dump_order[] = {
    SK_KW_USER, SK_KW_HOSTNAME, SK_KW_PORT,
    SK_KW_ADDRESSFAMILY, SK_KW_BATCHMODE, SK_KW_CANONICALIZEFALLBACKLOCAL,
    SK_KW_CANONICALIZEHOSTNAME, SK_KW_CHECKHOSTIP, SK_KW_COMPRESSION, SK_KW_CONTROLMASTER,
    SK_KW_ENABLESSHKEYSIGN, SK_KW_CLEARALLFORWARDINGS, SK_KW_EXITONFORWARDFAILURE,
    SK_KW_FINGERPRINTHASH, SK_KW_FORWARDX11, SK_KW_FORWARDX11TRUSTED, SK_KW_GATEWAYPORTS,
    SK_KW_GSSAPIAUTHENTICATION, SK_KW_GSSAPIDELEGATECREDENTIALS, SK_KW_HASHKNOWNHOSTS,
    SK_KW_HOSTBASEDAUTHENTICATION, SK_KW_IDENTITIESONLY, SK_KW_KBDINTERACTIVEAUTHENTICATION,
    SK_KW_NOHOSTAUTHENTICATIONFORLOCALHOST, SK_KW_PASSWORDAUTHENTICATION,
    SK_KW_PERMITLOCALCOMMAND, SK_KW_PROXYUSEFDPASS, SK_KW_PUBKEYAUTHENTICATION,
    SK_KW_REQUESTTTY, SK_KW_SESSIONTYPE, SK_KW_STDINNULL, SK_KW_FORKAFTERAUTHENTICATION,
    SK_KW_STREAMLOCALBINDUNLINK, SK_KW_STRICTHOSTKEYCHECKING, SK_KW_TCPKEEPALIVE, SK_KW_TUNNEL,
    SK_KW_VERIFYHOSTKEYDNS, SK_KW_VISUALHOSTKEY, SK_KW_UPDATEHOSTKEYS,
    SK_KW_ENABLEESCAPECOMMANDLINE,
    SK_KW_CANONICALIZEMAXDOTS, SK_KW_CONNECTIONATTEMPTS, SK_KW_FORWARDX11TIMEOUT,
    SK_KW_NUMBEROFPASSWORDPROMPTS, SK_KW_SERVERALIVECOUNTMAX, SK_KW_SERVERALIVEINTERVAL,
    SK_KW_REQUIREDRSASIZE,
    SK_KW_BINDADDRESS, SK_KW_BINDINTERFACE, SK_KW_CIPHERS, SK_KW_CONTROLPATH,
    SK_KW_HOSTKEYALGORITHMS, SK_KW_HOSTKEYALIAS, SK_KW_HOSTBASEDACCEPTEDALGORITHMS,
    SK_KW_IDENTITYAGENT, SK_KW_IGNOREUNKNOWN, SK_KW_KBDINTERACTIVEDEVICES, SK_KW_KEXALGORITHMS,
    SK_KW_CASIGNATUREALGORITHMS, SK_KW_LOCALCOMMAND, SK_KW_REMOTECOMMAND, SK_KW_LOGLEVEL,
    SK_KW_MACS, SK_KW_PKCS11PROVIDER, SK_KW_SECURITYKEYPROVIDER, SK_KW_PREFERREDAUTHENTICATIONS,
    SK_KW_PUBKEYACCEPTEDALGORITHMS, SK_KW_REVOKEDHOSTKEYS, SK_KW_XAUTHLOCATION,
    SK_KW_KNOWNHOSTSCOMMAND,
    SK_KW_DYNAMICFORWARD, SK_KW_LOCALFORWARD, SK_KW_REMOTEFORWARD,
    SK_KW_IDENTITYFILE, SK_KW_CANONICALDOMAINS, SK_KW_CERTIFICATEFILE,
    SK_KW_GLOBALKNOWNHOSTSFILE, SK_KW_USERKNOWNHOSTSFILE, SK_KW_SENDENV, SK_KW_SETENV,
    SK_KW_LOGVERBOSE,
    SK_KW_PERMITREMOTEOPEN, SK_KW_ADDKEYSTOAGENT, SK_KW_FORWARDAGENT, SK_KW_CONNECTTIMEOUT,
    SK_KW_TUNNELDEVICE, SK_KW_CANONICALIZEPERMITTEDCNAMES, SK_KW_CONTROLPERSIST,
    SK_KW_ESCAPECHAR, SK_KW_IPQOS, SK_KW_REKEYLIMIT, SK_KW_STREAMLOCALBINDMASK,
    SK_KW_SYSLOGFACILITY, SK_KW_PROXYCOMMAND, SK_KW_PROXYJUMP,
};

struct text {
    char *p;
    size_t len, cap;
    int error;
};

static void add_line(struct text *t, const char *key, const char *value)
{
    size_t n = strlen(key) + strlen(value) + 2;
    if (t->error)
        return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = (t->len + n + 1) * 2;
        char *grown = realloc(t->p, cap);
        if (grown == NULL) {
            t->error = SSHKIT_E_NOMEM;
            return;
        }
        t->p = grown;
        t->cap = cap;
    }
    t->len += (size_t)snprintf(t->p + t->len, t->cap - t->len, "%s %s\n", key, value);
}

int sshkit_host_config_dump(const sshkit_host_config *hc, char **out)
{
    if (out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = NULL;
    if (hc == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    struct text t = { NULL, 0, 0, 0 };
    add_line(&t, "host", hc->host_arg);
    for (size_t i = 0; i < sizeof dump_order / sizeof dump_order[0]; i++) {
        int kw = dump_order[i];
        enum sk_cfg_kind k = sk_cfg_keywords[kw].kind;
        /* ssh prints this one with a capital P. */
        const char *name = kw == SK_KW_CANONICALIZEPERMITTEDCNAMES ? "canonicalizePermittedcnames"
                                                                   : sk_cfg_keywords[kw].name;
        /* ProxyJump, when set, is printed instead of ProxyCommand. */
        if (kw == SK_KW_PROXYCOMMAND && hc->text[SK_KW_PROXYJUMP] != NULL)
            continue;
        if (k == SK_KIND_PATH_ACCUM || k == SK_KIND_FORWARD || k == SK_KIND_SENDENV ||
            k == SK_KIND_SETENV) {
            for (size_t j = 0; j < hc->items[kw].count; j++)
                add_line(&t, name, hc->items[kw].items[j]);
        } else if (hc->text[kw] != NULL) {
            add_line(&t, name, hc->text[kw]);
        }
    }
    if (t.error) {
        free(t.p);
        return t.error;
    }
    *out = t.p ? t.p : strdup("");
    return *out ? 0 : SSHKIT_E_NOMEM;
}
