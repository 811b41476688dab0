/* Line splitting for text formats; see lines.h. */
#include "common/lines.h"

void sk_lines_init(sk_lines *it, const char *text, size_t len)
{
    it->pos = text;
    it->end = text ? text + len : text;
}

bool sk_lines_next(sk_lines *it, const char **line, size_t *len)
{
    if (it->pos == it->end)
        return false;
    const char *e = it->pos;
    while (e < it->end && *e != '\r' && *e != '\n')
        e++;
    *line = it->pos;
    *len = (size_t)(e - it->pos);
    if (e < it->end && *e == '\r')
        e++;
    if (e < it->end && *e == '\n' && (e == *line + *len || e[-1] == '\r'))
        e++;
    it->pos = e;
    return true;
}

const char *sk_skip_blanks(const char *p, const char *end)
{
    while (p < end && sk_is_blank(*p))
        p++;
    return p;
}

const char *sk_find_blank(const char *p, const char *end)
{
    while (p < end && !sk_is_blank(*p))
        p++;
    return p;
}
