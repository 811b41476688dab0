/* HMAC through EVP_MAC, keyed once and restarted for every message. */
#ifndef SSHKIT_CRYPTO_HMAC_H
#define SSHKIT_CRYPTO_HMAC_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>

typedef struct {
    EVP_MAC_CTX *ctx;
    size_t mac_len;
} sk_hmac;

/* digest is a libcrypto digest name ("SHA256", "SHA512", "SHA1"). */
int sk_hmac_init(sk_hmac *h, const char *digest, const uint8_t *key, size_t key_len);
void sk_hmac_clear(sk_hmac *h);

/* One message: start (same key), feed, finish into out (h->mac_len bytes). */
int sk_hmac_start(sk_hmac *h);
int sk_hmac_update(sk_hmac *h, const uint8_t *data, size_t len);
int sk_hmac_finish(sk_hmac *h, uint8_t *out);

/* The SSH packet MAC: HMAC(key, uint32 seqnr || data). */
int sk_hmac_packet(sk_hmac *h, uint32_t seqnr, const uint8_t *data, size_t len, uint8_t *out);
/* Computes it and compares with expected in constant time: 0 or SSHKIT_E_MAC. */
int sk_hmac_packet_verify(sk_hmac *h, uint32_t seqnr, const uint8_t *data, size_t len,
                          const uint8_t *expected);

#endif
