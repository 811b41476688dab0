/* sshkit_client_run(): a command to its end, its input sent, its output
 * and error streams and its exit status collected. */
#include "client/client_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

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

static int drain_both(struct sk_run_op *run)
{
    int rc = drain(run->ch, 0, &run->out[0], &run->len[0], &run->cap[0]);
    return rc ? rc : drain(run->ch, 1, &run->out[1], &run->len[1], &run->cap[1]);
}

/* Input as the window allows, then EOF. */
static void feed_input(struct sk_run_op *run)
{
    while (run->sent < run->input_len) {
        int n = sshkit_channel_write(run->ch, 0, run->input + run->sent,
                                     run->input_len - run->sent);
        if (n <= 0)
            break;
        run->sent += (size_t)n;
    }
    if (run->sent == run->input_len && !run->eof_sent)
        run->eof_sent = sshkit_channel_send_eof(run->ch) == 0;
}

/* The command's channel: open, exec, granted. */
static int start_command(sshkit_client *c, struct sk_run_op *run)
{
    for (;;) {
        int rc = sk_open_op_advance(&run->open);
        if (rc == 0) {
            run->ch = run->open.ch;
            run->open.ch = NULL;
            sk_open_op_clear(&run->open);
            return 0;
        }
        if (rc != SSHKIT_E_AGAIN || (rc = sk_client_step(c)) != 0)
            return rc;
    }
}

static int run_step(sshkit_client *c, void *arg)
{
    struct sk_run_op *run = arg;
    int rc = run->ch ? 0 : start_command(c, run);
    while (rc == 0) {
        feed_input(run);
        if ((rc = drain_both(run)) != 0)
            return rc;
        if (run->ch->state != SK_CH_OPEN || run->ch->close_received)
            return 0;
        rc = sk_client_step(c);
    }
    return rc;
}

void sk_run_op_event(sshkit_client *c, const sshkit_event *ev)
{
    if (c->run.active && c->run.ch == NULL)
        sk_open_op_event(&c->run.open, ev);
}

void sk_run_op_clear(struct sk_run_op *run)
{
    sk_open_op_clear(&run->open);
    sshkit_channel_free(run->ch);
    free(run->command);
    free(run->out[0]);
    free(run->out[1]);
    memset(run, 0, sizeof *run);
}

static int start_run(sshkit_client *c, const char *command, const void *input, size_t len)
{
    struct sk_run_op *run = &c->run;
    run->active = true;
    run->command = strdup(command);
    run->open.command = strdup(command);
    run->input = input;
    run->input_len = len;
    int rc = run->command && run->open.command ? sk_open_op_start(c, &run->open)
                                               : SSHKIT_E_NOMEM;
    if (rc)
        sk_run_op_clear(run);
    return rc;
}

/* Hands what the run collected to the caller, and ends it. */
static void finish_run(struct sk_run_op *run, sshkit_exec_result *r)
{
    if (run->ch) {
        (void)drain_both(run);
        sk_client_exit_of(run->ch, &r->exit_status, r->signal, sizeof r->signal);
    }
    r->out = run->out[0];
    r->out_len = run->len[0];
    r->err = run->out[1];
    r->err_len = run->len[1];
    run->out[0] = run->out[1] = NULL;
    sk_run_op_clear(run);
}

int sshkit_client_run(sshkit_client *c, const char *command, const void *input, size_t input_len,
                      sshkit_exec_result *r)
{
    if (r == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    memset(r, 0, sizeof *r);
    r->exit_status = -1;
    if (c == NULL || command == NULL || (input == NULL && input_len > 0))
        return SSHKIT_E_INVALID_ARGUMENT;
    struct sk_run_op *run = &c->run;
    int rc = sk_client_usable(c);
    if (rc) {
        if (run->active)
            sk_run_op_clear(run);
        return rc;
    }
    if (run->active && (strcmp(run->command, command) != 0 || run->input != input ||
                        run->input_len != input_len))
        return SSHKIT_E_STATE;      /* one run at a time: finish it first */
    if (!run->active && (rc = start_run(c, command, input, input_len)) != 0)
        return rc;
    rc = sk_client_drive(c, run_step, run);
    if (rc != SSHKIT_E_AGAIN)
        finish_run(run, r);
    return rc;
}

void sshkit_exec_result_free(sshkit_exec_result *r)
{
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof *r);
    r->exit_status = -1;
}
