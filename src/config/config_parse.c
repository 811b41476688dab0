/* Configuration text into lines: each line's keyword looked up and its
 * arguments parsed and checked now, whichever block it is in, as ssh
 * checks every line of a file it reads. */
#include "config/config_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

/* A new line at the end of f (zeroed); NULL when out of memory. */
static struct sk_cfg_line *new_line(struct sk_cfg_file *f, unsigned lineno)
{
    if (f->count == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 16;
        struct sk_cfg_line *grown = realloc(f->lines, cap * sizeof *grown);
        if (grown == NULL)
            return NULL;
        f->lines = grown;
        f->cap = cap;
    }
    struct sk_cfg_line *line = &f->lines[f->count];
    memset(line, 0, sizeof *line);
    line->lineno = lineno;
    return line;
}

/* Whether the command line's IgnoreUnknown (given before) names word. */
static bool ignored_on_cmdline(const struct sk_cfg_file *f, const char *word)
{
    for (size_t i = 0; i < f->count; i++)
        if (f->lines[i].type == SK_LINE_SETTING && f->lines[i].kw == SK_KW_IGNOREUNKNOWN)
            return sk_cfg_pattern_list(word, f->lines[i].value.str, true) == 1;
    return false;
}

/* The words that are not settings: unknown, ignored, obsolete. */
static int other_word(struct sk_cfg_loader *ld, const struct sk_cfg_file *f,
                      const struct sk_cfg_where *w, int kw)
{
    bool cmdline = f == ld->cfg->cmdline;
    switch (kw) {
    case SK_KW_UNKNOWN:
        if (cmdline && !ignored_on_cmdline(f, w->keyword))
            return sk_cfg_report(w, SSHKIT_LOG_ERROR, "%s: line %u: Bad configuration option: %s",
                                 w->file, w->line, w->keyword);
        sk_cfg_log(ld->cfg, SSHKIT_LOG_DEBUG, "%s line %u: Ignored unknown option \"%s\"",
                   w->file, w->line, w->keyword);
        return 0;
    case SK_KW_DEPRECATED:
        sk_cfg_log(ld->cfg, SSHKIT_LOG_DEBUG, "%s line %u: Deprecated option \"%s\"", w->file,
                   w->line, w->keyword);
        return 0;
    case SK_KW_UNSUPPORTED:
        sk_cfg_log(ld->cfg, SSHKIT_LOG_INFO, "%s line %u: Unsupported option \"%s\"", w->file,
                   w->line, w->keyword);
        return 0;
    default:
        return 0;                               /* "protocol": silently */
    }
}

static int host_line(const struct sk_cfg_where *w, struct sk_cfg_line *line,
                     struct sk_cfg_list *args)
{
    for (size_t i = 0; i < args->count; i++)
        if (args->items[i][0] == '\0')
            return sk_cfg_report(w, SSHKIT_LOG_ERROR, "%s line %u: keyword %s empty argument",
                                 w->file, w->line, w->keyword);
    line->type = SK_LINE_HOST;
    line->patterns = *args;
    memset(args, 0, sizeof *args);
    return 0;
}

/* Parses the line at hand into a new line of f, when it is one to keep. */
static int structure_line(struct sk_cfg_loader *ld, struct sk_cfg_file *f,
                          const struct sk_cfg_where *w, int kw, char *rest,
                          struct sk_cfg_list *args)
{
    if (f == ld->cfg->cmdline)
        return sk_cfg_report(w, SSHKIT_LOG_ERROR, kw == SK_KW_INCLUDE
                             ? "Include directive not supported as a command-line option"
                             : "Host directive not supported as a command-line option");
    struct sk_cfg_line *line = new_line(f, w->line);
    if (line == NULL)
        return SSHKIT_E_NOMEM;
    int rc;
    if (kw == SK_KW_HOST)
        rc = host_line(w, line, args);
    else if (kw == SK_KW_MATCH)
        rc = sk_cfg_parse_match(w, rest, line);
    else
        rc = sk_cfg_include(ld, f, line, args);
    f->count++;                                 /* kept even when bad: the file is dropped */
    return rc > 0 ? SSHKIT_E_FORMAT : rc;
}

static int setting_line(struct sk_cfg_file *f, const struct sk_cfg_where *w, int kw,
                        const char *rest, const struct sk_cfg_list *args)
{
    struct sk_cfg_line *line = new_line(f, w->line);
    if (line == NULL)
        return SSHKIT_E_NOMEM;
    line->type = SK_LINE_SETTING;
    line->kw = kw;
    int rc = sk_cfg_parse_setting(w, kw, args, rest, &line->value);
    if (rc != 0) {
        sk_cfg_value_clear(&line->value);
        return rc;
    }
    f->count++;
    return 0;
}

static int parse_line(struct sk_cfg_loader *ld, struct sk_cfg_file *f, char *text,
                      unsigned lineno)
{
    char *keyword, *rest;
    sk_cfg_split_line(text, &keyword, &rest);
    if (keyword == NULL)
        return 0;
    for (char *c = keyword; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    struct sk_cfg_where w = { ld->cfg, f->name, lineno, keyword };
    if (*rest == '\0')
        return sk_cfg_report(&w, SSHKIT_LOG_ERROR, "%s line %u: no argument after keyword \"%s\"",
                             f->name, lineno, keyword);
    int kw = sk_cfg_lookup(keyword);
    if (kw < 0 && kw != SK_KW_HOST && kw != SK_KW_MATCH && kw != SK_KW_INCLUDE)
        return other_word(ld, f, &w, kw);
    struct sk_cfg_list args = { NULL, 0 };
    int rc = sk_cfg_split_args(rest, &args);
    if (rc == SSHKIT_E_FORMAT)
        return sk_cfg_report(&w, SSHKIT_LOG_ERROR, "%s line %u: invalid quotes", f->name, lineno);
    if (rc == 0)
        rc = kw >= 0 ? setting_line(f, &w, kw, rest, &args)
                     : structure_line(ld, f, &w, kw, rest, &args);
    sk_cfg_list_clear(&args);
    return rc;
}

int sk_cfg_parse_text(struct sk_cfg_loader *ld, struct sk_cfg_file *f, const char *text,
                      size_t len)
{
    bool cmdline = f == ld->cfg->cmdline;
    unsigned lineno = 0;
    size_t pos = 0;
    while (pos < len) {
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        char *line = malloc(end - pos + 1);
        if (line == NULL)
            return SSHKIT_E_NOMEM;
        memcpy(line, text + pos, end - pos);
        line[end - pos] = '\0';             /* a NUL inside ends the line, as with ssh */
        lineno++;
        int rc = parse_line(ld, f, line, cmdline ? 0 : lineno);
        free(line);
        if (rc == SSHKIT_E_FORMAT)
            ld->errors++;
        else if (rc < 0)
            return rc;
        pos = end + 1;
    }
    return 0;
}
