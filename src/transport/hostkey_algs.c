/* The host key algorithm table; see hostkey_algs.h. */
#include "transport/hostkey_algs.h"

#include <string.h>

static const sk_hostkey_alg algs[] = {
    { "ssh-ed25519",         SSHKIT_KEY_ED25519 },
    { "ecdsa-sha2-nistp256", SSHKIT_KEY_ECDSA_P256 },
    { "ecdsa-sha2-nistp384", SSHKIT_KEY_ECDSA_P384 },
    { "ecdsa-sha2-nistp521", SSHKIT_KEY_ECDSA_P521 },
    { "rsa-sha2-512",        SSHKIT_KEY_RSA },
    { "rsa-sha2-256",        SSHKIT_KEY_RSA },
    { "ssh-rsa",             SSHKIT_KEY_RSA },
};

const sk_hostkey_alg *sk_hostkey_alg_find(const char *name)
{
    for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++)
        if (strcmp(algs[i].name, name) == 0)
            return &algs[i];
    return NULL;
}
