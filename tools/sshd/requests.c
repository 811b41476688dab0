/* A session channel's requests (RFC 4254 section 6): pty-req, env,
 * window-change, exec, shell, subsystem, signal. Every request with
 * want_reply gets its answer, in order. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_fwd.h"
#include "channels.h"
#include "log.h"
#include "match.h"

#define MAX_TERM_CELLS 10000        /* columns or rows */
#define MAX_TERM_PIXELS 100000

/* A bounds-checked reader of a request's fields. */
struct rd {
    const uint8_t *p;
    size_t n;
    bool bad;
};

static uint32_t rd_u32(struct rd *r)
{
    if (r->n < 4) {
        r->bad = true;
        return 0;
    }
    uint32_t v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 | (uint32_t)r->p[2] << 8 | r->p[3];
    r->p += 4;
    r->n -= 4;
    return v;
}

/* A string's bytes (not terminated); *len its length. */
static const uint8_t *rd_bytes(struct rd *r, size_t *len)
{
    *len = rd_u32(r);
    if (r->bad || *len > r->n) {
        r->bad = true;
        *len = 0;
        return NULL;
    }
    const uint8_t *v = r->p;
    r->p += *len;
    r->n -= *len;
    return v;
}

/* A string without NULs, copied and terminated (free it); NULL when bad. */
static char *rd_cstring(struct rd *r, size_t max)
{
    size_t len;
    const uint8_t *v = rd_bytes(r, &len);
    if (v == NULL || len > max || memchr(v, 0, len))
        return NULL;
    char *s = malloc(len + 1);
    if (s) {
        memcpy(s, v, len);
        s[len] = '\0';
    }
    return s;
}

static bool rd_winsize(struct rd *r, struct winsize *ws)
{
    uint32_t cols = rd_u32(r), rows = rd_u32(r), xpx = rd_u32(r), ypx = rd_u32(r);
    if (r->bad || cols > MAX_TERM_CELLS || rows > MAX_TERM_CELLS || xpx > MAX_TERM_PIXELS ||
        ypx > MAX_TERM_PIXELS)
        return false;
    *ws = (struct winsize){ .ws_col = (unsigned short)cols, .ws_row = (unsigned short)rows,
                            .ws_xpixel = (unsigned short)xpx, .ws_ypixel = (unsigned short)ypx };
    return true;
}

/* An option of the accepted authorized_keys line, or NULL. */
static const char *key_option(const struct sess *s, const char *name, bool *present)
{
    const sshkit_authorized_key *ak = s->c->auth.key_line;
    int i = ak ? sshkit_authorized_key_find_option(ak, name, 0) : -1;
    const char *value = NULL;
    *present = i >= 0;
    if (i >= 0)
        sshkit_authorized_key_option(ak, (size_t)i, NULL, &value);
    return value;
}

static bool req_pty(struct sess *s, struct rd *r)
{
    bool no_pty;
    key_option(s, "no-pty", &no_pty);
    char *term = rd_cstring(r, 256);
    struct winsize ws;
    bool ok = term && rd_winsize(r, &ws);
    size_t mlen = 0;
    const uint8_t *modes = ok ? rd_bytes(r, &mlen) : NULL;
    ok = ok && modes && !r->bad && !no_pty && s->master < 0 && !s->started;
    if (ok)
        ok = pty_open(s, term, &ws, modes, mlen) == 0;
    else
        log_verbose("%s: pty request refused%s", s->c->label, no_pty ? " by no-pty" : "");
    free(term);
    return ok;
}

static bool req_window_change(struct sess *s, struct rd *r)
{
    struct winsize ws;
    return rd_winsize(r, &ws) && pty_resize(s, &ws) == 0;
}

/* Whether AcceptEnv lets name through; without AcceptEnv lines, LANG and
 * LC_* as Debian's default sshd_config. */
static bool env_accepted(const struct sshd_config *cfg, const char *name)
{
    if (cfg->accept_env.n == 0)
        return strcmp(name, "LANG") == 0 || strncmp(name, "LC_", 3) == 0;
    for (size_t i = 0; i < cfg->accept_env.n; i++)
        if (match_pattern(name, cfg->accept_env.v[i]))
            return true;
    return false;
}

static bool req_env(struct sess *s, struct rd *r)
{
    char *name = rd_cstring(r, 256), *value = rd_cstring(r, 4096);
    bool ok = name && value && name[0] && !strchr(name, '=') && s->env_count < SESS_MAX_ENV &&
              !s->started && env_accepted(s->c->srv->cfg, name);
    char *v = ok ? malloc(strlen(name) + strlen(value) + 2) : NULL;
    if (v) {
        sprintf(v, "%s=%s", name, value);
        s->env[s->env_count++] = v;
    } else {
        log_debug("%s: env %s refused", s->c->label, name ? name : "(bad)");
    }
    free(name);
    free(value);
    return v != NULL;
}

static bool req_signal(struct sess *s, struct rd *r)
{
    char *name = rd_cstring(r, 64);
    int sig = name ? child_signal_number(name) : 0;
    bool ok = sig && s->pid > 0 && !s->exited && kill(s->pid, sig) == 0;
    log_debug("%s: signal %s %s", s->c->label, name ? name : "(bad)", ok ? "sent" : "refused");
    free(name);
    return ok;
}

/* ForceCommand, else the key's command=: what runs instead, and why. */
static const char *forced(const struct sess *s, const char **why)
{
    bool present;
    const char *key_cmd = key_option(s, "command", &present);
    *why = NULL;
    if (s->c->srv->cfg->force_command) {
        *why = "config";
        return s->c->srv->cfg->force_command;
    }
    if (present && key_cmd) {
        *why = "key-option";
        return key_cmd;
    }
    return NULL;
}

/* kind: "command", "shell" or "subsystem" (name in what). */
static void log_start(const struct sess *s, const char *kind, const char *what, const char *why,
                      const char *forced_cmd)
{
    char on[80] = "", desc[256], clean[200];
    if (s->master >= 0)
        snprintf(on, sizeof on, " on %s", s->tty + (strncmp(s->tty, "/dev/", 5) ? 0 : 5));
    if (why)
        snprintf(desc, sizeof desc, "forced-command (%s) '%s'", why,
                 log_clean(forced_cmd, clean, sizeof clean));
    else if (what)
        snprintf(desc, sizeof desc, "%s '%s'", kind, log_clean(what, clean, sizeof clean));
    else
        snprintf(desc, sizeof desc, "%s", kind);
    log_info("Starting session: %s%s for %s from %s id %u", desc, on, s->c->srv->user,
             s->c->label, s->id);
}

/* exec, shell and subsystem: command is NULL for the shell. */
static bool start(struct sess *s, const char *kind, const char *command, const char *subsystem)
{
    if (s->started)
        return false;
    const char *why, *force = forced(s, &why);
    const char *run = force ? force : command;
    const char *original = force ? command : NULL;   /* SSH_ORIGINAL_COMMAND */
    log_start(s, kind, subsystem, why, force);
    bool subsys = strcmp(kind, "subsystem") == 0;
    if (run && (force || subsys) && sftp_is_internal(run)) {
        if (subsys)
            return sftp_start(s, run) == 0;
        return sftp_start_refusal(s) == 0;
    }
    if (s->c->srv->cfg->chroot_directory) {
        /* sshd would chroot the command; this server runs as its user and
         * cannot, so it serves only what it can confine: internal-sftp. */
        log_error("%s: ChrootDirectory is set and %s sessions cannot be confined: refused",
                  s->c->label, kind);
        return false;
    }
    bool login = run == NULL;
    if (child_start(s, run, original, login) < 0)
        return false;
    relay_to_child(s);          /* data that came before the request */
    return true;
}

static bool req_exec(struct sess *s, struct rd *r)
{
    size_t len;
    const uint8_t *cmd = rd_bytes(r, &len);
    if (cmd == NULL || len >= SESS_MAX_COMMAND || memchr(cmd, 0, len)) {
        log_info("%s: exec request refused: %s", s->c->label,
                 cmd ? "command too long or with NUL" : "malformed");
        return false;
    }
    char *command = malloc(len + 1);
    if (command == NULL)
        return false;
    memcpy(command, cmd, len);
    command[len] = '\0';
    bool ok = start(s, "command", command, NULL);
    free(command);
    return ok;
}

static bool req_subsystem(struct sess *s, struct rd *r)
{
    char *name = rd_cstring(r, 256);
    const struct sshd_config *cfg = s->c->srv->cfg;
    const char *cmd = NULL;
    for (size_t i = 0; name && i < cfg->subsystem_count; i++)
        if (strcmp(cfg->subsystems[i].name, name) == 0)
            cmd = cfg->subsystems[i].command;
    bool ok = cmd != NULL;
    if (ok)
        ok = start(s, "subsystem", cmd, name);
    else
        log_info("%s: subsystem request for %s refused", s->c->label, name ? name : "(bad)");
    free(name);
    return ok;
}

void requests_handle(struct sess *s, const char *type, bool want_reply, const uint8_t *data,
                     size_t len)
{
    struct rd r = { data, len, false };
    bool ok;
    if (strcmp(type, "pty-req") == 0)
        ok = req_pty(s, &r);
    else if (strcmp(type, "env") == 0)
        ok = req_env(s, &r);
    else if (strcmp(type, "window-change") == 0)
        ok = req_window_change(s, &r);
    else if (strcmp(type, "exec") == 0)
        ok = req_exec(s, &r);
    else if (strcmp(type, "shell") == 0)
        ok = start(s, "shell", NULL, NULL);
    else if (strcmp(type, "subsystem") == 0)
        ok = req_subsystem(s, &r);
    else if (strcmp(type, "signal") == 0)
        ok = req_signal(s, &r);
    else if (strcmp(type, SSHKIT_AGENT_REQUEST_TYPE) == 0)
        ok = agent_fwd_request(s);
    else
        ok = false;
    if (want_reply)
        sshkit_channel_request_reply(s->ch, ok);
}
