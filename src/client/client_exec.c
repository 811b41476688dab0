/* Commands and shells over the client: open a session channel, make a
 * request, stream data, wait for the end. */
#include "client/client_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

/* Waits until the channel has left the opening state. */
static int wait_open(sshkit_client *c, sshkit_channel *ch)
{
    while (ch->state == SK_CH_OPENING) {
        int rc = sk_client_pump(c);
        if (rc)
            return rc;
    }
    return ch->state == SK_CH_OPEN ? 0 : SSHKIT_E_REFUSED;
}

/* Waits for the answers to every request we made on the channel; whether
 * all were granted. */
static int wait_requests(sshkit_client *c, sshkit_channel *ch, bool *granted)
{
    *granted = true;
    while (ch->our_requests_pending > 0) {
        sshkit_event ev;
        int rc = sshkit_blocking_wait_event(c->session, c->fd, &ev, c->timeout_ms);
        if (rc < 0)
            return rc;
        if (ev.type == SSHKIT_EVENT_CHANNEL_REQUEST_RESULT && ev.u.channel.channel == ch)
            *granted = *granted && ev.u.channel.success;
        if (ev.type == SSHKIT_EVENT_DISCONNECTED)
            return ev.u.disconnect.error ? ev.u.disconnect.error : SSHKIT_E_CLOSED;
        /* A quick command's success, output and close can all be handled
         * in one read: only a close before the answers is a refusal. */
        if (ch->our_requests_pending > 0 && ch->state != SK_CH_OPEN)
            return SSHKIT_E_REFUSED;
    }
    return 0;
}

/* Opens a session channel and runs the requests made by start(). */
static int open_and_request(sshkit_client *c, sshkit_channel **out,
                            int (*start)(sshkit_channel *, const void *), const void *arg)
{
    sshkit_channel *ch;
    *out = NULL;
    int rc = sshkit_channel_open_session(c->session, &ch);
    if (rc == 0)
        rc = wait_open(c, ch);
    if (rc == 0)
        rc = sk_client_send_env(c, ch);
    if (rc == 0)
        rc = start(ch, arg);
    bool granted = false;
    if (rc == 0)
        rc = wait_requests(c, ch, &granted);
    if (rc == 0 && !granted)
        rc = SSHKIT_E_REFUSED;
    if (rc) {
        sshkit_channel_free(ch);
        return rc;
    }
    *out = ch;
    return 0;
}

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

int sk_client_send_env(const sshkit_client *c, sshkit_channel *ch)
{
    for (size_t i = 0; c->env && c->env[i]; i++) {
        char *eq = strchr(c->env[i], '=');
        *eq = '\0';
        int rc = sshkit_channel_setenv(ch, c->env[i], eq + 1);
        *eq = '=';
        if (rc)
            return rc;
    }
    return 0;
}

static int start_exec(sshkit_channel *ch, const void *command)
{
    return sshkit_channel_exec(ch, command);
}

int sshkit_client_exec(sshkit_client *c, const char *command, sshkit_channel **channel)
{
    if (c == NULL || command == NULL || channel == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    return open_and_request(c, channel, start_exec, command);
}

struct shell_args {
    const char *term;
    unsigned cols, rows;
};

static int start_shell(sshkit_channel *ch, const void *arg)
{
    const struct shell_args *a = arg;
    int rc = sshkit_channel_request_pty(ch, a->term, a->cols, a->rows, NULL, 0);
    return rc ? rc : sshkit_channel_shell(ch);
}

int sshkit_client_shell(sshkit_client *c, const char *term, unsigned cols, unsigned rows,
                        sshkit_channel **channel)
{
    if (c == NULL || channel == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    struct shell_args a = { term ? term : "xterm", cols ? cols : 80, rows ? rows : 24 };
    return open_and_request(c, channel, start_shell, &a);
}

int sshkit_client_write(sshkit_client *c, sshkit_channel *ch, const void *data, size_t len)
{
    const uint8_t *p = data;
    size_t off = 0;
    while (off < len) {
        int n = sshkit_channel_write(ch, 0, p + off, len - off);
        if (n > 0) {
            off += (size_t)n;
            continue;
        }
        if (n != SSHKIT_E_AGAIN)
            return n;
        int rc = sk_client_pump(c);     /* wait for window */
        if (rc)
            return rc;
    }
    return 0;
}

int sshkit_client_read(sshkit_client *c, sshkit_channel *ch, int stream, void *buf, size_t cap)
{
    for (;;) {
        int n = sshkit_channel_read(ch, stream, buf, cap);
        if (n != SSHKIT_E_AGAIN)
            return n;
        int rc = sk_client_pump(c);
        if (rc)
            return rc;
    }
}

/* Reads whatever the channel holds on a stream into a growing buffer. */
static int drain(sshkit_channel *ch, int stream, uint8_t **buf, size_t *len, size_t *cap)
{
    for (;;) {
        if (*cap - *len < 16384) {
            size_t bigger = *cap ? *cap * 2 : 65536;
            uint8_t *p = realloc(*buf, bigger);
            if (p == NULL)
                return SSHKIT_E_NOMEM;
            *buf = p;
            *cap = bigger;
        }
        int n = sshkit_channel_read(ch, stream, *buf + *len, *cap - *len);
        if (n <= 0)
            return 0;
        *len += (size_t)n;
    }
}

static void exit_of(const sshkit_channel *ch, int *status, char *signal, size_t cap)
{
    unsigned st;
    *status = sshkit_channel_exit_status(ch, &st) == 0 ? (int)st : -1;
    const char *sig = sshkit_channel_exit_signal(ch);
    if (signal && cap)
        snprintf(signal, cap, "%s", sig ? sig : "");
}

int sshkit_client_wait(sshkit_client *c, sshkit_channel *ch, int *exit_status)
{
    uint8_t sink[16384];
    while (ch->state == SK_CH_OPEN && !ch->close_received) {
        while (sshkit_channel_read(ch, 0, sink, sizeof sink) > 0 ||
               sshkit_channel_read(ch, 1, sink, sizeof sink) > 0)
            continue;   /* unread output would hold the window shut */
        int rc = sk_client_pump(c);
        if (rc)
            return rc;
    }
    exit_of(ch, exit_status, NULL, 0);
    return 0;
}

int sshkit_client_run(sshkit_client *c, const char *command, const void *input, size_t input_len,
                      sshkit_exec_result *r)
{
    memset(r, 0, sizeof *r);
    r->exit_status = -1;
    sshkit_channel *ch;
    int rc = sshkit_client_exec(c, command, &ch);
    if (rc)
        return rc;
    size_t cap[2] = { 0, 0 };
    const uint8_t *in = input;
    size_t sent = 0;
    bool eof_sent = false;
    while (rc == 0 && ch->state == SK_CH_OPEN && !ch->close_received) {
        if (sent < input_len) {
            int n = sshkit_channel_write(ch, 0, in + sent, input_len - sent);
            if (n > 0)
                sent += (size_t)n;
        }
        if (sent == input_len && !eof_sent)
            eof_sent = sshkit_channel_send_eof(ch) == 0;
        rc = drain(ch, 0, &r->out, &r->out_len, &cap[0]);
        if (rc == 0)
            rc = drain(ch, 1, &r->err, &r->err_len, &cap[1]);
        if (rc == 0 && !ch->close_received)
            rc = sk_client_pump(c);
    }
    if (rc == 0)
        rc = drain(ch, 0, &r->out, &r->out_len, &cap[0]);
    if (rc == 0)
        rc = drain(ch, 1, &r->err, &r->err_len, &cap[1]);
    exit_of(ch, &r->exit_status, r->signal, sizeof r->signal);
    sshkit_channel_free(ch);
    return rc;
}

void sshkit_exec_result_free(sshkit_exec_result *r)
{
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof *r);
    r->exit_status = -1;
}
