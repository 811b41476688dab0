/* One authorized_keys line: options, key, comment (sshd(8) "AUTHORIZED_KEYS
 * FILE FORMAT"). Syntax only; the server decides what options mean. */
#include <sshkit/authorized_keys.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "common/lines.h"
#include "keys/key_internal.h"
#include <sshkit/error.h>

struct ak_option {
    char *name;
    char *value;    /* NULL for a flag */
};

struct sshkit_authorized_key {
    sshkit_key *key;
    struct ak_option options[SSHKIT_AUTHORIZED_KEY_MAX_OPTIONS];
    size_t option_count;
};

void sshkit_authorized_key_free(sshkit_authorized_key *ak)
{
    if (ak == NULL)
        return;
    for (size_t i = 0; i < ak->option_count; i++) {
        free(ak->options[i].name);
        if (ak->options[i].value)
            sshkit_free(ak->options[i].value, 0);   /* may hold a command line */
    }
    sshkit_key_free(ak->key);
    free(ak);
}

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == '@' || c == '.';
}

/* The quoted value at *p (which is at the opening quote) into a new string;
 * *p ends after the closing quote. */
static int read_quoted(const char **p, const char *end, char **value)
{
    const char *s = *p + 1;
    char *out = malloc((size_t)(end - s) + 1), *o = out;
    if (out == NULL)
        return SSHKIT_E_NOMEM;
    while (s < end && *s != '"') {
        if (*s == '\\' && s + 1 < end && s[1] == '"')
            s++;
        *o++ = *s++;
    }
    *o = '\0';
    if (s == end) {
        free(out);
        return SSHKIT_E_FORMAT;     /* no closing quote */
    }
    *p = s + 1;
    *value = out;
    return 0;
}

static int add_option(sshkit_authorized_key *ak, const char *name, size_t len, char *value)
{
    char *copy = ak->option_count < SSHKIT_AUTHORIZED_KEY_MAX_OPTIONS ? malloc(len + 1) : NULL;
    if (copy == NULL) {
        if (value)
            sshkit_free(value, 0);
        return ak->option_count < SSHKIT_AUTHORIZED_KEY_MAX_OPTIONS ? SSHKIT_E_NOMEM
                                                                    : SSHKIT_E_TOO_LARGE;
    }
    memcpy(copy, name, len);
    copy[len] = '\0';
    ak->options[ak->option_count].name = copy;
    ak->options[ak->option_count].value = value;
    ak->option_count++;
    return 0;
}

/* Options from *p up to the first blank outside quotes; *p ends there. */
static int parse_options(sshkit_authorized_key *ak, const char **p, const char *end)
{
    const char *s = *p;
    for (;;) {
        const char *name = s;
        char *value = NULL;
        while (s < end && is_name_char(*s))
            s++;
        if (s == name)
            return SSHKIT_E_FORMAT;     /* empty option or bad character */
        size_t name_len = (size_t)(s - name);
        if (s < end && *s == '=') {
            if (++s == end || *s != '"')
                return SSHKIT_E_FORMAT;
            int rc = read_quoted(&s, end, &value);
            if (rc)
                return rc;
        }
        int rc = add_option(ak, name, name_len, value);
        if (rc)
            return rc;
        if (s == end || sk_is_blank(*s))
            break;
        if (*s++ != ',')
            return SSHKIT_E_FORMAT;
    }
    *p = s;
    return 0;
}

/* Strips one final LF or CRLF; any other CR, LF or NUL is malformed. */
static int trim_line(const char *line, size_t *len)
{
    if (*len > 0 && line[*len - 1] == '\n')
        (*len)--;
    if (*len > 0 && line[*len - 1] == '\r')
        (*len)--;
    for (size_t i = 0; i < *len; i++)
        if (line[i] == '\r' || line[i] == '\n' || line[i] == '\0')
            return SSHKIT_E_FORMAT;
    return 0;
}

/* Whether the line starts with a key type name (and so has no options). */
static bool starts_with_key_type(const char *p, const char *end)
{
    sk_bytes word = { (const uint8_t *)p, (size_t)(sk_find_blank(p, end) - p) };
    sshkit_key_type type;
    return sk_key_type_from_name(word, &type) == 0;
}

static int parse_line(sshkit_authorized_key *ak, const char *line, size_t len)
{
    int rc = trim_line(line, &len);
    if (rc)
        return rc;
    const char *end = line + len, *p = sk_skip_blanks(line, end);
    if (p == end || *p == '#')
        return SSHKIT_E_NOT_FOUND;
    if (!starts_with_key_type(p, end)) {
        if ((rc = parse_options(ak, &p, end)) != 0)
            return rc;
        p = sk_skip_blanks(p, end);
        if (p == end)
            return SSHKIT_E_FORMAT;
    }
    return sk_key_parse_public_line(p, (size_t)(end - p), &ak->key);
}

int sshkit_authorized_key_parse(const char *line, size_t len, sshkit_authorized_key **out)
{
    if (out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = NULL;
    if (line == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    sshkit_authorized_key *ak = calloc(1, sizeof *ak);
    if (ak == NULL)
        return SSHKIT_E_NOMEM;
    int rc = parse_line(ak, line, len);
    if (rc) {
        sshkit_authorized_key_free(ak);
        return rc;
    }
    *out = ak;
    return 0;
}

const sshkit_key *sshkit_authorized_key_get_key(const sshkit_authorized_key *ak)
{
    return ak->key;
}

const char *sshkit_authorized_key_comment(const sshkit_authorized_key *ak)
{
    return sshkit_key_comment(ak->key);
}

size_t sshkit_authorized_key_option_count(const sshkit_authorized_key *ak)
{
    return ak->option_count;
}

int sshkit_authorized_key_option(const sshkit_authorized_key *ak, size_t index,
                                 const char **name, const char **value)
{
    if (index >= ak->option_count)
        return SSHKIT_E_NOT_FOUND;
    if (name)
        *name = ak->options[index].name;
    if (value)
        *value = ak->options[index].value;
    return 0;
}

int sshkit_authorized_key_find_option(const sshkit_authorized_key *ak, const char *name,
                                      size_t start)
{
    for (size_t i = start; i < ak->option_count; i++)
        if (strcasecmp(ak->options[i].name, name) == 0)
            return (int)i;
    return SSHKIT_E_NOT_FOUND;
}
