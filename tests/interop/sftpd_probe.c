/* sshkit-sftpd-probe: an SFTP client that breaks the rules, against the
 * "sftp" subsystem of a server, printing what came back.
 *
 *   sshkit-sftpd-probe -p PORT -l USER -i KEY -o KNOWN_HOSTS HOST MODE [PATH]
 * MODE: oversized (a packet over 256 KiB), malformed (a READ cut short,
 * then a request without an id), noinit (OPEN before INIT), handles PATH
 * (a handle never issued, 10,000 OPENs of PATH at once, a READ of 2 GiB,
 * every handle closed, EOF), eof (half a packet, then EOF). The subsystem's
 * exit status is printed when it ends. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sshkit.h>

#include "client/client_internal.h"
#include "sftp/sftp_proto.h"

#define PROBE_INPUT_MAX ((size_t)64 << 20)

struct probe {
    sshkit_client *c;
    sshkit_channel *ch;
    uint8_t *in;
    size_t in_len;
    bool closed;
    sk_buf out;
};

static void die(const char *what)
{
    fprintf(stderr, "probe: %s\n", what);
    exit(1);
}

/* Waits for one event; keeps what the channel brings. */
static void pump(struct probe *p)
{
    sshkit_event ev;
    int rc = sshkit_blocking_wait_event(p->c->session, p->c->fd, &ev, 30000);
    if (rc < 0 || ev.type == SSHKIT_EVENT_DISCONNECTED)
        die("connection lost");
    if (ev.type == SSHKIT_EVENT_CHANNEL_CLOSED && ev.u.channel.channel == p->ch)
        p->closed = true;
    for (int n = 1; n > 0 && p->in_len < PROBE_INPUT_MAX;) {
        n = sshkit_channel_read(p->ch, 0, p->in + p->in_len, PROBE_INPUT_MAX - p->in_len);
        if (n > 0)
            p->in_len += (size_t)n;
    }
}

static void send_bytes(struct probe *p, const uint8_t *d, size_t n)
{
    while (n > 0) {
        int w = sshkit_channel_write(p->ch, 0, d, n);
        if (w == SSHKIT_E_AGAIN) {
            pump(p);
            continue;
        }
        if (w < 0)
            die("write refused");
        d += w;
        n -= (size_t)w;
    }
    if (sshkit_blocking_flush(p->c->session, p->c->fd, 30000) != 0)
        die("flush");
}

/* Sends what p->out holds and empties it. */
static void send_out(struct probe *p)
{
    send_bytes(p, p->out.data, p->out.len);
    sk_buf_reset(&p->out);
}

/* The next whole reply: its type, id and body (valid until the next call). */
static void next_reply(struct probe *p, uint8_t *type, uint32_t *id, sk_reader *body)
{
    static uint8_t copy[SK_SFTP_MAX_PACKET + 4];
    long n;
    while ((n = sk_sftp_frame(p->in, p->in_len, SK_SFTP_MAX_PACKET)) == 0) {
        if (p->closed)
            die("the channel closed before a reply");
        pump(p);
    }
    if (n < 0)
        die("bad reply framing");
    memcpy(copy, p->in, (size_t)n);
    memmove(p->in, p->in + n, p->in_len - (size_t)n);
    p->in_len -= (size_t)n;
    sk_reader_init(body, copy + 4, (size_t)n - 4);
    sk_read_u8(body, type);
    if (*type != SK_FXP_VERSION)
        sk_read_u32(body, id);
}

static unsigned status_of(struct probe *p, uint32_t want)
{
    uint8_t type;
    uint32_t id = 0, code = 99;
    sk_reader r;
    next_reply(p, &type, &id, &r);
    if (type != SK_FXP_STATUS || id != want)
        die("expected a STATUS");
    sk_read_u32(&r, &code);
    return code;
}

static void hello(struct probe *p)
{
    uint8_t type;
    uint32_t id;
    sk_reader r;
    size_t at = sk_sftp_packet_begin(&p->out, SK_FXP_INIT);
    sk_write_u32(&p->out, 3);
    sk_sftp_packet_end(&p->out, at);
    send_out(p);
    next_reply(p, &type, &id, &r);
    if (type != SK_FXP_VERSION)
        die("no VERSION");
}

/* Waits for the subsystem to end; prints its exit status. */
static int await_end(struct probe *p)
{
    unsigned status;
    while (!p->closed)
        pump(p);
    if (sshkit_channel_exit_status(p->ch, &status) != 0)
        die("no exit status");
    printf("exit-status %u\n", status);
    return 0;
}

static int oversized(struct probe *p)
{
    uint8_t bad[64] = { 0, 0x04, 0x00, 0x01, SK_FXP_STAT };     /* 256 KiB + 1 */
    hello(p);
    send_bytes(p, bad, sizeof bad);
    return await_end(p);
}

static int malformed(struct probe *p)
{
    hello(p);
    size_t at = sk_sftp_packet_begin(&p->out, SK_FXP_READ);
    sk_write_u32(&p->out, 1);
    sk_write_u32(&p->out, 8);           /* a handle's length, and no handle */
    sk_sftp_packet_end(&p->out, at);
    send_out(p);
    printf("cut short: status %u\n", status_of(p, 1));
    const uint8_t no_id[] = { 0, 0, 0, 2, SK_FXP_STAT, 0 };
    send_bytes(p, no_id, sizeof no_id);
    return await_end(p);
}

static int no_init(struct probe *p)
{
    size_t at = sk_sftp_packet_begin(&p->out, SK_FXP_OPEN);
    sk_write_u32(&p->out, 1);
    sk_write_cstring(&p->out, "/etc/hostname");
    sk_write_u32(&p->out, SSHKIT_SFTP_READ);
    sk_write_u32(&p->out, 0);
    sk_sftp_packet_end(&p->out, at);
    send_out(p);
    return await_end(p);
}

static void request_with_handle(struct probe *p, uint8_t type, uint32_t id, const uint8_t *h)
{
    size_t at = sk_sftp_packet_begin(&p->out, type);
    sk_write_u32(&p->out, id);
    sk_write_string(&p->out, h, 8);
    if (type == SK_FXP_READ) {
        sk_write_u64(&p->out, 0);
        sk_write_u32(&p->out, 0x80000000u);     /* 2 GiB */
    }
    sk_sftp_packet_end(&p->out, at);
}

static int handles(struct probe *p, const char *path)
{
    static uint8_t kept[10000][8];
    unsigned opened = 0, refused = 0, closed = 0;
    hello(p);
    request_with_handle(p, SK_FXP_READ, 1, (const uint8_t *)"\1\2\3\4\5\6\7\10");
    send_out(p);
    printf("never issued: status %u\n", status_of(p, 1));
    for (uint32_t i = 0; i < 10000; i++) {
        size_t at = sk_sftp_packet_begin(&p->out, SK_FXP_OPEN);
        sk_write_u32(&p->out, 100 + i);
        sk_write_cstring(&p->out, path);
        sk_write_u32(&p->out, SSHKIT_SFTP_READ);
        sk_write_u32(&p->out, 0);
        sk_sftp_packet_end(&p->out, at);
    }
    send_out(p);
    for (uint32_t i = 0; i < 10000; i++) {
        uint8_t type;
        uint32_t id;
        sk_reader r;
        sk_bytes h;
        next_reply(p, &type, &id, &r);
        if (id != 100 + i)
            die("replies out of order");
        if (type == SK_FXP_HANDLE && sk_read_string(&r, &h) == 0 && h.len == 8)
            memcpy(kept[opened++], h.ptr, 8);
        else
            refused += type == SK_FXP_STATUS;
    }
    printf("opened %u refused %u\n", opened, refused);
    if (opened == 0)
        return 1;
    request_with_handle(p, SK_FXP_READ, 2, kept[0]);
    send_out(p);
    uint8_t type;
    uint32_t id;
    sk_reader r;
    sk_bytes data;
    next_reply(p, &type, &id, &r);
    if (type != SK_FXP_DATA || sk_read_string(&r, &data) != 0)
        die("no DATA for the 2 GiB read");
    printf("read of 2 GiB: %zu bytes\n", data.len);
    for (unsigned i = 0; i < opened; i++)
        request_with_handle(p, SK_FXP_CLOSE, 20000 + i, kept[i]);
    send_out(p);
    for (unsigned i = 0; i < opened; i++)
        closed += status_of(p, 20000 + i) == SSHKIT_SFTP_OK;
    printf("closed %u\n", closed);
    sshkit_channel_send_eof(p->ch);
    return await_end(p);
}

static int eof_midway(struct probe *p)
{
    const uint8_t half[] = { 0, 0, 0, 40, SK_FXP_OPEN, 0, 0 };
    hello(p);
    send_bytes(p, half, sizeof half);
    sshkit_channel_send_eof(p->ch);
    return await_end(p);
}

static void open_subsystem(struct probe *p)
{
    sshkit_event ev;
    if (sshkit_channel_open_session(p->c->session, &p->ch) != 0)
        die("open");
    while (p->ch->state == SK_CH_OPENING)
        pump(p);
    if (p->ch->state != SK_CH_OPEN)
        die("channel refused");
    sshkit_channel_subsystem(p->ch, "sftp");
    for (;;) {
        if (sshkit_blocking_wait_event(p->c->session, p->c->fd, &ev, 30000) < 0)
            die("no answer to the subsystem request");
        if (ev.type == SSHKIT_EVENT_CHANNEL_REQUEST_RESULT && ev.u.channel.channel == p->ch)
            break;
    }
    if (!ev.u.channel.success)
        die("subsystem refused");
}

int main(int argc, char **argv)
{
    sshkit_client_options opt;
    sshkit_client_options_init(&opt);
    opt.host_key_policy = SSHKIT_HOSTKEY_POLICY_ACCEPT_NEW;
    const char *keys[2] = { NULL, NULL };
    int ch;
    while ((ch = getopt(argc, argv, "p:l:i:o:")) != -1) {
        switch (ch) {
        case 'p': opt.port = (unsigned)atoi(optarg); break;
        case 'l': opt.user = optarg; break;
        case 'i': keys[0] = optarg; opt.identity_files = keys; break;
        case 'o': opt.known_hosts = optarg; break;
        default: return 2;
        }
    }
    if (optind + 2 > argc)
        return 2;
    struct probe p = { 0 };
    char err[512];
    if ((p.in = malloc(PROBE_INPUT_MAX)) == NULL)
        return 1;
    sk_buf_init(&p.out);
    if (sshkit_client_connect(argv[optind], &opt, &p.c, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 255;
    }
    open_subsystem(&p);
    const char *mode = argv[optind + 1];
    int rc = 2;
    if (strcmp(mode, "oversized") == 0)
        rc = oversized(&p);
    else if (strcmp(mode, "malformed") == 0)
        rc = malformed(&p);
    else if (strcmp(mode, "noinit") == 0)
        rc = no_init(&p);
    else if (strcmp(mode, "handles") == 0 && optind + 3 == argc)
        rc = handles(&p, argv[optind + 2]);
    else if (strcmp(mode, "eof") == 0)
        rc = eof_midway(&p);
    sshkit_channel_free(p.ch);
    sshkit_client_free(p.c);
    sk_buf_free(&p.out);
    free(p.in);
    return rc;
}
