/* sshkit-sessions-probe: requests OpenSSH's ssh cannot send, against
 * sshkit-sshd, each followed by a command on the same connection to show
 * that it still serves.
 *
 *   sshkit-sessions-probe -p PORT -l USER -i KEY -o KNOWN_HOSTS HOST MODE [N]
 * MODE: bigpty (pty-req of 100000x100000), bigexec (exec of 1 MiB, then of
 * 200 KiB), opens N (N session channels at once: how many opened). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sshkit.h>

#include "client/client_internal.h"

static int next(sshkit_client *c, sshkit_event *ev)
{
    int rc = sshkit_blocking_wait_event(c->session, c->fd, ev, 20000);
    if (rc < 0 || ev->type == SSHKIT_EVENT_DISCONNECTED) {
        fprintf(stderr, "connection lost: %s\n", sshkit_strerror(rc < 0 ? rc : SSHKIT_E_CLOSED));
        exit(1);
    }
    return 0;
}

/* Opens a session channel and waits for the answer. */
static sshkit_channel *open_one(sshkit_client *c)
{
    sshkit_channel *ch;
    sshkit_event ev;
    if (sshkit_channel_open_session(c->session, &ch) != 0)
        exit(1);
    do
        next(c, &ev);
    while (ev.type != SSHKIT_EVENT_CHANNEL_OPENED && ev.type != SSHKIT_EVENT_CHANNEL_OPEN_FAILED);
    if (ev.type != SSHKIT_EVENT_CHANNEL_OPENED)
        exit(1);
    return ch;
}

/* The answer to the last request made on ch. */
static bool answer(sshkit_client *c, sshkit_channel *ch)
{
    sshkit_event ev;
    do
        next(c, &ev);
    while (ev.type != SSHKIT_EVENT_CHANNEL_REQUEST_RESULT || ev.u.channel.channel != ch);
    return ev.u.channel.success;
}

/* "still-ok" from a command run after the bad request. */
static int still_serving(sshkit_client *c)
{
    sshkit_exec_result r;
    int rc = sshkit_client_run(c, "echo still-ok", NULL, 0, &r);
    bool ok = rc == 0 && r.out_len >= 8 && memcmp(r.out, "still-ok", 8) == 0;
    printf("%s\n", ok ? "still-ok" : "not serving");
    sshkit_exec_result_free(&r);
    return ok ? 0 : 1;
}

static int big_pty(sshkit_client *c)
{
    sshkit_channel *ch = open_one(c);
    sshkit_channel_request_pty(ch, "xterm", 100000, 100000, NULL, 0);
    printf("pty %s\n", answer(c, ch) ? "granted" : "refused");
    sshkit_channel_exec(ch, "echo still-ok");
    printf("exec after it %s\n", answer(c, ch) ? "granted" : "refused");
    sshkit_channel_free(ch);
    return still_serving(c);
}

static int big_exec(sshkit_client *c)
{
    size_t sizes[2] = { 1u << 20, 200u << 10 };
    for (int i = 0; i < 2; i++) {
        char *cmd = malloc(sizes[i] + 1);
        memset(cmd, 'x', sizes[i]);
        cmd[sizes[i]] = '\0';
        sshkit_channel *ch = open_one(c);
        int rc = sshkit_channel_exec(ch, cmd);
        if (rc)
            printf("exec %zu: not sent (%s)\n", sizes[i], sshkit_strerror(rc));
        else
            printf("exec %zu: %s\n", sizes[i], answer(c, ch) ? "granted" : "refused");
        sshkit_channel_free(ch);
        free(cmd);
    }
    return still_serving(c);
}

static int many_opens(sshkit_client *c, unsigned n)
{
    sshkit_channel **chs = calloc(n, sizeof *chs);
    unsigned opened = 0, failed = 0;
    sshkit_session_set_max_channels(c->session, n + 1);
    for (unsigned i = 0; i < n; i++)
        if (sshkit_channel_open_session(c->session, &chs[i]) != 0)
            return 1;
    while (opened + failed < n) {
        sshkit_event ev;
        next(c, &ev);
        opened += ev.type == SSHKIT_EVENT_CHANNEL_OPENED;
        failed += ev.type == SSHKIT_EVENT_CHANNEL_OPEN_FAILED;
    }
    printf("opened %u refused %u\n", opened, failed);
    for (unsigned i = 0; i < n; i++)
        sshkit_channel_free(chs[i]);
    free(chs);
    return still_serving(c);
}

int main(int argc, char **argv)
{
    sshkit_client_options opt;
    sshkit_client_options_init(&opt);
    opt.host_key_policy = SSHKIT_HOSTKEY_POLICY_ACCEPT_NEW;
    const char *keys[2] = { NULL, NULL };
    int ch;
    while ((ch = getopt(argc, argv, "p:l:i:o:")) != -1) {
        switch (ch) {
        case 'p': opt.port = (unsigned)atoi(optarg); break;
        case 'l': opt.user = optarg; break;
        case 'i': keys[0] = optarg; opt.identity_files = keys; break;
        case 'o': opt.known_hosts = optarg; break;
        default: return 2;
        }
    }
    if (optind + 2 > argc)
        return 2;
    sshkit_client *c;
    char err[512];
    if (sshkit_client_connect(argv[optind], &opt, &c, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 255;
    }
    const char *mode = argv[optind + 1];
    int rc = 2;
    if (strcmp(mode, "bigpty") == 0)
        rc = big_pty(c);
    else if (strcmp(mode, "bigexec") == 0)
        rc = big_exec(c);
    else if (strcmp(mode, "opens") == 0 && optind + 3 == argc)
        rc = many_opens(c, (unsigned)atoi(argv[optind + 2]));
    sshkit_client_free(c);
    return rc;
}
