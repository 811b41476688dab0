/* sshkit-sftp: path strings, with the rules of OpenSSH's sftp (its
 * path_append(), make_absolute(), path_strip(), the glob escaping of
 * remote paths). Every result is malloc'd; allocation failure exits. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "options_values.h"
#include "sftp.h"

static char *checked(char *p)
{
    if (p == NULL) {
        error_line("sshkit-sftp: out of memory");
        exit(SFTP_EXIT_FATAL);
    }
    return p;
}

char *xstrdup(const char *s)
{
    return checked(strdup(s));
}

char *path_append(const char *p1, const char *p2)
{
    size_t l1 = strlen(p1), l2 = strlen(p2);
    bool slash = l1 > 0 && p1[l1 - 1] != '/';
    char *out = checked(malloc(l1 + slash + l2 + 1));
    memcpy(out, p1, l1);
    if (slash)
        out[l1] = '/';
    memcpy(out + l1 + slash, p2, l2 + 1);
    return out;
}

char *make_absolute(char *p, const char *pwd)
{
    if (p != NULL && p[0] != '/') {
        char *abs = path_append(pwd, p);
        free(p);
        return abs;
    }
    return p;
}

char *path_strip(const char *path, const char *strip)
{
    if (strip == NULL)
        return xstrdup(path);
    size_t len = strlen(strip);
    if (len > 0 && strncmp(path, strip, len) == 0) {
        if (strip[len - 1] != '/' && path[len] == '/')
            len++;
        return xstrdup(path + len);
    }
    return xstrdup(path);
}

char *escape_glob(const char *s)
{
    char *out = checked(malloc(2 * strlen(s) + 1)), *o = out;
    for (; *s; s++) {
        if (strchr("[]?*\\", *s) != NULL)
            *o++ = '\\';
        *o++ = *s;
    }
    *o = '\0';
    return out;
}

char *make_absolute_glob(const char *p, const char *pwd)
{
    char *escaped = escape_glob(pwd);
    if (p == NULL)
        return escaped;
    char *abs = make_absolute(xstrdup(p), escaped);
    free(escaped);
    return abs;
}

void undo_glob_escape(char *s)
{
    char *o = s;
    while (*s) {
        if (s[0] == '\\' && s[1] != '\0' && strchr("?[*\\", s[1]) != NULL) {
            *o++ = s[1];
            s += 2;
            continue;
        }
        *o++ = *s++;
    }
    *o = '\0';
}

char *path_base(const char *path)
{
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    if (len == 0)
        return xstrdup(".");
    if (len == 1 && path[0] == '/')
        return xstrdup("/");
    size_t start = len;
    while (start > 0 && path[start - 1] != '/')
        start--;
    return checked(strndup(path + start, len - start));
}

bool path_is_marked_dir(const char *path)
{
    size_t len = strlen(path);
    return len > 0 && path[len - 1] == '/';
}

bool local_is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

char *tilde_expand(const char *path)
{
    if (path[0] != '~' || (path[1] != '\0' && path[1] != '/'))
        return xstrdup(path);
    return checked(value_expand_path(path));
}
