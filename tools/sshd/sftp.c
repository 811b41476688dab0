/* internal-sftp: the SFTP subsystem served in this process by sshkit's
 * engine (sshkit/sftp_server.h) over the local file system, confined to
 * ChrootDirectory when one is set. Options as OpenSSH's sftp-server:
 * -l level, -d start directory (%d home, %u user), -R read-only; -e and
 * -f are accepted and change nothing (lines go to sshd's own log). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channels.h"
#include "log.h"

#define MAX_ARGS 16

struct isftp {
    struct sess *s;
    sshkit_sftp_local *fs;
    sshkit_sftp_server *srv;
    int level;                  /* -l, as an sshd LogLevel */
    bool refuse;                /* ForceCommand internal-sftp on a non-sftp session */
    bool again;                 /* the engine has work left */
    bool opened;                /* "session opened" was logged */
};

struct options {
    int level;
    bool read_only;
    char *start;                /* -d, expanded; NULL for the home */
};

bool sftp_is_internal(const char *command)
{
    size_t n = strlen("internal-sftp");
    return strncmp(command, "internal-sftp", n) == 0 &&
           (command[n] == '\0' || command[n] == ' ' || command[n] == '\t');
}

/* -d's tokens: %d the home, %u the user, %% a percent sign. */
static char *expand_start(const char *pattern, const struct sshd_server *srv)
{
    size_t cap = strlen(pattern) * (strlen(srv->home) + strlen(srv->user) + 1) + 1, n = 0;
    char *out = malloc(cap);
    for (const char *p = pattern; out && *p; p++) {
        const char *add = NULL;
        if (*p == '%' && p[1] == 'd')
            add = srv->home;
        else if (*p == '%' && p[1] == 'u')
            add = srv->user;
        else if (*p == '%' && p[1] == '%')
            add = "%";
        if (add == NULL) {
            out[n++] = *p;
            continue;
        }
        memcpy(out + n, add, strlen(add));
        n += strlen(add);
        p++;
    }
    if (out)
        out[n] = '\0';
    return out;
}

static int parse_options(const char *command, const struct sshd_server *srv, struct options *o)
{
    char *argv[MAX_ARGS], *save = NULL;
    int argc = 0, rc = 0;
    *o = (struct options){ .level = SSHD_LOG_ERROR };
    char *copy = strdup(command);
    if (copy == NULL)
        return -1;
    for (char *t = strtok_r(copy, " \t", &save); t && argc < MAX_ARGS; t = strtok_r(NULL, " \t", &save))
        argv[argc++] = t;
    for (int i = 1; i < argc && rc == 0; i++) {
        const char *arg = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "-R") == 0 || strcmp(argv[i], "-e") == 0) {
            o->read_only |= argv[i][1] == 'R';
        } else if (strcmp(argv[i], "-l") == 0 && arg && config_parse_log_level(arg) >= 0) {
            o->level = config_parse_log_level(arg);
            i++;
        } else if (strcmp(argv[i], "-f") == 0 && arg) {
            i++;
        } else if (strcmp(argv[i], "-d") == 0 && arg && o->start == NULL) {
            o->start = expand_start(arg, srv);
            rc = o->start ? 0 : -1;
            i++;
        } else {
            log_error("internal-sftp: unsupported option or value: %s", argv[i]);
            rc = -1;
        }
    }
    free(copy);
    return rc;
}

/* The engine's lines as sftp-server writes them; why it ended, with the
 * connection it was. */
static void engine_log(void *user, sshkit_log_level level, const char *message)
{
    static const int map[] = { SSHD_LOG_ERROR, SSHD_LOG_INFO, SSHD_LOG_VERBOSE, SSHD_LOG_DEBUG1 };
    const struct isftp *f = user;
    if (level == SSHKIT_LOG_ERROR)
        log_error("%s: internal-sftp: %s", f->s->c->label, message);
    else
        log_msg(level <= SSHKIT_LOG_TRACE ? map[level] : SSHD_LOG_DEBUG3, "%s", message);
}

static sshkit_log_level engine_level(int sshd_level)
{
    if (sshd_level >= SSHD_LOG_DEBUG1)
        return SSHKIT_LOG_TRACE;
    if (sshd_level >= SSHD_LOG_VERBOSE)
        return SSHKIT_LOG_DEBUG;
    return sshd_level >= SSHD_LOG_INFO ? SSHKIT_LOG_INFO : SSHKIT_LOG_ERROR;
}

/* The tree: ChrootDirectory (tokens expanded) and where the client starts:
 * -d, else the home; under a root a start that is not there gives "/", as
 * sshd's chdir after chroot. */
static int open_tree(struct sess *s, const struct options *o, sshkit_sftp_local **fs)
{
    const struct sshd_server *srv = s->c->srv;
    char *root = NULL;
    int rc;
    if (srv->cfg->chroot_directory) {
        root = config_expand_tokens(srv->cfg->chroot_directory, srv->user, srv->home);
        if (root == NULL || root[0] != '/') {
            log_error("chroot path does not begin at root: %s", srv->cfg->chroot_directory);
            free(root);
            return -1;
        }
    }
    const char *start = o->start ? o->start : srv->home;
    rc = sshkit_sftp_local_new(root, start, fs);
    if (rc == SSHKIT_E_NOT_FOUND && (root == NULL || sshkit_sftp_local_new(root, "/", fs) != 0)) {
        log_error("%s \"%s\": %s", root ? "ChrootDirectory" : "chdir to", root ? root : start,
                  strerror(errno));
    } else if (rc == SSHKIT_E_NOT_FOUND) {
        log_debug("start directory \"%s\" is not inside the root: starting at /", start);
        rc = 0;
    } else if (rc == SSHKIT_E_UNSUPPORTED) {
        log_error("ChrootDirectory needs openat2(2), which this kernel lacks: refusing internal-sftp");
    } else if (rc != 0) {
        log_error("internal-sftp: %s", sshkit_strerror(rc));
    }
    if (rc == 0 && root)
        log_verbose("Changed root directory to \"%s\"", root);
    free(root);
    return rc == 0 ? 0 : -1;
}

int sftp_start(struct sess *s, const char *command)
{
    struct options o = { .level = SSHD_LOG_ERROR };
    struct isftp *f = calloc(1, sizeof *f);
    if (f)
        f->s = s;
    int rc = f && parse_options(command, s->c->srv, &o) == 0 ? 0 : -1;
    if (rc == 0)
        rc = open_tree(s, &o, &f->fs);
    if (rc == 0 && sshkit_sftp_server_new(sshkit_sftp_local_ops(), f->fs, &f->srv) != 0)
        rc = -1;
    if (f && rc == 0) {
        f->level = o.level;
        sshkit_sftp_server_set_log(f->srv, engine_level(o.level), engine_log, f);
        sshkit_sftp_server_set_read_only(f->srv, o.read_only);
        if (o.level >= SSHD_LOG_INFO)
            log_info("session opened for local user %s from [%s]", s->c->srv->user, s->c->addr);
        f->opened = true;
    }
    free(o.start);
    if (rc != 0) {
        if (f) {
            sshkit_sftp_local_free(f->fs);
            free(f);
        }
        return -1;
    }
    f->again = s->c->again = true;  /* data may have come before the request */
    s->sftp = f;
    s->started = true;
    return 0;
}

/* ForceCommand internal-sftp and a session that is not sftp: it is told
 * so and ends with status 1, as with sshd. */
int sftp_start_refusal(struct sess *s)
{
    struct isftp *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    log_error("Connection from %s: refusing non-sftp session", s->c->label);
    f->refuse = f->again = s->c->again = true;
    s->sftp = f;
    s->started = true;
    return 0;
}

/* Closes every handle (logged "forced close" when left open), then the tree. */
static void end_engine(struct sess *s)
{
    struct isftp *f = s->sftp;
    if (f->srv == NULL)
        return;
    sshkit_sftp_server_free(f->srv);
    sshkit_sftp_local_free(f->fs);
    f->srv = NULL;
    f->fs = NULL;
    if (f->opened && f->level >= SSHD_LOG_INFO)
        log_info("session closed for local user %s from [%s]", s->c->srv->user, s->c->addr);
}

static void finish(struct sess *s, unsigned status)
{
    s->finished = true;
    end_engine(s);
    sshkit_channel_send_exit_status(s->ch, status);
    sshkit_channel_send_eof(s->ch);
    sshkit_channel_close(s->ch);
}

void sftp_pump(struct sess *s)
{
    struct isftp *f = s->sftp;
    if (f == NULL || s->finished)
        return;
    f->again = false;
    if (f->refuse) {
        static const char text[] = "This service allows sftp connections only.\n";
        sshkit_channel_write(s->ch, 0, text, sizeof text - 1);
        finish(s, 1);
        return;
    }
    int rc = sshkit_sftp_server_pump(f->srv, s->ch);
    if (rc == 1)
        f->again = s->c->again = true;
    if (rc >= 0)
        return;
    unsigned status = 0;
    if (rc == SSHKIT_E_TOO_LARGE) {
        log_error("bad message from %s local user %s", s->c->addr, s->c->srv->user);
        status = 11;
    } else if (rc != SSHKIT_E_CLOSED) {
        log_verbose("%s: internal-sftp ended: %s", s->c->label, sshkit_strerror(rc));
        status = 255;
    }
    finish(s, status);
}

bool sftp_wants_run(const struct sess *s)
{
    const struct isftp *f = s->sftp;
    return f && f->again && !s->finished;
}

void sftp_free(struct sess *s)
{
    if (s->sftp == NULL)
        return;
    end_engine(s);
    free(s->sftp);
    s->sftp = NULL;
}
