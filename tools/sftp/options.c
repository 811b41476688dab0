/* sshkit-sftp's command line, with OpenSSH's sftp's flags and messages.
 * The connection options (-i, -o, -c, -C, -F, -P, -4, -6, -v, -q) go to the
 * options sshkit-ssh uses, with ssh's meaning, in the order OpenSSH's sftp
 * hands them to ssh (its own -o, then -oPort and -l user); then ssh_config
 * is read and resolved as sshkit-ssh does (config_apply.h). The rest are
 * sftp's. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_apply.h"
#include "destination.h"
#include "options_values.h"
#include "sftp.h"

#define SFTP_OPTSTRING "1246AafhNpqrvCc:D:i:l:o:s:S:b:B:F:J:P:R:X:"

/* The most an -R or -X nrequests= may ask for (OpenSSH's bound). */
#define SFTP_MAX_REQUESTS (256 * 1024)

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static _Noreturn void fatal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(SFTP_EXIT_FATAL);
}

/* A positive count; 0 when the text is not one. */
static unsigned long count_value(const char *text, unsigned long max)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(text, &end, 10);
    if (end == text || *end != '\0' || errno != 0 || text[0] == '-' || v > max)
        return 0;
    return v;
}

/* -X buffer=SIZE (with K or M) or -X nrequests=N. */
static void sftp_x_option(struct sftp_options *o, const char *arg)
{
    uint64_t bytes;
    if (strncmp(arg, "buffer=", 7) == 0) {
        if (!value_bytes(arg + 7, &bytes) || bytes == 0 || bytes > 256 * 1024)
            fatal("Invalid buffer size \"%s\": Invalid argument", arg + 7);
        o->buffer_size = (uint32_t)bytes;
    } else if (strncmp(arg, "nrequests=", 10) == 0) {
        unsigned long n = count_value(arg + 10, SFTP_MAX_REQUESTS);
        if (n == 0)
            fatal("Invalid number of requests \"%s\": invalid", arg + 10);
        o->requests = (unsigned)n;
    } else {
        fatal("Invalid -X option");
    }
}

static void batch_file(struct sftp_options *o, const char *arg)
{
    if (o->batch)
        fatal("Batch file already specified.");
    if (strcmp(arg, "-") != 0 && (o->input = fopen(arg, "r")) == NULL) {
        fprintf(stderr, "%s (%s).\n", strerror(errno), arg);
        exit(SFTP_EXIT_FATAL);
    }
    o->batch = o->quiet = true;
    o->progress = false;
    config_record("BatchMode yes");
}

static void verbose(struct sftp_options *o)
{
    struct ssh_options *s = &o->ssh;
    if (s->log_level < SSH_LOG_DEBUG1)
        s->log_level = SSH_LOG_DEBUG1;
    else if (s->log_level < SSH_LOG_DEBUG3)
        s->log_level++;
    s->log_level_set = true;
}

/* The flags without an argument; *noisy for -N. */
static void flag(struct sftp_options *o, int c, bool *noisy)
{
    switch (c) {
    case '1': fatal("SSH protocol v.1 is no longer supported");
    case '2': break;
    case '4': o->ssh.family = AF_INET; break;
    case '6': o->ssh.family = AF_INET6; break;
    case 'a': o->resume_all = true; break;
    case 'f': o->fsync_all = true; break;
    case 'p': o->preserve_all = true; break;
    case 'r': o->recurse_all = true; break;
    case 'N': *noisy = true; break;
    case 'q':
        o->quiet = true;
        o->progress = false;
        o->ssh.log_level = SSH_LOG_ERROR;
        o->ssh.log_level_set = true;
        break;
    case 'v': verbose(o); break;
    case 'h': sftp_manual();
    case 'C': o->ssh.compression = true; break;
    case 'A': unsupported("-A (agent forwarding)");
    default: sftp_usage();
    }
}

/* While the connection's options are checked and resolved, a refusal
 * exits (255) with ssh's message; OpenSSH's sftp then adds that its ssh is
 * gone. */
static bool resolving;

static void said_closed(void)
{
    if (resolving)
        fprintf(stderr, "Connection closed\n");
}

static _Noreturn void ssh_refused(void)
{
    fprintf(stderr, "Connection closed\n");
    exit(SFTP_EXIT_FATAL);
}

/* -c: ssh's check and message ("Unknown cipher type"), then as Ciphers. */
static void ciphers(struct ssh_options *s, const char *arg)
{
    sshkit_session *probe = NULL;
    bool known = sshkit_session_new(SSHKIT_ROLE_CLIENT, &probe) == 0 &&
                 sshkit_session_set_algorithms(probe, SSHKIT_ALG_CIPHER, arg) == 0;
    sshkit_session_free(probe);
    if (!known) {
        fprintf(stderr, "Unknown cipher type '%s'\n", arg);
        ssh_refused();
    }
    if (!options_set_algs(s, "Ciphers", SSHKIT_ALG_CIPHER, arg, true))
        ssh_refused();
}

/* The options with an argument that are ssh's. */
static bool ssh_option(struct sftp_options *o, int c, const char *arg)
{
    struct ssh_options *s = &o->ssh;
    switch (c) {
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
        return true;
    }
    case 'o': config_record(arg); return true;
    case 'c': ciphers(s, arg); return true;
    case 'F': config_set_file(arg); return true;
    default:
        return false;
    }
}

static void with_argument(struct sftp_options *o, int c, const char *arg, unsigned *port)
{
    unsigned long n;
    if (ssh_option(o, c, arg))
        return;
    switch (c) {
    case 'b': batch_file(o, arg); break;
    case 'B':
        if ((n = count_value(arg, UINT32_MAX)) == 0)
            fatal("Invalid buffer size \"%s\"", arg);
        o->buffer_size = (uint32_t)n;
        break;
    case 'R':
        if ((n = count_value(arg, SFTP_MAX_REQUESTS)) == 0)
            fatal("Invalid number of requests \"%s\"", arg);
        o->requests = (unsigned)n;
        break;
    case 'P':
        if (!value_port(arg, port)) {
            fprintf(stderr, "Bad port \"%s\"\n\n", arg);
            exit(SFTP_EXIT_FATAL);
        }
        break;
    case 'X': sftp_x_option(o, arg); break;
    case 's':
        if (strcmp(arg, "sftp") != 0)
            unsupported("-s with another subsystem or server than \"sftp\"");
        break;
    case 'l': unsupported("-l (bandwidth limit)");
    case 'D': unsupported("-D");
    case 'S': unsupported("-S");
    case 'J': unsupported("-J");
    default: sftp_usage();
    }
}

/* user@host:path and the rest: the connection's user, host and port. */
static void take_destination(struct sftp_options *o, char **words, int count, unsigned port)
{
    struct destination d;
    if (count < 1 || count > 2 || !destination_parse(words[0], &d))
        sftp_usage();
    if (d.host == NULL || d.host[0] == '\0') {
        fprintf(stderr, "Missing hostname\n");
        sftp_usage();
    }
    if (d.port > 0)
        port = d.port;
    char text[32];
    if (port > 0) {
        snprintf(text, sizeof text, "%u", port);
        config_record_value("Port", text);      /* after -o Port, as sftp's -oPort */
    }
    if (d.user != NULL)
        config_record_value("User", d.user);    /* after -o User, as sftp's "-l user" */
    o->ssh.destination = d.host;        /* owned: freed by sftp_options_free() */
    o->start_path = d.path;
    free(d.user);
    o->local_path = count == 2 ? words[1] : NULL;
}

void sftp_options_parse(struct sftp_options *o, int argc, char **argv)
{
    memset(o, 0, sizeof *o);
    options_init(&o->ssh);
    unsupported_program = "sshkit-sftp";
    o->input = stdin;
    o->progress = true;
    bool noisy = false;
    unsigned port = 0;
    int c;
    if (argc > 1 && strcmp(argv[1], "--help") == 0)
        sftp_manual();          /* as -h */
    opterr = 0;
    while ((c = getopt(argc, argv, SFTP_OPTSTRING)) != -1) {
        if (c == '?') {
            fprintf(stderr, "unknown option -- %c\n", optopt ? optopt : '-');
            sftp_usage();
        }
        if (c == ':') {
            fprintf(stderr, "option requires an argument -- %c\n", optopt);
            sftp_usage();
        }
        if (optarg)
            with_argument(o, c, optarg, &port);
        else
            flag(o, c, &noisy);
    }
    if (!isatty(STDERR_FILENO))
        o->progress = false;
    if (noisy)
        o->quiet = false;
    take_destination(o, argv + optind, argc - optind, port);
    atexit(said_closed);
    resolving = true;
    config_resolve(&o->ssh);
    options_finish(&o->ssh);
    resolving = false;
}

void sftp_options_free(struct sftp_options *o)
{
    free((char *)o->ssh.destination);
    o->ssh.destination = NULL;
    options_free(&o->ssh);
    free(o->start_path);
    if (o->input != NULL && o->input != stdin)
        fclose(o->input);
}
