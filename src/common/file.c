/* Whole-file reads and atomic replacement; see file.h. */
#include "common/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/crypto.h>

static int replace_regular(const char *path, const void *data, size_t len, mode_t mode);
#include <sshkit/error.h>

static void release(char *buf, size_t cap, bool secret)
{
    if (buf && secret)
        OPENSSL_cleanse(buf, cap);
    free(buf);
}

/* Grows buf for more data; a secret buffer is copied, never realloc'ed. */
static int grow(char **buf, size_t *cap, size_t want, bool secret)
{
    char *bigger = malloc(want);
    if (bigger == NULL)
        return SSHKIT_E_NOMEM;
    if (*buf)
        memcpy(bigger, *buf, *cap);
    release(*buf, *cap, secret);
    *buf = bigger;
    *cap = want;
    return 0;
}

static int read_fd(int fd, size_t max, bool secret, char **data, size_t *len)
{
    char *buf = NULL;
    size_t cap = 0, n = 0;
    int rc = 0;
    for (;;) {
        if (n + 1 >= cap) {
            size_t want = cap ? cap * 2 : 4096;
            if (want > max + 2)
                want = max + 2;
            if (want <= cap || (rc = grow(&buf, &cap, want, secret)) != 0) {
                rc = rc ? rc : SSHKIT_E_TOO_LARGE;
                break;
            }
        }
        ssize_t got = read(fd, buf + n, cap - n - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            rc = got < 0 ? SSHKIT_E_IO : 0;
            break;
        }
        n += (size_t)got;
        if (n > max) {
            rc = SSHKIT_E_TOO_LARGE;
            break;
        }
    }
    if (rc) {
        int saved = errno;
        release(buf, cap, secret);
        errno = saved;
        return rc;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}

int sk_file_read(const char *path, size_t max, bool secret, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return SSHKIT_E_IO;
    struct stat st;
    int rc = fstat(fd, &st) != 0 ? SSHKIT_E_IO : S_ISDIR(st.st_mode) ? SSHKIT_E_FORMAT : 0;
    if (rc == 0)
        rc = read_fd(fd, max, secret, data, len);
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t put = write(fd, p, n);
        if (put < 0 && errno == EINTR)
            continue;
        if (put <= 0)
            return SSHKIT_E_IO;
        p += put;
        n -= (size_t)put;
    }
    return 0;
}

/* Writes data into the open temporary file with its final mode. */
static int fill_temp(int fd, const void *data, size_t len, mode_t mode)
{
    if (fchmod(fd, mode) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0)
        return SSHKIT_E_IO;
    return 0;
}

/* A path that is not a regular file (/dev/null, a terminal) is written in
 * place: renaming over it would replace a device with a file. */
static int write_in_place(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return SSHKIT_E_IO;
    int rc = write_all(fd, data, len);
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

int sk_file_replace(const char *path, const void *data, size_t len, mode_t mode)
{
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return S_ISDIR(st.st_mode) ? (errno = EISDIR, SSHKIT_E_IO) : write_in_place(path, data, len);
    /* Through a symbolic link, replace what it points to and keep the link. */
    char *resolved = NULL;
    struct stat lst;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) && (resolved = realpath(path, NULL)) != NULL)
        path = resolved;
    int rc = replace_regular(path, data, len, mode);
    free(resolved);
    return rc;
}

static int replace_regular(const char *path, const void *data, size_t len, mode_t mode)
{
    if (mode == SK_FILE_KEEP_MODE) {
        struct stat st;
        mode = stat(path, &st) == 0 ? (st.st_mode & 07777) : 0644;
    }
    size_t plen = strlen(path);
    char *tmp = malloc(plen + sizeof ".XXXXXX");
    if (tmp == NULL)
        return SSHKIT_E_NOMEM;
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".XXXXXX", sizeof ".XXXXXX");
    int fd = mkstemp(tmp);      /* 0600 from the start */
    int rc = fd < 0 ? SSHKIT_E_IO : fill_temp(fd, data, len, mode);
    int saved = errno;
    if (fd >= 0 && close(fd) != 0 && rc == 0) {
        rc = SSHKIT_E_IO;
        saved = errno;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        rc = SSHKIT_E_IO;
        saved = errno;
    }
    if (rc && fd >= 0)
        unlink(tmp);
    free(tmp);
    errno = saved;
    return rc;
}
