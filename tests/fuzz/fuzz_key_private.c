/* Fuzzes private key files: sshkit_key_parse_private over the whole input,
 * once without a passphrase and once with "x" (the passphrase of the
 * encrypted seeds in corpus/key_private/).
 *
 * Built only once src/keys/keyfile.c exists (see CMakeLists.txt here).
 * A key that parses must be a key pair whose public blob reads back. */
#include <string.h>
#include <sshkit/key.h>

#include "fuzz.h"

static void parse(const uint8_t *text, size_t len, const char *passphrase)
{
    sshkit_key *key = NULL;
    int rc = sshkit_key_parse_private(text, len, passphrase, &key);
    FUZZ_ASSERT((rc == 0) == (key != NULL));
    if (rc != 0)
        return;
    FUZZ_ASSERT(sshkit_key_is_private(key));
    FUZZ_ASSERT(sshkit_key_comment(key) != NULL);

    uint8_t *blob = NULL;
    size_t blob_len = 0;
    sshkit_key *pub = NULL;
    FUZZ_ASSERT(sshkit_key_public_blob(key, &blob, &blob_len) == 0);
    FUZZ_ASSERT(sshkit_key_from_public_blob(blob, blob_len, &pub) == 0);
    FUZZ_ASSERT(sshkit_key_equal(key, pub));
    sshkit_key_free(pub);
    sshkit_free(blob, blob_len);
    sshkit_key_free(key);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy, not NUL-terminated: the parser takes a length. */
    uint8_t *text = malloc(size ? size : 1);
    if (text == NULL)
        return 0;
    if (size)
        memcpy(text, data, size);
    parse(text, size, NULL);
    parse(text, size, "x");
    free(text);
    return 0;
}
