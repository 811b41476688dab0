/* sshkit-keygen -p: re-encrypt a private key under a new passphrase. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <openssl/crypto.h>

#include "keygen.h"
#include "prompt.h"

/* Loads the key, asking for the old passphrase with ssh-keygen's words. */
static int load_old(const struct keygen_options *opt, const char *path, sshkit_key **key)
{
    int rc = sshkit_key_load_private(path, opt->old_passphrase, key);
    if (rc == SSHKIT_E_PASSPHRASE_REQUIRED && opt->old_passphrase == NULL) {
        char typed[KEYGEN_LINE_MAX];
        if (prompt_line("Enter old passphrase: ", false, typed, sizeof typed))
            rc = sshkit_key_load_private(path, typed, key);
        OPENSSL_cleanse(typed, sizeof typed);
    }
    if (rc == SSHKIT_E_IO)
        fprintf(stderr, "sshkit-keygen: %s: %s\n", path, strerror(errno));
    else if (rc)
        fprintf(stderr, "Failed to load key %s: %s\n", path, sshkit_strerror(rc));
    return rc;
}

int keygen_change_passphrase(const struct keygen_options *opt)
{
    const char *path = keygen_key_path(opt, "Enter file in which the key is", "ed25519");
    sshkit_key *key = NULL;
    if (load_old(opt, path, &key) != 0)
        return KEYGEN_EXIT_FAILURE;
    printf("Key has comment '%s'\n", sshkit_key_comment(key));
    fflush(stdout);

    char typed[KEYGEN_LINE_MAX] = "";
    const char *passphrase = opt->new_passphrase;
    if (passphrase == NULL) {
        if (!keygen_ask_new_passphrase("Enter new passphrase (empty for no passphrase): ", typed,
                                       sizeof typed)) {
            sshkit_key_free(key);
            return KEYGEN_EXIT_FAILURE;
        }
        passphrase = typed;
    }
    int rc = sshkit_key_save_private(key, path, keygen_format_for(opt, key), passphrase,
                                     opt->rounds);
    OPENSSL_cleanse(typed, sizeof typed);
    sshkit_key_free(key);
    if (rc) {
        fprintf(stderr, "Saving key \"%s\" failed: %s.\n", path,
                rc == SSHKIT_E_IO ? strerror(errno) : sshkit_strerror(rc));
        return KEYGEN_EXIT_FAILURE;
    }
    printf("Your identification has been saved with the new passphrase.\n");
    return KEYGEN_EXIT_OK;
}
