/* Deciding a Match line in a pass: the host it compares is the Hostname
 * given so far (its %h expanded) or the host argument, and in the second
 * pass the final host name; the user is the User so far or the local one;
 * exec commands see the tokens with those values. */
#include "config/config_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

/* What the criteria compare, as the pass has it so far. */
struct match_ctx {
    char *host;
    char port[16];
    const char *ruser;
};

static int match_ctx_init(struct sk_cfg_pass *p, struct match_ctx *m)
{
    const struct sk_cfg_value *v = p->values;
    snprintf(m->port, sizeof m->port, "%lld",
             (v[SK_KW_PORT].has & SK_HAS_NUM) ? v[SK_KW_PORT].num : 22LL);
    m->ruser = (v[SK_KW_USER].has & SK_HAS_STR) ? v[SK_KW_USER].str : p->local->user;
    const char *hostname = (v[SK_KW_HOSTNAME].has & SK_HAS_STR) ? v[SK_KW_HOSTNAME].str : NULL;
    if (hostname == NULL || p->final) {
        m->host = strdup(hostname ? hostname : p->original);
        return m->host ? 0 : SSHKIT_E_NOMEM;
    }
    struct sk_cfg_tokens t = { .host = p->original };
    char err[128];
    int rc = sk_cfg_expand(&t, SK_TOKENS_HOSTNAME, false, hostname, &m->host, err, sizeof err);
    if (rc == SSHKIT_E_FORMAT)
        sk_cfg_set_error(p->cfg, "Hostname %s: %s", hostname, err);
    return rc;
}

static bool pattern(const char *s, const char *list, bool lower)
{
    char *copy = strdup(s);
    if (copy == NULL)
        return false;
    if (lower)
        for (char *c = copy; *c; c++)
            *c = (char)tolower((unsigned char)*c);
    bool hit = sk_cfg_pattern_list(copy, list, lower) == 1;
    free(copy);
    return hit;
}

/* Runs an exec criterion; 1 when the command exits 0, 0 when not,
 * negative when it could not run. */
static int run_exec(struct sk_cfg_pass *p, const struct sk_cfg_file *f,
                    const struct sk_cfg_line *line, const struct match_ctx *m, const char *arg)
{
    const struct sk_cfg_value *v = p->values;
    char hash[41], err[128], *cmd;
    int rc = sk_cfg_conn_hash(p->local->thishost, m->host, m->port, m->ruser, hash);
    if (rc != 0)
        return rc;
    struct sk_cfg_tokens t = {
        .host = m->host, .original = p->original, .port = m->port, .ruser = m->ruser,
        .luser = p->local->user, .home = sk_cfg_home(p->cfg), .uid = p->local->uid,
        .thishost = p->local->thishost, .shorthost = p->local->shorthost, .hash = hash,
        .keyalias = (v[SK_KW_HOSTKEYALIAS].has & SK_HAS_STR) ? v[SK_KW_HOSTKEYALIAS].str : m->host,
    };
    if ((rc = sk_cfg_expand(&t, SK_TOKENS_ALL, false, arg, &cmd, err, sizeof err)) != 0) {
        if (rc == SSHKIT_E_FORMAT)
            sk_cfg_set_error(p->cfg, "%.200s line %u: match exec '%.100s': %s", f->name,
                             line->lineno, arg, err);
        return rc;
    }
    sk_cfg_log(p->cfg, SSHKIT_LOG_DEBUG, "Executing command: '%.500s'", cmd);
    int status = p->cfg->exec ? p->cfg->exec(p->cfg->exec_user, cmd)
                              : sk_cfg_exec_default(NULL, cmd);
    if (status < 0)
        sk_cfg_set_error(p->cfg, "%.200s line %u: match exec '%.100s' error", f->name,
                         line->lineno, cmd);
    free(cmd);
    return status < 0 ? status : status == 0;
}

/* Whether one criterion holds (1/0), negative on error. */
static int criterion(struct sk_cfg_pass *p, const struct sk_cfg_file *f,
                     const struct sk_cfg_line *line, const struct match_ctx *m,
                     const struct sk_cfg_criterion *c, int result)
{
    switch (c->attr) {
    case SK_MATCH_CANONICAL: return p->final;
    case SK_MATCH_FINAL: p->want_final = true; return p->final;
    case SK_MATCH_HOST: return pattern(m->host, c->arg, true);
    case SK_MATCH_ORIGINALHOST: return pattern(p->original, c->arg, true);
    case SK_MATCH_USER: return pattern(m->ruser, c->arg, false);
    case SK_MATCH_LOCALUSER: return pattern(p->local->user, c->arg, false);
    case SK_MATCH_EXEC:
        if (result != 1) {                      /* an earlier criterion failed: skip it */
            sk_cfg_log(p->cfg, SSHKIT_LOG_DEBUG, "%.200s line %u: skipped exec \"%.100s\"",
                       f->name, line->lineno, c->arg);
            return !c->negate;                  /* changes nothing */
        }
        return run_exec(p, f, line, m, c->arg);
    default: return 1;
    }
}

int sk_cfg_match_line(struct sk_cfg_pass *p, const struct sk_cfg_file *f,
                      const struct sk_cfg_line *line)
{
    struct match_ctx m;
    int rc = match_ctx_init(p, &m);
    if (rc != 0)
        return rc;
    sk_cfg_log(p->cfg, SSHKIT_LOG_DEBUG, "checking match for line %u host %s originally %s",
               line->lineno, m.host, p->original);
    int result = 1;
    for (size_t i = 0; i < line->ncriteria; i++) {
        const struct sk_cfg_criterion *c = &line->criteria[i];
        if (c->attr == SK_MATCH_ALL) {
            if (result)
                result = c->negate ? 0 : 1;
            break;
        }
        int r = criterion(p, f, line, &m, c, result);
        if (r < 0) {
            free(m.host);
            return r;
        }
        bool held = (r != 0) != c->negate;
        if (!held)
            result = 0;
        sk_cfg_log(p->cfg, SSHKIT_LOG_DEBUG, "%.200s line %u: %smatched '%s%s%s'", f->name,
                   line->lineno, held ? "" : "not ", c->text, c->arg ? " " : "",
                   c->arg ? c->arg : "");
    }
    sk_cfg_log(p->cfg, SSHKIT_LOG_DEBUG, "match %sfound", result ? "" : "not ");
    free(m.host);
    return result;
}
