/* sshkit-ssh's messages on stderr, filtered by LogLevel as ssh's are:
 * errors and notices bare, debug lines as "debug1: ...". */
#include <stdarg.h>
#include <stdio.h>

#include "ssh_client.h"

static enum ssh_log_level current = SSH_LOG_INFO;

void log_set_level(enum ssh_log_level level)
{
    current = level;
}

bool log_enabled(enum ssh_log_level level)
{
    return level <= current && current != SSH_LOG_QUIET;
}

static const char *prefix(enum ssh_log_level level)
{
    switch (level) {
    case SSH_LOG_DEBUG1: return "debug1: ";
    case SSH_LOG_DEBUG2: return "debug2: ";
    case SSH_LOG_DEBUG3: return "debug3: ";
    default: return "";
    }
}

void log_at(enum ssh_log_level level, const char *fmt, ...)
{
    if (!log_enabled(level))
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs(prefix(level), stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* The session's lines: its protocol steps are ssh's debug1 lines, its
 * packet traces debug3. */
static void session_line(void *user, sshkit_log_level level, const char *message)
{
    (void)user;
    log_at(level == SSHKIT_LOG_TRACE ? SSH_LOG_DEBUG3 : SSH_LOG_DEBUG1, "%s", message);
}

void log_attach(sshkit_session *s)
{
    if (current < SSH_LOG_DEBUG1)
        return;
    sshkit_session_set_log(s, current >= SSH_LOG_DEBUG3 ? SSHKIT_LOG_TRACE : SSHKIT_LOG_DEBUG,
                           session_line, NULL);
}
