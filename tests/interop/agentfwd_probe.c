/* sshkit-agentfwd-probe: a server that opens agent channels to its one
 * client whether or not it asked for forwarding, to hold a client (sshkit-
 * ssh, ssh) to the rules: refuse them unasked, bound how many it takes.
 *
 *   sshkit-agentfwd-probe -h HOSTKEY -n COUNT
 * Listens on a loopback port (prints "port N"), takes one connection (any
 * public key logs in), accepts its session channel, and on exec opens
 * COUNT auth-agent@openssh.com channels at once. On each one opened it
 * asks for the agent's identities (SSH_AGENTC_REQUEST_IDENTITIES) and
 * reads the answer. Then it prints
 *   agent-req=0|1 opened=N failed=M reasons=R,R,... listed=K keys=C
 * (reasons of the refusals, K answers of type IDENTITIES_ANSWER, C the key
 * count of the first), ends the command with status 0 and waits for the
 * client to leave. Every wait is bounded (30 s). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sshkit.h>

#define MAX_CHANNELS 256
#define WAIT_MS 30000

struct probe {
    sshkit_session *s;
    int fd;
    sshkit_channel *session;
    sshkit_channel *agents[MAX_CHANNELS];
    uint8_t reply[MAX_CHANNELS][64];    /* the first bytes of each answer */
    size_t reply_len[MAX_CHANNELS];
    unsigned count, opened, failed, closed, listed, keys;
    bool agent_req, started;
    char reasons[4 * MAX_CHANNELS];
};

static sshkit_auth_decision any_key(void *user, const char *name, const sshkit_key *key)
{
    (void)user;
    (void)name;
    (void)key;
    return SSHKIT_AUTH_ACCEPT;
}

static int find(const struct probe *p, const sshkit_channel *ch)
{
    for (unsigned i = 0; i < p->count; i++)
        if (p->agents[i] == ch)
            return (int)i;
    return -1;
}

static void open_agents(struct probe *p)
{
    p->started = true;
    for (unsigned i = 0; i < p->count; i++)
        if (sshkit_channel_open_agent(p->s, &p->agents[i]) != 0)
            p->failed++;
}

/* An answer's first bytes: uint32 length, byte type, uint32 count. */
static void on_data(struct probe *p, int i)
{
    size_t *len = &p->reply_len[i];
    int n;
    while ((n = sshkit_channel_read(p->agents[i], 0, p->reply[i] + *len,
                                    sizeof p->reply[i] - *len)) > 0)
        *len += (size_t)n;
    if (*len >= 9 && p->reply[i][4] == 12) {
        if (p->listed++ == 0)
            p->keys = (unsigned)p->reply[i][5] << 24 | (unsigned)p->reply[i][6] << 16 |
                      (unsigned)p->reply[i][7] << 8 | p->reply[i][8];
        *len = 0;
        sshkit_channel_close(p->agents[i]);
    }
}

static void on_event(struct probe *p, const sshkit_event *ev)
{
    sshkit_channel *ch = ev->type == SSHKIT_EVENT_CHANNEL_REQUEST ? ev->u.request.channel
                                                                  : ev->u.channel.channel;
    int i = find(p, ch);
    char reason[8];
    switch (ev->type) {
    case SSHKIT_EVENT_CHANNEL_OPEN_REQUEST:
        p->session = ch;
        sshkit_channel_accept(ch);
        break;
    case SSHKIT_EVENT_CHANNEL_REQUEST:
        p->agent_req |= strcmp(ev->u.request.type, SSHKIT_AGENT_REQUEST_TYPE) == 0;
        if (ev->u.request.want_reply)
            sshkit_channel_request_reply(ch, strcmp(ev->u.request.type, "exec") == 0);
        if (strcmp(ev->u.request.type, "exec") == 0)
            open_agents(p);
        break;
    case SSHKIT_EVENT_CHANNEL_OPENED:
        p->opened++;
        sshkit_channel_write(ch, 0, "\0\0\0\1\13", 5);
        break;
    case SSHKIT_EVENT_CHANNEL_OPEN_FAILED:
        p->failed++;
        snprintf(reason, sizeof reason, "%s%u", p->reasons[0] ? "," : "", ev->u.channel.reason);
        strcat(p->reasons, reason);
        break;
    case SSHKIT_EVENT_CHANNEL_DATA:
        if (i >= 0)
            on_data(p, i);
        break;
    case SSHKIT_EVENT_CHANNEL_CLOSED:
        p->closed += i >= 0;
        break;
    default:
        break;
    }
}

static int serve(struct probe *p)
{
    for (;;) {
        sshkit_event ev;
        if (sshkit_blocking_wait_event(p->s, p->fd, &ev, WAIT_MS) < 0 ||
            ev.type == SSHKIT_EVENT_DISCONNECTED)
            return 1;
        on_event(p, &ev);
        if (p->started && p->opened + p->failed == p->count && p->closed == p->opened)
            return 0;
    }
}

int main(int argc, char **argv)
{
    struct probe p = { .fd = -1 };
    sshkit_key *host = NULL;
    if (argc != 5 || strcmp(argv[1], "-h") || strcmp(argv[3], "-n") ||
        sshkit_key_load_private(argv[2], NULL, &host) != 0 ||
        (p.count = (unsigned)atoi(argv[4])) == 0 || p.count > MAX_CHANNELS) {
        fprintf(stderr, "usage: sshkit-agentfwd-probe -h HOSTKEY -n COUNT\n");
        return 2;
    }
    int lfd;
    if (sshkit_listen("127.0.0.1", 0, 1, &lfd) != 0)
        return 1;
    printf("port %d\n", sshkit_local_port(lfd));
    fflush(stdout);
    sshkit_server_auth auth = { .publickey = any_key };
    const sshkit_key *keys[1] = { host };
    int rc = 1;
    if (sshkit_accept(lfd, &p.fd, WAIT_MS) == 0 &&
        sshkit_server_session_new(keys, 1, &auth, &p.s) == 0) {
        sshkit_session_set_max_channels(p.s, MAX_CHANNELS + 1);
        rc = serve(&p);
        printf("agent-req=%d opened=%u failed=%u reasons=%s listed=%u keys=%u\n", p.agent_req,
               p.opened, p.failed, p.reasons, p.listed, p.keys);
        fflush(stdout);
        if (rc == 0 && p.session) {
            sshkit_channel_send_exit_status(p.session, 0);
            sshkit_channel_send_eof(p.session);
            sshkit_channel_close(p.session);
            sshkit_blocking_wait_for(p.s, p.fd, SSHKIT_EVENT_DISCONNECTED, NULL, WAIT_MS);
        }
    }
    sshkit_session_free(p.s);
    sshkit_key_free(host);
    if (p.fd >= 0)
        close(p.fd);
    close(lfd);
    return rc;
}
