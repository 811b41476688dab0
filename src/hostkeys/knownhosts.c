/* The known_hosts set: lines in order, read from and written to memory. */
#include "hostkeys/knownhosts_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

int sshkit_knownhosts_new(sshkit_knownhosts **out)
{
    if (out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = calloc(1, sizeof **out);
    return *out ? 0 : SSHKIT_E_NOMEM;
}

void sshkit_knownhosts_free(sshkit_knownhosts *kh)
{
    if (kh == NULL)
        return;
    for (size_t i = 0; i < kh->count; i++)
        sk_kh_line_clear(&kh->lines[i]);
    free(kh->lines);
    free(kh);
}

int sk_kh_append(sshkit_knownhosts *kh, sk_kh_line *line)
{
    if (kh->count >= SSHKIT_KNOWNHOSTS_MAX_LINES)
        return SSHKIT_E_TOO_LARGE;
    if (kh->count == kh->cap) {
        size_t cap = kh->cap ? kh->cap * 2 : 16;
        if (cap > SSHKIT_KNOWNHOSTS_MAX_LINES)
            cap = SSHKIT_KNOWNHOSTS_MAX_LINES;
        sk_kh_line *lines = realloc(kh->lines, cap * sizeof *lines);
        if (lines == NULL)
            return SSHKIT_E_NOMEM;
        kh->lines = lines;
        kh->cap = cap;
    }
    kh->lines[kh->count++] = *line;
    memset(line, 0, sizeof *line);
    return 0;
}

/* Splits data at '\n' and appends each line. */
static int parse_into(sshkit_knownhosts *kh, const char *data, size_t len)
{
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) : len;
        if (kh->count >= SSHKIT_KNOWNHOSTS_MAX_LINES)
            return SSHKIT_E_TOO_LARGE;
        sk_kh_line line;
        int rc = sk_kh_line_init(&line, data + pos, end - pos, nl != NULL);
        if (rc == 0)
            rc = sk_kh_append(kh, &line);
        if (rc != 0) {
            sk_kh_line_clear(&line);
            return rc;
        }
        pos = nl ? end + 1 : len;
    }
    return 0;
}

int sshkit_knownhosts_parse(const void *data, size_t len, sshkit_knownhosts **out)
{
    if (out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = NULL;
    if (data == NULL && len > 0)
        return SSHKIT_E_INVALID_ARGUMENT;
    if (len > SSHKIT_KNOWNHOSTS_MAX_SIZE)
        return SSHKIT_E_TOO_LARGE;
    sshkit_knownhosts *kh;
    int rc = sshkit_knownhosts_new(&kh);
    if (rc != 0)
        return rc;
    rc = parse_into(kh, data, len);
    if (rc != 0) {
        sshkit_knownhosts_free(kh);
        return rc;
    }
    *out = kh;
    return 0;
}

int sshkit_knownhosts_format(const sshkit_knownhosts *kh, char **text, size_t *len)
{
    if (text)
        *text = NULL;
    if (len)
        *len = 0;
    if (kh == NULL || text == NULL || len == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    size_t total = 0;
    for (size_t i = 0; i < kh->count; i++)
        total += kh->lines[i].len + (kh->lines[i].newline ? 1 : 0);
    char *buf = malloc(total + 1);
    if (buf == NULL)
        return SSHKIT_E_NOMEM;
    size_t pos = 0;
    for (size_t i = 0; i < kh->count; i++) {
        memcpy(buf + pos, kh->lines[i].text, kh->lines[i].len);
        pos += kh->lines[i].len;
        if (kh->lines[i].newline)
            buf[pos++] = '\n';
    }
    buf[pos] = '\0';
    *text = buf;
    *len = pos;
    return 0;
}

size_t sshkit_knownhosts_line_count(const sshkit_knownhosts *kh)
{
    return kh ? kh->count : 0;
}

void sk_kh_entry_of(const sshkit_knownhosts *kh, size_t i, sshkit_kh_entry *entry)
{
    const sk_kh_line *l = &kh->lines[i];
    entry->line = i + 1;
    entry->text = l->text;
    entry->len = l->len;
    entry->kind = l->kind;
    entry->marker = l->kind == SSHKIT_KH_LINE_ENTRY ? l->marker : SSHKIT_KH_MARKER_NONE;
    entry->hashed = l->kind == SSHKIT_KH_LINE_ENTRY && l->hashed;
}

int sshkit_knownhosts_get_line(const sshkit_knownhosts *kh, size_t line, sshkit_kh_entry *entry)
{
    if (kh == NULL || entry == NULL || line == 0)
        return SSHKIT_E_INVALID_ARGUMENT;
    if (line > kh->count)
        return SSHKIT_E_NOT_FOUND;
    sk_kh_entry_of(kh, line - 1, entry);
    return 0;
}
