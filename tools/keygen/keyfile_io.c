/* Finding, loading and describing key files, as ssh-keygen does. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/crypto.h>

#include "keygen.h"
#include "prompt.h"

const char *keygen_home_dir(void)
{
    const char *home = getenv("HOME");
    if (home && *home)
        return home;
    struct passwd *pw = getpwuid(getuid());
    return pw ? pw->pw_dir : "/";
}

const char *keygen_key_path(const struct keygen_options *opt, const char *question,
                            const char *type_for_default)
{
    static char path[4096];
    if (opt->file)
        return opt->file;
    char fallback[4096];
    snprintf(fallback, sizeof fallback, "%s/.ssh/id_%s", keygen_home_dir(), type_for_default);
    char prompt[4200];
    snprintf(prompt, sizeof prompt, "%s (%s): ", question, fallback);
    if (!prompt_line(prompt, true, path, sizeof path) || path[0] == '\0')
        snprintf(path, sizeof path, "%s", fallback);
    return path;
}

int keygen_load_private(const char *path, const char *passphrase, sshkit_key **key)
{
    int rc = sshkit_key_load_private(path, passphrase, key);
    if (rc == SSHKIT_E_PASSPHRASE_REQUIRED && passphrase == NULL) {
        char typed[KEYGEN_LINE_MAX];
        if (prompt_line("Enter passphrase: ", false, typed, sizeof typed))
            rc = sshkit_key_load_private(path, typed, key);
        OPENSSL_cleanse(typed, sizeof typed);
    }
    if (rc == SSHKIT_E_IO)
        fprintf(stderr, "sshkit-keygen: %s: %s\n", path, strerror(errno));
    else if (rc)
        fprintf(stderr, "Load key \"%s\": %s\n", path, sshkit_strerror(rc));
    return rc;
}

bool keygen_ask_new_passphrase(const char *first_prompt, char *buf, size_t cap)
{
    char again[KEYGEN_LINE_MAX];
    for (int tries = 0; tries < 3; tries++) {
        if (!prompt_line(first_prompt, false, buf, cap) ||
            !prompt_line("Enter same passphrase again: ", false, again, sizeof again))
            break;
        bool same = strcmp(buf, again) == 0;
        OPENSSL_cleanse(again, sizeof again);
        if (same)
            return true;
        fprintf(stderr, "Passphrases do not match.  Try again.\n");
    }
    OPENSSL_cleanse(again, sizeof again);
    OPENSSL_cleanse(buf, cap);
    return false;
}

int keygen_print_fingerprint(const sshkit_key *key, sshkit_fingerprint_hash hash, bool visual)
{
    char *fp = NULL, *art = NULL;
    int rc = sshkit_key_fingerprint(key, hash, &fp);
    if (rc == 0 && visual)
        rc = sshkit_key_randomart(key, hash, &art);
    if (rc == 0) {
        const char *comment = sshkit_key_comment(key);
        printf("%u %s %s (%s)\n", sshkit_key_bits(key), fp,
               *comment ? comment : "no comment", sshkit_key_short_name(key));
        if (art)
            printf("%s\n", art);
    } else {
        fprintf(stderr, "sshkit-keygen: fingerprint failed: %s\n", sshkit_strerror(rc));
    }
    sshkit_free(fp, 0);
    sshkit_free(art, 0);
    return rc;
}

sshkit_key_format keygen_format_for(const struct keygen_options *opt, const sshkit_key *key)
{
    if (sshkit_key_get_type(key) == SSHKIT_KEY_ED25519)
        return SSHKIT_KEY_FORMAT_OPENSSH;
    return opt->format;
}
