/**
 * @file sshkit/key.h
 * @brief SSH keys: generate, load and save (OpenSSH and PEM formats), public
 *        key text formats, signatures in SSH wire format, fingerprints.
 *
 * A ::sshkit_key holds either a whole key pair or only a public key. Key
 * types are Ed25519, ECDSA on NIST P-256, P-384 and P-521, and RSA.
 * Private key material is wiped from memory when the key is freed.
 */
#ifndef SSHKIT_KEY_H
#define SSHKIT_KEY_H

#include <stdbool.h>
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An SSH key: a key pair, or a public key alone. Opaque. */
typedef struct sshkit_key sshkit_key;

/** The kinds of key sshkit handles. */
typedef enum sshkit_key_type {
    SSHKIT_KEY_ED25519 = 1,   /**< "ssh-ed25519" */
    SSHKIT_KEY_ECDSA_P256,    /**< "ecdsa-sha2-nistp256" */
    SSHKIT_KEY_ECDSA_P384,    /**< "ecdsa-sha2-nistp384" */
    SSHKIT_KEY_ECDSA_P521,    /**< "ecdsa-sha2-nistp521" */
    SSHKIT_KEY_RSA            /**< "ssh-rsa" (signs with rsa-sha2-256/512) */
} sshkit_key_type;

/** The hash behind a fingerprint. */
typedef enum sshkit_fingerprint_hash {
    SSHKIT_FP_SHA256 = 0,     /**< "SHA256:" then unpadded base64, as ssh-keygen prints by default */
    SSHKIT_FP_MD5             /**< "MD5:" then colon-separated hex */
} sshkit_fingerprint_hash;

/** Private key file formats. */
typedef enum sshkit_key_format {
    SSHKIT_KEY_FORMAT_OPENSSH = 0, /**< "-----BEGIN OPENSSH PRIVATE KEY-----" (OpenSSH's PROTOCOL.key) */
    SSHKIT_KEY_FORMAT_PEM,         /**< the type's traditional PEM (PKCS#1 RSA, SEC1 EC); PKCS#8 for Ed25519, which has no other */
    SSHKIT_KEY_FORMAT_PKCS8        /**< PKCS#8 PEM ("BEGIN PRIVATE KEY" or "BEGIN ENCRYPTED PRIVATE KEY") */
} sshkit_key_format;

/**
 * @brief Generates a new key pair.
 * @param type The kind of key.
 * @param bits For RSA, the modulus size: 0 means 3072, otherwise at least
 *             2048 and at most 16384. Ignored for other types (pass 0).
 * @param[out] out The new key, to be freed with sshkit_key_free().
 * @return 0, SSHKIT_E_INVALID_ARGUMENT for a bad type or size, or SSHKIT_E_CRYPTO.
 */
SSHKIT_API int sshkit_key_generate(sshkit_key_type type, unsigned bits, sshkit_key **out);

/**
 * @brief Frees a key, wiping its private half. NULL is a no-op.
 * @param key The key.
 */
SSHKIT_API void sshkit_key_free(sshkit_key *key);

/**
 * @brief The kind of a key.
 * @param key The key.
 * @return Its type.
 */
SSHKIT_API sshkit_key_type sshkit_key_get_type(const sshkit_key *key);

/**
 * @brief The SSH name of a key's type, as in a public key blob or an
 *        authorized_keys line: "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa"...
 * @param key The key.
 * @return A static string.
 */
SSHKIT_API const char *sshkit_key_type_name(const sshkit_key *key);

/**
 * @brief The short name that ssh-keygen prints after a fingerprint:
 *        "ED25519", "ECDSA" or "RSA".
 * @param key The key.
 * @return A static string.
 */
SSHKIT_API const char *sshkit_key_short_name(const sshkit_key *key);

/**
 * @brief The size of a key in bits (256 for Ed25519, the curve size for
 *        ECDSA, the modulus size for RSA).
 * @param key The key.
 * @return The number of bits.
 */
SSHKIT_API unsigned sshkit_key_bits(const sshkit_key *key);

/**
 * @brief Whether a key holds its private half.
 * @param key The key.
 * @return true for a key pair, false for a public key alone.
 */
SSHKIT_API bool sshkit_key_is_private(const sshkit_key *key);

/**
 * @brief A key's comment (from its file, or as set).
 * @param key The key.
 * @return The comment, owned by the key; "" when there is none.
 */
SSHKIT_API const char *sshkit_key_comment(const sshkit_key *key);

/**
 * @brief Sets a key's comment.
 * @param key The key.
 * @param comment The new comment, copied; NULL clears it.
 * @return 0 or SSHKIT_E_NOMEM.
 */
SSHKIT_API int sshkit_key_set_comment(sshkit_key *key, const char *comment);

/**
 * @brief Copies a key's public half (and its comment) into a new key.
 * @param key The key.
 * @param[out] out The public key, to be freed with sshkit_key_free().
 * @return 0 or a negative error.
 */
SSHKIT_API int sshkit_key_public_copy(const sshkit_key *key, sshkit_key **out);

/**
 * @brief Compares the public halves of two keys.
 * @param a A key.
 * @param b Another key.
 * @return true when both are the same public key.
 */
SSHKIT_API bool sshkit_key_equal(const sshkit_key *a, const sshkit_key *b);

/**
 * @brief A key's public key blob, the SSH wire encoding of RFC 4253
 *        section 6.6 (RFC 5656 for ECDSA, RFC 8709 for Ed25519).
 * @param key The key.
 * @param[out] blob The blob, to be freed with sshkit_free().
 * @param[out] len Its length.
 * @return 0 or a negative error.
 */
SSHKIT_API int sshkit_key_public_blob(const sshkit_key *key, uint8_t **blob, size_t *len);

/**
 * @brief Makes a public key from its blob.
 * @param blob The blob.
 * @param len Its length.
 * @param[out] out The key, to be freed with sshkit_key_free().
 * @return 0, SSHKIT_E_UNKNOWN_KEY_TYPE, SSHKIT_E_TRUNCATED or SSHKIT_E_FORMAT
 *         (including an ECDSA point that is not on its curve, or an RSA
 *         modulus under 1024 bits).
 */
SSHKIT_API int sshkit_key_from_public_blob(const uint8_t *blob, size_t len, sshkit_key **out);

/**
 * @brief Signs data, giving a signature in SSH wire format
 *        (string algorithm, string signature blob).
 * @param key A key pair.
 * @param algorithm The signature algorithm: for RSA "rsa-sha2-512" or
 *                  "rsa-sha2-256" ("ssh-rsa" is refused); for other types
 *                  the key's type name. NULL picks the key's default
 *                  (rsa-sha2-512 for RSA).
 * @param data The data to sign.
 * @param len Its length.
 * @param[out] sig The signature, to be freed with sshkit_free(); NULL on failure.
 * @param[out] sig_len Its length.
 * @return 0, SSHKIT_E_STATE for a public key alone,
 *         SSHKIT_E_INVALID_ARGUMENT for an algorithm that does not fit the
 *         key (or a NULL key, sig or sig_len, or NULL data with len > 0),
 *         SSHKIT_E_NOMEM or SSHKIT_E_CRYPTO. An RSA signature blob is
 *         always exactly as long as the modulus (RFC 8332).
 */
SSHKIT_API int sshkit_key_sign(const sshkit_key *key, const char *algorithm,
                               const uint8_t *data, size_t len,
                               uint8_t **sig, size_t *sig_len);

/**
 * @brief Verifies a signature in SSH wire format.
 * @param key The public key (a key pair works too).
 * @param algorithm The algorithm the signature must use (as negotiated), or
 *                  NULL to accept any that fits the key except "ssh-rsa";
 *                  RSA signatures with SHA-1 are accepted only when
 *                  "ssh-rsa" is named here.
 * @param sig The signature.
 * @param sig_len Its length.
 * @param data The signed data.
 * @param len Its length.
 * @return 0 when the signature is good; SSHKIT_E_SIGNATURE when it is not
 *         (or names another algorithm, or an algorithm that does not fit
 *         the key, or is an ECDSA signature whose r or s is outside
 *         [1, order - 1]); SSHKIT_E_FORMAT when it is malformed (truncated,
 *         trailing bytes, an Ed25519 blob not 64 bytes, a bad mpint, an RSA
 *         blob longer than the modulus); SSHKIT_E_INVALID_ARGUMENT for a NULL
 *         key, or NULL sig or data with a non-zero length; SSHKIT_E_NOMEM.
 *         An RSA blob shorter than the modulus is left-padded with zeros
 *         before checking, as OpenSSH does: RFC 8332 wants the full length,
 *         but some signers strip leading zero bytes, and the value is the same.
 */
SSHKIT_API int sshkit_key_verify(const sshkit_key *key, const char *algorithm,
                                 const uint8_t *sig, size_t sig_len,
                                 const uint8_t *data, size_t len);

/**
 * @brief Signs with a key whose private half lives elsewhere (an
 *        ssh-agent, a token), in the form of sshkit_key_sign().
 *
 * sshkit_agent_signer() (sshkit/agent.h) is one; sshkit_auth_publickey_signer()
 * (sshkit/auth.h) takes any.
 * @param ctx The context pointer given along with the function.
 * @param key The public key to sign with.
 * @param algorithm The signature algorithm ("rsa-sha2-512", "ssh-ed25519"...).
 * @param data The data to sign.
 * @param len Its length.
 * @param[out] sig The signature in SSH wire format (string algorithm,
 *                 string blob), allocated with malloc(): the caller frees
 *                 it with sshkit_free().
 * @param[out] sig_len Its length.
 * @return 0, or a negative SSHKIT_E_* error.
 */
typedef int (*sshkit_sign_fn)(void *ctx, const sshkit_key *key, const char *algorithm,
                              const uint8_t *data, size_t len, uint8_t **sig, size_t *sig_len);

/**
 * @brief Reads a private key from memory: OpenSSH's format (encrypted or
 *        not), or PEM (PKCS#1, SEC1, PKCS#8, encrypted or not).
 * @param data The file's contents.
 * @param len Their length.
 * @param passphrase The passphrase, or NULL for an unencrypted key ("" is
 *                   taken as NULL). Ignored when the key is not encrypted.
 * @param[out] out The key pair, to be freed with sshkit_key_free(). The
 *                 comment of an OpenSSH-format file is kept.
 * @return 0; SSHKIT_E_PASSPHRASE_REQUIRED (encrypted, no passphrase);
 *         SSHKIT_E_WRONG_PASSPHRASE; SSHKIT_E_TRUNCATED; SSHKIT_E_BASE64
 *         (corrupt body); SSHKIT_E_UNKNOWN_KEY_TYPE; SSHKIT_E_UNKNOWN_CIPHER
 *         (or KDF); SSHKIT_E_KEY_MISMATCH (the file's public key is not
 *         the private key's); SSHKIT_E_TOO_LARGE (input over 1 MiB, or over
 *         65536 bcrypt_pbkdf rounds); SSHKIT_E_FORMAT (anything else
 *         malformed, or not a key at all).
 */
SSHKIT_API int sshkit_key_parse_private(const void *data, size_t len,
                                        const char *passphrase, sshkit_key **out);

/**
 * @brief Reads a private key from a file; see sshkit_key_parse_private().
 * @param path The file.
 * @param passphrase The passphrase, or NULL.
 * @param[out] out The key pair, to be freed with sshkit_key_free().
 * @return As sshkit_key_parse_private(), or SSHKIT_E_IO (errno is set),
 *         or SSHKIT_E_FORMAT when path is not a regular file.
 */
SSHKIT_API int sshkit_key_load_private(const char *path, const char *passphrase,
                                       sshkit_key **out);

/**
 * @brief Writes a private key in a file format.
 * @param key A key pair.
 * @param format The format.
 * @param passphrase A passphrase to encrypt with, or NULL or "" for none.
 *                   OpenSSH's format encrypts with aes256-ctr and
 *                   bcrypt_pbkdf; PEM and PKCS#8 with AES-256-CBC.
 * @param kdf_rounds bcrypt_pbkdf rounds for OpenSSH's format; 0 means 16,
 *                   as ssh-keygen's default; at most 65536. Ignored for
 *                   PEM and PKCS#8.
 * @param[out] text The file's text, NUL-terminated, to be freed with sshkit_free().
 * @param[out] len Its length without the NUL.
 * @return 0 or a negative error (SSHKIT_E_STATE for a public key alone,
 *         SSHKIT_E_INVALID_ARGUMENT for too many rounds).
 */
SSHKIT_API int sshkit_key_format_private(const sshkit_key *key, sshkit_key_format format,
                                         const char *passphrase, unsigned kdf_rounds,
                                         char **text, size_t *len);

/**
 * @brief Writes a private key to a file (created or replaced, mode 0600).
 * @param key A key pair.
 * @param path The file.
 * @param format The format.
 * @param passphrase As for sshkit_key_format_private().
 * @param kdf_rounds As for sshkit_key_format_private().
 * @return 0, SSHKIT_E_IO (errno is set) or another negative error.
 */
SSHKIT_API int sshkit_key_save_private(const sshkit_key *key, const char *path,
                                       sshkit_key_format format, const char *passphrase,
                                       unsigned kdf_rounds);

/**
 * @brief Reads a public key: OpenSSH's one-line format ("type base64
 *        [comment]") or RFC 4716's ("---- BEGIN SSH2 PUBLIC KEY ----").
 *
 * Blank lines and lines starting with '#' before the key are skipped; only
 * the first key is read. In the one-line format the comment is the rest of
 * the line after the blanks that follow the base64, kept byte for byte (as
 * OpenSSH keeps it). In RFC 4716 the first Comment header becomes the
 * comment (without its surrounding quotes); other headers are ignored.
 * @param text The text.
 * @param len Its length.
 * @param[out] out The public key with its comment, to be freed with
 *                 sshkit_key_free(); NULL on failure.
 * @return 0, SSHKIT_E_BASE64, SSHKIT_E_UNKNOWN_KEY_TYPE, SSHKIT_E_TRUNCATED
 *         (a blob that ends early), SSHKIT_E_FORMAT (no key at all, a line
 *         whose type does not match its blob, a NUL in the comment, an RFC
 *         4716 block without its END line or body), SSHKIT_E_NOMEM, or
 *         SSHKIT_E_INVALID_ARGUMENT (NULL out, or NULL text with len > 0).
 */
SSHKIT_API int sshkit_key_parse_public(const char *text, size_t len, sshkit_key **out);

/**
 * @brief Reads a public key file; see sshkit_key_parse_public().
 * @param path The file.
 * @param[out] out The key, to be freed with sshkit_key_free().
 * @return As sshkit_key_parse_public(), or SSHKIT_E_IO (errno is set),
 *         SSHKIT_E_FORMAT for a directory, SSHKIT_E_TOO_LARGE for a file over 1 MiB.
 */
SSHKIT_API int sshkit_key_load_public(const char *path, sshkit_key **out);

/**
 * @brief A key's public half in OpenSSH's one-line format, as `ssh-keygen -y`
 *        prints it: "type base64" then " comment" when the key has one. No newline.
 *        (For a key without a comment ssh-keygen writes "type base64 " with a
 *        trailing space; sshkit does not.)
 * @param key The key.
 * @param[out] text The line, to be freed with sshkit_free().
 * @return 0 or a negative error.
 */
SSHKIT_API int sshkit_key_format_public(const sshkit_key *key, char **text);

/**
 * @brief A key's public half in RFC 4716 format, as `ssh-keygen -e` prints it,
 *        with a final newline.
 *
 * Byte for byte as ssh-keygen except the Comment header: ssh-keygen writes
 * "<bits>-bit <TYPE>, converted by <user>@<host> from OpenSSH"; sshkit writes
 * the key's comment, or "<bits>-bit <TYPE>" when it has none. A header too
 * long for one 72-byte line is continued on the next ones with a backslash
 * (RFC 4716 section 3.3; ssh-keygen truncates its own instead), and the
 * comment is cut at 1022 bytes (the header value's limit is 1024).
 * @param key The key.
 * @param[out] text The text, to be freed with sshkit_free().
 * @return 0 or a negative error.
 */
SSHKIT_API int sshkit_key_format_public_rfc4716(const sshkit_key *key, char **text);

/**
 * @brief A key's fingerprint, as `ssh-keygen -l` prints it:
 *        "SHA256:<base64 without padding>" or "MD5:<aa:bb:...>".
 * @param key The key.
 * @param hash The hash.
 * @param[out] text The fingerprint, to be freed with sshkit_free().
 * @return 0, SSHKIT_E_INVALID_ARGUMENT (an unknown hash, or a NULL
 *         argument), SSHKIT_E_NOMEM or SSHKIT_E_CRYPTO.
 */
SSHKIT_API int sshkit_key_fingerprint(const sshkit_key *key, sshkit_fingerprint_hash hash,
                                      char **text);

/**
 * @brief The "randomart" picture of a key's fingerprint, byte for byte as
 *        `ssh-keygen -lv` draws it (the OpenSSH "drunken bishop"): 11 lines
 *        of 19 characters separated by '\n', no final newline. The top line
 *        names the key ("+--[ED25519 256]--+"), the bottom one the hash.
 * @param key The key.
 * @param hash The hash, which the picture's bottom line names.
 * @param[out] text The picture, to be freed with sshkit_free().
 * @return 0 or a negative error.
 */
SSHKIT_API int sshkit_key_randomart(const sshkit_key *key, sshkit_fingerprint_hash hash,
                                    char **text);

#ifdef __cplusplus
}
#endif

#endif
