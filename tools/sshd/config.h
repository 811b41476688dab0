/* sshkit-sshd's configuration: sshd_config keywords and -o options, parsed
 * into one struct. As OpenSSH: keywords are case-insensitive, the first
 * value given wins (command-line -o options come first), and keywords that
 * may appear several times (ListenAddress, Port, HostKey, AllowUsers,
 * Subsystem) add up. */
#ifndef SSHKIT_SSHD_CONFIG_H
#define SSHKIT_SSHD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sshkit.h>

/* LogLevel, from the quietest. */
enum sshd_log_level {
    SSHD_LOG_QUIET = 0, SSHD_LOG_FATAL, SSHD_LOG_ERROR, SSHD_LOG_INFO, SSHD_LOG_VERBOSE,
    SSHD_LOG_DEBUG1, SSHD_LOG_DEBUG2, SSHD_LOG_DEBUG3
};

/* AllowTcpForwarding. */
enum sshd_forwarding { SSHD_FWD_ALL = 0, SSHD_FWD_NONE, SSHD_FWD_LOCAL, SSHD_FWD_REMOTE };

/* GatewayPorts. */
enum sshd_gateway { SSHD_GW_NO = 0, SSHD_GW_YES, SSHD_GW_CLIENTSPECIFIED };

/* A growable list of strings. */
struct strv {
    char **v;
    size_t n;
};

/* One ListenAddress: host NULL for every address; port 0 for each Port. */
struct listen_addr {
    char *host;
    unsigned port;
};

/* One Subsystem: "sftp" and "internal-sftp" (or a command line). */
struct subsystem {
    char *name;
    char *command;
};

/* "Unset" for the int fields below, until config_finish() fills defaults. */
#define SSHD_UNSET (-1)

struct sshd_config {
    struct listen_addr *listen;     /* ListenAddress, in order */
    size_t listen_count;
    unsigned *ports;                /* Port, in order */
    size_t port_count;
    bool ports_from_cmdline;        /* -p given: Port lines are ignored */
    struct strv host_keys;          /* HostKey and -h */
    struct strv authorized_keys;    /* AuthorizedKeysFile (one line: first wins) */
    bool authorized_keys_set;
    int password_auth;              /* PasswordAuthentication: 0, 1 or SSHD_UNSET */
    int kbdint_auth;                /* KbdInteractiveAuthentication */
    int pubkey_auth;                /* PubkeyAuthentication */
    char *password_file;            /* PasswordFile: user:crypt-hash lines */
    struct strv allow_users;        /* AllowUsers patterns (user or user@host) */
    char *algorithms[SSHKIT_ALG_KINDS]; /* Ciphers, MACs, KexAlgorithms, HostKeyAlgorithms,
                                           Compression (as a list) */
    int max_auth_tries;             /* MaxAuthTries */
    int login_grace;                /* LoginGraceTime, seconds; 0 = no limit */
    int max_sessions;               /* MaxSessions (for the connection layer) */
    int max_startups_begin;         /* MaxStartups start:rate:full */
    int max_startups_rate;
    int max_startups_full;
    char *force_command;            /* ForceCommand, NULL for none */
    bool force_command_set;
    char *banner;                   /* Banner file, NULL for none */
    bool banner_set;
    char *pid_file;                 /* PidFile, NULL for none */
    bool pid_file_set;
    int log_level;                  /* LogLevel: an enum sshd_log_level */
    int client_alive_interval;      /* ClientAliveInterval, seconds */
    int64_t rekey_bytes;            /* RekeyLimit: bytes (0 = default), SSHD_UNSET */
    int64_t rekey_seconds;          /* and seconds (0 = none) */
    struct subsystem *subsystems;   /* Subsystem */
    size_t subsystem_count;
    char *chroot_directory;         /* ChrootDirectory, NULL for none */
    bool chroot_set;
    int allow_tcp_forwarding;       /* AllowTcpForwarding: an enum sshd_forwarding */
    struct strv permit_open;        /* PermitOpen: "any", "none" or host:port entries */
    bool permit_open_set;
    struct strv accept_env;         /* AcceptEnv patterns (lines add up); empty: LANG, LC_* */
    int gateway_ports;              /* GatewayPorts: an enum sshd_gateway */
    int allow_agent_forwarding;     /* AllowAgentForwarding: 0, 1 or SSHD_UNSET */
};

/* Receives one error message (without a newline). */
typedef void (*config_report_fn)(void *ctx, const char *message);

/* Sets every field to "unset". */
void config_init(struct sshd_config *cfg);

/* Frees what the struct holds (not the struct). */
void config_free(struct sshd_config *cfg);

/* Parses one line ("Keyword value...", "Keyword=value", a comment or a
 * blank line). source and lineno name it in messages ("command-line", 0
 * for -o). Returns 0, or -1 after reporting why. */
int config_parse_line(struct sshd_config *cfg, const char *line, const char *source,
                      unsigned lineno, config_report_fn report, void *ctx);

/* Parses a file. Returns the number of bad lines (0 when all are good),
 * or -1 when it cannot be read (reported). */
int config_parse_file(struct sshd_config *cfg, const char *path, config_report_fn report,
                      void *ctx);

/* Fills what is still unset with OpenSSH's defaults. */
void config_finish(struct sshd_config *cfg);

/* Value parsers, shared by the keywords (and tested on their own). */
int config_parse_flag(const char *s);                     /* yes/no: 1, 0, or -1 */
int64_t config_parse_time(const char *s);                 /* 90, 1m30s, 2h: seconds or -1 */
int64_t config_parse_size(const char *s);                 /* 64K, 1G: bytes or -1 */
int config_parse_log_level(const char *s);                /* LogLevel name, or -1 */
int config_parse_max_startups(const char *s, int *begin, int *rate, int *full);
int config_parse_listen(const char *s, struct listen_addr *out); /* 0 or -1 */
int config_parse_port(const char *s);                     /* 1..65535, or -1 */

/* pattern with %h (home), %u (user) and %% expanded, or NULL for an
 * unknown token (or no memory); free() it. */
char *config_expand_tokens(const char *pattern, const char *user, const char *home);

/* An AuthorizedKeysFile path with %h, %u and %% expanded; a relative
 * result is taken under home. NULL for an unknown token (or no memory);
 * free() it. */
char *config_expand_path(const char *pattern, const char *user, const char *home);

/* The sshkit log level that a LogLevel maps to, for the sessions' lines. */
sshkit_log_level config_session_log_level(int log_level);

#endif
