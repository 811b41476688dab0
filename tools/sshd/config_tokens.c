/* Paths with sshd's tokens: %h (home), %u (user), %% (a percent sign). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

char *config_expand_tokens(const char *pattern, const char *user, const char *home)
{
    size_t cap = 1 + strlen(pattern) * (strlen(home) + strlen(user) + 1), len = 0;
    char *out = malloc(cap);
    for (const char *p = pattern; out && *p; p++) {
        const char *add;
        if (*p != '%') {
            out[len++] = *p;
            continue;
        }
        switch (*++p) {
        case 'h': add = home; break;
        case 'u': add = user; break;
        case '%': add = "%"; break;
        default: free(out); return NULL;
        }
        memcpy(out + len, add, strlen(add));
        len += strlen(add);
    }
    if (out)
        out[len] = '\0';
    return out;
}

char *config_expand_path(const char *pattern, const char *user, const char *home)
{
    char *path = config_expand_tokens(pattern, user, home);
    if (path == NULL || path[0] == '/')
        return path;
    size_t cap = strlen(home) + strlen(path) + 2;
    char *abs = malloc(cap);
    if (abs)
        snprintf(abs, cap, "%s/%s", home, path);
    free(path);
    return abs;
}
