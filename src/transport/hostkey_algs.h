/* Host key signature algorithms: which key type each needs and which
 * signature it makes (RFC 4253 section 6.6, RFC 5656, RFC 8332, RFC 8709). */
#ifndef SSHKIT_TRANSPORT_HOSTKEY_ALGS_H
#define SSHKIT_TRANSPORT_HOSTKEY_ALGS_H

#include <sshkit/key.h>

typedef struct {
    const char *name;           /* as negotiated: "rsa-sha2-512", "ssh-ed25519"... */
    sshkit_key_type key_type;
} sk_hostkey_alg;

/* Preference order; ssh-rsa (SHA-1) is known but in no default. */
#define SK_HOSTKEY_ALGS_DEFAULT \
    "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521," \
    "rsa-sha2-512,rsa-sha2-256"

const sk_hostkey_alg *sk_hostkey_alg_find(const char *name);

#endif
