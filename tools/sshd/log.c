/* Log lines to stderr or syslog, as sshd: "-e" lines carry no time stamp. */
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

#include "log.h"

static int log_level = SSHD_LOG_INFO;
static bool log_stderr = true;

void log_init(int level, bool to_stderr)
{
    log_level = level;
    log_stderr = to_stderr;
    if (!to_stderr)
        openlog("sshkit-sshd", LOG_PID, LOG_AUTH);
}

bool log_enabled(int level)
{
    return level <= log_level && level > SSHD_LOG_QUIET;
}

static int syslog_priority(int level)
{
    switch (level) {
    case SSHD_LOG_FATAL: return LOG_CRIT;
    case SSHD_LOG_ERROR: return LOG_ERR;
    case SSHD_LOG_INFO:
    case SSHD_LOG_VERBOSE: return LOG_INFO;
    default: return LOG_DEBUG;
    }
}

static void write_line(int level, const char *line)
{
    static const char *const prefix[] = { "", "debug1: ", "debug2: ", "debug3: " };
    const char *p = level >= SSHD_LOG_DEBUG1 ? prefix[level - SSHD_LOG_VERBOSE] : "";
    if (log_stderr) {
        fprintf(stderr, "%s%s\n", p, line);
        fflush(stderr);
    } else {
        syslog(syslog_priority(level), "%s%s", p, line);
    }
}

void log_msg(int level, const char *fmt, ...)
{
    if (!log_enabled(level))
        return;
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    write_line(level, line);
}

const char *log_clean(const char *s, char *buf, size_t cap)
{
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++)
        buf[i] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? '?' : s[i];
    buf[i] = '\0';
    return buf;
}

void log_session_line(void *user, sshkit_log_level level, const char *message)
{
    static const int map[] = { SSHD_LOG_VERBOSE, SSHD_LOG_VERBOSE, SSHD_LOG_DEBUG1,
                               SSHD_LOG_DEBUG3 };
    int ours = level <= SSHKIT_LOG_TRACE ? map[level] : SSHD_LOG_DEBUG3;
    log_msg(ours, "%s: %s", (const char *)user, message);
}
