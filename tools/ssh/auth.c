/* sshkit-ssh: user authentication in PreferredAuthentications' order,
 * trying only what the server lists, with ssh's messages. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "ssh_client.h"

#define AUTH_EVENT_TIMEOUT_MS 300000
#define AUTH_MAX_EVENTS 1000
#define AUTH_MAX_ROUNDS 32

/* The server's banner, without control characters but for line breaks. */
static void show_banner(const struct auth_ctx *a, const char *text)
{
    (void)a;
    if (!log_enabled(SSH_LOG_INFO))
        return;
    for (const char *c = text; *c; c++)
        if (isprint((unsigned char)*c) || *c == '\n' || *c == '\t' || (*c & 0x80))
            fputc(*c, stderr);
    fflush(stderr);
}

enum auth_outcome auth_wait(struct auth_ctx *a, sshkit_event *ev)
{
    for (int i = 0; i < AUTH_MAX_EVENTS; i++) {
        int rc = sshkit_blocking_wait_event(a->s, a->fd, ev, AUTH_EVENT_TIMEOUT_MS);
        if (rc < 0 || ev->type == SSHKIT_EVENT_DISCONNECTED) {
            if (rc < 0)
                ev->type = SSHKIT_EVENT_NONE;
            report_disconnect(a->s, ev, a->addr, a->opt->port);
            return AUTH_OUT_ERROR;
        }
        if (ev->type == SSHKIT_EVENT_AUTH_BANNER)
            show_banner(a, ev->u.text.text);
        if (ev->type == SSHKIT_EVENT_AUTH_PROMPT)
            return AUTH_OUT_PROMPT;
        if (ev->type != SSHKIT_EVENT_AUTH_RESULT)
            continue;
        snprintf(a->methods, sizeof a->methods, "%s", ev->u.auth.methods);
        if (ev->u.auth.status == SSHKIT_AUTH_SUCCESS)
            return AUTH_OUT_SUCCESS;
        log_at(SSH_LOG_DEBUG1, "Authentications that can continue: %s", a->methods);
        return ev->u.auth.status == SSHKIT_AUTH_PARTIAL ? AUTH_OUT_PARTIAL : AUTH_OUT_FAILED;
    }
    return AUTH_OUT_ERROR;
}

/* Whether this build and the options allow a method at all. */
static bool enabled(const struct auth_ctx *a, const char *m)
{
    const struct ssh_options *o = a->opt;
    if (strcmp(m, "publickey") == 0)
        return o->pubkey_auth;
    if (strcmp(m, "password") == 0)
        return o->password_auth && !o->batch_mode && !a->no_passwords;
    if (strcmp(m, "keyboard-interactive") == 0)
        return o->kbdint_auth && !o->batch_mode && !a->no_passwords;
    return false;
}

/* The next method: the first preferred one the server lists, not yet tried. */
static const char *next_method(const struct auth_ctx *a, char tried[][32], size_t ntried,
                               char *buf, size_t cap)
{
    const char *p = a->opt->preferred_auth;
    while (*p) {
        size_t len = strcspn(p, ",");
        snprintf(buf, cap, "%.*s", (int)len, p);
        bool done = false;
        for (size_t i = 0; i < ntried; i++)
            done |= strcmp(tried[i], buf) == 0;
        if (!done && enabled(a, buf) && method_listed(a->methods, buf))
            return buf;
        p += len + (p[len] == ',');
    }
    return NULL;
}

static enum auth_outcome run_method(struct auth_ctx *a, const char *m)
{
    log_at(SSH_LOG_DEBUG1, "Next authentication method: %s", m);
    if (strcmp(m, "publickey") == 0)
        return auth_publickey(a);
    if (strcmp(m, "password") == 0)
        return auth_password(a);
    return auth_kbdint(a);
}

static bool authenticated(const struct auth_ctx *a, const char *method)
{
    log_at(SSH_LOG_VERBOSE, "Authenticated to %s ([%s]:%u) using \"%s\".", a->opt->host,
           a->addr, a->opt->port, method);
    return true;
}

bool ssh_authenticate(struct auth_ctx *a)
{
    sshkit_event ev;
    if (sshkit_auth_none(a->s, a->opt->user) != 0)
        return false;
    enum auth_outcome out = auth_wait(a, &ev);
    if (out == AUTH_OUT_SUCCESS)
        return authenticated(a, "none");
    if (out == AUTH_OUT_ERROR)
        return false;
    char tried[AUTH_MAX_ROUNDS][32], name[32];
    size_t ntried = 0;
    const char *m;
    while (ntried < AUTH_MAX_ROUNDS &&
           (m = next_method(a, tried, ntried, name, sizeof name)) != NULL) {
        snprintf(tried[ntried++], sizeof tried[0], "%s", m);
        out = run_method(a, m);
        if (out == AUTH_OUT_SUCCESS)
            return authenticated(a, m);
        if (out == AUTH_OUT_ERROR)
            return false;
        if (out == AUTH_OUT_PARTIAL)
            log_at(SSH_LOG_VERBOSE, "Authenticated using \"%s\" with partial success.", m);
    }
    log_at(SSH_LOG_FATAL, "%s@%s: Permission denied (%s).", a->opt->user, a->opt->host,
           a->methods);
    return false;
}
