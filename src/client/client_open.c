/* Channels for commands and shells: open a session channel, make the
 * requests once it is open, collect their answers. Events move an
 * opening on (sk_open_op_event), whichever call reads them. */
#include "client/client_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

int sk_client_copy_env(sshkit_client *c, const char *const *env)
{
    size_t n = 0;
    while (env && env[n])
        n++;
    if (n == 0)
        return 0;
    c->env = calloc(n + 1, sizeof *c->env);
    if (c->env == NULL)
        return SSHKIT_E_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(env[i], '=');
        if (eq == NULL || eq == env[i])
            return SSHKIT_E_INVALID_ARGUMENT;
        if ((c->env[i] = strdup(env[i])) == NULL)
            return SSHKIT_E_NOMEM;
    }
    return 0;
}

/* The options' env on a session channel (no replies asked, as ssh's
 * SetEnv). The entries are the client's copies: split in place. */
static int send_env(char **env, sshkit_channel *ch)
{
    for (size_t i = 0; env && env[i]; i++) {
        char *eq = strchr(env[i], '=');
        *eq = '\0';
        int rc = sshkit_channel_setenv(ch, env[i], eq + 1);
        *eq = '=';
        if (rc)
            return rc;
    }
    return 0;
}

int sk_open_op_start(sshkit_client *c, struct sk_open_op *op)
{
    op->env = c->env;
    op->result = SSHKIT_E_AGAIN;
    op->requested = false;
    op->granted = true;
    op->answers_due = 0;
    int rc = sshkit_channel_open_session(c->session, &op->ch);
    op->active = rc == 0;
    return rc;
}

static int send_requests(struct sk_open_op *op)
{
    int rc = send_env(op->env, op->ch);
    if (rc)
        return rc;
    if (!op->shell)
        return sshkit_channel_exec(op->ch, op->command);
    rc = sshkit_channel_request_pty(op->ch, op->term, op->cols, op->rows, NULL, 0);
    return rc ? rc : sshkit_channel_shell(op->ch);
}

int sk_open_op_advance(struct sk_open_op *op)
{
    if (!op->active || op->result != SSHKIT_E_AGAIN)
        return op->result;
    sshkit_channel *ch = op->ch;
    if (!op->requested) {
        if (ch->state == SK_CH_OPENING)
            return SSHKIT_E_AGAIN;
        if (ch->state != SK_CH_OPEN)
            return op->result = SSHKIT_E_REFUSED;
        op->requested = true;
        int rc = send_requests(op);
        op->answers_due = ch->our_requests_pending;     /* a new channel: ours alone */
        if (rc)
            return op->result = rc;
    }
    if (op->answers_due == 0)
        return op->result = op->granted ? 0 : SSHKIT_E_REFUSED;
    if (ch->state != SK_CH_OPEN)
        return op->result = SSHKIT_E_REFUSED;
    return SSHKIT_E_AGAIN;
}

/* The channel an event is about, or NULL. */
static sshkit_channel *channel_of(const sshkit_event *ev)
{
    if (ev->type == SSHKIT_EVENT_CHANNEL_REQUEST)
        return ev->u.request.channel;
    if (ev->type >= SSHKIT_EVENT_CHANNEL_OPEN_REQUEST)
        return ev->u.channel.channel;
    return NULL;
}

void sk_open_op_event(struct sk_open_op *op, const sshkit_event *ev)
{
    if (!op->active || op->result != SSHKIT_E_AGAIN || channel_of(ev) != op->ch)
        return;
    if (ev->type == SSHKIT_EVENT_CHANNEL_REQUEST_RESULT) {
        /* Counted here, not from the channel's own count: that one drops
         * when the answer is read, before its event is taken. */
        op->granted = op->granted && ev->u.channel.success;
        if (op->answers_due > 0)
            op->answers_due--;
    }
    (void)sk_open_op_advance(op);
}

void sk_open_op_clear(struct sk_open_op *op)
{
    sshkit_channel_free(op->ch);
    free(op->command);
    memset(op, 0, sizeof *op);
}

static int open_step(sshkit_client *c, void *arg)
{
    struct sk_open_op *op = arg;
    for (;;) {
        int rc = sk_open_op_advance(op);
        if (rc != SSHKIT_E_AGAIN)
            return rc;
        if ((rc = sk_client_step(c)) != 0)
            return rc;
    }
}

/* Whether a call asks for the opening in progress. */
static bool same_call(const struct sk_open_op *a, const struct sk_open_op *b)
{
    if (a->shell != b->shell)
        return false;
    if (!a->shell)
        return strcmp(a->command, b->command) == 0;
    return strcmp(a->term, b->term) == 0 && a->cols == b->cols && a->rows == b->rows;
}

/* exec and shell: start the opening, or go on with the one in progress. */
static int open_call(sshkit_client *c, const struct sk_open_op *call, sshkit_channel **channel)
{
    struct sk_open_op *op = &c->open;
    int rc = sk_client_usable(c);
    if (rc) {
        if (op->active)
            sk_open_op_clear(op);
        return rc;
    }
    if (op->active && !same_call(op, call))
        return SSHKIT_E_STATE;      /* one opening at a time: finish it first */
    if (!op->active) {
        *op = *call;
        op->command = call->command ? strdup(call->command) : NULL;
        if (call->command && op->command == NULL)
            rc = SSHKIT_E_NOMEM;
        if (rc == 0)
            rc = sk_open_op_start(c, op);
        if (rc) {
            sk_open_op_clear(op);
            return rc;
        }
    }
    rc = sk_client_drive(c, open_step, op);
    if (rc == SSHKIT_E_AGAIN)
        return rc;
    if (rc == 0) {
        *channel = op->ch;
        op->ch = NULL;
    }
    sk_open_op_clear(op);
    return rc;
}

int sshkit_client_exec(sshkit_client *c, const char *command, sshkit_channel **channel)
{
    if (channel)
        *channel = NULL;
    if (c == NULL || command == NULL || channel == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    struct sk_open_op call = { .command = (char *)command };
    return open_call(c, &call, channel);
}

int sshkit_client_shell(sshkit_client *c, const char *term, unsigned cols, unsigned rows,
                        sshkit_channel **channel)
{
    if (channel)
        *channel = NULL;
    if (c == NULL || channel == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    struct sk_open_op call = { .shell = true, .cols = cols ? cols : 80, .rows = rows ? rows : 24 };
    snprintf(call.term, sizeof call.term, "%s", term ? term : "xterm");
    return open_call(c, &call, channel);
}
