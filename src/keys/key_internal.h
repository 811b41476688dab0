/* The inside of sshkit_key, and the pieces that the key modules
 * (blob, private fields, files, signatures, fingerprints) share. */
#ifndef SSHKIT_KEY_INTERNAL_H
#define SSHKIT_KEY_INTERNAL_H

#include <stdbool.h>
#include <openssl/evp.h>
#include <sshkit/key.h>

#include "wire/reader.h"
#include "wire/writer.h"

struct sshkit_key {
    sshkit_key_type type;
    EVP_PKEY *pkey;         /* libcrypto's key: public, or the whole pair */
    bool has_private;
    char *comment;          /* NULL when there is none */
};

/* Largest RSA modulus sshkit accepts or makes, and smallest it accepts. */
#define SK_RSA_MAX_BITS 16384
#define SK_RSA_MIN_BITS 1024

/* Wraps a libcrypto key, taking ownership of pkey (freed on failure too). */
int sk_key_wrap(sshkit_key_type type, EVP_PKEY *pkey, bool has_private, sshkit_key **out);

/* "ssh-ed25519", "ecdsa-sha2-nistp256", ... ; NULL for an unknown type. */
const char *sk_key_type_to_name(sshkit_key_type type);

/* The type for an SSH key type name; SSHKIT_E_UNKNOWN_KEY_TYPE otherwise. */
int sk_key_type_from_name(sk_bytes name, sshkit_key_type *type);

/* For ECDSA types: the curve identifier in blobs ("nistp256") and
 * libcrypto's group name ("P-256"); NULL for other types. */
const char *sk_key_curve_ident(sshkit_key_type type);
const char *sk_key_curve_group(sshkit_key_type type);

bool sk_key_type_is_ecdsa(sshkit_key_type type);

/* Whether alg is a signature algorithm for key's type: the type name for
 * Ed25519 and ECDSA; "rsa-sha2-256", "rsa-sha2-512" or "ssh-rsa" for RSA.
 * Policy (ssh-rsa being verify-only, off by default) is the caller's. */
bool sk_key_sig_alg_fits(const sshkit_key *key, const char *alg);

/* The digest of a key's public blob that its fingerprint shows: 32 bytes
 * for SHA-256, 16 for MD5. *name is "SHA256" or "MD5", as ssh-keygen
 * labels them. */
#define SK_FP_DIGEST_MAX 32
int sk_key_fingerprint_digest(const sshkit_key *key, sshkit_fingerprint_hash hash,
                              uint8_t digest[SK_FP_DIGEST_MAX], size_t *len, const char **name);

/* A public key from the base64 text of its blob: SSHKIT_E_BASE64 when the
 * text is not base64, else as sshkit_key_from_public_blob(). */
int sk_key_from_base64(const char *b64, size_t len, sshkit_key **out);

/* Sets a key's comment from len bytes (SSHKIT_E_FORMAT if they hold a NUL;
 * len 0 clears it). */
int sk_key_set_comment_bytes(sshkit_key *key, const char *s, size_t len);

/* One line (no terminator) in OpenSSH's form "type base64[ comment]". */
int sk_key_parse_public_line(const char *line, size_t len, sshkit_key **out);

/* RFC 4716 text, starting at its BEGIN line; what follows the END line is
 * ignored. */
int sk_key_parse_rfc4716(const char *text, size_t len, sshkit_key **out);

/* Reads a key type name, then that type's fields with read_fields, and
 * wraps the result (as a key pair when has_private). */
typedef int (*sk_key_fields_reader)(sk_reader *r, sshkit_key_type type, EVP_PKEY **pkey);
int sk_key_read_typed(sk_reader *r, bool has_private, sk_key_fields_reader read_fields,
                      sshkit_key **out);

/* The public key blob's fields, written inline (the caller wraps them in a
 * string where the protocol wants one). */
void sk_key_write_public(sk_buf *b, const sshkit_key *key);

/* Reads a public key blob's fields (type name first). */
int sk_key_read_public(sk_reader *r, sshkit_key **out);

/* The private key fields as OpenSSH's key format (PROTOCOL.key) and the
 * agent protocol lay them out: the type name, then the public and private
 * parts of that type. b should be a secret buffer. */
int sk_key_write_private(sk_buf *b, const sshkit_key *key);

/* Reads what sk_key_write_private wrote; checks that the private half
 * matches the public half. */
int sk_key_read_private(sk_reader *r, sshkit_key **out);

#endif
