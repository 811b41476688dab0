/* Loading a known_hosts file, and saving one through a temporary file and
 * rename(2). */
#include "hostkeys/knownhosts_internal.h"
#include "common/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sshkit/error.h>

int sshkit_knownhosts_load(const char *path, sshkit_knownhosts **out)
{
    if (out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = NULL;
    if (path == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    char *data = NULL;
    size_t len = 0;
    int rc = sk_file_read(path, SSHKIT_KNOWNHOSTS_MAX_SIZE, false, &data, &len);
    if (rc == SSHKIT_E_IO && errno == ENOENT)
        return sshkit_knownhosts_new(out);
    if (rc == 0)
        rc = sshkit_knownhosts_parse(data, len, out);
    free(data);
    return rc;
}

int sshkit_knownhosts_save(const sshkit_knownhosts *kh, const char *path)
{
    if (kh == NULL || path == NULL || path[0] == '\0')
        return SSHKIT_E_INVALID_ARGUMENT;
    char *text;
    size_t len;
    int rc = sshkit_knownhosts_format(kh, &text, &len);
    if (rc != 0)
        return rc;
    rc = sk_file_replace(path, text, len, SK_FILE_KEEP_MODE);
    int saved = errno;
    free(text);
    errno = saved;
    return rc;
}
