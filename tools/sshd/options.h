/* sshkit-sshd's command line, as sshd's:
 *   sshkit-sshd [-Ddet] [-f config_file] [-h host_key_file] [-o option] [-p port] */
#ifndef SSHKIT_SSHD_OPTIONS_H
#define SSHKIT_SSHD_OPTIONS_H

#include <stdbool.h>

#include "config.h"

struct sshd_options {
    const char *config_file;    /* -f; default /etc/ssh/sshd_config */
    bool no_detach;             /* -D */
    bool log_stderr;            /* -e */
    bool test_only;             /* -t */
    int debug;                  /* -d, counted (up to 3) */
};

/* Parses argv. -o, -p and -h go straight into cfg (before the file, so
 * they win). Exits with sshd's statuses on errors: 1 for a bad flag, 255
 * for a bad -o or -p. */
void options_parse(int argc, char **argv, struct sshd_options *opt, struct sshd_config *cfg);

#endif
