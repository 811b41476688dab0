/* sshkit-sftp: what it prints, made safe for the terminal as OpenSSH's
 * sftp makes it. Names come from the server: a name holding escape
 * sequences must not drive the user's terminal. Standard output follows
 * OpenSSH's mprintf(): characters the locale can print pass (UTF-8 in a
 * UTF-8 locale), newline, carriage return and tab pass, every other byte
 * becomes \ooo. Messages on standard error follow OpenSSH's log: printable
 * ASCII, tab, newline, carriage return, backspace and bell pass, every
 * other byte becomes \ooo. */
#define _XOPEN_SOURCE 700   /* wcwidth() */
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "sftp.h"

void output_init(void)
{
    /* As OpenSSH's msetlocale(): the user's character set when it is
     * UTF-8, else plain C (bytes above 127 are then escaped). */
    if (setlocale(LC_CTYPE, "") == NULL || strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
        setlocale(LC_CTYPE, "C");
}

/* Appends one byte as \ooo. */
static char *octal(char *o, unsigned char c)
{
    *o++ = '\\';
    *o++ = (char)('0' + (c >> 6));
    *o++ = (char)('0' + ((c >> 3) & 7));
    *o++ = (char)('0' + (c & 7));
    return o;
}

/* s made safe for standard output, malloc'd (NULL when out of memory). */
static char *safe_for_stdout(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(4 * n + 1), *o = out;
    mbstate_t st;
    memset(&st, 0, sizeof st);
    while (out && *s) {
        wchar_t wc;
        size_t len = mbrtowc(&wc, s, n, &st);
        if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
            memset(&st, 0, sizeof st);
            o = octal(o, (unsigned char)*s++);
            n--;
            continue;
        }
        bool keep = wc == L'\n' || wc == L'\r' || wc == L'\t' || wcwidth(wc) >= 0;
        for (size_t i = 0; i < len; i++) {
            if (keep)
                *o++ = s[i];
            else
                o = octal(o, (unsigned char)s[i]);
        }
        s += len;
        n -= len;
    }
    if (out)
        *o = '\0';
    return out;
}

/* s made safe for a message on standard error, malloc'd. */
static char *safe_for_stderr(const char *s)
{
    char *out = malloc(4 * strlen(s) + 1), *o = out;
    for (; out && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n' || c == '\r' || c == '\b' ||
            c == '\a')
            *o++ = (char)c;
        else
            o = octal(o, c);
    }
    if (out)
        *o = '\0';
    return out;
}

#if defined(__GNUC__)
__attribute__((format(printf, 1, 0)))
#endif
static char *format(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (text != NULL)
        vsnprintf(text, (size_t)n + 1, fmt, ap);
    return text;
}

void mprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = format(fmt, ap);
    va_end(ap);
    char *safe = text ? safe_for_stdout(text) : NULL;
    if (safe)
        fputs(safe, stdout);
    free(safe);
    free(text);
}

void error_line(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = format(fmt, ap);
    va_end(ap);
    char *safe = text ? safe_for_stderr(text) : NULL;
    if (safe)
        fprintf(stderr, "%s\n", safe);
    free(safe);
    free(text);
}

char *safe_name(const char *s)
{
    char *safe = safe_for_stdout(s);
    return safe ? safe : xstrdup("");
}
