/* The channel table and every channel's life cycle. */
#include "connection/connection_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

struct sk_connection *sk_connection_of(sshkit_session *s)
{
    if (s->connection == NULL) {
        s->connection = calloc(1, sizeof *s->connection);
        if (s->connection)
            s->connection->max_channels = SK_CHANNELS_DEFAULT_MAX;
    }
    return s->connection;
}

int sshkit_session_set_max_channels(sshkit_session *s, unsigned max)
{
    struct sk_connection *c = sk_connection_of(s);
    if (c == NULL)
        return SSHKIT_E_NOMEM;
    c->max_channels = max ? max : SK_CHANNELS_DEFAULT_MAX;
    return 0;
}

/* The lowest free local id, growing the table within the limit. */
static int free_slot(struct sk_connection *c, uint32_t *id)
{
    for (uint32_t i = 0; i < c->table_cap; i++) {
        if (c->table[i] == NULL) {
            *id = i;
            return 0;
        }
    }
    if (c->open_count >= c->max_channels)
        return SSHKIT_E_TOO_LARGE;
    uint32_t cap = c->table_cap ? c->table_cap * 2 : 8;
    sshkit_channel **bigger = realloc(c->table, cap * sizeof *bigger);
    if (bigger == NULL)
        return SSHKIT_E_NOMEM;
    memset(bigger + c->table_cap, 0, (cap - c->table_cap) * sizeof *bigger);
    *id = c->table_cap;
    c->table = bigger;
    c->table_cap = cap;
    return 0;
}

int sk_channel_new(sshkit_session *s, const char *type, sshkit_channel **out)
{
    *out = NULL;
    struct sk_connection *c = sk_connection_of(s);
    if (c == NULL)
        return SSHKIT_E_NOMEM;
    if (c->open_count >= c->max_channels)
        return SSHKIT_E_TOO_LARGE;
    uint32_t id;
    int rc = free_slot(c, &id);
    if (rc)
        return rc;
    sshkit_channel *ch = calloc(1, sizeof *ch);
    if (ch == NULL)
        return SSHKIT_E_NOMEM;
    ch->session = s;
    ch->local_id = id;
    ch->local_window = SK_CHANNEL_WINDOW;
    ch->serial = ++c->serials;
    snprintf(ch->type, sizeof ch->type, "%s", type);
    c->table[id] = ch;
    ch->in_table = true;
    c->open_count++;
    ch->next = c->all;
    if (c->all)
        c->all->prev = ch;
    c->all = ch;
    *out = ch;
    return 0;
}

bool sk_channel_is_live(sshkit_session *s, const sshkit_channel *ch, uint64_t serial)
{
    if (s->connection == NULL)
        return false;
    for (const sshkit_channel *it = s->connection->all; it != NULL; it = it->next)
        if (it == ch)
            return it->serial == serial && !it->freed_by_app;
    return false;
}

sshkit_channel *sk_channel_lookup(sshkit_session *s, uint32_t local_id)
{
    struct sk_connection *c = s->connection;
    if (c == NULL || local_id >= c->table_cap)
        return NULL;
    return c->table[local_id];
}

/* The id may be reused once both sides have closed (or the open failed). */
void sk_channel_leave_table(sshkit_channel *ch)
{
    struct sk_connection *c = ch->session->connection;
    if (!ch->in_table)
        return;
    c->table[ch->local_id] = NULL;
    c->open_count--;
    ch->in_table = false;
}

void sk_channel_destroy(sshkit_channel *ch)
{
    struct sk_connection *c = ch->session->connection;
    sk_channel_leave_table(ch);
    if (ch->prev)
        ch->prev->next = ch->next;
    else
        c->all = ch->next;
    if (ch->next)
        ch->next->prev = ch->prev;
    sk_stream_free(&ch->streams[0]);
    sk_stream_free(&ch->streams[1]);
    free(ch);
}

void sk_connection_free(sshkit_session *s)
{
    struct sk_connection *c = s->connection;
    if (c == NULL)
        return;
    while (c->all)
        sk_channel_destroy(c->all);
    free(c->table);
    free(c);
    s->connection = NULL;
}

void sk_channel_event(sshkit_channel *ch, sshkit_event_type type)
{
    sshkit_event ev = { .type = type };
    ev.u.channel.channel = ch;
    sk_event_push(ch->session, &ev);
}

void sshkit_channel_free(sshkit_channel *ch)
{
    if (ch == NULL)
        return;
    sshkit_session *s = ch->session;
    if (ch->state == SK_CH_OPENING && !sshkit_session_is_closed(s)) {
        ch->freed_by_app = true;    /* closed, then destroyed, when the answer comes */
        return;
    }
    bool needs_close = ch->state == SK_CH_OPEN && !ch->close_sent && !sshkit_session_is_closed(s);
    if (needs_close && sshkit_channel_close(ch) == 0) {
        ch->freed_by_app = true;    /* destroyed when the peer's CLOSE comes */
        return;
    }
    if (ch->state == SK_CH_PENDING)
        sshkit_channel_reject(ch, SSHKIT_OPEN_ADMINISTRATIVELY_PROHIBITED, NULL);
    sk_channel_destroy(ch);
}

sshkit_session *sshkit_channel_session(const sshkit_channel *ch)
{
    return ch->session;
}

void sshkit_channel_set_user(sshkit_channel *ch, void *user)
{
    ch->user = user;
}

void *sshkit_channel_get_user(const sshkit_channel *ch)
{
    return ch->user;
}

bool sshkit_channel_eof_received(const sshkit_channel *ch)
{
    return ch->eof_received || ch->close_received;
}

int sshkit_channel_exit_status(const sshkit_channel *ch, unsigned *status)
{
    if (!ch->has_exit_status)
        return SSHKIT_E_NOT_FOUND;
    *status = ch->exit_status;
    return 0;
}

const char *sshkit_channel_exit_signal(const sshkit_channel *ch)
{
    return ch->exit_signal[0] ? ch->exit_signal : NULL;
}
