/* sshkit-sftp: what its parts share. OpenSSH's sftp on sshkit's SFTP
 * client (DESIGN.md section 6): the same command line, commands, batch
 * mode, messages and exit statuses (0; 1 when a batch command failed or
 * the command line is wrong; 255 when connecting, authenticating or the
 * connection fails). The connection is sshkit-ssh's (ssh_client.h). */
#ifndef SSHKIT_SFTP_TOOL_H
#define SSHKIT_SFTP_TOOL_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sshkit.h>

#include "ssh_client.h"

/* Exit statuses, as OpenSSH's sftp. */
#define SFTP_EXIT_COMMAND 1     /* a batch command failed; a bad command line */
#define SFTP_EXIT_FATAL 255     /* no connection, or it was lost */

/* Longest command line, as OpenSSH's sftp reads them. */
#define SFTP_LINE_MAX 2048

/* Set by SIGINT while a command runs (interactive mode): the command
 * stops at the next safe point, as OpenSSH's sftp does. */
extern volatile sig_atomic_t sftp_interrupted;

/* ---- options.c, usage.c: the command line ---- */

struct sftp_options {
    struct ssh_options ssh;     /* the connection's options, as sshkit-ssh's */
    FILE *input;                /* where commands come from: stdin or -b's file */
    bool batch;                 /* -b */
    bool quiet;                 /* -q, or -b without -N: no notices */
    bool progress;              /* the progress meter is wanted */
    bool resume_all;            /* -a: get and put resume */
    bool fsync_all;             /* -f */
    bool preserve_all;          /* -p */
    bool recurse_all;           /* -r */
    unsigned requests;          /* -R; 0: the library's default (64) */
    uint32_t buffer_size;       /* -B; 0: the server's limit */
    char *start_path;           /* the path of host:path, or NULL */
    const char *local_path;     /* the word after host:path (a local file), or NULL */
};

/* Parses argv; prints OpenSSH's message and exits 1 (or 255, as sftp
 * does for some) on a bad command line; -h prints the manual and exits 0. */
void sftp_options_parse(struct sftp_options *o, int argc, char **argv);
void sftp_options_free(struct sftp_options *o);
/* The short usage on stderr, exit 1. */
_Noreturn void sftp_usage(void);
/* The manual (-h) on stdout, exit 0. */
_Noreturn void sftp_manual(void);

/* ---- remote.c: the SFTP session over sshkit-ssh's connection ---- */

struct remote {
    struct ssh_conn conn;
    const struct sftp_options *opt;
    sshkit_channel *channel;
    sshkit_sftp *sftp;
    bool lost;                  /* the connection ended (said once) */
};

/* Connects, authenticates and starts the SFTP session, printing ssh's and
 * sftp's messages on failure; false then (exit 255). */
bool remote_open(struct remote *r, const struct sftp_options *o);
/* Ends the session politely and frees everything. */
void remote_close(struct remote *r);
/* Lets the session make progress: handles what the connection brings, or
 * waits for the socket (a second at most) when there is nothing. Returns
 * SSHKIT_E_AGAIN (call the pending SFTP call again), or SSHKIT_E_CLOSED
 * once the connection has ended (said in ssh's words, once). */
int remote_pump(struct remote *r);
/* Runs one non-blocking SFTP call to its end: expr is called again, with
 * the same arguments, after each round of remote_pump(). */
#define REMOTE_CALL(r, rc, expr)                                              \
    do {                                                                      \
        (rc) = (expr);                                                        \
    } while ((rc) == SSHKIT_E_AGAIN && ((rc) = remote_pump(r)) == SSHKIT_E_AGAIN)
/* Why a call failed, in OpenSSH's sftp's words ("No such file or
 * directory"); a failure of the session itself is fatal (exit 255). */
const char *remote_why(struct remote *r, int rc);

/* ---- remote_ops.c: requests with OpenSSH's messages ---- */

/* Each returns 0, or -1 after printing OpenSSH's message (when !quiet
 * for the ones that take it). */
int rs_stat(struct remote *r, const char *path, sshkit_sftp_attrs *a, bool quiet);
int rs_lstat(struct remote *r, const char *path, sshkit_sftp_attrs *a, bool quiet);
/* The canonical path, malloc'd; NULL after "realpath PATH: WHY". */
char *rs_realpath(struct remote *r, const char *path);
int rs_mkdir(struct remote *r, const char *path, unsigned mode, bool quiet);
int rs_rmdir(struct remote *r, const char *path);
int rs_remove(struct remote *r, const char *path);
int rs_rename(struct remote *r, const char *from, const char *to, bool legacy);
int rs_symlink(struct remote *r, const char *target, const char *link_path);
int rs_hardlink(struct remote *r, const char *existing, const char *link_path);
int rs_setstat(struct remote *r, const char *path, const sshkit_sftp_attrs *a, bool no_follow);
int rs_statvfs(struct remote *r, const char *path, sshkit_sftp_fs_stats *st);
int rs_copy(struct remote *r, const char *from, const char *to);
/* Whether a remote path is a directory (quietly: false when it cannot be told). */
bool rs_is_dir(struct remote *r, const char *path);

/* ---- remote_dir.c: whole directory listings ---- */

struct rs_dirent {
    char *name;
    char *longname;
    sshkit_sftp_attrs attrs;
};

struct rs_dir {
    struct rs_dirent *v;
    size_t n;
};

/* Reads a whole directory; -1 after OpenSSH's message ("remote readdir
 * ..."). Entries whose name holds a '/' are dropped with a message. */
int rs_readdir(struct remote *r, const char *path, struct rs_dir *d);
void rs_dir_free(struct rs_dir *d);

/* ---- rglob.c: glob(3) on the remote side ---- */

enum {
    RGLOB_MARK = 1,             /* append '/' to directories */
    RGLOB_NOCHECK = 2,          /* no match: the pattern itself */
    RGLOB_NOSORT = 4            /* keep the order of discovery */
};
enum { RGLOB_NOMATCH = 1, RGLOB_NOSPACE = 2 };

struct rglob_entry {
    char *path;
    sshkit_sftp_attrs attrs;    /* lstat's (flags 0 when unknown) */
    const char *longname;       /* the server's ls -l line when listed; else NULL */
};

struct rglob {
    struct rglob_entry *v;
    size_t n, cap;
    size_t matched;             /* real matches (0 for a NOCHECK answer) */
    struct rs_dir *dirs;        /* listings the entries' longnames point into */
    size_t ndirs;
};

/* Expands pattern as OpenBSD's glob(3) does (*, ?, [...], backslash
 * escapes, no match for a leading '.' unless the pattern has one).
 * Returns 0, or RGLOB_NOMATCH or RGLOB_NOSPACE with g left empty. */
int rglob(struct remote *r, const char *pattern, int flags, struct rglob *g);
void rglob_free(struct rglob *g);
/* Whether a path holds unescaped glob characters. */
bool glob_has_magic(const char *s);

/* ---- output.c: printing what the server sent, safely ---- */

/* Sets the character set from the environment (UTF-8 or C), as OpenSSH's sftp. */
void output_init(void);
/* printf() to standard output with unprintable characters escaped (\ooo). */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
void mprintf(const char *fmt, ...);
/* One message line on standard error, escaped as OpenSSH's log escapes. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
void error_line(const char *fmt, ...);
/* s as mprintf() would print it, malloc'd. */
char *safe_name(const char *s);

/* ---- paths.c ---- */

/* strdup(), exiting on failure. */
char *xstrdup(const char *s);

/* p1 + "/" + p2 (no doubled '/'), malloc'd. */
char *path_append(const char *p1, const char *p2);
/* p relative to pwd made absolute, malloc'd (p is freed). */
char *make_absolute(char *p, const char *pwd);
/* path without its leading strip (and the '/' after it), malloc'd. */
char *path_strip(const char *path, const char *strip);
/* s with glob characters escaped, malloc'd. */
char *escape_glob(const char *s);
/* p made absolute against an escaped pwd, for globbing; malloc'd. */
char *make_absolute_glob(const char *p, const char *pwd);
/* Undoes escape_glob() (and the lexer's escapes) in place. */
void undo_glob_escape(char *s);
/* The last component, as basename(3) (trailing '/' ignored), malloc'd. */
char *path_base(const char *path);
/* Whether a glob answer names a directory (GLOB_MARK's '/'). */
bool path_is_marked_dir(const char *path);
bool local_is_dir(const char *path);
/* "~" and "~/..." expanded with $HOME, malloc'd. */
char *tilde_expand(const char *path);

/* ---- lexer.c: command lines as OpenSSH's sftp splits them ---- */

#define LEX_MAX_ARGS 128
#define LEX_MAX_LEN 8192

struct lexed {
    char *argv[LEX_MAX_ARGS + 1];
    int argc;
    char buf[LEX_MAX_LEN];
};

/* Splits a line into words: blanks separate, "..." and '...' quote,
 * backslash escapes, # starts a comment; quoted and escaped glob
 * characters stay escaped for the globbing commands. -1 after the
 * message for an unterminated quote or too long a line. */
int lex_line(const char *line, struct lexed *out);

/* ---- parse.c: commands and their flags ---- */

enum cmd_id {
    CMD_BLANK = 0, CMD_CD, CMD_CHGRP, CMD_CHMOD, CMD_CHOWN, CMD_COPY, CMD_DF, CMD_GET,
    CMD_HELP, CMD_LCD, CMD_LLS, CMD_LMKDIR, CMD_LN, CMD_LPWD, CMD_LS, CMD_LUMASK, CMD_MKDIR,
    CMD_PUT, CMD_PWD, CMD_QUIT, CMD_REGET, CMD_RENAME, CMD_REPUT, CMD_RM, CMD_RMDIR,
    CMD_SYMLINK, CMD_VERSION, CMD_PROGRESS, CMD_SHELL
};

/* ls's flags, as OpenSSH's sftp. */
enum {
    LS_LONG = 0x1, LS_SHORT = 0x2, LS_NUMERIC = 0x4, LS_NAME_SORT = 0x8, LS_TIME_SORT = 0x10,
    LS_SIZE_SORT = 0x20, LS_REVERSE = 0x40, LS_ALL = 0x80, LS_SI = 0x100
};
#define LS_VIEW_FLAGS (LS_LONG | LS_SHORT | LS_NUMERIC | LS_SI)
#define LS_SORT_FLAGS (LS_NAME_SORT | LS_TIME_SORT | LS_SIZE_SORT)

struct command {
    enum cmd_id id;
    const char *name;           /* as the table spells it */
    bool ignore_errors;         /* a leading '-' */
    bool no_echo;               /* a leading '@' */
    bool a, f, h, i, p, r, s, l;/* the flags given */
    unsigned ls_flags;
    unsigned long number;       /* chmod's mode, chown's uid... */
    char *path1, *path2;        /* malloc'd, or NULL */
};

/* Parses one line. Returns 0 (command filled: CMD_BLANK for nothing to
 * do) or -1 after OpenSSH's message (the prefixes are still set). */
int parse_command(const char *line, struct command *c);
void command_free(struct command *c);

/* ---- dispatch.c: running a command ---- */

struct sftp_state {
    struct remote *r;
    const struct sftp_options *opt;
    char *pwd;                  /* the remote working directory */
    char *startdir;             /* where the session started */
    bool progress;              /* the meter, as the progress command toggles it */
};

enum dispatch_result { DISPATCH_OK = 0, DISPATCH_QUIT = 1, DISPATCH_ABORT = -1 };

/* Parses and runs one line. err_abort: a failure ends the session (batch
 * mode) unless the line starts with '-'; echo: "sftp> LINE" first. */
enum dispatch_result dispatch_line(struct sftp_state *st, const char *line, bool err_abort,
                                   bool echo);

/* ---- cmd_*.c: the commands; each returns 0 or -1 (message printed) ---- */

int cmd_get(struct sftp_state *st, const struct command *c, bool resume);
int cmd_put(struct sftp_state *st, const struct command *c, bool resume);
int cmd_ls(struct sftp_state *st, const struct command *c);
int cmd_df(struct sftp_state *st, const struct command *c);
int cmd_cd(struct sftp_state *st, const struct command *c);
int cmd_paths(struct sftp_state *st, const struct command *c, bool err_abort);
int cmd_local(struct sftp_state *st, const struct command *c);
void cmd_help(void);

/* ---- transfer.c: one file, with the meter ---- */

struct transfer_job {
    bool upload;
    const char *local;
    const char *remote;
    bool resume, preserve, fsync;
    const char *meter_name;     /* shown by the meter; NULL for no meter */
    uint64_t meter_start;       /* bytes already at the destination (resuming) */
    uint64_t meter_total;       /* the source's size */
};

/* Runs one get or put through the library. Returns 0 or the library's
 * error; 1 when interrupted by SIGINT (the local file cut back to the
 * bytes received in order). */
int transfer_run(struct sftp_state *st, const struct transfer_job *job);

/* ---- recurse.c: get -r and put -r ---- */

int download_dir(struct sftp_state *st, const char *src, const char *dst, bool preserve,
                 bool resume, bool fsync);
int upload_dir(struct sftp_state *st, const char *src, const char *dst, bool preserve,
               bool resume, bool fsync);
/* One file each way with OpenSSH's checks and messages (get.c, put.c). */
int download_file(struct sftp_state *st, const char *remote, const char *local,
                  const sshkit_sftp_attrs *known, bool preserve, bool resume, bool fsync);
int upload_file(struct sftp_state *st, const char *local, const char *remote, bool preserve,
                bool resume, bool fsync);

/* ---- ls_format.c ---- */

/* The mode as OpenBSD's strmode(3) writes it: "drwxr-xr-x " (a space for
 * the ACL mark), into 12 bytes. */
void format_mode(uint32_t mode, char out[12]);
/* A size as OpenBSD's fmt_scaled() writes it ("1.5M", "234G"), into 7+ bytes;
 * false when it does not fit. */
bool format_scaled(long long number, char *out, size_t cap);
/* One ls -l line as OpenSSH's sftp prints it (link count "?", the names
 * given or the numeric ids), malloc'd. */
char *format_long(const char *name, const sshkit_sftp_attrs *a, bool si_units,
                  const char *user, const char *group);

/* ---- names.c: the server's user and group names ---- */

/* Learns names from a listing's longnames (the server's own lookup). */
void names_learn(const struct rs_dir *d);
/* The server's name for a uid or gid, when known; NULL otherwise. */
const char *names_user(uint32_t uid);
const char *names_group(uint32_t gid);
/* Whether the server looks names up for its clients (OpenSSH's sftp then
 * shows names in every long listing). */
bool names_available(struct remote *r);
/* Makes sure the names of the owners of path's entries are known (lists
 * its parent directory when they are not). */
void names_fetch_for(struct remote *r, const char *path, const sshkit_sftp_attrs *a);

/* ---- progress.c: the meter, as OpenSSH's ---- */

/* Starts a meter for name (at most one at a time) from start of total bytes. */
void progress_start(const char *name, uint64_t start, uint64_t total);
/* Moves it to done; redrawn at most once a second unless force. */
void progress_update(uint64_t done, bool force);
/* Draws the last state and ends the line. */
void progress_stop(void);

/* ---- loop.c ---- */

/* Reads and runs commands until the end of input or quit; returns the
 * exit status. */
int run_commands(struct sftp_state *st);
/* host:path: changes to path or fetches it; returns the exit status, or
 * -1 to go on with the commands. */
int run_start_path(struct sftp_state *st);

#endif
