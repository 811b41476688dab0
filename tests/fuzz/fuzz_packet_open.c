/* Fuzzes the receive side of packet protection (src/crypto/packet_cipher.c):
 * sk_packet_open_length then sk_packet_open, packet after packet, over bytes
 * as they would come off the wire.
 *
 * Input: [choice][rest]. choice & 0x7f picks the (cipher, MAC) pair; keys
 * are fixed. Two modes:
 *  - raw (choice & 0x80 clear): rest is the received stream. Nearly every
 *    packet fails its length check or its MAC; the point is that the length
 *    handling never reads or writes out of bounds.
 *  - sealed (choice & 0x80 set): rest describes plaintext packets, which an
 *    encrypting sk_packet_cipher with the same keys seals into a stream; the
 *    stream (with one bit flipped, if the input says so) is then opened.
 *    Every packet must open to its plaintext, except that the flipped
 *    packet must fail and end the connection.
 *    rest: [flip][3 bytes flip position] then per packet
 *          [3 bytes payload length][extra padding blocks][payload bytes].
 *
 * The packet under decryption sits in a block of exactly its size (grown from
 * the first bytes to the whole packet, as a receiver would), and its tag in
 * another, so ASan sees any access outside them. */
#include <stdbool.h>
#include <string.h>
#include <sshkit/error.h>

#include "crypto/packet_cipher.h"
#include "fuzz.h"
#include "wire/writer.h"

static const struct {
    const char *cipher, *mac;
} choices[] = {
    { "chacha20-poly1305@openssh.com", NULL },
    { "aes256-gcm@openssh.com", NULL },
    { "aes128-gcm@openssh.com", NULL },
#define CTR_WITH(c) \
    { c, "hmac-sha2-256-etm@openssh.com" }, { c, "hmac-sha2-512-etm@openssh.com" }, \
    { c, "hmac-sha2-256" }, { c, "hmac-sha2-512" }, \
    { c, "hmac-sha1-etm@openssh.com" }, { c, "hmac-sha1" }
    CTR_WITH("aes256-ctr"), CTR_WITH("aes192-ctr"), CTR_WITH("aes128-ctr"),
#undef CTR_WITH
};
#define NCHOICES (sizeof choices / sizeof choices[0])

/* Fixed, arbitrary keys: 64 bytes covers every key, IV and MAC key here. */
static const uint8_t key[64] = "fuzz key fuzz key fuzz key fuzz key fuzz key fuzz key fuzz key!";
static const uint8_t iv[64] = "fuzz iv fuzz iv fuzz iv fuzz iv fuzz iv fuzz iv fuzz iv fuzz iv";
static const uint8_t mac_key[64] = "fuzz mac fuzz mac fuzz mac fuzz mac fuzz mac fuzz mac fuzz mac";

static sk_packet_cipher *make(size_t choice, bool encrypt)
{
    const sk_cipher_alg *c = sk_cipher_find(choices[choice].cipher);
    const sk_mac_alg *m = choices[choice].mac ? sk_mac_find(choices[choice].mac) : NULL;
    FUZZ_ASSERT(c != NULL && (m != NULL || choices[choice].mac == NULL));
    sk_packet_cipher *pc = NULL;
    FUZZ_ASSERT(sk_packet_cipher_new(c, m, encrypt, key, iv, m ? mac_key : NULL, &pc) == 0);
    return pc;
}

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

/* Opens packets from stream until it runs out or one fails. Calls back
 * with each opened packet. Returns how many opened. */
typedef void (*opened_fn)(void *ctx, size_t index, const uint8_t *pkt, size_t len);

static size_t open_stream(sk_packet_cipher *pc, const uint8_t *stream, size_t len,
                          opened_fn opened, void *ctx)
{
    size_t first = sk_packet_first_len(pc), tag_len = sk_packet_tag_len(pc);
    size_t pos = 0, count = 0;
    FUZZ_ASSERT(first >= 4 && tag_len > 0 && tag_len <= SK_PACKET_TAG_MAX);
    for (uint32_t seqnr = 0; len - pos >= first; seqnr++) {
        uint8_t *pkt = malloc(first);
        FUZZ_ASSERT(pkt != NULL);
        memcpy(pkt, stream + pos, first);
        uint32_t plen = 12345;
        int rc = sk_packet_open_length(pc, seqnr, pkt, &plen);
        if (rc != 0) {
            FUZZ_ASSERT(plen == 0);
            FUZZ_ASSERT(rc == SSHKIT_E_PROTOCOL || rc == SSHKIT_E_TOO_LARGE);
            free(pkt);
            break;
        }
        size_t total = 4 + (size_t)plen;
        FUZZ_ASSERT(plen >= 5 && plen <= SK_PACKET_MAX && total >= first);
        size_t aligned = sk_packet_length_aligned(pc) ? total : plen;
        FUZZ_ASSERT(aligned % sk_packet_block_size(pc) == 0);
        /* A second step 1 for the same packet is refused. */
        uint32_t again;
        FUZZ_ASSERT(sk_packet_open_length(pc, seqnr, pkt, &again) == SSHKIT_E_STATE);
        if (len - pos - first < total - first + tag_len) {
            free(pkt);
            break;          /* the connection closed mid-packet */
        }
        uint8_t *grown = realloc(pkt, total);
        FUZZ_ASSERT(grown != NULL);
        pkt = grown;
        memcpy(pkt + first, stream + pos + first, total - first);
        uint8_t *tag = malloc(tag_len);
        FUZZ_ASSERT(tag != NULL);
        memcpy(tag, stream + pos + total, tag_len);

        rc = sk_packet_open(pc, seqnr, pkt, total, tag);
        if (rc == 0) {
            FUZZ_ASSERT(pkt[4] >= SK_PACKET_MIN_PADDING && pkt[4] <= total - 5);
            if (opened)
                opened(ctx, count, pkt, total);
            count++;
        } else {
            FUZZ_ASSERT(rc == SSHKIT_E_MAC || rc == SSHKIT_E_PROTOCOL);
            FUZZ_ASSERT(all_zero(pkt, total));
        }
        free(tag);
        free(pkt);
        if (rc != 0)
            break;
        pos += total + tag_len;
    }
    return count;
}

/* Sealed mode: the plaintexts, laid end to end, to compare with. */
typedef struct {
    sk_buf plain;
    size_t *offsets;    /* where each packet's plaintext starts in plain */
    size_t *ends;       /* where each packet's ciphertext ends in the stream */
    size_t count;
} sealed;

static void check_opened(void *ctx, size_t index, const uint8_t *pkt, size_t len)
{
    const sealed *s = ctx;
    FUZZ_ASSERT(index < s->count);
    FUZZ_ASSERT(s->offsets[index] + len <= s->plain.len);
    FUZZ_ASSERT(memcmp(s->plain.data + s->offsets[index], pkt, len) == 0);
}

static uint32_t take_u24(fuzz_input *in)
{
    uint32_t v = fuzz_byte(in);
    v = v << 8 | fuzz_byte(in);
    return v << 8 | fuzz_byte(in);
}

/* Lays out one plaintext packet from the input and seals it onto stream. */
static bool seal_one(sk_packet_cipher *enc, uint32_t seqnr, fuzz_input *in, sealed *s,
                     sk_buf *stream)
{
    size_t block = sk_packet_block_size(enc), tag_len = sk_packet_tag_len(enc);
    size_t payload = take_u24(in) % (SK_PACKET_MAX - 512);
    size_t padding = sk_packet_padding_len(enc, payload);
    size_t extra = fuzz_byte(in);
    while (extra > 0 && padding + extra * block > 255)
        extra /= 2;
    padding += extra * block;
    size_t total = 4 + 1 + payload + padding;

    uint8_t *pkt = sk_buf_reserve(stream, total + tag_len);
    if (pkt == NULL)
        return false;
    memset(pkt, 0, total);
    sk_store_u32(pkt, (uint32_t)(total - 4));
    pkt[4] = (uint8_t)padding;
    size_t n = payload < in->len ? payload : in->len;
    memcpy(pkt + 5, in->data, n);
    in->data += n;
    in->len -= n;

    s->offsets[s->count] = s->plain.len;
    sk_write_raw(&s->plain, pkt, total);
    FUZZ_ASSERT(sk_packet_seal(enc, seqnr, pkt, total, pkt + total) == 0);
    sk_buf_advance(stream, total + tag_len);
    s->ends[s->count++] = stream->len;
    return sk_buf_error(&s->plain) == 0;
}

#define MAX_SEALED 64
#define MAX_STREAM ((size_t)2 << 20)

static void run_sealed(size_t choice, fuzz_input *in)
{
    bool flip = fuzz_byte(in) & 1;
    uint32_t flip_at = take_u24(in);
    size_t offsets[MAX_SEALED], ends[MAX_SEALED];
    sealed s = { .offsets = offsets, .ends = ends, .count = 0 };
    sk_buf stream;
    sk_buf_init(&s.plain);
    sk_buf_init(&stream);

    sk_packet_cipher *enc = make(choice, true);
    for (uint32_t seqnr = 0; in->len > 0 && s.count < MAX_SEALED && stream.len < MAX_STREAM; seqnr++)
        FUZZ_ASSERT(seal_one(enc, seqnr, in, &s, &stream));
    sk_packet_cipher_free(enc);

    size_t want = s.count;
    if (flip && stream.len > 0) {
        size_t at = flip_at % stream.len;
        stream.data[at] ^= (uint8_t)(1u << (flip_at >> 21));
        for (want = 0; ends[want] <= at; want++)
            ;
    }
    sk_packet_cipher *dec = make(choice, false);
    size_t got = open_stream(dec, stream.data, stream.len, check_opened, &s);
    FUZZ_ASSERT(got == want);
    sk_packet_cipher_free(dec);
    sk_buf_free(&stream);
    sk_buf_free(&s.plain);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = { data, size };
    uint8_t choice = fuzz_byte(&in);
    size_t which = (choice & 0x7f) % NCHOICES;
    if (choice & 0x80) {
        run_sealed(which, &in);
        return 0;
    }
    size_t len = 0;
    uint8_t *stream = fuzz_take(&in, in.len, &len);
    if (stream == NULL)
        return 0;
    sk_packet_cipher *dec = make(which, false);
    open_stream(dec, stream, len, NULL, NULL);
    sk_packet_cipher_free(dec);
    free(stream);
    return 0;
}
