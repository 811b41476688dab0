/* Loading a known_hosts file, and saving one through a temporary file and
 * rename(2). */
#include "hostkeys/knownhosts_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sshkit/error.h>

/* Reads at most SSHKIT_KNOWNHOSTS_MAX_SIZE bytes (one more tells that the
 * file is too large), whatever the file claims its size is. */
static int read_all(FILE *f, char **data, size_t *len)
{
    size_t cap = 0, n = 0;
    char *buf = NULL;
    for (;;) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 8192;
            if (ncap > SSHKIT_KNOWNHOSTS_MAX_SIZE + 1)
                ncap = SSHKIT_KNOWNHOSTS_MAX_SIZE + 1;
            if (ncap == cap) {
                free(buf);
                return SSHKIT_E_TOO_LARGE;
            }
            char *nbuf = realloc(buf, ncap);
            if (nbuf == NULL) {
                free(buf);
                return SSHKIT_E_NOMEM;
            }
            buf = nbuf;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        int e = errno;
        free(buf);
        errno = e;
        return SSHKIT_E_IO;
    }
    *data = buf;
    *len = n;
    return 0;
}

int sshkit_knownhosts_load(const char *path, sshkit_knownhosts **out)
{
    if (out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = NULL;
    if (path == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return errno == ENOENT ? sshkit_knownhosts_new(out) : SSHKIT_E_IO;
    char *data = NULL;
    size_t len = 0;
    int rc = read_all(f, &data, &len);
    fclose(f);
    if (rc == 0)
        rc = sshkit_knownhosts_parse(data, len, out);
    free(data);
    return rc;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return SSHKIT_E_IO;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Writes text into a new temporary file next to path; returns its name. */
static int write_temp(const char *path, const char *text, size_t len, char **tmp_out)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + sizeof ".XXXXXX");
    if (tmp == NULL)
        return SSHKIT_E_NOMEM;
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".XXXXXX", sizeof ".XXXXXX");
    int fd = mkstemp(tmp);
    if (fd < 0) {
        free(tmp);
        return SSHKIT_E_IO;
    }
    struct stat st;
    mode_t mode = stat(path, &st) == 0 ? (st.st_mode & 07777) : 0644;
    int rc = 0;
    if (fchmod(fd, mode) != 0 || write_all(fd, text, len) != 0 || fsync(fd) != 0)
        rc = SSHKIT_E_IO;
    int e = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = SSHKIT_E_IO;
        e = errno;
    }
    if (rc != 0) {
        unlink(tmp);
        free(tmp);
        errno = e;
        return rc;
    }
    *tmp_out = tmp;
    return 0;
}

int sshkit_knownhosts_save(const sshkit_knownhosts *kh, const char *path)
{
    if (kh == NULL || path == NULL || path[0] == '\0')
        return SSHKIT_E_INVALID_ARGUMENT;
    char *text, *tmp;
    size_t len;
    int rc = sshkit_knownhosts_format(kh, &text, &len);
    if (rc != 0)
        return rc;
    rc = write_temp(path, text, len, &tmp);
    free(text);
    if (rc != 0)
        return rc;
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        errno = e;
        rc = SSHKIT_E_IO;
    }
    free(tmp);
    return rc;
}
