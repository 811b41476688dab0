/* What config.c (lines, files) and config_keywords.c (one handler per
 * keyword) share. */
#ifndef SSHKIT_SSHD_CONFIG_INTERNAL_H
#define SSHKIT_SSHD_CONFIG_INTERNAL_H

#include "config.h"

/* Most words on one line. */
#define CONFIG_MAX_ARGS 64

/* Where a line came from, for messages. */
struct config_where {
    const char *source;         /* file name, or "command-line" */
    unsigned lineno;
    const char *keyword;        /* as written */
    config_report_fn report;
    void *ctx;
};

/* Reports "source: line N: message" (printf format). Returns -1. */
int config_error(const struct config_where *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A keyword's handler: argv holds the values (argc >= 1, checked). */
typedef int (*config_handler)(struct sshd_config *cfg, int argc, char **argv,
                              const struct config_where *w);

/* Keyword tables, each ending with a NULL name. */
struct config_keyword {
    const char *name;
    config_handler handler;
};
extern const struct config_keyword config_access_keywords[];   /* config_keywords.c */
extern const struct config_keyword config_session_keywords[];  /* config_keywords_session.c */

/* Helpers for handlers; each returns 0 or -1 (reported). The setters
 * keep a value already set (first wins) but check the new one. */
int config_only_one(int argc, const struct config_where *w);
int config_set_flag(int *field, int argc, char **argv, const struct config_where *w);
int config_set_string(char **field, bool *set, int argc, char **argv,
                      const struct config_where *w, bool none_ok);
int config_set_number(int *field, int argc, char **argv, const struct config_where *w, int min);
int config_set_time(int *field, int argc, char **argv, const struct config_where *w);

/* Appends a copy of s. Returns 0 or -1 (out of memory). */
int strv_add(struct strv *v, const char *s);
void strv_free(struct strv *v);

#endif
