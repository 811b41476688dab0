/* sshkit-sftp: the destination word (see destination.h), with the rules of
 * OpenSSH's misc.c: the first unbracketed ':' before any '/' ends the host
 * (a leading ':' or a '/' first means no host); the user is what comes
 * before the last '@'. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "destination.h"
#include "options_values.h"

/* "[addr]" without its brackets, malloc'd. */
static char *clean_host(const char *h, size_t len)
{
    if (len >= 2 && h[0] == '[' && h[len - 1] == ']')
        return strndup(h + 1, len - 2);
    return strndup(h, len);
}

/* Where host:path splits, or NULL when the word has no host part. */
static const char *host_colon(const char *s)
{
    bool bracket = *s == '[';
    if (*s == ':')
        return NULL;
    for (const char *c = s; *c; c++) {
        if (c[0] == '@' && c[1] == '[')
            bracket = true;
        if (c[0] == ']' && c[1] == ':' && bracket)
            return c + 1;
        if (c[0] == ':' && !bracket)
            return c;
        if (c[0] == '/')
            return NULL;
    }
    return NULL;
}

/* %XX decoding, malloc'd; NULL for a bad escape or a NUL. */
static char *url_decode(const char *s, size_t len)
{
    char *out = malloc(len + 1), *o = out;
    for (size_t i = 0; out && i < len; i++) {
        if (s[i] != '%') {
            *o++ = s[i];
            continue;
        }
        if (i + 2 >= len || !isxdigit((unsigned char)s[i + 1]) ||
            !isxdigit((unsigned char)s[i + 2])) {
            free(out);
            return NULL;
        }
        char hex[3] = { s[i + 1], s[i + 2], 0 };
        *o = (char)strtol(hex, NULL, 16);
        if (*o++ == '\0') {
            free(out);
            return NULL;
        }
        i += 2;
    }
    if (out)
        *o = '\0';
    return out;
}

static void clear(struct destination *d)
{
    free(d->user);
    free(d->host);
    free(d->path);
    memset(d, 0, sizeof *d);
}

/* sftp://[user[;params]@]host[:port][/path] */
static bool parse_uri(const char *s, struct destination *d)
{
    const char *at = strchr(s, '@');
    if (at) {
        size_t ulen = strcspn(s, ";@");
        if (ulen == 0 || (d->user = url_decode(s, ulen)) == NULL)
            return false;
        s = at + 1;
    }
    const char *end = *s == '[' ? strchr(s, ']') : s + strcspn(s, ":/");
    if (end == NULL)
        return false;
    if (*s == '[')
        end++;
    d->host = clean_host(s, (size_t)(end - s));
    if (d->host == NULL || d->host[0] == '\0' || (*end != '\0' && *end != ':' && *end != '/'))
        return false;
    s = end;
    if (*s == ':') {
        size_t plen = strcspn(s + 1, "/");
        char port[8] = "";
        if (plen == 0 || plen >= sizeof port)
            return false;
        memcpy(port, s + 1, plen);
        if (!value_port(port, &d->port))
            return false;
        s += 1 + plen;
    }
    if (*s == '/' && s[1] != '\0' && (d->path = url_decode(s + 1, strlen(s + 1))) == NULL)
        return false;
    return true;
}

bool destination_parse(const char *word, struct destination *d)
{
    memset(d, 0, sizeof *d);
    if (strncmp(word, "sftp://", 7) == 0) {
        if (parse_uri(word + 7, d))
            return true;
        clear(d);
        return false;
    }
    const char *colon = host_colon(word);
    size_t hostpart = colon ? (size_t)(colon - word) : strlen(word);
    if (colon)
        d->path = strdup(colon[1] ? colon + 1 : ".");
    const char *at = NULL;
    for (size_t i = 0; i < hostpart; i++)
        if (word[i] == '@')
            at = word + i;
    if (at) {
        if (at > word)
            d->user = strndup(word, (size_t)(at - word));
        d->host = clean_host(at + 1, hostpart - (size_t)(at + 1 - word));
    } else {
        d->host = clean_host(word, hostpart);
    }
    if (d->host == NULL) {
        clear(d);
        return false;
    }
    return true;
}
