/**
 * @file sshkit/io.h
 * @brief Drivers that move a ::sshkit_session's bytes over a socket:
 *        connecting and listening, a blocking driver, and a non-blocking
 *        driver for the application's own poll loop.
 *
 * The session engine (session.h) does no I/O; these functions are the
 * loop around it. They use only the engine's public API, so an
 * application may write its own driver instead.
 *
 * Descriptors: every driver function takes a connected stream socket (TCP
 * or a UNIX socketpair). Blocking or non-blocking mode does not matter:
 * the drivers never block in read or write, they wait in poll() (blocking
 * driver) or return (non-blocking driver). Input the session cannot take
 * yet stays in the socket's buffer (the drivers peek, feed, and consume
 * only what the session took), so a driver keeps no state of its own and
 * back-pressure reaches the peer through TCP's window.
 *
 * Time limits: a @p timeout_ms argument is in milliseconds; a negative value
 * (::SSHKIT_IO_NO_TIMEOUT) waits without limit, 0 does not wait at all (as
 * poll()). Every wait is on CLOCK_MONOTONIC and survives EINTR.
 *
 * Client, blocking:
 * @code
 *   int fd; char why[256];
 *   if (sshkit_connect("example.org", 22, 10000, &fd, why, sizeof why) < 0) ...
 *   sshkit_session_new(SSHKIT_ROLE_CLIENT, &s);
 *   sshkit_session_set_host_key_check(s, check, kh);
 *   sshkit_session_start(s);
 *   rc = sshkit_blocking_handshake(s, fd, 10000);
 *   rc = sshkit_blocking_auth_publickey(s, fd, "alice", key, 30000);
 * @endcode
 *
 * Non-blocking, in an application's poll() loop:
 * @code
 *   unsigned want;
 *   sshkit_event ev;
 *   while ((rc = sshkit_nb_process(s, fd, &ev, &want)) == 1)
 *       handle(&ev);                // may call sshkit_auth_*() etc.
 *   if (rc == SSHKIT_E_AGAIN)
 *       pfd.events = (want & SSHKIT_WANT_READ ? POLLIN : 0)
 *                  | (want & SSHKIT_WANT_WRITE ? POLLOUT : 0);
 *   else
 *       close(fd);                  // SSHKIT_E_CLOSED or an error
 * @endcode
 */
#ifndef SSHKIT_IO_H
#define SSHKIT_IO_H

#include "common.h"
#include "key.h"
#include "session.h"
#include "auth.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A @p timeout_ms that waits without limit. */
#define SSHKIT_IO_NO_TIMEOUT (-1)

/** Non-blocking driver: wait until the descriptor is readable (POLLIN). */
#define SSHKIT_WANT_READ 1u
/** Non-blocking driver: wait until the descriptor is writable (POLLOUT). */
#define SSHKIT_WANT_WRITE 2u

/* ---- sockets --------------------------------------------------------- */

/**
 * @brief Opens a TCP connection to a host, trying each of its addresses
 *        (IPv6 and IPv4, in getaddrinfo()'s order) until one answers.
 *
 * The time limit is one budget for the whole call, shared by the
 * addresses in turn, as OpenSSH's ConnectTimeout: an address that does not
 * answer uses up the time the later ones would have had. (ssh also spends
 * what is left on the SSH handshake; give sshkit_blocking_handshake() the
 * rest to do the same.)
 *
 * The socket returned is blocking, close-on-exec, with TCP_NODELAY set.
 *
 * @param host A host name or a numeric address ("::1", "127.0.0.1").
 * @param port The TCP port (1 to 65535).
 * @param timeout_ms The time limit for all attempts together;
 *                   ::SSHKIT_IO_NO_TIMEOUT for the system's own limit.
 * @param[out] fd The connected socket, owned by the caller (close() it);
 *                -1 on failure.
 * @param err A buffer for a one-line description of a failure
 *            ("connect to host ::1 port 22: Connection refused"), or NULL.
 * @param err_size Its size in bytes (0 with a NULL @p err).
 * @return 0; SSHKIT_E_RESOLVE when the name has no address;
 *         SSHKIT_E_CONNECT when every address refused or was unreachable;
 *         SSHKIT_E_TIMEOUT when the time ran out; SSHKIT_E_IO when a
 *         socket could not be made; SSHKIT_E_INVALID_ARGUMENT for a NULL
 *         host or fd, or port 0.
 */
SSHKIT_API int sshkit_connect(const char *host, unsigned port, int timeout_ms, int *fd,
                              char *err, size_t err_size);

/**
 * @brief Opens a listening TCP socket.
 *
 * The socket is close-on-exec, non-blocking (take connections with
 * sshkit_accept()), with SO_REUSEADDR set. With a NULL @p bind_addr it
 * listens on every address, IPv6 and IPv4 on one socket where the system
 * allows, else IPv4 alone.
 *
 * @param bind_addr A local address or name ("127.0.0.1", "::1",
 *                  "localhost"), or NULL for every address.
 * @param port The port, or 0 for one the system chooses
 *             (sshkit_local_port() tells which).
 * @param backlog The listen() backlog (pending connections); 0 or less
 *                for the system's default.
 * @param[out] fd The listening socket, owned by the caller; -1 on failure.
 * @return 0; SSHKIT_E_RESOLVE when @p bind_addr has no address;
 *         SSHKIT_E_IO when no address could be bound (errno says why);
 *         SSHKIT_E_INVALID_ARGUMENT for a NULL fd or a port over 65535.
 */
SSHKIT_API int sshkit_listen(const char *bind_addr, unsigned port, int backlog, int *fd);

/**
 * @brief The local port of a socket (the one a listener chose for port 0).
 * @param fd A bound socket.
 * @return The port (1 to 65535), or SSHKIT_E_IO (errno says why).
 */
SSHKIT_API int sshkit_local_port(int fd);

/**
 * @brief Takes the next connection from a listening socket, waiting for it
 *        up to a time limit.
 *
 * The socket returned is blocking, close-on-exec, with TCP_NODELAY set.
 * Connections that fail between poll() and accept() are skipped.
 *
 * @param listen_fd A socket from sshkit_listen() (or any listening socket).
 * @param[out] client_fd The connection, owned by the caller; -1 on failure.
 * @param timeout_ms How long to wait; ::SSHKIT_IO_NO_TIMEOUT for ever, 0
 *                   to take only a connection already waiting.
 * @return 0; SSHKIT_E_TIMEOUT when no connection came in time;
 *         SSHKIT_E_IO when accept() or poll() failed (errno says why);
 *         SSHKIT_E_INVALID_ARGUMENT for a NULL client_fd.
 */
SSHKIT_API int sshkit_accept(int listen_fd, int *client_fd, int timeout_ms);

/**
 * @brief Puts a descriptor in non-blocking mode (O_NONBLOCK), as an
 *        application using the non-blocking driver usually wants.
 * @param fd The descriptor.
 * @return 0 or SSHKIT_E_IO (errno says why).
 */
SSHKIT_API int sshkit_set_nonblocking(int fd);

/* ---- non-blocking driver --------------------------------------------- */

/**
 * @brief Runs a session as far as it can go without blocking and returns
 *        its next event.
 *
 * In order: tells the session the time (CLOCK_MONOTONIC), returns an event
 * already queued, else writes pending output and reads what the socket
 * holds (as much as the session takes) until an event comes or the socket
 * would block. A session that failed has its last output (a DISCONNECT)
 * written first; output that cannot be written because the connection
 * broke is dropped, and the session is told the connection ended.
 *
 * Call it when poll() reports the descriptor ready (any revents, errors
 * included), and after every call that may queue output (sshkit_auth_*(),
 * sshkit_session_disconnect(), sshkit_session_rekey()...), until it stops
 * returning 1. It never blocks, whether or not @p fd is O_NONBLOCK.
 *
 * Time-based rekeying (sshkit_session_set_rekey_limit() with seconds)
 * needs a call now and then: give poll() a timeout (a second is plenty).
 *
 * @param session A started session.
 * @param fd Its connected stream socket.
 * @param[out] event The event when 1 is returned; its pointers stay valid
 *                   until the next call on the session.
 * @param[out] want When SSHKIT_E_AGAIN is returned: SSHKIT_WANT_READ
 *                  and/or SSHKIT_WANT_WRITE, what to poll() for before
 *                  calling again; 0 otherwise.
 * @return 1 with an event; SSHKIT_E_AGAIN when nothing more can be done
 *         until @p fd is ready as @p want says; SSHKIT_E_CLOSED once the
 *         session has ended, its events have all been returned and its
 *         output written (close the socket and free the session);
 *         SSHKIT_E_STATE when the session refuses input with no event or
 *         output to show for it (it cannot make progress);
 *         SSHKIT_E_IO when @p fd is not a usable socket (errno says why);
 *         SSHKIT_E_INVALID_ARGUMENT for NULL arguments.
 */
SSHKIT_API int sshkit_nb_process(sshkit_session *session, int fd, sshkit_event *event,
                                 unsigned *want);

/* ---- blocking driver ------------------------------------------------- */

/**
 * @brief Runs a session until its next event, waiting in poll().
 *
 * When the event is SSHKIT_EVENT_DISCONNECTED, the session's last output
 * (its DISCONNECT) is written, within the time limit, before returning.
 *
 * @param session A started session.
 * @param fd Its connected stream socket.
 * @param[out] event The event; its pointers stay valid until the next
 *                   call on the session.
 * @param timeout_ms The time limit.
 * @return 1 with an event; SSHKIT_E_TIMEOUT when none came in time (the
 *         session goes on; call again, or end it with
 *         sshkit_blocking_disconnect()); SSHKIT_E_CLOSED once the session
 *         has ended and every event has been returned; otherwise an error
 *         as sshkit_nb_process().
 */
SSHKIT_API int sshkit_blocking_wait_event(sshkit_session *session, int fd, sshkit_event *event,
                                          int timeout_ms);

/**
 * @brief Writes all of a session's pending output.
 * @param session A session.
 * @param fd Its connected stream socket.
 * @param timeout_ms The time limit.
 * @return 0 when everything is written; SSHKIT_E_TIMEOUT;
 *         SSHKIT_E_CONNECTION_CLOSED when the connection broke (the output
 *         is dropped); SSHKIT_E_IO for an unusable descriptor.
 */
SSHKIT_API int sshkit_blocking_flush(sshkit_session *session, int fd, int timeout_ms);

/**
 * @brief Runs a client or server session until its first key exchange is
 *        done (SSHKIT_EVENT_KEX_DONE), or returns at once when it is done
 *        already. Call sshkit_session_start() first.
 * @param session A started session.
 * @param fd Its connected stream socket.
 * @param timeout_ms The time limit.
 * @return 0; SSHKIT_E_TIMEOUT; when the session ends first, the reason
 *         its SSHKIT_EVENT_DISCONNECTED event gave (such as
 *         SSHKIT_E_HOST_KEY_REJECTED or SSHKIT_E_NO_COMMON_ALGORITHM; see
 *         sshkit_session_last_error()), SSHKIT_E_CLOSED for an orderly end;
 *         other errors as sshkit_blocking_wait_event().
 */
SSHKIT_API int sshkit_blocking_handshake(sshkit_session *session, int fd, int timeout_ms);

/**
 * @brief Runs a session until an event of one type, dropping the events
 *        of other types met on the way (an authentication banner, a
 *        rekey's SSHKIT_EVENT_KEX_DONE...).
 * @param session A started session.
 * @param fd Its connected stream socket.
 * @param type The event type wanted.
 * @param[out] event The event, or NULL when its content is not wanted.
 * @param timeout_ms The time limit.
 * @return 0 with the event; errors as sshkit_blocking_handshake() (when
 *         @p type is SSHKIT_EVENT_DISCONNECTED, that event is returned with 0).
 */
SSHKIT_API int sshkit_blocking_wait_for(sshkit_session *session, int fd, sshkit_event_type type,
                                        sshkit_event *event, int timeout_ms);

/**
 * @brief Ends a session: queues SSH_MSG_DISCONNECT and writes it.
 * @param session A session.
 * @param fd Its connected stream socket.
 * @param reason An SSH disconnect reason code (11: by application).
 * @param message A description for the peer, or NULL.
 * @param timeout_ms The time limit for writing.
 * @return 0, or an error as sshkit_blocking_flush(); a session that has
 *         ended already only has its output flushed.
 */
SSHKIT_API int sshkit_blocking_disconnect(sshkit_session *session, int fd, unsigned reason,
                                          const char *message, int timeout_ms);

/**
 * @brief Authenticates with method "none" and waits for the answer
 *        (client). Banners met on the way are dropped.
 * @param session A client session whose first key exchange is done.
 * @param fd Its connected stream socket.
 * @param user The user name.
 * @param timeout_ms The time limit.
 * @return The outcome, a ::sshkit_auth_status (0 for success); an error
 *         from sshkit_auth_none(); otherwise errors as sshkit_blocking_handshake().
 */
SSHKIT_API int sshkit_blocking_auth_none(sshkit_session *session, int fd, const char *user,
                                         int timeout_ms);

/**
 * @brief Authenticates with a password and waits for the answer (client).
 * @param session A client session whose first key exchange is done.
 * @param fd Its connected stream socket.
 * @param user The user name.
 * @param password The password (copied by the session, wiped once sent).
 * @param timeout_ms The time limit.
 * @return As sshkit_blocking_auth_none().
 */
SSHKIT_API int sshkit_blocking_auth_password(sshkit_session *session, int fd, const char *user,
                                             const char *password, int timeout_ms);

/**
 * @brief Authenticates with a key pair and waits for the answer (client).
 * @param session A client session whose first key exchange is done.
 * @param fd Its connected stream socket.
 * @param user The user name.
 * @param key The key pair; borrowed for the duration of the call.
 * @param timeout_ms The time limit.
 * @return As sshkit_blocking_auth_none().
 */
SSHKIT_API int sshkit_blocking_auth_publickey(sshkit_session *session, int fd, const char *user,
                                              const sshkit_key *key, int timeout_ms);

/**
 * @brief Authenticates with a public key and a signing function (an
 *        agent's: sshkit_agent_signer()) and waits for the answer (client);
 *        see sshkit_auth_publickey_signer().
 * @param session A client session whose first key exchange is done.
 * @param fd Its connected stream socket.
 * @param user The user name.
 * @param key The public key; borrowed for the duration of the call.
 * @param sign The signing function.
 * @param sign_ctx Passed to it.
 * @param timeout_ms The time limit (the signer's own waiting included).
 * @return As sshkit_blocking_auth_none(); a signer's failure gives
 *         SSHKIT_AUTH_FAILURE, as a refusal by the server does.
 */
SSHKIT_API int sshkit_blocking_auth_publickey_signer(sshkit_session *session, int fd,
                                                     const char *user, const sshkit_key *key,
                                                     sshkit_sign_fn sign, void *sign_ctx,
                                                     int timeout_ms);

/* ---- server ------------------------------------------------------------ */

/**
 * @brief Makes and starts a server session: its host keys added, its
 *        authentication callbacks set. Drive it with either driver on the
 *        socket sshkit_accept() gave.
 * @param host_keys Key pairs, borrowed for the session's lifetime (at most
 *                  one of each type).
 * @param count How many (at least 1).
 * @param auth The authentication callbacks (copied), or NULL for none.
 * @param[out] out The started session, to be freed with sshkit_session_free().
 * @return 0; SSHKIT_E_INVALID_ARGUMENT for no keys or a public key alone;
 *         SSHKIT_E_NOMEM; any error of sshkit_session_add_host_key(),
 *         sshkit_server_set_auth() or sshkit_session_start().
 */
SSHKIT_API int sshkit_server_session_new(const sshkit_key *const *host_keys, size_t count,
                                         const sshkit_server_auth *auth, sshkit_session **out);

#ifdef __cplusplus
}
#endif

#endif
