/* sshkit-ssh: opening a "direct-tcpip" channel (RFC 4254 section 7.2),
 * the server connecting to host:port for us (-W, -L), or OpenSSH's
 * "direct-streamlocal@openssh.com" to a Unix socket path (-L to a path). */
#include <stdlib.h>
#include <string.h>

#include "ssh.h"

/* Longest host name sent (DNS names are at most 253 bytes; literals less). */
#define DIRECT_HOST_MAX 1024

static uint8_t *put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
    return p + 4;
}

static uint8_t *put_string(uint8_t *p, const char *s, size_t n)
{
    p = put_u32(p, (uint32_t)n);
    memcpy(p, s, n);
    return p + n;
}

int direct_tcpip_open(sshkit_session *s, const char *host, unsigned port, const char *orig_addr,
                      unsigned orig_port, sshkit_channel **ch)
{
    size_t hn = strlen(host), on = strlen(orig_addr);
    if (hn == 0 || hn > DIRECT_HOST_MAX || on > DIRECT_HOST_MAX || port > 65535 ||
        orig_port > 65535)
        return SSHKIT_E_INVALID_ARGUMENT;
    uint8_t *data = malloc(hn + on + 16);
    if (data == NULL)
        return SSHKIT_E_NOMEM;
    uint8_t *p = put_string(data, host, hn);
    p = put_u32(p, port);
    p = put_string(p, orig_addr, on);
    p = put_u32(p, orig_port);
    int rc = sshkit_channel_open(s, "direct-tcpip", data, (size_t)(p - data), ch);
    free(data);
    return rc;
}

int direct_streamlocal_open(sshkit_session *s, const char *path, sshkit_channel **ch)
{
    size_t pn = strlen(path);
    if (pn == 0 || pn > DIRECT_HOST_MAX)
        return SSHKIT_E_INVALID_ARGUMENT;
    uint8_t *data = malloc(pn + 12);
    if (data == NULL)
        return SSHKIT_E_NOMEM;
    uint8_t *p = put_string(data, path, pn);
    p = put_string(p, "", 0);       /* reserved */
    p = put_u32(p, 0);              /* reserved */
    int rc = sshkit_channel_open(s, "direct-streamlocal@openssh.com", data, (size_t)(p - data), ch);
    free(data);
    return rc;
}
