/* sshkit-sftp: the progress meter, drawn as OpenSSH's progressmeter.c
 * draws it: "\r", the file name padded to the terminal's width less 36
 * columns, the percentage, the bytes done and the rate (in K, M, G, T
 * units of 1024), and the time left ("ETA") or taken, or "- stalled -";
 * redrawn once a second at most, only while the process is in the
 * terminal's foreground. Written on standard output, as OpenSSH's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "sftp.h"

#define METER_DEFAULT_COLS 80
#define METER_MAX_COLS 512
#define METER_STALL_SECONDS 5
#define METER_AGE_FACTOR 0.9

static struct {
    char *name;                 /* escaped as mprintf() escapes */
    uint64_t start_pos, end_pos;
    uint64_t counter;           /* bytes done, as last told */
    uint64_t cur_pos;           /* bytes done at the last drawing */
    double start, last_update;
    double bytes_per_second;
    double stalled;
    bool running;
} meter;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool can_output(void)
{
    return getpgrp() == tcgetpgrp(STDOUT_FILENO);
}

static int columns(void)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col != 0)
        return ws.ws_col > METER_MAX_COLS ? METER_MAX_COLS : ws.ws_col;
    return METER_DEFAULT_COLS;
}

static const char units[] = " KMGT";

/* "%4lld" and a unit: 1023 bytes stay bytes, then K, M... */
static void format_size(char *buf, size_t cap, uint64_t bytes)
{
    int i = 0;
    for (; bytes >= 10000 && units[i] != 'T'; i++)
        bytes = (bytes + 512) / 1024;
    snprintf(buf, cap, "%4llu%c%s", (unsigned long long)bytes, units[i], i ? "B" : " ");
}

/* A rate with one decimal, at least in KB. */
static void format_rate(char *buf, size_t cap, uint64_t bytes)
{
    int i = 0;
    bytes *= 100;
    for (; bytes >= 100 * 1000 && units[i] != 'T'; i++)
        bytes = (bytes + 512) / 1024;
    if (i == 0) {
        i++;
        bytes = (bytes + 512) / 1024;
    }
    snprintf(buf, cap, "%3llu.%1llu%c%s", (unsigned long long)(bytes + 5) / 100,
             (unsigned long long)(bytes + 5) / 10 % 10, units[i], "B");
}

/* The time left (or taken, when done), or that the transfer stalls. */
static void format_eta(char *buf, size_t cap, double elapsed, uint64_t left)
{
    if (meter.stalled >= METER_STALL_SECONDS) {
        snprintf(buf, cap, "- stalled -");
        return;
    }
    if (meter.bytes_per_second == 0 && left) {
        snprintf(buf, cap, "  --:-- ETA");
        return;
    }
    long secs = left > 0 ? (long)((double)left / meter.bytes_per_second) : (long)elapsed;
    long h = secs / 3600, m = secs % 3600 / 60, s = secs % 60;
    if (h != 0)
        snprintf(buf, cap, "%ld:%02ld:%02ld%s", h, m, s, left > 0 ? " ETA" : "    ");
    else
        snprintf(buf, cap, "  %02ld:%02ld%s", m, s, left > 0 ? " ETA" : "    ");
}

/* The rate: the last interval's (since `before` was drawn), aged into the
 * running figure. */
static void measure(double now, uint64_t before, uint64_t left, double *elapsed)
{
    uint64_t moved = meter.cur_pos - (before ? before : meter.start_pos);
    if (left > 0) {
        *elapsed = now - meter.last_update;
    } else {
        *elapsed = now - meter.start;
        moved = meter.end_pos - meter.start_pos;
        meter.bytes_per_second = 0;
    }
    double speed = *elapsed != 0 ? (double)moved / *elapsed : (double)moved;
    if (meter.bytes_per_second != 0)
        meter.bytes_per_second = meter.bytes_per_second * METER_AGE_FACTOR +
                                 speed * (1.0 - METER_AGE_FACTOR);
    else
        meter.bytes_per_second = speed;
    meter.stalled = moved ? 0 : meter.stalled + *elapsed;
}

static void draw(void)
{
    if (!can_output())
        return;
    double now = now_seconds(), elapsed;
    uint64_t before = meter.cur_pos;
    meter.cur_pos = meter.counter > meter.end_pos ? meter.end_pos : meter.counter;
    uint64_t left = meter.end_pos - meter.cur_pos;
    measure(now, before, left, &elapsed);
    int cols = columns(), percent = 100;
    if (meter.end_pos != 0 && meter.cur_pos != meter.end_pos)
        percent = (int)((double)meter.cur_pos / (double)meter.end_pos * 100);
    char size[32], rate[32], eta[64], line[METER_MAX_COLS + 128];
    format_size(size, sizeof size, meter.cur_pos);
    format_rate(rate, sizeof rate, (uint64_t)meter.bytes_per_second);
    format_eta(eta, sizeof eta, elapsed, left);
    int name_width = cols - 35;
    int n = 0;
    if (name_width > 0)
        n = snprintf(line, sizeof line, "\r%-*.*s", name_width, name_width, meter.name);
    n += snprintf(line + n, sizeof line - (size_t)n, " %3d%% %s %s/s %s", percent, size, rate,
                  eta);
    if (n > cols)
        n = cols;           /* what fits on the line */
    fwrite(line, 1, (size_t)n, stdout);
    fflush(stdout);
    meter.last_update = now;
}

void progress_start(const char *name, uint64_t start, uint64_t total)
{
    free(meter.name);
    meter.name = safe_name(name);
    meter.start_pos = meter.counter = start;
    meter.end_pos = total;
    meter.cur_pos = 0;
    meter.start = meter.last_update = now_seconds();
    meter.bytes_per_second = 0;
    meter.stalled = 0;
    meter.running = true;
    draw();
}

void progress_update(uint64_t done, bool force)
{
    if (!meter.running)
        return;
    meter.counter = done;
    if (force || now_seconds() - meter.last_update >= 1.0)
        draw();
}

void progress_stop(void)
{
    if (!meter.running)
        return;
    meter.running = false;
    if (!can_output())
        return;
    if (meter.cur_pos != meter.end_pos || meter.counter != meter.cur_pos)
        draw();
    fputc('\n', stdout);
    fflush(stdout);
}
