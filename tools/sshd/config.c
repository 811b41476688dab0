/* sshd_config lines and files: words, comments, "Keyword=value", quotes. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_internal.h"

int config_error(const struct config_where *w, const char *fmt, ...)
{
    char msg[1024];
    int n = w->lineno ? snprintf(msg, sizeof msg, "%s: line %u: ", w->source, w->lineno)
                      : snprintf(msg, sizeof msg, "%s: ", w->source);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
    va_end(ap);
    if (w->report)
        w->report(w->ctx, msg);
    return -1;
}

/* Splits buf in place into words: blanks separate them, double quotes
 * group (without the quotes), a word starting with '#' ends the line, and
 * the keyword may be followed by one '=' ("Port=22", "Port = 22").
 * Returns the count, or -1 for an unbalanced quote or too many words. */
static int split_words(char *buf, char **argv)
{
    int argc = 0;
    bool equals_seen = false;
    char *p = buf;
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        if (argc == 1 && !equals_seen && *p == '=') {
            equals_seen = true;
            p++;
            continue;
        }
        if (*p == '\0' || *p == '#')
            return argc;
        if (argc == CONFIG_MAX_ARGS)
            return -1;
        char *out = p, *start = p;
        bool quoted = false;
        while (*p && (quoted || !(isspace((unsigned char)*p) || (argc == 0 && *p == '=')))) {
            if (*p == '"')
                quoted = !quoted;
            else
                *out++ = *p;
            p++;
        }
        if (quoted)
            return -1;
        char sep = *p;
        if (sep != '\0')
            p++;
        *out = '\0';
        argv[argc++] = start;
        if (sep == '=')
            equals_seen = true;
    }
}

/* The handler for a keyword (case-insensitive), or NULL. */
static config_handler find_keyword(const char *keyword)
{
    const struct config_keyword *tables[] = { config_access_keywords, config_session_keywords };
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (const struct config_keyword *k = tables[t]; k->name; k++)
            if (strcasecmp(k->name, keyword) == 0)
                return k->handler;
    return NULL;
}

int config_parse_line(struct sshd_config *cfg, const char *line, const char *source,
                      unsigned lineno, config_report_fn report, void *ctx)
{
    struct config_where w = { .source = source, .lineno = lineno, .report = report, .ctx = ctx };
    char *buf = strdup(line), *argv[CONFIG_MAX_ARGS];
    if (buf == NULL)
        return config_error(&w, "out of memory");
    buf[strcspn(buf, "\r\n")] = '\0';
    int argc = split_words(buf, argv), rc = 0;
    if (argc < 0) {
        rc = config_error(&w, "invalid quotes or too many words");
    } else if (argc > 0) {
        w.keyword = argv[0];
        config_handler h = find_keyword(argv[0]);
        if (strcasecmp(argv[0], "Match") == 0 || strcasecmp(argv[0], "Include") == 0)
            rc = config_error(&w, "%s is not supported by sshkit-sshd", argv[0]);
        else if (h == NULL)
            rc = config_error(&w, "Bad configuration option: %s", argv[0]);
        else if (argc < 2)
            rc = config_error(&w, "%s missing argument.", argv[0]);
        else
            rc = h(cfg, argc - 1, argv + 1, &w);
    }
    free(buf);
    return rc;
}

int config_parse_file(struct sshd_config *cfg, const char *path, config_report_fn report,
                      void *ctx)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        struct config_where w = { .source = path, .report = report, .ctx = ctx };
        config_error(&w, "cannot open: No such file or directory");
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    unsigned lineno = 0;
    int bad = 0;
    while (getline(&line, &cap, f) > 0)
        if (config_parse_line(cfg, line, path, ++lineno, report, ctx) != 0)
            bad++;
    free(line);
    fclose(f);
    return bad;
}
