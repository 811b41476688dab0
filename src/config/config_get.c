/* Reading resolved options: typed getters, expansion with the host's
 * tokens, and the whole as ssh -G prints it. */
#include "config/config_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sshkit/error.h>

/* The keywords ssh -G prints one line per value for. */
static bool per_line(int kw)
{
    enum sk_cfg_kind k = sk_cfg_keywords[kw].kind;
    return k == SK_KIND_PATH_ACCUM || k == SK_KIND_FORWARD || k == SK_KIND_SENDENV ||
           k == SK_KIND_SETENV;
}

static bool is_list(int kw)
{
    enum sk_cfg_kind k = sk_cfg_keywords[kw].kind;
    return per_line(kw) || k == SK_KIND_WORDS || k == SK_KIND_DOMAINS || k == SK_KIND_CNAMES ||
           k == SK_KIND_REMOTEOPEN;
}

const char *sshkit_host_config_get(const sshkit_host_config *hc, const char *keyword)
{
    if (hc == NULL || keyword == NULL)
        return NULL;
    if (strcasecmp(keyword, "host") == 0)
        return hc->host_arg;
    int kw = sk_cfg_setting(keyword);
    return kw < 0 ? NULL : hc->text[kw];
}

size_t sshkit_host_config_count(const sshkit_host_config *hc, const char *keyword)
{
    int kw = hc ? sk_cfg_setting(keyword) : -1;
    if (kw < 0)
        return 0;
    return is_list(kw) ? hc->items[kw].count : hc->text[kw] != NULL;
}

const char *sshkit_host_config_item(const sshkit_host_config *hc, const char *keyword,
                                    size_t index)
{
    int kw = hc ? sk_cfg_setting(keyword) : -1;
    if (kw < 0)
        return NULL;
    if (is_list(kw))
        return index < hc->items[kw].count ? hc->items[kw].items[index] : NULL;
    return index == 0 ? hc->text[kw] : NULL;
}

int sshkit_host_config_flag(const sshkit_host_config *hc, const char *keyword, bool *value)
{
    int kw = hc && value ? sk_cfg_setting(keyword) : -1;
    if (kw < 0)
        return SSHKIT_E_INVALID_ARGUMENT;
    enum sk_cfg_kind k = sk_cfg_keywords[kw].kind;
    if (k != SK_KIND_FLAG && k != SK_KIND_MULTI && k != SK_KIND_FORWARDAGENT)
        return SSHKIT_E_INVALID_ARGUMENT;
    *value = hc->values[kw].num != 0;
    return 0;
}

int sshkit_host_config_number(const sshkit_host_config *hc, const char *keyword,
                              long long *value)
{
    int kw = hc && value ? sk_cfg_setting(keyword) : -1;
    if (kw < 0)
        return SSHKIT_E_INVALID_ARGUMENT;
    enum sk_cfg_kind k = sk_cfg_keywords[kw].kind;
    if (k != SK_KIND_INT && k != SK_KIND_TIME && k != SK_KIND_PORT && k != SK_KIND_REKEYLIMIT)
        return SSHKIT_E_INVALID_ARGUMENT;
    *value = hc->values[kw].num;
    return 0;
}

bool sshkit_host_config_is_set(const sshkit_host_config *hc, const char *keyword)
{
    int kw = hc ? sk_cfg_setting(keyword) : -1;
    return kw >= 0 && hc->set[kw];
}

int sshkit_host_config_expand(const sshkit_host_config *hc, const char *text, char **out)
{
    if (out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = NULL;
    if (hc == NULL || text == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    struct sk_cfg_tokens t;
    char *tilde = NULL, err[160];
    sk_cfg_host_tokens(hc, &t);
    int rc = sk_cfg_tilde(hc->home, text, &tilde);
    if (rc == 0)
        rc = sk_cfg_expand(&t, SK_TOKENS_ALL, true, tilde, out, err, sizeof err);
    free(tilde);
    return rc;
}

int sshkit_host_config_proxy_command(const sshkit_host_config *hc, char **out)
{
    if (out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = NULL;
    if (hc == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    const char *command = hc->text[SK_KW_PROXYCOMMAND];
    if (command == NULL || hc->text[SK_KW_PROXYJUMP] != NULL)
        return SSHKIT_E_NOT_FOUND;
    struct sk_cfg_tokens t;
    char err[160];
    sk_cfg_host_tokens(hc, &t);
    return sk_cfg_expand(&t, "hnpr", false, command, out, err, sizeof err);
}
