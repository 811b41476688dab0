/* sshkit-sshd's log: lines as sshd writes them, to standard error (-e, -d)
 * or to syslog (facility AUTH). Levels are LogLevel's (enum sshd_log_level). */
#ifndef SSHKIT_SSHD_LOG_H
#define SSHKIT_SSHD_LOG_H

#include <stdbool.h>
#include <sshkit.h>

#include "config.h"

/* Starts logging at a level; to stderr, or to syslog. */
void log_init(int level, bool to_stderr);

/* Whether lines of a level are written. */
bool log_enabled(int level);

/* Writes one line (printf format) at a level; debug levels get sshd's
 * "debugN: " prefix. */
void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_fatal(...) log_msg(SSHD_LOG_FATAL, __VA_ARGS__)
#define log_error(...) log_msg(SSHD_LOG_ERROR, __VA_ARGS__)
#define log_info(...) log_msg(SSHD_LOG_INFO, __VA_ARGS__)
#define log_verbose(...) log_msg(SSHD_LOG_VERBOSE, __VA_ARGS__)
#define log_debug(...) log_msg(SSHD_LOG_DEBUG1, __VA_ARGS__)

/* A copy of s fit for a log line: control characters become '?'. */
const char *log_clean(const char *s, char *buf, size_t cap);

/* A session's log callback (sshkit_session_set_log); user is the
 * connection's "ADDR port P" label, a NUL-terminated string. */
void log_session_line(void *user, sshkit_log_level level, const char *message);

#endif
