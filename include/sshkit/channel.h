/**
 * @file sshkit/channel.h
 * @brief Channels (RFC 4254): sessions (exec, shell, subsystem, pty, env,
 *        signals, exit status), data with flow control, EOF and close.
 *
 * Channels live inside a ::sshkit_session and, like it, do no I/O: writing
 * queues packets in the session's output, reading takes what the session
 * has received. Once authenticated, either side may open channels; the
 * peer's opens and requests arrive as events (SSHKIT_EVENT_CHANNEL_*).
 *
 * A channel handle stays valid until sshkit_channel_free(), even after the
 * channel has closed. Free it after SSHKIT_EVENT_CHANNEL_CLOSED or
 * SSHKIT_EVENT_CHANNEL_OPEN_FAILED (or earlier: freeing an open channel
 * closes it). Freeing the session frees its channels.
 *
 * Flow control: each side may send only as much as the other's window
 * allows. sshkit_channel_write() takes what fits and says how much; when it
 * takes less than offered, wait for SSHKIT_EVENT_CHANNEL_WRITABLE. The
 * window sshkit grants the peer is opened again as the application reads,
 * so a slow reader holds back only its own channel.
 */
#ifndef SSHKIT_CHANNEL_H
#define SSHKIT_CHANNEL_H

#include <stdbool.h>
#include "common.h"
#include "session.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Reasons for refusing a channel (RFC 4254 section 5.1). */
typedef enum sshkit_channel_open_failure {
    SSHKIT_OPEN_ADMINISTRATIVELY_PROHIBITED = 1, /**< not allowed */
    SSHKIT_OPEN_CONNECT_FAILED = 2,              /**< the far end could not be reached */
    SSHKIT_OPEN_UNKNOWN_CHANNEL_TYPE = 3,        /**< the type is not supported */
    SSHKIT_OPEN_RESOURCE_SHORTAGE = 4            /**< too many channels */
} sshkit_channel_open_failure;

/**
 * @brief Opens a "session" channel (for exec, shell or a subsystem).
 * @param session An authenticated session.
 * @param[out] channel The channel, to be freed with sshkit_channel_free();
 *                     usable once SSHKIT_EVENT_CHANNEL_OPENED comes.
 * @return 0; SSHKIT_E_STATE before authentication or once closed;
 *         SSHKIT_E_TOO_LARGE when the session has its most channels.
 */
SSHKIT_API int sshkit_channel_open_session(sshkit_session *session, sshkit_channel **channel);

/**
 * @brief Opens a channel of any type, with its type-specific data.
 * @param session An authenticated session.
 * @param type The channel type ("direct-tcpip", "x11"...).
 * @param data The fields that follow the standard ones, already encoded
 *             (copied); NULL with len 0 for none.
 * @param len Their length.
 * @param[out] channel The channel, to be freed with sshkit_channel_free().
 * @return As sshkit_channel_open_session().
 */
SSHKIT_API int sshkit_channel_open(sshkit_session *session, const char *type, const uint8_t *data,
                                   size_t len, sshkit_channel **channel);

/** The channel type a server opens for each connection to a forwarded
 *  agent (OpenSSH's "auth-agent@openssh.com"). */
#define SSHKIT_AGENT_CHANNEL_TYPE "auth-agent@openssh.com"

/** The session channel request that asks the server for agent forwarding
 *  (OpenSSH's "auth-agent-req@openssh.com"). */
#define SSHKIT_AGENT_REQUEST_TYPE "auth-agent-req@openssh.com"

/**
 * @brief Opens an agent channel to the client (server): the other end
 *        of one connection to the agent socket the server offers once a
 *        session asked for agent forwarding. The client relays the
 *        channel's bytes to its agent; the server relays its local
 *        connection's. Nothing else is sent with the open.
 * @param session An authenticated server session.
 * @param[out] channel The channel, to be freed with sshkit_channel_free();
 *                     usable once SSHKIT_EVENT_CHANNEL_OPENED comes
 *                     (a client that does not forward refuses it).
 * @return As sshkit_channel_open_session().
 */
SSHKIT_API int sshkit_channel_open_agent(sshkit_session *session, sshkit_channel **channel);

/**
 * @brief Asks the server to forward the client's agent
 *        ("auth-agent-req@openssh.com"; client). The server then opens an
 *        SSHKIT_AGENT_CHANNEL_TYPE channel for each program of the session
 *        that connects to the agent socket it offers (SSH_AUTH_SOCK).
 *        OpenSSH's ssh sends it before the pty, exec or shell request,
 *        without asking for a reply.
 * @param channel An open session channel.
 * @param want_reply Whether to ask for SSHKIT_EVENT_CHANNEL_REQUEST_RESULT.
 * @return As sshkit_channel_request().
 */
SSHKIT_API int sshkit_channel_request_agent_forwarding(sshkit_channel *channel, bool want_reply);

/**
 * @brief Accepts a channel the peer asked to open (after
 *        SSHKIT_EVENT_CHANNEL_OPEN_REQUEST).
 * @param channel The channel from the event.
 * @return 0; SSHKIT_E_STATE when the channel is not waiting for an answer.
 */
SSHKIT_API int sshkit_channel_accept(sshkit_channel *channel);

/**
 * @brief Refuses a channel the peer asked to open; free it afterwards.
 * @param channel The channel from the event.
 * @param reason A ::sshkit_channel_open_failure code.
 * @param message A description for the peer, or NULL.
 * @return 0; SSHKIT_E_STATE when the channel is not waiting for an answer.
 */
SSHKIT_API int sshkit_channel_reject(sshkit_channel *channel, unsigned reason,
                                     const char *message);

/**
 * @brief Sends a channel request (RFC 4254 section 5.4) with its fields
 *        already encoded. The helpers below cover the usual ones.
 * @param channel An open channel.
 * @param type The request type.
 * @param want_reply Whether to ask for SSHKIT_EVENT_CHANNEL_REQUEST_RESULT
 *                   (answers come in the order the requests were sent).
 * @param data The request's own fields (copied), or NULL.
 * @param len Their length.
 * @return 0; SSHKIT_E_STATE when the channel is not open (or we sent CLOSE).
 */
SSHKIT_API int sshkit_channel_request(sshkit_channel *channel, const char *type, bool want_reply,
                                      const uint8_t *data, size_t len);

/**
 * @brief Asks the server to run a command ("exec"); the answer comes as
 *        SSHKIT_EVENT_CHANNEL_REQUEST_RESULT.
 * @param channel An open session channel.
 * @param command The command line.
 * @return As sshkit_channel_request().
 */
SSHKIT_API int sshkit_channel_exec(sshkit_channel *channel, const char *command);

/**
 * @brief Asks for the user's login shell ("shell").
 * @param channel An open session channel.
 * @return As sshkit_channel_request().
 */
SSHKIT_API int sshkit_channel_shell(sshkit_channel *channel);

/**
 * @brief Asks for a subsystem ("subsystem"), such as "sftp".
 * @param channel An open session channel.
 * @param name The subsystem's name.
 * @return As sshkit_channel_request().
 */
SSHKIT_API int sshkit_channel_subsystem(sshkit_channel *channel, const char *name);

/**
 * @brief Asks for a pseudo-terminal ("pty-req").
 * @param channel An open session channel.
 * @param term The TERM value, such as "xterm-256color".
 * @param cols Width in characters.
 * @param rows Height in rows.
 * @param modes Encoded terminal modes (RFC 4254 section 8), ending with
 *              TTY_OP_END (0); NULL for none.
 * @param modes_len Their length.
 * @return As sshkit_channel_request().
 */
SSHKIT_API int sshkit_channel_request_pty(sshkit_channel *channel, const char *term, unsigned cols,
                                          unsigned rows, const uint8_t *modes, size_t modes_len);

/**
 * @brief Tells the server the terminal's new size ("window-change").
 * @param channel An open session channel with a pty.
 * @param cols Width in characters.
 * @param rows Height in rows.
 * @return As sshkit_channel_request().
 */
SSHKIT_API int sshkit_channel_window_change(sshkit_channel *channel, unsigned cols, unsigned rows);

/**
 * @brief Passes an environment variable ("env"); servers accept only some.
 * @param channel An open session channel.
 * @param name The variable's name.
 * @param value Its value.
 * @return As sshkit_channel_request().
 */
SSHKIT_API int sshkit_channel_setenv(sshkit_channel *channel, const char *name, const char *value);

/**
 * @brief Sends a signal to the remote process ("signal").
 * @param channel An open session channel.
 * @param name The signal's name without "SIG" ("INT", "TERM"...).
 * @return As sshkit_channel_request().
 */
SSHKIT_API int sshkit_channel_signal(sshkit_channel *channel, const char *name);

/**
 * @brief Reports the command's exit status ("exit-status"; server).
 * @param channel An open session channel.
 * @param status The status (0 to 255).
 * @return As sshkit_channel_request().
 */
SSHKIT_API int sshkit_channel_send_exit_status(sshkit_channel *channel, unsigned status);

/**
 * @brief Reports that the command was killed by a signal ("exit-signal"; server).
 * @param channel An open session channel.
 * @param name The signal's name without "SIG".
 * @param core_dumped Whether it left a core dump.
 * @param message A description, or NULL.
 * @return As sshkit_channel_request().
 */
SSHKIT_API int sshkit_channel_send_exit_signal(sshkit_channel *channel, const char *name,
                                               bool core_dumped, const char *message);

/**
 * @brief Answers the peer's channel request (one with want_reply set), in
 *        the order the requests came.
 * @param channel The channel.
 * @param success Whether the request is granted.
 * @return 0; SSHKIT_E_STATE when no request waits for an answer.
 */
SSHKIT_API int sshkit_channel_request_reply(sshkit_channel *channel, bool success);

/**
 * @brief Sends data (stream 0) or stderr (stream 1, "extended data").
 * @param channel An open channel.
 * @param stream 0 or 1.
 * @param data The bytes.
 * @param len How many.
 * @return How many were taken (the peer's window and packet size allow
 *         this many now; 0 <= n <= len), or SSHKIT_E_AGAIN when none could
 *         be (wait for SSHKIT_EVENT_CHANNEL_WRITABLE); SSHKIT_E_STATE after
 *         EOF or close.
 */
SSHKIT_API int sshkit_channel_write(sshkit_channel *channel, int stream, const void *data,
                                    size_t len);

/**
 * @brief Reads received data (stream 0) or stderr (stream 1).
 * @param channel A channel.
 * @param stream 0 or 1.
 * @param buf Where to put it.
 * @param cap Its size.
 * @return The number of bytes read; 0 at the end of the stream (EOF or
 *         close received and everything read); SSHKIT_E_AGAIN when nothing
 *         is there yet.
 */
SSHKIT_API int sshkit_channel_read(sshkit_channel *channel, int stream, void *buf, size_t cap);

/**
 * @brief Says that we will send no more data (CHANNEL_EOF).
 * @param channel An open channel.
 * @return 0; SSHKIT_E_STATE if already sent or closed.
 */
SSHKIT_API int sshkit_channel_send_eof(sshkit_channel *channel);

/**
 * @brief Closes the channel (CHANNEL_CLOSE); SSHKIT_EVENT_CHANNEL_CLOSED
 *        follows when the peer closes too. A server that means to hang up
 *        afterwards should wait for that event first: a client such as
 *        OpenSSH's ssh may still be writing out what the channel carried
 *        when a DISCONNECT arrives, and drop it.
 * @param channel A channel.
 * @return 0; SSHKIT_E_STATE if already closed by us.
 */
SSHKIT_API int sshkit_channel_close(sshkit_channel *channel);

/**
 * @brief Frees a channel handle, closing the channel first if it is open.
 *        NULL is a no-op.
 * @param channel The channel.
 */
SSHKIT_API void sshkit_channel_free(sshkit_channel *channel);

/**
 * @brief The exit status the server reported (client).
 * @param channel A session channel.
 * @param[out] status The status.
 * @return 0 when the server sent "exit-status"; SSHKIT_E_NOT_FOUND otherwise.
 */
SSHKIT_API int sshkit_channel_exit_status(const sshkit_channel *channel, unsigned *status);

/**
 * @brief The signal that ended the remote command, when the server sent
 *        "exit-signal" (client).
 * @param channel A session channel.
 * @return The signal's name without "SIG", owned by the channel; NULL when none.
 */
SSHKIT_API const char *sshkit_channel_exit_signal(const sshkit_channel *channel);

/**
 * @brief Whether the peer has sent EOF (or closed).
 * @param channel A channel.
 * @return true once nothing more will arrive.
 */
SSHKIT_API bool sshkit_channel_eof_received(const sshkit_channel *channel);

/**
 * @brief The session a channel belongs to.
 * @param channel A channel.
 * @return The session.
 */
SSHKIT_API sshkit_session *sshkit_channel_session(const sshkit_channel *channel);

/**
 * @brief Attaches an application pointer to a channel.
 * @param channel A channel.
 * @param user Any pointer; sshkit never uses it.
 */
SSHKIT_API void sshkit_channel_set_user(sshkit_channel *channel, void *user);

/**
 * @brief The pointer attached with sshkit_channel_set_user().
 * @param channel A channel.
 * @return The pointer, or NULL.
 */
SSHKIT_API void *sshkit_channel_get_user(const sshkit_channel *channel);

/**
 * @brief Sets the most channels a session holds at once (OpenSSH's
 *        MaxSessions counts session channels only; this counts all).
 *        Opens beyond it are refused with RESOURCE_SHORTAGE.
 * @param session The session.
 * @param max The limit; 0 means the default, 64.
 * @return 0.
 */
SSHKIT_API int sshkit_session_set_max_channels(sshkit_session *session, unsigned max);

/**
 * @brief Handles global requests from the peer (RFC 4254 section 4):
 *        called for each one; without a handler every request is refused.
 *        "keepalive@openssh.com" is answered by sshkit itself.
 * @param user The pointer given with the handler.
 * @param session The session.
 * @param name The request's name.
 * @param data Its fields, raw.
 * @param len Their length.
 * @return true to grant it.
 */
typedef bool (*sshkit_global_request_fn)(void *user, sshkit_session *session, const char *name,
                                         const uint8_t *data, size_t len);

/**
 * @brief Sets the global request handler.
 * @param session The session.
 * @param handler The handler, or NULL to refuse every request.
 * @param user Passed to it.
 */
SSHKIT_API void sshkit_session_set_global_request_handler(sshkit_session *session,
                                                          sshkit_global_request_fn handler,
                                                          void *user);

/**
 * @brief Sends a global request without waiting for an answer
 *        (want_reply false), such as a keepalive.
 * @param session An authenticated session.
 * @param name The request's name.
 * @param want_reply Whether the peer should answer (the answer is consumed
 *                   by sshkit; it proves the peer is alive).
 * @return 0 or SSHKIT_E_STATE.
 */
SSHKIT_API int sshkit_session_global_request(sshkit_session *session, const char *name,
                                             bool want_reply);

/**
 * @brief Sends a global request with its fields and want_reply set, such as
 *        "tcpip-forward" (RFC 4254 section 7.1); its answer comes as
 *        SSHKIT_EVENT_GLOBAL_REQUEST_RESULT, with the data the peer sent.
 * @param session An authenticated session.
 * @param name The request's name.
 * @param data The fields after want_reply, already encoded (copied); NULL
 *             with len 0 for none.
 * @param len Their length.
 * @return 0; SSHKIT_E_STATE before authentication or once closed;
 *         SSHKIT_E_TOO_LARGE with 256 requests already awaiting answers;
 *         SSHKIT_E_INVALID_ARGUMENT for a NULL name or NULL data with len.
 */
SSHKIT_API int sshkit_session_global_request_data(sshkit_session *session, const char *name,
                                                  const uint8_t *data, size_t len);

/**
 * @brief Gives fields to send with REQUEST_SUCCESS; only from inside a
 *        global request handler (sshkit_global_request_fn) that then
 *        returns true, such as the port a "tcpip-forward" for port 0 got.
 * @param session The session whose handler is running.
 * @param data The fields, already encoded (copied).
 * @param len Their length, at most 256.
 * @return 0; SSHKIT_E_STATE outside a handler; SSHKIT_E_TOO_LARGE past 256
 *         bytes; SSHKIT_E_INVALID_ARGUMENT for NULL arguments.
 */
SSHKIT_API int sshkit_session_global_reply_data(sshkit_session *session, const uint8_t *data,
                                                size_t len);

#ifdef __cplusplus
}
#endif

#endif
