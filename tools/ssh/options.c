/* sshkit-ssh's command line, with ssh's getopt semantics: options before
 * the destination and between it and the command; the first word after
 * the destination that is not an option starts the remote command. */
#include <errno.h>
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_apply.h"
#include "options_values.h"
#include "ssh.h"

#define SSH_OPTSTRING "+:46AaCGNnqTtvp:l:i:F:o:L:R:D:J:W:c:m:"

static _Noreturn void usage(void)
{
    fprintf(stderr,
            "usage: sshkit-ssh [-46AaCGNnqTtv] [-c cipher_spec] [-D [bind_address:]port]\n"
            "           [-F configfile] [-i identity_file] [-J destination] [-L address]\n"
            "           [-l login_name] [-m mac_spec] [-o option] [-p port] [-R address]\n"
            "           [-W host:port] destination [command [argument ...]]\n");
    exit(SSH_EXIT_FAILURE);
}

/* The options that take no argument. */
static void flag(struct ssh_options *o, int c)
{
    switch (c) {
    case '4': o->family = AF_INET; break;
    case '6': o->family = AF_INET6; break;
    case 'a': o->forward_agent = false; o->forward_agent_set = true; break;
    case 'G': config_request_dump(); break;
    case 'C': o->compression = true; break;   /* wins over Compression, as in ssh */
    case 'N': o->no_command = true; break;
    case 'n': o->stdin_null = true; break;
    case 'q': o->log_level = SSH_LOG_QUIET; o->log_level_set = true; break;
    case 'v':
        if (o->log_level < SSH_LOG_DEBUG1)
            o->log_level = SSH_LOG_DEBUG1;
        else if (o->log_level < SSH_LOG_DEBUG3)
            o->log_level++;
        o->log_level_set = true;
        break;
    case 'T': o->request_tty = SSH_TTY_NO; break;
    case 't':
        o->request_tty = o->request_tty == SSH_TTY_YES ? SSH_TTY_FORCE : SSH_TTY_YES;
        break;
    case 'A': o->forward_agent = o->forward_agent_set = true; break;
    default: break;
    }
}

static void with_argument(struct ssh_options *o, int c, const char *arg)
{
    switch (c) {
    case 'p':
        if (!value_port(arg, &(unsigned){ 0 })) {
            fprintf(stderr, "Bad port '%s'\n", arg);
            exit(SSH_EXIT_FAILURE);
        }
        config_record_value("Port", arg);
        break;
    case 'l': config_record_value("User", arg); break;
    case 'i': {
        /* As ssh: a file that is not there is left out, with a warning. */
        char *path = value_expand_path(arg);
        struct stat st;
        if (path == NULL || stat(path, &st) != 0)
            fprintf(stderr, "Warning: Identity file %s not accessible: %s.\n", path ? path : arg,
                    strerror(errno));
        else
            config_record_value("IdentityFile", path);
        free(path);
        break;
    }
    case 'o': config_record(arg); break;
    case 'c':
        if (!options_set_algs(o, "Ciphers", SSHKIT_ALG_CIPHER, arg, true))
            exit(SSH_EXIT_FAILURE);
        break;
    case 'm':
        if (!options_set_algs(o, "MACs", SSHKIT_ALG_MAC, arg, true))
            exit(SSH_EXIT_FAILURE);
        break;
    case 'F': config_set_file(arg); break;
    case 'L':
        if (!fwd_spec_add(o, arg, 'L')) {
            fprintf(stderr, "Bad local forwarding specification '%s'\n", arg);
            exit(SSH_EXIT_FAILURE);
        }
        break;
    case 'R':
        if (!fwd_spec_add(o, arg, 'R')) {
            fprintf(stderr, "Bad remote forwarding specification '%s'\n", arg);
            exit(SSH_EXIT_FAILURE);
        }
        break;
    case 'D':
        if (!fwd_spec_add(o, arg, 'D')) {
            fprintf(stderr, "Bad dynamic forwarding specification '%s'\n", arg);
            exit(SSH_EXIT_FAILURE);
        }
        break;
    case 'J': {
        /* Unquoted: a jump has no blanks, and the library keeps quotes in it. */
        char line[2048];
        if (snprintf(line, sizeof line, "ProxyJump=%s", arg) >= (int)sizeof line) {
            fprintf(stderr, "ssh: ProxyJump too long\n");
            exit(SSH_EXIT_FAILURE);
        }
        config_record(line);
        break;
    }
    case 'W':
        free(o->stdio_host);
        if (!value_host_port(arg, &o->stdio_host, &o->stdio_port)) {
            fprintf(stderr, "Bad stdio forwarding specification '%s'\n", arg);
            exit(SSH_EXIT_FAILURE);
        }
        break;
    default: usage();
    }
}

/* Parses options from argv[1] on (argv[0] is a program name or the
 * destination); returns the index of the first word that is not one. */
static int parse_run(struct ssh_options *o, int argc, char **argv)
{
    int c;
    optind = 0;                 /* glibc: start again, from argv[1] */
    opterr = 0;
    while ((c = getopt(argc, argv, SSH_OPTSTRING)) != -1) {
        if (c == '?') {
            fprintf(stderr, "unknown option -- %c\n", optopt);
            usage();
        }
        if (c == ':') {
            fprintf(stderr, "option requires an argument -- %c\n", optopt);
            usage();
        }
        if (optarg)
            with_argument(o, c, optarg);
        else
            flag(o, c);
    }
    return optind;
}

void options_parse(struct ssh_options *o, int argc, char **argv)
{
    int at = parse_run(o, argc, argv);
    if (at >= argc)
        usage();
    o->destination = argv[at];
    /* Options may follow the destination, as with ssh. */
    int rest = parse_run(o, argc - at, argv + at);
    if (at + rest < argc) {
        o->command = argv + at + rest;
        o->command_count = argc - at - rest;
    }
}
