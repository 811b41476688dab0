/**
 * @file sshkit/config.h
 * @brief ssh_config(5): OpenSSH's client configuration files, read and
 *        resolved for one host as ssh does it.
 *
 * A configuration (sshkit_config) holds the command-line options (ssh's
 * `-o`) and the files, in the order they are consulted. Resolving it for a
 * host walks them as ssh does: `Host` and `Match` blocks decide which lines
 * apply, the first value given for a keyword wins (IdentityFile,
 * CertificateFile, LocalForward, RemoteForward, DynamicForward and SendEnv
 * accumulate instead), `Match final` (and CanonicalizeHostname) ask for a
 * second pass, and what no line set takes OpenSSH's default. The result
 * (sshkit_host_config) answers typed questions and prints itself as
 * `ssh -G` does.
 *
 * @code
 *   sshkit_config *cfg;
 *   sshkit_host_config *hc;
 *   if (sshkit_config_new(&cfg) != 0)
 *       return 1;
 *   if (sshkit_config_add_option(cfg, "User=robey") != 0 ||   // like ssh -o
 *       sshkit_config_load_default(cfg) != 0 ||              // ~/.ssh/config, /etc/ssh/ssh_config
 *       sshkit_config_resolve(cfg, "myhost", &hc) != 0) {
 *       fprintf(stderr, "%s\n", sshkit_config_last_error(cfg));
 *       sshkit_config_free(cfg);
 *       return 1;
 *   }
 *   printf("connect to %s port %s as %s\n", sshkit_host_config_get(hc, "Hostname"),
 *          sshkit_host_config_get(hc, "Port"), sshkit_host_config_get(hc, "User"));
 *   for (size_t i = 0; i < sshkit_host_config_count(hc, "IdentityFile"); i++) {
 *       char *path;
 *       if (sshkit_host_config_expand(hc, sshkit_host_config_item(hc, "IdentityFile", i),
 *                                     &path) == 0) {
 *           printf("key %s\n", path);
 *           sshkit_free(path, 0);
 *       }
 *   }
 *   sshkit_host_config_free(hc);
 *   sshkit_config_free(cfg);
 * @endcode
 *
 * Keywords are matched without regard to case, and OpenSSH's aliases
 * (PubkeyAcceptedKeyTypes, ChallengeResponseAuthentication...) name the same
 * setting. Every keyword OpenSSH 9.2 knows is parsed and checked; which ones
 * an application acts on is its own business.
 *
 * Where sshkit parts from ssh, deliberately:
 * - a keyword nobody knows is ignored in a file, with a debug line (ssh
 *   refuses the file unless IgnoreUnknown lists it); on the command line it
 *   is an error, as in ssh;
 * - an Include that reads a file already being read (a loop) is refused
 *   with the file and line of the Include (ssh stops at 16 levels), and at
 *   most 1024 files are read for one load;
 * - CanonicalizeHostname asks for the second pass as in ssh, but names are
 *   not looked up in DNS: the host name is only lowercased, and an address
 *   written in its normal form;
 * - algorithm lists (Ciphers, MACs, KexAlgorithms, HostKeyAlgorithms,
 *   PubkeyAcceptedAlgorithms...) resolve against sshkit's own defaults and
 *   algorithms: names sshkit does not implement are dropped from a list
 *   (with a debug line), and a list left empty is an error at resolution;
 * - `~` and `%d` are the home directory sshkit_config_set_home() gives, by
 *   default `$HOME`, else the password database's (ssh always takes the
 *   password database's).
 */
#ifndef SSHKIT_CONFIG_H
#define SSHKIT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include "common.h"
#include "session.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Options and files read, not yet resolved for a host. Opaque. */
typedef struct sshkit_config sshkit_config;

/** The options resolved for one host. Opaque. */
typedef struct sshkit_host_config sshkit_host_config;

/** How sshkit_config_load_file() and sshkit_config_load_text() treat a file. */
enum sshkit_config_flags {
    /** A user's file (ssh's -F file and ~/.ssh/config): a relative Include
     *  is read from ~/.ssh and may start with '~'. Without it, the file is a
     *  system one: a relative Include is read from /etc/ssh. */
    SSHKIT_CONFIG_USER = 1,
    /** Refuse the file when another user than root and the caller owns it
     *  or when its group or others may write it (ssh's check on
     *  ~/.ssh/config). Included files are always checked so. */
    SSHKIT_CONFIG_CHECK_PERMS = 2,
    /** A file that does not exist is no error (and adds nothing). */
    SSHKIT_CONFIG_OPTIONAL = 4
};

/**
 * @brief Runs a `Match exec` command.
 * @param user The pointer given to sshkit_config_set_exec().
 * @param command The command, its tokens expanded; valid during the call.
 * @return The command's exit status (0 matches, anything else does not),
 *         or a negative SSHKIT_E_* when it could not run or ended by a
 *         signal (resolution then fails).
 */
typedef int (*sshkit_config_exec_fn)(void *user, const char *command);

/**
 * @brief Creates an empty configuration: no options, no files.
 * @param[out] out The configuration, to be freed with sshkit_config_free().
 * @return 0 or SSHKIT_E_NOMEM.
 */
SSHKIT_API int sshkit_config_new(sshkit_config **out);

/**
 * @brief Frees a configuration. NULL is a no-op. Host configurations
 *        resolved from it stay valid.
 * @param cfg The configuration.
 */
SSHKIT_API void sshkit_config_free(sshkit_config *cfg);

/**
 * @brief Sends diagnostics to a function: each malformed line
 *        (SSHKIT_LOG_ERROR, "FILE line N: message", ssh's words), notices
 *        (SSHKIT_LOG_INFO), and what ssh -v would say while reading and
 *        matching (SSHKIT_LOG_DEBUG: files read, blocks applied, unknown
 *        keywords ignored).
 * @param cfg The configuration.
 * @param level The most verbose level wanted.
 * @param log The function, or NULL for none (the default).
 * @param user Passed to it.
 */
SSHKIT_API void sshkit_config_set_log(sshkit_config *cfg, sshkit_log_level level,
                                      sshkit_log_fn log, void *user);

/**
 * @brief Sets the home directory that `~` and the token `%d` stand for
 *        and under which a user file's relative Include is looked for
 *        (`~/.ssh`).
 * @param cfg The configuration.
 * @param home An absolute path (copied), or NULL for the default: `$HOME`,
 *             else the password database's.
 * @return 0, SSHKIT_E_INVALID_ARGUMENT for a relative path, SSHKIT_E_NOMEM.
 */
SSHKIT_API int sshkit_config_set_home(sshkit_config *cfg, const char *home);

/**
 * @brief Replaces how `Match exec` commands run. By default a command runs
 *        as ssh runs it: `$SHELL -c command` (/bin/sh when SHELL is unset),
 *        with standard input and output on /dev/null, standard error
 *        inherited, waited for.
 * @param cfg The configuration.
 * @param exec The function, or NULL for the default.
 * @param user Passed to it.
 */
SSHKIT_API void sshkit_config_set_exec(sshkit_config *cfg, sshkit_config_exec_fn exec, void *user);

/**
 * @brief Adds one command-line option, as ssh's `-o`: "Keyword value",
 *        "Keyword=value" or "Keyword = value", with the quoting of a
 *        configuration file. Options come before every file, in the order
 *        they were added, so the first one given for a keyword wins over
 *        the files. Host, Match and Include are refused here.
 * @param cfg The configuration.
 * @param line The option (copied).
 * @return 0; SSHKIT_E_FORMAT for an unknown keyword or a bad value (the
 *         message, "command-line line 0: ...", in
 *         sshkit_config_last_error()); SSHKIT_E_NOMEM.
 */
SSHKIT_API int sshkit_config_add_option(sshkit_config *cfg, const char *line);

/**
 * @brief Reads a configuration file, and the files it includes, after those
 *        already read. Every line is checked now, whether its block will
 *        apply or not; Include globs are expanded now (sorted), at most 16
 *        levels deep.
 * @param cfg The configuration.
 * @param path The file.
 * @param flags A mix of sshkit_config_flags.
 * @return 0; SSHKIT_E_IO (errno kept) or SSHKIT_E_NOT_FOUND when the file
 *         cannot be read; SSHKIT_E_FORMAT when a line is malformed, an
 *         Include loops or goes too deep, or an included file cannot be
 *         read or has bad permissions (every such line is logged; the
 *         first is in sshkit_config_last_error()); SSHKIT_E_TOO_LARGE for a
 *         file over 4 MiB; SSHKIT_E_NOMEM. Nothing is kept from a file
 *         that fails.
 */
SSHKIT_API int sshkit_config_load_file(sshkit_config *cfg, const char *path, unsigned flags);

/**
 * @brief As sshkit_config_load_file(), from memory.
 * @param cfg The configuration.
 * @param name The name messages give the text ("FILE line N").
 * @param text The text; it need not end with a NUL or a newline.
 * @param len Its length.
 * @param flags A mix of sshkit_config_flags (OPTIONAL and CHECK_PERMS do
 *              not apply to the text itself).
 * @return As sshkit_config_load_file().
 */
SSHKIT_API int sshkit_config_load_text(sshkit_config *cfg, const char *name, const char *text,
                                       size_t len, unsigned flags);

/**
 * @brief Reads the files ssh reads when not given -F: ~/.ssh/config (a user
 *        file, its permissions checked) then /etc/ssh/ssh_config (a system
 *        file); either may be missing.
 * @param cfg The configuration.
 * @return As sshkit_config_load_file().
 */
SSHKIT_API int sshkit_config_load_default(sshkit_config *cfg);

/**
 * @brief Describes the last failure of a call on this configuration.
 * @param cfg The configuration.
 * @return A message ("" when none), owned by cfg, valid until its next call.
 */
SSHKIT_API const char *sshkit_config_last_error(const sshkit_config *cfg);

/**
 * @brief Resolves the options for a host as ssh does: the options, then
 *        each file, applying the lines of the blocks that match; a second
 *        pass when a `Match final` was met or CanonicalizeHostname is on;
 *        then defaults; then the tokens and `~` of the keywords ssh expands
 *        before it connects (Hostname, UserKnownHostsFile, ControlPath,
 *        IdentityAgent, ForwardAgent, RemoteCommand, forwarding paths).
 *        `Match exec` commands run during this call.
 * @param cfg The configuration.
 * @param host The destination host as the user typed it (ssh's host
 *             argument, without user@): what Host patterns are matched
 *             against and what %n is.
 * @param[out] out The resolved options; free with sshkit_host_config_free().
 * @return 0; SSHKIT_E_FORMAT for a token that does not expand (an unknown
 *         %x, a missing ${VAR}), an algorithm list left empty, a Match exec
 *         that failed to run (message in sshkit_config_last_error());
 *         SSHKIT_E_INVALID_ARGUMENT; SSHKIT_E_NOMEM.
 */
SSHKIT_API int sshkit_config_resolve(sshkit_config *cfg, const char *host,
                                     sshkit_host_config **out);

/**
 * @brief Frees resolved options. NULL is a no-op.
 * @param hc The resolved options.
 */
SSHKIT_API void sshkit_host_config_free(sshkit_host_config *hc);

/**
 * @brief A keyword's value as `ssh -G` prints it after the keyword: "22",
 *        "yes", "ask", "/home/u/.ssh/known_hosts /home/u/.ssh/known_hosts2",
 *        "INFO". For a keyword that takes one line per value (IdentityFile,
 *        CertificateFile, SendEnv, SetEnv, LocalForward, RemoteForward,
 *        DynamicForward) the first value. "Host" gives the host argument.
 * @param hc The resolved options.
 * @param keyword The keyword, in any case, or an alias.
 * @return The value, owned by hc; NULL for an unknown keyword or one with
 *         no value (ProxyCommand unset or "none", say).
 */
SSHKIT_API const char *sshkit_host_config_get(const sshkit_host_config *hc, const char *keyword);

/**
 * @brief How many values a keyword has: the lines `ssh -G` prints for a
 *        keyword that takes one line per value; the words of a list
 *        (UserKnownHostsFile, GlobalKnownHostsFile, CanonicalDomains...;
 *        0 for "none"); 1 or 0 for any other keyword.
 * @param hc The resolved options.
 * @param keyword The keyword.
 * @return The count (0 for an unknown keyword).
 */
SSHKIT_API size_t sshkit_host_config_count(const sshkit_host_config *hc, const char *keyword);

/**
 * @brief One of a keyword's values (see sshkit_host_config_count()).
 *        IdentityFile and CertificateFile are as written (ssh -G prints
 *        them so); pass them through sshkit_host_config_expand() before
 *        opening them. A forwarding is "LISTEN CONNECT" as ssh -G prints it
 *        ("8080 [localhost]:80").
 * @param hc The resolved options.
 * @param keyword The keyword.
 * @param index From 0.
 * @return The value, owned by hc; NULL when index is out of range.
 */
SSHKIT_API const char *sshkit_host_config_item(const sshkit_host_config *hc, const char *keyword,
                                               size_t index);

/**
 * @brief A yes/no keyword's value (BatchMode, IdentitiesOnly...). For the
 *        keywords with more states (StrictHostKeyChecking,
 *        PubkeyAuthentication, RequestTTY, ControlMaster...), every state
 *        but "no" is true; read sshkit_host_config_get() for the state.
 * @param hc The resolved options.
 * @param keyword The keyword.
 * @param[out] value The value.
 * @return 0; SSHKIT_E_INVALID_ARGUMENT for an unknown keyword or one that
 *         is not of this type.
 */
SSHKIT_API int sshkit_host_config_flag(const sshkit_host_config *hc, const char *keyword,
                                       bool *value);

/**
 * @brief A numeric keyword's value: Port, counts (ConnectionAttempts,
 *        NumberOfPasswordPrompts, ServerAliveCountMax...), times in seconds
 *        (ConnectTimeout, ServerAliveInterval, ForwardX11Timeout;
 *        ConnectTimeout is -1 for "none"), RekeyLimit's byte count.
 * @param hc The resolved options.
 * @param keyword The keyword.
 * @param[out] value The value.
 * @return 0; SSHKIT_E_INVALID_ARGUMENT for an unknown keyword or one that
 *         is not numeric.
 */
SSHKIT_API int sshkit_host_config_number(const sshkit_host_config *hc, const char *keyword,
                                         long long *value);

/**
 * @brief Whether a command-line option or a file line gave the keyword a
 *        value, as against a default.
 * @param hc The resolved options.
 * @param keyword The keyword.
 * @return true when given; false when defaulted or unknown.
 */
SSHKIT_API bool sshkit_host_config_is_set(const sshkit_host_config *hc, const char *keyword);

/**
 * @brief Expands a path or command as ssh expands IdentityFile: a leading
 *        `~` or `~user`, `${VAR}` from the environment, and the tokens
 *        %% %C %d %h %i %k %L %l %n %p %r %u with this host's values.
 * @param hc The resolved options.
 * @param text The text.
 * @param[out] out The expansion; free with sshkit_free(out, 0).
 * @return 0; SSHKIT_E_FORMAT for an unknown token, an unset variable or an
 *         unknown user; SSHKIT_E_NOMEM.
 */
SSHKIT_API int sshkit_host_config_expand(const sshkit_host_config *hc, const char *text,
                                         char **out);

/**
 * @brief ProxyCommand with its tokens expanded as ssh expands them just
 *        before it runs the command (%h %n %p %r %%; nothing else), ready
 *        for `$SHELL -c "exec COMMAND"`.
 * @param hc The resolved options.
 * @param[out] out The command; free with sshkit_free(out, 0).
 * @return 0; SSHKIT_E_NOT_FOUND when there is none (unset, "none", or
 *         ProxyJump given first); SSHKIT_E_FORMAT for another token;
 *         SSHKIT_E_NOMEM.
 */
SSHKIT_API int sshkit_host_config_proxy_command(const sshkit_host_config *hc, char **out);

/**
 * @brief The options as `ssh -G` prints them: "keyword value" lines in
 *        ssh's order, keywords lowercase, one line per value where ssh
 *        prints several.
 * @param hc The resolved options.
 * @param[out] text The text (NUL-terminated); free with sshkit_free(text, 0).
 * @return 0 or SSHKIT_E_NOMEM.
 */
SSHKIT_API int sshkit_host_config_dump(const sshkit_host_config *hc, char **text);

/**
 * @brief The keywords sshkit knows, by index, as `ssh -G` names them, to
 *        walk all of them.
 * @param index From 0.
 * @return The lowercase keyword, static; NULL past the last.
 */
SSHKIT_API const char *sshkit_config_keyword(size_t index);

#ifdef __cplusplus
}
#endif

#endif
