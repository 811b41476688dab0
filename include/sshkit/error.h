/**
 * @file sshkit/error.h
 * @brief Error codes. Every sshkit function that can fail returns an int:
 *        0 (or a positive count) on success, a negative SSHKIT_E_* on failure.
 */
#ifndef SSHKIT_ERROR_H
#define SSHKIT_ERROR_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The error codes. Values are stable across releases. */
enum sshkit_error {
    SSHKIT_OK                     = 0,   /**< Success. */
    SSHKIT_E_AGAIN                = -1,  /**< Would block; try again when the descriptor is ready. */
    SSHKIT_E_NOMEM                = -2,  /**< Out of memory. */
    SSHKIT_E_INVALID_ARGUMENT     = -3,  /**< A caller passed an argument that makes no sense. */
    SSHKIT_E_TRUNCATED            = -4,  /**< Input ended before a complete value. */
    SSHKIT_E_FORMAT               = -5,  /**< Input is malformed. */
    SSHKIT_E_TOO_LARGE            = -6,  /**< A length or count is over sshkit's limit. */
    SSHKIT_E_CRYPTO               = -7,  /**< libcrypto failed. */
    SSHKIT_E_MAC                  = -8,  /**< A MAC or authentication tag did not match. */
    SSHKIT_E_SIGNATURE            = -9,  /**< A signature did not verify. */
    SSHKIT_E_UNKNOWN_KEY_TYPE     = -10, /**< A key type sshkit does not know. */
    SSHKIT_E_WRONG_PASSPHRASE     = -11, /**< The passphrase does not decrypt the key. */
    SSHKIT_E_PASSPHRASE_REQUIRED  = -12, /**< The key is encrypted and no passphrase was given. */
    SSHKIT_E_BASE64               = -13, /**< A base64 body is corrupt. */
    SSHKIT_E_IO                   = -14, /**< A file or socket operation failed; errno has detail. */
    SSHKIT_E_NOT_FOUND            = -15, /**< The thing looked for is not there. */
    SSHKIT_E_UNSUPPORTED          = -16, /**< A known algorithm or feature that this build does not offer. */
    SSHKIT_E_BAD_PUBLIC_VALUE     = -17, /**< A key-exchange public value from the peer failed its checks. */
    SSHKIT_E_KEY_MISMATCH         = -18, /**< Keys that should match (public and private halves) do not. */
    SSHKIT_E_UNKNOWN_CIPHER       = -19, /**< A cipher or KDF name sshkit does not know. */
    SSHKIT_E_PROTOCOL             = -20, /**< The peer broke the protocol. */
    SSHKIT_E_STATE                = -21, /**< The call is not valid in the object's current state. */
    SSHKIT_E_NO_COMMON_ALGORITHM  = -22, /**< The peers share no algorithm in some category. */
    SSHKIT_E_CONNECTION_CLOSED    = -23, /**< The peer closed the connection without a DISCONNECT. */
    SSHKIT_E_HOST_KEY_REJECTED    = -24, /**< The server's host key was refused (client). */
    SSHKIT_E_DISCONNECTED         = -25, /**< The peer sent SSH_MSG_DISCONNECT. */
    SSHKIT_E_TIMEOUT              = -26, /**< A time limit passed. */
    SSHKIT_E_RESOLVE              = -27, /**< A host name could not be resolved to an address. */
    SSHKIT_E_CONNECT              = -28, /**< No address of the host took the connection (refused, unreachable). */
    SSHKIT_E_CLOSED               = -29, /**< The session has ended: no more events, nothing left to send. */
    SSHKIT_E_PERMISSION_DENIED    = -30, /**< No authentication method succeeded. */
    SSHKIT_E_REFUSED              = -31, /**< The peer refused a request (a channel, a command). */
    SSHKIT_E_SFTP_STATUS          = -32  /**< The SFTP server answered with a failure status (sshkit_sftp_last_status() has it). */
};

/**
 * @brief A short English description of an error code.
 * @param code An SSHKIT_E_* value (or SSHKIT_OK).
 * @return A static string; an unknown code gives "unknown error".
 */
SSHKIT_API const char *sshkit_strerror(int code);

/**
 * @brief The symbolic name of an error code, such as "SSHKIT_E_MAC".
 * @param code An SSHKIT_E_* value (or SSHKIT_OK).
 * @return A static string; an unknown code gives "SSHKIT_E_UNKNOWN".
 */
SSHKIT_API const char *sshkit_error_name(int code);

#ifdef __cplusplus
}
#endif

#endif
