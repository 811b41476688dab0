/* sshkit_config: creation, settings, messages, and the command-line
 * options (ssh's -o), which are parsed as one-line files. */
#include "config/config_internal.h"

#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sshkit/error.h>

int sshkit_config_new(sshkit_config **out)
{
    if (out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = calloc(1, sizeof **out);
    if (*out == NULL)
        return SSHKIT_E_NOMEM;
    (*out)->cmdline = calloc(1, sizeof *(*out)->cmdline);
    if ((*out)->cmdline == NULL || ((*out)->cmdline->name = strdup("command-line")) == NULL) {
        sshkit_config_free(*out);
        *out = NULL;
        return SSHKIT_E_NOMEM;
    }
    (*out)->cmdline->user = true;
    char buf[4096];
    struct passwd pw, *found = NULL;
    if (getpwuid_r(getuid(), &pw, buf, sizeof buf, &found) == 0 && found && found->pw_dir)
        snprintf((*out)->pw_home, sizeof (*out)->pw_home, "%s", found->pw_dir);
    else
        snprintf((*out)->pw_home, sizeof (*out)->pw_home, "/");
    return 0;
}

void sk_cfg_file_free(struct sk_cfg_file *f)
{
    if (f == NULL)
        return;
    for (size_t i = 0; i < f->count; i++) {
        struct sk_cfg_line *line = &f->lines[i];
        sk_cfg_value_clear(&line->value);
        sk_cfg_list_clear(&line->patterns);
        for (size_t c = 0; c < line->ncriteria; c++) {
            free(line->criteria[c].arg);
            free(line->criteria[c].text);
        }
        free(line->criteria);
        for (size_t k = 0; k < line->nfiles; k++)
            sk_cfg_file_free(line->files[k]);
        free(line->files);
    }
    free(f->lines);
    free(f->name);
    free(f);
}

void sshkit_config_free(sshkit_config *cfg)
{
    if (cfg == NULL)
        return;
    sk_cfg_file_free(cfg->cmdline);
    for (size_t i = 0; i < cfg->nfiles; i++)
        sk_cfg_file_free(cfg->files[i]);
    free(cfg->files);
    free(cfg->home);
    free(cfg);
}

void sshkit_config_set_log(sshkit_config *cfg, sshkit_log_level level, sshkit_log_fn log,
                           void *user)
{
    if (cfg == NULL)
        return;
    cfg->log_level = level;
    cfg->log = log;
    cfg->log_user = user;
}

int sshkit_config_set_home(sshkit_config *cfg, const char *home)
{
    if (cfg == NULL || (home != NULL && home[0] != '/'))
        return SSHKIT_E_INVALID_ARGUMENT;
    char *copy = NULL;
    if (home != NULL && (copy = strdup(home)) == NULL)
        return SSHKIT_E_NOMEM;
    free(cfg->home);
    cfg->home = copy;
    return 0;
}

void sshkit_config_set_exec(sshkit_config *cfg, sshkit_config_exec_fn exec, void *user)
{
    if (cfg == NULL)
        return;
    cfg->exec = exec;
    cfg->exec_user = user;
}

const char *sshkit_config_last_error(const sshkit_config *cfg)
{
    return cfg ? cfg->error : "";
}

const char *sk_cfg_home(const sshkit_config *cfg)
{
    if (cfg->home)
        return cfg->home;
    const char *home = getenv("HOME");
    return home && home[0] == '/' ? home : cfg->pw_home;
}

void sk_cfg_log(const sshkit_config *cfg, sshkit_log_level level, const char *fmt, ...)
{
    if (cfg->log == NULL || level > cfg->log_level)
        return;
    char message[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    cfg->log(cfg->log_user, level, message);
}

void sk_cfg_set_error(sshkit_config *cfg, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cfg->error, sizeof cfg->error, fmt, ap);
    va_end(ap);
}

int sk_cfg_report(const struct sk_cfg_where *w, sshkit_log_level level, const char *fmt, ...)
{
    char message[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    sk_cfg_log(w->cfg, level, "%s", message);
    if (level == SSHKIT_LOG_ERROR && w->cfg->error[0] == '\0')
        sk_cfg_set_error(w->cfg, "%s", message);
    return SSHKIT_E_FORMAT;
}

int sshkit_config_add_option(sshkit_config *cfg, const char *line)
{
    if (cfg == NULL || line == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    cfg->error[0] = '\0';
    struct sk_cfg_loader ld = { .cfg = cfg, .flags = SSHKIT_CONFIG_USER };
    size_t before = cfg->cmdline->count;
    int rc = sk_cfg_parse_text(&ld, cfg->cmdline, line, strlen(line));
    if (rc == 0 && ld.errors == 0)
        return 0;
    /* A bad option adds nothing. */
    while (cfg->cmdline->count > before) {
        struct sk_cfg_line *l = &cfg->cmdline->lines[--cfg->cmdline->count];
        sk_cfg_value_clear(&l->value);
    }
    return rc < 0 ? rc : SSHKIT_E_FORMAT;
}
