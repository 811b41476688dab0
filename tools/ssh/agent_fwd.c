/* sshkit-ssh -A: agent forwarding, the client's side. The session channel
 * asks for it (auth-agent-req@openssh.com, before the pty and the
 * command, as ssh); each auth-agent@openssh.com channel the server opens
 * then gets a connection of its own to the local agent, and the relay
 * (chan_relay.c) moves the bytes. A server that opens one unasked is
 * refused, with ssh's warning. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent_fwd.h"
#include "unix_socket.h"

struct agent_fwd *agent_fwd_new(const struct ssh_options *o)
{
    if (!o->forward_agent)
        return NULL;
    char *path = agent_forward_path(o);
    if (path == NULL) {
        log_at(SSH_LOG_DEBUG1, "no agent to forward");
        return NULL;
    }
    struct agent_fwd *f = calloc(1, sizeof *f);
    if (f == NULL) {
        free(path);
        return NULL;
    }
    f->path = path;
    return f;
}

void agent_fwd_request(struct agent_fwd *f, sshkit_channel *session)
{
    if (f == NULL)
        return;
    log_at(SSH_LOG_DEBUG1, "Requesting authentication agent forwarding.");
    sshkit_channel_request_agent_forwarding(session, false);
}

static void refuse(sshkit_channel *ch, unsigned reason, const char *why)
{
    sshkit_channel_reject(ch, reason, why);
    sshkit_channel_free(ch);
}

/* The server opens a channel to our agent. */
static void on_open(struct agent_fwd *f, sshkit_channel *ch)
{
    if (f == NULL) {
        log_at(SSH_LOG_ERROR, "Warning: ssh server tried agent forwarding.");
        log_at(SSH_LOG_ERROR, "Warning: this is probably a break-in attempt by a malicious server.");
        refuse(ch, SSHKIT_OPEN_ADMINISTRATIVELY_PROHIBITED, "agent forwarding not requested");
        return;
    }
    if (f->count == AGENT_FWD_MAX) {
        refuse(ch, SSHKIT_OPEN_RESOURCE_SHORTAGE, "too many agent connections");
        return;
    }
    int fd = unix_connect(f->path);
    struct chan_relay *r = fd >= 0 ? malloc(sizeof *r) : NULL;
    if (r == NULL) {
        log_at(SSH_LOG_DEBUG1, "agent %s: %s", f->path, strerror(errno));
        if (fd >= 0)
            close(fd);
        refuse(ch, SSHKIT_OPEN_CONNECT_FAILED, "cannot reach the agent");
        return;
    }
    log_at(SSH_LOG_DEBUG1, "client_input_channel_open: ctype %s", SSHKIT_AGENT_CHANNEL_TYPE);
    sshkit_channel_accept(ch);
    chan_relay_init(r, ch, fd, true);
    f->relays[f->count++] = r;
}

static void drop(struct agent_fwd *f, size_t i)
{
    chan_relay_free(f->relays[i]);
    free(f->relays[i]);
    f->relays[i] = f->relays[--f->count];
}

bool agent_fwd_event(struct agent_fwd *f, const sshkit_event *ev)
{
    if (ev->type == SSHKIT_EVENT_CHANNEL_OPEN_REQUEST &&
        strcmp(ev->u.channel.type, SSHKIT_AGENT_CHANNEL_TYPE) == 0) {
        on_open(f, ev->u.channel.channel);
        return true;
    }
    for (size_t i = 0; f && i < f->count; i++) {
        if (!chan_relay_event(f->relays[i], ev))
            continue;
        if (chan_relay_finished(f->relays[i]))
            drop(f, i);
        return true;
    }
    return false;
}

bool agent_fwd_pump(struct agent_fwd *f)
{
    bool moved = false;
    for (size_t i = 0; f && i < f->count;) {
        moved |= chan_relay_pump(f->relays[i]);
        if (chan_relay_finished(f->relays[i]))
            drop(f, i);
        else
            i++;
    }
    return moved;
}

size_t agent_fwd_poll(struct agent_fwd *f, struct pollfd *p)
{
    size_t n = 0;
    for (size_t i = 0; f && i < f->count; i++) {
        short ev = chan_relay_events(f->relays[i]);
        if (ev)
            p[n++] = (struct pollfd){ .fd = f->relays[i]->fd, .events = ev };
    }
    return n;
}

void agent_fwd_free(struct agent_fwd *f)
{
    if (f == NULL)
        return;
    while (f->count)
        drop(f, f->count - 1);
    free(f->path);
    free(f);
}
