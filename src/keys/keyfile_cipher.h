/* The ciphers OpenSSH's private key format (PROTOCOL.key) can encrypt
 * with, over libcrypto directly (not the packet-cipher layer: a key file
 * is one message with no sequence numbers and no length field). */
#ifndef SSHKIT_KEYS_KEYFILE_CIPHER_H
#define SSHKIT_KEYS_KEYFILE_CIPHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>

struct sk_keyfile_cipher {
    const char *name;       /* "none", "aes256-ctr", ... */
    size_t key_len;
    size_t iv_len;
    size_t block_size;      /* the private section is padded to this */
    size_t tag_len;         /* bytes after the encrypted section (AEAD) */
    int kind;               /* internal */
    const EVP_CIPHER *(*evp)(void);     /* AES modes only */
};

/* Largest key_len + iv_len of any cipher (chacha20-poly1305: 64 + 0). */
#define SK_KEYFILE_MAX_KEY_IV 64
/* Largest tag_len. */
#define SK_KEYFILE_MAX_TAG 16

/* The cipher for a name (len bytes, not NUL-terminated), or NULL. */
const struct sk_keyfile_cipher *sk_keyfile_cipher_find(const uint8_t *name, size_t len);

/* Encrypts or decrypts len bytes (a multiple of block_size) from in to out
 * (which may be the same buffer) with key_iv = key || iv. An AEAD writes its
 * tag to tag when encrypting and checks it when decrypting.
 * Returns 0, SSHKIT_E_MAC (tag mismatch) or SSHKIT_E_CRYPTO. */
int sk_keyfile_crypt(const struct sk_keyfile_cipher *c, const uint8_t *key_iv, bool encrypt,
                     const uint8_t *in, size_t len, uint8_t *out, uint8_t *tag);

/* chacha20-poly1305@openssh.com for one message with sequence number 0 and
 * no length field; key is 64 bytes (the main key, then the unused header
 * key). Same return values as above. */
int sk_keyfile_chachapoly(const uint8_t *key, bool encrypt, const uint8_t *in, size_t len,
                          uint8_t *out, uint8_t *tag);

#endif
