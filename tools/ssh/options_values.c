/* Value parsers for sshkit-ssh's options; see options_values.h. */
#include "options_values.h"

#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ssh_client.h"

bool value_yesno(const char *v, bool *out)
{
    if (strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0)
        *out = true;
    else if (strcasecmp(v, "no") == 0 || strcasecmp(v, "false") == 0)
        *out = false;
    else
        return false;
    return true;
}

bool value_unsigned(const char *v, unsigned long max, unsigned *out)
{
    char *end;
    errno = 0;
    if (!isdigit((unsigned char)v[0]))
        return false;
    unsigned long n = strtoul(v, &end, 10);
    if (errno || *end || n > max)
        return false;
    *out = (unsigned)n;
    return true;
}

bool value_port(const char *v, unsigned *out)
{
    return value_unsigned(v, 65535, out) && *out > 0;
}

/* Seconds in one unit of a time suffix; 0 for an unknown suffix. */
static unsigned long time_unit(char c)
{
    switch (tolower((unsigned char)c)) {
    case '\0': case 's': return 1;
    case 'm': return 60;
    case 'h': return 3600;
    case 'd': return 86400;
    case 'w': return 604800;
    default: return 0;
    }
}

bool value_time(const char *v, uint32_t *seconds)
{
    unsigned long long total = 0;
    if (*v == '\0')
        return false;
    while (*v) {
        char *end;
        if (!isdigit((unsigned char)*v))
            return false;
        errno = 0;
        unsigned long long n = strtoull(v, &end, 10);
        unsigned long unit = time_unit(*end);
        if (errno || unit == 0 || n > UINT32_MAX)
            return false;
        total += n * unit;
        if (total > UINT32_MAX)
            return false;
        v = *end ? end + 1 : end;
    }
    *seconds = (uint32_t)total;
    return true;
}

bool value_bytes(const char *v, uint64_t *bytes)
{
    char *end;
    if (!isdigit((unsigned char)*v))
        return false;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    unsigned shift = 0;
    switch (toupper((unsigned char)*end)) {
    case '\0': break;
    case 'K': shift = 10; break;
    case 'M': shift = 20; break;
    case 'G': shift = 30; break;
    default: return false;
    }
    if (errno || (*end && end[1] != '\0') || n > (UINT64_MAX >> shift))
        return false;
    *bytes = (uint64_t)n << shift;
    return true;
}

int value_log_level(const char *v)
{
    static const struct { const char *name; int level; } names[] = {
        { "QUIET", SSH_LOG_QUIET }, { "SILENT", SSH_LOG_QUIET }, { "FATAL", SSH_LOG_FATAL },
        { "ERROR", SSH_LOG_ERROR },
        { "INFO", SSH_LOG_INFO }, { "VERBOSE", SSH_LOG_VERBOSE }, { "DEBUG", SSH_LOG_DEBUG1 },
        { "DEBUG1", SSH_LOG_DEBUG1 }, { "DEBUG2", SSH_LOG_DEBUG2 }, { "DEBUG3", SSH_LOG_DEBUG3 },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(v, names[i].name) == 0)
            return names[i].level;
    return -1;
}

const char *value_home_dir(void)
{
    const char *home = getenv("HOME");
    if (home && *home)
        return home;
    const struct passwd *pw = getpwuid(getuid());
    return pw && pw->pw_dir ? pw->pw_dir : "/";
}

char *value_expand_path(const char *path)
{
    if (path[0] != '~' || (path[1] != '/' && path[1] != '\0'))
        return strdup(path);
    const char *home = value_home_dir();
    size_t len = strlen(home) + strlen(path);
    char *out = malloc(len + 1);
    if (out)
        snprintf(out, len + 1, "%s%s", home, path + 1);
    return out;
}

bool value_host_port(const char *v, char **host, unsigned *port)
{
    const char *colon;
    size_t n;
    if (*v == '[') {
        const char *close = strchr(v, ']');
        if (close == NULL || close[1] != ':')
            return false;
        n = (size_t)(close - v - 1);
        colon = close + 1;
        v++;
    } else {
        colon = strrchr(v, ':');
        if (colon == NULL || memchr(v, ':', (size_t)(colon - v)) != NULL)
            return false;           /* a bare IPv6 address needs brackets */
        n = (size_t)(colon - v);
    }
    if (n == 0 || !value_port(colon + 1, port))
        return false;
    *host = strndup(v, n);
    return *host != NULL;
}
