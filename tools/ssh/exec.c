/* sshkit-ssh: a session channel for the command (its words joined with
 * spaces, as ssh) or a shell, with a pty when decided so; the relay runs
 * it; the exit status is the remote command's, 255 when none came (a
 * command killed by a signal, as ssh), or on any failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent_fwd.h"
#include "relay.h"

#define SSH_DISCONNECT_BY_APPLICATION 11
#define SESSION_DISCONNECT_MS 5000

char *command_join(char **words, int count)
{
    size_t len = 1;
    for (int i = 0; i < count; i++)
        len += strlen(words[i]) + 1;
    if (count == 0)
        return NULL;
    char *cmd = malloc(len), *p = cmd;
    for (int i = 0; cmd && i < count; i++) {
        size_t n = strlen(words[i]);
        if (i > 0)
            *p++ = ' ';
        memcpy(p, words[i], n);
        p += n;
    }
    if (cmd)
        *p = '\0';
    return cmd;
}

const char *open_failure_text(unsigned reason)
{
    switch (reason) {
    case SSHKIT_OPEN_ADMINISTRATIVELY_PROHIBITED: return "administratively prohibited";
    case SSHKIT_OPEN_CONNECT_FAILED: return "connect failed";
    case SSHKIT_OPEN_UNKNOWN_CHANNEL_TYPE: return "unknown channel type";
    case SSHKIT_OPEN_RESOURCE_SHORTAGE: return "resource shortage";
    default: return "unknown reason";
    }
}

/* What ssh says as a pty session ends (not after a failure of its own). */
static void closing_words(const struct ssh_options *o)
{
    if (o->want_pty && log_enabled(SSH_LOG_INFO))
        fprintf(stderr, "Connection to %s closed.\r\n", o->host);
}

/* Opens the session channel and waits for the answer; messages as ssh. */
static sshkit_channel *open_session(const struct ssh_options *o, sshkit_session *s, int fd,
                                    const char *addr)
{
    sshkit_channel *ch;
    if (sshkit_channel_open_session(s, &ch) != 0) {
        log_at(SSH_LOG_ERROR, "ssh: cannot open a session channel");
        return NULL;
    }
    for (;;) {
        sshkit_event ev;
        int rc = sshkit_blocking_wait_event(s, fd, &ev, SSHKIT_IO_NO_TIMEOUT);
        if (rc < 0 || ev.type == SSHKIT_EVENT_DISCONNECTED) {
            if (rc < 0)
                ev.type = SSHKIT_EVENT_NONE;
            report_disconnect(s, &ev, addr, o->port);
            break;
        }
        if (ev.type == SSHKIT_EVENT_CHANNEL_OPENED && ev.u.channel.channel == ch)
            return ch;
        if (ev.type == SSHKIT_EVENT_CHANNEL_OPEN_FAILED && ev.u.channel.channel == ch) {
            const char *msg = ev.u.channel.message;
            log_at(SSH_LOG_ERROR, "channel 0: open failed: %s: %s",
                   open_failure_text(ev.u.channel.reason), msg ? msg : "");
            closing_words(o);
            break;
        }
    }
    sshkit_channel_free(ch);
    return NULL;
}

/* pty-req when wanted, then exec or shell; the answers come to the relay. */
static int make_requests(const struct ssh_options *o, struct relay *r)
{
    char *cmd = command_join(o->command, o->command_count);
    int rc = 0;
    if (o->command_count > 0 && cmd == NULL)
        return SSHKIT_E_NOMEM;
    agent_fwd_request(r->agent, r->ch);
    if (o->want_pty) {
        rc = shell_request_pty(r->ch, STDIN_FILENO);
        r->pty_pending = rc == 0;
    }
    if (rc == 0 && cmd) {
        log_at(SSH_LOG_DEBUG1, "Sending command: %s", cmd);
        rc = sshkit_channel_exec(r->ch, cmd);
    } else if (rc == 0) {
        rc = sshkit_channel_shell(r->ch);
    }
    r->request = cmd ? "exec" : "shell";
    r->request_pending = rc == 0;
    free(cmd);
    return rc;
}

/* The exit status once the relay is over, and ssh's closing words. */
static int finish(const struct ssh_options *o, struct relay *r)
{
    unsigned status;
    int result = SSH_EXIT_FAILURE;
    if (!r->lost && sshkit_channel_exit_status(r->ch, &status) == 0)
        result = (int)status;
    const char *sig = sshkit_channel_exit_signal(r->ch);
    if (sig)
        log_at(SSH_LOG_DEBUG1, "remote command killed by signal %s", sig);
    if (!r->lost && !r->fatal)
        closing_words(o);
    if (!r->lost)
        sshkit_blocking_disconnect(r->s, r->fd, SSH_DISCONNECT_BY_APPLICATION,
                                   "disconnected by user", SESSION_DISCONNECT_MS);
    return result;
}

int session_run(const struct ssh_options *o, sshkit_session *s, int fd, const char *addr,
                struct fwd *fwd)
{
    sshkit_channel *ch = open_session(o, s, fd, addr);
    if (ch == NULL)
        return SSH_EXIT_FAILURE;
    struct relay *r = calloc(1, sizeof *r);
    int status = SSH_EXIT_FAILURE;
    if (r != NULL) {
        *r = (struct relay){ .opt = o, .s = s, .fd = fd, .addr = addr, .ch = ch,
                             .agent = agent_fwd_new(o), .fwd = fwd };
        if (make_requests(o, r) == 0)
            relay_run(r);
        else
            log_at(SSH_LOG_ERROR, "ssh: cannot send the session's requests");
        status = finish(o, r);
        agent_fwd_free(r->agent);
    }
    sshkit_channel_free(ch);
    free(r);
    return status;
}
