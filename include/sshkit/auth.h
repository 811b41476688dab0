/**
 * @file sshkit/auth.h
 * @brief User authentication (RFC 4252, RFC 4256): the client's methods,
 *        and the server's decisions through callbacks.
 *
 * Client: once the first key exchange is done (SSHKIT_EVENT_KEX_DONE),
 * start one attempt at a time with the sshkit_auth_* functions; each
 * attempt ends with an SSHKIT_EVENT_AUTH_RESULT event (keyboard-interactive
 * may first raise SSHKIT_EVENT_AUTH_PROMPT events). The first attempt asks
 * the server for the "ssh-userauth" service by itself.
 *
 * Give every attempt the same user name: OpenSSH's server (like sshkit's)
 * ends the session when it changes.
 *
 * Server: set callbacks with sshkit_server_set_auth() before
 * sshkit_session_start(). A user is authenticated only when a method's
 * callback accepts and every method the server requires has succeeded;
 * SSHKIT_EVENT_AUTHENTICATED then says who. Nothing the client sends
 * before that reaches the connection layer.
 *
 * The server's rules, as OpenSSH's sshd:
 * - The first request for service "ssh-connection" fixes the user name;
 *   a request with another name ends the session (PROTOCOL_ERROR).
 *   Requests for other services fail.
 * - Every request that fails counts against max_tries (MaxAuthTries),
 *   except a "none" request that is the client's first; reaching the limit
 *   ends the session with reason 14 (NO_MORE_AUTH_METHODS_AVAILABLE),
 *   "Too many authentication failures". A publickey query that gets
 *   PK_OK, and a method that succeeds, do not count.
 * - Unknown users get the same answers from sshkit as known ones: the
 *   password callback is always called, and a signature is verified
 *   before the publickey callback is asked. (Keep the callbacks' answers,
 *   including the methods list, the same for unknown users too.)
 * - The banner, if any, is sent once, before the reply to the first request.
 * - Publickey signature algorithms: ssh-ed25519, ecdsa-sha2-nistp256/384/521,
 *   rsa-sha2-512, rsa-sha2-256; never ssh-rsa (SHA-1).
 * - A password change request (RFC 4252 section 8) fails.
 * - A new request during keyboard-interactive abandons the dialogue and
 *   counts as a failure; the next keyboard-interactive starts at round 0.
 * - Requests after success are ignored (RFC 4252 section 5.1); any other
 *   userauth message out of place ends the session (PROTOCOL_ERROR).
 */
#ifndef SSHKIT_AUTH_H
#define SSHKIT_AUTH_H

#include <stdbool.h>
#include "common.h"
#include "key.h"
#include "session.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- client ---------------------------------------------------------- */

/**
 * @brief Asks with method "none", to learn which methods the server takes
 *        (or to log in where no authentication is needed).
 * @param session A client session.
 * @param user The user name (UTF-8, at most 256 bytes).
 * @return 0 when the request is queued; SSHKIT_E_STATE before the first key
 *         exchange, while another attempt runs, once authenticated, or for
 *         a server session; SSHKIT_E_INVALID_ARGUMENT for a NULL or too
 *         long user name.
 */
SSHKIT_API int sshkit_auth_none(sshkit_session *session, const char *user);

/**
 * @brief Tries a password.
 * @param session A client session.
 * @param user The user name.
 * @param password The password (at most 1024 bytes); copied, and the copy
 *                 wiped once sent.
 * @return 0 when queued; SSHKIT_E_INVALID_ARGUMENT for a NULL or too long
 *         password; otherwise as sshkit_auth_none().
 */
SSHKIT_API int sshkit_auth_password(sshkit_session *session, const char *user,
                                    const char *password);

/**
 * @brief Tries a public key: asks the server whether it would accept the
 *        key, and if it would, signs and sends the real request. For RSA
 *        keys the signature algorithm is rsa-sha2-512 or rsa-sha2-256 as
 *        the server's server-sig-algs allows (RFC 8308), rsa-sha2-256 when
 *        the server sent no list; SHA-1 "ssh-rsa" signatures are never made.
 * @param session A client session.
 * @param user The user name.
 * @param key A key pair; borrowed until the attempt's result event.
 * @return 0 when queued; SSHKIT_E_INVALID_ARGUMENT for a public key alone;
 *         SSHKIT_E_STATE as for sshkit_auth_none().
 */
SSHKIT_API int sshkit_auth_publickey(sshkit_session *session, const char *user,
                                     const sshkit_key *key);

/**
 * @brief Tries a public key whose private half lives elsewhere (an
 *        ssh-agent, a token): as sshkit_auth_publickey(), but the
 *        signature comes from a function.
 *
 * The function is called once, when the server has said it would accept
 * the key (USERAUTH_PK_OK), from within the call that gave the session
 * that message (sshkit_session_receive(), or a driver): it may block for
 * as long as it needs (an agent answers over a local socket; one that
 * asks the user to confirm may take a while), the session waits. The
 * algorithm it is asked for follows the rules of sshkit_auth_publickey().
 *
 * When the function fails, nothing is sent: the attempt ends with an
 * SSHKIT_EVENT_AUTH_RESULT event of status SSHKIT_AUTH_FAILURE whose
 * error field holds the function's error, and whose methods are those of
 * the server's last failure ("publickey" when there was none); the session
 * goes on, and the next attempt may start.
 * @param session A client session.
 * @param user The user name.
 * @param key The public key (a key pair works too; its private half is not
 *            used); borrowed until the attempt's result event.
 * @param sign The signing function, such as sshkit_agent_signer() (sshkit/agent.h).
 * @param sign_ctx Passed to it (for sshkit_agent_signer(), the ::sshkit_agent);
 *                 borrowed until the attempt's result event.
 * @return 0 when queued; SSHKIT_E_INVALID_ARGUMENT for a NULL key or sign;
 *         SSHKIT_E_STATE as for sshkit_auth_none().
 */
SSHKIT_API int sshkit_auth_publickey_signer(sshkit_session *session, const char *user,
                                            const sshkit_key *key, sshkit_sign_fn sign,
                                            void *sign_ctx);

/**
 * @brief Starts keyboard-interactive authentication (RFC 4256).
 * @param session A client session.
 * @param user The user name.
 * @return 0 when queued, or SSHKIT_E_STATE as for sshkit_auth_none().
 */
SSHKIT_API int sshkit_auth_kbdint(sshkit_session *session, const char *user);

/**
 * @brief Answers the prompts of the last SSHKIT_EVENT_AUTH_PROMPT.
 *
 * Every prompt event needs an answer, also one with no prompts (count 0,
 * answers may then be NULL): the server waits for it.
 * @param session A client session.
 * @param answers One answer per prompt (UTF-8, at most 1024 bytes each);
 *                written straight into the outgoing message, no copy kept.
 * @param count The number of answers: the event's prompt count.
 * @return 0; SSHKIT_E_INVALID_ARGUMENT for a wrong count, a NULL answer or
 *         one too long; SSHKIT_E_STATE when no prompt is waiting.
 */
SSHKIT_API int sshkit_auth_kbdint_respond(sshkit_session *session, const char *const *answers,
                                          unsigned count);

/**
 * @brief Whether the client has authenticated.
 * @param session A session.
 * @return true once the server accepted (client), or a user authenticated (server).
 */
SSHKIT_API bool sshkit_auth_is_done(const sshkit_session *session);

/* ---- server ---------------------------------------------------------- */

/** What a server's callback decides. Anything but SSHKIT_AUTH_ACCEPT
 *  refuses (SSHKIT_AUTH_CONTINUE too, outside keyboard-interactive). */
typedef enum sshkit_auth_decision {
    SSHKIT_AUTH_ACCEPT = 0,     /**< this method succeeds for this user */
    SSHKIT_AUTH_REJECT,         /**< it does not */
    SSHKIT_AUTH_CONTINUE        /**< keyboard-interactive: send the next round and wait */
} sshkit_auth_decision;

/** One keyboard-interactive round a server sends. */
typedef struct sshkit_kbdint_request {
    const char *name;           /**< shown as a title; may be "" */
    const char *instruction;    /**< shown before the prompts; may be "" */
    unsigned count;             /**< the number of prompts (0 to 64) */
    const char *const *prompts; /**< the prompts */
    const bool *echo;           /**< whether each answer may be shown */
} sshkit_kbdint_request;

/** The server's authentication callbacks. Any may be NULL: that method is
 *  then never offered. Strings given to callbacks are valid during the
 *  call only. */
typedef struct sshkit_server_auth {
    /**
     * @brief The methods offered to a user, comma-separated, in order
     *        (e.g. "publickey,password"); called for every request.
     *
     * Names are "publickey", "password", "keyboard-interactive" and
     * "none"; unknown names, repeats and methods without a callback are
     * left out. "none" in the list lets the user in with no
     * authentication at all (it is never shown to clients); "" lets
     * nobody in. A NULL function, or a NULL return, means
     * "publickey,password,keyboard-interactive" (those with a callback).
     * With require_all (below), every method of the list must succeed,
     * one after the other in the list's order (as OpenSSH's
     * AuthenticationMethods "publickey,password"); otherwise any one is
     * enough.
     */
    const char *(*methods)(void *user, const char *username);
    /**
     * @brief Checks a password.
     * @return SSHKIT_AUTH_ACCEPT or SSHKIT_AUTH_REJECT.
     */
    sshkit_auth_decision (*password)(void *user, const char *username, const char *password);
    /**
     * @brief Whether a public key may log a user in. Called when the client
     *        asks, and again before a signed request is accepted (after the
     *        signature has been verified), so it may be called once or twice
     *        for one key.
     * @return SSHKIT_AUTH_ACCEPT or SSHKIT_AUTH_REJECT.
     */
    sshkit_auth_decision (*publickey)(void *user, const char *username, const sshkit_key *key);
    /**
     * @brief Starts or continues keyboard-interactive authentication.
     * @param round 0 for the start; then the number of answered rounds.
     * @param answers The answers to the previous round (NULL at round 0);
     *        wiped after the call.
     * @param count Their number.
     * @param[out] next The next round to send, filled by the callback
     *             (its strings must stay valid until the next callback).
     * @return SSHKIT_AUTH_ACCEPT or SSHKIT_AUTH_REJECT to finish;
     *         SSHKIT_AUTH_CONTINUE to send *next and wait for its answers.
     *         Any other value refuses.
     */
    int (*kbdint)(void *user, const char *username, unsigned round, const char *const *answers,
                  unsigned count, sshkit_kbdint_request *next);
    /** Text sent to every client once, before the reply to its first
     *  request (NULL or "" for none). */
    const char *banner;
    /** Failed attempts allowed before disconnecting (MaxAuthTries); 0 means 6.
     *  As OpenSSH, the session ends when the failures reach this number. */
    unsigned max_tries;
    /** Seconds a client has to authenticate, counted from the session's
     *  first sshkit_session_tick() (LoginGraceTime); 0 means 120, as
     *  OpenSSH. The session then ends with SSHKIT_E_TIMEOUT. The drivers
     *  tick the session; an application driving it by hand must too. */
    unsigned login_grace_seconds;
    /** Whether every method of the methods list is required, in order. A
     *  client that passes one of them gets a FAILURE with partial success
     *  set, listing the next method. */
    bool require_all;
    /** Passed to every callback. */
    void *user;
} sshkit_server_auth;

/**
 * @brief Sets a server's authentication callbacks, before it starts.
 * @param session A server session.
 * @param auth The callbacks; copied (the pointers in it are kept).
 * @return 0; SSHKIT_E_STATE for a client or once started.
 */
SSHKIT_API int sshkit_server_set_auth(sshkit_session *session, const sshkit_server_auth *auth);

/**
 * @brief The authenticated user's name (server), or the name the client
 *        authenticated as (client).
 * @param session A session.
 * @return The name, owned by the session; NULL before authentication.
 */
SSHKIT_API const char *sshkit_auth_user(const sshkit_session *session);

#ifdef __cplusplus
}
#endif

#endif
