/* Time for the drivers: CLOCK_MONOTONIC, deadlines, and waiting in poll(). */
#include "io/io_internal.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <time.h>
#include <sshkit/error.h>

uint64_t sk_io_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t sk_io_deadline(int timeout_ms)
{
    if (timeout_ms < 0)
        return SK_IO_NEVER;
    return sk_io_now_ms() + (uint64_t)timeout_ms;
}

int sk_io_remaining(uint64_t deadline)
{
    if (deadline == SK_IO_NEVER)
        return -1;
    uint64_t now = sk_io_now_ms();
    if (now >= deadline)
        return 0;
    uint64_t left = deadline - now;
    return left > INT_MAX ? INT_MAX : (int)left;
}

int sk_io_wait(int fd, short events, uint64_t deadline)
{
    for (;;) {
        struct pollfd p = { .fd = fd, .events = events };
        int rc = poll(&p, 1, sk_io_remaining(deadline));
        if (rc > 0) {
            if (p.revents & POLLNVAL) {
                errno = EBADF;
                return SSHKIT_E_IO;
            }
            return 0;
        }
        if (rc == 0) {
            if (deadline != SK_IO_NEVER && sk_io_now_ms() >= deadline)
                return SSHKIT_E_TIMEOUT;
            continue;       /* woke early (clock granularity): wait the rest */
        }
        if (errno != EINTR)
            return SSHKIT_E_IO;
    }
}
