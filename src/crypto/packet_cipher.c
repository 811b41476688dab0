/* One direction's packet protection: the cipher and MAC of crypto/packet_cipher.h
 * put together in the order each mode needs (RFC 4253 section 6, OpenSSH's
 * etm and aead variants). */
#include "crypto/packet_cipher.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <sshkit/error.h>

#include "crypto/aes_ctr.h"
#include "crypto/aes_gcm.h"
#include "crypto/chachapoly.h"
#include "crypto/hmac.h"
#include "wire/writer.h"

typedef enum {
    MODE_CHACHAPOLY,
    MODE_GCM,
    MODE_CTR_ETM,   /* encrypt-then-MAC: length in clear, MAC over ciphertext */
    MODE_CTR_EAM    /* encrypt-and-MAC: all encrypted, MAC over plaintext */
} mode;

struct sk_packet_cipher {
    const sk_cipher_alg *cipher;
    const sk_mac_alg *mac;
    mode mode;
    bool encrypt;
    union {
        sk_chachapoly chacha;
        sk_aes_gcm gcm;
        sk_aes_ctr ctr;
    } u;
    sk_hmac hmac;
    /* Receive side: what step 1 found, for step 2 to check. */
    bool length_pending;
    uint32_t pending_seqnr;
    uint32_t pending_length;
};

static mode mode_of(const sk_cipher_alg *cipher, const sk_mac_alg *mac)
{
    if (cipher->kind == SK_CIPHER_CHACHAPOLY)
        return MODE_CHACHAPOLY;
    if (cipher->kind == SK_CIPHER_AES_GCM)
        return MODE_GCM;
    return mac->etm ? MODE_CTR_ETM : MODE_CTR_EAM;
}

static int init_cipher(sk_packet_cipher *pc, const uint8_t *key, const uint8_t *iv)
{
    switch (pc->cipher->kind) {
    case SK_CIPHER_CHACHAPOLY:
        return sk_chachapoly_init(&pc->u.chacha, key);
    case SK_CIPHER_AES_GCM:
        return sk_aes_gcm_init(&pc->u.gcm, pc->cipher->evp_name, key, iv, pc->encrypt);
    case SK_CIPHER_AES_CTR:
        return sk_aes_ctr_init(&pc->u.ctr, pc->cipher->evp_name, key, iv);
    }
    return SSHKIT_E_INVALID_ARGUMENT;
}

static bool args_ok(const sk_cipher_alg *cipher, const sk_mac_alg *mac, const uint8_t *key,
                    const uint8_t *iv, const uint8_t *mac_key)
{
    if (cipher == NULL || key == NULL || (cipher->iv_len > 0 && iv == NULL))
        return false;
    if (cipher->aead)
        return mac == NULL;
    return mac != NULL && mac_key != NULL;
}

int sk_packet_cipher_new(const sk_cipher_alg *cipher, const sk_mac_alg *mac, bool encrypt,
                         const uint8_t *key, const uint8_t *iv, const uint8_t *mac_key,
                         sk_packet_cipher **out)
{
    if (out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = NULL;
    if (!args_ok(cipher, mac, key, iv, mac_key))
        return SSHKIT_E_INVALID_ARGUMENT;
    sk_packet_cipher *pc = calloc(1, sizeof *pc);
    if (pc == NULL)
        return SSHKIT_E_NOMEM;
    pc->cipher = cipher;
    pc->mac = mac;
    pc->mode = mode_of(cipher, mac);
    pc->encrypt = encrypt;
    int rc = init_cipher(pc, key, iv);
    if (rc == 0 && mac != NULL)
        rc = sk_hmac_init(&pc->hmac, mac->digest, mac_key, mac->key_len);
    if (rc != 0) {
        sk_packet_cipher_free(pc);
        return rc;
    }
    *out = pc;
    return 0;
}

void sk_packet_cipher_free(sk_packet_cipher *pc)
{
    if (pc == NULL)
        return;
    switch (pc->cipher->kind) {
    case SK_CIPHER_CHACHAPOLY: sk_chachapoly_clear(&pc->u.chacha); break;
    case SK_CIPHER_AES_GCM:    sk_aes_gcm_clear(&pc->u.gcm); break;
    case SK_CIPHER_AES_CTR:    sk_aes_ctr_clear(&pc->u.ctr); break;
    }
    if (pc->hmac.ctx != NULL)
        sk_hmac_clear(&pc->hmac);
    OPENSSL_cleanse(pc, sizeof *pc);
    free(pc);
}

size_t sk_packet_block_size(const sk_packet_cipher *pc)
{
    return pc->cipher->block_size;
}

size_t sk_packet_tag_len(const sk_packet_cipher *pc)
{
    return pc->cipher->aead ? pc->cipher->tag_len : pc->mac->mac_len;
}

bool sk_packet_length_in_clear(const sk_packet_cipher *pc)
{
    return pc->mode == MODE_GCM || pc->mode == MODE_CTR_ETM;
}

bool sk_packet_length_aligned(const sk_packet_cipher *pc)
{
    return pc->mode == MODE_CTR_EAM;
}

size_t sk_packet_first_len(const sk_packet_cipher *pc)
{
    return pc->mode == MODE_CTR_EAM ? pc->cipher->block_size : 4;
}

size_t sk_packet_padding_len(const sk_packet_cipher *pc, size_t payload_len)
{
    size_t block = pc->cipher->block_size;
    size_t aligned = (sk_packet_length_aligned(pc) ? 4 : 0) + 1 + payload_len;
    size_t pad = block - aligned % block;
    return pad < SK_PACKET_MIN_PADDING ? pad + block : pad;
}

/* RFC 4253 section 6: the length covers at least the padding_length byte
 * and four bytes of padding, stays under our cap and fills whole blocks. */
static int check_length(const sk_packet_cipher *pc, uint32_t packet_length)
{
    if (packet_length > SK_PACKET_MAX)
        return SSHKIT_E_TOO_LARGE;
    if (packet_length < 1 + SK_PACKET_MIN_PADDING)
        return SSHKIT_E_PROTOCOL;
    size_t aligned = (sk_packet_length_aligned(pc) ? 4u : 0u) + packet_length;
    return aligned % pc->cipher->block_size == 0 ? 0 : SSHKIT_E_PROTOCOL;
}

/* padding_length is at least 4 and leaves the payload a length >= 0. */
static bool padding_ok(const uint8_t *pkt, size_t len)
{
    uint8_t padding = pkt[4];
    return padding >= SK_PACKET_MIN_PADDING && (size_t)padding <= len - 5;
}

static int check_outgoing(const sk_packet_cipher *pc, const uint8_t *pkt, size_t len)
{
    if (len < 5 || len - 4 > SK_PACKET_MAX || sk_load_u32(pkt) != len - 4)
        return SSHKIT_E_INVALID_ARGUMENT;
    if (check_length(pc, (uint32_t)(len - 4)) != 0 || !padding_ok(pkt, len))
        return SSHKIT_E_INVALID_ARGUMENT;
    return 0;
}

int sk_packet_seal(sk_packet_cipher *pc, uint32_t seqnr, uint8_t *pkt, size_t len,
                   uint8_t *tag_out)
{
    if (!pc->encrypt)
        return SSHKIT_E_STATE;
    int rc = check_outgoing(pc, pkt, len);
    if (rc != 0)
        return rc;
    switch (pc->mode) {
    case MODE_CHACHAPOLY:
        return sk_chachapoly_seal(&pc->u.chacha, seqnr, pkt, len, tag_out);
    case MODE_GCM:
        return sk_aes_gcm_seal(&pc->u.gcm, pkt, 4, pkt + 4, len - 4, tag_out);
    case MODE_CTR_ETM:
        rc = sk_aes_ctr_crypt(&pc->u.ctr, pkt + 4, len - 4);
        return rc ? rc : sk_hmac_packet(&pc->hmac, seqnr, pkt, len, tag_out);
    case MODE_CTR_EAM:
        rc = sk_hmac_packet(&pc->hmac, seqnr, pkt, len, tag_out);
        return rc ? rc : sk_aes_ctr_crypt(&pc->u.ctr, pkt, len);
    }
    return SSHKIT_E_STATE;
}

/* Reads (decrypting where needed) the length from the first bytes. */
static int read_length(sk_packet_cipher *pc, uint32_t seqnr, uint8_t *pkt, uint32_t *out)
{
    uint8_t clear[4];
    int rc = 0;
    switch (pc->mode) {
    case MODE_CHACHAPOLY:
        /* Decrypted aside: the tag covers the encrypted length. */
        rc = sk_chachapoly_length(&pc->u.chacha, seqnr, pkt, clear);
        *out = sk_load_u32(clear);
        return rc;
    case MODE_CTR_EAM:
        rc = sk_aes_ctr_crypt(&pc->u.ctr, pkt, pc->cipher->block_size);
        break;
    case MODE_GCM:
    case MODE_CTR_ETM:
        break;
    }
    *out = sk_load_u32(pkt);
    return rc;
}

int sk_packet_open_length(sk_packet_cipher *pc, uint32_t seqnr, uint8_t *pkt,
                          uint32_t *packet_length)
{
    *packet_length = 0;
    /* A second step 1 would run the CTR keystream on past this packet. */
    if (pc->encrypt || pc->length_pending)
        return SSHKIT_E_STATE;
    uint32_t len = 0;
    int rc = read_length(pc, seqnr, pkt, &len);
    if (rc == 0)
        rc = check_length(pc, len);
    if (rc != 0) {
        if (pc->mode == MODE_CTR_EAM)
            OPENSSL_cleanse(pkt, pc->cipher->block_size);
        return rc;
    }
    pc->length_pending = true;
    pc->pending_seqnr = seqnr;
    pc->pending_length = len;
    *packet_length = len;
    return 0;
}

/* Authenticates and decrypts; the caller wipes on failure. */
static int open_body(sk_packet_cipher *pc, uint32_t seqnr, uint8_t *pkt, size_t len,
                     const uint8_t *tag)
{
    size_t first = sk_packet_first_len(pc);
    int rc;
    switch (pc->mode) {
    case MODE_CHACHAPOLY:
        return sk_chachapoly_open(&pc->u.chacha, seqnr, pkt, len, tag);
    case MODE_GCM:
        return sk_aes_gcm_open(&pc->u.gcm, pkt, 4, pkt + 4, len - 4, tag);
    case MODE_CTR_ETM:
        rc = sk_hmac_packet_verify(&pc->hmac, seqnr, pkt, len, tag);
        return rc ? rc : sk_aes_ctr_crypt(&pc->u.ctr, pkt + 4, len - 4);
    case MODE_CTR_EAM:
        /* Step 1 already decrypted the first block in place. */
        rc = sk_aes_ctr_crypt(&pc->u.ctr, pkt + first, len - first);
        return rc ? rc : sk_hmac_packet_verify(&pc->hmac, seqnr, pkt, len, tag);
    }
    return SSHKIT_E_STATE;
}

int sk_packet_open(sk_packet_cipher *pc, uint32_t seqnr, uint8_t *pkt, size_t len,
                   const uint8_t *tag)
{
    int rc = 0;
    if (!pc->length_pending)
        rc = SSHKIT_E_STATE;
    else if (seqnr != pc->pending_seqnr || len != (size_t)pc->pending_length + 4)
        rc = SSHKIT_E_INVALID_ARGUMENT;
    pc->length_pending = false;
    if (rc == 0)
        rc = open_body(pc, seqnr, pkt, len, tag);
    if (rc == 0 && !padding_ok(pkt, len))
        rc = SSHKIT_E_PROTOCOL;
    if (rc != 0)
        OPENSSL_cleanse(pkt, len);
    return rc;
}
