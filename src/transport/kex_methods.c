/* The table of key exchange methods; see kex_methods.h. */
#include "transport/kex_methods.h"

#include <string.h>

static const sk_kex_method_info methods[] = {
    { "curve25519-sha256",                    SK_KEX_X25519,     SK_HASH_SHA256 },
    { "curve25519-sha256@libssh.org",         SK_KEX_X25519,     SK_HASH_SHA256 },
    { "ecdh-sha2-nistp256",                   SK_KEX_ECDH_P256,  SK_HASH_SHA256 },
    { "ecdh-sha2-nistp384",                   SK_KEX_ECDH_P384,  SK_HASH_SHA384 },
    { "ecdh-sha2-nistp521",                   SK_KEX_ECDH_P521,  SK_HASH_SHA512 },
    { "diffie-hellman-group-exchange-sha256", SK_KEX_DH_GEX,     SK_HASH_SHA256 },
    { "diffie-hellman-group14-sha256",        SK_KEX_DH_GROUP14, SK_HASH_SHA256 },
    { "diffie-hellman-group16-sha512",        SK_KEX_DH_GROUP16, SK_HASH_SHA512 },
    { "diffie-hellman-group18-sha512",        SK_KEX_DH_GROUP18, SK_HASH_SHA512 },
};

const sk_kex_method_info *sk_kex_method_find(const char *name)
{
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (strcmp(methods[i].name, name) == 0)
            return &methods[i];
    return NULL;
}
