/* Payload compression (RFC 4253 section 6.2) over zlib: the methods, and
 * one direction's deflate or inflate stream.
 *
 * "zlib" runs from the first NEWKEYS on; "zlib@openssh.com" (OpenSSH's
 * PROTOCOL section 1.2) waits until USERAUTH_SUCCESS has passed, so that
 * nobody unauthenticated reaches the inflater. Each packet's payload is
 * deflated with a partial flush, as the RFC asks, so that it inflates
 * whole on its own. A direction's stream starts afresh at every NEWKEYS
 * ("the compression context is initialized after each key exchange"; so
 * does OpenSSH's packet.c).
 *
 * A stream keeps plaintext (zlib's window, the last payload): all of its
 * memory is wiped when it is freed. */
#ifndef SSHKIT_TRANSPORT_ZSTREAM_H
#define SSHKIT_TRANSPORT_ZSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire/reader.h"

typedef enum {
    SK_COMP_NONE = 0,
    SK_COMP_ZLIB,           /* "zlib": from NEWKEYS on */
    SK_COMP_ZLIB_DELAYED    /* "zlib@openssh.com": once USERAUTH_SUCCESS has passed */
} sk_comp_method;

/* Default offers: a client takes "none" unless asked (as ssh without -C,
 * which still accepts compression from a server that insists); a server
 * offers delayed compression only (as sshd). */
#define SK_COMP_DEFAULT_CLIENT "none,zlib@openssh.com,zlib"
#define SK_COMP_DEFAULT_SERVER "none,zlib@openssh.com"

/* The method of an SSH name; false for a name sshkit does not know. */
bool sk_comp_method_find(const char *name, sk_comp_method *out);

/* zlib's level for outgoing payloads (OpenSSH's too). */
#define SK_ZSTREAM_LEVEL 6

typedef struct sk_zstream sk_zstream;

/* A fresh stream that deflates (sending) or inflates (receiving).
 * 0 or SSHKIT_E_NOMEM. */
int sk_zstream_new(bool deflating, sk_zstream **out);

/* Wipes and frees; NULL is fine. */
void sk_zstream_free(sk_zstream *z);

/* Deflates one payload and flushes (Z_PARTIAL_FLUSH). *out is a view of
 * the stream's own buffer, valid until the next call. 0, SSHKIT_E_NOMEM,
 * or SSHKIT_E_STATE when zlib refuses (a broken stream: final). */
int sk_zstream_deflate(sk_zstream *z, const uint8_t *in, size_t len, sk_bytes *out);

/* Inflates one packet's payload into the stream's own buffer, growing it
 * as needed up to max bytes. *out is valid until the next call.
 * 0; SSHKIT_E_TOO_LARGE when the payload inflates past max (a compression
 * bomb: inflating stops there, so the work is bounded by max);
 * SSHKIT_E_FORMAT for data that is not a valid continuation of the
 * stream (or ends it); SSHKIT_E_NOMEM. Errors are final. */
int sk_zstream_inflate(sk_zstream *z, const uint8_t *in, size_t len, size_t max, sk_bytes *out);

#endif
