/* sshkit-ssh: stdin and stdout non-blocking while the relay runs (not
 * terminals, as ssh), their flags put back at the end and at exit: the
 * open file may be shared with the shell that started us. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "ssh.h"

#define FDMODE_MAX 3

static struct { int fd; int flags; } saved[FDMODE_MAX];
static int saved_count;

void fdmode_restore(void)
{
    while (saved_count > 0) {
        saved_count--;
        fcntl(saved[saved_count].fd, F_SETFL, saved[saved_count].flags);
    }
}

void fdmode_nonblock(int fd)
{
    static bool registered;
    if (saved_count == FDMODE_MAX || isatty(fd))
        return;
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || (flags & O_NONBLOCK))
        return;
    if (!registered)
        registered = atexit(fdmode_restore) == 0;
    if (fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0) {
        saved[saved_count].fd = fd;
        saved[saved_count].flags = flags;
        saved_count++;
    }
}
