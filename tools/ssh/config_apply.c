/* sshkit-ssh's configuration: the command line's options first (the -c,
 * -m, -4/-6, -t/-T, -N, -n, -v/-q flags, which ssh sets before anything,
 * then -o, -p, -l, -i in the order given, then user@), then -F's file or
 * ~/.ssh/config and /etc/ssh/ssh_config, resolved by the library as ssh
 * resolves them. The values sshkit-ssh acts on go through options_apply()
 * (options_keys.c); IdentityFile's defaults too, so that what -G prints
 * is what runs. HostName, AddressFamily, StdinNull, SessionType and
 * ProxyCommand are kept here. */
#include "config_apply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "options_values.h"
#include "ssh_client.h"

#define MAX_LINES 256

static struct {
    char *lines[MAX_LINES];     /* -o, -p, -l, -i as configuration lines */
    size_t count;
    const char *file;           /* -F */
    bool dump;                  /* -G */
    unsigned errors;
} cmd;

static _Noreturn void fail(void)
{
    exit(SSH_EXIT_FAILURE);
}

/* "Keyword "value"" with the value's '"' and '\' escaped (malloc'd). */
static char *quoted(const char *keyword, const char *value)
{
    size_t n = strlen(keyword) + 2 * strlen(value) + 4;
    char *line = malloc(n), *p = line;
    if (line == NULL)
        fail();
    p += snprintf(p, n, "%s \"", keyword);
    for (const char *v = value; *v; v++) {
        if (*v == '"' || *v == '\\')
            *p++ = '\\';
        *p++ = *v;
    }
    strcpy(p, "\"");
    return line;
}

static void keep(char *line)
{
    if (line == NULL || cmd.count == MAX_LINES) {
        fprintf(stderr, "ssh: too many options\n");
        fail();
    }
    cmd.lines[cmd.count++] = line;
}

void config_record(const char *line)
{
    keep(strdup(line));
}

void config_record_value(const char *keyword, const char *value)
{
    keep(quoted(keyword, value));
}

void config_set_file(const char *path)
{
    cmd.file = path;
}

const char *config_file(void)
{
    return cmd.file;
}

void config_request_dump(void)
{
    cmd.dump = true;
}

/* The library's lines on stderr by LogLevel, as ssh's error() and debug(). */
static void on_log(void *user, sshkit_log_level level, const char *message)
{
    (void)user;
    if (level == SSHKIT_LOG_ERROR)
        cmd.errors++;
    log_at(level == SSHKIT_LOG_ERROR ? SSH_LOG_ERROR
           : level == SSHKIT_LOG_INFO ? SSH_LOG_INFO : SSH_LOG_DEBUG1, "%s", message);
}

static void add(sshkit_config *cfg, const char *line)
{
    if (sshkit_config_add_option(cfg, line) != 0)
        fail();                 /* the message went through on_log */
}

static void add_value(sshkit_config *cfg, const char *keyword, const char *value)
{
    char *line = quoted(keyword, value);
    add(cfg, line);
    free(line);
}

/* What the flags set before any option: ssh sets these fields directly. */
static void add_flags(sshkit_config *cfg, const struct ssh_options *o)
{
    static const char *const levels[] = { "QUIET", "FATAL", "ERROR", "INFO", "VERBOSE",
                                          "DEBUG1", "DEBUG2", "DEBUG3" };
    static const char *const ttys[] = { "auto", "auto", "no", "yes", "force" };
    if (o->log_level_set)
        add_value(cfg, "LogLevel", levels[o->log_level]);
    if (o->family != AF_UNSPEC)
        add_value(cfg, "AddressFamily", o->family == AF_INET ? "inet" : "inet6");
    if (o->request_tty != SSH_TTY_UNSET)
        add_value(cfg, "RequestTTY", ttys[o->request_tty]);
    else if (o->no_command)
        add_value(cfg, "RequestTTY", "no");         /* ssh's -N sets both */
    if (o->no_command)
        add_value(cfg, "SessionType", "none");
    if (o->stdin_null)
        add_value(cfg, "StdinNull", "yes");
    if (o->algs[SSHKIT_ALG_CIPHER])
        add_value(cfg, "Ciphers", o->algs[SSHKIT_ALG_CIPHER]);
    if (o->algs[SSHKIT_ALG_MAC])
        add_value(cfg, "MACs", o->algs[SSHKIT_ALG_MAC]);
}

/* The command line, then the files. */
static sshkit_config *load(const struct ssh_options *o, const char *user)
{
    sshkit_config *cfg;
    if (sshkit_config_new(&cfg) != 0)
        fail();
    sshkit_config_set_home(cfg, value_home_dir());
    sshkit_config_set_log(cfg, SSHKIT_LOG_DEBUG, on_log, NULL);
    add_flags(cfg, o);
    for (size_t i = 0; i < cmd.count; i++)
        add(cfg, cmd.lines[i]);
    if (user)
        add_value(cfg, "User", user);
    int rc = 0;
    if (cmd.file == NULL)
        rc = sshkit_config_load_default(cfg);
    else if (strcasecmp(cmd.file, "none") != 0)
        rc = sshkit_config_load_file(cfg, cmd.file, SSHKIT_CONFIG_USER);
    if (rc == SSHKIT_E_FORMAT && cmd.errors > 0) {
        log_at(SSH_LOG_FATAL, "%s: terminating, %u bad configuration options",
               cmd.file ? cmd.file : "configuration", cmd.errors);
        fail();
    }
    if (rc != 0) {
        log_at(SSH_LOG_FATAL, "%s", sshkit_config_last_error(cfg));
        fail();
    }
    return cfg;
}

static void apply_line(struct ssh_options *o, const char *keyword, const char *value)
{
    size_t n = strlen(keyword) + strlen(value) + 2;
    char *line = malloc(n);
    if (line == NULL)
        fail();
    snprintf(line, n, "%s %s", keyword, value);
    bool ok = options_apply(o, line);
    free(line);
    if (!ok)
        fail();
}

/* IdentityFile: every file, given or default, expanded as ssh does when
 * it loads them. */
static void apply_identities(struct ssh_options *o, const sshkit_host_config *hc)
{
    for (size_t i = 0; i < sshkit_host_config_count(hc, "IdentityFile"); i++) {
        const char *path = sshkit_host_config_item(hc, "IdentityFile", i);
        char *expanded;
        if (sshkit_host_config_expand(hc, path, &expanded) != 0) {
            log_at(SSH_LOG_FATAL, "ssh: IdentityFile %s: cannot expand it", path);
            fail();
        }
        apply_line(o, "IdentityFile", expanded);
        sshkit_free(expanded, 0);
    }
}

/* ProxyCommand, its tokens expanded ("-", ssh's own stdio, is not done). */
static void apply_proxy(struct ssh_options *o, const sshkit_host_config *hc)
{
    bool fdpass = false;
    char *command = NULL;
    int rc = sshkit_host_config_proxy_command(hc, &command);
    if (rc == SSHKIT_E_NOT_FOUND)
        return;
    if (rc != 0) {
        log_at(SSH_LOG_FATAL, "ssh: ProxyCommand %s: %s", sshkit_host_config_get(hc, "ProxyCommand"),
               sshkit_strerror(rc));
        fail();
    }
    if (strcmp(command, "-") == 0)
        unsupported("ProxyCommand -");
    if (sshkit_host_config_flag(hc, "ProxyUseFdpass", &fdpass) == 0 && fdpass)
        unsupported("ProxyUseFdpass yes");
    free(o->proxy_command);
    if ((o->proxy_command = strdup(command)) == NULL)
        fail();
    sshkit_free(command, 0);
}

/* LocalForward (DynamicForward's single words come in its list too): the
 * library's "LISTEN CONNECT" joined with ':' as -L writes it. */
static void apply_forwards(struct ssh_options *o, const sshkit_host_config *hc)
{
    for (size_t i = 0; i < sshkit_host_config_count(hc, "LocalForward"); i++) {
        const char *item = sshkit_host_config_item(hc, "LocalForward", i);
        char joined[2048];
        snprintf(joined, sizeof joined, "%s", item);
        char *space = strchr(joined, ' ');
        if (space)
            *space = ':';
        if (!fwd_spec_add(o, joined, space ? 'L' : 'D')) {
            log_at(SSH_LOG_FATAL, "ssh: LocalForward %s: bad or too many forwardings", item);
            fail();
        }
    }
}

/* The keywords sshkit-ssh keeps outside options_keys.c. */
static void apply_own(struct ssh_options *o, const sshkit_host_config *hc)
{
    apply_proxy(o, hc);
    apply_forwards(o, hc);
    free(o->host);
    if ((o->host = strdup(sshkit_host_config_get(hc, "Hostname"))) == NULL)
        fail();
    const char *family = sshkit_host_config_get(hc, "AddressFamily");
    o->family = strcmp(family, "inet") == 0 ? AF_INET
              : strcmp(family, "inet6") == 0 ? AF_INET6 : AF_UNSPEC;
    bool flag;
    if (sshkit_host_config_flag(hc, "StdinNull", &flag) == 0 && flag)
        o->stdin_null = true;
    const char *session = sshkit_host_config_get(hc, "SessionType");
    if (strcmp(session, "none") == 0)
        o->no_command = true;
    else if (strcmp(session, "subsystem") == 0)
        unsupported("SessionType subsystem");
}

static void apply(struct ssh_options *o, const sshkit_host_config *hc)
{
    apply_own(o, hc);
    apply_identities(o, hc);
    for (size_t i = 0; sshkit_config_keyword(i) != NULL; i++) {
        const char *keyword = sshkit_config_keyword(i);
        const char *value = sshkit_host_config_get(hc, keyword);
        if (strcmp(keyword, "identityfile") == 0 || strcmp(keyword, "proxycommand") == 0 ||
            !sshkit_host_config_is_set(hc, keyword) || value == NULL)
            continue;
        if (!options_knows(keyword)) {
            log_at(SSH_LOG_DEBUG2, "sshkit-ssh does not act on %s", keyword);
            continue;
        }
        apply_line(o, keyword, value);
    }
}

void config_resolve(struct ssh_options *o)
{
    log_set_level(o->log_level);
    const char *at = strrchr(o->destination, '@');
    const char *host = at ? at + 1 : o->destination;
    if (at == o->destination) {
        fprintf(stderr, "ssh: empty user name in %s\n", o->destination);
        fail();
    }
    if (*host == '\0') {
        fprintf(stderr, "ssh: Could not resolve hostname : Name or service not known\n");
        fail();
    }
    char *user = at ? strndup(o->destination, (size_t)(at - o->destination)) : NULL;
    sshkit_config *cfg = load(o, user);
    free(user);
    sshkit_host_config *hc;
    if (sshkit_config_resolve(cfg, host, &hc) != 0) {
        log_at(SSH_LOG_FATAL, "%s", sshkit_config_last_error(cfg));
        fail();
    }
    sshkit_config_free(cfg);
    for (size_t i = 0; i < cmd.count; i++)
        free(cmd.lines[i]);
    cmd.count = 0;
    if (cmd.dump) {
        char *text;
        if (sshkit_host_config_dump(hc, &text) != 0)
            fail();
        fputs(text, stdout);
        exit(fflush(stdout) == 0 ? 0 : SSH_EXIT_FAILURE);
    }
    apply(o, hc);
    sshkit_host_config_free(hc);
}
