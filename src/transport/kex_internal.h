/* What the key exchange files share. */
#ifndef SSHKIT_TRANSPORT_KEX_INTERNAL_H
#define SSHKIT_TRANSPORT_KEX_INTERNAL_H

#include "transport/exchange_hash.h"
#include "transport/kex.h"
#include "transport/session_internal.h"

/* The message numbers of the method in use. */
#define SK_MSG_KEX_INIT 30
#define SK_MSG_KEX_REPLY 31
#define SK_MSG_GEX_GROUP 31
#define SK_MSG_GEX_INIT 32
#define SK_MSG_GEX_REPLY 33
#define SK_MSG_GEX_REQUEST 34

/* Group-exchange bounds sshkit asks for and accepts (RFC 8270). */
#define SK_GEX_MIN 2048u
#define SK_GEX_MAX 8192u

/* EXT_INFO (RFC 8308): the server sends server-sig-algs, the client keeps it. */
int sk_ext_info_send(sshkit_session *s);
int sk_ext_info_handle(sshkit_session *s, sk_bytes payload);

/* Client and server halves of the method messages. */
int sk_kex_client_begin(sshkit_session *s);
int sk_kex_client_handle(sshkit_session *s, uint8_t type, sk_bytes payload);
int sk_kex_server_handle(sshkit_session *s, uint8_t type, sk_bytes payload);

/* Fills the parts of the exchange hash input common to both roles. */
void sk_kex_hash_input(const sshkit_session *s, sk_exchange_hash_input *in);

/* After the exchange hash: derives the next keys, sends NEWKEYS and puts
 * our sending keys in place. K is wiped by the caller. */
int sk_kex_send_newkeys(sshkit_session *s, sk_bytes k, const uint8_t *h, size_t h_len);

/* A vetted group for group exchange: the smallest of RFC 3526's MODP
 * groups with at least n bits within [min, max], or the largest under
 * max. p and g are written as magnitudes. SSHKIT_E_NO_COMMON_ALGORITHM when
 * none fits. */
int sk_kex_gex_choose_group(uint32_t min, uint32_t n, uint32_t max, sk_buf *p, sk_buf *g);

/* The group size a client asks for, from the strength the ciphers need
 * (as OpenSSH's dh_estimate). */
uint32_t sk_kex_gex_wanted_bits(const sk_negotiated *neg);

#endif
