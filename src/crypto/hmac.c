/* HMAC contexts for the SSH packet MACs (RFC 4253 section 6.4, RFC 6668). */
#include "crypto/hmac.h"

#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>
#include <sshkit/error.h>

#include "crypto/packet_cipher.h"
#include "wire/writer.h"

int sk_hmac_init(sk_hmac *h, const char *digest, const uint8_t *key, size_t key_len)
{
    memset(h, 0, sizeof *h);
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (mac == NULL)
        return SSHKIT_E_CRYPTO;
    h->ctx = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac);   /* the context holds its own reference */
    if (h->ctx == NULL)
        return SSHKIT_E_NOMEM;

    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0),
        OSSL_PARAM_construct_end(),
    };
    if (!EVP_MAC_init(h->ctx, key, key_len, params)) {
        sk_hmac_clear(h);
        return SSHKIT_E_CRYPTO;
    }
    h->mac_len = EVP_MAC_CTX_get_mac_size(h->ctx);
    if (h->mac_len == 0 || h->mac_len > SK_PACKET_TAG_MAX) {
        sk_hmac_clear(h);
        return SSHKIT_E_CRYPTO;
    }
    return 0;
}

void sk_hmac_clear(sk_hmac *h)
{
    EVP_MAC_CTX_free(h->ctx);   /* libcrypto cleanses the key schedule */
    h->ctx = NULL;
    h->mac_len = 0;
}

int sk_hmac_start(sk_hmac *h)
{
    /* A NULL key restarts with the key already set (the ipad/opad state is
     * kept). libcrypto 3.0 still copies its digest context here, which costs
     * it two small allocations per message; sshkit itself allocates none. */
    return EVP_MAC_init(h->ctx, NULL, 0, NULL) ? 0 : SSHKIT_E_CRYPTO;
}

int sk_hmac_update(sk_hmac *h, const uint8_t *data, size_t len)
{
    return EVP_MAC_update(h->ctx, data, len) ? 0 : SSHKIT_E_CRYPTO;
}

int sk_hmac_finish(sk_hmac *h, uint8_t *out)
{
    size_t out_len = 0;
    if (!EVP_MAC_final(h->ctx, out, &out_len, h->mac_len) || out_len != h->mac_len)
        return SSHKIT_E_CRYPTO;
    return 0;
}

int sk_hmac_packet(sk_hmac *h, uint32_t seqnr, const uint8_t *data, size_t len, uint8_t *out)
{
    uint8_t seq[4];
    sk_store_u32(seq, seqnr);
    int rc = sk_hmac_start(h);
    if (rc == 0)
        rc = sk_hmac_update(h, seq, sizeof seq);
    if (rc == 0)
        rc = sk_hmac_update(h, data, len);
    if (rc == 0)
        rc = sk_hmac_finish(h, out);
    return rc;
}

int sk_hmac_packet_verify(sk_hmac *h, uint32_t seqnr, const uint8_t *data, size_t len,
                          const uint8_t *expected)
{
    uint8_t mac[SK_PACKET_TAG_MAX];
    int rc = sk_hmac_packet(h, seqnr, data, len, mac);
    if (rc == 0 && CRYPTO_memcmp(mac, expected, h->mac_len) != 0)
        rc = SSHKIT_E_MAC;
    OPENSSL_cleanse(mac, sizeof mac);
    return rc;
}
