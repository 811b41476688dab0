/* The ssh-agent client (draft-miller-ssh-agent): what its files share.
 *
 *   agent_msg.c     requests, framed (uint32 length, byte type, fields); no I/O
 *   agent_reply.c   parsers of the replies: status, identities, signature; no I/O
 *   agent_frame.c   collecting one framed reply from a byte stream, bounded; no I/O
 *   agent_io.c      the socket: connect, send a request, receive a reply by a deadline
 *   agent.c         the public API (sshkit/agent.h) over the four
 */
#ifndef SSHKIT_AGENT_INTERNAL_H
#define SSHKIT_AGENT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sshkit/agent.h>
#include <sshkit/key.h>

#include "wire/reader.h"
#include "wire/writer.h"

/* Message numbers (draft-miller-ssh-agent section 5.1). */
#define SK_AGENT_FAILURE 5
#define SK_AGENT_SUCCESS 6
#define SK_AGENTC_REQUEST_IDENTITIES 11
#define SK_AGENT_IDENTITIES_ANSWER 12
#define SK_AGENTC_SIGN_REQUEST 13
#define SK_AGENT_SIGN_RESPONSE 14
#define SK_AGENTC_ADD_IDENTITY 17
#define SK_AGENTC_REMOVE_IDENTITY 18
#define SK_AGENTC_REMOVE_ALL_IDENTITIES 19
#define SK_AGENTC_LOCK 22
#define SK_AGENTC_UNLOCK 23
#define SK_AGENTC_ADD_ID_CONSTRAINED 25
#define SK_AGENT_EXTENSION_FAILURE 28
/* Failure codes of older and other agents, taken as SSH_AGENT_FAILURE (as
 * OpenSSH's client does). */
#define SK_AGENT_SSH2_FAILURE 30
#define SK_AGENT_SSHCOM_FAILURE 102

/* Key constraints (section 5.2) and signature flags (section 5.3). */
#define SK_AGENT_CONSTRAIN_LIFETIME 1
#define SK_AGENT_CONSTRAIN_CONFIRM 2
#define SK_AGENT_RSA_SHA2_256 0x02u
#define SK_AGENT_RSA_SHA2_512 0x04u

/* The longest passphrase sent to lock or unlock. */
#define SK_AGENT_PASSPHRASE_MAX 1024

/* ---- agent_msg.c: each writes one whole framed request into b (a secret
 * buffer for add, lock and unlock) and returns sk_buf_error(b). ---- */
int sk_agent_msg_simple(sk_buf *b, uint8_t type);  /* REQUEST_IDENTITIES, REMOVE_ALL */
int sk_agent_msg_sign(sk_buf *b, const uint8_t *blob, size_t blob_len, const uint8_t *data,
                      size_t len, uint32_t flags);
int sk_agent_msg_add(sk_buf *b, const sshkit_key *key, const char *comment,
                     const sshkit_agent_constraints *constraints);
int sk_agent_msg_remove(sk_buf *b, const uint8_t *blob, size_t blob_len);
int sk_agent_msg_passphrase(sk_buf *b, uint8_t type, const char *passphrase); /* LOCK, UNLOCK */

/* The flags for a signature algorithm (0 but for RSA's SHA-2 ones). */
uint32_t sk_agent_sign_flags(const char *algorithm);

/* ---- agent_reply.c: msg is a whole reply (type byte first). ---- */

/* SUCCESS: 0; a failure code: SSHKIT_E_REFUSED; else SSHKIT_E_PROTOCOL. */
int sk_agent_reply_status(sk_bytes msg);

/* IDENTITIES_ANSWER into an array of public keys with their comments;
 * unknown key types are skipped. */
int sk_agent_reply_identities(sk_bytes msg, sshkit_key ***keys, size_t *count);

/* SIGN_RESPONSE: the signature (string alg, string blob), copied out;
 * SSHKIT_E_SIGNATURE when it names another algorithm than alg. */
int sk_agent_reply_signature(sk_bytes msg, const char *alg, uint8_t **sig, size_t *sig_len);

/* ---- agent_frame.c: one framed reply, collected from a stream. ---- */
typedef struct {
    uint8_t head[4];
    size_t head_len;
    uint8_t *body;
    size_t body_len;        /* from the header, at most SSHKIT_AGENT_MAX_REPLY */
    size_t got;             /* body bytes in so far */
} sk_agent_frame;

void sk_agent_frame_init(sk_agent_frame *f);
void sk_agent_frame_free(sk_agent_frame *f);
/* Where the next bytes go and how many the frame still wants (never more
 * than the rest of the message). */
void sk_agent_frame_space(sk_agent_frame *f, uint8_t **where, size_t *room);
/* Records n bytes written at the space: 1 once the message is whole, 0
 * while more is wanted, SSHKIT_E_TOO_LARGE for a length over the cap,
 * SSHKIT_E_PROTOCOL for an empty message, SSHKIT_E_NOMEM. */
int sk_agent_frame_advance(sk_agent_frame *f, size_t n);
/* The whole message (type byte first), once advance returned 1. */
sk_bytes sk_agent_frame_message(const sk_agent_frame *f);

/* ---- agent_io.c ---- */
int sk_agent_io_connect(const char *path, int *fd);
/* Writes all of data by the deadline (sk_io_deadline's). */
int sk_agent_io_send(int fd, const uint8_t *data, size_t len, uint64_t deadline);
/* Reads one framed reply into f by the deadline. SSHKIT_E_CONNECTION_CLOSED
 * when the agent hangs up, SSHKIT_E_TIMEOUT, SSHKIT_E_IO, or the frame's errors. */
int sk_agent_io_receive(int fd, sk_agent_frame *f, uint64_t deadline);

#endif
