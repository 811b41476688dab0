/* What the ssh_config tests share: a scratch home directory with files
 * written into it, a configuration whose messages are collected, and
 * resolution in one call. */
#ifndef SSHKIT_TEST_CONFIG_TESTUTIL_H
#define SSHKIT_TEST_CONFIG_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <sshkit/config.h>
#include <sshkit/error.h>

/* The scratch home: files go under it, ~ is it. */
static char home[256];
/* Every message the library logged, one per line. */
static char messages[16384];

static inline void collect(void *user, sshkit_log_level level, const char *message)
{
    (void)user;
    size_t used = strlen(messages);
    snprintf(messages + used, sizeof messages - used, "%d %s\n", (int)level, message);
}

static inline int make_home(void **state)
{
    (void)state;
    snprintf(home, sizeof home, "/tmp/sshkit-test-config-XXXXXX");
    if (mkdtemp(home) == NULL)
        return -1;
    char dir[300];
    snprintf(dir, sizeof dir, "%s/.ssh", home);
    return mkdir(dir, 0700);
}

static inline int remove_home(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", home);
    return system(cmd) == 0 ? 0 : -1;
}

/* Writes a file under the home directory (path relative to it), mode 0644;
 * returns its full path in a static buffer. */
static inline const char *put_file(const char *rel, const char *text)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", home, rel);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, 0644), 0);
    return path;
}

static inline sshkit_config *new_config(void)
{
    sshkit_config *cfg = NULL;
    assert_int_equal(sshkit_config_new(&cfg), 0);
    assert_int_equal(sshkit_config_set_home(cfg, home), 0);
    sshkit_config_set_log(cfg, SSHKIT_LOG_DEBUG, collect, NULL);
    messages[0] = '\0';
    return cfg;
}

/* Loads text as a user file named "cfg" and resolves it for host. */
static inline sshkit_host_config *resolve_text(const char *text, const char *host)
{
    sshkit_config *cfg = new_config();
    assert_int_equal(sshkit_config_load_text(cfg, "cfg", text, strlen(text), SSHKIT_CONFIG_USER), 0);
    sshkit_host_config *hc = NULL;
    int rc = sshkit_config_resolve(cfg, host, &hc);
    if (rc != 0)
        fail_msg("resolve: %s (%s)", sshkit_error_name(rc), sshkit_config_last_error(cfg));
    sshkit_config_free(cfg);
    return hc;
}

#define assert_value(hc, key, want) assert_string_equal(sshkit_host_config_get(hc, key), want)

#endif
