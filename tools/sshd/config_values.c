/* sshd_config value syntax: yes/no, times, sizes, log levels, MaxStartups,
 * ListenAddress and Port. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"

int config_parse_flag(const char *s)
{
    if (strcasecmp(s, "yes") == 0)
        return 1;
    if (strcasecmp(s, "no") == 0)
        return 0;
    return -1;
}

/* A decimal number with no sign, at most max; -1 when it is not one. */
static int64_t parse_number(const char *s, const char **end, int64_t max)
{
    if (!isdigit((unsigned char)*s))
        return -1;
    errno = 0;
    char *e;
    unsigned long long v = strtoull(s, &e, 10);
    if (errno || v > (unsigned long long)max)
        return -1;
    *end = e;
    return (int64_t)v;
}

static int64_t time_unit(char c)
{
    switch (tolower((unsigned char)c)) {
    case 's': return 1;
    case 'm': return 60;
    case 'h': return 3600;
    case 'd': return 86400;
    case 'w': return 604800;
    default:  return -1;
    }
}

/* As OpenSSH's convtime(): "90", "1m30s", "2h", "1w2d". */
int64_t config_parse_time(const char *s)
{
    const int64_t max = INT32_MAX;
    int64_t total = 0;
    if (*s == '\0')
        return -1;
    while (*s) {
        const char *end;
        int64_t v = parse_number(s, &end, max);
        if (v < 0)
            return -1;
        int64_t unit = 1;
        if (*end) {
            unit = time_unit(*end);
            if (unit < 0)
                return -1;
            end++;
        }
        if (v > (max - total) / unit)
            return -1;
        total += v * unit;
        s = end;
    }
    return total;
}

/* As OpenSSH's RekeyLimit sizes: a number with an optional K, M or G. */
int64_t config_parse_size(const char *s)
{
    const char *end;
    int64_t v = parse_number(s, &end, INT64_MAX);
    if (v < 0)
        return -1;
    int shift = 0;
    switch (toupper((unsigned char)*end)) {
    case '\0': break;
    case 'K': shift = 10; break;
    case 'M': shift = 20; break;
    case 'G': shift = 30; break;
    default: return -1;
    }
    if (*end && end[1] != '\0')
        return -1;
    if (v > (INT64_MAX >> shift))
        return -1;
    return v << shift;
}

int config_parse_log_level(const char *s)
{
    static const struct { const char *name; int level; } names[] = {
        { "QUIET", SSHD_LOG_QUIET },   { "FATAL", SSHD_LOG_FATAL },
        { "ERROR", SSHD_LOG_ERROR },   { "INFO", SSHD_LOG_INFO },
        { "VERBOSE", SSHD_LOG_VERBOSE }, { "DEBUG", SSHD_LOG_DEBUG1 },
        { "DEBUG1", SSHD_LOG_DEBUG1 }, { "DEBUG2", SSHD_LOG_DEBUG2 },
        { "DEBUG3", SSHD_LOG_DEBUG3 },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(s, names[i].name) == 0)
            return names[i].level;
    return -1;
}

sshkit_log_level config_session_log_level(int log_level)
{
    if (log_level >= SSHD_LOG_DEBUG3)
        return SSHKIT_LOG_TRACE;
    if (log_level >= SSHD_LOG_DEBUG1)
        return SSHKIT_LOG_DEBUG;
    if (log_level >= SSHD_LOG_VERBOSE)
        return SSHKIT_LOG_INFO;
    return SSHKIT_LOG_ERROR;
}

/* "10" or "10:30:100": start, rate (percent), full. */
int config_parse_max_startups(const char *s, int *begin, int *rate, int *full)
{
    const char *end;
    int64_t b = parse_number(s, &end, INT32_MAX), r = 100, f;
    if (b < 0)
        return -1;
    f = b;
    if (*end == ':') {
        r = parse_number(end + 1, &end, 100);
        if (r < 0 || *end != ':')
            return -1;
        f = parse_number(end + 1, &end, INT32_MAX);
        if (f < 0)
            return -1;
    }
    if (*end || b == 0 || r == 0 || b > f)
        return -1;
    *begin = (int)b;
    *rate = (int)r;
    *full = (int)f;
    return 0;
}

int config_parse_port(const char *s)
{
    const char *end;
    int64_t v = parse_number(s, &end, 65535);
    return (v <= 0 || *end) ? -1 : (int)v;
}

/* Sets out->host to a copy of [s, s+len); "*" or "0.0.0.0"-style wildcards
 * are kept as written (the listener decides). */
static int set_host(struct listen_addr *out, const char *s, size_t len)
{
    if (len == 0)
        return -1;
    out->host = strndup(s, len);
    return out->host ? 0 : -1;
}

/* "host", "host:port", "[v6]:port", "[v6]" or a bare IPv6 address. */
int config_parse_listen(const char *s, struct listen_addr *out)
{
    out->host = NULL;
    out->port = 0;
    const char *colon = strrchr(s, ':');
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (close == NULL)
            return -1;
        if (close[1] == ':') {
            int p = config_parse_port(close + 2);
            if (p < 0)
                return -1;
            out->port = (unsigned)p;
        } else if (close[1] != '\0') {
            return -1;
        }
        return set_host(out, s + 1, (size_t)(close - s - 1));
    }
    if (colon && strchr(s, ':') == colon) {        /* one colon: host:port */
        int p = config_parse_port(colon + 1);
        if (p < 0)
            return -1;
        out->port = (unsigned)p;
        return set_host(out, s, (size_t)(colon - s));
    }
    return set_host(out, s, strlen(s));            /* a name, IPv4 or bare IPv6 */
}
