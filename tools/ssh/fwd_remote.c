/* sshkit-ssh -R: each remote forwarding is asked of the server with
 * "tcpip-forward" (RFC 4254 section 7.1; bind address "localhost" by
 * default, "" for "*"); the answers come in order, the port the server
 * picked for port 0 with them ("Allocated port N for remote forward to
 * HOST:PORT", as ssh says). Each "forwarded-tcpip" channel the server then
 * opens is matched to its forwarding by port and connected to the
 * forwarding's destination; refused with "connect failed" when that fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fwd.h"

#define REMOTE_CONNECT_MS 10000     /* the destination is usually local: a bound wait */
#define REMOTE_TEXT_MAX 1024

static size_t put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
    return 4;
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static const char *bind_address(const struct fwd_spec *spec)
{
    if (spec->listen_host == NULL)
        return "localhost";
    return strcmp(spec->listen_host, "*") == 0 ? "" : spec->listen_host;
}

void fwd_remote_request(struct fwd *f)
{
    const struct ssh_forwards *all = &f->opt->forwards;
    for (size_t i = 0; i < all->count; i++) {
        const struct fwd_spec *spec = &all->items[i];
        if (spec->kind != 'R')
            continue;
        const char *addr = bind_address(spec);
        size_t n = strlen(addr);
        uint8_t data[REMOTE_TEXT_MAX + 8];
        if (n > REMOTE_TEXT_MAX || spec->listen_path || spec->connect_path) {
            log_at(SSH_LOG_ERROR, "Warning: remote forwarding of Unix sockets is not supported yet");
            continue;
        }
        size_t len = put_u32(data, (uint32_t)n);
        memcpy(data + len, addr, n);
        len += n;
        len += put_u32(data + len, spec->listen_port);
        if (sshkit_session_global_request_data(f->s, "tcpip-forward", data, len) != 0) {
            log_at(SSH_LOG_ERROR, "ssh: cannot ask for remote forwarding");
            continue;
        }
        f->remotes[f->remote_count++] = (struct fwd_remote){ .spec = spec, .port = spec->listen_port };
    }
}

static void on_answer(struct fwd *f, const sshkit_event *ev)
{
    if (f->answered == f->remote_count)
        return;                     /* not ours */
    struct fwd_remote *r = &f->remotes[f->answered++];
    const struct fwd_spec *spec = r->spec;
    if (!ev->u.global.success) {
        log_at(SSH_LOG_ERROR, "Warning: remote port forwarding failed for listen port %u",
               spec->listen_port);
        return;
    }
    if (spec->listen_port == 0) {
        uint32_t port = ev->u.global.len >= 4 ? get_u32(ev->u.global.data) : 0;
        if (port == 0 || port > 65535) {
            log_at(SSH_LOG_ERROR, "Warning: the server gave no port for remote forwarding");
            return;
        }
        r->port = port;
        log_at(SSH_LOG_INFO, "Allocated port %u for remote forward to %s:%u", port,
               spec->connect_host, spec->connect_port);
    }
    r->granted = true;
    log_at(SSH_LOG_DEBUG1, "remote forward success for: listen %u, connect %s:%u", r->port,
           spec->connect_host, spec->connect_port);
}

/* The forwarding a channel's "connected port" names; NULL for none. */
static const struct fwd_remote *find(const struct fwd *f, const uint8_t *data, size_t len)
{
    if (len < 4)
        return NULL;
    uint32_t n = get_u32(data);
    if (n > REMOTE_TEXT_MAX || len - 4 < (size_t)n + 4)
        return NULL;
    uint32_t port = get_u32(data + 4 + n);
    for (size_t i = 0; i < f->remote_count; i++)
        if (f->remotes[i].granted && f->remotes[i].port == port)
            return &f->remotes[i];
    return NULL;
}

static void on_open(struct fwd *f, sshkit_channel *ch, const uint8_t *data, size_t len)
{
    const struct fwd_remote *r = find(f, data, len);
    char err[256] = "";
    int fd = -1;
    if (r == NULL) {
        log_at(SSH_LOG_ERROR, "WARNING: Server requests forwarding for unknown listen_port");
        sshkit_channel_reject(ch, SSHKIT_OPEN_ADMINISTRATIVELY_PROHIBITED, "unknown port");
    } else if (sshkit_connect(r->spec->connect_host, r->spec->connect_port, REMOTE_CONNECT_MS, &fd,
                              err, sizeof err) != 0) {
        log_at(SSH_LOG_ERROR, "connect_to %s port %u: failed.", r->spec->connect_host,
               r->spec->connect_port);
        sshkit_channel_reject(ch, SSHKIT_OPEN_CONNECT_FAILED, "Connection refused");
    } else if (sshkit_channel_accept(ch) != 0 || !fwd_add_link(f, ch, fd, true)) {
        close(fd);
        sshkit_channel_reject(ch, SSHKIT_OPEN_RESOURCE_SHORTAGE, "too many connections");
    } else {
        return;
    }
    sshkit_channel_free(ch);
}

bool fwd_remote_event(struct fwd *f, const sshkit_event *ev)
{
    if (ev->type == SSHKIT_EVENT_GLOBAL_REQUEST_RESULT) {
        if (f)
            on_answer(f, ev);
        return true;
    }
    if (ev->type != SSHKIT_EVENT_CHANNEL_OPEN_REQUEST ||
        strcmp(ev->u.channel.type, "forwarded-tcpip") != 0 || f == NULL)
        return false;
    on_open(f, ev->u.channel.channel, ev->u.channel.data, ev->u.channel.len);
    return true;
}
