/* The session channels of one connection: opening (MaxSessions;
 * direct-tcpip goes to tcp_fwd.c), the channel events, the poll entries of their children, and the end. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent_fwd.h"
#include "channels.h"
#include "log.h"
#include "tcp_fwd.h"

struct chans *channels_state(struct conn *c)
{
    if (c->channels == NULL)
        c->channels = calloc(1, sizeof(struct chans));
    return c->channels;
}

static struct sess *sess_new(struct conn *c, sshkit_channel *ch)
{
    struct chans *t = channels_state(c);
    struct sess *s = t ? calloc(1, sizeof *s) : NULL;
    if (s == NULL)
        return NULL;
    s->c = c;
    s->ch = ch;
    s->id = t->next_id++;
    s->fd_in = s->fd_out[0] = s->fd_out[1] = -1;
    s->master = s->slave = -1;
    s->slot = -1;
    s->next = t->list;
    t->list = s;
    t->count++;
    sshkit_channel_set_user(ch, s);
    return s;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* Forgets a session; a child still running gets SIGHUP, as when sshd
 * closes its terminal. The channel handle is the caller's. */
void sess_free(struct sess *s)
{
    struct chans *t = s->c->channels;
    for (struct sess **pp = &t->list; *pp; pp = &(*pp)->next)
        if (*pp == s) {
            *pp = s->next;
            break;
        }
    t->count--;
    if (s->pid > 0 && !s->exited)
        kill(-s->pid, SIGHUP);
    if (s->fd_in != s->master)
        close_fd(&s->fd_in);
    close_fd(&s->fd_out[0]);
    close_fd(&s->fd_out[1]);
    pty_close(s);
    sftp_free(s);
    free(s->term);
    for (size_t i = 0; i < s->env_count; i++)
        free(s->env[i]);
    if (s->started)
        log_verbose("Close session: user %s from %s id %u", s->c->srv->user, s->c->label, s->id);
    free(s);
}

static void on_open(struct conn *c, const sshkit_event *ev)
{
    sshkit_channel *ch = ev->u.channel.channel;
    const char *type = ev->u.channel.type;
    struct chans *t = channels_state(c);
    long max = c->srv->cfg->max_sessions;
    if (t != NULL && strcmp(type, "direct-tcpip") == 0) {
        tcp_fwd_open(c, ch, ev->u.channel.data, ev->u.channel.len);
        return;
    }
    if (strcmp(type, "session") != 0) {
        log_debug("%s: channel type '%s' refused", c->label, type);
        sshkit_channel_reject(ch, SSHKIT_OPEN_UNKNOWN_CHANNEL_TYPE, "unknown channel type");
    } else if (t == NULL || (long)t->count >= max) {
        log_debug("%s: refusing session channel past MaxSessions (%ld)", c->label, max);
        sshkit_channel_reject(ch, SSHKIT_OPEN_ADMINISTRATIVELY_PROHIBITED, "open failed");
    } else if (sess_new(c, ch) == NULL) {
        sshkit_channel_reject(ch, SSHKIT_OPEN_RESOURCE_SHORTAGE, "out of memory");
    } else {
        sshkit_channel_accept(ch);
        return;
    }
    sshkit_channel_free(ch);
}

static void on_closed(sshkit_channel *ch)
{
    struct sess *s = sshkit_channel_get_user(ch);
    if (s)
        sess_free(s);
    sshkit_channel_free(ch);
}

/* Returns whether the event was a channel's. */
bool channels_handle_event(struct conn *c, const sshkit_event *ev)
{
    sshkit_channel *ch = ev->u.channel.channel;
    struct sess *s;
    if (agent_fwd_event(c, ev) || tcp_fwd_event(c, ev))
        return true;
    switch (ev->type) {
    case SSHKIT_EVENT_CHANNEL_OPEN_REQUEST:
        on_open(c, ev);
        return true;
    case SSHKIT_EVENT_CHANNEL_REQUEST:
        s = sshkit_channel_get_user(ev->u.request.channel);
        if (s)
            requests_handle(s, ev->u.request.type, ev->u.request.want_reply,
                            ev->u.request.data, ev->u.request.len);
        else if (ev->u.request.want_reply)
            sshkit_channel_request_reply(ev->u.request.channel, false);
        return true;
    case SSHKIT_EVENT_CHANNEL_DATA:
    case SSHKIT_EVENT_CHANNEL_EOF:
        if ((s = sshkit_channel_get_user(ch)) != NULL && s->sftp)
            sftp_pump(s);
        else if (s)
            relay_to_child(s);
        return true;
    case SSHKIT_EVENT_CHANNEL_WRITABLE:
        if ((s = sshkit_channel_get_user(ch)) != NULL && s->sftp) {
            sftp_pump(s);
        } else if (s) {
            relay_from_child(s, 0);
            relay_from_child(s, 1);
            relay_finish(s);
        }
        return true;
    case SSHKIT_EVENT_CHANNEL_CLOSED:
        on_closed(ch);
        return true;
    default:
        return false;
    }
}

void channels_free(struct conn *c)
{
    struct chans *t = c->channels;
    if (t == NULL)
        return;
    agent_fwd_free(c);
    tcp_fwd_free(c);
    tcp_remote_free(c);
    while (t->list) {
        sshkit_channel_set_user(t->list->ch, NULL);
        sess_free(t->list);
    }
    free(t);
    c->channels = NULL;
}

bool channels_busy(const struct conn *c)
{
    const struct chans *t = c->channels;
    for (const struct sess *s = t ? t->list : NULL; s; s = s->next)
        if (sftp_wants_run(s))
            return true;
    return tcp_fwd_busy(c);
}

size_t channels_poll_count(const struct conn *c)
{
    const struct chans *t = c->channels;
    return t ? t->count * SESS_POLL_SLOTS + agent_fwd_poll_count(c) + tcp_fwd_poll_count(c) +
                   tcp_remote_poll_count(c) : 0;
}

/* Each session takes three entries (fd -1 when not wanted): the child's
 * stdin when client bytes wait for it, its stdout and stderr when their
 * buffers are empty (a full one waits for the channel's window). */
size_t channels_poll_fill(struct conn *c, struct pollfd *pfds)
{
    struct chans *t = c->channels;
    size_t i = 0;
    for (struct sess *s = t ? t->list : NULL; s; s = s->next) {
        s->slot = (int)i;
        bool in = s->fd_in >= 0 && s->in_off < s->in_len;
        pfds[i++] = (struct pollfd){ .fd = in ? s->fd_in : -1, .events = POLLOUT };
        for (int k = 0; k < 2; k++) {
            bool out = s->fd_out[k] >= 0 && s->out[k].len == 0;
            pfds[i++] = (struct pollfd){ .fd = out ? s->fd_out[k] : -1, .events = POLLIN };
        }
    }
    i += agent_fwd_poll_fill(c, pfds, i);
    i += tcp_fwd_poll_fill(c, pfds, i);
    return i + tcp_remote_poll_fill(c, pfds, i);
}

/* Moves what the poll found ready; true when the session has output to send. */
bool channels_poll_done(struct conn *c, const struct pollfd *pfds)
{
    struct chans *t = c->channels;
    bool any = false;
    for (struct sess *s = t ? t->list : NULL, *next; s; s = next) {
        next = s->next;
        if (sftp_wants_run(s)) {
            sftp_pump(s);
            any = true;
        }
        if (s->slot < 0)
            continue;
        const struct pollfd *p = pfds + s->slot;
        if (p[0].fd >= 0 && p[0].revents) {
            relay_to_child(s);
            any = true;
        }
        for (int k = 0; k < 2; k++)
            if (p[1 + k].fd >= 0 && p[1 + k].revents) {
                relay_from_child(s, k);
                any = true;
            }
        if (s->exited && !s->finished) {
            relay_finish(s);
            any = true;
        }
    }
    any |= tcp_fwd_poll_done(c, pfds);
    any |= tcp_remote_poll_done(c, pfds);
    return agent_fwd_poll_done(c, pfds) || any;
}
