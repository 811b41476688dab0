/* Host name matching as OpenSSH's match.c does it for known_hosts: the
 * name looked up, glob patterns, pattern lists with negation. */
#include "hostkeys/knownhosts_internal.h"

#include <stdio.h>
#include <string.h>
#include <sshkit/error.h>

/* OpenSSH copies each sub-pattern into a 1024-byte buffer and gives up on
 * the whole list (no match) when one does not fit. */
#define SUBPATTERN_MAX 1023

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

int sk_kh_lookup_name(const char *host, unsigned port, char name[SK_KH_NAME_MAX])
{
    if (host == NULL || port > 65535)
        return SSHKIT_E_INVALID_ARGUMENT;
    size_t len = strlen(host);
    if (len == 0 || len > SSHKIT_KNOWNHOSTS_MAX_HOST)
        return SSHKIT_E_INVALID_ARGUMENT;
    char low[SSHKIT_KNOWNHOSTS_MAX_HOST + 1];
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)host[i];
        if (c <= 0x20 || c == 0x7f || c == ',')
            return SSHKIT_E_INVALID_ARGUMENT;
        low[i] = lower((char)c);
    }
    low[len] = '\0';
    if (port == 0 || port == 22)
        memcpy(name, low, len + 1);
    else
        snprintf(name, SK_KH_NAME_MAX, "[%s]:%u", low, port);
    return 0;
}

bool sk_kh_glob(const char *s, size_t slen, const char *pat, size_t plen)
{
    size_t si = 0, pi = 0;
    size_t star = (size_t)-1, star_s = 0;   /* the last '*' and where it started */
    while (si < slen) {
        if (pi < plen && pat[pi] == '*') {
            star = pi++;
            star_s = si;
        } else if (pi < plen && (pat[pi] == '?' || lower(pat[pi]) == s[si])) {
            pi++;
            si++;
        } else if (star != (size_t)-1) {
            /* Let the last '*' take one more byte and try again. */
            pi = star + 1;
            si = ++star_s;
        } else {
            return false;
        }
    }
    while (pi < plen && pat[pi] == '*')
        pi++;
    return pi == plen;
}

int sk_kh_match_list(const char *name, const char *list, size_t list_len)
{
    size_t name_len = strlen(name);
    bool positive = false;
    size_t i = 0;
    while (i < list_len) {
        bool negated = list[i] == '!';
        if (negated)
            i++;
        size_t start = i;
        while (i < list_len && list[i] != ',')
            i++;
        if (i - start >= SUBPATTERN_MAX)
            return 0;
        if (sk_kh_glob(name, name_len, list + start, i - start)) {
            if (negated)
                return -1;
            positive = true;
        }
        if (i < list_len)
            i++;    /* the comma */
    }
    return positive ? 1 : 0;
}

int sk_kh_line_matches(const sk_kh_line *line, const char *name)
{
    const char *hosts = line->text + line->hosts_off;
    if (line->hashed)
        return sk_kh_hashed_match(hosts, line->hosts_len, name);
    return sk_kh_match_list(name, hosts, line->hosts_len) == 1;
}
