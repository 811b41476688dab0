/* sshkit-sshd: remote forwarding, as sshd serves ssh -R. "tcpip-forward"
 * (RFC 4254 section 7.1) makes listening sockets on the address
 * GatewayPorts allows (no: loopback only; yes: every address;
 * clientspecified: the client's, "" or "*" meaning every one), the port
 * the kernel picked for port 0 sent back with the answer;
 * "cancel-tcpip-forward" closes them. Each connection accepted gets a
 * "forwarded-tcpip" channel to the client, relayed like direct-tcpip's
 * (tcp_fwd.c). AllowTcpForwarding (no, local) and the key's options refuse. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "tcp_fwd_internal.h"

#define REMOTE_MAX_LISTENERS 64     /* per client connection */
#define REMOTE_HOST_MAX 255
#define REMOTE_BACKLOG 128
#define ACCEPTS_PER_WAKE 8

static uint8_t *put_u32(uint8_t *p, uint32_t v);

struct remote_listener {
    int fd;
    char *bind;                     /* the address as the client asked (sent back on each channel) */
    unsigned port;                  /* as asked: 0 for "pick one" */
    unsigned actual;                /* the port listened on */
};

struct tcp_remote {
    struct remote_listener l[REMOTE_MAX_LISTENERS];
    size_t count;
    size_t slot, polled;
};

static struct tcp_remote *remote_of(struct conn *c, bool make)
{
    struct chans *t = channels_state(c);
    if (t && t->remote == NULL && make)
        t->remote = calloc(1, sizeof *t->remote);
    return t ? t->remote : NULL;
}

/* string address, uint32 port; false when malformed. */
static bool parse(const uint8_t *d, size_t len, char *addr, unsigned *port)
{
    if (len < 4)
        return false;
    uint32_t n = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
    if (n > REMOTE_HOST_MAX || len != 8 + (size_t)n || memchr(d + 4, 0, n))
        return false;
    memcpy(addr, d + 4, n);
    addr[n] = '\0';
    const uint8_t *p = d + 4 + n;
    uint32_t v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    *port = v;
    return v <= 65535;
}

/* What to bind for the address asked: NULL for every address. */
static const char *bind_host(const struct conn *c, const char *asked)
{
    int gw = c->srv->cfg->gateway_ports;
    bool wildcard = *asked == '\0' || strcmp(asked, "*") == 0 || strcmp(asked, "0.0.0.0") == 0 ||
                    strcmp(asked, "::") == 0;
    if (gw == SSHD_GW_NO)
        return "localhost";
    if (gw == SSHD_GW_YES || wildcard)
        return NULL;
    return asked;
}

static int listen_one(const struct addrinfo *a)
{
    int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    int on = 1;
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (a->ai_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    if (bind(fd, a->ai_addr, a->ai_addrlen) != 0 || listen(fd, REMOTE_BACKLOG) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Listens on every address of host; the port picked for the first is
 * used for the others when port is 0. How many listeners were made. */
static size_t listen_all(struct conn *c, struct tcp_remote *r, const char *asked, unsigned port,
                         unsigned *actual)
{
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE | AI_NUMERICSERV },
                    *list;
    char service[8];
    size_t made = 0;
    *actual = port;
    snprintf(service, sizeof service, "%u", port);
    if (getaddrinfo(bind_host(c, asked), service, &hints, &list) != 0)
        return 0;
    for (struct addrinfo *a = list; a && r->count < REMOTE_MAX_LISTENERS; a = a->ai_next) {
        if (*actual != 0) {     /* the same port on every address */
            struct sockaddr_in6 *in6 = (void *)a->ai_addr;
            struct sockaddr_in *in4 = (void *)a->ai_addr;
            if (a->ai_family == AF_INET6)
                in6->sin6_port = htons((uint16_t)*actual);
            else if (a->ai_family == AF_INET)
                in4->sin_port = htons((uint16_t)*actual);
        }
        int fd = listen_one(a);
        if (fd < 0)
            continue;
        if (*actual == 0) {
            struct sockaddr_storage ss;
            socklen_t len = sizeof ss;
            char p[NI_MAXSERV];
            getsockname(fd, (struct sockaddr *)&ss, &len);
            getnameinfo((struct sockaddr *)&ss, len, NULL, 0, p, sizeof p, NI_NUMERICSERV);
            *actual = (unsigned)atoi(p);
        }
        r->l[r->count++] = (struct remote_listener){ .fd = fd, .bind = strdup(asked),
                                                     .port = port, .actual = *actual };
        made++;
    }
    freeaddrinfo(list);
    return made;
}

static bool forward(struct conn *c, const char *asked, unsigned port)
{
    const char *why = tcp_policy_remote_refusal(c);
    struct tcp_remote *r = remote_of(c, true);
    unsigned actual = 0;
    if (why == NULL && r == NULL)
        why = "out of memory";
    if (why == NULL && listen_all(c, r, asked, port, &actual) == 0)
        why = strerror(errno);
    if (why) {
        log_info("%s: refused remote port forward for %s port %u (%s)", c->label, asked, port, why);
        return false;
    }
    log_debug("%s: remote forward for %s port %u listening on port %u", c->label, asked, port,
              actual);
    if (port == 0) {
        uint8_t reply[4];
        put_u32(reply, actual);
        sshkit_session_global_reply_data(c->session, reply, sizeof reply);
    }
    return true;
}

static void close_listener(struct tcp_remote *r, size_t i)
{
    close(r->l[i].fd);
    free(r->l[i].bind);
    r->l[i] = r->l[--r->count];
}

static bool cancel(struct conn *c, const char *asked, unsigned port)
{
    struct tcp_remote *r = remote_of(c, false);
    bool found = false;
    for (size_t i = 0; r && i < r->count;) {
        if ((r->l[i].port == port || r->l[i].actual == port) && strcmp(r->l[i].bind, asked) == 0) {
            close_listener(r, i);
            found = true;
        } else {
            i++;
        }
    }
    log_debug("%s: cancel remote forward for %s port %u: %s", c->label, asked, port,
              found ? "done" : "not found");
    return found;
}

static bool on_global(void *user, sshkit_session *s, const char *name, const uint8_t *data,
                      size_t len)
{
    struct conn *c = user;
    char addr[REMOTE_HOST_MAX + 1];
    unsigned port;
    (void)s;
    bool fwd = strcmp(name, "tcpip-forward") == 0;
    if (!fwd && strcmp(name, "cancel-tcpip-forward") != 0)
        return false;
    if (!parse(data, len, addr, &port)) {
        log_verbose("%s: malformed %s", c->label, name);
        return false;
    }
    return fwd ? forward(c, addr, port) : cancel(c, addr, port);
}

void tcp_remote_attach(struct conn *c)
{
    sshkit_session_set_global_request_handler(c->session, on_global, c);
}

size_t tcp_remote_poll_count(const struct conn *c)
{
    const struct chans *t = c->channels;
    return t && t->remote ? t->remote->count : 0;
}

size_t tcp_remote_poll_fill(struct conn *c, struct pollfd *pfds, size_t base)
{
    struct tcp_remote *r = remote_of(c, false);
    if (r == NULL)
        return 0;
    r->slot = base;
    r->polled = r->count;
    bool room = tcp_fwd_has_room(c);
    for (size_t i = 0; i < r->count; i++)
        pfds[base + i] = (struct pollfd){ .fd = room ? r->l[i].fd : -1, .events = POLLIN };
    return r->count;
}

static uint8_t *put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
    return p + 4;
}

static uint8_t *put_string(uint8_t *p, const char *s)
{
    size_t n = strlen(s);
    p = put_u32(p, (uint32_t)n);
    memcpy(p, s, n);
    return p + n;
}

/* A connection came: a forwarded-tcpip channel to the client for it. */
static void accept_one(struct conn *c, const struct remote_listener *l, int fd)
{
    struct sockaddr_storage peer;
    socklen_t plen = sizeof peer;
    char host[NI_MAXHOST] = "127.0.0.1", serv[NI_MAXSERV] = "0";
    if (getpeername(fd, (struct sockaddr *)&peer, &plen) == 0)
        getnameinfo((struct sockaddr *)&peer, plen, host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV);
    uint8_t data[REMOTE_HOST_MAX + NI_MAXHOST + 16], *p = data;
    p = put_string(p, l->bind);         /* the address connected: as the client asked */
    p = put_u32(p, l->actual);
    p = put_string(p, host);            /* the originator */
    p = put_u32(p, (uint32_t)atoi(serv));
    sshkit_channel *ch;
    if (sshkit_channel_open(c->session, "forwarded-tcpip", data, (size_t)(p - data), &ch) != 0) {
        log_verbose("%s: cannot open a forwarded-tcpip channel", c->label);
        close(fd);
        return;
    }
    tcp_fwd_add_relay(c, ch, fd);
}

bool tcp_remote_poll_done(struct conn *c, const struct pollfd *pfds)
{
    struct tcp_remote *r = remote_of(c, false);
    bool any = false;
    for (size_t i = 0; r && i < r->polled && i < r->count; i++) {
        const struct pollfd *p = pfds + r->slot + i;
        for (int n = 0; p->fd >= 0 && p->revents && n < ACCEPTS_PER_WAKE && tcp_fwd_has_room(c); n++) {
            int fd = accept(r->l[i].fd, NULL, NULL);    /* the relay makes it non-blocking */
            if (fd < 0)
                break;
            accept_one(c, &r->l[i], fd);
            any = true;
        }
    }
    return any;
}

void tcp_remote_free(struct conn *c)
{
    struct chans *t = c->channels;
    struct tcp_remote *r = t ? t->remote : NULL;
    if (r == NULL)
        return;
    while (r->count)
        close_listener(r, r->count - 1);
    free(r);
    t->remote = NULL;
}
