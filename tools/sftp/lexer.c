/* sshkit-sftp: splitting a command line into words with the rules of
 * OpenSSH's sftp: sh(1)-like quoting and escaping, '#' comments, and glob
 * characters that were quoted or escaped left escaped (one backslash) for
 * the commands that glob; the others undo that (undo_glob_escape()). */
#include <ctype.h>
#include <string.h>

#include "sftp.h"

enum lex_state { LEX_START, LEX_UNQUOTED, LEX_SQUOTE, LEX_DQUOTE };

struct lexer {
    struct lexed *out;
    size_t len;                 /* bytes used in out->buf */
    enum lex_state state;
    bool overflow;
};

static bool is_glob_char(char c)
{
    return c == '?' || c == '[' || c == '*';
}

static void put(struct lexer *lx, char c)
{
    if (lx->len + 1 >= sizeof lx->out->buf) {
        lx->overflow = true;
        return;
    }
    lx->out->buf[lx->len++] = c;
}

/* Starts a word at the current position. */
static void begin_word(struct lexer *lx, enum lex_state state)
{
    if (lx->out->argc >= LEX_MAX_ARGS) {
        lx->overflow = true;    /* reported as too many arguments */
        return;
    }
    lx->out->argv[lx->out->argc] = lx->out->buf + lx->len;
    lx->state = state;
}

static void end_word(struct lexer *lx)
{
    put(lx, '\0');
    lx->out->argc++;
    lx->state = LEX_START;
}

/* A backslash at s[0]; returns how many characters it consumed. */
static size_t backslash(struct lexer *lx, const char *s)
{
    char next = s[1];
    if (lx->state == LEX_SQUOTE || lx->state == LEX_DQUOTE) {
        char quote = lx->state == LEX_SQUOTE ? '\'' : '"';
        if (next == quote) {
            put(lx, next);                  /* the quote itself */
        } else if (is_glob_char(next)) {
            put(lx, '\\');                  /* a literal backslash, then */
            put(lx, '\\');                  /* the glob character escaped */
            put(lx, '\\');
            put(lx, next);
        } else if (next != '\0') {
            put(lx, '\\');                  /* kept as typed */
            put(lx, next);
        } else {
            put(lx, '\\');
            return 1;
        }
        return 2;
    }
    if (lx->state == LEX_START)
        begin_word(lx, LEX_UNQUOTED);
    if (next == '\0') {
        put(lx, '\\');
        return 1;
    }
    if (is_glob_char(next) || next == '\\')
        put(lx, '\\');                      /* stays escaped for glob */
    put(lx, next);
    return 2;
}

static void quote(struct lexer *lx, char c)
{
    enum lex_state q = c == '"' ? LEX_DQUOTE : LEX_SQUOTE;
    if (lx->state == LEX_START)
        begin_word(lx, q);
    else if (lx->state == LEX_UNQUOTED)
        lx->state = q;
    else if (lx->state == q)
        lx->state = LEX_UNQUOTED;
    else
        put(lx, c);
}

static void ordinary(struct lexer *lx, char c)
{
    if (lx->state == LEX_START)
        begin_word(lx, LEX_UNQUOTED);
    if ((lx->state == LEX_SQUOTE || lx->state == LEX_DQUOTE) && is_glob_char(c))
        put(lx, '\\');                      /* a quoted glob character is literal */
    put(lx, c);
}

int lex_line(const char *line, struct lexed *out)
{
    struct lexer lx = { .out = out, .state = LEX_START };
    out->argc = 0;
    if (strlen(line) >= sizeof out->buf) {
        error_line("string too long");
        return -1;
    }
    const char *s = line;
    for (; *s && !lx.overflow; s++) {
        bool quoted = lx.state == LEX_SQUOTE || lx.state == LEX_DQUOTE;
        if (isspace((unsigned char)*s)) {
            if (lx.state == LEX_UNQUOTED)
                end_word(&lx);
            else if (quoted)
                put(&lx, *s);
        } else if (*s == '"' || *s == '\'') {
            quote(&lx, *s);
        } else if (*s == '\\') {
            s += backslash(&lx, s) - 1;
        } else if (*s == '#' && !quoted) {
            break;                          /* a comment to the end of the line */
        } else {
            ordinary(&lx, *s);
        }
    }
    if (lx.overflow) {
        error_line(out->argc >= LEX_MAX_ARGS ? "Too many arguments." : "string too long");
        return -1;
    }
    if ((lx.state == LEX_SQUOTE || lx.state == LEX_DQUOTE) && *s != '#') {
        error_line("Unterminated quoted argument");
        return -1;
    }
    if (lx.state == LEX_UNQUOTED)
        end_word(&lx);
    out->argv[out->argc] = NULL;
    return lx.overflow ? -1 : 0;
}
