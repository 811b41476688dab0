/* The private key file API of sshkit/key.h: sniffing the format, and
 * reading and writing files. */
#include "keys/keyfile_internal.h"
#include "keys/key_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <sshkit/error.h>

/* No key file comes near this (an RSA-16384 PEM is about 13 KiB). */
#define MAX_KEY_FILE ((size_t)1 << 20)

static bool contains(const char *text, size_t len, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i + n <= len; i++)
        if (text[i] == s[0] && memcmp(text + i, s, n) == 0)
            return true;
    return false;
}

int sshkit_key_parse_private(const void *data, size_t len, const char *passphrase,
                             sshkit_key **out)
{
    if (out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = NULL;
    if (data == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    if (len > MAX_KEY_FILE)
        return SSHKIT_E_TOO_LARGE;
    const char *text = data;
    int rc;
    if (contains(text, len, SK_OPENSSH_ARMOR_BEGIN))
        rc = sk_keyfile_openssh_parse(text, len, passphrase, out);
    else if (contains(text, len, "-----BEGIN "))
        rc = sk_keyfile_pem_parse(text, len, passphrase, out);
    else
        rc = SSHKIT_E_FORMAT;
    ERR_clear_error();
    return rc;
}

/* Reads a whole regular file of at most MAX_KEY_FILE bytes. */
static int read_file(int fd, char **buf, size_t *len)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return SSHKIT_E_IO;
    if (!S_ISREG(st.st_mode))
        return SSHKIT_E_FORMAT;
    if ((uintmax_t)st.st_size > MAX_KEY_FILE)
        return SSHKIT_E_TOO_LARGE;
    size_t cap = (size_t)st.st_size + 1, n = 0;   /* + 1 to see growth since fstat */
    *buf = malloc(cap);
    if (*buf == NULL)
        return SSHKIT_E_NOMEM;
    for (;;) {
        ssize_t got = read(fd, *buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return SSHKIT_E_IO;
        if (got == 0)
            break;
        n += (size_t)got;
        if (n == cap)
            return SSHKIT_E_TOO_LARGE;   /* the file grew while we read it */
    }
    *len = n;
    return 0;
}

int sshkit_key_load_private(const char *path, const char *passphrase, sshkit_key **out)
{
    if (out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = NULL;
    if (path == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return SSHKIT_E_IO;
    char *buf = NULL;
    size_t len = 0;
    int rc = read_file(fd, &buf, &len);
    int saved = errno;
    close(fd);
    if (rc == 0)
        rc = sshkit_key_parse_private(buf, len, passphrase, out);
    if (buf) {
        OPENSSL_cleanse(buf, len);
        free(buf);
    }
    errno = saved;
    return rc;
}

int sshkit_key_format_private(const sshkit_key *key, sshkit_key_format format,
                              const char *passphrase, unsigned kdf_rounds, char **text,
                              size_t *len)
{
    if (text)
        *text = NULL;
    if (len)
        *len = 0;
    if (key == NULL || text == NULL || len == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    switch (format) {
    case SSHKIT_KEY_FORMAT_OPENSSH:
        return sk_keyfile_openssh_encode(key, "aes256-ctr", passphrase, kdf_rounds, text, len);
    case SSHKIT_KEY_FORMAT_PEM:
    case SSHKIT_KEY_FORMAT_PKCS8:
        return sk_keyfile_pem_encode(key, format, passphrase, text, len);
    }
    return SSHKIT_E_INVALID_ARGUMENT;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t put = write(fd, p, n);
        if (put < 0 && errno == EINTR)
            continue;
        if (put < 0)
            return SSHKIT_E_IO;
        p += put;
        n -= (size_t)put;
    }
    return 0;
}

/* Writes text to a new file beside path (mkstemp makes it 0600), then
 * renames it over path, so no reader sees a partial or readable key. */
static int replace_file(const char *path, const char *text, size_t len)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + sizeof ".XXXXXX");
    if (tmp == NULL)
        return SSHKIT_E_NOMEM;
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".XXXXXX", sizeof ".XXXXXX");
    int fd = mkstemp(tmp);
    int rc = fd < 0 ? SSHKIT_E_IO : 0;
    if (rc == 0 && fchmod(fd, S_IRUSR | S_IWUSR) != 0)
        rc = SSHKIT_E_IO;
    if (rc == 0)
        rc = write_all(fd, text, len);
    if (rc == 0 && fsync(fd) != 0)
        rc = SSHKIT_E_IO;
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

int sshkit_key_save_private(const sshkit_key *key, const char *path, sshkit_key_format format,
                            const char *passphrase, unsigned kdf_rounds)
{
    if (key == NULL || path == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    char *text;
    size_t len;
    int rc = sshkit_key_format_private(key, format, passphrase, kdf_rounds, &text, &len);
    if (rc)
        return rc;
    rc = replace_file(path, text, len);
    int saved = errno;
    sshkit_free(text, len);
    errno = saved;
    return rc;
}
