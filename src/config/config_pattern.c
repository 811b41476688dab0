/* Patterns as ssh_config uses them: '*' and '?' globs (case-sensitive, as
 * Host lines compare them), and comma-separated lists with '!' negation
 * (Match host, user...). */
#include "config/config_internal.h"

#include <ctype.h>
#include <string.h>

/* A pattern longer than this never matches, as in OpenSSH. */
#define SUBPATTERN_MAX 1023

bool sk_cfg_glob(const char *s, const char *p)
{
    const char *star = NULL, *resume = NULL;
    while (*s) {
        if (*p == '*') {
            star = ++p;
            resume = s;
        } else if (*p != '\0' && (*p == '?' || *p == *s)) {
            p++;
            s++;
        } else if (star) {
            p = star;           /* let the last '*' take one more character */
            s = ++resume;
        } else {
            return false;
        }
    }
    while (*p == '*')
        p++;
    return *p == '\0';
}

int sk_cfg_pattern_list(const char *s, const char *list, bool lower)
{
    char sub[SUBPATTERN_MAX + 1];
    int result = 0;
    size_t i = 0, len = strlen(list);
    while (i < len) {
        bool negated = list[i] == '!';
        if (negated)
            i++;
        size_t n = 0;
        for (; i < len && list[i] != ','; i++) {
            if (n == SUBPATTERN_MAX)
                return 0;
            sub[n++] = lower ? (char)tolower((unsigned char)list[i]) : list[i];
        }
        if (n == SUBPATTERN_MAX)
            return 0;
        if (i < len)
            i++;                /* the comma */
        sub[n] = '\0';
        if (sk_cfg_glob(s, sub)) {
            if (negated)
                return -1;
            result = 1;
        }
    }
    return result;
}
