/* The SSH version exchange (RFC 4253 section 4.2), without I/O: bytes in,
 * the peer's version line out.
 *
 * A server may send other lines before its version line (a client may
 * not). Lines end in CR LF or a bare LF. Everything is bounded: the
 * version line to 255 bytes with its CR LF (RFC 4253), other lines to
 * SK_VERSION_LINE_MAX bytes, their number to SK_VERSION_MAX_LINES. */
#ifndef SSHKIT_TRANSPORT_VERSION_H
#define SSHKIT_TRANSPORT_VERSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SK_VERSION_MAX 255          /* the version line, CR LF included */
#define SK_VERSION_LINE_MAX 1024    /* any line before it */
#define SK_VERSION_MAX_LINES 1024   /* lines before it */
#define SK_VERSION_SOFTWARE "sshkit_0.1"

typedef enum {
    SK_VERSION_OK = 0,
    SK_VERSION_NEED_MORE,           /* feed more bytes */
    SK_VERSION_NOT_SSH,             /* a line that is not SSH (HTTP, garbage...) */
    SK_VERSION_BAD_PROTOCOL,        /* SSH, but not protocol 2.0 (or 1.99) */
    SK_VERSION_TOO_LONG,            /* a line over its bound */
    SK_VERSION_TOO_MANY_LINES,
    SK_VERSION_BAD_CHARACTER        /* a NUL or control character in a line */
} sk_version_status;

typedef struct {
    bool peer_is_server;            /* only a server may send lines first */
    char line[SK_VERSION_LINE_MAX + 1];
    size_t line_len;
    unsigned lines;                 /* lines before the version line so far */
    char peer_version[SK_VERSION_MAX];  /* "SSH-2.0-..." without CR LF, once found */
    char first_line[81];            /* the start of the first other line, for messages */
} sk_version_parser;

void sk_version_init(sk_version_parser *p, bool peer_is_server);

/* Consumes bytes up to and including the peer's version line; *used says
 * how many were taken (the rest belongs to the packet layer). Returns
 * SK_VERSION_OK once the version line is complete, SK_VERSION_NEED_MORE,
 * or an error status, which is final. */
sk_version_status sk_version_feed(sk_version_parser *p, const uint8_t *data, size_t len,
                                  size_t *used);

/* A one-line English description of a status, naming what the peer sent
 * when that helps ("peer is not an SSH server: it sent 'HTTP/1.1 400...'").
 * Writes into buf and returns it. */
const char *sk_version_describe(const sk_version_parser *p, sk_version_status status,
                                char *buf, size_t cap);

/* Our version line without CR LF: "SSH-2.0-sshkit_0.1". */
const char *sk_version_ours(void);

#endif
