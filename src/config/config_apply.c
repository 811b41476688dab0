/* Applying a setting line in a pass, by OpenSSH's rules: for most
 * keywords the first value given wins (each part on its own: ForwardAgent's
 * yes/no and its socket, RekeyLimit's size and time); IdentityFile,
 * CertificateFile and the forwardings accumulate without duplicates;
 * SendEnv accumulates and "-pattern" removes; SetEnv is taken from its
 * first line; ProxyCommand and ProxyJump exclude each other. */
#include "config/config_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sshkit/error.h>

static bool listed(const struct sk_cfg_list *l, const char *item)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i], item) == 0)
            return true;
    return false;
}

static int first_wins(struct sk_cfg_value *out, const struct sk_cfg_value *in)
{
    if ((in->has & SK_HAS_NUM) && !(out->has & SK_HAS_NUM))
        out->num = in->num;
    if ((in->has & SK_HAS_NUM2) && !(out->has & SK_HAS_NUM2))
        out->num2 = in->num2;
    if ((in->has & SK_HAS_STR) && !(out->has & SK_HAS_STR) &&
        (out->str = strdup(in->str)) == NULL)
        return SSHKIT_E_NOMEM;
    if ((in->has & SK_HAS_LIST) && !(out->has & SK_HAS_LIST) &&
        (sk_cfg_list_copy(&out->list, &in->list) != 0 ||
         sk_cfg_list_copy(&out->list2, &in->list2) != 0))
        return SSHKIT_E_NOMEM;
    out->has |= in->has;
    return 0;
}

static int accumulate(struct sk_cfg_pass *p, const struct sk_cfg_file *f,
                      const struct sk_cfg_line *line, struct sk_cfg_value *out)
{
    const char *path = line->value.list.items[0];
    out->has |= SK_HAS_LIST;
    if (listed(&out->list, path))
        return 0;
    if (out->list.count >= SK_CFG_MAX_ITEMS) {
        sk_cfg_set_error(p->cfg, "%.200s line %u: Too many %s files specified (max %d).",
                         f->name, line->lineno,
                         line->kw == SK_KW_IDENTITYFILE ? "identity" : "certificate",
                         SK_CFG_MAX_ITEMS);
        return SSHKIT_E_TOO_LARGE;
    }
    return sk_cfg_list_add(&out->list, path);
}

static int forward(struct sk_cfg_pass *p, const struct sk_cfg_line *line,
                   struct sk_cfg_value *out)
{
    const char *listen = line->value.list.items[0], *connect = line->value.list2.items[0];
    out->has |= SK_HAS_LIST;
    for (size_t i = 0; i < out->list.count; i++)
        if (strcmp(out->list.items[i], listen) == 0 && strcmp(out->list2.items[i], connect) == 0)
            return 0;
    if (out->list.count >= SK_CFG_MAX_FORWARDS) {
        sk_cfg_set_error(p->cfg, "too many forwardings");
        return SSHKIT_E_TOO_LARGE;
    }
    if (sk_cfg_list_add(&out->list, listen) != 0 || sk_cfg_list_add(&out->list2, connect) != 0)
        return SSHKIT_E_NOMEM;
    return 0;
}

static int send_env(struct sk_cfg_pass *p, const struct sk_cfg_line *line,
                    struct sk_cfg_value *out)
{
    out->has |= SK_HAS_LIST;
    for (size_t i = 0; i < line->value.list.count; i++) {
        const char *name = line->value.list.items[i];
        if (name[0] == '-') {
            for (size_t k = 0; k < out->list.count;)
                if (sk_cfg_glob(out->list.items[k], name + 1))
                    sk_cfg_list_remove(&out->list, k);
                else
                    k++;
            continue;
        }
        if (out->list.count >= SK_CFG_MAX_ENV) {
            sk_cfg_set_error(p->cfg, "too many SendEnv entries");
            return SSHKIT_E_TOO_LARGE;
        }
        if (sk_cfg_list_add(&out->list, name) != 0)
            return SSHKIT_E_NOMEM;
    }
    return 0;
}

/* Whether NAME of "NAME=value" is in a list of such entries already. */
static bool env_listed(const struct sk_cfg_list *l, const char *entry)
{
    size_t n = strcspn(entry, "=");
    for (size_t i = 0; i < l->count; i++)
        if (strncmp(l->items[i], entry, n) == 0 && l->items[i][n] == '=')
            return true;
    return false;
}

static int set_env(const struct sk_cfg_line *line, struct sk_cfg_value *out)
{
    if (out->has & SK_HAS_LIST)
        return 0;
    out->has |= SK_HAS_LIST;
    for (size_t i = 0; i < line->value.list.count && i < SK_CFG_MAX_ENV; i++)
        if (!env_listed(&out->list, line->value.list.items[i]) &&
            sk_cfg_list_add(&out->list, line->value.list.items[i]) != 0)
            return SSHKIT_E_NOMEM;
    return 0;
}

/* ProxyJump sets ProxyCommand to "none" (cleared later); either one given
 * first keeps the other out. */
static int proxy(struct sk_cfg_pass *p, const struct sk_cfg_line *line)
{
    struct sk_cfg_value *cmd = &p->values[SK_KW_PROXYCOMMAND], *jump = &p->values[SK_KW_PROXYJUMP];
    if (line->kw == SK_KW_PROXYCOMMAND)
        return jump->has & SK_HAS_STR ? 0 : first_wins(cmd, &line->value);
    if ((cmd->has & SK_HAS_STR) || (jump->has & SK_HAS_STR))
        return 0;
    int rc = first_wins(jump, &line->value);
    if (rc == 0 && strcasecmp(line->value.str, "none") != 0) {
        if ((cmd->str = strdup("none")) == NULL)
            return SSHKIT_E_NOMEM;
        cmd->has |= SK_HAS_STR;
    }
    return rc;
}

int sk_cfg_apply(struct sk_cfg_pass *p, const struct sk_cfg_file *f,
                 const struct sk_cfg_line *line, bool active)
{
    int kw = line->kw;
    struct sk_cfg_value *out = &p->values[kw];
    /* ssh takes these from every line it reads, in a block that applies or not:
     * the mask from the last line, the facility from the first. */
    if (kw == SK_KW_STREAMLOCALBINDMASK) {
        out->num = line->value.num;
        out->has |= SK_HAS_NUM;
        return 0;
    }
    if (kw == SK_KW_SYSLOGFACILITY)
        return first_wins(out, &line->value);
    if (!active)
        return 0;
    /* ssh keeps only the first word of LogVerbose's first line (it checks
     * the list is empty before each word). */
    if (kw == SK_KW_LOGVERBOSE && !(out->has & SK_HAS_LIST)) {
        out->has |= SK_HAS_LIST;
        return sk_cfg_list_add(&out->list, line->value.list.items[0]);
    }
    switch (sk_cfg_keywords[kw].kind) {
    case SK_KIND_PATH_ACCUM: return accumulate(p, f, line, out);
    case SK_KIND_FORWARD:
        return forward(p, line, kw == SK_KW_DYNAMICFORWARD ? &p->values[SK_KW_LOCALFORWARD] : out);
    case SK_KIND_SENDENV: return send_env(p, line, out);
    case SK_KIND_SETENV: return set_env(line, out);
    default:
        if (kw == SK_KW_PROXYCOMMAND || kw == SK_KW_PROXYJUMP)
            return proxy(p, line);
        return first_wins(out, &line->value);
    }
}
