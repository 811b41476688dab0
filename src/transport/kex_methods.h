/* The key exchange methods sshkit speaks, by SSH name: which key agreement
 * and which hash each one uses. */
#ifndef SSHKIT_TRANSPORT_KEX_METHODS_H
#define SSHKIT_TRANSPORT_KEX_METHODS_H

#include <stdbool.h>
#include "crypto/hash.h"
#include "crypto/kex_dh.h"

typedef struct {
    const char *name;
    sk_kex_method method;
    sk_hash_alg hash;
} sk_kex_method_info;

/* Default preference, client and server (DESIGN.md section 5). The
 * server's leaves out the NIST curves unless configured. */
#define SK_KEX_DEFAULT_CLIENT \
    "curve25519-sha256,curve25519-sha256@libssh.org," \
    "ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521," \
    "diffie-hellman-group-exchange-sha256," \
    "diffie-hellman-group16-sha512,diffie-hellman-group18-sha512," \
    "diffie-hellman-group14-sha256"
#define SK_KEX_DEFAULT_SERVER \
    "curve25519-sha256,curve25519-sha256@libssh.org," \
    "diffie-hellman-group-exchange-sha256," \
    "diffie-hellman-group16-sha512,diffie-hellman-group18-sha512," \
    "diffie-hellman-group14-sha256"

/* NULL for a name sshkit does not know. */
const sk_kex_method_info *sk_kex_method_find(const char *name);

#endif
