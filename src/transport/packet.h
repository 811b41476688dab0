/* The binary packet protocol (RFC 4253 section 6) over one direction's
 * sk_packet_cipher, or in the clear before the first NEWKEYS, with the
 * payload compressed when a zlib method runs (zstream.h).
 *
 * The writer frames packets straight into the transport's send queue: the
 * caller appends a payload after sk_packet_begin() and sk_packet_end()
 * pads, seals and tags it where it lies, so a payload is written once and
 * never copied. The reader keeps the received bytes and hands out each
 * payload as a view into them, decrypted in place.
 *
 * With compression, the writer deflates the payload where it lies into
 * the stream's buffer and puts the result back in its place; the reader
 * inflates straight into the stream's buffer and hands out a view of it.
 * Without, neither does anything more than a test of one pointer. */
#ifndef SSHKIT_TRANSPORT_PACKET_H
#define SSHKIT_TRANSPORT_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/packet_cipher.h"
#include "transport/zstream.h"
#include "wire/reader.h"
#include "wire/writer.h"

/* The largest payload a compressed packet may inflate to: as large as an
 * uncompressed packet may be. Past it, inflating stops (a zlib bomb). */
#define SK_PACKET_INFLATED_MAX SK_PACKET_MAX

/* What one direction has carried under its current keys (for rekeying)
 * and its sequence number (RFC 4253 section 6.4; wraps at 2^32). */
typedef struct {
    sk_packet_cipher *cipher;   /* NULL: no protection yet */
    sk_comp_method comp;        /* negotiated with the current keys */
    sk_zstream *zstream;        /* NULL while payloads are not compressed */
    bool deflates;              /* the sending direction */
    uint32_t seqnr;
    uint64_t bytes;
    uint64_t packets;
    uint64_t plain_bytes;       /* payloads through zlib, for all keys: as written */
    uint64_t zipped_bytes;      /* and as on the wire */
} sk_packet_dir;

/* Installs new keys for a direction (taking ownership of cipher, freeing
 * the old one) and restarts the byte and packet counts. With strict kex
 * (the Terrapin countermeasure) the sequence number restarts at 0 too.
 * comp is the compression method negotiated with the keys: a running
 * stream ends here, and a new one starts for "zlib", and for
 * "zlib@openssh.com" when authenticated (USERAUTH_SUCCESS has passed).
 * 0 or SSHKIT_E_NOMEM (the keys are installed, compression is not). */
int sk_packet_dir_rekey(sk_packet_dir *d, sk_packet_cipher *cipher, bool reset_seqnr,
                        sk_comp_method comp, bool authenticated);

/* USERAUTH_SUCCESS has passed: starts "zlib@openssh.com" if the current
 * keys negotiated it and it is not running yet. 0 or SSHKIT_E_NOMEM. */
int sk_packet_dir_start_delayed(sk_packet_dir *d);

void sk_packet_dir_free(sk_packet_dir *d);

/* ---- sending ---- */

typedef struct {
    sk_packet_dir dir;
    sk_buf *out;        /* the send queue (borrowed) */
    size_t start;       /* where the open packet begins in out */
    uint8_t type;       /* of the open (or the last) packet */
    bool open;
} sk_packet_writer;

void sk_packet_writer_init(sk_packet_writer *w, sk_buf *out);

/* Starts a packet whose payload begins with msg_type; the caller appends
 * the rest of the payload to w->out with sk_write_*. */
void sk_packet_begin(sk_packet_writer *w, uint8_t msg_type);

/* Compresses (when on), pads, seals and tags the open packet. Returns 0,
 * SSHKIT_E_TOO_LARGE for a payload that does not fit in SK_PACKET_MAX
 * (the packet is dropped from the queue), or the send queue's or the
 * compressor's error (final). */
int sk_packet_end(sk_packet_writer *w);

/* Payload bytes that fit in one packet of this direction, given what the
 * payload's header takes; for splitting channel data. */
size_t sk_packet_max_payload(const sk_packet_writer *w);

/* ---- receiving ---- */

typedef struct {
    sk_packet_dir dir;
    sk_buf in;          /* received bytes, from rpos on */
    size_t rpos;        /* start of the packet being read */
    uint32_t length;    /* packet_length of it, once known */
    bool have_length;
    size_t done;        /* bytes of the last returned packet, dropped on the next call */
    int inflate_error;  /* why the last payload did not inflate */
} sk_packet_reader;

void sk_packet_reader_init(sk_packet_reader *r);
void sk_packet_reader_free(sk_packet_reader *r);

/* Takes received bytes; returns how many it accepted (it holds at most
 * about two packets' worth: call sk_packet_next until SSHKIT_E_AGAIN, then
 * feed the rest), or SSHKIT_E_NOMEM. */
int sk_packet_feed(sk_packet_reader *r, const uint8_t *data, size_t len);

/* Free space wanted at the end of the input buffer for one read straight
 * into it (sk_packet_room): a read's worth of many packets. */
#define SK_PACKET_RECEIVE_ROOM ((size_t)256 << 10)

/* The free space at the end of the input buffer, for the caller to write
 * received bytes into and then hand over with sk_packet_commit: its start,
 * and its size in room (up to about SK_PACKET_RECEIVE_ROOM, more while a
 * large packet is incomplete; 0 when the buffer holds all it may). May move
 * or grow the buffer (so it ends the view sk_packet_next gave); nothing
 * moves it again before sk_packet_commit. NULL with room 0 when out of
 * memory (SSHKIT_E_NOMEM is then in in.error), or for a full buffer not yet
 * allocated (never). */
uint8_t *sk_packet_room(sk_packet_reader *r, size_t *room);

/* Takes n bytes written at the start of the space sk_packet_room gave
 * (n at most its room). */
void sk_packet_commit(sk_packet_reader *r, size_t n);

/* The next payload (message type first, never empty), a view valid until
 * the next call to sk_packet_next or sk_packet_feed. Returns 0;
 * SSHKIT_E_AGAIN when more bytes are needed; SSHKIT_E_TOO_LARGE or
 * SSHKIT_E_PROTOCOL for a bad length or padding; SSHKIT_E_MAC for a packet
 * that fails authentication; SSHKIT_E_FORMAT for a compressed payload that
 * does not inflate (corrupt, or past SK_PACKET_INFLATED_MAX: r->inflate_error
 * says which, as sk_zstream_inflate's code), SSHKIT_E_NOMEM. Errors are
 * final: the connection must be dropped. */
int sk_packet_next(sk_packet_reader *r, sk_bytes *payload);

#endif
