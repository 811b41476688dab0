/* The allocator-facing half of sshkit/common.h. */
#include <sshkit/common.h>

#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

const char *sshkit_version(void)
{
    return STRINGIFY(SSHKIT_VERSION_MAJOR) "." STRINGIFY(SSHKIT_VERSION_MINOR) "."
           STRINGIFY(SSHKIT_VERSION_PATCH);
}

void sshkit_free(void *ptr, size_t len)
{
    if (ptr == NULL)
        return;
    if (len == 0)
        len = strlen(ptr);
    OPENSSL_cleanse(ptr, len);
    free(ptr);
}
