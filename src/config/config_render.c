/* Each keyword's value as ssh -G prints it: flags as yes/no, multi-state
 * values by their first name, times in seconds, lists on one line (or
 * "none"), one item a line for the accumulating keywords. */
#include "config/config_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

/* ssh's vis(3) of the escape character. */
static void escape_text(long long c, char *buf, size_t size)
{
    if (c == SK_CFG_ESCAPE_NONE)
        snprintf(buf, size, "none");
    else if (c == '\\')
        snprintf(buf, size, "\\\\");
    else if (c < 32 || c == 127)
        snprintf(buf, size, "\\^%c", c == 127 ? '?' : (char)(c + 64));
    else if (c == ' ')
        snprintf(buf, size, "\\040");
    else if (c >= 128)
        snprintf(buf, size, "\\M-%c", (char)(c - 128 < 32 ? '?' : c - 128));
    else
        snprintf(buf, size, "%c", (char)c);
}

static const char *qos_name(long long v, char *buf, size_t size)
{
    const char *name = sk_cfg_choice_name(sk_cfg_ipqos_choices, (int)v);
    if (strcmp(name, "UNKNOWN") != 0)
        return name;
    snprintf(buf, size, "0x%02llx", v);
    return buf;
}

static const char *tun_text(long long id, char *buf, size_t size)
{
    if (id == SK_CFG_TUN_ANY)
        return "any";
    snprintf(buf, size, "%lld", id);
    return buf;
}

/* The one-line text of a keyword of a fixed-size kind, into buf. */
static const char *number_text(int kw, const struct sk_cfg_value *v, char *buf, size_t size)
{
    const struct sk_cfg_keyword *k = &sk_cfg_keywords[kw];
    char a[32], b[32];
    switch (k->kind) {
    case SK_KIND_FLAG: return v->num ? "yes" : "no";
    case SK_KIND_MULTI: case SK_KIND_LOGLEVEL: case SK_KIND_FACILITY: case SK_KIND_FPHASH:
        return sk_cfg_choice_name(k->choices, (int)v->num);
    case SK_KIND_TIME:
        if (v->num < 0)
            return "none";
        /* fall through */
    case SK_KIND_INT: case SK_KIND_PORT:
        snprintf(buf, size, "%lld", v->num);
        return buf;
    case SK_KIND_ESCAPECHAR: escape_text(v->num, buf, size); return buf;
    case SK_KIND_REKEYLIMIT: snprintf(buf, size, "%lld %lld", v->num, v->num2); return buf;
    case SK_KIND_PERSIST:
        if (v->num == 0 || v->num2 == 0)
            return v->num ? "yes" : "no";
        snprintf(buf, size, "%lld", v->num2);
        return buf;
    case SK_KIND_TUNNELDEVICE:
        snprintf(buf, size, "%s:%s", tun_text(v->num, a, sizeof a), tun_text(v->num2, b, sizeof b));
        return buf;
    case SK_KIND_IPQOS:
        snprintf(buf, size, "%s %s", qos_name(v->num, a, sizeof a), qos_name(v->num2, b, sizeof b));
        return buf;
    case SK_KIND_MASK: snprintf(buf, size, "0%llo", v->num); return buf;
    case SK_KIND_ADDKEYS: {
        static const char *const names[] = { "false", "true", "ask", "confirm" };
        if (v->num2 <= 0)
            return v->num >= 0 && v->num <= 3 ? names[v->num] : "UNKNOWN";
        snprintf(buf, size, "%s%lld", v->num == 3 ? "confirm " : "", v->num2);
        return buf;
    }
    case SK_KIND_FORWARDAGENT:
        return (v->has & SK_HAS_STR) ? v->str : v->num ? "yes" : "no";
    default: return NULL;
    }
}

static bool socks(const char *connect)
{
    return strncmp(connect, "[socks]:", 8) == 0;
}

static bool path_end(const char *end)
{
    return end[0] != '[' && strchr(end, '/') != NULL;
}

/* ssh -G shows a local forwarding under dynamicforward when its target is
 * SOCKS or a path, and under localforward when it is not SOCKS. */
static int forward_items(sshkit_host_config *hc, int kw)
{
    const struct sk_cfg_value *v = &hc->values[kw == SK_KW_REMOTEFORWARD ? kw
                                                                         : SK_KW_LOCALFORWARD];
    for (size_t i = 0; i < v->list.count; i++) {
        const char *l = v->list.items[i], *c = v->list2.items[i];
        bool show = kw == SK_KW_REMOTEFORWARD || (kw == SK_KW_DYNAMICFORWARD
                                                      ? socks(c) || path_end(c) : !socks(c));
        if (!show)
            continue;
        size_t n = strlen(l) + strlen(c) + 2;
        char *item = malloc(n);
        if (item == NULL)
            return SSHKIT_E_NOMEM;
        if (kw == SK_KW_DYNAMICFORWARD)
            snprintf(item, n, "%s", l);
        else
            snprintf(item, n, "%s %s", l, c);
        int rc = sk_cfg_list_add(&hc->items[kw], item);
        free(item);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* A list kind: its items, and the one-line text. */
static int list_text(sshkit_host_config *hc, int kw)
{
    const struct sk_cfg_value *v = &hc->values[kw];
    enum sk_cfg_kind kind = sk_cfg_keywords[kw].kind;
    int rc = kind == SK_KIND_FORWARD ? forward_items(hc, kw)
                                     : sk_cfg_list_copy(&hc->items[kw], &v->list);
    if (rc != 0)
        return rc;
    const struct sk_cfg_list *l = &hc->items[kw];
    if (kind == SK_KIND_PATH_ACCUM || kind == SK_KIND_FORWARD || kind == SK_KIND_SENDENV ||
        kind == SK_KIND_SETENV) {
        if (l->count > 0 && (hc->text[kw] = strdup(l->items[0])) == NULL)
            return SSHKIT_E_NOMEM;
        return 0;
    }
    if (l->count == 0)
        hc->text[kw] = strdup(kind == SK_KIND_REMOTEOPEN ? "any" : "none");
    else
        hc->text[kw] = sk_cfg_list_join(l);
    return hc->text[kw] ? 0 : SSHKIT_E_NOMEM;
}

int sk_cfg_render(sshkit_host_config *hc)
{
    for (int kw = 0; kw < SK_KW_COUNT; kw++) {
        const struct sk_cfg_value *v = &hc->values[kw];
        enum sk_cfg_kind kind = sk_cfg_keywords[kw].kind;
        char buf[64];
        const char *text = NULL;
        int rc = 0;
        switch (kind) {
        case SK_KIND_STRING: case SK_KIND_COMMAND: case SK_KIND_ALGS: case SK_KIND_AGENT:
            text = (v->has & SK_HAS_STR) ? v->str : NULL;
            break;
        case SK_KIND_JUMP:
            if (v->has & SK_HAS_STR) {
                if ((hc->text[kw] = sk_cfg_jump_format(v->str)) == NULL)
                    rc = SSHKIT_E_NOMEM;
            }
            break;
        case SK_KIND_WORDS: case SK_KIND_PATH_ACCUM: case SK_KIND_FORWARD: case SK_KIND_SENDENV:
        case SK_KIND_SETENV: case SK_KIND_DOMAINS: case SK_KIND_CNAMES: case SK_KIND_REMOTEOPEN:
            rc = list_text(hc, kw);
            break;
        default:
            text = number_text(kw, v, buf, sizeof buf);
        }
        if (kw == SK_KW_HOSTNAME)
            text = hc->hostname;
        if (rc == 0 && text != NULL && (hc->text[kw] = strdup(text)) == NULL)
            rc = SSHKIT_E_NOMEM;
        if (rc != 0)
            return rc;
    }
    return 0;
}
