/* The SFTP server engine: its life, its settings, the bytes in and out, and
 * the loop that takes whole requests while their replies have room. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

#include "sftp/server.h"

int sshkit_sftp_server_new(const sshkit_sftp_server_ops *ops, void *ctx,
                           sshkit_sftp_server **out)
{
    if (out)
        *out = NULL;
    if (ops == NULL || out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    sshkit_sftp_server *s = calloc(1, sizeof *s);
    if (s == NULL)
        return SSHKIT_E_NOMEM;
    s->ops = ops;
    s->ctx = ctx;
    sk_buf_init(&s->out);
    s->max_handles = SSHKIT_SFTP_DEFAULT_MAX_HANDLES;
    s->free_head = UINT32_MAX;
    *out = s;
    return 0;
}

void sshkit_sftp_server_free(sshkit_sftp_server *s)
{
    if (s == NULL)
        return;
    sk_sftps_handles_free(s);
    free(s->in);
    free(s->copy_buf);
    sk_buf_free(&s->out);
    free(s);
}

int sshkit_sftp_server_set_max_handles(sshkit_sftp_server *s, unsigned max)
{
    if (s == NULL || max > SK_SFTPS_MAX_HANDLES_LIMIT)
        return SSHKIT_E_INVALID_ARGUMENT;
    s->max_handles = max ? max : SSHKIT_SFTP_DEFAULT_MAX_HANDLES;
    return 0;
}

void sshkit_sftp_server_set_read_only(sshkit_sftp_server *s, bool read_only)
{
    if (s)
        s->read_only = read_only;
}

void sshkit_sftp_server_set_log(sshkit_sftp_server *s, sshkit_log_level level, sshkit_log_fn log,
                                void *user)
{
    if (s == NULL)
        return;
    s->log = log;
    s->log_user = user;
    s->log_level = level;
}

/* Ends the server: every later call returns error. The reason is logged. */
void sk_sftps_fail(sshkit_sftp_server *s, int error, const char *fmt, ...)
{
    char line[256];
    va_list ap;

    if (s->final)
        return;
    s->final = error;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    sk_sftps_log(s, SSHKIT_LOG_ERROR, "%s", line);
}

size_t sk_sftps_out_pending(const sshkit_sftp_server *s)
{
    return s->out.len - s->out_pos;
}

/* ---- input ---- */

int sshkit_sftp_server_receive_buffer(sshkit_sftp_server *s, uint8_t **data, size_t *room)
{
    if (s == NULL || data == NULL || room == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *data = NULL;
    *room = 0;
    if (s->final)
        return s->final;
    if (s->in == NULL && (s->in = malloc(SK_SFTPS_IN_CAP)) == NULL)
        return SSHKIT_E_NOMEM;
    if (s->in_pos > 0) {        /* what is left is part of one packet at most */
        memmove(s->in, s->in + s->in_pos, s->in_len - s->in_pos);
        s->in_len -= s->in_pos;
        s->in_pos = 0;
    }
    *data = s->in + s->in_len;
    *room = SK_SFTPS_IN_CAP - s->in_len;
    return 0;
}

int sshkit_sftp_server_received(sshkit_sftp_server *s, size_t len)
{
    if (s == NULL || s->in == NULL || len > SK_SFTPS_IN_CAP - s->in_len)
        return SSHKIT_E_INVALID_ARGUMENT;
    s->in_len += len;
    return sshkit_sftp_server_process(s);
}

int sshkit_sftp_server_receive(sshkit_sftp_server *s, const void *data, size_t len)
{
    uint8_t *room_at;
    size_t room;
    int rc = sshkit_sftp_server_receive_buffer(s, &room_at, &room);

    if (rc != 0)
        return rc;
    if (len && data == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    size_t n = len < room ? len : room;
    if (n > (size_t)INT32_MAX)
        n = INT32_MAX;
    memcpy(room_at, data, n);
    rc = sshkit_sftp_server_received(s, n);
    return rc < 0 ? rc : (int)n;
}

void sshkit_sftp_server_end_input(sshkit_sftp_server *s)
{
    if (s)
        s->input_ended = true;
}

/* ---- output ---- */

size_t sshkit_sftp_server_pending(sshkit_sftp_server *s, const uint8_t **data)
{
    if (s == NULL || data == NULL)
        return 0;
    *data = s->out.data ? s->out.data + s->out_pos : NULL;
    return sk_sftps_out_pending(s);
}

void sshkit_sftp_server_sent(sshkit_sftp_server *s, size_t len)
{
    if (s == NULL)
        return;
    if (len > sk_sftps_out_pending(s))
        len = sk_sftps_out_pending(s);
    s->out_pos += len;
    if (s->out_pos == s->out.len) {
        sk_buf_reset(&s->out);
        s->out_pos = 0;
    } else if (s->out_pos >= s->out.len - s->out_pos) {
        /* The sent part is as large as the rest: move the rest to the front. */
        memmove(s->out.data, s->out.data + s->out_pos, s->out.len - s->out_pos);
        s->out.len -= s->out_pos;
        s->out_pos = 0;
    }
}

/* ---- the request loop ---- */

/* Takes the next whole packet, if there is one and its reply has room:
 * true when one was handled. */
static bool take_one(sshkit_sftp_server *s)
{
    size_t avail = s->in_len - s->in_pos;
    long n = sk_sftp_frame(s->in + s->in_pos, avail, SK_SFTP_MAX_PACKET);

    if (n == 0)
        return false;
    if (n < 0) {
        if (n == SSHKIT_E_TOO_LARGE)
            sk_sftps_fail(s, SSHKIT_E_TOO_LARGE, "SFTP packet of %u bytes is over the limit of %u",
                          sk_load_u32(s->in + s->in_pos), SK_SFTP_MAX_PACKET);
        else
            sk_sftps_fail(s, SSHKIT_E_PROTOCOL, "empty SFTP packet");
        return false;
    }
    sk_sftps_handle_packet(s, s->in + s->in_pos + 4, (size_t)n - 4);
    s->in_pos += (size_t)n;
    if (s->in_pos == s->in_len)
        s->in_pos = s->in_len = 0;
    if (sk_buf_error(&s->out))
        sk_sftps_fail(s, sk_buf_error(&s->out), "cannot queue a reply: %s",
                      sshkit_strerror(sk_buf_error(&s->out)));
    return true;
}

int sshkit_sftp_server_process(sshkit_sftp_server *s)
{
    if (s == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    if (s->final)
        return s->final;
    if (s->copy.active) {
        if (sk_sftps_out_pending(s) >= SK_SFTPS_OUT_HIGH)
            return 0;
        if (sk_sftps_copy_step(s))
            return s->final ? s->final : 1;
    }
    while (!s->final && s->in && sk_sftps_out_pending(s) < SK_SFTPS_OUT_HIGH && !s->copy.active)
        if (!take_one(s))
            break;
    if (s->final)
        return s->final;
    if (s->copy.active)
        return 1;
    bool whole_left = s->in && sk_sftp_frame(s->in + s->in_pos, s->in_len - s->in_pos,
                                             SK_SFTP_MAX_PACKET) != 0;
    if (s->input_ended && !whole_left) {
        s->final = SSHKIT_E_CLOSED;
        return s->final;
    }
    return 0;
}
