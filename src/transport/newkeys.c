/* Key derivation into packet ciphers; see newkeys.h. */
#include "transport/newkeys.h"

#include <openssl/crypto.h>
#include <sshkit/error.h>

#include "crypto/kdf.h"

bool sk_cipher_is_aead(const char *name)
{
    const sk_cipher_alg *c = sk_cipher_find(name);
    return c != NULL && c->aead;
}

/* Letters of RFC 4253 section 7.2: IV, key, MAC key; client to server
 * first, then server to client. */
static const char letters[2][3] = { { 'A', 'C', 'E' }, { 'B', 'D', 'F' } };

/* Builds the cipher for one direction (0 client to server, 1 back). */
static int direction(const sk_negotiated *neg, int dir, bool encrypt, sk_hash_alg hash,
                     sk_bytes k, sk_bytes h, sk_bytes sid, sk_packet_cipher **out)
{
    const sk_cipher_alg *cipher = sk_cipher_find(neg->cipher[dir]);
    const sk_mac_alg *mac = cipher && !cipher->aead ? sk_mac_find(neg->mac[dir]) : NULL;
    if (cipher == NULL || (!cipher->aead && mac == NULL))
        return SSHKIT_E_UNSUPPORTED;
    uint8_t iv[32], key[64], mac_key[64];
    size_t mac_len = mac ? mac->key_len : 0;
    int rc = 0;
    if (cipher->iv_len > sizeof iv || cipher->key_len > sizeof key || mac_len > sizeof mac_key)
        return SSHKIT_E_UNSUPPORTED;
    if (cipher->iv_len)
        rc = sk_kdf_derive(hash, k.ptr, k.len, h.ptr, h.len, sid.ptr, sid.len,
                           letters[dir][0], iv, cipher->iv_len);
    if (rc == 0)
        rc = sk_kdf_derive(hash, k.ptr, k.len, h.ptr, h.len, sid.ptr, sid.len,
                           letters[dir][1], key, cipher->key_len);
    if (rc == 0 && mac_len)
        rc = sk_kdf_derive(hash, k.ptr, k.len, h.ptr, h.len, sid.ptr, sid.len,
                           letters[dir][2], mac_key, mac_len);
    if (rc == 0)
        rc = sk_packet_cipher_new(cipher, mac, encrypt, key, cipher->iv_len ? iv : NULL,
                                  mac ? mac_key : NULL, out);
    OPENSSL_cleanse(iv, sizeof iv);
    OPENSSL_cleanse(key, sizeof key);
    OPENSSL_cleanse(mac_key, sizeof mac_key);
    return rc;
}

int sk_newkeys_derive(const sk_negotiated *neg, bool is_server, sk_hash_alg hash,
                      sk_bytes k, sk_bytes h, sk_bytes session_id,
                      sk_packet_cipher **send, sk_packet_cipher **recv)
{
    int send_dir = is_server ? 1 : 0;
    *send = *recv = NULL;
    int rc = direction(neg, send_dir, true, hash, k, h, session_id, send);
    if (rc == 0)
        rc = direction(neg, 1 - send_dir, false, hash, k, h, session_id, recv);
    if (rc) {
        sk_packet_cipher_free(*send);
        *send = NULL;
    }
    return rc;
}
