/**
 * @file sshkit/client.h
 * @brief The high-level client: connect, verify the host key, authenticate,
 *        run commands, open a shell, in a few calls (what paramiko's
 *        SSHClient gives), blocking or from the application's own poll loop.
 *
 * Blocking:
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
 * A blocking call waits at most the options' timeout for each thing it
 * waits for (the TCP connection, the key exchange, each authentication
 * attempt, then each event of the connection).
 *
 * @par Non-blocking use
 * sshkit_client_connect_start() makes a client in non-blocking mode (any
 * client can be switched with sshkit_client_set_nonblocking()). Then every
 * call does what it can without waiting and returns ::SSHKIT_E_AGAIN when
 * it would have to wait. The rules, the same for every call:
 *  - After SSHKIT_E_AGAIN, ask sshkit_client_want() what to wait for,
 *    poll() sshkit_client_fd() for it (with the timeout it gives), and
 *    call again **with the same arguments**: the call goes on where it
 *    stopped and, once done, returns what the blocking call would have.
 *  - Operations in progress: one connect, one sshkit_client_exec() or
 *    sshkit_client_shell(), one sshkit_client_run() per client, and one
 *    sshkit_client_write() per channel. A call of the same kind with other
 *    arguments while one is in progress fails with ::SSHKIT_E_STATE (go on
 *    with the first one until it ends). Pointers given to a call in
 *    progress (the input of sshkit_client_run(), the data of
 *    sshkit_client_write()) must stay valid and unchanged until it ends.
 *    sshkit_client_read(), sshkit_client_wait() and
 *    sshkit_client_wait_event() keep no state: any number may be waiting.
 *    Different operations (a run and several channels' reads and writes)
 *    go on side by side.
 *  - Any call may take in events that another call in progress was
 *    waiting for: when sshkit_client_want() gives a timeout of 0, call your
 *    operations in progress again before polling.
 *  - The descriptor may change while connecting (each address of the host
 *    gets a socket of its own): take sshkit_client_fd() again after each
 *    sshkit_client_connect_continue(). It stays the same once connected.
 *  - Time: connecting has deadlines (the options' timeout for the TCP
 *    connection, the key exchange and each authentication attempt), which
 *    sshkit_client_want() counts down; sshkit_client_connect_continue()
 *    called after one has passed fails with ::SSHKIT_E_TIMEOUT. The other
 *    calls have no deadline in non-blocking mode: how long to wait is the
 *    application's choice (end with sshkit_client_free()).
 *  - Nothing blocks but the host name's resolution in
 *    sshkit_client_connect_start() (getaddrinfo()), reading the key files
 *    while authenticating (local files; an encrypted key's KDF costs CPU
 *    time), and sshkit_client_free() of a blocking client.
 *
 * Several clients from one poll() loop:
 * @code
 *   sshkit_client_options opt;
 *   sshkit_client_options_init(&opt);
 *   opt.identity_files = keys;                  // NULL-terminated list
 *   sshkit_client *c[N];
 *   sshkit_channel *ch[N] = { NULL };
 *   int state[N];                               // 0 connecting, 1 starting, 2 running, 3 done
 *   for (int i = 0; i < N; i++) {
 *       sshkit_client_connect_start(host[i], &opt, &c[i]);
 *       state[i] = 0;
 *   }
 *   for (;;) {
 *       struct pollfd pfd[N];
 *       int timeout = -1, busy = 0;
 *       for (int i = 0; i < N; i++) {
 *           int rc = SSHKIT_E_AGAIN, status;
 *           if (state[i] == 0 && (rc = sshkit_client_connect_continue(c[i])) == 0)
 *               state[i] = 1;
 *           if (state[i] == 1 && (rc = sshkit_client_exec(c[i], "uptime", &ch[i])) == 0)
 *               state[i] = 2;
 *           if (state[i] == 2 && (rc = sshkit_client_wait(c[i], ch[i], &status)) == 0)
 *               state[i] = 3;               // (read its output before, with sshkit_client_read())
 *           if (rc != 0 && rc != SSHKIT_E_AGAIN) {
 *               fprintf(stderr, "%s\n", sshkit_client_last_error(c[i]));
 *               state[i] = 3;
 *           }
 *           int t = -1;
 *           unsigned want = state[i] == 3 ? 0 : sshkit_client_want(c[i], &t);
 *           pfd[i] = (struct pollfd){ .fd = state[i] == 3 ? -1 : sshkit_client_fd(c[i]),
 *                                     .events = (want & SSHKIT_WANT_READ ? POLLIN : 0)
 *                                             | (want & SSHKIT_WANT_WRITE ? POLLOUT : 0) };
 *           if (t >= 0 && (timeout < 0 || t < timeout))
 *               timeout = t;
 *           busy += state[i] != 3;
 *       }
 *       if (!busy)
 *           break;
 *       poll(pfd, N, timeout);
 *   }
 *   // then sshkit_channel_free(ch[i]) and sshkit_client_free(c[i])
 * @endcode
 *
 * The session and channels underneath stay reachable for what the client
 * does not wrap (sshkit_client_session()).
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

/** A client: connecting, or connected and authenticated. Opaque. */
typedef struct sshkit_client sshkit_client;

/** How to connect. Start from sshkit_client_options_init(). */
typedef struct sshkit_client_options {
    unsigned port;                  /**< 0 means 22 */
    const char *user;               /**< NULL: the local user's name */
    int timeout_ms;                 /**< the limit for each wait (see above); 0 means 30 s, negative: none */
    sshkit_hostkey_policy host_key_policy; /**< SSHKIT_HOSTKEY_POLICY_REJECT unless set */
    const char *known_hosts;        /**< NULL: ~/.ssh/known_hosts (new keys go there) */
    bool hash_known_hosts;          /**< add new hosts hashed */
    const char *const *identity_files; /**< NULL-terminated key files; NULL: ~/.ssh/id_ed25519, id_ecdsa, id_rsa */
    const char *passphrase;         /**< for encrypted key files, or NULL */
    const char *password;           /**< tried after the keys when not NULL: as "password", or as the
                                         answer to keyboard-interactive's one prompt when the
                                         server offers that and not "password" */
    const char *algorithms[SSHKIT_ALG_KINDS]; /**< lists as sshkit_session_set_algorithms() takes; NULL keeps the default */
    const char *identity_agent;     /**< the ssh-agent socket whose keys are tried first: NULL for $SSH_AUTH_SOCK
                                         (no agent when unset), "none" for no agent */
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
 *        by the policy, and authenticates: the agent's keys, each key
 *        file, then the password (blocking: sshkit_client_connect_start() and
 *        sshkit_client_connect_continue() in a poll() loop).
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
 * @brief Starts connecting without waiting: resolves the host's name (this
 *        may block, as getaddrinfo() does) and starts the TCP connection
 *        to its first address. The client is in non-blocking mode;
 *        sshkit_client_connect_continue() does the rest.
 *
 * The options are copied: they, and the strings they point to, may go
 * once this returns. A failure to resolve the name, to reach any address,
 * or a bad option is not returned here but by the first
 * sshkit_client_connect_continue() (sshkit_client_want() then gives a
 * timeout of 0).
 *
 * @param host The server's name or address.
 * @param opt The options (NULL for the defaults).
 * @param[out] out The client, to be freed with sshkit_client_free()
 *                 whatever comes of the connection; NULL on failure.
 * @return 0; SSHKIT_E_INVALID_ARGUMENT for a NULL host or out, a port
 *         over 65535, or an env entry without "NAME="; SSHKIT_E_NOMEM.
 */
SSHKIT_API int sshkit_client_connect_start(const char *host, const sshkit_client_options *opt,
                                           sshkit_client **out);

/**
 * @brief Goes on connecting as far as it can without waiting: the TCP
 *        connection (the next address when one refuses), the key exchange
 *        and host key check, then authentication (the agent's keys, each
 *        key file, then the password). The agent signs inside this call
 *        when the server takes one of its keys: a local request, bounded
 *        by the options' timeout.
 *
 * Call it when sshkit_client_fd() is ready as sshkit_client_want() says,
 * or when its timeout has passed. Once it has returned anything but
 * SSHKIT_E_AGAIN it returns that again; after a failure the client can
 * only be freed (its text is in sshkit_client_last_error()).
 *
 * @param client A client from sshkit_client_connect_start().
 * @return 0 once connected and authenticated; SSHKIT_E_AGAIN while not
 *         yet; otherwise as sshkit_client_connect() (SSHKIT_E_TIMEOUT when
 *         called after a deadline has passed).
 */
SSHKIT_API int sshkit_client_connect_continue(sshkit_client *client);

/**
 * @brief What a non-blocking client waits for: what to poll()
 *        sshkit_client_fd() for, and how long.
 *
 * Ask after each call that returned SSHKIT_E_AGAIN, just before waiting.
 *
 * @param client The client.
 * @param[out] timeout_ms The longest wait, for poll(): the time until a
 *             connect deadline; 0 when a call should be made at once
 *             (events came in that a call in progress may have waited for,
 *             the connect's outcome is known, or the connection has ended);
 *             -1 when there is no limit. May be NULL.
 * @return SSHKIT_WANT_READ and/or SSHKIT_WANT_WRITE (POLLIN, POLLOUT);
 *         0 when there is nothing to wait for on the descriptor.
 */
SSHKIT_API unsigned sshkit_client_want(sshkit_client *client, int *timeout_ms);

/**
 * @brief Puts a client in non-blocking mode, or back in blocking mode.
 *        sshkit_client_connect() makes blocking clients,
 *        sshkit_client_connect_start() non-blocking ones.
 *
 * An operation left in progress by a non-blocking call may be finished by
 * a blocking call with the same arguments.
 *
 * @param client The client.
 * @param nonblocking true for non-blocking.
 */
SSHKIT_API void sshkit_client_set_nonblocking(sshkit_client *client, bool nonblocking);

/**
 * @brief A one-line description of the client's last failure, as ssh
 *        words it ("Host key verification failed.", "connect to host h
 *        port 22: Connection refused", "alice@h: Permission denied
 *        (publickey,password).").
 * @param client The client.
 * @return A string owned by the client, valid until its next call; "" when
 *         nothing failed.
 */
SSHKIT_API const char *sshkit_client_last_error(const sshkit_client *client);

/**
 * @brief Ends the connection politely: sends SSH_MSG_DISCONNECT ("by
 *        application") and waits until it is written. Calls on the
 *        client then fail with SSHKIT_E_CLOSED; free it afterwards.
 * @param client The client.
 * @return 0 when the message is written (or the connection had already
 *         gone); SSHKIT_E_AGAIN (non-blocking) until then;
 *         SSHKIT_E_TIMEOUT (blocking); SSHKIT_E_IO for an unusable socket.
 */
SSHKIT_API int sshkit_client_disconnect(sshkit_client *client);

/**
 * @brief Disconnects and frees the client and its channels, whatever its
 *        state (connecting, failed, connected). A blocking client waits
 *        up to its timeout for the DISCONNECT to be written; a non-blocking
 *        one writes what the socket takes at once (call
 *        sshkit_client_disconnect() first to be sure it goes). NULL is a
 *        no-op.
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
 * @brief The connection's socket: the one to poll() for a non-blocking
 *        client, or to drive the session with sshkit_nb_process() (an
 *        interactive shell relaying a terminal, say).
 * @param client The client.
 * @return The descriptor, owned by the client; while connecting, the
 *         socket of the address being tried (it changes from one address
 *         to the next), -1 when there is none.
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
 *             whatever this returns. Filled when the call returns anything
 *             but SSHKIT_E_AGAIN (the output is kept by the client until
 *             then); zeroed, with exit_status -1, before.
 * @return 0 when the command ran (whatever its status); SSHKIT_E_REFUSED when
 *         the server refused to run it; SSHKIT_E_AGAIN (non-blocking) while
 *         it runs; SSHKIT_E_STATE while another run is in progress, or
 *         while the client is connecting; a connection error otherwise
 *         (the output that came before it is in @p result).
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
 * @param[out] channel The channel once the server has agreed to run the
 *             command (NULL before); free it with sshkit_channel_free().
 * @return 0; SSHKIT_E_REFUSED; SSHKIT_E_AGAIN (non-blocking) until the
 *         server has answered; SSHKIT_E_STATE while another exec or shell is
 *         in progress, or while the client is connecting; a connection error.
 */
SSHKIT_API int sshkit_client_exec(sshkit_client *client, const char *command,
                                  sshkit_channel **channel);

/**
 * @brief Opens an interactive shell on a pseudo-terminal.
 * @param client The client.
 * @param term The TERM value (NULL: "xterm").
 * @param cols Width in characters (0: 80).
 * @param rows Height in rows (0: 24).
 * @param[out] channel The channel once the server has granted the
 *             terminal and the shell (NULL before); free it with
 *             sshkit_channel_free().
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
 *        sshkit_client_wait_event() for that (or, non-blocking, call
 *        sshkit_client_read() between the calls that return SSHKIT_E_AGAIN).
 * @param client The client.
 * @param channel A channel of it.
 * @param data The bytes (non-blocking: unchanged until the write ends).
 * @param len How many.
 * @return 0 once all are taken; SSHKIT_E_AGAIN (non-blocking) while some
 *         wait for window; SSHKIT_E_STATE once the channel is closed, or
 *         while another write is in progress on it; an error
 *         (SSHKIT_E_TIMEOUT...).
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
 * @return The number of bytes; 0 at the end of the stream; SSHKIT_E_AGAIN
 *         (non-blocking) when none have come; an error.
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
 * @return 0 once at least one event was handled; SSHKIT_E_AGAIN
 *         (non-blocking) when none came; SSHKIT_E_TIMEOUT after the
 *         options' timeout (blocking); or the error that ended the
 *         connection.
 */
SSHKIT_API int sshkit_client_wait_event(sshkit_client *client);

/**
 * @brief Waits for a command to end (the channel to close) and gives its
 *        exit status: 0..255, or -1 when it died of a signal.
 * @param client The client.
 * @param channel A channel of it (output still unread is discarded).
 * @param[out] exit_status The status, set when 0 is returned.
 * @return 0; SSHKIT_E_AGAIN (non-blocking) while the channel is open; an
 *         error.
 */
SSHKIT_API int sshkit_client_wait(sshkit_client *client, sshkit_channel *channel,
                                  int *exit_status);

#ifdef __cplusplus
}
#endif

#endif
