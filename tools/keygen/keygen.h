/* sshkit-keygen: what its parts share. */
#ifndef SSHKIT_KEYGEN_H
#define SSHKIT_KEYGEN_H

#include <stdbool.h>
#include <sshkit.h>

/* Exit statuses, as ssh-keygen's. */
#define KEYGEN_EXIT_OK 0
#define KEYGEN_EXIT_DECLINED 1
#define KEYGEN_EXIT_FAILURE 255

/* Longest passphrase or answer read from the terminal. */
#define KEYGEN_LINE_MAX 1024

struct keygen_options {
    char mode;                  /* 'g' generate, 'l' fingerprint, 'y' public, 'p' passphrase, 'e' export,
                                 * 'F' find, 'R' remove, 'H' hash (known_hosts) */
    const char *type;           /* -t */
    unsigned bits;              /* -b; 0 means the type's default */
    const char *file;           /* -f */
    const char *new_passphrase; /* -N */
    const char *old_passphrase; /* -P */
    const char *comment;        /* -C */
    sshkit_fingerprint_hash hash; /* -E */
    bool visual;                /* -v: randomart with -l */
    bool quiet;                 /* -q */
    sshkit_key_format format;   /* -m */
    unsigned rounds;            /* -a */
    const char *kh_host;        /* -F or -R: the host name, as "host" or "[host]:port" */
    bool hash_hosts;            /* -H: alone, hash a known_hosts file; with -F, print hashed */
};

int keygen_generate(const struct keygen_options *opt);
int keygen_fingerprint(const struct keygen_options *opt);
int keygen_print_public(const struct keygen_options *opt);
int keygen_export(const struct keygen_options *opt);
int keygen_change_passphrase(const struct keygen_options *opt);
int keygen_known_hosts(const struct keygen_options *opt);

/* The user's home directory: $HOME, else the password database's. */
const char *keygen_home_dir(void);

/* The key file to work on: -f, or asked for with the given default
 * (~/.ssh/id_<type>). Returns a static buffer or opt->file; NULL when
 * nothing was entered and there is no default. */
const char *keygen_key_path(const struct keygen_options *opt, const char *question,
                            const char *type_for_default);

/* Loads a private key, asking for its passphrase when it is encrypted and
 * none was given. Prints OpenSSH's message on failure. */
int keygen_load_private(const char *path, const char *passphrase, sshkit_key **key);

/* The file format to write a key in: -m, except that Ed25519 keys are
 * always written in OpenSSH's format, as ssh-keygen does (OpenSSH reads
 * no other format for them). */
sshkit_key_format keygen_format_for(const struct keygen_options *opt, const sshkit_key *key);

/* Reads a new passphrase twice until both agree; false at end of input. */
bool keygen_ask_new_passphrase(const char *first_prompt, char *buf, size_t cap);

/* The fingerprint line of ssh-keygen -l: "<bits> <fp> <comment> (<TYPE>)". */
int keygen_print_fingerprint(const sshkit_key *key, sshkit_fingerprint_hash hash,
                             bool visual);

#endif
