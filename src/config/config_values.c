/* Values as ssh_config writes them: ports, times, counts, sizes, tunnel
 * devices, domain names, environment variable names. */
#include "config/config_internal.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

/* Digits only (no sign, no blanks), at most max; false otherwise. */
static bool digits(const char *s, long long max, long long *out)
{
    if (!isdigit((unsigned char)*s))
        return false;
    long long n = 0;
    for (; isdigit((unsigned char)*s); s++) {
        n = n * 10 + (*s - '0');
        if (n > max)
            return false;
    }
    if (*s != '\0')
        return false;
    *out = n;
    return true;
}

int sk_cfg_port(const char *s)
{
    long long n;
    if (digits(s, 65535, &n))
        return (int)n;
    char buf[1024];
    struct servent se, *found = NULL;
    if (getservbyname_r(s, "tcp", &se, buf, sizeof buf, &found) == 0 && found)
        return ntohs((uint16_t)found->s_port);
    return -1;
}

const char *sk_cfg_int(const char *s, long long *out)
{
    const char *p = s + (*s == '-' || *s == '+');
    if (!isdigit((unsigned char)*p) || p[strspn(p, "0123456789")] != '\0')
        return "invalid";
    if (*s == '-')
        return strspn(p, "0") == strlen(p) ? (*out = 0, NULL) : "too small";
    return digits(p, INT_MAX, out) ? NULL : "too large";
}

/* The seconds in one unit of a time suffix; 0 for an unknown suffix. */
static long long time_unit(char c)
{
    switch (c) {
    case '\0': case 's': case 'S': return 1;
    case 'm': case 'M': return 60;
    case 'h': case 'H': return 3600;
    case 'd': case 'D': return 86400;
    case 'w': case 'W': return 604800;
    default: return 0;
    }
}

long long sk_cfg_time(const char *s)
{
    long long total = 0;
    if (s == NULL || *s == '\0')
        return -1;
    while (*s) {
        if (!isdigit((unsigned char)*s))
            return -1;
        long long n = 0;
        for (; isdigit((unsigned char)*s); s++) {
            n = n * 10 + (*s - '0');
            if (n > INT_MAX)
                return -1;
        }
        long long unit = time_unit(*s);
        if (unit == 0 || n > INT_MAX / unit)
            return -1;
        if (*s)
            s++;
        total += n * unit;
        if (total > INT_MAX)
            return -1;
    }
    return total;
}

/* The power of 1024 of a size suffix; -1 for an unknown one. */
static int size_shift(char c)
{
    switch (toupper((unsigned char)c)) {
    case 'B': return 0;
    case 'K': return 10;
    case 'M': return 20;
    case 'G': return 30;
    case 'T': return 40;
    case 'P': return 50;
    case 'E': return 60;
    default: return -1;
    }
}

bool sk_cfg_bytes(const char *s, long long *out)
{
    if (!isdigit((unsigned char)*s))
        return false;
    char *end;
    errno = 0;
    unsigned long long whole = strtoull(s, &end, 10);
    unsigned long long frac = 0, scale = 1;
    if (errno != 0)
        return false;
    if (*end == '.') {
        for (end++; isdigit((unsigned char)*end); end++) {
            if (scale < 1000000000000ULL) {
                frac = frac * 10 + (unsigned)(*end - '0');
                scale *= 10;
            }
        }
    }
    int shift = 0;
    if (*end != '\0') {
        if ((shift = size_shift(*end)) < 0 || end[1] != '\0')
            return false;
    }
    if (shift == 0 && frac != 0)
        return false;               /* a fraction of a byte */
    if (whole > ((unsigned long long)LLONG_MAX >> shift))
        return false;
    unsigned long long bytes = (whole << shift) + ((frac << shift) / scale);
    if (bytes > (unsigned long long)LLONG_MAX)
        return false;
    *out = (long long)bytes;
    return true;
}

/* One side of a tunnel device: a number or "any". */
static bool tun_id(const char *s, long long *out)
{
    if (strcasecmp(s, "any") == 0) {
        *out = SK_CFG_TUN_ANY;
        return true;
    }
    return digits(s, SK_CFG_TUN_ANY - 2, out);     /* ssh: below its "error" value */
}

bool sk_cfg_tunnel_device(const char *s, long long *local, long long *remote)
{
    const char *colon = strchr(s, ':');
    *remote = SK_CFG_TUN_ANY;
    if (colon == NULL)
        return tun_id(s, local);
    char left[32];
    size_t n = (size_t)(colon - s);
    if (n >= sizeof left)
        return false;
    memcpy(left, s, n);
    left[n] = '\0';
    return tun_id(left, local) && tun_id(colon + 1, remote);
}

const char *sk_cfg_valid_domain(char *name, char *msg, size_t msg_size)
{
    size_t len = strlen(name);
    if (len == 0) {
        snprintf(msg, msg_size, "empty domain name");
        return msg;
    }
    if (!isalnum((unsigned char)name[0])) {
        snprintf(msg, msg_size, "domain name \"%.100s\" starts with invalid character", name);
        return msg;
    }
    char last = '\0';
    for (size_t i = 0; i < len; i++) {
        char c = (char)tolower((unsigned char)name[i]);
        name[i] = c;
        if (last == '.' && c == '.') {
            snprintf(msg, msg_size, "domain name \"%.100s\" contains consecutive separators",
                     name);
            return msg;
        }
        if (c != '.' && c != '-' && c != '_' && !isalnum((unsigned char)c)) {
            snprintf(msg, msg_size, "domain name \"%.100s\" contains invalid characters", name);
            return msg;
        }
        last = c;
    }
    if (name[len - 1] == '.')
        name[len - 1] = '\0';
    return NULL;
}

bool sk_cfg_env_name(const char *s, size_t len)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_')
            return false;
    return true;
}
