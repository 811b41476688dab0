/* sshkit-ssh -D: a SOCKS server on each dynamic forwarding's listener.
 * SOCKS4, 4a (a host name after the user) and 5 (no authentication,
 * CONNECT to an IPv4 or IPv6 address or a name of up to 255 bytes) are
 * read without waiting, bounded; the destination becomes a direct-tcpip
 * channel; the reply (success once the channel opens, failure when the
 * server refuses) goes first to the client, then the relay takes over.
 * Anything else (another version, command or address type, a request
 * too long) closes the connection. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fwd.h"

enum { SOCKS_MORE = 0, SOCKS_BAD = -1, SOCKS_READY = 1 };

/* SOCKS4/4a: VN CD PORT(2) IP(4) USER\0 [HOST\0]. */
static int parse4(struct fwd_socks *k)
{
    const uint8_t *b = k->buf;
    if (k->len < 9)
        return SOCKS_MORE;
    if (b[1] != 1)
        return SOCKS_BAD;
    const uint8_t *user_end = memchr(b + 8, 0, k->len - 8);
    if (user_end == NULL)
        return SOCKS_MORE;
    k->port = (unsigned)(b[2] << 8 | b[3]);
    if (b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] != 0) {     /* 4a */
        const uint8_t *host = user_end + 1;
        size_t left = k->len - (size_t)(host - b);
        const uint8_t *end = memchr(host, 0, left);
        if (end == NULL)
            return left > 255 ? SOCKS_BAD : SOCKS_MORE;
        if (end == host || end - host > 255)
            return SOCKS_BAD;
        memcpy(k->host, host, (size_t)(end - host));
        k->host[end - host] = '\0';
    } else {
        inet_ntop(AF_INET, b + 4, k->host, sizeof k->host);
    }
    return SOCKS_READY;
}

/* SOCKS5: greeting VER NMETHODS METHODS, then VER CMD RSV ATYP ADDR PORT(2). */
static int parse5(struct fwd_socks *k, int fd)
{
    const uint8_t *b = k->buf;
    if (!k->greeted) {
        if (k->len < 2 || k->len < 2u + b[1])
            return SOCKS_MORE;
        if (memchr(b + 2, 0, b[1]) == NULL)
            return SOCKS_BAD;               /* no "no authentication" */
        size_t used = 2u + b[1];
        memmove(k->buf, k->buf + used, k->len - used);
        k->len -= used;
        k->greeted = true;
        if (send(fd, "\x05\x00", 2, MSG_NOSIGNAL | MSG_DONTWAIT) != 2)
            return SOCKS_BAD;
    }
    if (k->len < 5)
        return SOCKS_MORE;
    if (b[0] != 5 || b[1] != 1)
        return SOCKS_BAD;
    size_t alen = b[3] == 1 ? 4 : b[3] == 4 ? 16 : b[3] == 3 ? 1u + b[4] : 0;
    if (alen == 0 || (b[3] == 3 && b[4] == 0))
        return SOCKS_BAD;
    if (k->len < 4 + alen + 2)
        return SOCKS_MORE;
    if (b[3] == 3) {
        memcpy(k->host, b + 5, b[4]);
        k->host[b[4]] = '\0';
        if (strlen(k->host) != b[4])
            return SOCKS_BAD;
    } else {
        inet_ntop(b[3] == 1 ? AF_INET : AF_INET6, b + 4, k->host, sizeof k->host);
    }
    k->port = (unsigned)(b[4 + alen] << 8 | b[4 + alen + 1]);
    return SOCKS_READY;
}

int fwd_socks_read(struct fwd_socks *k, int fd)
{
    ssize_t n = recv(fd, k->buf + k->len, sizeof k->buf - k->len, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
        return SOCKS_BAD;
    if (n > 0)
        k->len += (size_t)n;
    if (k->len == 0)
        return SOCKS_MORE;
    k->version = k->buf[0];
    int rc = k->version == 4 ? parse4(k) : k->version == 5 ? parse5(k, fd) : SOCKS_BAD;
    if (rc == SOCKS_MORE && k->len == sizeof k->buf)
        return SOCKS_BAD;
    return rc;
}

void fwd_socks_reply(const struct fwd_socks *k, bool ok, uint8_t *out, size_t *len)
{
    if (k->version == 4) {
        const uint8_t r[8] = { 0, ok ? 90 : 91, 0, 0, 0, 0, 0, 0 };
        memcpy(out, r, sizeof r);
        *len = sizeof r;
    } else {
        const uint8_t r[10] = { 5, ok ? 0 : 5, 0, 1, 0, 0, 0, 0, 0, 0 };
        memcpy(out, r, sizeof r);
        *len = sizeof r;
    }
}
