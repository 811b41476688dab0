/* Framing and sealing outgoing packets in the send queue; see packet.h. */
#include "transport/packet.h"

#include <string.h>
#include <openssl/rand.h>
#include <sshkit/error.h>

/* Before NEWKEYS: 8-byte blocks, the length counted in the alignment. */
#define CLEAR_BLOCK 8u

void sk_packet_writer_init(sk_packet_writer *w, sk_buf *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->dir.deflates = true;
}

void sk_packet_begin(sk_packet_writer *w, uint8_t msg_type)
{
    w->start = w->out->len;
    w->type = msg_type;
    w->open = true;
    sk_write_u32(w->out, 0);    /* packet_length, filled in at the end */
    sk_write_u8(w->out, 0);     /* padding_length */
    sk_write_u8(w->out, msg_type);
}

static size_t padding_for(const sk_packet_cipher *c, size_t payload_len)
{
    if (c)
        return sk_packet_padding_len(c, payload_len);
    size_t pad = CLEAR_BLOCK - (4 + 1 + payload_len) % CLEAR_BLOCK;
    return pad < SK_PACKET_MIN_PADDING ? pad + CLEAR_BLOCK : pad;
}

size_t sk_packet_max_payload(const sk_packet_writer *w)
{
    /* packet_length, padding_length, and the most padding any mode adds. */
    size_t max = SK_PACKET_MAX - 1 - 2 * 16;
    /* Deflate can grow data that does not shrink: a few bytes per 16 KiB
     * block, its header and the flush (zlib's deflateBound, with room). */
    if (w->dir.comp != SK_COMP_NONE)
        max -= max / 512 + 64;
    return max;
}

/* Replaces the payload in the queue by its deflated form. */
static int compress_payload(sk_packet_writer *w, size_t *payload_len)
{
    sk_buf *out = w->out;
    size_t at = w->start + 5;
    if (*payload_len > SK_PACKET_INFLATED_MAX)
        return SSHKIT_E_TOO_LARGE;      /* more than a receiver would inflate */
    sk_bytes z;
    int rc = sk_zstream_deflate(w->dir.zstream, out->data + at, *payload_len, &z);
    if (rc)
        return rc;
    out->len = at;
    sk_write_raw(out, z.ptr, z.len);
    if (out->error)
        return out->error;
    w->dir.plain_bytes += *payload_len;
    w->dir.zipped_bytes += z.len;
    *payload_len = z.len;
    return 0;
}

int sk_packet_end(sk_packet_writer *w)
{
    sk_buf *out = w->out;
    sk_packet_cipher *c = w->dir.cipher;
    if (!w->open)
        return SSHKIT_E_STATE;
    w->open = false;
    if (out->error)
        return out->error;
    size_t payload_len = out->len - w->start - 5;
    if (w->dir.zstream) {
        int rc = compress_payload(w, &payload_len);
        if (rc) {
            out->len = w->start;
            return rc;
        }
    }
    size_t pad = padding_for(c, payload_len);
    if (1 + payload_len + pad > SK_PACKET_MAX) {
        out->len = w->start;
        return SSHKIT_E_TOO_LARGE;
    }
    size_t tag_len = c ? sk_packet_tag_len(c) : 0;
    uint8_t *tail = sk_buf_reserve(out, pad + tag_len);
    if (tail == NULL)
        return out->error;
    if (RAND_bytes(tail, (int)pad) != 1)
        return SSHKIT_E_CRYPTO;
    out->len += pad;
    uint8_t *pkt = out->data + w->start;
    size_t len = out->len - w->start;
    sk_store_u32(pkt, (uint32_t)(len - 4));
    pkt[4] = (uint8_t)pad;
    if (c) {
        int rc = sk_packet_seal(c, w->dir.seqnr, pkt, len, out->data + out->len);
        if (rc)
            return rc;
        out->len += tag_len;
    }
    w->dir.seqnr++;
    w->dir.packets++;
    w->dir.bytes += len + tag_len;
    return 0;
}
