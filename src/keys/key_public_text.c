/* Public keys as text: OpenSSH's one-line form ("type base64 comment"),
 * public key files, and the dispatch to RFC 4716 (key_rfc4716.c). */
#include "common/file.h"
#include "keys/key_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/base64.h"
#include "common/lines.h"
#include <sshkit/error.h>

/* No public key file comes near this; a bigger one is refused unread. */
#define PUBLIC_FILE_MAX ((long)1 << 20)

static const char rfc4716_begin[] = "---- BEGIN SSH2 PUBLIC KEY ----";

int sk_key_from_base64(const char *b64, size_t len, sshkit_key **out)
{
    uint8_t *blob;
    size_t blob_len;
    *out = NULL;
    int rc = sk_base64_decode(b64, len, &blob, &blob_len);
    if (rc)
        return rc;
    rc = sshkit_key_from_public_blob(blob, blob_len, out);
    sshkit_free(blob, blob_len);
    return rc;
}

int sk_key_set_comment_bytes(sshkit_key *key, const char *s, size_t len)
{
    if (memchr(s, '\0', len) != NULL)
        return SSHKIT_E_FORMAT;
    char *copy = malloc(len + 1);
    if (copy == NULL)
        return SSHKIT_E_NOMEM;
    memcpy(copy, s, len);
    copy[len] = '\0';
    int rc = sshkit_key_set_comment(key, copy);
    free(copy);
    return rc;
}

/* The comment is the rest of the line after the blanks that follow the
 * base64, kept byte for byte (trailing blanks too), as OpenSSH keeps it. */
int sk_key_parse_public_line(const char *line, size_t len, sshkit_key **out)
{
    *out = NULL;
    const char *end = line + len;
    const char *type = sk_skip_blanks(line, end), *type_end = sk_find_blank(type, end);
    const char *b64 = sk_skip_blanks(type_end, end), *b64_end = sk_find_blank(b64, end);
    const char *comment = sk_skip_blanks(b64_end, end);
    sk_bytes type_name = { (const uint8_t *)type, (size_t)(type_end - type) };
    sshkit_key_type want;
    if (type == type_end || b64 == b64_end)
        return SSHKIT_E_FORMAT;
    int rc = sk_key_type_from_name(type_name, &want);
    if (rc == 0)
        rc = sk_key_from_base64(b64, (size_t)(b64_end - b64), out);
    if (rc == 0 && (*out)->type != want)
        rc = SSHKIT_E_FORMAT;
    if (rc == 0)
        rc = sk_key_set_comment_bytes(*out, comment, (size_t)(end - comment));
    if (rc) {
        sshkit_key_free(*out);
        *out = NULL;
    }
    return rc;
}

static bool starts_with(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(s, prefix, n) == 0;
}

int sshkit_key_parse_public(const char *text, size_t len, sshkit_key **out)
{
    if (out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = NULL;
    if (text == NULL && len > 0)
        return SSHKIT_E_INVALID_ARGUMENT;
    sk_lines it;
    const char *line;
    size_t line_len;
    sk_lines_init(&it, text, len);
    while (sk_lines_next(&it, &line, &line_len)) {
        const char *start = sk_skip_blanks(line, line + line_len);
        size_t rest = line_len - (size_t)(start - line);
        if (rest == 0 || *start == '#')
            continue;
        if (starts_with(start, rest, rfc4716_begin))
            return sk_key_parse_rfc4716(start, len - (size_t)(start - text), out);
        return sk_key_parse_public_line(line, line_len, out);
    }
    return SSHKIT_E_FORMAT;
}

int sshkit_key_load_public(const char *path, sshkit_key **out)
{
    if (path == NULL || out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = NULL;
    char *data = NULL;
    size_t len = 0;
    int rc = sk_file_read(path, PUBLIC_FILE_MAX, false, &data, &len);
    if (rc == 0)
        rc = sshkit_key_parse_public(data, len, out);
    free(data);
    return rc;
}

/* "type base64" of a key's blob. */
static int type_and_base64(const sshkit_key *key, char **type_b64)
{
    uint8_t *blob;
    size_t blob_len;
    int rc = sshkit_key_public_blob(key, &blob, &blob_len);
    if (rc)
        return rc;
    char *b64 = sk_base64_encode(blob, blob_len);
    sshkit_free(blob, blob_len);
    if (b64 == NULL)
        return SSHKIT_E_NOMEM;
    const char *type = sshkit_key_type_name(key);
    size_t n = strlen(type) + 1 + strlen(b64) + 1;
    *type_b64 = malloc(n);
    if (*type_b64)
        snprintf(*type_b64, n, "%s %s", type, b64);
    free(b64);
    return *type_b64 ? 0 : SSHKIT_E_NOMEM;
}

int sshkit_key_format_public(const sshkit_key *key, char **text)
{
    if (key == NULL || text == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *text = NULL;
    char *head;
    int rc = type_and_base64(key, &head);
    if (rc)
        return rc;
    const char *comment = sshkit_key_comment(key);
    if (*comment == '\0') {
        *text = head;
        return 0;
    }
    size_t n = strlen(head) + 1 + strlen(comment) + 1;
    *text = malloc(n);
    if (*text)
        snprintf(*text, n, "%s %s", head, comment);
    free(head);
    return *text ? 0 : SSHKIT_E_NOMEM;
}
