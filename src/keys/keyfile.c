/* The private key file API of sshkit/key.h: sniffing the format, and
 * reading and writing files. */
#include "common/file.h"
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

int sshkit_key_load_private(const char *path, const char *passphrase, sshkit_key **out)
{
    if (out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = NULL;
    if (path == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    char *buf = NULL;
    size_t len = 0;
    int rc = sk_file_read(path, MAX_KEY_FILE, true, &buf, &len);
    int saved = errno;
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
    rc = sk_file_replace(path, text, len, S_IRUSR | S_IWUSR);
    int saved = errno;
    sshkit_free(text, len);
    errno = saved;
    return rc;
}
