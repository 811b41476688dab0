/* Passwords and answers from the terminal or SSH_ASKPASS; see askpass.h. */
#include "askpass.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>
#include <openssl/crypto.h>

#include "prompt.h"

#define DEFAULT_ASKPASS "/usr/bin/ssh-askpass"

static bool have_tty(void)
{
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return false;
    close(fd);
    return true;
}

static bool have_display(void)
{
    const char *d = getenv("DISPLAY"), *w = getenv("WAYLAND_DISPLAY");
    return (d && *d) || (w && *w);
}

/* Reads the program's output into buf, at most cap - 1 bytes. */
static bool read_all(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    for (;;) {
        ssize_t got = read(fd, buf + n, cap - 1 - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        n += (size_t)got;
        if (n == cap - 1)
            break;
    }
    buf[n] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    return true;
}

static _Noreturn void run_program(const char *program, const char *prompt, bool confirm, int out)
{
    if (dup2(out, STDOUT_FILENO) < 0)
        _exit(127);
    if (confirm)
        setenv("SSH_ASKPASS_PROMPT", "confirm", 1);
    execlp(program, program, prompt, (char *)NULL);
    _exit(127);
}

static bool ask_program(const char *prompt, bool confirm, char *buf, size_t cap)
{
    const char *program = getenv("SSH_ASKPASS");
    if (program == NULL || *program == '\0')
        program = DEFAULT_ASKPASS;
    int p[2];
    if (pipe(p) != 0)
        return false;
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        run_program(program, prompt, confirm, p[1]);
    }
    close(p[1]);
    bool ok = pid > 0 && read_all(p[0], buf, cap);
    close(p[0]);
    int status = 0;
    while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

bool askpass_read(const char *prompt, bool echo, bool confirm, char *buf, size_t cap)
{
    if (cap == 0)
        return false;
    buf[0] = '\0';
    const char *req = getenv("SSH_ASKPASS_REQUIRE");
    bool force = req && strcasecmp(req, "force") == 0;
    bool never = req && strcasecmp(req, "never") == 0;
    bool prefer = req && strcasecmp(req, "prefer") == 0;
    bool use_program = force || (!never && have_display() && (prefer || !have_tty()));
    bool ok = use_program ? ask_program(prompt, confirm, buf, cap)
                          : have_tty() && prompt_line(prompt, echo, buf, cap);
    if (!ok)
        OPENSSL_cleanse(buf, cap);
    if (!ok)
        buf[0] = '\0';
    return ok;
}
