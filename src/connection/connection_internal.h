/* The connection layer (RFC 4254): channels and global requests, inside
 * the session engine. */
#ifndef SSHKIT_CONNECTION_INTERNAL_H
#define SSHKIT_CONNECTION_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sshkit/channel.h>

#include "transport/session_internal.h"

/* The window we grant a peer, and the largest data packet we take. */
#define SK_CHANNEL_WINDOW (2u << 20)
#define SK_CHANNEL_MAX_PACKET (128u << 10)
/* The largest data packet we send, whatever the peer allows. */
#define SK_CHANNEL_SEND_MAX (128u << 10)
/* Output queued beyond this stops writes until it drains below the low mark. */
#define SK_OUTPUT_HIGH_WATER ((size_t)8 << 20)
#define SK_OUTPUT_LOW_WATER ((size_t)1 << 20)
#define SK_CHANNELS_DEFAULT_MAX 64
#define SK_CHANNEL_TYPE_MAX 64

/* Received bytes of one stream, waiting for the application. */
typedef struct {
    uint8_t *data;
    size_t pos, len, cap;
} sk_stream;

typedef enum {
    SK_CH_OPENING,      /* we sent CHANNEL_OPEN */
    SK_CH_PENDING,      /* the peer sent CHANNEL_OPEN; the application decides */
    SK_CH_OPEN,
    SK_CH_FAILED,       /* refused, by either side */
    SK_CH_CLOSED        /* CLOSE sent and received */
} sk_channel_state;

struct sshkit_channel {
    sshkit_session *session;
    struct sshkit_channel *next, *prev;  /* every live handle of the session */
    sk_channel_state state;
    char type[SK_CHANNEL_TYPE_MAX];
    uint32_t local_id, remote_id;
    bool in_table;
    /* what the peer may still send us, and what the application has read since we said so */
    uint32_t local_window, consumed;
    /* what we may still send */
    uint32_t remote_window, remote_max_packet;
    sk_stream streams[2];
    bool eof_received, eof_sent, close_received, close_sent;
    bool data_event_pending[2];
    bool writable_wanted;
    unsigned our_requests_pending;      /* answers we wait for */
    unsigned our_requests_refused;      /* FAILURE answers received, ever */
    unsigned peer_requests_pending;     /* answers the peer waits for */
    bool has_exit_status;
    unsigned exit_status;
    char exit_signal[32];
    bool freed_by_app;
    void *user;
    uint64_t serial;    /* this handle's number in its session: never reused */
};

#define SK_GLOBAL_PENDING_MAX 256   /* our global requests awaiting replies */
#define SK_GLOBAL_REPLY_MAX 256     /* bytes a handler may send with REQUEST_SUCCESS */

struct sk_connection {
    sshkit_channel **table;     /* by local id */
    uint32_t table_cap;
    unsigned open_count;        /* channels in the table */
    unsigned max_channels;
    sshkit_channel *all;        /* every handle not yet freed */
    sshkit_global_request_fn global_handler;
    void *global_user;
    /* Our global requests awaiting replies, oldest first (a ring): whether
     * each one's reply becomes SSHKIT_EVENT_GLOBAL_REQUEST_RESULT. */
    bool global_reply_event[SK_GLOBAL_PENDING_MAX];
    unsigned global_reply_head, global_replies_pending;
    /* The data a handler gives its REQUEST_SUCCESS (sshkit_session_global_reply_data). */
    uint8_t global_reply[SK_GLOBAL_REPLY_MAX];
    size_t global_reply_len;
    bool in_global_handler;
    bool output_blocked;
    uint64_t serials;           /* handles made so far */
};

/* The session's connection state, made on first use; NULL when out of memory. */
struct sk_connection *sk_connection_of(sshkit_session *s);

/* Handles messages 80..127 (the dispatcher has checked authentication). */
int sk_connection_handle(sshkit_session *s, uint8_t type, sk_bytes payload);

/* Frees every channel and the connection state. */
void sk_connection_free(sshkit_session *s);

/* Called when queued output drains: lets blocked writers go on. */
void sk_connection_output_drained(sshkit_session *s);

/* Channel table and life cycle (channels.c). */
int sk_channel_new(sshkit_session *s, const char *type, sshkit_channel **out);
sshkit_channel *sk_channel_lookup(sshkit_session *s, uint32_t local_id);
void sk_channel_leave_table(sshkit_channel *ch);
void sk_channel_destroy(sshkit_channel *ch);

/* Whether a handle the caller remembers (its pointer and serial) is still
 * one of the session's: false once the application freed it (the channel
 * may linger until the peer's CLOSE), even when a new channel was
 * given the same memory. The pointer is compared, never read, until found. */
bool sk_channel_is_live(sshkit_session *s, const sshkit_channel *ch, uint64_t serial);

/* Streams (stream.c). */
int sk_stream_append(sk_stream *st, const uint8_t *data, size_t len);
size_t sk_stream_take(sk_stream *st, uint8_t *out, size_t cap);
void sk_stream_free(sk_stream *st);

/* Zero-copy reading, for protocols layered on a channel (SFTP): the
 * unread bytes of a stream in place, valid until the next call on the
 * session. Looking counts as having seen them all: the next data to
 * arrive raises SSHKIT_EVENT_CHANNEL_DATA again. */
size_t sk_channel_peek(sshkit_channel *ch, int stream, const uint8_t **data);

/* Marks n bytes (at most what sk_channel_peek() showed) read, as
 * sshkit_channel_read() does: the peer's window reopens as they go. */
int sk_channel_consume(sshkit_channel *ch, int stream, size_t n);

/* Raises a channel event. */
void sk_channel_event(sshkit_channel *ch, sshkit_event_type type);

/* Incoming messages, by group. */
int sk_channel_handle_open(sshkit_session *s, sk_reader *r);
int sk_channel_handle_open_reply(sshkit_session *s, uint8_t type, sk_reader *r);
int sk_channel_handle_data(sshkit_session *s, uint8_t type, sk_reader *r);
int sk_channel_handle_window(sshkit_session *s, sk_reader *r);
int sk_channel_handle_eof_close(sshkit_session *s, uint8_t type, sk_reader *r);
int sk_channel_handle_request(sshkit_session *s, sk_reader *r);
int sk_channel_handle_request_reply(sshkit_session *s, uint8_t type, sk_reader *r);
int sk_global_handle(sshkit_session *s, uint8_t type, sk_reader *r);

/* The channel a message names, or the session's failure (unknown id). */
int sk_channel_from_message(sshkit_session *s, sk_reader *r, uint8_t type, sshkit_channel **ch);

#endif
