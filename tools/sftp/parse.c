/* sshkit-sftp: a command line made into a command: its name (OpenSSH's
 * sftp's table, any case), its flags and its paths, with the checks and
 * messages of OpenSSH's parse_args(). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sftp.h"

static const struct {
    const char *name;
    enum cmd_id id;
} commands[] = {
    { "bye", CMD_QUIT }, { "cd", CMD_CD }, { "chdir", CMD_CD }, { "chgrp", CMD_CHGRP },
    { "chmod", CMD_CHMOD }, { "chown", CMD_CHOWN }, { "copy", CMD_COPY }, { "cp", CMD_COPY },
    { "df", CMD_DF }, { "dir", CMD_LS }, { "exit", CMD_QUIT }, { "get", CMD_GET },
    { "help", CMD_HELP }, { "lcd", CMD_LCD }, { "lchdir", CMD_LCD }, { "lls", CMD_LLS },
    { "lmkdir", CMD_LMKDIR }, { "ln", CMD_LN }, { "lpwd", CMD_LPWD }, { "ls", CMD_LS },
    { "lumask", CMD_LUMASK }, { "mkdir", CMD_MKDIR }, { "mget", CMD_GET }, { "mput", CMD_PUT },
    { "progress", CMD_PROGRESS }, { "put", CMD_PUT }, { "pwd", CMD_PWD }, { "quit", CMD_QUIT },
    { "reget", CMD_REGET }, { "rename", CMD_RENAME }, { "reput", CMD_REPUT }, { "rm", CMD_RM },
    { "rmdir", CMD_RMDIR }, { "symlink", CMD_SYMLINK }, { "version", CMD_VERSION },
    { "!", CMD_SHELL }, { "?", CMD_HELP },
};

/* The flags each kind of command takes. */
static const char *flags_for(enum cmd_id id)
{
    switch (id) {
    case CMD_GET: case CMD_PUT: case CMD_REGET: case CMD_REPUT: return "afPpRr";
    case CMD_LN: return "s";
    case CMD_RENAME: return "l";
    case CMD_LS: return "1Safhlnrt";
    case CMD_DF: return "hi";
    case CMD_CHMOD: case CMD_CHOWN: case CMD_CHGRP: return "h";
    default: return "";
    }
}

static void ls_flag(struct command *c, char f)
{
    switch (f) {
    case '1': c->ls_flags = (c->ls_flags & ~LS_VIEW_FLAGS) | LS_SHORT; break;
    case 'S': c->ls_flags = (c->ls_flags & ~LS_SORT_FLAGS) | LS_SIZE_SORT; break;
    case 'a': c->ls_flags |= LS_ALL; break;
    case 'f': c->ls_flags &= ~LS_SORT_FLAGS; break;
    case 'h': c->ls_flags |= LS_SI; break;
    case 'l': c->ls_flags = (c->ls_flags & ~LS_SHORT) | LS_LONG; break;
    case 'n': c->ls_flags = (c->ls_flags & ~LS_SHORT) | LS_NUMERIC | LS_LONG; break;
    case 'r': c->ls_flags |= LS_REVERSE; break;
    case 't': c->ls_flags = (c->ls_flags & ~LS_SORT_FLAGS) | LS_TIME_SORT; break;
    default: break;
    }
}

static void set_flag(struct command *c, char f)
{
    if (c->id == CMD_LS) {
        ls_flag(c, f);
        return;
    }
    switch (f) {
    case 'a': c->a = true; break;
    case 'f': c->f = true; break;
    case 'h': c->h = true; break;
    case 'i': c->i = true; break;
    case 'p': case 'P': c->p = true; break;
    case 'r': case 'R': c->r = true; break;
    case 's': c->s = true; break;
    case 'l': c->l = true; break;
    default: break;
    }
}

/* Reads the flags as getopt(3) does (up to the first word that is not
 * one, or "--"); returns the index of the first other word, -1 on error. */
static int parse_flags(struct command *c, struct lexed *w)
{
    const char *allowed = flags_for(c->id);
    int i = 1;
    for (; i < w->argc && w->argv[i][0] == '-' && w->argv[i][1] != '\0'; i++) {
        if (strcmp(w->argv[i], "--") == 0)
            return i + 1;
        for (const char *f = w->argv[i] + 1; *f; f++) {
            if (strchr(allowed, *f) == NULL) {
                error_line("%s: Invalid flag -%c", c->id == CMD_LS ? "ls" : c->name, *f);
                return -1;
            }
            set_flag(c, *f);
        }
    }
    return i;
}

static char *dup_word(const char *w, bool unescape)
{
    char *s = strdup(w);
    if (s == NULL) {
        error_line("sshkit-sftp: out of memory");
        exit(SFTP_EXIT_FATAL);
    }
    if (unescape)
        undo_glob_escape(s);
    return s;
}

/* chmod's mode (octal) or chown's and chgrp's id, then the path. */
static int numeric_and_path(struct command *c, struct lexed *w, int at)
{
    int base = c->id == CMD_CHMOD || c->id == CMD_LUMASK ? 8 : 0;
    char *end;
    errno = 0;
    long long v = at < w->argc ? strtoll(w->argv[at], &end, base) : -1;
    if (at >= w->argc || end == w->argv[at] || *end != '\0' || errno == ERANGE || v < 0 ||
        v > (long long)UINT32_MAX) {
        error_line("You must supply a numeric argument to the %s command.", c->name);
        return -1;
    }
    c->number = (unsigned long)v;
    if (c->id == CMD_LUMASK)
        return 0;
    if (at + 1 >= w->argc) {
        error_line("You must specify a path after a %s command.", c->name);
        return -1;
    }
    c->path1 = dup_word(w->argv[at + 1], false);
    return 0;
}

static int two_paths(struct command *c, struct lexed *w, int at)
{
    if (w->argc - at < 2) {
        error_line("You must specify two paths after a %s command.", c->name);
        return -1;
    }
    c->path1 = dup_word(w->argv[at], true);
    c->path2 = dup_word(w->argv[at + 1], true);
    return 0;
}

static int one_path(struct command *c, struct lexed *w, int at, bool mandatory, bool globs)
{
    if (at >= w->argc) {
        if (!mandatory)
            return 0;
        error_line("You must specify a path after a %s command.", c->name);
        return -1;
    }
    c->path1 = dup_word(w->argv[at], !globs);
    return 0;
}

static int arguments(struct command *c, struct lexed *w, int at)
{
    switch (c->id) {
    case CMD_GET: case CMD_REGET: case CMD_PUT: case CMD_REPUT:
        if (at >= w->argc) {
            error_line("You must specify at least one path after a %s command.", c->name);
            return -1;
        }
        c->path1 = dup_word(w->argv[at], false);
        if (at + 1 < w->argc)
            c->path2 = dup_word(w->argv[at + 1], true);     /* a destination is not globbed */
        return 0;
    case CMD_LN: case CMD_COPY: case CMD_RENAME: case CMD_SYMLINK: return two_paths(c, w, at);
    case CMD_RM: return one_path(c, w, at, true, true);
    case CMD_MKDIR: case CMD_RMDIR: case CMD_LMKDIR: return one_path(c, w, at, true, false);
    case CMD_CD: case CMD_LCD: case CMD_DF: return one_path(c, w, at, false, false);
    case CMD_LS: return one_path(c, w, at, false, true);
    case CMD_CHMOD: case CMD_CHOWN: case CMD_CHGRP: case CMD_LUMASK:
        return numeric_and_path(c, w, at);
    default: return 0;
    }
}

/* Skips the '-' and '@' prefixes; returns where the command starts. */
static const char *prefixes(const char *line, struct command *c)
{
    line += strspn(line, " \t\r\n");
    for (; *line == '-' || *line == '@'; line++) {
        if (*line == '-')
            c->ignore_errors = true;
        else
            c->no_echo = true;
    }
    return line + strspn(line, " \t\r\n");
}

int parse_command(const char *line, struct command *c)
{
    memset(c, 0, sizeof *c);
    line = prefixes(line, c);
    if (*line == '\0' || *line == '#')
        return 0;                           /* CMD_BLANK */
    if (*line == '!') {
        c->id = CMD_SHELL;
        c->name = "!";
        return 0;
    }
    struct lexed *w = malloc(sizeof *w);
    int rc = w != NULL && lex_line(line, w) == 0 ? 0 : -1;
    if (rc == 0 && w->argc == 0) {
        free(w);
        return 0;
    }
    for (size_t i = 0; rc == 0 && i < sizeof commands / sizeof commands[0]; i++)
        if (strcasecmp(commands[i].name, w->argv[0]) == 0) {
            c->id = commands[i].id;
            c->name = commands[i].name;
            break;
        }
    if (rc == 0 && c->name == NULL) {
        error_line("Invalid command.");
        rc = -1;
    }
    if (c->id == CMD_LS)
        c->ls_flags = LS_NAME_SORT;
    int at = rc == 0 ? parse_flags(c, w) : -1;
    if (at < 0 || arguments(c, w, at) != 0)
        rc = -1;
    free(w);
    if (rc != 0)
        command_free(c);
    return rc;
}

void command_free(struct command *c)
{
    free(c->path1);
    free(c->path2);
    c->path1 = c->path2 = NULL;
}
