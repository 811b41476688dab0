/* sshkit-run-probe: the high-level client (sshkit/client.h) as a tiny
 * remote command runner, for the interop tests: connects, runs COMMAND
 * with this program's standard input, copies its output and error
 * streams to ours, and exits with its status.
 *
 *   sshkit-run-probe -p PORT -l USER -i KEY -o KNOWN_HOSTS [-b] [-e NAME=VALUE]... [-a AGENT]
 *       HOST COMMAND
 * -b: stream through sshkit_client_exec/read/write instead of run().
 * -e: pass a variable (sshkit_client_options.env).
 * -a: the agent socket, or "none" (sshkit_client_options.identity_agent). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sshkit.h>

static uint8_t *slurp_stdin(size_t *len)
{
    size_t cap = 1 << 16;
    uint8_t *buf = malloc(cap);
    *len = 0;
    for (ssize_t n; buf && (n = read(0, buf + *len, cap - *len)) > 0;) {
        *len += (size_t)n;
        if (*len == cap)
            buf = realloc(buf, cap *= 2);
    }
    return buf;
}

/* Copies what the channel holds to stdout and stderr; bytes copied. */
static size_t relay_output(sshkit_channel *ch)
{
    static uint8_t buf[1 << 16];
    size_t total = 0;
    for (int stream = 0; stream < 2; stream++) {
        int n;
        while ((n = sshkit_channel_read(ch, stream, buf, sizeof buf)) > 0) {
            fwrite(buf, 1, (size_t)n, stream ? stderr : stdout);
            total += (size_t)n;
        }
    }
    return total;
}

/* Streams stdin to the command and its output back, interleaved, with the
 * non-blocking channel calls: a command that echoes (cat) must never see
 * us stop reading while we write. */
static int stream(sshkit_client *c, const char *command)
{
    sshkit_channel *ch;
    int rc = sshkit_client_exec(c, command, &ch);
    if (rc)
        return fprintf(stderr, "exec: %s\n", sshkit_strerror(rc)), 255;
    static uint8_t in[1 << 16];
    size_t have = 0, off = 0;
    bool input_done = false;
    while (rc == 0 && !sshkit_channel_eof_received(ch)) {
        if (!input_done && off == have) {
            ssize_t n = read(0, in, sizeof in);
            have = n > 0 ? (size_t)n : 0;
            off = 0;
            if (n <= 0) {
                input_done = true;
                sshkit_channel_send_eof(ch);
            }
        }
        int wrote = off < have ? sshkit_channel_write(ch, 0, in + off, have - off) : 0;
        if (wrote > 0)
            off += (size_t)wrote;
        size_t relayed = relay_output(ch);
        if (wrote <= 0 && relayed == 0)
            rc = sshkit_client_wait_event(c);
    }
    relay_output(ch);
    int status;
    if (rc == 0)
        rc = sshkit_client_wait(c, ch, &status);
    sshkit_channel_free(ch);
    if (rc)
        fprintf(stderr, "stream: %s\n", sshkit_strerror(rc));
    return rc ? 255 : status < 0 ? 255 : status;
}

int main(int argc, char **argv)
{
    sshkit_client_options opt;
    sshkit_client_options_init(&opt);
    const char *keys[2] = { NULL, NULL };
    const char *env[9] = { NULL };
    size_t env_count = 0;
    bool streaming = false;
    int c;
    while ((c = getopt(argc, argv, "p:l:i:o:be:a:")) != -1) {
        switch (c) {
        case 'p': opt.port = (unsigned)atoi(optarg); break;
        case 'l': opt.user = optarg; break;
        case 'i': keys[0] = optarg; opt.identity_files = keys; break;
        case 'o': opt.known_hosts = optarg; break;
        case 'b': streaming = true; break;
        case 'a': opt.identity_agent = optarg; break;
        case 'e':
            if (env_count + 1 >= sizeof env / sizeof env[0])
                return 2;
            env[env_count++] = optarg;
            opt.env = env;
            break;
        default: return 2;
        }
    }
    if (optind + 2 != argc)
        return 2;
    sshkit_client *client;
    char err[512];
    if (sshkit_client_connect(argv[optind], &opt, &client, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 255;
    }
    int status;
    if (streaming) {
        status = stream(client, argv[optind + 1]);
    } else {
        size_t len;
        uint8_t *input = slurp_stdin(&len);
        sshkit_exec_result r;
        int rc = sshkit_client_run(client, argv[optind + 1], input, len, &r);
        fwrite(r.out, 1, r.out_len, stdout);
        fwrite(r.err, 1, r.err_len, stderr);
        status = rc ? 255 : r.exit_status < 0 ? 255 : r.exit_status;
        if (rc)
            fprintf(stderr, "run: %s\n", sshkit_strerror(rc));
        sshkit_exec_result_free(&r);
        free(input);
    }
    sshkit_client_free(client);
    return status;
}
