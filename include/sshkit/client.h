/**
 * @file sshkit/client.h
 * @brief The high-level client: connect, verify the host key, authenticate,
 *        run commands, open a shell, in a few blocking calls (what
 *        paramiko's SSHClient gives).
 *
 * @code
 *   sshkit_client_options opt;
 *   sshkit_client_options_init(&opt);
 *   opt.user = "robey";
 *   sshkit_client *c;
 *   char err[256];
 *   if (sshkit_client_connect("example.com", &opt, &c, err, sizeof err) != 0) {
 *       fprintf(stderr, "%s\n", err);
 *       return 1;
 *   }
 *   sshkit_exec_result r;
 *   if (sshkit_client_run(c, "uname -a", NULL, 0, &r) == 0)
 *       fwrite(r.out, 1, r.out_len, stdout);
 *   sshkit_exec_result_free(&r);
 *   sshkit_client_free(c);
 * @endcode
 *
 * Every call blocks for at most the options' timeout per step. The
 * session and channels underneath stay reachable for what the client does
 * not wrap (sshkit_client_session()).
 */
#ifndef SSHKIT_CLIENT_H
#define SSHKIT_CLIENT_H

#include <stdbool.h>
#include "channel.h"
#include "common.h"
#include "knownhosts.h"
#include "session.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A connected, authenticated client. Opaque. */
typedef struct sshkit_client sshkit_client;

/** How to connect. Start from sshkit_client_options_init(). */
typedef struct sshkit_client_options {
    unsigned port;                  /**< 0 means 22 */
    const char *user;               /**< NULL: the local user's name */
    int timeout_ms;                 /**< the limit for each blocking step (connecting too); 0 means 30 s */
    sshkit_hostkey_policy host_key_policy; /**< SSHKIT_HOSTKEY_POLICY_REJECT unless set */
    const char *known_hosts;        /**< NULL: ~/.ssh/known_hosts (new keys go there) */
    bool hash_known_hosts;          /**< add new hosts hashed */
    const char *const *identity_files; /**< NULL-terminated key files; NULL: ~/.ssh/id_ed25519, id_ecdsa, id_rsa */
    const char *passphrase;         /**< for encrypted key files, or NULL */
    const char *password;           /**< tried after the keys when not NULL */
    const char *algorithms[SSHKIT_ALG_KINDS]; /**< lists as sshkit_session_set_algorithms() takes; NULL keeps the default */
    const char *const *env;         /**< NULL-terminated "NAME=VALUE" entries passed before every command and shell
                                         (as ssh's SetEnv: the server keeps those its AcceptEnv allows); copied; NULL for none */
} sshkit_client_options;

/** What sshkit_client_run() collected. */
typedef struct sshkit_exec_result {
    uint8_t *out;           /**< the command's standard output */
    size_t out_len;         /**< its length */
    uint8_t *err;           /**< its standard error */
    size_t err_len;         /**< its length */
    int exit_status;        /**< 0..255, or -1 when it died of a signal or the server did not say */
    char signal[32];        /**< the signal's name when it died of one ("TERM"), else "" */
} sshkit_exec_result;

/**
 * @brief Fills options with the defaults.
 * @param opt The options.
 */
SSHKIT_API void sshkit_client_options_init(sshkit_client_options *opt);

/**
 * @brief Connects, exchanges keys, checks the host key against known_hosts
 *        by the policy, and authenticates: each key file, then the password.
 * @param host The server's name or address.
 * @param opt The options (NULL for the defaults).
 * @param[out] out The client, to be freed with sshkit_client_free().
 * @param err A buffer for a one-line description of a failure (as ssh
 *            words it: "Host key verification failed.",
 *            "Permission denied (publickey,password)."), or NULL.
 * @param err_size Its size.
 * @return 0; the connection's error (SSHKIT_E_RESOLVE, SSHKIT_E_CONNECT,
 *         SSHKIT_E_TIMEOUT...); SSHKIT_E_HOST_KEY_REJECTED; or
 *         SSHKIT_E_PERMISSION_DENIED when no method authenticated.
 */
SSHKIT_API int sshkit_client_connect(const char *host, const sshkit_client_options *opt,
                                     sshkit_client **out, char *err, size_t err_size);

/**
 * @brief Disconnects (politely, within the timeout) and frees the client
 *        and its channels. NULL is a no-op.
 * @param client The client.
 */
SSHKIT_API void sshkit_client_free(sshkit_client *client);

/**
 * @brief The session underneath.
 * @param client The client.
 * @return The session, owned by the client.
 */
SSHKIT_API sshkit_session *sshkit_client_session(const sshkit_client *client);

/**
 * @brief The connection's socket, for applications that poll() it with
 *        other descriptors and drive the session with sshkit_nb_process()
 *        (an interactive shell relaying a terminal, say).
 * @param client The client.
 * @return The descriptor, owned by the client.
 */
SSHKIT_API int sshkit_client_fd(const sshkit_client *client);

/**
 * @brief Runs a command to its end: sends input (then EOF), collects its
 *        output and error streams and its exit status.
 * @param client The client.
 * @param command The command line.
 * @param input Bytes for its standard input, or NULL.
 * @param input_len Their length.
 * @param[out] result What came back; free with sshkit_exec_result_free()
 *             whatever this returns.
 * @return 0 when the command ran (whatever its status); SSHKIT_E_REFUSED when
 *         the server refused to run it; a connection error otherwise.
 */
SSHKIT_API int sshkit_client_run(sshkit_client *client, const char *command, const void *input,
                                 size_t input_len, sshkit_exec_result *result);

/**
 * @brief Frees what a result holds. Safe on a zeroed result.
 * @param result The result.
 */
SSHKIT_API void sshkit_exec_result_free(sshkit_exec_result *result);

/**
 * @brief Starts a command and returns its channel, to stream its input and
 *        output with sshkit_client_write() and sshkit_client_read().
 * @param client The client.
 * @param command The command line.
 * @param[out] channel The channel; free it with sshkit_channel_free().
 * @return 0; SSHKIT_E_REFUSED; a connection error.
 */
SSHKIT_API int sshkit_client_exec(sshkit_client *client, const char *command,
                                  sshkit_channel **channel);

/**
 * @brief Opens an interactive shell on a pseudo-terminal.
 * @param client The client.
 * @param term The TERM value (NULL: "xterm").
 * @param cols Width in characters.
 * @param rows Height in rows.
 * @param[out] channel The channel; free it with sshkit_channel_free().
 * @return As sshkit_client_exec().
 */
SSHKIT_API int sshkit_client_shell(sshkit_client *client, const char *term, unsigned cols,
                                   unsigned rows, sshkit_channel **channel);

/**
 * @brief Writes all of data to a channel (stream 0), waiting for window.
 *        The peer's window closes when our side stops reading: a command
 *        that echoes its input (cat) deadlocks a caller that writes
 *        everything before reading anything. Interleave
 *        sshkit_channel_write(), sshkit_channel_read() and
 *        sshkit_client_wait_event() for that.
 * @param client The client.
 * @param channel A channel of it.
 * @param data The bytes.
 * @param len How many.
 * @return 0, or an error (SSHKIT_E_TIMEOUT, SSHKIT_E_STATE once closed...).
 */
SSHKIT_API int sshkit_client_write(sshkit_client *client, sshkit_channel *channel,
                                   const void *data, size_t len);

/**
 * @brief Reads from a channel's output (stream 0) or error (stream 1),
 *        waiting until some bytes come or the stream ends. Both streams
 *        share the channel's window: a caller that reads only one should
 *        expect the other to be small, or read both in turn.
 * @param client The client.
 * @param channel A channel of it.
 * @param stream 0 or 1.
 * @param buf Where to put them.
 * @param cap Its size.
 * @return The number of bytes; 0 at the end of the stream; an error.
 */
SSHKIT_API int sshkit_client_read(sshkit_client *client, sshkit_channel *channel, int stream,
                                  void *buf, size_t cap);

/**
 * @brief Waits for the connection's next event (data, window, close...)
 *        and handles what the client itself must. For callers that
 *        interleave non-blocking sshkit_channel_write() and
 *        sshkit_channel_read() on several streams: call it when neither
 *        can make progress.
 * @param client The client.
 * @return 0, SSHKIT_E_TIMEOUT after the options' timeout, or the error that
 *         ended the connection.
 */
SSHKIT_API int sshkit_client_wait_event(sshkit_client *client);

/**
 * @brief Waits for a command to end (the channel to close) and gives its
 *        exit status: 0..255, or -1 when it died of a signal.
 * @param client The client.
 * @param channel A channel of it (output still unread is discarded).
 * @param[out] exit_status The status.
 * @return 0 or an error.
 */
SSHKIT_API int sshkit_client_wait(sshkit_client *client, sshkit_channel *channel,
                                  int *exit_status);

#ifdef __cplusplus
}
#endif

#endif
