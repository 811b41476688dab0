/* PasswordFile: "user:hash" lines, hashes in crypt(3) form ($6$..., $y$...),
 * checked with crypt_r() from libxcrypt. Every check costs one hash: for
 * an unknown or refused user, the file's first hash (so the same method
 * and cost) or a fixed SHA-512 setting stands in, and the answer is no.
 * The file is read at every check, so edits apply at once. */
#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "server.h"

/* Stands in when the file has no hash at all. */
#define DUMMY_SETTING "$6$sshkitsshdsalt$"

/* Reads the file: user's hash (when wanted) and the first hash seen. */
static void read_hashes(const char *file, const char *user, char **hash, char **first)
{
    FILE *f = fopen(file, "r");
    char *line = NULL;
    size_t cap = 0, ulen = strlen(user);
    while (f && getline(&line, &cap, f) > 0) {
        line[strcspn(line, "\r\n")] = '\0';
        char *colon = strchr(line, ':');
        if (line[0] == '#' || colon == NULL || colon[1] == '\0')
            continue;
        if (*first == NULL)
            *first = strdup(colon + 1);
        if (*hash == NULL && (size_t)(colon - line) == ulen && memcmp(line, user, ulen) == 0)
            *hash = strdup(colon + 1);
    }
    if (line)
        OPENSSL_cleanse(line, cap);
    free(line);
    if (f)
        fclose(f);
}

bool password_check(const char *file, const char *user, bool valid, const char *password)
{
    char *hash = NULL, *first = NULL;
    if (file)
        read_hashes(file, valid ? user : "", &hash, &first);
    const char *setting = hash ? hash : first ? first : DUMMY_SETTING;
    struct crypt_data *cd = calloc(1, sizeof *cd);
    const char *out = cd ? crypt_r(password, setting, cd) : NULL;
    bool ok = false;
    if (out && out[0] != '*' && hash != NULL) {
        size_t n = strlen(hash);
        ok = strlen(out) == n && CRYPTO_memcmp(out, hash, n) == 0;
    }
    if (cd) {
        OPENSSL_cleanse(cd, sizeof *cd);
        free(cd);
    }
    free(hash);
    free(first);
    return ok && valid;
}
