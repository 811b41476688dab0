/* sshkit-keygen -l, -y and -e: describe a key without changing it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keygen.h"

#define KEYGEN_FILE_MAX (16u << 20)

/* Reads a whole (small) file; NULL with errno set on failure. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap || cap >= KEYGEN_FILE_MAX)
            break;
        char *grown = realloc(buf, cap * 2 + 1);
        if (grown == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = grown;
        cap *= 2;
    }
    bool failed = ferror(f);
    fclose(f);
    if (buf == NULL || failed) {
        free(buf);
        errno = failed ? EIO : ENOMEM;
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* A private key file: its public half comes from FILE.pub (which has the
 * comment) when there is one, else from the key itself. */
static int fingerprint_private(const struct keygen_options *opt, const char *path)
{
    char pub_path[4200];
    snprintf(pub_path, sizeof pub_path, "%s.pub", path);
    sshkit_key *key = NULL;
    if (sshkit_key_load_public(pub_path, &key) != 0 &&
        sshkit_key_load_private(path, NULL, &key) != 0) {
        fprintf(stderr, "%s is not a public key file.\n", path);
        return KEYGEN_EXIT_FAILURE;
    }
    int rc = keygen_print_fingerprint(key, opt->hash, opt->visual);
    sshkit_key_free(key);
    return rc ? KEYGEN_EXIT_FAILURE : KEYGEN_EXIT_OK;
}

/* A public key file, or a file of them (authorized_keys): one line each. */
static int fingerprint_lines(const struct keygen_options *opt, char *text)
{
    int shown = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        line += strspn(line, " \t");
        if (*line == '\0' || *line == '#')
            continue;
        sshkit_key *key = NULL;
        if (sshkit_key_parse_public(line, strlen(line), &key) != 0)
            continue;
        if (keygen_print_fingerprint(key, opt->hash, opt->visual) == 0)
            shown++;
        sshkit_key_free(key);
    }
    return shown;
}

int keygen_fingerprint(const struct keygen_options *opt)
{
    const char *path = keygen_key_path(opt, "Enter file in which the key is", "ed25519");
    size_t len;
    char *text = read_file(path, &len);
    if (text == NULL) {
        fprintf(stderr, "sshkit-keygen: %s: %s\n", path, strerror(errno));
        return KEYGEN_EXIT_FAILURE;
    }
    int status;
    if (strncmp(text, "-----BEGIN ", 11) == 0 && strstr(text, "PRIVATE KEY-----")) {
        status = fingerprint_private(opt, path);
    } else if (strncmp(text, "---- BEGIN SSH2 PUBLIC KEY ----", 31) == 0) {
        sshkit_key *key = NULL;
        status = sshkit_key_parse_public(text, len, &key) == 0 &&
                 keygen_print_fingerprint(key, opt->hash, opt->visual) == 0
                     ? KEYGEN_EXIT_OK : KEYGEN_EXIT_FAILURE;
        sshkit_key_free(key);
    } else {
        status = fingerprint_lines(opt, text) > 0 ? KEYGEN_EXIT_OK : KEYGEN_EXIT_FAILURE;
    }
    if (status != KEYGEN_EXIT_OK)
        fprintf(stderr, "%s is not a public key file.\n", path);
    free(text);
    return status;
}

int keygen_print_public(const struct keygen_options *opt)
{
    const char *path = keygen_key_path(opt, "Enter file in which the key is", "ed25519");
    sshkit_key *key = NULL;
    if (keygen_load_private(path, opt->old_passphrase, &key) != 0)
        return KEYGEN_EXIT_FAILURE;
    char *line = NULL;
    int rc = sshkit_key_format_public(key, &line);
    if (rc == 0)
        printf("%s\n", line);
    else
        fprintf(stderr, "sshkit-keygen: %s\n", sshkit_strerror(rc));
    sshkit_free(line, 0);
    sshkit_key_free(key);
    return rc ? KEYGEN_EXIT_FAILURE : KEYGEN_EXIT_OK;
}

int keygen_export(const struct keygen_options *opt)
{
    const char *path = keygen_key_path(opt, "Enter file in which the key is", "ed25519");
    sshkit_key *key = NULL;
    if (sshkit_key_load_public(path, &key) != 0 &&
        keygen_load_private(path, opt->old_passphrase, &key) != 0)
        return KEYGEN_EXIT_FAILURE;
    char *text = NULL;
    int rc = sshkit_key_format_public_rfc4716(key, &text);
    if (rc == 0)
        fputs(text, stdout);
    else
        fprintf(stderr, "sshkit-keygen: %s\n", sshkit_strerror(rc));
    sshkit_free(text, 0);
    sshkit_key_free(key);
    return rc ? KEYGEN_EXIT_FAILURE : KEYGEN_EXIT_OK;
}
