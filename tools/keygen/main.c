/* sshkit-keygen: create, inspect and convert SSH keys, with ssh-keygen's
 * options and output (DESIGN.md section 6). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "keygen.h"

static void usage(void)
{
    fprintf(stderr,
            "usage: sshkit-keygen [-q] [-a rounds] [-b bits] [-C comment] [-f output_keyfile]\n"
            "                     [-m format] [-N new_passphrase] [-t ed25519 | ecdsa | rsa]\n"
            "       sshkit-keygen -l [-v] [-E fingerprint_hash] [-f input_keyfile]\n"
            "       sshkit-keygen -y [-f input_keyfile] [-P passphrase]\n"
            "       sshkit-keygen -e [-f input_keyfile]\n"
            "       sshkit-keygen -p [-a rounds] [-f keyfile] [-m format] [-N new_passphrase]\n"
            "                     [-P old_passphrase]\n"
            "       sshkit-keygen -F hostname [-Hq] [-f known_hosts_file]\n"
            "       sshkit-keygen -H [-f known_hosts_file]\n"
            "       sshkit-keygen -R hostname [-q] [-f known_hosts_file]\n");
    exit(KEYGEN_EXIT_DECLINED);
}

static bool parse_unsigned(const char *s, unsigned long max, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || v > max || s[0] == '-')
        return false;
    *out = (unsigned)v;
    return true;
}

static void parse_hash(struct keygen_options *opt, const char *name)
{
    if (strcasecmp(name, "sha256") == 0)
        opt->hash = SSHKIT_FP_SHA256;
    else if (strcasecmp(name, "md5") == 0)
        opt->hash = SSHKIT_FP_MD5;
    else {
        fprintf(stderr, "Invalid hash algorithm \"%s\"\n", name);
        exit(KEYGEN_EXIT_FAILURE);
    }
}

static void parse_format(struct keygen_options *opt, const char *name)
{
    if (strcasecmp(name, "PEM") == 0)
        opt->format = SSHKIT_KEY_FORMAT_PEM;
    else if (strcasecmp(name, "PKCS8") == 0)
        opt->format = SSHKIT_KEY_FORMAT_PKCS8;
    else if (strcasecmp(name, "RFC4716") == 0 || strcasecmp(name, "ssh2") == 0)
        opt->format = SSHKIT_KEY_FORMAT_OPENSSH;  /* private keys have no RFC 4716 form */
    else {
        fprintf(stderr, "Unsupported conversion format \"%s\"\n", name);
        exit(KEYGEN_EXIT_FAILURE);
    }
}

static void set_mode(struct keygen_options *opt, char mode)
{
    if (opt->mode != 'g' && opt->mode != mode)
        usage();
    opt->mode = mode;
}

static void parse_options(int argc, char **argv, struct keygen_options *opt)
{
    int c;
    while ((c = getopt(argc, argv, "a:b:C:E:eF:f:HlR:m:N:P:pqt:vy")) != -1) {
        switch (c) {
        case 'a':
            if (!parse_unsigned(optarg, INT_MAX, &opt->rounds) || opt->rounds == 0) {
                fprintf(stderr, "Invalid number: %s\n", optarg);
                exit(KEYGEN_EXIT_FAILURE);
            }
            break;
        case 'b':
            if (!parse_unsigned(optarg, UINT_MAX, &opt->bits)) {
                fprintf(stderr, "Bits has bad value %s (invalid)\n", optarg);
                exit(KEYGEN_EXIT_FAILURE);
            }
            break;
        case 'C': opt->comment = optarg; break;
        case 'E': parse_hash(opt, optarg); break;
        case 'e': set_mode(opt, 'e'); break;
        case 'F': set_mode(opt, 'F'); opt->kh_host = optarg; break;
        case 'f': opt->file = optarg; break;
        case 'H': opt->hash_hosts = true; break;
        case 'l': set_mode(opt, 'l'); break;
        case 'm': parse_format(opt, optarg); break;
        case 'N': opt->new_passphrase = optarg; break;
        case 'P': opt->old_passphrase = optarg; break;
        case 'p': set_mode(opt, 'p'); break;
        case 'R': set_mode(opt, 'R'); opt->kh_host = optarg; break;
        case 'q': opt->quiet = true; break;
        case 't': opt->type = optarg; break;
        case 'v': opt->visual = true; break;
        case 'y': set_mode(opt, 'y'); break;
        default: usage();
        }
    }
    if (optind < argc) {
        fprintf(stderr, "Too many arguments.\n");
        usage();
    }
    if (opt->hash_hosts && opt->mode != 'F')
        set_mode(opt, 'H');    /* -H alone hashes a file; with -F it prints hashed lines */
}

int main(int argc, char **argv)
{
    struct keygen_options opt = { .mode = 'g', .hash = SSHKIT_FP_SHA256,
                                  .format = SSHKIT_KEY_FORMAT_OPENSSH };
    parse_options(argc, argv, &opt);
    switch (opt.mode) {
    case 'l': return keygen_fingerprint(&opt);
    case 'y': return keygen_print_public(&opt);
    case 'e': return keygen_export(&opt);
    case 'p': return keygen_change_passphrase(&opt);
    case 'F':
    case 'R':
    case 'H': return keygen_known_hosts(&opt);
    default:  return keygen_generate(&opt);
    }
}
