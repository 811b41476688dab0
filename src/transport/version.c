/* SSH version exchange; see version.h. */
#include "transport/version.h"

#include <stdio.h>
#include <string.h>

void sk_version_init(sk_version_parser *p, bool peer_is_server)
{
    memset(p, 0, sizeof *p);
    p->peer_is_server = peer_is_server;
}

const char *sk_version_ours(void)
{
    return "SSH-2.0-" SK_VERSION_SOFTWARE;
}

/* Judges one complete line (without its line ending). */
static sk_version_status finish_line(sk_version_parser *p)
{
    const char *line = p->line;
    size_t len = p->line_len;
    if (len >= 4 && memcmp(line, "SSH-", 4) == 0) {
        if (len + 2 > SK_VERSION_MAX)
            return SK_VERSION_TOO_LONG;
        memcpy(p->peer_version, line, len);
        p->peer_version[len] = '\0';
        if (strncmp(line, "SSH-2.0-", 8) != 0 && strncmp(line, "SSH-1.99-", 9) != 0)
            return SK_VERSION_BAD_PROTOCOL;
        return SK_VERSION_OK;
    }
    if (p->lines == 0)
        snprintf(p->first_line, sizeof p->first_line, "%.*s", (int)len, line);
    /* RFC 4253 section 4.2: only a server sends lines before its version. */
    if (!p->peer_is_server)
        return SK_VERSION_NOT_SSH;
    if (++p->lines > SK_VERSION_MAX_LINES)
        return SK_VERSION_TOO_MANY_LINES;
    p->line_len = 0;
    return SK_VERSION_NEED_MORE;
}

sk_version_status sk_version_feed(sk_version_parser *p, const uint8_t *data, size_t len,
                                  size_t *used)
{
    for (*used = 0; *used < len;) {
        uint8_t c = data[(*used)++];
        if (c == '\n') {
            if (p->line_len > 0 && p->line[p->line_len - 1] == '\r')
                p->line_len--;
            p->line[p->line_len] = '\0';
            sk_version_status s = finish_line(p);
            if (s != SK_VERSION_NEED_MORE)
                return s;
            continue;
        }
        /* A NUL or other control character means this is not text at all. */
        if ((c < 0x20 && c != '\r' && c != '\t') || c == 0x7f)
            return SK_VERSION_BAD_CHARACTER;
        if (p->line_len >= SK_VERSION_LINE_MAX)
            return SK_VERSION_TOO_LONG;
        p->line[p->line_len++] = (char)c;
    }
    return SK_VERSION_NEED_MORE;
}

const char *sk_version_describe(const sk_version_parser *p, sk_version_status status,
                                char *buf, size_t cap)
{
    const char *role = p->peer_is_server ? "server" : "client";
    switch (status) {
    case SK_VERSION_OK:
        snprintf(buf, cap, "peer version %s", p->peer_version);
        break;
    case SK_VERSION_NEED_MORE:
        if (p->lines > 0 || p->line_len > 0)
            snprintf(buf, cap, "connection closed before the SSH version line; peer sent '%s'",
                     p->lines > 0 ? p->first_line : "an unfinished line");
        else
            snprintf(buf, cap, "connection closed before the SSH version line");
        break;
    case SK_VERSION_NOT_SSH:
        snprintf(buf, cap, "peer is not an SSH %s: it sent '%s'", role, p->first_line);
        break;
    case SK_VERSION_BAD_PROTOCOL:
        snprintf(buf, cap, "peer speaks an unsupported SSH protocol version: '%s'", p->peer_version);
        break;
    case SK_VERSION_TOO_LONG:
        snprintf(buf, cap, "peer sent a line too long for an SSH version exchange");
        break;
    case SK_VERSION_TOO_MANY_LINES:
        snprintf(buf, cap, "peer sent more than %d lines before its SSH version", SK_VERSION_MAX_LINES);
        break;
    case SK_VERSION_BAD_CHARACTER:
        snprintf(buf, cap, "peer is not an SSH %s: it sent binary data", role);
        break;
    }
    return buf;
}
