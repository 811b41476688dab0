/* chacha20-poly1305@openssh.com (OpenSSH PROTOCOL.chacha20poly1305) on
 * libcrypto's ChaCha20 and Poly1305.
 *
 * The 64-byte key is K_2 (bytes 0-31: payload and Poly1305 key) then K_1
 * (bytes 32-63: the 4-byte length). The nonce is the 64-bit big-endian
 * sequence number. OpenSSL's 16-byte ChaCha20 IV is the state's words 12-15
 * in little-endian order, so the original (64-bit counter, 64-bit nonce)
 * layout maps to IV = LE64 block counter || BE64 seqnr. */
#ifndef SSHKIT_CRYPTO_CHACHAPOLY_H
#define SSHKIT_CRYPTO_CHACHAPOLY_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>

#define SK_CHACHAPOLY_KEY_LEN 64u
#define SK_CHACHAPOLY_TAG_LEN 16u

typedef struct {
    EVP_CIPHER_CTX *main;    /* K_2 */
    EVP_CIPHER_CTX *header;  /* K_1 */
    EVP_MAC_CTX *poly;       /* rekeyed per packet, as the construction needs */
} sk_chachapoly;

int sk_chachapoly_init(sk_chachapoly *c, const uint8_t key[SK_CHACHAPOLY_KEY_LEN]);
void sk_chachapoly_clear(sk_chachapoly *c);

/* XORs the 4 length bytes with K_1's keystream (encrypts or decrypts). */
int sk_chachapoly_length(sk_chachapoly *c, uint32_t seqnr, const uint8_t in[4], uint8_t out[4]);

/* Encrypts pkt[0..len) in place (len >= 4) and writes the 16-byte tag. */
int sk_chachapoly_seal(sk_chachapoly *c, uint32_t seqnr, uint8_t *pkt, size_t len,
                       uint8_t tag[SK_CHACHAPOLY_TAG_LEN]);

/* Checks the tag over the ciphertext first, then decrypts in place.
 * SSHKIT_E_MAC on mismatch (pkt untouched). */
int sk_chachapoly_open(sk_chachapoly *c, uint32_t seqnr, uint8_t *pkt, size_t len,
                       const uint8_t tag[SK_CHACHAPOLY_TAG_LEN]);

#endif
