/* The inside of sshkit_config and sshkit_host_config, and what the modules
 * of src/config share: the keyword table, the lexer, line parsing, the
 * passes over the files, matching, tokens, defaults and the ssh -G text.
 * The rules follow OpenSSH 9.2's readconf.c and ssh.c (learned from, not
 * copied); where they are quirky on purpose, the code says so. */
#ifndef SSHKIT_CONFIG_INTERNAL_H
#define SSHKIT_CONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sshkit/config.h>

#define SK_CFG_MAX_DEPTH 16             /* Include levels, as ssh */
#define SK_CFG_MAX_FILES 1024           /* files read for one load */
#define SK_CFG_MAX_SIZE (4u << 20)      /* bytes in one file */
#define SK_CFG_MAX_TOTAL (16u << 20)    /* bytes read for one load */
#define SK_CFG_MAX_ITEMS 100            /* IdentityFile, CertificateFile (ssh's limit) */
#define SK_CFG_MAX_LIST 32              /* known hosts files, domains, CNAME rules */
#define SK_CFG_MAX_ENV 1024             /* SendEnv and SetEnv entries */
#define SK_CFG_MAX_FORWARDS 1024        /* forwardings of one kind */
#define SK_CFG_ESCAPE_NONE (-2)         /* EscapeChar none */

#include "config/config_keywords.h"

/* ---- values (config_value.c) ---- */

struct sk_cfg_list {
    char **items;
    size_t count;
};

/* Which fields of a value are given. */
enum { SK_HAS_NUM = 1, SK_HAS_NUM2 = 2, SK_HAS_STR = 4, SK_HAS_LIST = 8 };

/* A value as one line gives it, and as resolution keeps it: each field is
 * given or not, and (for most keywords) the first line to give a field
 * sets it. Forwardings keep listen ends in list and connect ends in list2. */
struct sk_cfg_value {
    unsigned has;
    long long num, num2;
    char *str;
    struct sk_cfg_list list, list2;
};

int sk_cfg_list_add(struct sk_cfg_list *l, const char *item);
int sk_cfg_list_add_n(struct sk_cfg_list *l, const char *item, size_t len);
void sk_cfg_list_remove(struct sk_cfg_list *l, size_t index);
void sk_cfg_list_clear(struct sk_cfg_list *l);
int sk_cfg_list_copy(struct sk_cfg_list *dst, const struct sk_cfg_list *src);
int sk_cfg_value_copy(struct sk_cfg_value *dst, const struct sk_cfg_value *src);
void sk_cfg_value_clear(struct sk_cfg_value *v);
/* Joins the items with single spaces; "" for none. */
char *sk_cfg_list_join(const struct sk_cfg_list *l);

/* ---- lexing (config_lex.c) ---- */

/* Splits a line into its keyword and the rest, as ssh does: trailing
 * blanks dropped, "Key value", "Key=value" and "Key = value" all work.
 * *keyword is NULL for a blank or comment line; *rest may be "". */
void sk_cfg_split_line(char *line, char **keyword, char **rest);
/* ssh's argv_split: blank-separated words, single and double quotes,
 * backslash escapes of quotes, backslashes and (outside quotes) blanks; a
 * word starting with '#' ends the line. SSHKIT_E_FORMAT for an unclosed
 * quote, SSHKIT_E_NOMEM. */
int sk_cfg_split_args(const char *s, struct sk_cfg_list *out);
/* ssh's strdelim for Match lines: the next word (double quotes group,
 * one '=' separates); NULL at the end or for an unclosed quote. */
char *sk_cfg_next_word(char **s);

/* ---- loaded files (config_load.c) ---- */

enum sk_cfg_line_type { SK_LINE_SETTING, SK_LINE_HOST, SK_LINE_MATCH, SK_LINE_INCLUDE };

enum sk_match_attr {
    SK_MATCH_ALL, SK_MATCH_CANONICAL, SK_MATCH_FINAL, SK_MATCH_HOST, SK_MATCH_ORIGINALHOST,
    SK_MATCH_USER, SK_MATCH_LOCALUSER, SK_MATCH_EXEC
};

struct sk_cfg_criterion {
    enum sk_match_attr attr;
    bool negate;
    char *arg;              /* NULL for all, canonical, final */
    char *text;             /* as written, for debug lines */
};

struct sk_cfg_file;

struct sk_cfg_line {
    enum sk_cfg_line_type type;
    unsigned lineno;
    int kw;                             /* SETTING */
    struct sk_cfg_value value;          /* SETTING, parsed */
    struct sk_cfg_list patterns;        /* HOST */
    struct sk_cfg_criterion *criteria;  /* MATCH */
    size_t ncriteria;
    struct sk_cfg_file **files;         /* INCLUDE, in glob order */
    size_t nfiles;
};

struct sk_cfg_file {
    char *name;
    bool user;                          /* a user file: IdentityFile is "user provided" */
    struct sk_cfg_line *lines;
    size_t count, cap;
};

void sk_cfg_file_free(struct sk_cfg_file *f);

/* The state of one load: where messages go, how deep, what is open. */
struct sk_cfg_loader {
    sshkit_config *cfg;
    unsigned flags;
    size_t files_read;
    size_t bytes_read;
    size_t errors;
    unsigned depth;
    struct { unsigned long long dev, ino; } open[SK_CFG_MAX_DEPTH + 2];
};

/* Parses text into lines (file already created, name set). Every bad line
 * is reported and counted in ld->errors; returns 0, or a negative error
 * for what stops the load (SSHKIT_E_NOMEM, SSHKIT_E_TOO_LARGE). */
int sk_cfg_parse_text(struct sk_cfg_loader *ld, struct sk_cfg_file *f, const char *text,
                      size_t len);
/* Reads the files of an Include line into it. 0 or the number of errors
 * found (each reported), negative for SSHKIT_E_NOMEM. */
int sk_cfg_include(struct sk_cfg_loader *ld, struct sk_cfg_file *f, struct sk_cfg_line *line,
                   const struct sk_cfg_list *args);

/* ---- setting lines (config_parse.c, config_parse_special.c) ---- */

/* Where a line is, for messages. */
struct sk_cfg_where {
    sshkit_config *cfg;
    const char *file;
    unsigned line;
    const char *keyword;     /* as written, lowercased */
};

/* Parses a setting's arguments (args as split; rest as written after the
 * keyword) into v. 0, or SSHKIT_E_FORMAT after reporting, or
 * SSHKIT_E_NOMEM. */
int sk_cfg_parse_setting(const struct sk_cfg_where *w, int kw, const struct sk_cfg_list *args,
                         const char *rest, struct sk_cfg_value *v);
int sk_cfg_parse_special(const struct sk_cfg_where *w, int kw, const struct sk_cfg_list *args,
                         size_t *used, struct sk_cfg_value *v);
/* CanonicalDomains, CanonicalizePermittedCNAMEs, PermitRemoteOpen. */
int sk_cfg_parse_lists(const struct sk_cfg_where *w, int kw, const struct sk_cfg_list *args,
                       struct sk_cfg_value *v);
/* Parses a Match line's criteria. 0 or SSHKIT_E_FORMAT (reported). */
int sk_cfg_parse_match(const struct sk_cfg_where *w, char *rest, struct sk_cfg_line *line);

/* Reports a problem with a line at a level, formatted. Returns
 * SSHKIT_E_FORMAT for the caller's convenience. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int sk_cfg_report(const struct sk_cfg_where *w, sshkit_log_level level, const char *fmt, ...);

/* ---- values in text (config_values.c) ---- */

/* OpenSSH's a2port: 0..65535 or a service name; -1 when neither. */
int sk_cfg_port(const char *s);
/* OpenSSH's convtime: seconds, or -1. */
long long sk_cfg_time(const char *s);
/* A decimal int from 0 to INT_MAX (ssh's atoi_err): NULL, or why not
 * ("invalid", "too small", "too large"). */
const char *sk_cfg_int(const char *s, long long *out);
/* A size with an optional K/M/G suffix (ssh's scan_scaled); false when not one. */
bool sk_cfg_bytes(const char *s, long long *out);
/* TunnelDevice's "local[:remote]", each a number or "any". */
bool sk_cfg_tunnel_device(const char *s, long long *local, long long *remote);
/* A domain name as CanonicalDomains allows; lowercases it, drops a final
 * dot. NULL, or a message. */
const char *sk_cfg_valid_domain(char *name, char *msg, size_t msg_size);
/* A forwarding specification ("[listen_host:]port:host:hostport", paths)
 * into its two ends as ssh -G prints them; dynamic for DynamicForward,
 * remote for RemoteForward. false when malformed. */
bool sk_cfg_forward(const char *spec, bool dynamic, bool remote, char **listen, char **connect);
/* Whether a ProxyJump value parses ("none", or [user@]host[:port] and
 * ssh:// URIs, comma-separated). */
bool sk_cfg_jump_valid(const char *spec);
/* ssh -G's rendering of a ProxyJump value (malloc'd). */
char *sk_cfg_jump_format(const char *spec);
/* Whether an environment variable name is valid ([A-Za-z_][A-Za-z0-9_]*). */
bool sk_cfg_env_name(const char *s, size_t len);

/* ---- patterns (config_pattern.c) ---- */

/* ssh's match_pattern: '*' and '?' globs, case-sensitive. */
bool sk_cfg_glob(const char *s, const char *pattern);
/* ssh's match_pattern_list: 1 match, -1 negated match, 0 none. The
 * patterns are lowercased first when lower. */
int sk_cfg_pattern_list(const char *s, const char *list, bool lower);

/* ---- tokens (config_tokens.c) ---- */

/* The values the %-tokens stand for. */
struct sk_cfg_tokens {
    const char *host;           /* %h */
    const char *original;       /* %n */
    const char *port;           /* %p */
    const char *ruser;          /* %r */
    const char *luser;          /* %u */
    const char *home;           /* %d */
    const char *uid;            /* %i */
    const char *thishost;       /* %l */
    const char *shorthost;      /* %L */
    const char *keyalias;       /* %k */
    const char *hash;           /* %C */
};

/* Token sets, as ssh_config(5) names them for each keyword. */
#define SK_TOKENS_ALL "ChdhikLlnpru"
#define SK_TOKENS_HOSTNAME "h"
/* Expands %x (x in allowed, "%%" always) and, when dollar, ${VAR}.
 * SSHKIT_E_FORMAT with a message in err, or SSHKIT_E_NOMEM. */
int sk_cfg_expand(const struct sk_cfg_tokens *t, const char *allowed, bool dollar,
                  const char *in, char **out, char *err, size_t err_size);
/* A leading "~" or "~user" as ssh's tilde_expand; SSHKIT_E_FORMAT for an
 * unknown user. */
int sk_cfg_tilde(const char *home, const char *in, char **out);
/* %C: the hex SHA-1 of local host, host, port and user. */
int sk_cfg_conn_hash(const char *thishost, const char *host, const char *port,
                     const char *user, char out[41]);

/* ---- the configuration (config.c) ---- */

struct sshkit_config {
    struct sk_cfg_file *cmdline;        /* -o lines */
    struct sk_cfg_file **files;         /* top-level files, in order */
    size_t nfiles;
    char *home;                         /* set_home's, or NULL */
    char pw_home[512];                  /* the password database's, for when $HOME is unset */
    sshkit_log_level log_level;
    sshkit_log_fn log;
    void *log_user;
    sshkit_config_exec_fn exec;
    void *exec_user;
    char error[512];
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
void sk_cfg_log(const sshkit_config *cfg, sshkit_log_level level, const char *fmt, ...);
/* Sets the last error message, formatted. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void sk_cfg_set_error(sshkit_config *cfg, const char *fmt, ...);
/* The home directory in use (never NULL). */
const char *sk_cfg_home(const sshkit_config *cfg);
/* The default Match exec: $SHELL -c command. */
int sk_cfg_exec_default(void *user, const char *command);

/* ---- resolution (config_resolve.c, config_apply.c, config_match.c) ---- */

/* What the local side is: user, uid, host names. */
struct sk_cfg_local {
    char user[256];
    char uid[24];
    char thishost[256];
    char shorthost[256];
};

int sk_cfg_local_init(struct sk_cfg_local *local);

/* One pass over the options and files. */
struct sk_cfg_pass {
    sshkit_config *cfg;
    struct sshkit_host_config *hc;
    struct sk_cfg_value *values;        /* SK_KW_COUNT of them (hc's) */
    const struct sk_cfg_local *local;
    const char *host;                   /* Host patterns match this */
    const char *original;               /* the host argument */
    bool final;                         /* the second pass */
    bool want_final;                    /* a "Match final" was seen */
    int error;
};

/* Applies a setting line's value under ssh's rules for its keyword. */
int sk_cfg_apply(struct sk_cfg_pass *p, const struct sk_cfg_file *f,
                 const struct sk_cfg_line *line, bool active);
/* 1 when a Host line matches, else 0. */
int sk_cfg_match_host(struct sk_cfg_pass *p, const struct sk_cfg_file *f,
                      const struct sk_cfg_line *line);
/* 1/0 for a Match line, negative on a failed exec. */
int sk_cfg_match_line(struct sk_cfg_pass *p, const struct sk_cfg_file *f,
                      const struct sk_cfg_line *line);

struct sshkit_host_config {
    struct sk_cfg_value values[SK_KW_COUNT];
    bool set[SK_KW_COUNT];
    char *host_arg;
    char *hostname;
    char *port_text;
    char *hash;
    /* Where each keyword got its value; valid during resolution only. */
    const char *from_file[SK_KW_COUNT];
    unsigned from_line[SK_KW_COUNT];
    char *home;
    struct sk_cfg_local local;
    /* What ssh -G prints for each keyword: one text, or items. */
    char *text[SK_KW_COUNT];
    struct sk_cfg_list items[SK_KW_COUNT];
};

/* The token values of a resolved host. */
void sk_cfg_host_tokens(const sshkit_host_config *hc, struct sk_cfg_tokens *t);

/* ---- after the passes (config_defaults.c, config_finish.c) ---- */

/* Fills unset values with OpenSSH's (Debian's where they differ) defaults. */
int sk_cfg_fill_defaults(sshkit_config *cfg, sshkit_host_config *hc);
/* Expands what ssh expands before connecting. */
int sk_cfg_expand_values(sshkit_config *cfg, sshkit_host_config *hc);
/* Builds the -G texts of every keyword. */
int sk_cfg_render(sshkit_host_config *hc);

#endif
