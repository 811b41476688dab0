/* The default way to run a Match exec command, as ssh does: the user's
 * shell with -c, standard input and output on /dev/null, standard error
 * left as it is, other descriptors closed, waited for. */
#include "config/config_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sshkit/error.h>

static void close_from(int lowest)
{
    struct rlimit rl;
    int top = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
                      rl.rlim_cur < 65536 ? (int)rl.rlim_cur : 65536;
    for (int fd = lowest; fd < top; fd++)
        close(fd);
}

static _Noreturn void run_child(const char *shell, const char *command)
{
    int null = open("/dev/null", O_RDWR);
    if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(null, STDOUT_FILENO) < 0)
        _exit(127);
    close_from(STDERR_FILENO + 1);
    signal(SIGPIPE, SIG_DFL);
    execl(shell, shell, "-c", command, (char *)NULL);
    /* As ssh: die by a signal so the parent sees it could not run. */
    signal(SIGTERM, SIG_DFL);
    kill(getpid(), SIGTERM);
    _exit(127);
}

int sk_cfg_exec_default(void *user, const char *command)
{
    (void)user;
    const char *shell = getenv("SHELL");
    if (shell == NULL || shell[0] == '\0' || access(shell, X_OK) != 0)
        shell = "/bin/sh";
    pid_t pid = fork();
    if (pid < 0)
        return SSHKIT_E_IO;
    if (pid == 0)
        run_child(shell, command);
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return SSHKIT_E_IO;
    }
    if (!WIFEXITED(status))
        return SSHKIT_E_IO;
    return WEXITSTATUS(status);
}
