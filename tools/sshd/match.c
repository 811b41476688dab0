/* Wildcard patterns, pattern lists and CIDR blocks, for AllowUsers and
 * authorized_keys from= (OpenSSH's rules, written anew). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"

bool match_pattern(const char *s, const char *p)
{
    const char *star = NULL, *resume = NULL;
    while (*s) {
        if (*p == '*') {
            star = ++p;
            resume = s;
        } else if (*p == '?' || *p == *s) {
            p++;
            s++;
        } else if (star) {
            p = star;
            s = ++resume;
        } else {
            return false;
        }
    }
    while (*p == '*')
        p++;
    return *p == '\0';
}

/* Calls one(s, item) for each item of the list; the result as
 * match_pattern_list(), or -2 when one() says an item is malformed. */
static int each_item(const char *s, const char *list, int (*one)(const char *, const char *))
{
    char *copy = strdup(list), *save = NULL;
    int result = 0;
    if (copy == NULL)
        return -2;
    for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        bool negated = item[0] == '!';
        int m = one(s, item + negated);
        if (m < 0) {
            result = -2;
            break;
        }
        if (m && negated) {
            result = -1;
            break;
        }
        if (m)
            result = 1;
    }
    free(copy);
    return result;
}

static int one_pattern(const char *s, const char *pattern)
{
    return match_pattern(s, pattern);
}

int match_pattern_list(const char *s, const char *list)
{
    int r = each_item(s, list, one_pattern);
    return r == -2 ? 0 : r;
}

/* Parses an address into 16 bytes (IPv4 as IPv4-mapped IPv6); its family's
 * bit offset into them (96 for IPv4) in *base. */
static bool to_v6(const char *a, unsigned char out[16], unsigned *base)
{
    struct in_addr v4;
    if (inet_pton(AF_INET, a, &v4) == 1) {
        memset(out, 0, 10);
        out[10] = out[11] = 0xff;
        memcpy(out + 12, &v4, 4);
        *base = 96;
        return true;
    }
    *base = 0;
    return inet_pton(AF_INET6, a, out) == 1;
}

/* addr inside "net/bits": 1 or 0; -1 when the block is malformed. */
static int one_cidr(const char *addr, const char *block)
{
    char net[64];
    const char *slash = strchr(block, '/');
    if (slash == NULL)
        return match_pattern(addr, block);
    size_t len = (size_t)(slash - block);
    char *end;
    unsigned long bits = strtoul(slash + 1, &end, 10);
    unsigned char a[16], n[16];
    unsigned abase, nbase;
    if (len >= sizeof net || *end || end == slash + 1)
        return -1;
    memcpy(net, block, len);
    net[len] = '\0';
    if (!to_v6(net, n, &nbase) || bits > 128 - nbase)
        return -1;
    if (!to_v6(addr, a, &abase) || abase != nbase)
        return 0;
    bits += nbase;
    for (unsigned i = 0; i < bits; i++) {
        unsigned mask = 0x80u >> (i % 8);
        if ((a[i / 8] & mask) != (n[i / 8] & mask))
            return 0;
    }
    return 1;
}

int match_address_list(const char *addr, const char *list)
{
    return each_item(addr, list, one_cidr);
}
