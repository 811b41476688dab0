/* sshkit-sftp: where commands come from, as in OpenSSH's
 * interactive_loop(): host:path first (a directory to start in, or files
 * to fetch), then lines from the terminal (an "sftp> " prompt), standard
 * input or a batch file (each echoed as "sftp> LINE"). SIGINT stops the
 * command under way ("Interrupt"); while a batch is read, it ends the
 * program (exit status 1). */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sftp.h"

volatile sig_atomic_t sftp_interrupted;

static void on_interrupt_reading(int sig)
{
    (void)sig;
    sftp_interrupted = 1;
}

static void on_interrupt_running(int sig)
{
    static const char msg[] = "\rInterrupt  \n";
    (void)sig;
    ssize_t n = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)n;
    sftp_interrupted = 1;
}

static void on_interrupt_batch(int sig)
{
    (void)sig;
    _exit(SFTP_EXIT_COMMAND);
}

static void catch_interrupt(void (*handler)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;    /* no SA_RESTART: a read at the prompt returns */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
}

int run_start_path(struct sftp_state *st)
{
    const struct sftp_options *o = st->opt;
    if (o->start_path == NULL)
        return -1;
    char *dir = make_absolute(xstrdup(o->start_path), st->pwd);
    size_t cap = strlen(dir) + (o->local_path ? strlen(o->local_path) : 0) + 32;
    char *line = malloc(cap);
    if (line == NULL) {
        free(dir);
        return SFTP_EXIT_FATAL;
    }
    bool change = o->local_path == NULL && rs_is_dir(st->r, dir);
    if (change) {
        if (!o->quiet)
            mprintf("Changing to: %s\n", dir);
        snprintf(line, cap, "cd \"%s\"", dir);
    } else {
        snprintf(line, cap, "get%s %s%s%s", o->resume_all ? " -a" : "", dir,
                 o->local_path ? " " : "", o->local_path ? o->local_path : "");
    }
    free(dir);
    enum dispatch_result d = dispatch_line(st, line, true, false);
    free(line);
    if (change && d == DISPATCH_OK)
        return -1;              /* go on with the commands, in that directory */
    return d == DISPATCH_ABORT ? SFTP_EXIT_COMMAND : 0;
}

int run_commands(struct sftp_state *st)
{
    const struct sftp_options *o = st->opt;
    bool interactive = !o->batch && isatty(STDIN_FILENO);
    char line[SFTP_LINE_MAX];
    enum dispatch_result d = DISPATCH_OK;
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (;;) {
        sftp_interrupted = 0;
        catch_interrupt(interactive ? on_interrupt_reading : on_interrupt_batch);
        if (interactive) {
            mprintf("sftp> ");
            fflush(stdout);
        }
        if (fgets(line, sizeof line, o->input) == NULL) {
            if (interactive)
                mprintf("\n");
            if (sftp_interrupted) {
                clearerr(o->input);
                continue;
            }
            break;
        }
        line[strcspn(line, "\n")] = '\0';
        sftp_interrupted = 0;
        catch_interrupt(on_interrupt_running);  /* a command is stopped, even in a batch */
        d = dispatch_line(st, line, o->batch, !interactive);
        if (d != DISPATCH_OK)
            break;
    }
    return d == DISPATCH_ABORT ? SFTP_EXIT_COMMAND : 0;
}
