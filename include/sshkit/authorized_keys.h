/**
 * @file sshkit/authorized_keys.h
 * @brief One line of an OpenSSH authorized_keys file: options, key, comment.
 *
 * A line is `[options] type base64 [comment]`, as sshd(8) describes under
 * "AUTHORIZED_KEYS FILE FORMAT". Options are comma-separated, each either
 * `name` or `name="value"`; inside the quotes, a backslash followed by a
 * quote stands for the quote (any other backslash is kept as it is). For
 * example:
 *
 * @code{.unparsed}
 * command="echo hi",no-pty,from="10.0.0.0/8,!10.1.*" ssh-ed25519 AAAA... me@host
 * @endcode
 *
 * The parser checks the syntax only; what an option means (and whether it
 * is known at all) is the server's business.
 */
#ifndef SSHKIT_AUTHORIZED_KEYS_H
#define SSHKIT_AUTHORIZED_KEYS_H

#include <stddef.h>
#include "common.h"
#include "key.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A parsed authorized_keys line. Opaque. */
typedef struct sshkit_authorized_key sshkit_authorized_key;

/** Most options sshkit accepts on one line; more is SSHKIT_E_TOO_LARGE. */
#define SSHKIT_AUTHORIZED_KEY_MAX_OPTIONS 128

/**
 * @brief Parses one authorized_keys line.
 * @param line The line. One final line terminator (LF or CRLF) is allowed;
 *             any other CR, LF or NUL in it is SSHKIT_E_FORMAT.
 * @param len Its length.
 * @param[out] out The parsed line, to be freed with sshkit_authorized_key_free();
 *                 NULL on failure.
 * @return 0; SSHKIT_E_NOT_FOUND for a blank line or a comment (first
 *         non-blank character '#'); SSHKIT_E_FORMAT for bad option syntax
 *         (an empty option, a bad character in a name, an unquoted value, an
 *         unbalanced quote, no key after the options) or a malformed key
 *         (including a type word that does not match its blob);
 *         SSHKIT_E_BASE64; SSHKIT_E_UNKNOWN_KEY_TYPE; SSHKIT_E_TOO_LARGE
 *         (over SSHKIT_AUTHORIZED_KEY_MAX_OPTIONS options); SSHKIT_E_NOMEM;
 *         SSHKIT_E_INVALID_ARGUMENT when line or out is NULL.
 */
SSHKIT_API int sshkit_authorized_key_parse(const char *line, size_t len,
                                           sshkit_authorized_key **out);

/**
 * @brief Frees a parsed line and its key. NULL is a no-op.
 * @param ak The parsed line.
 */
SSHKIT_API void sshkit_authorized_key_free(sshkit_authorized_key *ak);

/**
 * @brief The line's public key.
 * @param ak The parsed line.
 * @return The key, borrowed: it lives as long as @p ak (do not free it).
 */
SSHKIT_API const sshkit_key *sshkit_authorized_key_get_key(const sshkit_authorized_key *ak);

/**
 * @brief The line's comment: everything after the key's base64 and the
 *        blanks that follow it.
 * @param ak The parsed line.
 * @return The comment, owned by @p ak; "" when there is none.
 */
SSHKIT_API const char *sshkit_authorized_key_comment(const sshkit_authorized_key *ak);

/**
 * @brief How many options the line has.
 * @param ak The parsed line.
 * @return The number of options, in the order they appear (0 when none).
 */
SSHKIT_API size_t sshkit_authorized_key_option_count(const sshkit_authorized_key *ak);

/**
 * @brief One option.
 * @param ak The parsed line.
 * @param index Which option, from 0.
 * @param[out] name Its name as written, owned by @p ak.
 * @param[out] value Its value without the quotes, each backslash-quote
 *                   pair turned into a quote, owned
 *                   by @p ak; NULL for an option without a value. May be NULL.
 * @return 0, or SSHKIT_E_NOT_FOUND when index is out of range.
 */
SSHKIT_API int sshkit_authorized_key_option(const sshkit_authorized_key *ak, size_t index,
                                            const char **name, const char **value);

/**
 * @brief Finds an option by name, ignoring case as sshd does. Options that
 *        may repeat (permitopen, permitlisten, environment) are found one
 *        after another by passing the last index found plus one.
 * @param ak The parsed line.
 * @param name The option's name.
 * @param start The index to search from (0 for the first match).
 * @return The index of the first matching option at or after @p start (use
 *         it with sshkit_authorized_key_option()), or SSHKIT_E_NOT_FOUND.
 */
SSHKIT_API int sshkit_authorized_key_find_option(const sshkit_authorized_key *ak,
                                                 const char *name, size_t start);

#ifdef __cplusplus
}
#endif

#endif
