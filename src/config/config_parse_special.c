/* The keywords with a syntax of their own: Port, EscapeChar, RekeyLimit,
 * LogLevel, SyslogFacility, ControlPersist, TunnelDevice, IPQoS,
 * StreamLocalBindMask, FingerprintHash, AddKeysToAgent, IdentityAgent,
 * ForwardAgent, CanonicalDomains, CanonicalizePermittedCNAMEs,
 * PermitRemoteOpen. Messages are ssh's. */
#include "config/config_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sshkit/error.h>

#define ERR(...) sk_cfg_report(w, SSHKIT_LOG_ERROR, __VA_ARGS__)

static int nums(struct sk_cfg_value *v, long long a, unsigned has2, long long b)
{
    v->has |= SK_HAS_NUM | has2;
    v->num = a;
    v->num2 = b;
    return 0;
}

static int escape_char(const struct sk_cfg_where *w, const char *a, struct sk_cfg_value *v)
{
    if (strcmp(a, "none") == 0)
        return nums(v, SK_CFG_ESCAPE_NONE, 0, 0);
    if (a[1] == '\0')
        return nums(v, (unsigned char)a[0], 0, 0);
    if (a[0] == '^' && a[2] == '\0' && (unsigned char)a[1] >= 64 && (unsigned char)a[1] < 128)
        return nums(v, (unsigned char)a[1] & 31, 0, 0);
    return ERR("%.200s line %u: Bad escape character.", w->file, w->line);
}

static int rekey_limit(const struct sk_cfg_where *w, const struct sk_cfg_list *args,
                       size_t *used, struct sk_cfg_value *v)
{
    const char *a = args->items[0];
    long long bytes = 0;
    if (strcmp(a, "default") != 0) {
        if (!sk_cfg_bytes(a, &bytes))
            return ERR("%.200s line %u: Bad number '%s': Invalid argument", w->file, w->line, a);
        if (bytes != 0 && bytes < 16)
            return ERR("%.200s line %u: RekeyLimit too small", w->file, w->line);
    }
    nums(v, bytes, 0, 0);
    if (args->count < 2)
        return 0;
    *used = 2;
    const char *t = args->items[1];
    if (strcmp(t, "none") == 0)
        return 0;
    long long seconds = *t ? sk_cfg_time(t) : -1;
    if (seconds < 0)
        return ERR("%s line %u: invalid time value.", w->file, w->line);
    v->has |= SK_HAS_NUM2;
    v->num2 = seconds;
    return 0;
}

static int control_persist(const struct sk_cfg_where *w, const char *a, struct sk_cfg_value *v)
{
    if (strcmp(a, "no") == 0 || strcmp(a, "false") == 0)
        return nums(v, 0, SK_HAS_NUM2, 0);
    if (strcmp(a, "yes") == 0 || strcmp(a, "true") == 0)
        return nums(v, 1, SK_HAS_NUM2, 0);
    long long t = sk_cfg_time(a);
    if (t < 0)
        return ERR("%.200s line %u: Bad ControlPersist argument.", w->file, w->line);
    return nums(v, 1, SK_HAS_NUM2, t);
}

static int ipqos(const struct sk_cfg_where *w, const struct sk_cfg_list *args, size_t *used,
                 struct sk_cfg_value *v)
{
    long long q[2];
    *used = args->count > 1 ? 2 : 1;
    for (size_t i = 0; i < *used; i++) {
        const char *a = args->items[i];
        q[i] = sk_cfg_choice_value(sk_cfg_ipqos_choices, a);
        char *end;
        if (q[i] < 0 && *a != '\0') {
            q[i] = strtol(a, &end, 0);
            if (*end != '\0' || q[i] < 0 || q[i] > 255)
                q[i] = -1;
        }
        if (q[i] < 0)
            return ERR("%s line %u: Bad IPQoS value: %s", w->file, w->line, a);
    }
    return nums(v, q[0], SK_HAS_NUM2, *used > 1 ? q[1] : q[0]);
}

static int add_keys(const struct sk_cfg_where *w, const struct sk_cfg_list *args, size_t *used,
                    struct sk_cfg_value *v)
{
    static const struct sk_cfg_choice choices[] = {
        { "true", 1 }, { "false", 0 }, { "yes", 1 }, { "no", 0 }, { "ask", 2 }, { "confirm", 3 },
        { NULL, -1 }
    };
    const char *a = args->items[0], *a2 = args->count > 1 ? args->items[1] : NULL;
    int value = sk_cfg_choice_value(choices, a);
    long long life = 0;
    *used = a2 ? 2 : 1;
    if (value == 3 && a2 != NULL) {
        if ((life = sk_cfg_time(a2)) < 0)
            return ERR("%s line %u: invalid time value.", w->file, w->line);
    } else if (value == -1 && a2 == NULL) {
        if ((life = sk_cfg_time(a)) < 0)
            return ERR("%s line %u: unsupported option", w->file, w->line);
        value = 1;
    } else if (value == -1 || a2 != NULL) {
        return ERR("%s line %u: unsupported option", w->file, w->line);
    }
    return nums(v, value, SK_HAS_NUM2, life);
}

/* IdentityAgent and ForwardAgent's path: ${VAR} must be set now, a
 * "$NAME" must be a valid name. */
static int agent_path(const struct sk_cfg_where *w, const char *a, struct sk_cfg_value *v)
{
    char *expanded = NULL, err[256];
    if (sk_cfg_expand(NULL, NULL, true, a, &expanded, err, sizeof err) != 0)
        return ERR("%.200s line %u: Invalid environment expansion %s.", w->file, w->line, a);
    free(expanded);
    if (a[0] == '$' && a[1] != '{' && !sk_cfg_env_name(a + 1, strlen(a + 1)))
        return ERR("%.200s line %u: Invalid environment name %s.", w->file, w->line, a);
    if ((v->str = strdup(a)) == NULL)
        return SSHKIT_E_NOMEM;
    v->has |= SK_HAS_STR;
    return 0;
}

static int forward_agent(const struct sk_cfg_where *w, const char *a, struct sk_cfg_value *v)
{
    int flag = sk_cfg_choice_value(sk_cfg_flag_choices, a);
    if (flag >= 0)
        return nums(v, flag, 0, 0);
    nums(v, 1, 0, 0);                           /* a path: forwarding on, to that socket */
    return agent_path(w, a, v);
}

int sk_cfg_parse_special(const struct sk_cfg_where *w, int kw, const struct sk_cfg_list *args,
                         size_t *used, struct sk_cfg_value *v)
{
    const struct sk_cfg_keyword *k = &sk_cfg_keywords[kw];
    const char *a = args->count ? args->items[0] : NULL;
    if (k->kind == SK_KIND_DOMAINS || k->kind == SK_KIND_CNAMES || k->kind == SK_KIND_REMOTEOPEN) {
        *used = args->count;
        return sk_cfg_parse_lists(w, kw, args, v);
    }
    if (a == NULL || (*a == '\0' && k->kind != SK_KIND_IPQOS && k->kind != SK_KIND_ADDKEYS))
        return ERR(k->kind == SK_KIND_PERSIST ? "%.200s line %u: Missing ControlPersist argument."
                   : k->kind == SK_KIND_MASK ? "%.200s line %u: Missing StreamLocalBindMask "
                                               "argument."
                   : "%.200s line %u: Missing argument.", w->file, w->line);
    long long n, n2;
    switch (k->kind) {
    case SK_KIND_PORT:
        if ((n = sk_cfg_port(a)) <= 0)
            return ERR("%.200s line %u: Bad port '%s'.", w->file, w->line, a);
        return nums(v, n, 0, 0);
    case SK_KIND_ESCAPECHAR: return escape_char(w, a, v);
    case SK_KIND_REKEYLIMIT: return rekey_limit(w, args, used, v);
    case SK_KIND_LOGLEVEL: case SK_KIND_FACILITY:
        if ((n = sk_cfg_choice_value(k->choices, a)) < 0)
            return ERR(k->kind == SK_KIND_LOGLEVEL ? "%.200s line %u: unsupported log level '%s'"
                       : "%.200s line %u: unsupported log facility '%s'", w->file, w->line, a);
        return nums(v, n, 0, 0);
    case SK_KIND_PERSIST: return control_persist(w, a, v);
    case SK_KIND_TUNNELDEVICE:
        if (!sk_cfg_tunnel_device(a, &n, &n2))
            return ERR("%.200s line %u: Bad tun device.", w->file, w->line);
        return nums(v, n, SK_HAS_NUM2, n2);
    case SK_KIND_IPQOS: return ipqos(w, args, used, v);
    case SK_KIND_MASK: {
        char *end;
        n = strtol(a, &end, 8);
        if (end == a || n < 0 || n > 0777)
            return ERR("%.200s line %u: Bad mask.", w->file, w->line);
        return nums(v, n, 0, 0);
    }
    case SK_KIND_FPHASH:
        if ((n = sk_cfg_choice_value(k->choices, a)) < 0)
            return ERR("%.200s line %u: Invalid hash algorithm \"%s\".", w->file, w->line, a);
        return nums(v, n, 0, 0);
    case SK_KIND_ADDKEYS: return add_keys(w, args, used, v);
    case SK_KIND_AGENT: return agent_path(w, a, v);
    case SK_KIND_FORWARDAGENT: return forward_agent(w, a, v);
    default: return SSHKIT_E_INVALID_ARGUMENT;
    }
}
