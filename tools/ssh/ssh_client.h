/* What sshkit-ssh shares with sshkit-sftp (the static library
 * sshkit_ssh_client, tools/CMakeLists.txt): ssh's options and -o keys,
 * its messages by LogLevel, the TCP connection, host key checking and user
 * authentication, each with OpenSSH's words. */
#ifndef SSHKIT_SSH_CLIENT_TOOL_H
#define SSHKIT_SSH_CLIENT_TOOL_H

#include <stdbool.h>
#include <stdint.h>
#include <sshkit.h>

/* Exit status for a connection or authentication failure, as ssh's. */
#define SSH_EXIT_FAILURE 255

/* Most files of one kind (IdentityFile, UserKnownHostsFile...). */
#define SSH_MAX_FILES 16

/* Longest password, passphrase or answer read from the user. */
#define SSH_SECRET_MAX 1024

/* LogLevel, from the quietest (ssh_config(5)). */
enum ssh_log_level {
    SSH_LOG_QUIET = 0, SSH_LOG_FATAL, SSH_LOG_ERROR, SSH_LOG_INFO, SSH_LOG_VERBOSE,
    SSH_LOG_DEBUG1, SSH_LOG_DEBUG2, SSH_LOG_DEBUG3
};

/* StrictHostKeyChecking. */
enum ssh_strict {
    SSH_STRICT_ASK = 0,     /* the default: ask at the terminal */
    SSH_STRICT_YES,
    SSH_STRICT_ACCEPT_NEW,
    SSH_STRICT_NO           /* "no" and "off" */
};

/* RequestTTY, -t (twice: force) and -T. */
enum ssh_request_tty {
    SSH_TTY_UNSET = 0,      /* neither given: "auto" */
    SSH_TTY_AUTO,           /* a pty for a shell, when stdin is a terminal */
    SSH_TTY_NO,             /* -T */
    SSH_TTY_YES,            /* -t: when stdin is a terminal */
    SSH_TTY_FORCE           /* -tt: always */
};

/* A list of strings the options own (file names, expanded). */
struct ssh_list {
    char *items[SSH_MAX_FILES];
    size_t count;
};

/* One forwarding: -L, -R or -D (and their ssh_config keywords). */
struct fwd_spec {
    char kind;                  /* 'L', 'R' or 'D' */
    char *listen_host;          /* the bind address; NULL for the default (loopback) */
    unsigned listen_port;       /* 0 with -R: the server picks */
    char *listen_path;          /* a Unix socket to listen on instead; NULL for a port */
    char *connect_host;         /* where connections go (-L, -R); NULL for -D or a path */
    unsigned connect_port;
    char *connect_path;         /* a Unix socket to connect to instead */
};

#define SSH_MAX_FORWARDS 32

struct ssh_forwards {
    struct fwd_spec items[SSH_MAX_FORWARDS];
    size_t count;
};

/* Everything the command line and -o decide. Values left unset by the
 * user are filled by options_finish(). */
struct ssh_options {
    const char *destination;    /* [user@]host as given */
    char *host;                 /* the host part */
    char *proxy_command;        /* ProxyCommand, tokens expanded; NULL for a direct connection */
    char *proxy_jump;           /* -J, ProxyJump: the hops as given; NULL for none */
    char *stdio_host;           /* -W: the host stdin and stdout are joined to; NULL without -W */
    unsigned stdio_port;        /* -W: its port */
    struct ssh_forwards forwards;   /* -L, -R, -D, LocalForward... in order */
    char *user;                 /* -l, User, user@, else the local user */
    unsigned port;              /* -p, Port; 0 until finished, then 22 by default */
    int family;                 /* -4 AF_INET, -6 AF_INET6, else AF_UNSPEC */
    struct ssh_list identity_files;
    bool identity_given;        /* -i or IdentityFile: no default files */
    bool identities_only;
    char *identity_agent;       /* IdentityAgent as given: none, SSH_AUTH_SOCK, $VAR or a path */
    bool forward_agent;         /* -A, ForwardAgent */
    bool forward_agent_set;     /* -A or -a given: ForwardAgent after them is ignored */
    char *forward_agent_path;   /* ForwardAgent's socket when it names one */
    enum ssh_strict strict;
    struct ssh_list user_known_hosts;
    struct ssh_list global_known_hosts;
    bool hash_known_hosts;
    char *algs[SSHKIT_ALG_KINDS];
    bool compression;           /* -C, Compression yes: zlib preferred */
    char *pubkey_algorithms;    /* PubkeyAcceptedAlgorithms: stored for later */
    char *preferred_auth;
    bool password_auth, kbdint_auth, pubkey_auth;
    bool batch_mode;
    int connect_timeout;        /* seconds; 0 for none */
    uint64_t rekey_bytes;
    uint32_t rekey_seconds;
    enum ssh_log_level log_level;
    bool log_level_set;         /* -v or -q given: LogLevel leaves the level alone */
    uint64_t keywords_seen;     /* -o keywords given once (the first value wins) */
    unsigned password_prompts;  /* NumberOfPasswordPrompts */
    bool no_command;            /* -N */
    bool stdin_null;            /* -n */
    enum ssh_request_tty request_tty;
    bool want_pty;              /* decided by channel_step_check() */
    char **command;             /* the remote command's words, or NULL */
    int command_count;
};

/* ---- options_defaults.c, options_keys.c: the defaults and -o ---- */

/* Sets the defaults before parsing. */
void options_init(struct ssh_options *o);
/* Applies one "Key=Value" or "Key Value" option; false (message printed)
 * when it is unknown or its value is bad. */
bool options_apply(struct ssh_options *o, const char *text);
/* Whether options_apply() knows a keyword (any case). */
bool options_knows(const char *key);
/* Sets an algorithm list after checking it against the library's (a
 * message naming key when it does not fit); replace for -c and -m. */
bool options_set_algs(struct ssh_options *o, const char *key, sshkit_algorithm_kind kind,
                      const char *value, bool replace);
/* Fills what the user left unset (user, port, default files). */
void options_finish(struct ssh_options *o);
void options_free(struct ssh_options *o);

/* ---- fwd_spec.c: forwarding specifications ---- */

/* Parses spec as ssh's -L/-R ([bind:]port:host:hostport, with paths for
 * Unix sockets) or -D ([bind:]port) for kind 'L', 'R' or 'D'; false when
 * malformed (s is then empty). */
bool fwd_spec_parse(const char *spec, char kind, struct fwd_spec *s);
/* Parses and appends to o->forwards; false when malformed or full. */
bool fwd_spec_add(struct ssh_options *o, const char *spec, char kind);
void fwd_spec_free(struct fwd_spec *s);

/* ---- unsupported.c: what this build does not do yet (one place) ---- */

/* The program's name in unsupported()'s message; "sshkit-ssh" unless set. */
extern const char *unsupported_program;
/* "PROGRAM: not supported yet: WHAT" and exit 255. */
_Noreturn void unsupported(const char *what);

/* ---- log.c: messages by LogLevel ---- */

void log_set_level(enum ssh_log_level level);
bool log_enabled(enum ssh_log_level level);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void log_at(enum ssh_log_level level, const char *fmt, ...);
/* Sends a session's log lines to stderr as "debug1: ..." lines. */
void log_attach(sshkit_session *s);

/* ---- connect.c ---- */

/* Connects as ssh does; prints ssh's message and returns false on failure.
 * *addr gets the peer's numeric address. */
bool ssh_connect(const struct ssh_options *o, int *fd, char *addr, size_t addr_size);

/* ---- proxy.c: ProxyCommand ---- */

/* Runs o->proxy_command as ssh does ($SHELL -c "exec ...") with a socket
 * for its standard input and output; *fd is the other end, addr
 * "UNKNOWN". false (message printed) when it cannot start. */
bool proxy_connect(const struct ssh_options *o, int *fd, char *addr, size_t addr_size);

/* ---- jump.c: ProxyJump as a ProxyCommand running sshkit-ssh -W ---- */

/* Turns o->proxy_jump into o->proxy_command: this program, run on the last
 * hop with -W to the destination, the earlier hops as its own -J (as ssh).
 * Exits 255 with a message when the hops do not parse. */
void jump_to_proxy_command(struct ssh_options *o);

/* ---- hostkey.c: host key checking (the library's verifier) ---- */

struct hostkey_check;
struct hostkey_check *hostkey_check_new(const struct ssh_options *o, const char *addr);
void hostkey_check_install(struct hostkey_check *hc, sshkit_session *s);
/* Prints what the check found and did (ssh's messages). */
void hostkey_check_report(const struct hostkey_check *hc);
/* Whether the key was refused. */
bool hostkey_check_refused(const struct hostkey_check *hc);
/* Whether a changed key was let through (StrictHostKeyChecking no): then
 * passwords are not sent, as ssh does. */
bool hostkey_check_changed(const struct hostkey_check *hc);
void hostkey_check_free(struct hostkey_check *hc);
/* hostkey_report.c: the verifier's outcome in ssh's words, by log level. */
void hostkey_report_print(const struct ssh_options *o, const sshkit_hostkey_verifier *v);

/* ---- auth.c, auth_*.c ---- */

/* The state of authentication, shared by the methods. */
struct auth_ctx {
    const struct ssh_options *opt;
    sshkit_session *s;
    int fd;
    char methods[512];          /* what the server lists now */
    const char *addr;
    bool no_passwords;          /* a changed host key was accepted */
};

/* Result of one method: whether it got in, or what happened. */
enum auth_outcome {
    AUTH_OUT_SUCCESS, AUTH_OUT_FAILED, AUTH_OUT_PARTIAL,
    AUTH_OUT_PROMPT,            /* keyboard-interactive prompts to answer (in the event) */
    AUTH_OUT_ERROR              /* the connection ended (reported) */
};

/* Authenticates in PreferredAuthentications' order; prints ssh's messages. */
bool ssh_authenticate(struct auth_ctx *a);
/* Waits for the result of the attempt just started; banners are shown,
 * the methods list kept. Prompts (keyboard-interactive) come back in *ev. */
enum auth_outcome auth_wait(struct auth_ctx *a, sshkit_event *ev);
enum auth_outcome auth_publickey(struct auth_ctx *a);
enum auth_outcome auth_password(struct auth_ctx *a);
enum auth_outcome auth_kbdint(struct auth_ctx *a);

/* ---- agent.c, auth_agent.c: the ssh-agent ---- */

/* The agent's socket for authentication: IdentityAgent, else
 * $SSH_AUTH_SOCK; NULL for none (caller frees). */
char *agent_socket_path(const struct ssh_options *o);
/* The socket forwarded connections go to: ForwardAgent's path, else the
 * one above; NULL for none (caller frees). */
char *agent_forward_path(const struct ssh_options *o);

/* The agent's keys for publickey authentication, in ssh's order. */
struct agent_ids;
/* Connects to the agent and lists its keys, matching them against the
 * identity files' public halves; NULL when there is no agent to use. */
struct agent_ids *agent_ids_open(const struct ssh_options *o);
/* Offers the keys in turn (those of identity files first; the others
 * unless IdentitiesOnly); SUCCESS, PARTIAL, ERROR, or FAILED when none got in. */
enum auth_outcome agent_ids_offer(struct auth_ctx *a, struct agent_ids *ids);
/* Whether the identity file's key was offered through the agent already. */
bool agent_ids_has_file(const struct agent_ids *ids, const char *path);
void agent_ids_free(struct agent_ids *ids);

/* ---- disconnect.c ---- */

/* Tells how the connection ended, in ssh's words ("Connection closed by
 * ADDR port P", "Received disconnect from ADDR port P:11: ..."). */
void report_disconnect(const sshkit_session *s, const sshkit_event *ev, const char *addr,
                       unsigned port);
/* Whether a method is in a comma-separated list. */
bool method_listed(const char *list, const char *method);

/* ---- session_open.c: connect, key exchange, host key, authentication ---- */

/* An authenticated connection, as ssh has it before its channel step. */
struct ssh_conn {
    int fd;                     /* the socket; -1 when none */
    char addr[128];             /* the peer's numeric address */
    sshkit_session *s;          /* the session; NULL when none */
    struct hostkey_check *hc;   /* checks the host key at every key exchange */
};

/* Connects, exchanges keys, checks the host key and authenticates as
 * ssh does, printing ssh's messages; false on any failure (ssh's exit
 * status 255). Whatever it returns, ssh_conn_close() frees what it made. */
bool ssh_conn_open(const struct ssh_options *o, struct ssh_conn *c);
/* Frees the session and closes the socket (no DISCONNECT is sent). */
void ssh_conn_close(struct ssh_conn *c);

#endif
