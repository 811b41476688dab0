/* Host and Match lines: reading a Match line's criteria, and deciding, in
 * a pass, whether a block applies (OpenSSH's match_cfg_line semantics:
 * criteria are ANDed, '!' negates one, "all" must stand alone, exec runs
 * only while the earlier criteria hold, "canonical" and "final" hold only
 * in the second pass). */
#include "config/config_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sshkit/error.h>

#define ERR(...) sk_cfg_report(w, SSHKIT_LOG_ERROR, __VA_ARGS__)

static const struct {
    const char *name;
    enum sk_match_attr attr;
} attributes[] = {
    { "all", SK_MATCH_ALL }, { "canonical", SK_MATCH_CANONICAL }, { "final", SK_MATCH_FINAL },
    { "host", SK_MATCH_HOST }, { "originalhost", SK_MATCH_ORIGINALHOST },
    { "user", SK_MATCH_USER }, { "localuser", SK_MATCH_LOCALUSER }, { "exec", SK_MATCH_EXEC },
};

static int add_criterion(struct sk_cfg_line *line, enum sk_match_attr attr, bool negate,
                         const char *text, const char *arg)
{
    struct sk_cfg_criterion *grown =
        realloc(line->criteria, (line->ncriteria + 1) * sizeof *grown);
    if (grown == NULL)
        return SSHKIT_E_NOMEM;
    line->criteria = grown;
    struct sk_cfg_criterion *c = &line->criteria[line->ncriteria];
    c->attr = attr;
    c->negate = negate;
    c->text = strdup(text);
    c->arg = arg ? strdup(arg) : NULL;
    line->ncriteria++;
    return c->text == NULL || (arg && c->arg == NULL) ? SSHKIT_E_NOMEM : 0;
}

static int parse_criteria(const struct sk_cfg_where *w, char *cp, struct sk_cfg_line *line)
{
    int counted = 0;
    char *word;
    while ((word = sk_cfg_next_word(&cp)) != NULL && *word != '\0' && *word != '#') {
        bool negate = *word == '!';
        const char *name = word + negate;
        int found = -1;
        for (size_t i = 0; i < sizeof attributes / sizeof attributes[0]; i++)
            if (strcasecmp(name, attributes[i].name) == 0)
                found = (int)i;
        if (found < 0)
            return ERR("%s line %u: Unsupported Match attribute %s", w->file, w->line, name);
        enum sk_match_attr attr = attributes[found].attr;
        const char *arg = NULL;
        if (attr == SK_MATCH_ALL) {
            char *next = sk_cfg_next_word(&cp);
            if (counted > 1 || (next != NULL && *next != '\0' && *next != '#'))
                return ERR("%s line %u: '%s' cannot be combined with other Match attributes",
                           w->file, w->line, word);
            return add_criterion(line, attr, negate, word, NULL);
        }
        counted++;
        if (attr != SK_MATCH_CANONICAL && attr != SK_MATCH_FINAL) {
            arg = sk_cfg_next_word(&cp);
            if (arg == NULL || *arg == '\0' || *arg == '#')
                return ERR("%s line %u: Missing Match criteria for %s", w->file, w->line, name);
        }
        int rc = add_criterion(line, attr, negate, word, arg);
        if (rc != 0)
            return rc;
    }
    if (counted == 0)
        return ERR("%s line %u: One or more attributes required for Match", w->file, w->line);
    return 0;
}

int sk_cfg_parse_match(const struct sk_cfg_where *w, char *rest, struct sk_cfg_line *line)
{
    char *copy = strdup(rest);
    if (copy == NULL)
        return SSHKIT_E_NOMEM;
    line->type = SK_LINE_MATCH;
    int rc = parse_criteria(w, copy, line);
    free(copy);
    return rc;
}

int sk_cfg_match_host(struct sk_cfg_pass *p, const struct sk_cfg_file *f,
                      const struct sk_cfg_line *line)
{
    const char *matched = NULL;
    for (size_t i = 0; i < line->patterns.count; i++) {
        const char *pat = line->patterns.items[i];
        bool negated = *pat == '!';
        if (!sk_cfg_glob(p->host, pat + negated))
            continue;
        if (negated) {
            sk_cfg_log(p->cfg, SSHKIT_LOG_DEBUG, "%.200s line %u: Skipping Host block because of "
                       "negated match for %.100s", f->name, line->lineno, pat + 1);
            return 0;
        }
        if (matched == NULL)
            matched = pat;
    }
    if (matched)
        sk_cfg_log(p->cfg, SSHKIT_LOG_DEBUG, "%.200s line %u: Applying options for %.100s",
                   f->name, line->lineno, matched);
    return matched != NULL;
}
