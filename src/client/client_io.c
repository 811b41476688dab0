/* Streams of a channel through the client: read, write (all of it), wait
 * for the end. Each is a step that reads or writes what it can, runs the
 * connection, and says SSHKIT_E_AGAIN when it must wait. */
#include "client/client_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

/* Calls on a channel need a connected client (its connection may have
 * ended: the channel's own state says what is left). */
static int channel_call_ok(const sshkit_client *c, const sshkit_channel *ch)
{
    if (c == NULL || ch == NULL || ch->session != c->session)
        return SSHKIT_E_INVALID_ARGUMENT;
    return c->connecting || c->connect_result ? SSHKIT_E_STATE : 0;
}

/* ---- read ---- */

struct read_call {
    sshkit_channel *ch;
    int stream;
    void *buf;
    size_t cap;
};

static int read_step(sshkit_client *c, void *arg)
{
    struct read_call *r = arg;
    for (;;) {
        int n = sshkit_channel_read(r->ch, r->stream, r->buf, r->cap);
        if (n != SSHKIT_E_AGAIN)
            return n;
        int rc = sk_client_step(c);
        if (rc == SSHKIT_E_AGAIN)
            return rc;
        if (rc < 0) {           /* what came before the end is still the caller's */
            n = sshkit_channel_read(r->ch, r->stream, r->buf, r->cap);
            return n != SSHKIT_E_AGAIN ? n : rc;
        }
    }
}

int sshkit_client_read(sshkit_client *c, sshkit_channel *ch, int stream, void *buf, size_t cap)
{
    int rc = channel_call_ok(c, ch);
    if (rc == 0 && (buf == NULL || (stream != 0 && stream != 1)))
        rc = SSHKIT_E_INVALID_ARGUMENT;
    if (rc)
        return rc;
    struct read_call r = { ch, stream, buf, cap };
    return sk_client_drive(c, read_step, &r);
}

/* ---- write ---- */

/* The write in progress on a channel; those on freed channels are dropped. */
static struct sk_write_op *find_write(sshkit_client *c, const sshkit_channel *ch)
{
    struct sk_write_op *found = NULL;
    size_t kept = 0;
    for (size_t i = 0; i < c->nwrites; i++) {
        struct sk_write_op w = c->writes[i];
        if (!sk_channel_is_live(c->session, w.ch, w.serial))
            continue;
        c->writes[kept] = w;
        if (w.ch == ch)
            found = &c->writes[kept];
        kept++;
    }
    c->nwrites = kept;
    return found;
}

static struct sk_write_op *add_write(sshkit_client *c, sshkit_channel *ch, const void *data,
                                     size_t len)
{
    if (c->nwrites == c->cap_writes) {
        size_t cap = c->cap_writes ? c->cap_writes * 2 : 4;
        struct sk_write_op *bigger = realloc(c->writes, cap * sizeof *bigger);
        if (bigger == NULL)
            return NULL;
        c->writes = bigger;
        c->cap_writes = cap;
    }
    struct sk_write_op *w = &c->writes[c->nwrites++];
    *w = (struct sk_write_op){ .ch = ch, .serial = ch->serial, .data = data, .len = len };
    return w;
}

static void remove_write(sshkit_client *c, struct sk_write_op *w)
{
    *w = c->writes[--c->nwrites];
}

void sk_client_writes_free(sshkit_client *c)
{
    free(c->writes);
    c->writes = NULL;
    c->nwrites = c->cap_writes = 0;
}

static int write_step(sshkit_client *c, void *arg)
{
    struct sk_write_op *w = arg;
    for (;;) {
        while (w->off < w->len) {
            int n = sshkit_channel_write(w->ch, 0, w->data + w->off, w->len - w->off);
            if (n == SSHKIT_E_AGAIN || n == 0)
                break;          /* no window: it comes with an event */
            if (n < 0)
                return n;
            w->off += (size_t)n;
        }
        if (w->off == w->len)
            return 0;
        int rc = sk_client_step(c);
        if (rc)
            return rc;
    }
}

int sshkit_client_write(sshkit_client *c, sshkit_channel *ch, const void *data, size_t len)
{
    int rc = channel_call_ok(c, ch);
    if (rc == 0 && data == NULL && len > 0)
        rc = SSHKIT_E_INVALID_ARGUMENT;
    if (rc)
        return rc;
    struct sk_write_op *w = find_write(c, ch);
    if (w && (w->data != data || w->len != len))
        return SSHKIT_E_STATE;  /* another write is in progress on this channel */
    if (w == NULL && (w = add_write(c, ch, data, len)) == NULL)
        return SSHKIT_E_NOMEM;
    rc = sk_client_drive(c, write_step, w);
    if (rc != SSHKIT_E_AGAIN)
        remove_write(c, w);
    return rc;
}

/* ---- wait ---- */

void sk_client_exit_of(const sshkit_channel *ch, int *status, char *signal, size_t cap)
{
    unsigned st;
    *status = sshkit_channel_exit_status(ch, &st) == 0 ? (int)st : -1;
    const char *sig = sshkit_channel_exit_signal(ch);
    if (signal && cap)
        snprintf(signal, cap, "%s", sig ? sig : "");
}

static int wait_step(sshkit_client *c, void *arg)
{
    sshkit_channel *ch = arg;
    uint8_t sink[16384];
    for (;;) {
        while (sshkit_channel_read(ch, 0, sink, sizeof sink) > 0 ||
               sshkit_channel_read(ch, 1, sink, sizeof sink) > 0)
            continue;   /* unread output would hold the window shut */
        if (ch->state != SK_CH_OPEN || ch->close_received)
            return 0;
        int rc = sk_client_step(c);
        if (rc)
            return rc;
    }
}

int sshkit_client_wait(sshkit_client *c, sshkit_channel *ch, int *exit_status)
{
    int rc = channel_call_ok(c, ch);
    if (rc == 0 && exit_status == NULL)
        rc = SSHKIT_E_INVALID_ARGUMENT;
    if (rc == 0)
        rc = sk_client_drive(c, wait_step, ch);
    if (rc == 0)
        sk_client_exit_of(ch, exit_status, NULL, 0);
    return rc;
}
