/* The command line: OpenSSH sshd's flags, those sshkit-sshd supports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "server.h"

static void usage(void)
{
    fprintf(stderr, "usage: sshkit-sshd [-Ddet] [-f config_file] [-h host_key_file] "
                    "[-o option] [-p port]\n");
    exit(1);
}

static void report(void *ctx, const char *message)
{
    (void)ctx;
    fprintf(stderr, "%s\n", message);
}

static void add_port(struct sshd_config *cfg, const char *arg)
{
    char line[64];
    if (config_parse_port(arg) < 0) {
        fprintf(stderr, "Bad port number.\n");
        exit(SSHD_EXIT_CONFIG);
    }
    snprintf(line, sizeof line, "Port %s", arg);
    cfg->ports_from_cmdline = false;
    int rc = config_parse_line(cfg, line, "command-line", 0, report, NULL);
    cfg->ports_from_cmdline = true;       /* Port lines in the file are ignored */
    if (rc < 0)
        exit(SSHD_EXIT_CONFIG);
}

static void add_line(struct sshd_config *cfg, const char *line)
{
    if (config_parse_line(cfg, line, "command-line", 0, report, NULL) < 0)
        exit(SSHD_EXIT_CONFIG);
}

static void add_host_key(struct sshd_config *cfg, const char *path)
{
    size_t cap = strlen(path) + 16;
    char *line = malloc(cap);
    if (line == NULL)
        exit(SSHD_EXIT_CONFIG);
    snprintf(line, cap, "HostKey \"%s\"", path);
    add_line(cfg, line);
    free(line);
}

void options_parse(int argc, char **argv, struct sshd_options *opt, struct sshd_config *cfg)
{
    int c;
    opterr = 0;
    while ((c = getopt(argc, argv, ":Ddetf:h:o:p:")) != -1) {
        switch (c) {
        case 'D': opt->no_detach = true; break;
        case 'd': opt->debug += opt->debug < 3; break;
        case 'e': opt->log_stderr = true; break;
        case 't': opt->test_only = true; break;
        case 'f': opt->config_file = optarg; break;
        case 'h': add_host_key(cfg, optarg); break;
        case 'o': add_line(cfg, optarg); break;
        case 'p': add_port(cfg, optarg); break;
        case ':':
            fprintf(stderr, "sshkit-sshd: option requires an argument -- %c\n", optopt);
            usage();
            break;
        default:
            fprintf(stderr, "sshkit-sshd: unknown option -- %c\n", optopt);
            usage();
        }
    }
    if (optind < argc) {
        fprintf(stderr, "Extra argument %s.\n", argv[optind]);
        exit(1);
    }
}
