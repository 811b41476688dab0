/* ProxyJump values: "none", or comma-separated hops, each
 * [user@]host[:port] or ssh://[user@]host[:port]; ssh -G prints the last
 * hop rebuilt (numeric hosts in brackets) after the others as written. */
#include "config/config_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct hop {
    char user[256];
    char host[1025];
    int port;               /* -1 when not given */
};

/* host[:port] or [host]:port into h; false when malformed. */
static bool host_port(const char *s, struct hop *h)
{
    const char *end;
    if (*s == '[') {
        const char *close = strchr(s, ']');
        if (close == NULL || (close[1] != ':' && close[1] != '\0'))
            return false;
        if ((size_t)(close - s - 1) >= sizeof h->host)
            return false;
        memcpy(h->host, s + 1, (size_t)(close - s - 1));
        h->host[close - s - 1] = '\0';
        end = close + 1;
    } else {
        size_t n = strcspn(s, ":");
        if (n >= sizeof h->host)
            return false;
        memcpy(h->host, s, n);
        h->host[n] = '\0';
        end = s + n;
    }
    if (h->host[0] == '\0')
        return false;
    h->port = -1;
    if (*end == ':' && end[1] != '\0' && (h->port = sk_cfg_port(end + 1)) <= 0)
        return false;
    return true;
}

/* One hop, with or without the ssh:// scheme. */
static bool parse_hop(const char *s, struct hop *h)
{
    bool uri = strncmp(s, "ssh://", 6) == 0;
    if (uri)
        s += 6;
    const char *at = uri ? strchr(s, '@') : strrchr(s, '@');
    h->user[0] = '\0';
    if (at != NULL) {
        size_t n = (size_t)(at - s);
        if (uri && memchr(s, ';', n))           /* connection parameters are ignored */
            n = (size_t)((const char *)memchr(s, ';', n) - s);
        if (n == 0 || n >= sizeof h->user)
            return false;
        memcpy(h->user, s, n);
        h->user[n] = '\0';
        s = at + 1;
    }
    if (uri && strchr(s, '/') != NULL)          /* no path in a jump host */
        return false;
    return host_port(s, h);
}

/* The value without a comment and trailing blanks (malloc'd). */
static char *trimmed(const char *spec)
{
    char *copy = strdup(spec);
    if (copy == NULL)
        return NULL;
    copy[strcspn(copy, "#")] = '\0';
    size_t n = strlen(copy);
    while (n > 0 && isspace((unsigned char)copy[n - 1]))
        copy[--n] = '\0';
    return copy;
}

bool sk_cfg_jump_valid(const char *spec)
{
    if (strcasecmp(spec, "none") == 0)
        return true;
    char *copy = trimmed(spec), *save = NULL;
    bool ok = copy != NULL && copy[0] != '\0';
    for (char *hop = ok ? strtok_r(copy, ",", &save) : NULL; hop && ok;
         hop = strtok_r(NULL, ",", &save)) {
        struct hop h;
        ok = parse_hop(hop, &h);
    }
    if (ok && (copy[0] == ',' || copy[strlen(copy) - 1] == ',' || strstr(copy, ",,") != NULL))
        ok = false;                             /* an empty hop */
    free(copy);
    return ok;
}

char *sk_cfg_jump_format(const char *spec)
{
    char *copy = trimmed(spec);
    if (copy == NULL)
        return NULL;
    const char *comma = strrchr(copy, ',');
    struct hop h;
    if (!parse_hop(comma ? comma + 1 : copy, &h)) {
        free(copy);
        return NULL;
    }
    bool numeric = strchr(h.host, ':') != NULL || strspn(h.host, "0123456789.") == strlen(h.host);
    size_t extra = comma ? (size_t)(comma - copy) : 0;
    size_t cap = extra + strlen(h.user) + strlen(h.host) + 32;
    char *out = malloc(cap);
    if (out != NULL) {
        char port[16] = "";
        if (h.port > 0)
            snprintf(port, sizeof port, ":%d", h.port);
        snprintf(out, cap, "%.*s%s%s%s%s%s%s%s", (int)extra, copy, comma ? "," : "", h.user,
                 h.user[0] ? "@" : "", numeric ? "[" : "", h.host, numeric ? "]" : "", port);
    }
    free(copy);
    return out;
}
