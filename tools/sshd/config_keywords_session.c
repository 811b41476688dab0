/* sshd_config keywords about what a connection gets: algorithms, limits,
 * logging, and the settings the connection layer will use (Subsystem,
 * ForceCommand, ChrootDirectory, forwarding). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_internal.h"

/* Checks a list against sshkit's algorithms on a scratch session. */
static bool algorithms_ok(sshkit_algorithm_kind kind, const char *list)
{
    sshkit_session *s;
    if (sshkit_session_new(SSHKIT_ROLE_SERVER, &s) != 0)
        return false;
    bool ok = sshkit_session_set_algorithms(s, kind, list) == 0;
    sshkit_session_free(s);
    return ok;
}

static int set_algorithms(struct sshd_config *c, sshkit_algorithm_kind kind, const char *what,
                          int argc, char **argv, const struct config_where *w)
{
    if (config_only_one(argc, w) < 0)
        return -1;
    if (!algorithms_ok(kind, argv[0]))
        return config_error(w, "Bad SSH2 %s spec '%s'.", what, argv[0]);
    if (c->algorithms[kind] == NULL && (c->algorithms[kind] = strdup(argv[0])) == NULL)
        return config_error(w, "out of memory");
    return 0;
}

static int kw_ciphers(struct sshd_config *c, int argc, char **argv, const struct config_where *w)
{
    return set_algorithms(c, SSHKIT_ALG_CIPHER, "cipher", argc, argv, w);
}

static int kw_macs(struct sshd_config *c, int argc, char **argv, const struct config_where *w)
{
    return set_algorithms(c, SSHKIT_ALG_MAC, "mac", argc, argv, w);
}

static int kw_kex(struct sshd_config *c, int argc, char **argv, const struct config_where *w)
{
    return set_algorithms(c, SSHKIT_ALG_KEX, "KexAlgorithms", argc, argv, w);
}

static int kw_hostkey_algs(struct sshd_config *c, int argc, char **argv,
                           const struct config_where *w)
{
    return set_algorithms(c, SSHKIT_ALG_HOSTKEY, "HostKeyAlgorithms", argc, argv, w);
}

/* Compression yes|delayed|no. As sshd: "yes" (the default) and its legacy
 * synonym "delayed" offer zlib@openssh.com, which starts after
 * authentication; pre-authentication "zlib" is never offered. */
static int kw_compression(struct sshd_config *c, int argc, char **argv,
                          const struct config_where *w)
{
    if (config_only_one(argc, w) < 0)
        return -1;
    const char *list = strcasecmp(argv[0], "no") == 0 ? "none"
                       : strcasecmp(argv[0], "yes") == 0 || strcasecmp(argv[0], "delayed") == 0
                           ? "none,zlib@openssh.com"
                           : NULL;
    if (list == NULL)
        return config_error(w, "unsupported option \"%s\".", argv[0]);
    if (c->algorithms[SSHKIT_ALG_COMPRESSION] == NULL &&
        (c->algorithms[SSHKIT_ALG_COMPRESSION] = strdup(list)) == NULL)
        return config_error(w, "out of memory");
    return 0;
}

static int kw_max_auth_tries(struct sshd_config *c, int argc, char **argv,
                             const struct config_where *w)
{
    return config_set_number(&c->max_auth_tries, argc, argv, w, 1);
}

static int kw_max_sessions(struct sshd_config *c, int argc, char **argv,
                           const struct config_where *w)
{
    return config_set_number(&c->max_sessions, argc, argv, w, 0);
}

static int kw_login_grace(struct sshd_config *c, int argc, char **argv,
                          const struct config_where *w)
{
    return config_set_time(&c->login_grace, argc, argv, w);
}

static int kw_client_alive(struct sshd_config *c, int argc, char **argv,
                           const struct config_where *w)
{
    return config_set_time(&c->client_alive_interval, argc, argv, w);
}

static int kw_max_startups(struct sshd_config *c, int argc, char **argv,
                           const struct config_where *w)
{
    int b, r, f;
    if (config_only_one(argc, w) < 0)
        return -1;
    if (config_parse_max_startups(argv[0], &b, &r, &f) < 0)
        return config_error(w, "Invalid MaxStartups spec \"%s\".", argv[0]);
    if (c->max_startups_begin == SSHD_UNSET) {
        c->max_startups_begin = b;
        c->max_startups_rate = r;
        c->max_startups_full = f;
    }
    return 0;
}

static int kw_log_level(struct sshd_config *c, int argc, char **argv, const struct config_where *w)
{
    int level = config_parse_log_level(argv[0]);
    if (config_only_one(argc, w) < 0)
        return -1;
    if (level < 0)
        return config_error(w, "unsupported log level '%s'", argv[0]);
    if (c->log_level == SSHD_UNSET)
        c->log_level = level;
    return 0;
}

/* RekeyLimit bytes|default [seconds|none]. */
static int kw_rekey_limit(struct sshd_config *c, int argc, char **argv,
                          const struct config_where *w)
{
    int64_t bytes = 0, seconds = 0;
    if (argc > 2)
        return config_error(w, "RekeyLimit: garbage at end of line");
    if (strcasecmp(argv[0], "default") != 0 &&
        ((bytes = config_parse_size(argv[0])) < 16 || bytes > UINT32_MAX * (int64_t)4))
        return config_error(w, "RekeyLimit: invalid size \"%s\".", argv[0]);
    if (argc == 2 && strcasecmp(argv[1], "none") != 0 && strcasecmp(argv[1], "default") != 0 &&
        (seconds = config_parse_time(argv[1])) < 0)
        return config_error(w, "RekeyLimit: invalid time value \"%s\".", argv[1]);
    if (c->rekey_bytes == SSHD_UNSET) {
        c->rekey_bytes = bytes;
        c->rekey_seconds = seconds;
    }
    return 0;
}

/* The words from argv on, joined by single blanks. */
static char *join_words(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *s = calloc(1, len);
    for (int i = 0; s && i < argc; i++) {
        if (i)
            strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

static int kw_subsystem(struct sshd_config *c, int argc, char **argv,
                        const struct config_where *w)
{
    if (argc < 2)
        return config_error(w, "Subsystem missing argument.");
    for (size_t i = 0; i < c->subsystem_count; i++)
        if (strcmp(c->subsystems[i].name, argv[0]) == 0)
            return config_error(w, "Subsystem '%s' already defined.", argv[0]);
    struct subsystem *grown = realloc(c->subsystems, (c->subsystem_count + 1) * sizeof *grown);
    if (grown == NULL)
        return config_error(w, "out of memory");
    c->subsystems = grown;
    struct subsystem *sub = &c->subsystems[c->subsystem_count];
    sub->name = strdup(argv[0]);
    sub->command = join_words(argc - 1, argv + 1);
    if (sub->name == NULL || sub->command == NULL) {
        free(sub->name);
        free(sub->command);
        return config_error(w, "out of memory");
    }
    c->subsystem_count++;
    return 0;
}

static int kw_force_command(struct sshd_config *c, int argc, char **argv,
                            const struct config_where *w)
{
    if (c->force_command_set)
        return 0;
    c->force_command_set = true;
    if (argc == 1 && strcasecmp(argv[0], "none") == 0)
        return 0;
    c->force_command = join_words(argc, argv);
    return c->force_command ? 0 : config_error(w, "out of memory");
}

static int kw_banner(struct sshd_config *c, int argc, char **argv, const struct config_where *w)
{
    return config_set_string(&c->banner, &c->banner_set, argc, argv, w, true);
}

static int kw_pid_file(struct sshd_config *c, int argc, char **argv, const struct config_where *w)
{
    return config_set_string(&c->pid_file, &c->pid_file_set, argc, argv, w, true);
}

static int kw_chroot(struct sshd_config *c, int argc, char **argv, const struct config_where *w)
{
    return config_set_string(&c->chroot_directory, &c->chroot_set, argc, argv, w, true);
}

/* One of names (NULL-terminated) to its index; -1 reported. */
static int choose(int *field, const char *const *names, const int *values, int argc, char **argv,
                  const struct config_where *w)
{
    if (config_only_one(argc, w) < 0)
        return -1;
    for (int i = 0; names[i]; i++) {
        if (strcasecmp(argv[0], names[i]) == 0) {
            if (*field == SSHD_UNSET)
                *field = values[i];
            return 0;
        }
    }
    return config_error(w, "unsupported option \"%s\".", argv[0]);
}

static int kw_tcp_forwarding(struct sshd_config *c, int argc, char **argv,
                             const struct config_where *w)
{
    static const char *const names[] = { "yes", "all", "no", "local", "remote", NULL };
    static const int values[] = { SSHD_FWD_ALL, SSHD_FWD_ALL, SSHD_FWD_NONE, SSHD_FWD_LOCAL,
                                  SSHD_FWD_REMOTE };
    return choose(&c->allow_tcp_forwarding, names, values, argc, argv, w);
}

static int kw_gateway_ports(struct sshd_config *c, int argc, char **argv,
                            const struct config_where *w)
{
    static const char *const names[] = { "no", "yes", "clientspecified", NULL };
    static const int values[] = { SSHD_GW_NO, SSHD_GW_YES, SSHD_GW_CLIENTSPECIFIED };
    return choose(&c->gateway_ports, names, values, argc, argv, w);
}

/* "host:port" with port a number or "*"; host may be [v6] or "*". */
static bool permit_open_ok(const char *s)
{
    struct listen_addr a;
    char *copy = strdup(s);
    if (copy == NULL)
        return false;
    size_t len = strlen(copy);
    if (len >= 2 && strcmp(copy + len - 2, ":*") == 0)
        copy[len - 1] = '1';                    /* any port: check the host part */
    int rc = config_parse_listen(copy, &a);
    free(copy);
    if (rc < 0)
        return false;
    free(a.host);
    return a.port != 0;
}

static int kw_permit_open(struct sshd_config *c, int argc, char **argv,
                          const struct config_where *w)
{
    for (int i = 0; i < argc; i++) {
        bool word = strcasecmp(argv[i], "any") == 0 || strcasecmp(argv[i], "none") == 0;
        if (word ? argc != 1 : !permit_open_ok(argv[i]))
            return config_error(w, "invalid PermitOpen \"%s\".", argv[i]);
    }
    if (c->permit_open_set)
        return 0;
    c->permit_open_set = true;
    for (int i = 0; i < argc; i++)
        if (strv_add(&c->permit_open, argv[i]))
            return config_error(w, "out of memory");
    return 0;
}

static int kw_agent_forwarding(struct sshd_config *c, int argc, char **argv,
                               const struct config_where *w)
{
    return config_set_flag(&c->allow_agent_forwarding, argc, argv, w);
}

/* AcceptEnv: patterns of variable names; every line adds to the list, as
 * in OpenSSH. */
static int kw_accept_env(struct sshd_config *c, int argc, char **argv,
                         const struct config_where *w)
{
    for (int i = 0; i < argc; i++) {
        if (strchr(argv[i], '='))
            return config_error(w, "Invalid environment name in AcceptEnv: %s", argv[i]);
        if (strv_add(&c->accept_env, argv[i]))
            return config_error(w, "out of memory");
    }
    return 0;
}

const struct config_keyword config_session_keywords[] = {
    { "Ciphers", kw_ciphers },
    { "MACs", kw_macs },
    { "KexAlgorithms", kw_kex },
    { "HostKeyAlgorithms", kw_hostkey_algs },
    { "Compression", kw_compression },
    { "MaxAuthTries", kw_max_auth_tries },
    { "MaxSessions", kw_max_sessions },
    { "LoginGraceTime", kw_login_grace },
    { "ClientAliveInterval", kw_client_alive },
    { "MaxStartups", kw_max_startups },
    { "LogLevel", kw_log_level },
    { "RekeyLimit", kw_rekey_limit },
    { "Subsystem", kw_subsystem },
    { "ForceCommand", kw_force_command },
    { "Banner", kw_banner },
    { "PidFile", kw_pid_file },
    { "ChrootDirectory", kw_chroot },
    { "AllowTcpForwarding", kw_tcp_forwarding },
    { "GatewayPorts", kw_gateway_ports },
    { "PermitOpen", kw_permit_open },
    { "AcceptEnv", kw_accept_env },
    { "AllowAgentForwarding", kw_agent_forwarding },
    { NULL, NULL },
};
