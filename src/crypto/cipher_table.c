/* The cipher and MAC algorithms sshkit offers, by SSH name. */
#include <string.h>

#include "crypto/packet_cipher.h"

static const sk_cipher_alg ciphers[] = {
    { "chacha20-poly1305@openssh.com", SK_CIPHER_CHACHAPOLY, "ChaCha20", 64, 0, 8, 16, true },
    { "aes256-gcm@openssh.com", SK_CIPHER_AES_GCM, "AES-256-GCM", 32, 12, 16, 16, true },
    { "aes128-gcm@openssh.com", SK_CIPHER_AES_GCM, "AES-128-GCM", 16, 12, 16, 16, true },
    { "aes256-ctr", SK_CIPHER_AES_CTR, "AES-256-CTR", 32, 16, 16, 0, false },
    { "aes192-ctr", SK_CIPHER_AES_CTR, "AES-192-CTR", 24, 16, 16, 0, false },
    { "aes128-ctr", SK_CIPHER_AES_CTR, "AES-128-CTR", 16, 16, 16, 0, false },
};

static const sk_mac_alg macs[] = {
    { "hmac-sha2-256-etm@openssh.com", "SHA256", 32, 32, true },
    { "hmac-sha2-512-etm@openssh.com", "SHA512", 64, 64, true },
    { "hmac-sha2-256", "SHA256", 32, 32, false },
    { "hmac-sha2-512", "SHA512", 64, 64, false },
    { "hmac-sha1-etm@openssh.com", "SHA1", 20, 20, true },
    { "hmac-sha1", "SHA1", 20, 20, false },
};

const sk_cipher_alg *sk_cipher_find(const char *name)
{
    for (size_t i = 0; name && i < sizeof ciphers / sizeof ciphers[0]; i++)
        if (strcmp(ciphers[i].name, name) == 0)
            return &ciphers[i];
    return NULL;
}

const sk_mac_alg *sk_mac_find(const char *name)
{
    for (size_t i = 0; name && i < sizeof macs / sizeof macs[0]; i++)
        if (strcmp(macs[i].name, name) == 0)
            return &macs[i];
    return NULL;
}
