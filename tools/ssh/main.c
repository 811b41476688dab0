/* sshkit-ssh: OpenSSH's ssh on sshkit (DESIGN.md section 6). Connect,
 * key exchange, host key check, authentication, then the channel step
 * (channel.c). Exit status 255 on any connection or authentication
 * failure, as ssh. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config_apply.h"
#include "ssh.h"

static sshkit_session *make_session(const struct ssh_options *o)
{
    sshkit_session *s;
    if (sshkit_session_new(SSHKIT_ROLE_CLIENT, &s) != 0)
        return NULL;
    for (int k = 0; k < SSHKIT_ALG_KINDS; k++)
        if (o->algs[k])
            sshkit_session_set_algorithms(s, (sshkit_algorithm_kind)k, o->algs[k]);
    if (o->compression)     /* ssh -C's offer; without, the library's (none first) */
        sshkit_session_set_algorithms(s, SSHKIT_ALG_COMPRESSION, "zlib@openssh.com,zlib,none");
    if (o->rekey_bytes || o->rekey_seconds)
        sshkit_session_set_rekey_limit(s, o->rekey_bytes, o->rekey_seconds);
    log_attach(s);
    return s;
}

/* ssh's message for a key exchange that did not finish. */
static void handshake_failed(const struct ssh_options *o, sshkit_session *s, const char *addr,
                             int rc)
{
    const char *why = sshkit_session_last_error(s);
    if (rc == SSHKIT_E_NO_COMMON_ALGORITHM)
        log_at(SSH_LOG_FATAL, "Unable to negotiate with %s port %u: %s", addr, o->port, why);
    else if (rc == SSHKIT_E_CONNECTION_CLOSED || rc == SSHKIT_E_CLOSED)
        log_at(SSH_LOG_FATAL, "Connection closed by %s port %u", addr, o->port);
    else if (rc == SSHKIT_E_TIMEOUT)
        log_at(SSH_LOG_FATAL, "Connection timed out during banner exchange");
    else
        log_at(SSH_LOG_FATAL, "ssh: %s", *why ? why : sshkit_strerror(rc));
}

/* Everything after the TCP connection; returns the exit status. */
static int run(const struct ssh_options *o, int fd, const char *addr)
{
    sshkit_session *s = make_session(o);
    struct hostkey_check *hc = hostkey_check_new(o, addr);
    int status = SSH_EXIT_FAILURE;
    if (s == NULL || hc == NULL)
        goto out;
    hostkey_check_install(hc, s);
    int rc = sshkit_session_start(s);
    if (rc == 0)
        rc = sshkit_blocking_handshake(s, fd, o->connect_timeout > 0
                                                  ? o->connect_timeout * 1000
                                                  : SSHKIT_IO_NO_TIMEOUT);
    hostkey_check_report(hc);
    if (rc != 0) {
        if (!hostkey_check_refused(hc))
            handshake_failed(o, s, addr, rc);
        goto out;
    }
    struct auth_ctx a = { .opt = o, .s = s, .fd = fd, .addr = addr,
                          .no_passwords = hostkey_check_changed(hc) };
    if (ssh_authenticate(&a))
        status = channel_step_run(o, s, fd, addr);
out:
    hostkey_check_free(hc);
    sshkit_session_free(s);
    return status;
}

int main(int argc, char **argv)
{
    struct ssh_options o;
    options_init(&o);
    options_parse(&o, argc, argv);
    config_resolve(&o);
    options_finish(&o);
    if (o.proxy_jump)
        jump_to_proxy_command(&o);
    log_set_level(o.log_level);
    if (o.stdin_null) {
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0 && dup2(null, STDIN_FILENO) >= 0 && null != STDIN_FILENO)
            close(null);
    }
    channel_step_check(&o);
    int fd;
    char addr[128];
    int status = SSH_EXIT_FAILURE;
    if (ssh_connect(&o, &fd, addr, sizeof addr)) {
        status = run(&o, fd, addr);
        close(fd);
    }
    options_free(&o);
    return status;
}
