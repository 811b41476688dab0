/* Resolving a configuration for a host: the passes over the command-line
 * options and the files (ssh's process_config_files), the host name in
 * between, then defaults, expansions and the -G texts. */
#include "config/config_internal.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sshkit/error.h>

int sk_cfg_local_init(struct sk_cfg_local *local)
{
    memset(local, 0, sizeof *local);
    char buf[4096];
    struct passwd pw, *found = NULL;
    if (getpwuid_r(getuid(), &pw, buf, sizeof buf, &found) == 0 && found)
        snprintf(local->user, sizeof local->user, "%s", found->pw_name);
    else
        snprintf(local->user, sizeof local->user, "%lu", (unsigned long)getuid());
    snprintf(local->uid, sizeof local->uid, "%lu", (unsigned long)getuid());
    if (gethostname(local->thishost, sizeof local->thishost - 1) != 0)
        snprintf(local->thishost, sizeof local->thishost, "localhost");
    snprintf(local->shorthost, sizeof local->shorthost, "%s", local->thishost);
    local->shorthost[strcspn(local->shorthost, ".")] = '\0';
    return 0;
}

/* Walks a file's lines; *active is the state of the block, as ssh's
 * activep: an Include reads its files with the includer's state, which
 * comes back after each; in a file included from a block that does not
 * apply, nothing applies (but "Match final" is still noted). */
static int walk(struct sk_cfg_pass *p, bool *set, const struct sk_cfg_file *f, bool *active,
                bool never)
{
    for (size_t i = 0; i < f->count; i++) {
        const struct sk_cfg_line *line = &f->lines[i];
        int rc = 0;
        switch (line->type) {
        case SK_LINE_HOST:
            *active = !never && sk_cfg_match_host(p, f, line);
            break;
        case SK_LINE_MATCH:
            if (never) {
                for (size_t c = 0; c < line->ncriteria; c++)
                    p->want_final |= line->criteria[c].attr == SK_MATCH_FINAL;
                *active = false;
            } else if ((rc = sk_cfg_match_line(p, f, line)) >= 0) {
                *active = rc == 1;
                rc = 0;
            }
            break;
        case SK_LINE_INCLUDE: {
            bool outer = *active;
            for (size_t k = 0; k < line->nfiles && rc == 0; k++) {
                rc = walk(p, set, line->files[k], active, never || !outer);
                *active = outer;
            }
            break;
        }
        case SK_LINE_SETTING:
            if (*active && !set[line->kw]) {
                set[line->kw] = true;
                p->hc->from_file[line->kw] = f->name;
                p->hc->from_line[line->kw] = line->lineno;
            }
            rc = sk_cfg_apply(p, f, line, *active);
            break;
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int run_pass(struct sk_cfg_pass *p, bool *set, bool with_cmdline)
{
    bool active = true;
    int rc = with_cmdline ? walk(p, set, p->cfg->cmdline, &active, false) : 0;
    for (size_t i = 0; i < p->cfg->nfiles && rc == 0; i++) {
        active = true;
        rc = walk(p, set, p->cfg->files[i], &active, false);
    }
    return rc;
}

/* The host to connect to after the first pass: Hostname with %h
 * expanded, or the argument; a name lowercased, an address in its
 * normal form. */
static int host_name(struct sk_cfg_pass *p, char **out)
{
    const struct sk_cfg_value *hn = &p->values[SK_KW_HOSTNAME];
    char err[128];
    struct sk_cfg_tokens t = { .host = p->original };
    int rc = (hn->has & SK_HAS_STR)
                 ? sk_cfg_expand(&t, SK_TOKENS_HOSTNAME, false, hn->str, out, err, sizeof err)
                 : ((*out = strdup(p->original)) ? 0 : SSHKIT_E_NOMEM);
    if (rc == SSHKIT_E_FORMAT)
        sk_cfg_set_error(p->cfg, "Hostname %s: %s", hn->str, err);
    if (rc != 0)
        return rc;
    unsigned char addr[16];
    char text[INET6_ADDRSTRLEN];
    int family = inet_pton(AF_INET, *out, addr) == 1 ? AF_INET
               : inet_pton(AF_INET6, *out, addr) == 1 ? AF_INET6 : 0;
    if (family != 0 && inet_ntop(family, addr, text, sizeof text) != NULL) {
        free(*out);
        return (*out = strdup(text)) ? 0 : SSHKIT_E_NOMEM;
    }
    for (char *c = *out; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return 0;
}

/* Both passes. A second one runs when a "Match final" was seen or
 * CanonicalizeHostname is on, with Hostname fixed to the name found. */
static int passes(sshkit_config *cfg, sshkit_host_config *hc)
{
    struct sk_cfg_pass p = { .cfg = cfg, .hc = hc, .values = hc->values, .local = &hc->local,
                             .host = hc->host_arg, .original = hc->host_arg };
    int rc = run_pass(&p, hc->set, true);
    if (rc == 0)
        rc = host_name(&p, &hc->hostname);
    if (rc != 0)
        return rc;
    const struct sk_cfg_value *canon = &hc->values[SK_KW_CANONICALIZEHOSTNAME];
    if (!p.want_final && !((canon->has & SK_HAS_NUM) && canon->num != 0))
        return 0;
    sk_cfg_log(cfg, SSHKIT_LOG_DEBUG, "re-parsing configuration");
    struct sk_cfg_value *hn = &hc->values[SK_KW_HOSTNAME];
    free(hn->str);
    if ((hn->str = strdup(hc->hostname)) == NULL)
        return SSHKIT_E_NOMEM;
    hn->has |= SK_HAS_STR;
    p.final = true;
    p.host = hc->hostname;
    return run_pass(&p, hc->set, false);
}

int sshkit_config_resolve(sshkit_config *cfg, const char *host, sshkit_host_config **out)
{
    if (out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = NULL;
    if (cfg == NULL || host == NULL || host[0] == '\0')
        return SSHKIT_E_INVALID_ARGUMENT;
    cfg->error[0] = '\0';
    sshkit_host_config *hc = calloc(1, sizeof *hc);
    if (hc == NULL)
        return SSHKIT_E_NOMEM;
    int rc = sk_cfg_local_init(&hc->local);
    if ((hc->host_arg = strdup(host)) == NULL || (hc->home = strdup(sk_cfg_home(cfg))) == NULL)
        rc = SSHKIT_E_NOMEM;
    if (rc == 0)
        rc = passes(cfg, hc);
    if (rc == 0)
        rc = sk_cfg_fill_defaults(cfg, hc);
    if (rc == 0)
        rc = sk_cfg_expand_values(cfg, hc);
    if (rc == 0)
        rc = sk_cfg_render(hc);
    if (rc != 0) {
        if (cfg->error[0] == '\0')
            sk_cfg_set_error(cfg, "%s", sshkit_strerror(rc));
        sshkit_host_config_free(hc);
        return rc;
    }
    *out = hc;
    return 0;
}

void sshkit_host_config_free(sshkit_host_config *hc)
{
    if (hc == NULL)
        return;
    for (int i = 0; i < SK_KW_COUNT; i++) {
        sk_cfg_value_clear(&hc->values[i]);
        free(hc->text[i]);
        sk_cfg_list_clear(&hc->items[i]);
    }
    free(hc->host_arg);
    free(hc->hostname);
    free(hc->port_text);
    free(hc->hash);
    free(hc->home);
    free(hc);
}
