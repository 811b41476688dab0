/* sshkit-ssh -J, ProxyJump: as ssh does, the connection goes through a
 * ProxyCommand that runs this same program with -W to the destination on
 * the last hop, the hops before it given to that program as its own -J.
 * Each hop is thus a full sshkit-ssh: its host key checked and its user
 * authenticated with the same configuration file (-F) and verbosity. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_apply.h"
#include "options_values.h"
#include "ssh.h"

/* One hop: [user@]host[:port] or ssh://[user@]host[:port]. */
struct hop {
    char *user, *host;
    unsigned port;                  /* 0 when not given */
};

static _Noreturn void bad_jump(const char *value)
{
    log_at(SSH_LOG_FATAL, "ssh: bad ProxyJump '%s'", value);
    exit(SSH_EXIT_FAILURE);
}

static bool parse_hop(const char *text, struct hop *h)
{
    bool uri = strncmp(text, "ssh://", 6) == 0;
    if (uri)
        text += 6;
    const char *at = strrchr(text, '@');
    *h = (struct hop){ 0 };
    if (at != NULL) {
        if (at == text || (h->user = strndup(text, (size_t)(at - text))) == NULL)
            return false;
        text = at + 1;
    }
    if (strchr(text, ':') == NULL || (text[0] == '[' && strstr(text, "]:") == NULL)) {
        size_t n = strlen(text);
        if (text[0] == '[' && n > 2 && text[n - 1] == ']')
            h->host = strndup(text + 1, n - 2);
        else
            h->host = strdup(text);
        return h->host != NULL && *h->host != '\0' && strpbrk(h->host, "/[]") == NULL;
    }
    return value_host_port(text, &h->host, &h->port) && strpbrk(h->host, "/[]") == NULL;
}

/* Appends ' word' to *buf, quoted for the shell. */
static void add_word(char **buf, size_t *len, const char *word)
{
    size_t need = *len + 4 * strlen(word) + 4;
    char *p = realloc(*buf, need);
    if (p == NULL) {
        log_at(SSH_LOG_FATAL, "ssh: out of memory");
        exit(SSH_EXIT_FAILURE);
    }
    *buf = p;
    p += *len;
    *p++ = ' ';
    *p++ = '\'';
    for (const char *w = word; *w; w++) {
        if (*w == '\'') {
            memcpy(p, "'\\''", 4);
            p += 4;
        } else {
            *p++ = *w;
        }
    }
    *p++ = '\'';
    *p = '\0';
    *len = (size_t)(p - *buf);
}

/* This program's own path, so the hops run the same build. */
static const char *self_path(void)
{
    static char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0)
        return "sshkit-ssh";
    path[n] = '\0';
    return path;
}

void jump_to_proxy_command(struct ssh_options *o)
{
    const char *comma = strrchr(o->proxy_jump, ',');
    struct hop last;
    if (!parse_hop(comma ? comma + 1 : o->proxy_jump, &last))
        bad_jump(o->proxy_jump);
    char *cmd = NULL, number[32];
    size_t len = 0;
    add_word(&cmd, &len, self_path());
    if (last.user) {
        add_word(&cmd, &len, "-l");
        add_word(&cmd, &len, last.user);
    }
    if (last.port) {
        snprintf(number, sizeof number, "%u", last.port);
        add_word(&cmd, &len, "-p");
        add_word(&cmd, &len, number);
    }
    if (config_file()) {
        add_word(&cmd, &len, "-F");
        add_word(&cmd, &len, config_file());
    }
    for (int level = SSH_LOG_DEBUG1; level <= (int)o->log_level; level++)
        add_word(&cmd, &len, "-v");
    if (comma) {
        char *rest = strndup(o->proxy_jump, (size_t)(comma - o->proxy_jump));
        if (rest == NULL)
            bad_jump(o->proxy_jump);
        add_word(&cmd, &len, "-J");
        add_word(&cmd, &len, rest);
        free(rest);
    }
    char target[1100];
    snprintf(target, sizeof target, "[%s]:%u", o->host, o->port);
    add_word(&cmd, &len, "-W");
    add_word(&cmd, &len, target);
    add_word(&cmd, &len, last.host);
    free(last.user);
    free(last.host);
    free(o->proxy_command);
    o->proxy_command = cmd;
    log_at(SSH_LOG_DEBUG1, "Setting implicit ProxyCommand from ProxyJump: %s", cmd + 1);
}
