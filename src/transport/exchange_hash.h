/* The exchange hash H (RFC 4253 section 8, RFC 5656 section 4,
 * RFC 4419 section 3, RFC 8731 section 3.1), the value both sides sign and
 * derive keys from. */
#ifndef SSHKIT_TRANSPORT_EXCHANGE_HASH_H
#define SSHKIT_TRANSPORT_EXCHANGE_HASH_H

#include <stdbool.h>
#include <stdint.h>
#include "crypto/hash.h"
#include "wire/reader.h"

typedef struct {
    sk_bytes v_c, v_s;          /* version lines, without CR LF */
    sk_bytes i_c, i_s;          /* KEXINIT payloads, message type included */
    sk_bytes k_s;               /* the server's host key blob */
    bool gex;                   /* group exchange: the fields below count */
    uint32_t gex_min, gex_n, gex_max;
    sk_bytes gex_p, gex_g;      /* magnitudes */
    sk_bytes q_c, q_s;          /* public values: raw bytes (e, f magnitudes for DH) */
    bool publics_are_mpints;    /* DH; X25519 and ECDH send strings */
    sk_bytes k;                 /* shared secret, magnitude */
} sk_exchange_hash_input;

/* Computes H into out (SK_HASH_MAX_SIZE bytes of room) and sets *len.
 * 0 or a negative error. */
int sk_exchange_hash(sk_hash_alg alg, const sk_exchange_hash_input *in, uint8_t *out,
                     size_t *len);

#endif
