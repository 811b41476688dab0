/* sshkit-ssh's ProxyCommand: the command runs as ssh runs it, `$SHELL -c
 * "exec COMMAND"` (/bin/sh without SHELL), its standard input and output a
 * socket pair whose other end carries the session (the library's drivers
 * need a socket, not pipes), standard error left to the terminal. The
 * command gets SIGHUP when sshkit-ssh exits, as ssh does. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ssh_client.h"

static pid_t proxy_pid;

static void stop_proxy(void)
{
    if (proxy_pid > 0)
        kill(proxy_pid, SIGHUP);
}

static _Noreturn void run_command(const char *command, int sock)
{
    const char *shell = getenv("SHELL");
    if (shell == NULL || *shell == '\0' || access(shell, X_OK) != 0)
        shell = "/bin/sh";
    size_t n = strlen(command) + 6;
    char *line = malloc(n);
    if (line == NULL || dup2(sock, STDIN_FILENO) < 0 || dup2(sock, STDOUT_FILENO) < 0)
        _exit(1);
    if (sock > STDOUT_FILENO)
        close(sock);
    snprintf(line, n, "exec %s", command);
    signal(SIGPIPE, SIG_DFL);
    execl(shell, shell, "-c", line, (char *)NULL);
    fprintf(stderr, "exec(%s): %s\n", shell, strerror(errno));
    _exit(1);
}

bool proxy_connect(const struct ssh_options *o, int *fd, char *addr, size_t addr_size)
{
    int sv[2];
    log_at(SSH_LOG_DEBUG1, "Executing proxy command: exec %s", o->proxy_command);
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        log_at(SSH_LOG_FATAL, "ssh: socketpair: %s", strerror(errno));
        return false;
    }
    pid_t pid = fork();
    if (pid < 0) {
        log_at(SSH_LOG_FATAL, "ssh: fork: %s", strerror(errno));
        close(sv[0]);
        close(sv[1]);
        return false;
    }
    if (pid == 0) {
        close(sv[0]);
        run_command(o->proxy_command, sv[1]);
    }
    close(sv[1]);
    proxy_pid = pid;
    atexit(stop_proxy);
    *fd = sv[0];
    snprintf(addr, addr_size, "UNKNOWN");
    return true;
}
