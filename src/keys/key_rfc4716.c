/* RFC 4716 ("SSH2 PUBLIC KEY") public key text: reading, and writing as
 * `ssh-keygen -e` does. */
#include "keys/key_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "common/base64.h"
#include "common/lines.h"
#include <sshkit/error.h>

static const char begin_line[] = "---- BEGIN SSH2 PUBLIC KEY ----";
static const char end_line[] = "---- END SSH2 PUBLIC KEY ----";

#define MAX_TAG 64          /* RFC 4716 section 3.3 */
#define MAX_VALUE 1024
#define MAX_LINE 72
#define BODY_COLUMNS 70     /* ssh-keygen's wrap */

/* A logical header: its tag, and its value with continuations joined. */
struct header {
    char tag[MAX_TAG + 1];
    char value[MAX_VALUE + 1];
    size_t value_len;
    bool continued;         /* the last line ended with a backslash */
};

static bool line_is(const char *line, size_t len, const char *want)
{
    while (len > 0 && sk_is_blank(line[len - 1]))
        len--;
    return len == strlen(want) && memcmp(line, want, len) == 0;
}

static int append_value(struct header *h, const char *s, size_t len)
{
    h->continued = len > 0 && s[len - 1] == '\\';
    if (h->continued)
        len--;
    if (len > MAX_VALUE - h->value_len)
        return SSHKIT_E_FORMAT;
    memcpy(h->value + h->value_len, s, len);
    h->value_len += len;
    h->value[h->value_len] = '\0';
    return 0;
}

static int start_header(struct header *h, const char *line, size_t len)
{
    const char *colon = memchr(line, ':', len);
    size_t tag_len = (size_t)(colon - line);
    if (tag_len == 0 || tag_len > MAX_TAG)
        return SSHKIT_E_FORMAT;
    memcpy(h->tag, line, tag_len);
    h->tag[tag_len] = '\0';
    h->value_len = 0;
    const char *v = sk_skip_blanks(colon + 1, line + len);
    return append_value(h, v, (size_t)(line + len - v));
}

/* A header is finished when the next line is not its continuation; the
 * first Comment is kept (without its quotes), other headers are skipped. */
static void finish_header(const struct header *h, struct header *comment, bool *have_comment)
{
    if (*have_comment || strcasecmp(h->tag, "Comment") != 0)
        return;
    *comment = *h;
    *have_comment = true;
    if (comment->value_len >= 2 && comment->value[0] == '"' &&
        comment->value[comment->value_len - 1] == '"') {
        memmove(comment->value, comment->value + 1, comment->value_len - 2);
        comment->value_len -= 2;
    }
}

static int make_key(const char *body, size_t body_len, const struct header *comment,
                    sshkit_key **out)
{
    int rc = sk_key_from_base64(body, body_len, out);
    if (rc == 0 && comment && (rc = sk_key_set_comment_bytes(*out, comment->value,
                                                             comment->value_len)) != 0) {
        sshkit_key_free(*out);
        *out = NULL;
    }
    return rc;
}

int sk_key_parse_rfc4716(const char *text, size_t len, sshkit_key **out)
{
    *out = NULL;
    sk_lines it;
    const char *line, *body = NULL;
    size_t line_len;
    struct header h = { .tag = "" }, comment;
    bool in_header = false, have_comment = false;
    int rc = 0;
    sk_lines_init(&it, text, len);
    if (!sk_lines_next(&it, &line, &line_len) || !line_is(line, line_len, begin_line))
        return SSHKIT_E_FORMAT;
    while (rc == 0 && sk_lines_next(&it, &line, &line_len)) {
        if (line_is(line, line_len, end_line)) {
            if (body == NULL)
                return SSHKIT_E_FORMAT;
            return make_key(body, (size_t)(line - body), have_comment ? &comment : NULL, out);
        }
        if (body)
            continue;
        if (in_header && h.continued) {
            rc = append_value(&h, line, line_len);
            continue;
        }
        if (in_header)
            finish_header(&h, &comment, &have_comment);
        in_header = memchr(line, ':', line_len) != NULL;
        if (in_header)
            rc = start_header(&h, line, line_len);
        else
            body = line;
    }
    return rc ? rc : SSHKIT_E_FORMAT;
}

/* Length of s cut to at most max bytes, not inside a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
        max--;
    return max;
}

/* One logical header as lines of at most 72 bytes, each but the last
 * ending in the backslash that continues it. */
static void write_header(sk_buf *b, const char *logical, size_t len)
{
    while (len > MAX_LINE) {
        size_t n = utf8_cut(logical, len, MAX_LINE - 1);
        if (n == 0)
            n = MAX_LINE - 1;   /* not UTF-8 at all: cut anywhere */
        sk_write_raw(b, logical, n);
        sk_write_raw(b, "\\\n", 2);
        logical += n;
        len -= n;
    }
    sk_write_raw(b, logical, len);
    sk_write_raw(b, "\n", 1);
}

/* ssh-keygen writes "<bits>-bit <TYPE>, converted by <user>@<host> from
 * OpenSSH"; sshkit writes the key's own comment, or "<bits>-bit <TYPE>". */
static void write_comment(sk_buf *b, const sshkit_key *key)
{
    char fallback[64];
    const char *comment = sshkit_key_comment(key);
    if (*comment == '\0') {
        snprintf(fallback, sizeof fallback, "%u-bit %s", sshkit_key_bits(key),
                 sshkit_key_short_name(key));
        comment = fallback;
    }
    size_t len = utf8_cut(comment, strlen(comment), MAX_VALUE - 2);
    char *logical = malloc(len + 16);
    if (logical == NULL) {
        if (b->error == 0)
            b->error = SSHKIT_E_NOMEM;
        return;
    }
    int n = snprintf(logical, len + 16, "Comment: \"%.*s\"", (int)len, comment);
    write_header(b, logical, (size_t)n);
    free(logical);
}

static void write_body(sk_buf *b, const char *b64)
{
    size_t len = strlen(b64);
    for (size_t i = 0; i < len; i += BODY_COLUMNS) {
        size_t n = len - i < BODY_COLUMNS ? len - i : BODY_COLUMNS;
        sk_write_raw(b, b64 + i, n);
        sk_write_raw(b, "\n", 1);
    }
}

int sshkit_key_format_public_rfc4716(const sshkit_key *key, char **text)
{
    if (key == NULL || text == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *text = NULL;
    uint8_t *blob;
    size_t blob_len;
    int rc = sshkit_key_public_blob(key, &blob, &blob_len);
    if (rc)
        return rc;
    char *b64 = sk_base64_encode(blob, blob_len);
    sshkit_free(blob, blob_len);
    if (b64 == NULL)
        return SSHKIT_E_NOMEM;
    sk_buf b;
    sk_buf_init(&b);
    sk_write_raw(&b, begin_line, strlen(begin_line));
    sk_write_raw(&b, "\n", 1);
    write_comment(&b, key);
    write_body(&b, b64);
    sk_write_raw(&b, end_line, strlen(end_line));
    sk_write_raw(&b, "\n", 2);  /* the newline and the NUL */
    free(b64);
    size_t len;
    rc = sk_buf_error(&b);
    if (rc == 0 && (*text = (char *)sk_buf_steal(&b, &len)) == NULL)
        rc = SSHKIT_E_NOMEM;
    sk_buf_free(&b);
    return rc;
}
