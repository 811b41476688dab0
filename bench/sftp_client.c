/* sshkit-bench-sftp: one whole-file SFTP transfer with sshkit's client
 * (sshkit_sftp_get / sshkit_sftp_put), for bench/sftp_client.sh to time
 * next to OpenSSH's `sftp -b`. Prints nothing on success; exits 0, or 1
 * with the reason on standard error.
 *
 *   sshkit-bench-sftp -p PORT -l USER -i KEY -o KNOWN_HOSTS [-c CIPHERS]
 *                     [-R REQUESTS] [-B BYTES] HOST get|put FROM TO */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sshkit.h>

int main(int argc, char **argv)
{
    sshkit_client_options opt;
    sshkit_client_options_init(&opt);
    sshkit_sftp_transfer_options t;
    sshkit_sftp_transfer_options_init(&t);
    const char *keys[2] = { NULL, NULL };
    int c;
    while ((c = getopt(argc, argv, "p:l:i:o:c:R:B:")) != -1) {
        switch (c) {
        case 'p': opt.port = (unsigned)atoi(optarg); break;
        case 'l': opt.user = optarg; break;
        case 'i': keys[0] = optarg; opt.identity_files = keys; break;
        case 'o': opt.known_hosts = optarg; break;
        case 'c': opt.algorithms[SSHKIT_ALG_CIPHER] = optarg; break;
        case 'R': t.requests = (unsigned)atoi(optarg); break;
        case 'B': t.request_size = (uint32_t)atoi(optarg); break;
        default: return 2;
        }
    }
    if (optind + 4 != argc)
        return fprintf(stderr, "usage: sshkit-bench-sftp -p port -l user -i key -o known_hosts "
                               "[-c ciphers] [-R n] [-B bytes] host get|put from to\n"), 2;
    const char *op = argv[optind + 1], *from = argv[optind + 2], *to = argv[optind + 3];
    sshkit_client *client;
    char err[512];
    if (sshkit_client_connect(argv[optind], &opt, &client, err, sizeof err) != 0)
        return fprintf(stderr, "%s\n", err), 1;
    sshkit_sftp *sftp;
    int rc = sshkit_sftp_open(client, &sftp);
    if (rc == 0) {
        rc = strcmp(op, "get") == 0 ? sshkit_sftp_get(sftp, from, to, &t)
                                    : sshkit_sftp_put(sftp, from, to, &t);
        if (rc)
            fprintf(stderr, "%s %s: %s (%s)\n", op, from, sshkit_error_name(rc),
                    sshkit_sftp_last_error(sftp));
        sshkit_sftp_free(sftp);
    } else {
        fprintf(stderr, "sftp: %s\n", sshkit_error_name(rc));
    }
    sshkit_client_free(client);
    return rc ? 1 : 0;
}
