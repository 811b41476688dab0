/* Buffering, authenticating and decrypting incoming packets; see packet.h. */
#include "transport/packet.h"

#include <string.h>
#include <sshkit/error.h>

/* Received bytes held at most: two of the largest packets. */
#define READER_HOLD (2 * (4 + SK_PACKET_MAX + SK_PACKET_TAG_MAX))
#define CLEAR_BLOCK 8u

void sk_packet_reader_init(sk_packet_reader *r)
{
    memset(r, 0, sizeof *r);
    sk_buf_init_secret(&r->in);     /* it holds decrypted payloads */
    r->in.max = READER_HOLD;
}

void sk_packet_reader_free(sk_packet_reader *r)
{
    sk_packet_dir_free(&r->dir);
    sk_buf_free(&r->in);
}

/* Forgets the packet returned last. With compact, moves what is left to the
 * front when that is cheap or needed; without, only rewinds an empty buffer
 * (sk_packet_next: so that a large buffer of many packets is never moved
 * piece by piece while they are read). */
static void drop_done(sk_packet_reader *r, bool compact)
{
    r->rpos += r->done;
    r->done = 0;
    size_t left = r->in.len - r->rpos;
    if (r->rpos > 0 && (left == 0 || (compact && r->rpos >= r->in.len / 2))) {
        memmove(r->in.data, r->in.data + r->rpos, left);
        r->in.len = left;
        r->rpos = 0;
    }
}

int sk_packet_feed(sk_packet_reader *r, const uint8_t *data, size_t len)
{
    drop_done(r, true);
    size_t room = READER_HOLD - r->in.len;
    size_t take = len < room ? len : room;
    if (take > 0 && sk_buf_reserve(&r->in, take) == NULL)
        return SSHKIT_E_NOMEM;
    if (take > 0) {
        memcpy(r->in.data + r->in.len, data, take);
        r->in.len += take;
    }
    return (int)(take > (size_t)INT32_MAX ? INT32_MAX : take);
}

uint8_t *sk_packet_room(sk_packet_reader *r, size_t *room)
{
    *room = 0;
    drop_done(r, false);
    /* Reads go on at the end of the buffer while a full read's worth of
     * space is left there; then what is left (as a rule the start of one
     * packet: the caller has read every complete one) moves to the front.
     * So a packet is moved at most once per SK_PACKET_RECEIVE_ROOM or so
     * read, and never while it is being read in pieces. */
    if (r->rpos > 0 && READER_HOLD - r->in.len < SK_PACKET_RECEIVE_ROOM) {
        size_t left = r->in.len - r->rpos;
        memmove(r->in.data, r->in.data + r->rpos, left);
        r->in.len = left;
        r->rpos = 0;
    }
    size_t want = READER_HOLD - r->in.len;
    if (want > SK_PACKET_RECEIVE_ROOM)
        want = SK_PACKET_RECEIVE_ROOM;
    if (want == 0)
        return r->in.data ? r->in.data + r->in.len : NULL;
    uint8_t *p = sk_buf_reserve(&r->in, want);
    if (p == NULL)
        return NULL;
    size_t cap = r->in.cap < READER_HOLD ? r->in.cap : READER_HOLD;
    *room = cap - r->in.len;
    return p;
}

void sk_packet_commit(sk_packet_reader *r, size_t n)
{
    size_t cap = r->in.cap < READER_HOLD ? r->in.cap : READER_HOLD;
    if (n > cap - r->in.len)
        n = cap - r->in.len;
    r->in.len += n;
}

/* Before NEWKEYS: the length is in the clear and whole packets fill
 * 8-byte blocks (RFC 4253 section 6). */
static int clear_length(const uint8_t *pkt, uint32_t *length)
{
    *length = sk_load_u32(pkt);
    if (*length > SK_PACKET_MAX)
        return SSHKIT_E_TOO_LARGE;
    if (*length < 12 || (*length + 4) % CLEAR_BLOCK != 0)
        return SSHKIT_E_PROTOCOL;
    return 0;
}

static int read_length(sk_packet_reader *r, uint8_t *pkt, size_t avail)
{
    sk_packet_cipher *c = r->dir.cipher;
    size_t first = c ? sk_packet_first_len(c) : 4;
    if (avail < first)
        return SSHKIT_E_AGAIN;
    int rc = c ? sk_packet_open_length(c, r->dir.seqnr, pkt, &r->length)
               : clear_length(pkt, &r->length);
    if (rc == 0)
        r->have_length = true;
    return rc;
}

/* Checks padding_length and returns the payload. */
static int payload_of(uint8_t *pkt, uint32_t length, sk_bytes *payload)
{
    uint8_t pad = pkt[4];
    if (pad < SK_PACKET_MIN_PADDING || (uint32_t)pad + 1 >= length)
        return SSHKIT_E_PROTOCOL;   /* also refuses an empty payload */
    payload->ptr = pkt + 5;
    payload->len = length - 1 - pad;
    return 0;
}

/* Swaps the compressed payload for its inflated form. */
static int inflate_payload(sk_packet_reader *r, sk_bytes *payload)
{
    size_t zipped = payload->len;
    int rc = sk_zstream_inflate(r->dir.zstream, payload->ptr, payload->len,
                                SK_PACKET_INFLATED_MAX, payload);
    if (rc == 0 && payload->len == 0)
        rc = SSHKIT_E_FORMAT;           /* no message type */
    if (rc == SSHKIT_E_NOMEM)
        return rc;
    if (rc) {
        r->inflate_error = rc;
        return SSHKIT_E_FORMAT;
    }
    r->dir.zipped_bytes += zipped;
    r->dir.plain_bytes += payload->len;
    return 0;
}

int sk_packet_next(sk_packet_reader *r, sk_bytes *payload)
{
    payload->ptr = NULL;
    payload->len = 0;
    drop_done(r, false);
    if (r->in.data == NULL)
        return SSHKIT_E_AGAIN;
    uint8_t *pkt = r->in.data + r->rpos;
    size_t avail = r->in.len - r->rpos;
    int rc;
    if (!r->have_length && (rc = read_length(r, pkt, avail)) != 0)
        return rc;
    sk_packet_cipher *c = r->dir.cipher;
    size_t tag_len = c ? sk_packet_tag_len(c) : 0;
    size_t total = 4 + (size_t)r->length + tag_len;
    if (avail < total)
        return SSHKIT_E_AGAIN;
    if (c && (rc = sk_packet_open(c, r->dir.seqnr, pkt, 4 + (size_t)r->length,
                                  pkt + 4 + r->length)) != 0)
        return rc;
    if ((rc = payload_of(pkt, r->length, payload)) != 0)
        return rc;
    if (r->dir.zstream && (rc = inflate_payload(r, payload)) != 0)
        return rc;
    r->have_length = false;
    r->done = total;
    r->dir.seqnr++;
    r->dir.packets++;
    r->dir.bytes += total;
    return 0;
}
