/* Whole-file transfers: the object an application steps, the failure
 * path shared by get and put, and the blocking sshkit_sftp_get/put. */
#include "sftp/client_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sshkit/error.h>

void sshkit_sftp_transfer_options_init(sshkit_sftp_transfer_options *opt)
{
    memset(opt, 0, sizeof *opt);
}

int sk_sftp_transfer_new(sshkit_sftp *sftp, bool get, const char *remote, const char *local,
                         const sshkit_sftp_transfer_options *opt, sshkit_sftp_transfer **out)
{
    sshkit_sftp_transfer *t = calloc(1, sizeof *t);
    if (t == NULL)
        return SSHKIT_E_NOMEM;
    t->remote = strdup(remote);
    t->local = strdup(local);
    if (t->remote == NULL || t->local == NULL) {
        free(t->remote);
        free(t->local);
        free(t);
        return SSHKIT_E_NOMEM;
    }
    t->sftp = sftp;
    t->get = get;
    if (opt)
        t->opt = *opt;
    t->stage = SK_T_START;
    t->result = SSHKIT_E_AGAIN;
    t->fd = -1;
    sk_sftp_ask_init(&t->ask);
    t->next = sftp->transfers;
    if (sftp->transfers)
        sftp->transfers->prev = t;
    sftp->transfers = t;
    *out = t;
    return 0;
}

static int start(sshkit_sftp *sftp, bool get, const char *remote, const char *local,
                 const sshkit_sftp_transfer_options *opt, sshkit_sftp_transfer **transfer)
{
    if (sftp == NULL || remote == NULL || local == NULL || transfer == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    if (sftp->fatal)
        return sftp->fatal;
    return sk_sftp_transfer_new(sftp, get, remote, local, opt, transfer);
}

int sshkit_sftp_get_start(sshkit_sftp *sftp, const char *remote_path, const char *local_path,
                          const sshkit_sftp_transfer_options *opt, sshkit_sftp_transfer **transfer)
{
    return start(sftp, true, remote_path, local_path, opt, transfer);
}

int sshkit_sftp_put_start(sshkit_sftp *sftp, const char *local_path, const char *remote_path,
                          const sshkit_sftp_transfer_options *opt, sshkit_sftp_transfer **transfer)
{
    return start(sftp, false, remote_path, local_path, opt, transfer);
}

int sk_sftp_transfer_fail(sshkit_sftp_transfer *t, int error)
{
    if (t->result != SSHKIT_E_AGAIN)
        return t->result;
    sshkit_sftp *sftp = t->sftp;
    t->result = error;
    t->status = error == SSHKIT_E_SFTP_STATUS ? sftp->last_status : SSHKIT_SFTP_OK;
    snprintf(t->message, sizeof t->message, "%s", sftp->last_message);
    snprintf(t->error_text, sizeof t->error_text, "%s", sftp->last_error);
    uint64_t in_order = t->pipe.in_order;
    sk_sftp_pipe_free(sftp, &t->pipe);
    if (t->ask.waiting)
        sk_sftp_orphan(sftp, t->ask.id);
    t->ask.waiting = t->ask.answered = false;
    if (t->handle_open)
        sk_sftp_close_quietly(sftp, t->handle, t->handle_len);
    t->handle_open = false;
    if (t->fd >= 0) {
        /* Keep only what arrived in order, so that a resume continues right. */
        if (t->get && t->stage == SK_T_DATA && ftruncate(t->fd, (off_t)in_order) != 0)
            (void)0;    /* the failure being reported matters more */
        close(t->fd);
        t->fd = -1;
    }
    return error;
}

/* Says again why a transfer failed (other calls may have changed it). */
static int failed(sshkit_sftp_transfer *t)
{
    sshkit_sftp *sftp = t->sftp;
    if (t->result == SSHKIT_E_SFTP_STATUS) {
        sftp->last_status = t->status;
        snprintf(sftp->last_message, sizeof sftp->last_message, "%s", t->message);
    }
    snprintf(sftp->last_error, sizeof sftp->last_error, "%s", t->error_text);
    return t->result;
}

void sk_sftp_transfer_report(sshkit_sftp_transfer *t)
{
    if (t->pipe.in_order == t->reported && t->reported_once)
        return;
    t->reported = t->pipe.in_order;
    t->reported_once = true;
    if (t->opt.progress)
        t->opt.progress(t->opt.progress_user, t->reported, t->total);
}

sk_buf *sk_sftp_transfer_request(sshkit_sftp_transfer *t, uint8_t type, size_t *start)
{
    uint32_t id;
    sk_buf *b = sk_sftp_request(t->sftp, type, &id, start);
    sk_sftp_ask_sent(&t->ask, id);
    return b;
}

int sk_sftp_transfer_sent(sshkit_sftp_transfer *t, size_t start)
{
    return sk_sftp_request_end(t->sftp, start);
}

int sk_sftp_transfer_answer(sshkit_sftp_transfer *t, sk_sftp_reply *reply)
{
    if (t->ask.waiting)
        return SSHKIT_E_AGAIN;
    if (sk_sftp_ask_reply(&t->ask, reply))
        return sk_sftp_fail(t->sftp, SSHKIT_E_PROTOCOL, "server sent a truncated reply");
    return 0;
}

int sk_sftp_transfer_close(sshkit_sftp_transfer *t)
{
    size_t start;
    sk_buf *b = sk_sftp_transfer_request(t, SK_FXP_CLOSE, &start);
    sk_write_string(b, t->handle, t->handle_len);
    t->handle_open = false;     /* whatever the answer, the handle is gone */
    t->stage = SK_T_CLOSE;
    int rc = sk_sftp_transfer_sent(t, start);
    return rc ? rc : SSHKIT_E_AGAIN;
}

int sk_sftp_transfer_closed(sshkit_sftp_transfer *t)
{
    sk_sftp_reply reply;
    int rc = sk_sftp_transfer_answer(t, &reply);
    if (rc)
        return rc;
    rc = reply.type == SK_FXP_STATUS ? sk_sftp_status(t->sftp, &reply)
                                     : sk_sftp_expect(t->sftp, &reply, SK_FXP_STATUS, "CLOSE");
    if (rc)
        return rc;
    int fd = t->fd;
    t->fd = -1;
    if (fd >= 0 && close(fd) != 0)
        return sk_sftp_error(t->sftp, SSHKIT_E_IO, "%s: %s", t->local, strerror(errno));
    t->stage = SK_T_DONE;
    t->result = 0;
    sk_sftp_transfer_report(t);
    return 0;
}

bool sk_sftp_transfer_dispatch(sshkit_sftp *sftp, uint32_t id, const uint8_t *pkt, size_t len)
{
    for (sshkit_sftp_transfer *t = sftp->transfers; t; t = t->next) {
        if (t->result != SSHKIT_E_AGAIN)
            continue;
        if (sk_sftp_ask_take(&t->ask, id, pkt, len))
            return true;
        if (t->pipe.blocks && (t->get ? sk_sftp_get_data(t, id, pkt, len)
                                      : sk_sftp_put_ack(t, id, pkt, len)))
            return true;
    }
    return false;
}

int sshkit_sftp_transfer_step(sshkit_sftp_transfer *t)
{
    if (t == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    if (t->result != SSHKIT_E_AGAIN)
        return t->result == 0 ? 0 : failed(t);
    sshkit_sftp *sftp = t->sftp;
    int rc = sk_sftp_handshake_step(sftp);
    if (rc == SSHKIT_E_AGAIN)
        return rc;
    /* Step and pump until neither moves: the answers handled may let
     * more requests go. */
    for (unsigned rounds = 0; rc == 0 && rounds < 64; rounds++) {
        int stage = t->stage;
        uint64_t received = sftp->received;
        uint32_t sent = sftp->next_id;
        rc = t->get ? sk_sftp_get_step(t) : sk_sftp_put_step(t);
        if (rc != SSHKIT_E_AGAIN)
            break;
        size_t backlog = sk_sftp_backlog(sftp);
        rc = sk_sftp_pump(sftp);
        if (rc == 0 && t->result != SSHKIT_E_AGAIN)
            break;
        /* Nothing answered, nothing new asked, nothing more sent: wait. */
        if (rc == 0 && stage == t->stage && received == sftp->received &&
            sent == sftp->next_id && backlog == sk_sftp_backlog(sftp))
            return SSHKIT_E_AGAIN;
    }
    if (rc && rc != SSHKIT_E_AGAIN)
        sk_sftp_transfer_fail(t, rc);
    if (t->result == SSHKIT_E_AGAIN)
        return SSHKIT_E_AGAIN;
    return t->result == 0 ? 0 : failed(t);
}

void sshkit_sftp_transfer_progress(const sshkit_sftp_transfer *t, uint64_t *done, uint64_t *total)
{
    if (done)
        *done = t->reported;
    if (total)
        *total = t->total;
}

void sshkit_sftp_transfer_free(sshkit_sftp_transfer *t)
{
    if (t == NULL)
        return;
    sshkit_sftp *sftp = t->sftp;
    if (t->result == SSHKIT_E_AGAIN)
        sk_sftp_transfer_fail(t, SSHKIT_E_STATE);
    if (t->prev)
        t->prev->next = t->next;
    else
        sftp->transfers = t->next;
    if (t->next)
        t->next->prev = t->prev;
    sk_sftp_pipe_free(sftp, &t->pipe);
    sk_sftp_ask_free(NULL, &t->ask);
    free(t->remote);
    free(t->local);
    free(t);
}

/* sshkit_sftp_get / sshkit_sftp_put: a transfer run as the session's call. */
static int run(sshkit_sftp *sftp, bool get, const char *remote, const char *local,
               const sshkit_sftp_transfer_options *opt)
{
    if (sftp == NULL || remote == NULL || local == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    int rc = sk_sftp_call_enter(sftp, get ? SK_OP_GET : SK_OP_PUT, NULL);
    if (rc < 0)
        return rc;
    if (rc == 1 && (rc = sk_sftp_transfer_new(sftp, get, remote, local, opt,
                                              &sftp->call.transfer)) != 0)
        return sk_sftp_call_leave(sftp, rc);
    for (;;) {
        rc = sshkit_sftp_transfer_step(sftp->call.transfer);
        if (rc != SSHKIT_E_AGAIN || (rc = sk_sftp_wait(sftp)) != 0)
            break;
    }
    return sk_sftp_call_leave(sftp, rc);
}

int sshkit_sftp_get(sshkit_sftp *sftp, const char *remote_path, const char *local_path,
                    const sshkit_sftp_transfer_options *opt)
{
    return run(sftp, true, remote_path, local_path, opt);
}

int sshkit_sftp_put(sshkit_sftp *sftp, const char *local_path, const char *remote_path,
                    const sshkit_sftp_transfer_options *opt)
{
    return run(sftp, false, remote_path, local_path, opt);
}
