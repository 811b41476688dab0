/* The arguments of a setting line, by the kind of its keyword: flags and
 * multi-state words, numbers, times, strings, commands, algorithm lists,
 * word lists, paths; the rest is in config_parse_special.c. Messages are
 * ssh's. */
#include "config/config_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sshkit/error.h>

#define MISSING "%.200s line %u: Missing argument."

static const char *first(const struct sk_cfg_list *args)
{
    return args->count > 0 ? args->items[0] : NULL;
}

static int set_num(struct sk_cfg_value *v, long long n)
{
    v->has |= SK_HAS_NUM;
    v->num = n;
    return 0;
}

static int set_str(struct sk_cfg_value *v, const char *s)
{
    if ((v->str = strdup(s)) == NULL)
        return SSHKIT_E_NOMEM;
    v->has |= SK_HAS_STR;
    return 0;
}

static int parse_choice(const struct sk_cfg_where *w, const struct sk_cfg_choice *table,
                        const char *arg, struct sk_cfg_value *v)
{
    if (arg == NULL || *arg == '\0')
        return sk_cfg_report(w, SSHKIT_LOG_ERROR, "%s line %u: missing argument.", w->file,
                             w->line);
    int value = sk_cfg_choice_value(table, arg);
    if (value < 0)
        return sk_cfg_report(w, SSHKIT_LOG_ERROR, "%s line %u: unsupported option \"%s\".",
                             w->file, w->line, arg);
    return set_num(v, value);
}

static int parse_int(const struct sk_cfg_where *w, const char *arg, struct sk_cfg_value *v)
{
    long long n = 0;
    const char *why = arg == NULL || *arg == '\0' ? "missing" : sk_cfg_int(arg, &n);
    if (why != NULL)
        return sk_cfg_report(w, SSHKIT_LOG_ERROR, "%s line %u: integer value %s.", w->file,
                             w->line, why);
    return set_num(v, n);
}

static int parse_time(const struct sk_cfg_where *w, const char *arg, struct sk_cfg_value *v)
{
    if (arg == NULL || *arg == '\0')
        return sk_cfg_report(w, SSHKIT_LOG_ERROR, "%s line %u: missing time value.", w->file,
                             w->line);
    if (strcmp(arg, "none") == 0)
        return 0;                               /* leaves the keyword unset */
    long long t = sk_cfg_time(arg);
    if (t < 0)
        return sk_cfg_report(w, SSHKIT_LOG_ERROR, "%s line %u: invalid time value.", w->file,
                             w->line);
    return set_num(v, t);
}

/* Names, comma-separated, none empty; a '-' list is not checked (ssh
 * neither). Which names sshkit implements is decided at resolution. */
static int parse_algs(const struct sk_cfg_where *w, int kw, const char *arg,
                      struct sk_cfg_value *v)
{
    if (arg == NULL || *arg == '\0')
        return sk_cfg_report(w, SSHKIT_LOG_ERROR, MISSING, w->file, w->line);
    const char *list = strchr("+^", *arg) ? arg + 1 : arg;
    bool ok = *arg == '-' || (*list != '\0' && list[strlen(list) - 1] != ',' &&
                              *list != ',' && strstr(list, ",,") == NULL);
    if (!ok) {
        const char *what = kw == SK_KW_CIPHERS ? "Bad SSH2 cipher spec"
                         : kw == SK_KW_MACS ? "Bad SSH2 MAC spec"
                         : kw == SK_KW_KEXALGORITHMS ? "Bad SSH2 KexAlgorithms"
                         : "Bad key types";
        return sk_cfg_report(w, SSHKIT_LOG_ERROR, "%.200s line %u: %s '%s'.", w->file, w->line,
                             what, arg);
    }
    return set_str(v, arg);
}

/* Words, "none" only alone (UserKnownHostsFile, LogVerbose...). */
static int parse_words(const struct sk_cfg_where *w, const struct sk_cfg_list *args,
                       struct sk_cfg_value *v)
{
    for (size_t i = 0; i < args->count; i++) {
        const char *arg = args->items[i];
        if (*arg == '\0')
            return sk_cfg_report(w, SSHKIT_LOG_ERROR, "%s line %u: keyword %s empty argument",
                                 w->file, w->line, w->keyword);
        if (strcasecmp(arg, "none") == 0 && args->count > 1)
            return sk_cfg_report(w, SSHKIT_LOG_ERROR, "%s line %u: keyword %s \"none\" argument "
                                 "must appear alone.", w->file, w->line, w->keyword);
        if (i >= SK_CFG_MAX_LIST)
            return sk_cfg_report(w, SSHKIT_LOG_ERROR, "%s line %u: too many %s entries.",
                                 w->file, w->line, w->keyword);
        if (sk_cfg_list_add(&v->list, arg) != 0)
            return SSHKIT_E_NOMEM;
    }
    v->has |= SK_HAS_LIST;
    return 0;
}

static int parse_env(const struct sk_cfg_where *w, bool setenv, const struct sk_cfg_list *args,
                     struct sk_cfg_value *v)
{
    for (size_t i = 0; i < args->count; i++) {
        const char *arg = args->items[i];
        bool has_equals = strchr(arg, '=') != NULL;
        if (setenv && !has_equals)
            return sk_cfg_report(w, SSHKIT_LOG_ERROR, "%s line %u: Invalid SetEnv.", w->file,
                                 w->line);
        if (!setenv && (*arg == '\0' || has_equals))
            return sk_cfg_report(w, SSHKIT_LOG_ERROR, "%s line %u: Invalid environment name.",
                                 w->file, w->line);
        if (sk_cfg_list_add(&v->list, arg) != 0)
            return SSHKIT_E_NOMEM;
    }
    v->has |= SK_HAS_LIST;
    return 0;
}

static int parse_forward(const struct sk_cfg_where *w, int kw, const struct sk_cfg_list *args,
                         size_t *used, struct sk_cfg_value *v)
{
    const char *arg = first(args);
    if (arg == NULL || *arg == '\0')
        return sk_cfg_report(w, SSHKIT_LOG_ERROR, MISSING, w->file, w->line);
    bool remote = kw == SK_KW_REMOTEFORWARD, dynamic = kw == SK_KW_DYNAMICFORWARD;
    char spec[256];
    *used = 1;
    if (!dynamic && args->count > 1 && args->items[1][0] != '\0') {
        snprintf(spec, sizeof spec, "%s:%s", arg, args->items[1]);
        *used = 2;
    } else if (!dynamic && !remote) {
        return sk_cfg_report(w, SSHKIT_LOG_ERROR, "%.200s line %u: Missing target argument.",
                             w->file, w->line);
    } else {
        dynamic = true;                         /* RemoteForward with one argument */
        snprintf(spec, sizeof spec, "%s", arg);
    }
    char *listen, *connect;
    if (!sk_cfg_forward(spec, dynamic, remote, &listen, &connect))
        return sk_cfg_report(w, SSHKIT_LOG_ERROR, "%.200s line %u: Bad forwarding "
                             "specification.", w->file, w->line);
    int rc = sk_cfg_list_add(&v->list, listen);
    if (rc == 0)
        rc = sk_cfg_list_add(&v->list2, connect);
    free(listen);
    free(connect);
    v->has |= SK_HAS_LIST;
    return rc;
}

int sk_cfg_parse_setting(const struct sk_cfg_where *w, int kw, const struct sk_cfg_list *args,
                         const char *rest, struct sk_cfg_value *v)
{
    const struct sk_cfg_keyword *k = &sk_cfg_keywords[kw];
    const char *arg = first(args);
    size_t used = 1;
    int rc;
    switch (k->kind) {
    case SK_KIND_FLAG: case SK_KIND_MULTI: rc = parse_choice(w, k->choices, arg, v); break;
    case SK_KIND_INT: rc = parse_int(w, arg, v); break;
    case SK_KIND_TIME: rc = parse_time(w, arg, v); break;
    case SK_KIND_STRING:
        if (arg == NULL || *arg == '\0')
            return sk_cfg_report(w, SSHKIT_LOG_ERROR, MISSING, w->file, w->line);
        rc = set_str(v, arg);
        break;
    case SK_KIND_PATH_ACCUM:
        if (arg == NULL || *arg == '\0')
            return sk_cfg_report(w, SSHKIT_LOG_ERROR, MISSING, w->file, w->line);
        rc = sk_cfg_list_add(&v->list, arg);
        v->has |= SK_HAS_LIST;
        break;
    case SK_KIND_COMMAND:
        rc = set_str(v, rest + strspn(rest, " \t\r\n="));
        used = args->count;
        break;
    case SK_KIND_ALGS: rc = parse_algs(w, kw, arg, v); break;
    case SK_KIND_WORDS: rc = parse_words(w, args, v); used = args->count; break;
    case SK_KIND_SENDENV: case SK_KIND_SETENV:
        rc = parse_env(w, k->kind == SK_KIND_SETENV, args, v);
        used = args->count;
        break;
    case SK_KIND_FORWARD: rc = parse_forward(w, kw, args, &used, v); break;
    case SK_KIND_JUMP:
        rest += strspn(rest, " \t\r\n=");
        if (!sk_cfg_jump_valid(rest))
            return sk_cfg_report(w, SSHKIT_LOG_ERROR, "%.200s line %u: Invalid ProxyJump \"%s\"",
                                 w->file, w->line, rest);
        rc = set_str(v, rest);
        used = args->count;
        break;
    default: rc = sk_cfg_parse_special(w, kw, args, &used, v); break;
    }
    if (rc == 0 && used < args->count)
        return sk_cfg_report(w, SSHKIT_LOG_ERROR, "%.200s line %u: keyword %s extra arguments at "
                             "end of line", w->file, w->line, w->keyword);
    return rc;
}
