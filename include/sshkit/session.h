/**
 * @file sshkit/session.h
 * @brief An SSH connection, client or server, as an engine that does no
 *        I/O: bytes in, bytes out, events up.
 *
 * A ::sshkit_session never touches a socket, never sleeps and keeps no
 * global state. The application (or one of sshkit's drivers) moves bytes:
 *
 * @code
 *   sshkit_session_start(s);
 *   for (;;) {
 *       const uint8_t *out; size_t n = sshkit_session_pending(s, &out);
 *       if (n) { n = write(fd, out, n); sshkit_session_sent(s, n); }
 *       n = read(fd, buf, sizeof buf);
 *       sshkit_session_receive(s, buf, n);          // n == 0: end of stream
 *       sshkit_event ev;
 *       while (sshkit_session_next_event(s, &ev) > 0)
 *           handle(&ev);
 *   }
 * @endcode
 *
 * The same engine serves both roles; the role is fixed when the session is
 * made. Everything a session needs to decide (is this host key known? is
 * this password right?) it asks through callbacks set before
 * sshkit_session_start().
 *
 * A session is used from one thread at a time; different sessions may be
 * used on different threads.
 */
#ifndef SSHKIT_SESSION_H
#define SSHKIT_SESSION_H

#include <stdbool.h>
#include "common.h"
#include "key.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An SSH connection. Opaque. */
typedef struct sshkit_session sshkit_session;

/** A channel of a connection (sshkit/channel.h). Opaque. */
typedef struct sshkit_channel sshkit_channel;

/** Which end of the connection a session is. */
typedef enum sshkit_role {
    SSHKIT_ROLE_CLIENT = 0, /**< connects, verifies the host key, authenticates */
    SSHKIT_ROLE_SERVER      /**< accepts, proves its host key, decides on authentication */
} sshkit_role;

/** The algorithm lists a session offers, in preference order. */
typedef enum sshkit_algorithm_kind {
    SSHKIT_ALG_KEX = 0,     /**< key exchange methods ("KexAlgorithms") */
    SSHKIT_ALG_HOSTKEY,     /**< host key signature algorithms ("HostKeyAlgorithms") */
    SSHKIT_ALG_CIPHER,      /**< ciphers, both directions ("Ciphers") */
    SSHKIT_ALG_MAC,         /**< MACs, both directions ("MACs") */
    SSHKIT_ALG_COMPRESSION, /**< compression methods ("Compression"): "none",
                                 "zlib@openssh.com" (from USERAUTH_SUCCESS on) and
                                 "zlib" (from the first NEWKEYS on); by default a client
                                 offers "none,zlib@openssh.com,zlib" (as ssh without -C;
                                 ssh -C's is "zlib@openssh.com,zlib,none") and a server
                                 "none,zlib@openssh.com" (as sshd). A compressed packet
                                 that inflates past 256 KiB, or does not inflate, ends
                                 the session: DISCONNECT reason 6 (COMPRESSION_ERROR),
                                 error SSHKIT_E_PROTOCOL */
    SSHKIT_ALG_KINDS        /**< the number of kinds */
} sshkit_algorithm_kind;

/** Log levels, from the quietest. */
typedef enum sshkit_log_level {
    SSHKIT_LOG_ERROR = 0,   /**< the session failed */
    SSHKIT_LOG_INFO,        /**< one line per notable step (as ssh's default) */
    SSHKIT_LOG_DEBUG,       /**< protocol steps, as ssh -v */
    SSHKIT_LOG_TRACE        /**< every packet, as ssh -vvv */
} sshkit_log_level;

/**
 * @brief Receives the session's log lines.
 * @param user The pointer given to sshkit_session_set_log().
 * @param level The line's level.
 * @param message The line, without a newline; valid during the call only.
 */
typedef void (*sshkit_log_fn)(void *user, sshkit_log_level level, const char *message);

/**
 * @brief Decides whether a server's host key is the right one (client).
 *
 * Called once per key exchange, after the server has proven that it holds
 * the key (its signature over the exchange hash verified).
 *
 * @param user The pointer given to sshkit_session_set_host_key_check().
 * @param session The session.
 * @param key The server's public host key; valid during the call only
 *            (copy it with sshkit_key_public_copy() to keep it).
 * @return 0 to accept the key; any other value refuses it, and the session
 *         ends with SSHKIT_E_HOST_KEY_REJECTED.
 */
typedef int (*sshkit_host_key_check_fn)(void *user, sshkit_session *session,
                                        const sshkit_key *key);

/** What an event is about. */
typedef enum sshkit_event_type {
    SSHKIT_EVENT_NONE = 0,      /**< no event */
    SSHKIT_EVENT_KEX_DONE,      /**< a key exchange finished: the first, or a rekey */
    SSHKIT_EVENT_AUTH_BANNER,   /**< client: the server's banner text (text) */
    SSHKIT_EVENT_AUTH_RESULT,   /**< client: the last authentication attempt's outcome (auth) */
    SSHKIT_EVENT_AUTH_PROMPT,   /**< client: keyboard-interactive prompts to answer (prompt) */
    SSHKIT_EVENT_AUTHENTICATED, /**< server: a user authenticated (text: the user name) */
    SSHKIT_EVENT_DISCONNECTED,  /**< the connection ended (disconnect) */
    SSHKIT_EVENT_CHANNEL_OPEN_REQUEST, /**< the peer wants to open a channel: accept or reject it (channel) */
    SSHKIT_EVENT_CHANNEL_OPENED,       /**< a channel we opened is open (channel) */
    SSHKIT_EVENT_CHANNEL_OPEN_FAILED,  /**< the peer refused a channel we opened (channel); free it */
    SSHKIT_EVENT_CHANNEL_DATA,         /**< data to read: read until SSHKIT_E_AGAIN (channel) */
    SSHKIT_EVENT_CHANNEL_WRITABLE,     /**< the peer's window reopened after a short write (channel) */
    SSHKIT_EVENT_CHANNEL_EOF,          /**< the peer will send no more data (channel) */
    SSHKIT_EVENT_CHANNEL_CLOSED,       /**< the channel is closed both ways (channel); free it */
    SSHKIT_EVENT_CHANNEL_REQUEST,      /**< the peer asks something of a channel (request) */
    SSHKIT_EVENT_CHANNEL_REQUEST_RESULT, /**< the answer to our request (channel; success) */
    SSHKIT_EVENT_GLOBAL_REQUEST_RESULT   /**< the answer to a global request sent with
                                              sshkit_session_global_request_data() (global) */
} sshkit_event_type;

/** Outcomes of one authentication attempt (client). */
typedef enum sshkit_auth_status {
    SSHKIT_AUTH_SUCCESS = 0,    /**< authenticated: the connection layer is open */
    SSHKIT_AUTH_PARTIAL,        /**< this method succeeded, but the server wants another */
    SSHKIT_AUTH_FAILURE         /**< refused; methods lists what may still work */
} sshkit_auth_status;

/** An event. Pointers in it stay valid until the next call to
 *  sshkit_session_next_event() or sshkit_session_free(). */
typedef struct sshkit_event {
    sshkit_event_type type;     /**< what the event is about */
    /** Details, by type. */
    union {
        /** For SSHKIT_EVENT_AUTH_BANNER and SSHKIT_EVENT_AUTHENTICATED. */
        struct {
            const char *text;   /**< the banner (UTF-8, as sent), or the user name */
        } text;
        /** For SSHKIT_EVENT_AUTH_RESULT. */
        struct {
            sshkit_auth_status status; /**< the outcome */
            const char *methods;       /**< methods that can continue, comma-separated ("" on success) */
            int error;                 /**< SSHKIT_OK, or why the attempt failed on the client's side
                                            without asking the server (a signer's error; see
                                            sshkit_auth_publickey_signer()) */
        } auth;
        /** For SSHKIT_EVENT_AUTH_PROMPT: answer with sshkit_auth_kbdint_respond(). */
        struct {
            const char *name;          /**< the request's name (may be "") */
            const char *instruction;   /**< its instruction (may be "") */
            unsigned count;            /**< the number of prompts (may be 0) */
            const char *const *prompts; /**< the prompts */
            const bool *echo;          /**< for each prompt, whether the answer may be shown */
        } prompt;
        /** For SSHKIT_EVENT_DISCONNECTED. */
        struct {
            int error;          /**< SSHKIT_OK for an orderly close, else why it ended */
            unsigned reason;    /**< the SSH disconnect reason code (RFC 4253 section 11.1), or 0 */
            bool by_peer;       /**< true when the peer ended it */
            const char *message; /**< the description sent or received */
        } disconnect;
        /** For the SSHKIT_EVENT_CHANNEL_* events but CHANNEL_REQUEST. */
        struct {
            sshkit_channel *channel;    /**< the channel */
            const char *type;           /**< OPEN_REQUEST: the channel type ("session", "direct-tcpip"...) */
            const uint8_t *data;        /**< OPEN_REQUEST: the type-specific data after the standard fields */
            size_t len;                 /**< its length */
            unsigned reason;            /**< OPEN_FAILED: the reason code (RFC 4254 section 5.1) */
            const char *message;        /**< OPEN_FAILED: the peer's description */
            int stream;                 /**< DATA: 0 for data, 1 for stderr (extended data) */
            bool success;               /**< REQUEST_RESULT: whether the peer granted it */
        } channel;
        /** For SSHKIT_EVENT_CHANNEL_REQUEST. Answer with
         *  sshkit_channel_request_reply() when want_reply is set. */
        struct {
            sshkit_channel *channel;    /**< the channel */
            const char *type;           /**< "exec", "shell", "pty-req", "env", "exit-status"... */
            bool want_reply;            /**< whether the peer waits for an answer */
            const uint8_t *data;        /**< the request's own fields, raw (see sshkit/channel.h for parsers) */
            size_t len;                 /**< their length */
        } request;
        /** For SSHKIT_EVENT_GLOBAL_REQUEST_RESULT (answers come in the order
         *  the requests were sent). */
        struct {
            bool success;               /**< whether the peer granted it */
            const uint8_t *data;        /**< the fields sent with REQUEST_SUCCESS, raw (such as
                                             the port tcpip-forward allocated); NULL when none */
            size_t len;                 /**< their length */
        } global;
    } u;
} sshkit_event;

/**
 * @brief Makes a session.
 * @param role Client or server.
 * @param[out] out The session, to be freed with sshkit_session_free().
 * @return 0 or SSHKIT_E_NOMEM.
 */
SSHKIT_API int sshkit_session_new(sshkit_role role, sshkit_session **out);

/**
 * @brief Frees a session, wiping its keys. NULL is a no-op.
 * @param session The session.
 */
SSHKIT_API void sshkit_session_free(sshkit_session *session);

/**
 * @brief Sets the algorithms offered of one kind, before the session starts.
 *
 * The list is comma-separated, in preference order, as in OpenSSH's
 * configuration: a list that starts with '+' appends to the default list,
 * '-' removes the names from it, '^' puts them first.
 *
 * @param session The session.
 * @param kind Which list.
 * @param list The list.
 * @return 0; SSHKIT_E_UNSUPPORTED when the list names an algorithm sshkit
 *         does not have (or leaves none); SSHKIT_E_STATE once started.
 */
SSHKIT_API int sshkit_session_set_algorithms(sshkit_session *session, sshkit_algorithm_kind kind,
                                             const char *list);

/**
 * @brief The algorithms a session offers of one kind.
 * @param session The session.
 * @param kind Which list.
 * @return The comma-separated list, owned by the session.
 */
SSHKIT_API const char *sshkit_session_get_algorithms(const sshkit_session *session,
                                                     sshkit_algorithm_kind kind);

/**
 * @brief The algorithm negotiated of one kind, once a key exchange is done.
 * @param session The session.
 * @param kind Which kind; for ciphers, MACs and compression the client to
 *             server direction.
 * @return The name, owned by the session; "" before the first key exchange
 *         (and for the MAC of an AEAD cipher).
 */
SSHKIT_API const char *sshkit_session_get_negotiated(const sshkit_session *session,
                                                     sshkit_algorithm_kind kind);

/**
 * @brief Adds a host key the server proves its identity with (server).
 *
 * The key is borrowed: it must stay alive, unchanged, as long as the
 * session. One key of each type may be given; the server offers the
 * signature algorithms its keys allow (rsa-sha2-512 and rsa-sha2-256 for
 * an RSA key).
 *
 * @param session The session.
 * @param key A key pair.
 * @return 0; SSHKIT_E_INVALID_ARGUMENT for a public key alone;
 *         SSHKIT_E_STATE for a client or once started.
 */
SSHKIT_API int sshkit_session_add_host_key(sshkit_session *session, const sshkit_key *key);

/**
 * @brief Sets the function that decides on the server's host key (client).
 *
 * Without one, a client refuses every host key: a connection that is not
 * verified is not made. sshkit_hostkey_verifier_check() (knownhosts.h) is
 * the ready-made check: known_hosts files, a policy and a callback.
 *
 * @param session The session.
 * @param check The function.
 * @param user Passed to it.
 */
SSHKIT_API void sshkit_session_set_host_key_check(sshkit_session *session,
                                                  sshkit_host_key_check_fn check, void *user);

/**
 * @brief Sets when to renew the keys: after so many bytes in either
 *        direction, or so many seconds (OpenSSH's RekeyLimit).
 *
 * Without it, keys are renewed after the cipher's safe limit, as OpenSSH
 * does (RFC 4344 section 3.2: 2^32 blocks for AES, 1 GiB for ciphers with
 * 8-byte blocks such as chacha20-poly1305), and never by time.
 *
 * @param session The session.
 * @param bytes Bytes; 0 for the cipher's default.
 * @param seconds Seconds; 0 for no limit by time.
 * @return 0.
 */
SSHKIT_API int sshkit_session_set_rekey_limit(sshkit_session *session, uint64_t bytes,
                                              uint32_t seconds);

/**
 * @brief Sends the session's log lines to a function.
 * @param session The session.
 * @param level The most detailed level wanted.
 * @param log The function, or NULL for none (the default).
 * @param user Passed to it.
 */
SSHKIT_API void sshkit_session_set_log(sshkit_session *session, sshkit_log_level level,
                                       sshkit_log_fn log, void *user);

/**
 * @brief Starts the session: queues the version line and the first KEXINIT.
 * @param session The session.
 * @return 0; SSHKIT_E_STATE if already started, or when a server has no
 *         host key.
 */
SSHKIT_API int sshkit_session_start(sshkit_session *session);

/**
 * @brief Gives the session bytes received from the peer and runs the
 *        protocol as far as they allow.
 *
 * It may take fewer bytes than given when its input buffer is full: give
 * the rest after handling events and sending pending output. A length of
 * 0 says that the peer closed the connection.
 *
 * @param session The session.
 * @param data The bytes.
 * @param len How many.
 * @return The number of bytes taken (0 <= n <= len), or a negative error
 *         when the session has failed; the error is final, pending output
 *         (a DISCONNECT message) should still be sent, and a
 *         SSHKIT_EVENT_DISCONNECTED event says why.
 */
SSHKIT_API int sshkit_session_receive(sshkit_session *session, const void *data, size_t len);

/**
 * @brief Lends the free space at the end of the session's input buffer, for
 *        the caller to receive bytes straight into (no copy).
 *
 * The zero-copy form of sshkit_session_receive(): read from the connection
 * into `*data`, at most `*room` bytes, then call sshkit_session_received()
 * with the count. The space belongs to the session: `*data` is valid only
 * until the next call on the session (of any function), which may move or
 * reallocate the buffer; in particular sshkit_session_received() consumes
 * it. Calling this function again without sshkit_session_received() in
 * between just offers the space again (the bytes written are ignored).
 *
 * The room is about 256 KiB, less what is left of a packet not yet
 * complete (more while a packet larger than that is incomplete); 0 when
 * the session can take nothing now. The buffer's memory is bounded
 * (about two of the largest packets) and is wiped when released.
 *
 *     uint8_t *buf; size_t room;
 *     if (sshkit_session_receive_buffer(s, &buf, &room) == 0 && room > 0) {
 *         ssize_t n = recv(fd, buf, room, 0);
 *         if (n >= 0) sshkit_session_received(s, (size_t)n);   // 0: end of stream
 *     }
 *
 * @param session The session.
 * @param[out] data Where to write received bytes (NULL when room is 0).
 * @param[out] room How many bytes may be written there.
 * @return 0; SSHKIT_E_STATE before sshkit_session_start(); the session's
 *         final error once it has failed or ended (as for
 *         sshkit_session_receive()); SSHKIT_E_NOMEM (the session then fails,
 *         with a SSHKIT_EVENT_DISCONNECTED event).
 */
SSHKIT_API int sshkit_session_receive_buffer(sshkit_session *session, uint8_t **data,
                                             size_t *room);

/**
 * @brief Hands over bytes written into the space that
 *        sshkit_session_receive_buffer() lent, and runs the protocol as far
 *        as they allow.
 *
 * The session always takes all `len` bytes (its room was sized for them).
 * A length of 0 says that the peer closed the connection, as for
 * sshkit_session_receive().
 *
 * @param session The session.
 * @param len How many bytes were written at the start of the space (at
 *        most the room given by the last sshkit_session_receive_buffer()
 *        call, with no other call on the session in between).
 * @return `len` (capped at INT32_MAX); SSHKIT_E_INVALID_ARGUMENT when `len`
 *         is more than the room lent (nothing is taken, the session goes
 *         on); or a negative error when the session has failed, as for
 *         sshkit_session_receive().
 */
SSHKIT_API int sshkit_session_received(sshkit_session *session, size_t len);

/**
 * @brief The bytes waiting to be sent to the peer.
 * @param session The session.
 * @param[out] data Where they start; valid until the next call on the session.
 * @return How many there are (0 when none).
 */
SSHKIT_API size_t sshkit_session_pending(sshkit_session *session, const uint8_t **data);

/**
 * @brief Says how many of the pending bytes were sent.
 * @param session The session.
 * @param len How many (at most what sshkit_session_pending() returned).
 */
SSHKIT_API void sshkit_session_sent(sshkit_session *session, size_t len);

/**
 * @brief Takes the next event.
 * @param session The session.
 * @param[out] event The event.
 * @return 1 with an event, 0 when there is none.
 */
SSHKIT_API int sshkit_session_next_event(sshkit_session *session, sshkit_event *event);

/**
 * @brief Tells the session the time, for limits by time (rekeying).
 * @param session The session.
 * @param now_ms Milliseconds on a monotonic clock (CLOCK_MONOTONIC).
 * @return 0, or a negative error when the session has failed.
 */
SSHKIT_API int sshkit_session_tick(sshkit_session *session, uint64_t now_ms);

/**
 * @brief Starts a key exchange now (as ssh's ~R).
 * @param session The session.
 * @return 0; SSHKIT_E_STATE before the first exchange is done or while one runs.
 */
SSHKIT_API int sshkit_session_rekey(sshkit_session *session);

/**
 * @brief Ends the session politely: queues SSH_MSG_DISCONNECT.
 * @param session The session.
 * @param reason An SSH disconnect reason code (11 for "by application").
 * @param message A description for the peer, or NULL.
 * @return 0 or SSHKIT_E_STATE when already ended.
 */
SSHKIT_API int sshkit_session_disconnect(sshkit_session *session, unsigned reason,
                                         const char *message);

/**
 * @brief Whether the session has ended (failed, or disconnected by either side).
 * @param session The session.
 * @return true once ended.
 */
SSHKIT_API bool sshkit_session_is_closed(const sshkit_session *session);

/**
 * @brief Whether a first key exchange has finished.
 * @param session The session.
 * @return true once the connection is encrypted.
 */
SSHKIT_API bool sshkit_session_is_secure(const sshkit_session *session);

/**
 * @brief A description of why the session failed, with detail
 *        ("no matching cipher found: client aes128-cbc server aes256-ctr").
 * @param session The session.
 * @return A string owned by the session; "" when nothing failed.
 */
SSHKIT_API const char *sshkit_session_last_error(const sshkit_session *session);

/**
 * @brief The peer's version line, once received.
 * @param session The session.
 * @return The line without CR LF, such as "SSH-2.0-OpenSSH_9.2p1"; "" before.
 */
SSHKIT_API const char *sshkit_session_peer_version(const sshkit_session *session);

/**
 * @brief The server's host key, once a key exchange has verified it (client).
 * @param session The session.
 * @return The key, owned by the session; NULL before.
 */
SSHKIT_API const sshkit_key *sshkit_session_host_key(const sshkit_session *session);

/**
 * @brief The session identifier: the first exchange hash (RFC 4253 section 7.2).
 * @param session The session.
 * @param[out] len Its length; 0 before the first key exchange.
 * @return The bytes, owned by the session.
 */
SSHKIT_API const uint8_t *sshkit_session_id(const sshkit_session *session, size_t *len);

#ifdef __cplusplus
}
#endif

#endif
