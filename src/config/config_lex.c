/* Splitting configuration lines into words the way OpenSSH does: the
 * keyword (with '=' allowed after it), the arguments (quotes, escapes,
 * comments), and the words of a Match line. */
#include "config/config_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

#define BLANKS " \t\r\n"

/* ssh's strdelim: the next word of *s, ending at a blank, a '"' (which
 * starts a quoted word) or one '='; *s moves past the separators, and is
 * NULL after the last word. NULL for a quote left open. */
char *sk_cfg_next_word(char **s)
{
    if (*s == NULL)
        return NULL;
    char *word = *s;
    char *sep = strpbrk(word, BLANKS "\"=");
    if (sep == NULL) {
        *s = NULL;
        return word;
    }
    if (*sep == '"') {
        memmove(sep, sep + 1, strlen(sep));     /* drop the opening quote */
        char *close = strchr(sep, '"');
        if (close == NULL)
            return NULL;
        *close = '\0';
        *s = close + 1 + strspn(close + 1, BLANKS);
        return word;
    }
    bool equals = *sep == '=';
    *sep = '\0';
    char *next = sep + 1 + strspn(sep + 1, BLANKS);
    if (*next == '=' && !equals)                /* "Key = value": one '=' more */
        next += 1 + strspn(next + 1, BLANKS);
    *s = next;
    return word;
}

void sk_cfg_split_line(char *line, char **keyword, char **rest)
{
    *keyword = NULL;
    *rest = NULL;
    size_t len = strlen(line);
    while (len > 1 && strchr(BLANKS "\f", line[len - 1]) != NULL)
        line[--len] = '\0';
    char *s = line;
    char *word = sk_cfg_next_word(&s);
    if (word != NULL && *word == '\0')          /* the line began with blanks */
        word = sk_cfg_next_word(&s);
    if (word == NULL || *word == '\0' || *word == '\n' || *word == '#')
        return;
    *keyword = word;
    *rest = s == NULL ? "" : s + strspn(s, BLANKS);
}

/* One word of an argument list from s[*i]; appends it to out. */
static int take_word(const char *s, size_t *i, struct sk_cfg_list *out)
{
    size_t n = strlen(s + *i);
    char *word = malloc(n + 1);
    if (word == NULL)
        return SSHKIT_E_NOMEM;
    size_t j = 0;
    char quote = 0;
    for (; s[*i] != '\0'; (*i)++) {
        char c = s[*i], next = s[*i + 1];
        if (c == '\\' && (next == '\'' || next == '"' || next == '\\' ||
                          (quote == 0 && next == ' '))) {
            word[j++] = next;
            (*i)++;
        } else if (quote == 0 && (c == ' ' || c == '\t')) {
            break;
        } else if (quote == 0 && (c == '"' || c == '\'')) {
            quote = c;
        } else if (quote != 0 && c == quote) {
            quote = 0;
        } else {
            word[j++] = c;
        }
    }
    if (quote != 0) {
        free(word);
        return SSHKIT_E_FORMAT;
    }
    int rc = sk_cfg_list_add_n(out, word, j);
    free(word);
    return rc;
}

int sk_cfg_split_args(const char *s, struct sk_cfg_list *out)
{
    size_t i = 0;
    while (s[i] != '\0') {
        if (s[i] == ' ' || s[i] == '\t') {
            i++;
            continue;
        }
        if (s[i] == '#')
            break;
        int rc = take_word(s, &i, out);
        if (rc != 0) {
            sk_cfg_list_clear(out);
            return rc;
        }
    }
    return 0;
}
