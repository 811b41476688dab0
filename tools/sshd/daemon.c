/* Signals, daemonizing and the PidFile. SIGTERM and SIGINT stop the
 * server; SIGHUP is logged and ignored (OpenSSH re-executes itself; this
 * server keeps running with the configuration it has). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "server.h"

volatile sig_atomic_t sshd_stop_signal;
volatile sig_atomic_t sshd_hup_signal;

static void on_stop(int sig)
{
    sshd_stop_signal = sig;
}

static void on_hup(int sig)
{
    (void)sig;
    sshd_hup_signal = 1;
}

/* Without SA_RESTART, so that poll() returns at once with EINTR. */
void signals_setup(void)
{
    struct sigaction sa = { .sa_handler = on_stop };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_hup;
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
}

int daemonize(void)
{
    pid_t pid = fork();
    if (pid < 0) {
        log_error("fork: %s", strerror(errno));
        return -1;
    }
    if (pid > 0)
        _exit(0);
    if (setsid() < 0)
        log_error("setsid: %s", strerror(errno));
    if (chdir("/") < 0)
        log_error("chdir /: %s", strerror(errno));
    int fd = open("/dev/null", O_RDWR);
    if (fd >= 0) {
        dup2(fd, STDIN_FILENO);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        if (fd > STDERR_FILENO)
            close(fd);
    }
    return 0;
}

void pidfile_write(const char *path)
{
    FILE *f = path ? fopen(path, "w") : NULL;
    if (path && f == NULL) {
        log_error("Couldn't create pid file \"%s\": %s", path, strerror(errno));
        return;
    }
    if (f) {
        fprintf(f, "%ld\n", (long)getpid());
        fclose(f);
    }
}

void pidfile_remove(const char *path)
{
    if (path)
        (void)unlink(path);
}
