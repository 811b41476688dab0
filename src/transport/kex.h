/* The key exchange state machine (RFC 4253 sections 7-9, RFC 4419,
 * RFC 5656, RFC 8308, OpenSSH's strict kex): KEXINIT, the method's
 * messages, NEWKEYS, rekeying. */
#ifndef SSHKIT_TRANSPORT_KEX_H
#define SSHKIT_TRANSPORT_KEX_H

#include <stdbool.h>
#include <stdint.h>
#include <sshkit/key.h>

#include "crypto/hash.h"
#include "crypto/kex_dh.h"
#include "crypto/packet_cipher.h"
#include "transport/kex_methods.h"
#include "transport/kexinit.h"
#include "wire/writer.h"

struct sshkit_session;

typedef struct {
    bool in_progress;           /* between the first KEXINIT and both NEWKEYS */
    bool sent_kexinit;
    bool got_kexinit;
    bool sent_newkeys;
    bool got_newkeys;
    bool done_once;             /* the first exchange has finished */
    bool strict;                /* strict kex (decided by the first exchange) */
    bool skip_guess;            /* drop the peer's wrongly guessed kex packet */
    bool ext_info_sent;
    sk_buf ours;                /* our KEXINIT payload (I_C or I_S) */
    sk_buf theirs;              /* the peer's */
    sk_negotiated neg;
    const sk_kex_method_info *method;
    sk_kex_dh *dh;
    /* group exchange (RFC 4419) */
    uint32_t gex_min, gex_n, gex_max;
    sk_buf gex_p, gex_g;
    /* keys waiting for NEWKEYS */
    sk_packet_cipher *next_send;
    sk_packet_cipher *next_recv;
    uint8_t session_id[SK_HASH_MAX_SIZE];
    size_t session_id_len;
    /* what the server proved (client), and said (EXT_INFO) */
    sshkit_key *host_key;
    char *server_sig_algs;
} sk_kex;

void sk_kex_init(sk_kex *k);
void sk_kex_free(sk_kex *k);

/* Sends our KEXINIT (starting an exchange, or answering the peer's). */
int sk_kex_send_kexinit(struct sshkit_session *s);

/* Handles a transport message of the kex range (20..49) and EXT_INFO. */
int sk_kex_handle(struct sshkit_session *s, uint8_t type, sk_bytes payload);

/* Starts a rekey when a limit is reached; 0 or the session's failure. */
int sk_kex_check_limits(struct sshkit_session *s);

/* Whether a message type may be sent while an exchange runs. */
bool sk_kex_allows(uint8_t type);

#endif
