/* Incremental hashing over libcrypto's EVP_MD, for the exchange hash H and
 * the key derivation. SSH strings and mpints go straight into the hash in
 * their wire form, so callers need not build a buffer first.
 *
 * Like the wire writer, the first failure is sticky: updates after it do
 * nothing, and sk_hash_final reports it. */
#ifndef SSHKIT_CRYPTO_HASH_H
#define SSHKIT_CRYPTO_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/types.h>

typedef enum {
    SK_HASH_SHA1,
    SK_HASH_SHA256,
    SK_HASH_SHA384,
    SK_HASH_SHA512
} sk_hash_alg;

/* The largest digest any sk_hash_alg produces. */
#define SK_HASH_MAX_SIZE 64

typedef struct {
    EVP_MD_CTX *ctx;
    sk_hash_alg alg;
    int error;      /* 0, or the first SSHKIT_E_* */
} sk_hash;

/* Digest size in bytes, or 0 for an unknown alg. */
size_t sk_hash_size(sk_hash_alg alg);

/* libcrypto's name for the digest ("SHA256"...), or NULL. */
const char *sk_hash_name(sk_hash_alg alg);

/* 0, or SSHKIT_E_INVALID_ARGUMENT / SSHKIT_E_NOMEM / SSHKIT_E_CRYPTO.
 * The hash must be freed with sk_hash_free whatever this returns. */
int sk_hash_init(sk_hash *h, sk_hash_alg alg);

void sk_hash_update(sk_hash *h, const void *p, size_t n);
void sk_hash_u8(sk_hash *h, uint8_t v);
void sk_hash_u32(sk_hash *h, uint32_t v);
/* uint32 length, then the bytes (RFC 4251 string). */
void sk_hash_string(sk_hash *h, const void *p, size_t n);
/* An unsigned mpint from a big-endian magnitude, encoded as sk_write_mpint
 * would (leading zeros stripped, 0x00 prepended when the top bit is set). */
void sk_hash_mpint(sk_hash *h, const uint8_t *magnitude, size_t n);

/* Writes the digest to out (cap must hold sk_hash_size bytes). Returns the
 * digest length, or the sticky error. The hash cannot be updated after. */
int sk_hash_final(sk_hash *h, uint8_t *out, size_t cap);

/* Releases the context; safe on a zeroed or failed sk_hash. */
void sk_hash_free(sk_hash *h);

#endif
