/* The inside of sshkit_session, and the internal API the layers above the
 * transport (authentication, later the connection layer) use:
 *
 *   sending    sk_msg_begin(s, type) ... sk_write_*(buf) ... sk_msg_end(s)
 *   receiving  the transport calls sk_auth_handle(s, type, payload) for
 *              messages 5, 6 and 50..79 once the first kex is done
 *   events     sk_event_push(s, ...)
 *   failing    sk_session_fail(s, reason, error, fmt, ...)
 */
#ifndef SSHKIT_TRANSPORT_SESSION_INTERNAL_H
#define SSHKIT_TRANSPORT_SESSION_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sshkit/auth.h>
#include <sshkit/session.h>

#include "transport/kex.h"
#include "transport/packet.h"
#include "transport/version.h"
#include "wire/reader.h"
#include "wire/writer.h"

#define SK_MAX_HOST_KEYS 8
#define SK_EVENT_QUEUE_MAX 65536    /* events waiting at once; a read of 64 KiB makes at most 4096 */
#define SK_LOGIN_GRACE_DEFAULT 120   /* seconds, as OpenSSH's LoginGraceTime */
#define SK_ERROR_MAX 1024      /* room for both sides' lists in "no matching ..." */

/* An event and the memory its strings point into. */
typedef struct {
    sshkit_event ev;
    char *strings;          /* one allocation holding every string of ev */
} sk_event_slot;

typedef enum {
    SK_PHASE_NEW,           /* not started */
    SK_PHASE_VERSION,       /* exchanging version lines */
    SK_PHASE_RUNNING,       /* packets flow (kex, auth, connection) */
    SK_PHASE_CLOSED         /* ended; only pending output remains */
} sk_phase;

struct sshkit_session {
    sshkit_role role;
    sk_phase phase;

    /* configuration */
    char *algorithms[SSHKIT_ALG_KINDS];
    const sshkit_key *host_keys[SK_MAX_HOST_KEYS];
    size_t host_key_count;
    sshkit_host_key_check_fn host_key_check;
    void *host_key_check_user;
    sshkit_log_fn log;
    void *log_user;
    sshkit_log_level log_level;
    bool no_strict_kex;             /* tests only: leave strict kex out of KEXINIT */
    uint64_t rekey_bytes;           /* 0: the cipher's default */
    uint32_t rekey_seconds;         /* 0: none */
    sshkit_server_auth server_auth;
    bool has_server_auth;

    /* bytes */
    sk_buf out;                     /* framed packets to send */
    size_t out_sent;                /* of out, already sent */
    sk_version_parser version;
    char our_version[SK_VERSION_MAX];
    sk_packet_writer writer;
    sk_packet_reader reader;
    size_t receive_room;            /* given by sshkit_session_receive_buffer, not yet filled */
    sk_buf deferred;                /* payloads held during a key exchange: [u32 len][payload]... */
    size_t deferred_start;          /* where the message being written begins, when deferring */
    bool deferring;                 /* the message being written goes to deferred */
    uint32_t last_seqnr;            /* of the packet being handled (for UNIMPLEMENTED) */
    int final_error;                /* once closed, what every call returns */

    /* key exchange */
    sk_kex kex;
    uint64_t now_ms;                /* last sshkit_session_tick() */
    uint64_t first_tick_ms;         /* the first one: LoginGraceTime counts from it */
    bool ticked;
    uint64_t keys_since_ms;         /* when the current keys came in */

    /* channels: owned by src/connection */
    struct sk_connection *connection;

    /* authentication: owned by src/auth */
    struct sk_auth_client *auth_client;
    struct sk_auth_server *auth_server;
    bool authenticated;
    bool userauth_passed;           /* USERAUTH_SUCCESS went by on the wire (sent
                                       or received): zlib@openssh.com may run */
    char *user;                     /* authenticated user name */

    /* events and errors */
    sk_event_slot *events;          /* a ring of event_cap slots */
    size_t event_cap, event_head, event_count;
    sk_event_slot current;          /* the event last handed out */
    char last_error[SK_ERROR_MAX];
};

/* ---- sending ---- */

/* Starts a message; write its fields to the returned buffer, then call
 * sk_msg_end (which reports any failure). Callers do not send on a closed
 * session (sshkit_session_is_closed). During a key exchange, messages
 * that are not part of it are held back and sent after NEWKEYS, as
 * RFC 4253 section 7.1 requires. */
sk_buf *sk_msg_begin(sshkit_session *s, uint8_t type);
int sk_msg_end(sshkit_session *s);

/* Frames the messages held during a key exchange (called as it ends). */
int sk_msg_flush_deferred(sshkit_session *s);

/* ---- compression (compression.c) ---- */

/* USERAUTH_SUCCESS has just been framed (server) or accepted (client):
 * delayed compression starts in both directions from the next packet.
 * 0 or the session's failure. */
int sk_compression_auth_passed(sshkit_session *s);

/* Logs how much each compressed direction saved, as the session ends. */
void sk_compression_log_totals(sshkit_session *s);

/* ---- events ---- */

/* Queues an event. Its strings (text, methods, name, instruction, prompts,
 * message) are copied, and so is a prompt event's echo array (count
 * bools). SSHKIT_E_TOO_LARGE when the queue is full. */
int sk_event_push(sshkit_session *s, const sshkit_event *ev);

/* ---- ending ---- */

/* Ends the session: records the error and its description, queues a
 * DISCONNECT with the reason code when the transport can still carry one,
 * and raises SSHKIT_EVENT_DISCONNECTED. Returns error, so callers can
 * `return sk_session_fail(...)`. */
int sk_session_fail(sshkit_session *s, unsigned reason, int error, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Logs a line at a level, if anybody listens. */
void sk_log(sshkit_session *s, sshkit_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- the authentication layer (src/auth) ---- */

/* Handles SERVICE_REQUEST/SERVICE_ACCEPT (5, 6) and 50..79 once the first
 * key exchange is done. payload is the whole payload, message type
 * included (as sk_kex_handle gets it). Returns 0 or the session's failure. */
int sk_auth_handle(sshkit_session *s, uint8_t type, sk_bytes payload);

/* Frees the authentication state. */
void sk_auth_free(sshkit_session *s);

/* The server's list of accepted signature algorithms from EXT_INFO
 * (client), or NULL when it sent none. */
const char *sk_session_server_sig_algs(const sshkit_session *s);

#endif
