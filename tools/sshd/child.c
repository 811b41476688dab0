/* The commands sessions run: the user's shell started with pipes or on a
 * pty, in its own session, with sshd's minimal environment; SIGCHLD
 * through a self-pipe, children reaped with waitpid(WNOHANG). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent_fwd.h"
#include "channels.h"
#include "log.h"

static int sigchld_pipe[2] = { -1, -1 };

static const struct { int sig; const char *name; } signal_names[] = {
    { SIGABRT, "ABRT" }, { SIGALRM, "ALRM" }, { SIGFPE, "FPE" },   { SIGHUP, "HUP" },
    { SIGILL, "ILL" },   { SIGINT, "INT" },   { SIGKILL, "KILL" }, { SIGPIPE, "PIPE" },
    { SIGQUIT, "QUIT" }, { SIGSEGV, "SEGV" }, { SIGTERM, "TERM" }, { SIGUSR1, "USR1" },
    { SIGUSR2, "USR2" },
};

const char *child_signal_name(int sig)
{
    for (size_t i = 0; i < sizeof signal_names / sizeof signal_names[0]; i++)
        if (signal_names[i].sig == sig)
            return signal_names[i].name;
    return NULL;
}

int child_signal_number(const char *name)
{
    for (size_t i = 0; i < sizeof signal_names / sizeof signal_names[0]; i++)
        if (strcmp(signal_names[i].name, name) == 0)
            return signal_names[i].sig;
    return 0;
}

static void on_sigchld(int sig)
{
    int saved = errno;
    (void)sig;
    if (write(sigchld_pipe[1], "c", 1) < 0) {
        /* full: a wake-up is pending anyway */
    }
    errno = saved;
}

static void set_flags(int fd, bool nonblock)
{
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    if (nonblock)
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

int child_sigchld_setup(void)
{
    if (pipe(sigchld_pipe) < 0)
        return -1;
    set_flags(sigchld_pipe[0], true);
    set_flags(sigchld_pipe[1], true);
    struct sigaction sa = { .sa_handler = on_sigchld, .sa_flags = SA_NOCLDSTOP };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGCHLD, &sa, NULL);
    return sigchld_pipe[0];
}

static struct sess *find_child(struct sshd_server *srv, pid_t pid)
{
    for (struct conn *c = srv->conns; c; c = c->next) {
        struct chans *t = c->channels;
        for (struct sess *s = t ? t->list : NULL; s; s = s->next)
            if (s->pid == pid)
                return s;
    }
    return NULL;
}

void child_reap(struct sshd_server *srv)
{
    char drain[64];
    while (read(sigchld_pipe[0], drain, sizeof drain) > 0)
        ;
    int st;
    pid_t pid;
    while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
        struct sess *s = find_child(srv, pid);
        if (s == NULL)
            continue;           /* its channel has gone already */
        s->exited = true;
        s->wstatus = st;
        s->c->again = true;     /* relay_finish on the next pass */
    }
}

/* ---- in the child ---- */

/* Closes every descriptor above stderr (the listeners, other clients). */
static void close_others(void)
{
    DIR *d = opendir("/proc/self/fd");
    int keep = d ? dirfd(d) : -1;
    if (d == NULL) {
        for (int fd = 3; fd < 1024; fd++)
            close(fd);
        return;
    }
    int fds[1024];
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL && n < 1024;) {
        int fd = atoi(e->d_name);
        if (fd > 2 && fd != keep)
            fds[n++] = fd;
    }
    closedir(d);
    for (size_t i = 0; i < n; i++)
        close(fds[i]);
}

static void put_env(char **env, size_t *n, size_t cap, const char *name, const char *value)
{
    size_t len = strlen(name) + strlen(value) + 2;
    char *v = *n < cap - 1 ? malloc(len) : NULL;
    if (v == NULL)
        return;
    snprintf(v, len, "%s=%s", name, value);
    env[(*n)++] = v;
}

/* Whether env[0..n) sets the variable of entry ("NAME=value"). */
static bool env_has(char *const *env, size_t n, const char *entry)
{
    size_t len = strcspn(entry, "=");
    for (size_t i = 0; i < n; i++)
        if (strncmp(env[i], entry, len) == 0 && env[i][len] == '=')
            return true;
    return false;
}

/* "client_ip client_port server_ip server_port" */
static void connection_env(const struct conn *c, char *buf, size_t cap, bool with_addr)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char host[SSHD_ADDR_MAX] = "UNKNOWN", port[16] = "0";
    if (getsockname(c->fd, (struct sockaddr *)&ss, &len) == 0)
        (void)getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, port, sizeof port,
                          NI_NUMERICHOST | NI_NUMERICSERV);
    const char *h = strncmp(host, "::ffff:", 7) == 0 && strchr(host + 7, '.') ? host + 7 : host;
    if (with_addr)
        snprintf(buf, cap, "%s %u %s %s", c->addr, c->port, h, port);
    else
        snprintf(buf, cap, "%s %u %s", c->addr, c->port, port);
}

static char **build_env(const struct sess *s, const char *shell, const char *original)
{
    static char *env[SESS_MAX_ENV + 16];
    size_t n = 0, cap = sizeof env / sizeof env[0];
    const struct sshd_server *srv = s->c->srv;
    char conn[256], client[256];
    connection_env(s->c, conn, sizeof conn, true);
    connection_env(s->c, client, sizeof client, false);
    put_env(env, &n, cap, "USER", srv->user);
    put_env(env, &n, cap, "LOGNAME", srv->user);
    put_env(env, &n, cap, "HOME", srv->home);
    put_env(env, &n, cap, "SHELL", shell);
    put_env(env, &n, cap, "PATH", "/usr/local/bin:/usr/bin:/bin:/usr/games");
    put_env(env, &n, cap, "SSH_CLIENT", client);
    put_env(env, &n, cap, "SSH_CONNECTION", conn);
    if (s->master >= 0)
        put_env(env, &n, cap, "SSH_TTY", s->tty);
    if (s->term)
        put_env(env, &n, cap, "TERM", s->term);
    if (original)
        put_env(env, &n, cap, "SSH_ORIGINAL_COMMAND", original);
    if (agent_fwd_socket(s->c))
        put_env(env, &n, cap, "SSH_AUTH_SOCK", agent_fwd_socket(s->c));
    size_t own = n;     /* the client's variables never replace these */
    for (size_t i = 0; i < s->env_count && n < cap - 1; i++)
        if (!env_has(env, own, s->env[i]))
            env[n++] = s->env[i];
    env[n] = NULL;
    return env;
}

/* Never returns. */
static void run_child(struct sess *s, const int fds[3], const char *command,
                      const char *original, bool login)
{
    static const int reset[] = { SIGPIPE, SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT };
    const char *shell = s->c->srv->shell;
    for (size_t i = 0; i < sizeof reset / sizeof reset[0]; i++)
        signal(reset[i], SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    setsid();
    if (s->slave >= 0)
        ioctl(s->slave, TIOCSCTTY, 0);
    for (int i = 0; i < 3; i++)
        dup2(fds[i], i);
    char **env = build_env(s, shell, original);   /* before the socket closes */
    close_others();
    if (chdir(s->c->srv->home) < 0)
        fprintf(stderr, "Could not chdir to home directory %s: %s\n", s->c->srv->home,
                strerror(errno));
    const char *base = strrchr(shell, '/') ? strrchr(shell, '/') + 1 : shell;
    char argv0[256];
    snprintf(argv0, sizeof argv0, "%s%s", login ? "-" : "", base);
    char *argv[] = { argv0, command ? "-c" : NULL, (char *)command, NULL };
    execve(shell, argv, env);
    fprintf(stderr, "%s: %s\n", shell, strerror(errno));
    _exit(127);
}

/* ---- in the server ---- */

static int make_pipes(int p[3][2])
{
    for (int i = 0; i < 3; i++)
        p[i][0] = p[i][1] = -1;
    for (int i = 0; i < 3; i++)
        if (pipe(p[i]) < 0)
            return -1;
    set_flags(p[0][1], true);   /* ours: the write end of stdin, the read ends of the rest */
    set_flags(p[1][0], true);
    set_flags(p[2][0], true);
    return 0;
}

static void close_pipes(int p[3][2])
{
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 2; j++)
            if (p[i][j] >= 0)
                close(p[i][j]);
}

/* Runs command (NULL for the shell) with pipes, or on the session's pty. */
int child_start(struct sess *s, const char *command, const char *original, bool login)
{
    int p[3][2];
    bool tty = s->master >= 0;
    if (!tty && make_pipes(p) < 0) {
        log_error("pipe: %s", strerror(errno));
        close_pipes(p);
        return -1;
    }
    if (tty && (s->fd_out[0] = fcntl(s->master, F_DUPFD_CLOEXEC, 0)) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        log_error("fork: %s", strerror(errno));
        if (!tty)
            close_pipes(p);
        return -1;
    }
    if (pid == 0) {
        int fds[3] = { s->slave, s->slave, s->slave };
        if (!tty) {
            fds[0] = p[0][0];
            fds[1] = p[1][1];
            fds[2] = p[2][1];
        }
        run_child(s, fds, command, original, login);
    }
    s->pid = pid;
    s->started = true;
    if (tty) {
        close(s->slave);
        s->slave = -1;
        s->fd_in = s->master;
        return 0;
    }
    s->fd_in = p[0][1];
    s->fd_out[0] = p[1][0];
    s->fd_out[1] = p[2][0];
    close(p[0][0]);
    close(p[1][1]);
    close(p[2][1]);
    return 0;
}
