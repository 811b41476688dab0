/* sshkit-bench-client: the benchmarks' client on sshkit/client.h, used where
 * the scripts use OpenSSH's ssh, with the same streams: runs COMMAND on the
 * server, streams this program's standard input to it (then EOF), copies
 * its output to standard output and its error stream to standard error,
 * and exits with its status (255 when the connection or the command
 * failed). So `head -c 1G /dev/zero | sshkit-bench-client ... 'cat >/dev/null'`
 * and `sshkit-bench-client ... 'head -c 1G /dev/zero' >/dev/null` do what
 * the same lines do with ssh.
 *
 *   sshkit-bench-client -p PORT -l USER -i KEY -o KNOWN_HOSTS
 *                       [-c CIPHERS] [-m MACS] [-k KEX] [-C] [-n] HOST COMMAND
 * -C: compression (zlib@openssh.com,zlib,none, as ssh -C offers).
 * -n: standard input is not read (as ssh -n): EOF is sent at once. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sshkit.h>

/* Large enough that a read or write call moves several packets' worth. */
#define BUF_SIZE (256u * 1024u)

static uint8_t in_buf[BUF_SIZE];
static uint8_t out_buf[BUF_SIZE];

/* Writes all of buf to fd; false when fd fails. */
static bool write_all(int fd, const uint8_t *buf, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, buf, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        buf += w;
        len -= (size_t)w;
    }
    return true;
}

/* Copies what the channel holds of both streams to fds 1 and 2; bytes
 * copied, or -1 when a local write failed. */
static long long relay_output(sshkit_channel *ch)
{
    long long total = 0;
    for (int stream = 0; stream < 2; stream++) {
        int n;
        while ((n = sshkit_channel_read(ch, stream, out_buf, sizeof out_buf)) > 0) {
            if (!write_all(stream ? 2 : 1, out_buf, (size_t)n))
                return -1;
            total += n;
        }
    }
    return total;
}

/* Refills the input buffer from fd 0; false at its end. */
static bool refill(size_t *have, size_t *off)
{
    ssize_t n;
    do
        n = read(0, in_buf, sizeof in_buf);
    while (n < 0 && errno == EINTR);
    *have = n > 0 ? (size_t)n : 0;
    *off = 0;
    return n > 0;
}

/* EOF on our input. A quick command may have ended and its channel closed
 * already (SSHKIT_E_STATE): then there is nobody left to tell. */
static int send_eof(sshkit_channel *ch)
{
    int rc = sshkit_channel_send_eof(ch);
    return rc == SSHKIT_E_STATE ? 0 : rc;
}

/* Interleaves input and output with the non-blocking channel calls, and
 * waits for the connection only when neither moved. */
static int run(sshkit_client *c, const char *command, bool no_stdin)
{
    sshkit_channel *ch;
    int rc = sshkit_client_exec(c, command, &ch);
    if (rc)
        return fprintf(stderr, "exec: %s\n", sshkit_strerror(rc)), 255;
    size_t have = 0, off = 0;
    bool input_done = no_stdin;
    if (no_stdin)
        rc = send_eof(ch);
    while (rc == 0 && !sshkit_channel_eof_received(ch)) {
        if (!input_done && off == have && !refill(&have, &off)) {
            input_done = true;
            rc = send_eof(ch);
            if (rc)
                break;
        }
        int wrote = off < have ? sshkit_channel_write(ch, 0, in_buf + off, have - off) : 0;
        if (wrote > 0)
            off += (size_t)wrote;
        long long relayed = relay_output(ch);
        if (relayed < 0) {
            fprintf(stderr, "local write: %s\n", strerror(errno));
            rc = SSHKIT_E_IO;
            break;
        }
        if (wrote <= 0 && relayed == 0)
            rc = sshkit_client_wait_event(c);
    }
    if (rc == 0 && relay_output(ch) < 0)
        rc = SSHKIT_E_IO;
    int status = -1;
    if (rc == 0)
        rc = sshkit_client_wait(c, ch, &status);
    sshkit_channel_free(ch);
    if (rc) {
        fprintf(stderr, "channel: %s\n", sshkit_strerror(rc));
        return 255;
    }
    return status < 0 ? 255 : status;
}

int main(int argc, char **argv)
{
    sshkit_client_options opt;
    sshkit_client_options_init(&opt);
    const char *keys[2] = { NULL, NULL };
    const char *env[9] = { NULL };
    size_t env_count = 0;
    bool no_stdin = false;
    int c;
    while ((c = getopt(argc, argv, "p:l:i:o:c:m:k:e:nC")) != -1) {
        switch (c) {
        case 'p': opt.port = (unsigned)atoi(optarg); break;
        case 'l': opt.user = optarg; break;
        case 'i': keys[0] = optarg; opt.identity_files = keys; break;
        case 'o': opt.known_hosts = optarg; break;
        case 'c': opt.algorithms[SSHKIT_ALG_CIPHER] = optarg; break;
        case 'm': opt.algorithms[SSHKIT_ALG_MAC] = optarg; break;
        case 'k': opt.algorithms[SSHKIT_ALG_KEX] = optarg; break;
        case 'n': no_stdin = true; break;
        case 'C': opt.algorithms[SSHKIT_ALG_COMPRESSION] = "zlib@openssh.com,zlib,none"; break;
        case 'e':
            if (env_count + 1 < sizeof env / sizeof env[0])
                env[env_count++] = optarg;
            opt.env = env;
            break;
        default:
            fprintf(stderr, "usage: %s -p PORT -l USER -i KEY -o KNOWN_HOSTS [-c CIPHERS] "
                            "[-m MACS] [-k KEX] [-e NAME=VALUE]... [-C] [-n] HOST COMMAND\n", argv[0]);
            return 2;
        }
    }
    if (optind + 2 != argc) {
        fprintf(stderr, "%s: HOST and COMMAND expected\n", argv[0]);
        return 2;
    }
    sshkit_client *client;
    char err[512];
    if (sshkit_client_connect(argv[optind], &opt, &client, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 255;
    }
    int status = run(client, argv[optind + 1], no_stdin);
    sshkit_client_free(client);
    return status;
}
