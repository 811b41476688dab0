/* sshkit-sshd: an SSH server on sshkit, with sshd's flags and sshd_config
 * keywords (DESIGN.md section 6). One process serves every connection from
 * one poll() loop; every session runs as the user who started it. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "options.h"
#include "server.h"

#define DEFAULT_CONFIG "/etc/ssh/sshd_config"
#define BANNER_MAX (64 * 1024)

static void report(void *ctx, const char *message)
{
    (void)ctx;
    fprintf(stderr, "%s\n", message);
}

static void load_config(struct sshd_config *cfg, const char *path)
{
    int bad = config_parse_file(cfg, path, report, NULL);
    if (bad < 0)
        exit(SSHD_EXIT_CONFIG);
    if (bad > 0) {
        fprintf(stderr, "%s: terminating, %d bad configuration options\n", path, bad);
        exit(SSHD_EXIT_CONFIG);
    }
    config_finish(cfg);
}

/* HostKey files; one key of each type, as sshkit sessions take. */
static void load_host_keys(struct sshd_server *srv)
{
    const struct strv *paths = &srv->cfg->host_keys;
    for (size_t i = 0; i < paths->n && srv->host_key_count < SSHD_MAX_HOST_KEYS; i++) {
        sshkit_key *key;
        int rc = sshkit_key_load_private(paths->v[i], NULL, &key);
        if (rc != 0) {
            log_error("Unable to load host key: %s", paths->v[i]);
            continue;
        }
        bool dup = false;
        for (size_t k = 0; k < srv->host_key_count; k++)
            dup |= sshkit_key_get_type(srv->host_keys[k]) == sshkit_key_get_type(key);
        if (dup) {
            log_error("Ignoring host key %s: one of this type is loaded already", paths->v[i]);
            sshkit_key_free(key);
            continue;
        }
        srv->host_keys[srv->host_key_count++] = key;
        log_debug("private host key #%zu: %s", srv->host_key_count - 1,
                  sshkit_key_type_name(key));
    }
    if (srv->host_key_count == 0) {
        log_fatal("sshd: no hostkeys available -- exiting.");
        exit(1);
    }
}

/* Banner: the file's text, read once at start. */
static void load_banner(struct sshd_server *srv)
{
    const char *path = srv->cfg->banner;
    FILE *f = path ? fopen(path, "r") : NULL;
    if (path && f == NULL) {
        log_error("Banner %s: %s", path, strerror(errno));
        return;
    }
    if (f == NULL)
        return;
    char *text = calloc(1, BANNER_MAX + 1);
    size_t n = text ? fread(text, 1, BANNER_MAX, f) : 0;
    fclose(f);
    if (n == 0) {
        free(text);
        return;
    }
    srv->banner = text;
}

/* The user the server runs as, and its home ($HOME first). */
static void find_user(struct sshd_server *srv)
{
    struct passwd *pw = getpwuid(getuid());
    const char *home = getenv("HOME");
    if (pw == NULL) {
        log_fatal("No user exists for uid %lu", (unsigned long)getuid());
        exit(255);
    }
    srv->user = strdup(pw->pw_name);
    srv->home = strdup(home && *home ? home : pw->pw_dir);
    srv->shell = strdup(pw->pw_shell && *pw->pw_shell ? pw->pw_shell : "/bin/sh");
    if (srv->user == NULL || srv->home == NULL || srv->shell == NULL)
        exit(255);
}

static int log_level_for(const struct sshd_options *opt, int configured)
{
    int debug = opt->debug ? SSHD_LOG_DEBUG1 + opt->debug - 1 : SSHD_LOG_QUIET;
    return debug > configured ? debug : configured;
}

static void cleanup(struct sshd_server *srv, struct sshd_config *cfg)
{
    for (size_t i = 0; i < srv->host_key_count; i++)
        sshkit_key_free(srv->host_keys[i]);
    free(srv->banner);
    free(srv->user);
    free(srv->home);
    free(srv->shell);
    config_free(cfg);
}

int main(int argc, char **argv)
{
    struct sshd_config cfg;
    struct sshd_options opt = { .config_file = DEFAULT_CONFIG };
    struct sshd_server srv = { .cfg = &cfg };
    config_init(&cfg);
    options_parse(argc, argv, &opt, &cfg);
    load_config(&cfg, opt.config_file);
    bool detach = !opt.no_detach && !opt.debug;
    log_init(log_level_for(&opt, cfg.log_level), opt.log_stderr || opt.debug || opt.test_only);
    find_user(&srv);
    load_host_keys(&srv);
    load_banner(&srv);
    if (opt.test_only) {
        cleanup(&srv, &cfg);
        return 0;
    }
    if (listeners_open(&srv) < 0)
        exit(SSHD_EXIT_CONFIG);
    if (detach && daemonize() < 0)
        exit(1);
    const char *pid_file = opt.debug ? NULL : cfg.pid_file;
    pidfile_write(pid_file);
    signals_setup();
    loop_run(&srv);
    pidfile_remove(pid_file);
    cleanup(&srv, &cfg);
    return 0;
}
