/* Parsing one known_hosts line, following OpenSSH's hostkeys_foreach_file():
 * which lines are comments, which are entries, and which are invalid.
 * Host matching is left to knownhosts_match.c; this only finds the fields
 * and decodes the key blob when sshkit can use it. */
#include "hostkeys/knownhosts_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sshkit/error.h>

#include "common/base64.h"
#include "keys/key_internal.h"
#include "wire/reader.h"

/* Key type names OpenSSH's sshkey_type_from_name() knows (without XMSS,
 * which OpenSSH builds leave out by default). */
static const char *const openssh_type_names[] = {
    "ssh-ed25519", "ssh-ed25519-cert-v01@openssh.com",
    "sk-ssh-ed25519@openssh.com", "sk-ssh-ed25519-cert-v01@openssh.com",
    "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256-cert-v01@openssh.com",
    "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384-cert-v01@openssh.com",
    "ecdsa-sha2-nistp521", "ecdsa-sha2-nistp521-cert-v01@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com", "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
    "webauthn-sk-ecdsa-sha2-nistp256@openssh.com",
    "ssh-dss", "ssh-dss-cert-v01@openssh.com",
    "ssh-rsa", "ssh-rsa-cert-v01@openssh.com",
    "rsa-sha2-256", "rsa-sha2-256-cert-v01@openssh.com",
    "rsa-sha2-512", "rsa-sha2-512-cert-v01@openssh.com",
};

/* The short names it also accepts, in any case, for plain key types. */
static const char *const openssh_short_names[] = {
    "ED25519", "ED25519-SK", "ECDSA", "ECDSA-SK", "DSA", "RSA",
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static size_t skip_blanks(const char *s, size_t pos, size_t end)
{
    while (pos < end && is_blank(s[pos]))
        pos++;
    return pos;
}

static size_t skip_word(const char *s, size_t pos, size_t end)
{
    while (pos < end && !is_blank(s[pos]))
        pos++;
    return pos;
}

static bool known_type_name(const char *s, size_t len)
{
    for (size_t i = 0; i < ARRAY_LEN(openssh_type_names); i++)
        if (strlen(openssh_type_names[i]) == len && memcmp(s, openssh_type_names[i], len) == 0)
            return true;
    for (size_t i = 0; i < ARRAY_LEN(openssh_short_names); i++)
        if (strlen(openssh_short_names[i]) == len && strncasecmp(s, openssh_short_names[i], len) == 0)
            return true;
    return false;
}

/* OpenSSH's check_markers(): a marker ends at the first ' ' of the rest of
 * the line (or else the first tab), and only one is allowed. Returns false
 * for a bad marker; advances *pos past it and its blanks. */
static bool parse_marker(const char *s, size_t *pos, size_t end, sshkit_kh_marker *marker)
{
    *marker = SSHKIT_KH_MARKER_NONE;
    while (*pos < end && s[*pos] == '@') {
        if (*marker != SSHKIT_KH_MARKER_NONE)
            return false;
        const char *cp = s + *pos;
        const char *sp = memchr(cp, ' ', end - *pos);
        if (sp == NULL)
            sp = memchr(cp, '\t', end - *pos);
        if (sp == NULL || sp <= cp + 1 || sp - cp >= 32)
            return false;
        size_t mlen = (size_t)(sp - cp);
        if (mlen == 15 && memcmp(cp, "@cert-authority", 15) == 0)
            *marker = SSHKIT_KH_MARKER_CERT_AUTHORITY;
        else if (mlen == 8 && memcmp(cp, "@revoked", 8) == 0)
            *marker = SSHKIT_KH_MARKER_REVOKED;
        else
            return false;
        *pos = skip_blanks(s, *pos + mlen, end);
    }
    return true;
}

/* Decodes the base64 word at pos and keeps the blob when it names the same
 * type as the line and sshkit reads that type. Failures just leave no blob. */
static int decode_blob(sk_kh_line *line, size_t type_off, size_t type_len, size_t pos)
{
    size_t end = skip_word(line->text, pos, line->len);
    uint8_t *blob;
    size_t blob_len;
    int rc = sk_base64_decode(line->text + pos, end - pos, &blob, &blob_len);
    if (rc == SSHKIT_E_NOMEM)
        return rc;
    if (rc != 0)
        return 0;
    sk_reader r;
    sk_bytes name;
    sshkit_key_type type;
    sk_reader_init(&r, blob, blob_len);
    if (sk_read_string(&r, &name) == 0 && name.len == type_len &&
        memcmp(name.ptr, line->text + type_off, type_len) == 0 &&
        sk_key_type_from_name(name, &type) == 0) {
        line->blob = blob;
        line->blob_len = blob_len;
        line->key_type = type;
        return 0;
    }
    free(blob);
    return 0;
}

/* From the key type on: "keytype" must be known and followed by more. */
static int parse_key_part(sk_kh_line *line, size_t pos)
{
    const char *s = line->text;
    size_t end = line->len;
    size_t type_end = skip_word(s, pos, end);
    size_t type_len = type_end - pos;
    if (type_len <= 1 || type_len >= 128 || type_end == end || !known_type_name(s + pos, type_len))
        return 0;
    size_t next = skip_blanks(s, type_end, end);
    if (next == end || s[next] == '#')
        return 0;
    line->rawkey_off = pos;
    line->kind = SSHKIT_KH_LINE_ENTRY;
    return decode_blob(line, pos, type_len, next);
}

int sk_kh_parse_line(sk_kh_line *line)
{
    const char *s = line->text;
    size_t end = line->len;

    free(line->blob);
    line->blob = NULL;
    line->blob_len = 0;
    line->kind = SSHKIT_KH_LINE_INVALID;
    line->marker = SSHKIT_KH_MARKER_NONE;
    line->hashed = false;
    if (end > SSHKIT_KNOWNHOSTS_MAX_LINE || memchr(s, '\0', end) != NULL)
        return 0;

    size_t pos = skip_blanks(s, 0, end);
    if (pos == end || s[pos] == '#') {
        line->kind = SSHKIT_KH_LINE_COMMENT;
        return 0;
    }
    if (!parse_marker(s, &pos, end, &line->marker)) {
        line->marker = SSHKIT_KH_MARKER_NONE;
        return 0;
    }
    size_t hosts_end = skip_word(s, pos, end);
    if (hosts_end == end)
        return 0;
    line->hosts_off = pos;
    line->hosts_len = hosts_end - pos;
    if (s[pos] == '|') {
        if (!sk_kh_hashed_field_ok(s + pos, line->hosts_len))
            return 0;
        line->hashed = true;
    }
    pos = skip_blanks(s, hosts_end, end);
    if (pos == end || s[pos] == '#')
        return 0;
    int rc = parse_key_part(line, pos);
    if (rc != 0)
        line->kind = SSHKIT_KH_LINE_INVALID;
    return rc;
}

void sk_kh_line_clear(sk_kh_line *line)
{
    free(line->text);
    free(line->blob);
    memset(line, 0, sizeof *line);
}

int sk_kh_line_init(sk_kh_line *line, const char *text, size_t len, bool newline)
{
    memset(line, 0, sizeof *line);
    line->text = malloc(len + 1);
    if (line->text == NULL)
        return SSHKIT_E_NOMEM;
    if (len > 0)
        memcpy(line->text, text, len);
    line->text[len] = '\0';
    line->len = len;
    line->newline = newline;
    int rc = sk_kh_parse_line(line);
    if (rc != 0)
        sk_kh_line_clear(line);
    return rc;
}
