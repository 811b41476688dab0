/* SSH binary packet protection (RFC 4253 section 6): one direction's cipher
 * and MAC, applied in place to packets the transport lays out.
 *
 * A packet is [uint32 packet_length][byte padding_length][payload][padding].
 * Sealing encrypts it in place and writes the tag (MAC or AEAD tag) to a
 * separate buffer; the wire carries the packet then the tag.
 *
 * Opening goes in two steps so a receiver can reject a bad length before it
 * buffers the rest:
 *   1. once sk_packet_first_len(pc) bytes are in, sk_packet_open_length()
 *      returns packet_length (checked: >= 5, <= SK_PACKET_MAX, aligned);
 *   2. once all 4 + packet_length bytes and the tag are in, sk_packet_open()
 *      authenticates and decrypts in place.
 * Both take the start of the same receive buffer. For aes*-ctr with an
 * encrypt-and-MAC MAC the length is inside the first encrypted block: step 1
 * decrypts that block in place and step 2 goes on from there, so no byte is
 * decrypted twice. In every other mode step 1 leaves the buffer untouched.
 * Nothing allocates per packet; contexts are set up once per key. */
#ifndef SSHKIT_CRYPTO_PACKET_CIPHER_H
#define SSHKIT_CRYPTO_PACKET_CIPHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Hard cap on packet_length (DESIGN.md section 4; OpenSSH's PACKET_MAX_SIZE). */
#define SK_PACKET_MAX (256u * 1024u)
/* The largest tag or MAC any algorithm here produces (hmac-sha2-512). */
#define SK_PACKET_TAG_MAX 64u
/* RFC 4253 section 6: at least four bytes of random padding. */
#define SK_PACKET_MIN_PADDING 4u

/* Default preference lists (DESIGN.md section 5). The server's MAC offer
 * leaves out the encrypt-and-MAC MACs. SHA-1 MACs are never a default. */
#define SK_CIPHERS_DEFAULT \
    "chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com," \
    "aes256-ctr,aes192-ctr,aes128-ctr"
#define SK_MACS_DEFAULT \
    "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com," \
    "hmac-sha2-256,hmac-sha2-512"
#define SK_MACS_DEFAULT_SERVER \
    "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com"

typedef enum {
    SK_CIPHER_CHACHAPOLY,
    SK_CIPHER_AES_GCM,
    SK_CIPHER_AES_CTR
} sk_cipher_kind;

typedef struct {
    const char *name;       /* SSH name */
    sk_cipher_kind kind;
    const char *evp_name;   /* libcrypto cipher name */
    size_t key_len;
    size_t iv_len;          /* 0 for chacha20-poly1305 */
    size_t block_size;      /* padding alignment */
    size_t tag_len;         /* 0 unless aead */
    bool aead;              /* carries its own tag; no MAC is negotiated */
} sk_cipher_alg;

typedef struct {
    const char *name;       /* SSH name */
    const char *digest;     /* libcrypto digest name for HMAC */
    size_t key_len;
    size_t mac_len;
    bool etm;               /* MAC over the encrypted packet, length in clear */
} sk_mac_alg;

/* Lookup by SSH name; NULL when unknown. */
const sk_cipher_alg *sk_cipher_find(const char *name);
const sk_mac_alg *sk_mac_find(const char *name);

typedef struct sk_packet_cipher sk_packet_cipher;

/* One direction's state. mac is NULL for an aead cipher and required
 * otherwise. key, iv and mac_key are the alg's key_len / iv_len / key_len
 * bytes (iv and mac_key may be NULL when those are 0 / mac is NULL); they are
 * copied into libcrypto's contexts, not kept by reference.
 * Returns 0, SSHKIT_E_INVALID_ARGUMENT, SSHKIT_E_NOMEM or SSHKIT_E_CRYPTO. */
int sk_packet_cipher_new(const sk_cipher_alg *cipher, const sk_mac_alg *mac, bool encrypt,
                         const uint8_t *key, const uint8_t *iv, const uint8_t *mac_key,
                         sk_packet_cipher **out);
/* Wipes all key material and frees; NULL is a no-op. */
void sk_packet_cipher_free(sk_packet_cipher *pc);

/* Padding alignment: 8 for chacha20-poly1305, 16 for AES. */
size_t sk_packet_block_size(const sk_packet_cipher *pc);
/* Bytes of tag or MAC that follow the packet on the wire. */
size_t sk_packet_tag_len(const sk_packet_cipher *pc);
/* True when packet_length is sent unencrypted (etm MACs, aes-gcm). */
bool sk_packet_length_in_clear(const sk_packet_cipher *pc);
/* True when the 4 length bytes count towards the block alignment
 * (encrypt-and-MAC); false for etm and aead, where only
 * packet_length itself must be a multiple of the block size. */
bool sk_packet_length_aligned(const sk_packet_cipher *pc);
/* Bytes needed before sk_packet_open_length: 4, or one cipher block for
 * aes-ctr with an encrypt-and-MAC MAC. */
size_t sk_packet_first_len(const sk_packet_cipher *pc);
/* The least padding (>= 4) that aligns a packet carrying payload_len bytes. */
size_t sk_packet_padding_len(const sk_packet_cipher *pc, size_t payload_len);

/* Encrypts pkt[0..len) in place and writes sk_packet_tag_len(pc) bytes to
 * tag_out. pkt's packet_length must be len - 4, padding_length >= 4 and len
 * aligned as above. Returns 0, SSHKIT_E_INVALID_ARGUMENT or SSHKIT_E_CRYPTO. */
int sk_packet_seal(sk_packet_cipher *pc, uint32_t seqnr, uint8_t *pkt, size_t len,
                   uint8_t *tag_out);

/* Step 1 of opening: pkt holds at least sk_packet_first_len(pc) bytes.
 * Returns 0 with *packet_length set, SSHKIT_E_PROTOCOL for a length that is
 * too small or misaligned, SSHKIT_E_TOO_LARGE over SK_PACKET_MAX, or
 * SSHKIT_E_CRYPTO. The length is not authenticated yet. On failure the
 * decrypted block (if any) is wiped; the connection must be dropped. */
int sk_packet_open_length(sk_packet_cipher *pc, uint32_t seqnr, uint8_t *pkt,
                          uint32_t *packet_length);

/* Step 2: pkt is the same buffer, now holding len = 4 + packet_length bytes,
 * and tag the sk_packet_tag_len(pc) bytes after it. Authenticates (before
 * decrypting, for etm and chacha20-poly1305) and decrypts in place.
 * Returns 0; SSHKIT_E_MAC when the tag does not match; SSHKIT_E_PROTOCOL when
 * an authentic packet's padding_length is < 4 or leaves no room;
 * SSHKIT_E_STATE / SSHKIT_E_INVALID_ARGUMENT when not preceded by step 1 for
 * this seqnr and length; SSHKIT_E_CRYPTO. On any failure pkt[0..len) is wiped. */
int sk_packet_open(sk_packet_cipher *pc, uint32_t seqnr, uint8_t *pkt, size_t len,
                   const uint8_t *tag);

#endif
