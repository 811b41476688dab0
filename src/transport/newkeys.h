/* Turning a finished key exchange into the two directions' packet
 * ciphers (RFC 4253 section 7.2). */
#ifndef SSHKIT_TRANSPORT_NEWKEYS_H
#define SSHKIT_TRANSPORT_NEWKEYS_H

#include <stdbool.h>
#include "crypto/hash.h"
#include "crypto/packet_cipher.h"
#include "transport/kexinit.h"
#include "wire/reader.h"

/* Derives every key with the kex's hash from K, H and the session id, and
 * builds the ciphers this side sends and receives with. Key material is
 * wiped before returning. 0 or a negative error (then nothing is set). */
int sk_newkeys_derive(const sk_negotiated *neg, bool is_server, sk_hash_alg hash,
                      sk_bytes k, sk_bytes h, sk_bytes session_id,
                      sk_packet_cipher **send, sk_packet_cipher **recv);

/* True for ciphers that carry their own tag (no MAC is negotiated). */
bool sk_cipher_is_aead(const char *name);

#endif
