/* What ssh expands before it connects (and before ssh -G prints):
 * HostKeyAlias lowercased; RemoteCommand's tokens; ControlPath,
 * IdentityAgent, ForwardAgent's socket and UserKnownHostsFile with '~',
 * tokens and ${VAR}; "none" known hosts files dropped; forwarding socket
 * paths' tokens. IdentityFile and CertificateFile stay as written (ssh
 * expands them when it loads keys; sshkit_host_config_expand does). */
#include "config/config_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sshkit/error.h>

void sk_cfg_host_tokens(const sshkit_host_config *hc, struct sk_cfg_tokens *t)
{
    const struct sk_cfg_value *v = hc->values;
    memset(t, 0, sizeof *t);
    t->host = hc->hostname;
    t->original = hc->host_arg;
    t->port = hc->port_text;
    t->ruser = v[SK_KW_USER].str;
    t->luser = hc->local.user;
    t->home = hc->home;
    t->uid = hc->local.uid;
    t->thishost = hc->local.thishost;
    t->shorthost = hc->local.shorthost;
    t->keyalias = (v[SK_KW_HOSTKEYALIAS].has & SK_HAS_STR) ? v[SK_KW_HOSTKEYALIAS].str
                                                             : hc->host_arg;
    t->hash = hc->hash;
}

/* Replaces *s by its expansion: '~' when tilde, then tokens (and ${VAR}
 * when dollar). */
static int expand_in_place(sshkit_config *cfg, const sshkit_host_config *hc, const char *what,
                           char **s, bool tilde, bool dollar)
{
    struct sk_cfg_tokens t;
    char *step = NULL, *done = NULL, err[160];
    sk_cfg_host_tokens(hc, &t);
    int rc = tilde ? sk_cfg_tilde(hc->home, *s, &step) : ((step = strdup(*s)) ? 0 : SSHKIT_E_NOMEM);
    if (rc == SSHKIT_E_FORMAT)
        snprintf(err, sizeof err, "unknown user in %s", *s);
    if (rc == 0)
        rc = sk_cfg_expand(&t, SK_TOKENS_ALL, dollar, step, &done, err, sizeof err);
    free(step);
    if (rc == SSHKIT_E_FORMAT)
        sk_cfg_set_error(cfg, "%s %s: %s", what, *s, err);
    if (rc != 0)
        return rc;
    free(*s);
    *s = done;
    return 0;
}

/* A forwarding end that is a socket path (not "PORT" or "[HOST]:PORT"). */
static bool is_path(const char *end)
{
    return end[0] != '[' && strchr(end, '/') != NULL;
}

static int expand_forwards(sshkit_config *cfg, sshkit_host_config *hc, int kw)
{
    struct sk_cfg_value *v = &hc->values[kw];
    for (size_t i = 0; i < v->list.count; i++) {
        int rc = 0;
        if (is_path(v->list.items[i]))
            rc = expand_in_place(cfg, hc, sk_cfg_keywords[kw].name, &v->list.items[i], false,
                                 false);
        if (rc == 0 && is_path(v->list2.items[i]))
            rc = expand_in_place(cfg, hc, sk_cfg_keywords[kw].name, &v->list2.items[i], false,
                                 false);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int expand_known_hosts(sshkit_config *cfg, sshkit_host_config *hc, int kw, bool expand)
{
    struct sk_cfg_list *l = &hc->values[kw].list;
    if (l->count == 1 && strcasecmp(l->items[0], "none") == 0) {
        sk_cfg_list_clear(l);
        return 0;
    }
    for (size_t i = 0; expand && i < l->count; i++) {
        int rc = expand_in_place(cfg, hc, "UserKnownHostsFile", &l->items[i], true, true);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int token_context(sshkit_host_config *hc)
{
    char port[16], hash[41];
    snprintf(port, sizeof port, "%lld", hc->values[SK_KW_PORT].num);
    if ((hc->port_text = strdup(port)) == NULL)
        return SSHKIT_E_NOMEM;
    int rc = sk_cfg_conn_hash(hc->local.thishost, hc->hostname, port, hc->values[SK_KW_USER].str,
                              hash);
    if (rc == 0 && (hc->hash = strdup(hash)) == NULL)
        rc = SSHKIT_E_NOMEM;
    return rc;
}

int sk_cfg_expand_values(sshkit_config *cfg, sshkit_host_config *hc)
{
    struct sk_cfg_value *v = hc->values;
    if (v[SK_KW_HOSTKEYALIAS].has & SK_HAS_STR)
        for (char *c = v[SK_KW_HOSTKEYALIAS].str; *c; c++)
            *c = (char)tolower((unsigned char)*c);
    int rc = token_context(hc);
    if (rc == 0 && (v[SK_KW_REMOTECOMMAND].has & SK_HAS_STR))
        rc = expand_in_place(cfg, hc, "RemoteCommand", &v[SK_KW_REMOTECOMMAND].str, false, false);
    static const int paths[] = { SK_KW_CONTROLPATH, SK_KW_IDENTITYAGENT, SK_KW_FORWARDAGENT };
    for (size_t i = 0; rc == 0 && i < sizeof paths / sizeof paths[0]; i++)
        if (v[paths[i]].has & SK_HAS_STR)
            rc = expand_in_place(cfg, hc, sk_cfg_keywords[paths[i]].name, &v[paths[i]].str,
                                 true, true);
    if (rc == 0)
        rc = expand_known_hosts(cfg, hc, SK_KW_GLOBALKNOWNHOSTSFILE, false);
    if (rc == 0)
        rc = expand_known_hosts(cfg, hc, SK_KW_USERKNOWNHOSTSFILE, true);
    if (rc == 0)
        rc = expand_forwards(cfg, hc, SK_KW_LOCALFORWARD);
    if (rc == 0)
        rc = expand_forwards(cfg, hc, SK_KW_REMOTEFORWARD);
    return rc;
}
