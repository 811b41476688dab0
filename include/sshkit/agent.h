/**
 * @file sshkit/agent.h
 * @brief A client of ssh-agent (draft-miller-ssh-agent, RFC 9987): list the
 *        keys an agent holds, sign with them, add and remove keys.
 *
 * An ::sshkit_agent is one connection to an agent's Unix socket, usually
 * the one $SSH_AUTH_SOCK names. Each call sends one request and waits for
 * its answer, at most the time limit given when connecting. The keys'
 * private halves stay in the agent; a signature is made there:
 *
 * @code
 *   sshkit_agent *agent;
 *   sshkit_key **keys; size_t n;
 *   if (sshkit_agent_connect(NULL, 10000, &agent) == 0 &&
 *       sshkit_agent_list(agent, &keys, &n) == 0) {
 *       for (size_t i = 0; i < n; i++)
 *           if (sshkit_blocking_auth_publickey_signer(s, fd, user, keys[i],
 *                   sshkit_agent_signer, agent, 30000) == SSHKIT_AUTH_SUCCESS)
 *               break;
 *       sshkit_agent_keys_free(keys, n);
 *   }
 *   sshkit_agent_free(agent);
 * @endcode
 *
 * Replies are read whole before they are parsed, and refused when longer
 * than 256 KiB (as OpenSSH's client does); every length inside is checked.
 * After a failure that leaves the connection out of step (a timeout, a
 * malformed or oversized reply, a closed socket), the connection is closed
 * and every later call returns SSHKIT_E_CONNECTION_CLOSED; an agent that
 * merely refuses a request (SSH_AGENT_FAILURE) gives SSHKIT_E_REFUSED and
 * stays usable.
 *
 * An agent handle is used from one thread at a time.
 */
#ifndef SSHKIT_AGENT_H
#define SSHKIT_AGENT_H

#include <stdbool.h>
#include "common.h"
#include "key.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A connection to an ssh-agent. Opaque. */
typedef struct sshkit_agent sshkit_agent;

/** The environment variable that names the agent's socket. */
#define SSHKIT_AGENT_SOCKET_ENV "SSH_AUTH_SOCK"

/** The longest reply sshkit reads from an agent, in bytes. */
#define SSHKIT_AGENT_MAX_REPLY (256u * 1024u)

/** The most identities sshkit takes from one list (as OpenSSH's client). */
#define SSHKIT_AGENT_MAX_IDENTITIES 2048u

/** Constraints on a key added to an agent (draft-miller-ssh-agent section 4.2.6). */
typedef struct sshkit_agent_constraints {
    /** Seconds the agent keeps the key; 0 for as long as it runs. */
    uint32_t lifetime;
    /** Whether the agent asks the user (ssh-askpass) before each use. */
    bool confirm;
} sshkit_agent_constraints;

/**
 * @brief Connects to an agent.
 * @param path The agent's Unix socket, or NULL for $SSH_AUTH_SOCK.
 * @param timeout_ms The time limit for each request's answer, in
 *                   milliseconds; a negative value waits without limit,
 *                   as ssh does (an agent that asks the user to
 *                   confirm a signature may take a while).
 * @param[out] out The connection, to be freed with sshkit_agent_free().
 * @return 0; SSHKIT_E_NOT_FOUND when path is NULL and $SSH_AUTH_SOCK is
 *         unset or empty; SSHKIT_E_INVALID_ARGUMENT for a NULL out or a
 *         path too long for a Unix socket; SSHKIT_E_CONNECT when nothing
 *         listens there (errno says why); SSHKIT_E_IO or SSHKIT_E_NOMEM.
 */
SSHKIT_API int sshkit_agent_connect(const char *path, int timeout_ms, sshkit_agent **out);

/**
 * @brief Makes an agent handle from a connected stream socket (one end of
 *        a socketpair, an inherited descriptor).
 * @param fd The socket; owned by the handle from now on, also on failure
 *           (it is closed by sshkit_agent_free()).
 * @param timeout_ms As for sshkit_agent_connect().
 * @param[out] out The handle, to be freed with sshkit_agent_free().
 * @return 0; SSHKIT_E_INVALID_ARGUMENT for a negative fd or NULL out;
 *         SSHKIT_E_NOMEM.
 */
SSHKIT_API int sshkit_agent_from_fd(int fd, int timeout_ms, sshkit_agent **out);

/**
 * @brief Closes the connection and frees the handle. NULL is a no-op.
 * @param agent The handle.
 */
SSHKIT_API void sshkit_agent_free(sshkit_agent *agent);

/**
 * @brief Lists the keys the agent holds (SSH_AGENTC_REQUEST_IDENTITIES).
 *
 * Keys of types sshkit does not know (certificates, security keys, DSA)
 * are skipped, as OpenSSH's client skips what it cannot read.
 * @param agent The connection.
 * @param[out] keys An array of public keys, each with the agent's comment
 *                  (sshkit_key_comment()); free it with
 *                  sshkit_agent_keys_free(). NULL when the agent has none.
 * @param[out] count How many.
 * @return 0; SSHKIT_E_REFUSED when the agent answers with a failure (a
 *         locked agent may); SSHKIT_E_TOO_LARGE for a reply over
 *         ::SSHKIT_AGENT_MAX_REPLY or more than ::SSHKIT_AGENT_MAX_IDENTITIES
 *         keys; SSHKIT_E_PROTOCOL for a reply of another type, or one that
 *         is truncated, malformed or has bytes left over; errors of the
 *         connection (SSHKIT_E_TIMEOUT, SSHKIT_E_CONNECTION_CLOSED,
 *         SSHKIT_E_IO); SSHKIT_E_NOMEM.
 */
SSHKIT_API int sshkit_agent_list(sshkit_agent *agent, sshkit_key ***keys, size_t *count);

/**
 * @brief Frees what sshkit_agent_list() gave. NULL is a no-op.
 * @param keys The array.
 * @param count Its length.
 */
SSHKIT_API void sshkit_agent_keys_free(sshkit_key **keys, size_t count);

/**
 * @brief Has the agent sign data with one of its keys
 *        (SSH_AGENTC_SIGN_REQUEST), in the same form as sshkit_key_sign().
 *
 * The signature is checked before it is returned: it must use the
 * algorithm asked for and verify with the key.
 * @param agent The connection.
 * @param key The key (its public half is enough).
 * @param algorithm "rsa-sha2-512" or "rsa-sha2-256" for RSA (the agent is
 *                  asked with the matching flag; "ssh-rsa" is refused), the
 *                  key's type name for the other types; NULL picks the
 *                  key's default (rsa-sha2-512 for RSA).
 * @param data The data to sign.
 * @param len Its length.
 * @param[out] sig The signature (string algorithm, string blob), to be
 *                 freed with sshkit_free(); NULL on failure.
 * @param[out] sig_len Its length.
 * @return 0; SSHKIT_E_REFUSED when the agent refuses (it does not hold the
 *         key, the user did not confirm, it is locked); SSHKIT_E_SIGNATURE
 *         when the signature does not verify or uses another algorithm;
 *         SSHKIT_E_INVALID_ARGUMENT for an algorithm that does not fit the
 *         key or NULL arguments; otherwise as sshkit_agent_list().
 */
SSHKIT_API int sshkit_agent_sign(sshkit_agent *agent, const sshkit_key *key,
                                 const char *algorithm, const uint8_t *data, size_t len,
                                 uint8_t **sig, size_t *sig_len);

/**
 * @brief sshkit_agent_sign() in the shape of ::sshkit_sign_fn, for
 *        sshkit_auth_publickey_signer() with the agent as its context.
 * @param agent The ::sshkit_agent.
 * @param key The key.
 * @param algorithm The signature algorithm.
 * @param data The data to sign.
 * @param len Its length.
 * @param[out] sig The signature, to be freed with sshkit_free().
 * @param[out] sig_len Its length.
 * @return As sshkit_agent_sign().
 */
SSHKIT_API int sshkit_agent_signer(void *agent, const sshkit_key *key, const char *algorithm,
                                   const uint8_t *data, size_t len, uint8_t **sig,
                                   size_t *sig_len);

/**
 * @brief Gives the agent a key pair to hold (SSH_AGENTC_ADD_IDENTITY, or
 *        SSH_AGENTC_ADD_ID_CONSTRAINED with constraints). Adding a key the
 *        agent holds already replaces its comment and constraints.
 * @param agent The connection.
 * @param key A key pair. Its private half is written into a buffer that
 *            is wiped once sent.
 * @param comment The comment the agent shows (ssh-add -l), or NULL for the
 *                key's own.
 * @param constraints A lifetime and confirmation, or NULL for none.
 * @return 0; SSHKIT_E_INVALID_ARGUMENT for a public key alone or NULL
 *         arguments; SSHKIT_E_REFUSED when the agent refuses (a locked
 *         agent, a constraint it does not support); otherwise as
 *         sshkit_agent_list().
 */
SSHKIT_API int sshkit_agent_add(sshkit_agent *agent, const sshkit_key *key, const char *comment,
                                const sshkit_agent_constraints *constraints);

/**
 * @brief Removes one key from the agent (SSH_AGENTC_REMOVE_IDENTITY).
 * @param agent The connection.
 * @param key The key (its public half is enough).
 * @return 0; SSHKIT_E_REFUSED when the agent does not hold it; otherwise
 *         as sshkit_agent_list().
 */
SSHKIT_API int sshkit_agent_remove(sshkit_agent *agent, const sshkit_key *key);

/**
 * @brief Removes every key from the agent (SSH_AGENTC_REMOVE_ALL_IDENTITIES).
 * @param agent The connection.
 * @return 0, SSHKIT_E_REFUSED, or as sshkit_agent_list().
 */
SSHKIT_API int sshkit_agent_remove_all(sshkit_agent *agent);

/**
 * @brief Locks the agent with a passphrase (SSH_AGENTC_LOCK): until it is
 *        unlocked it lists no keys and makes no signatures.
 * @param agent The connection.
 * @param passphrase The passphrase (at most 1024 bytes).
 * @return 0; SSHKIT_E_REFUSED when it is locked already; otherwise as
 *         sshkit_agent_list().
 */
SSHKIT_API int sshkit_agent_lock(sshkit_agent *agent, const char *passphrase);

/**
 * @brief Unlocks a locked agent (SSH_AGENTC_UNLOCK).
 * @param agent The connection.
 * @param passphrase The passphrase it was locked with.
 * @return 0; SSHKIT_E_REFUSED for a wrong passphrase or an agent that is
 *         not locked; otherwise as sshkit_agent_list().
 */
SSHKIT_API int sshkit_agent_unlock(sshkit_agent *agent, const char *passphrase);

#ifdef __cplusplus
}
#endif

#endif
