/* AuthorizedKeysFile (paths expanded by config_expand_path()): lines parsed
 * by sshkit_authorized_key_parse(). Options
 * are kept with the accepted line for the connection layer; from= and
 * expiry-time are enforced here; a line with an option sshd does not know,
 * or cert-authority (no certificates yet), is refused. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "log.h"
#include "match.h"
#include "server.h"

/* expiry-time="YYYYMMDD[HHMM[SS]]", local time as sshd: whether still valid. */
static int expiry_ok(const char *v)
{
    size_t n = strlen(v);
    struct tm tm = { 0 };
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)v[i]))
            return -1;
    if (n != 8 && n != 12 && n != 14)
        return -1;
    if (sscanf(v, "%4d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3 ||
        (n >= 12 && sscanf(v + 8, "%2d%2d", &tm.tm_hour, &tm.tm_min) != 2) ||
        (n == 14 && sscanf(v + 12, "%2d", &tm.tm_sec) != 1))
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    return t != (time_t)-1 && time(NULL) < t;
}

static bool known_option(const char *name)
{
    static const char *const names[] = {
        "agent-forwarding", "command", "environment", "no-agent-forwarding",
        "no-port-forwarding", "no-pty", "no-user-rc", "no-X11-forwarding", "permitlisten",
        "permitopen", "port-forwarding", "pty", "restrict", "tunnel", "user-rc",
        "X11-forwarding", "no-touch-required", "verify-required", "from", "expiry-time", NULL };
    for (int i = 0; names[i]; i++)
        if (strcasecmp(name, names[i]) == 0)
            return true;
    return false;
}

/* Whether the line's options let it be used from addr now. */
static bool options_ok(const sshkit_authorized_key *ak, const char *addr, const char *path,
                       unsigned lineno)
{
    size_t n = sshkit_authorized_key_option_count(ak);
    for (size_t i = 0; i < n; i++) {
        const char *name, *value;
        sshkit_authorized_key_option(ak, i, &name, &value);
        bool needs_value = strcasecmp(name, "from") == 0 || strcasecmp(name, "expiry-time") == 0;
        if (!known_option(name) || (needs_value && value == NULL)) {
            log_info("%s, line %u: bad or unsupported option \"%s\"", path, lineno, name);
            return false;
        }
        if (strcasecmp(name, "from") == 0 && match_address_list(addr, value) != 1) {
            log_info("Authentication tried with key from %s, refused by from=\"%s\" (%s, line %u)",
                     addr, value, path, lineno);
            return false;
        }
        if (strcasecmp(name, "expiry-time") == 0 && expiry_ok(value) != 1) {
            log_info("%s, line %u: key expired or bad expiry-time", path, lineno);
            return false;
        }
    }
    return true;
}

static sshkit_authorized_key *scan_file(const char *path, const char *addr, const sshkit_key *key)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        log_debug("Could not open authorized keys '%s'", path);
        return NULL;
    }
    char *line = NULL;
    size_t cap = 0;
    unsigned lineno = 0;
    sshkit_authorized_key *found = NULL;
    ssize_t len;
    while (found == NULL && (len = getline(&line, &cap, f)) > 0) {
        sshkit_authorized_key *ak;
        lineno++;
        if (sshkit_authorized_key_parse(line, (size_t)len, &ak) != 0)
            continue;
        if (sshkit_key_equal(sshkit_authorized_key_get_key(ak), key) &&
            options_ok(ak, addr, path, lineno)) {
            log_debug("%s: matching key found: line %u", path, lineno);
            found = ak;
        } else {
            sshkit_authorized_key_free(ak);
        }
    }
    free(line);
    fclose(f);
    return found;
}

sshkit_authorized_key *authorized_keys_find(const struct sshd_server *srv, const char *addr,
                                            const sshkit_key *key)
{
    const struct strv *files = &srv->cfg->authorized_keys;
    sshkit_authorized_key *found = NULL;
    for (size_t i = 0; found == NULL && i < files->n; i++) {
        if (strcasecmp(files->v[i], "none") == 0)
            continue;
        char *path = config_expand_path(files->v[i], srv->user, srv->home);
        if (path == NULL) {
            log_error("AuthorizedKeysFile %s: bad %% token", files->v[i]);
            continue;
        }
        found = scan_file(path, addr, key);
        free(path);
    }
    return found;
}
