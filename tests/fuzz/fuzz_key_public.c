/* Fuzzes public key text: sshkit_key_parse_public (OpenSSH's one-line
 * format and RFC 4716) over the whole input.
 *
 * Built only once src/keys/key_public_text.c exists (see CMakeLists.txt
 * here). A key that parses must be a public key whose blob reads back to an
 * equal key. */
#include <string.h>
#include <sshkit/key.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy, not NUL-terminated: the parser takes a length. */
    char *text = malloc(size ? size : 1);
    if (text == NULL)
        return 0;
    if (size)
        memcpy(text, data, size);

    sshkit_key *key = NULL;
    int rc = sshkit_key_parse_public(text, size, &key);
    FUZZ_ASSERT((rc == 0) == (key != NULL));
    if (rc == 0) {
        FUZZ_ASSERT(!sshkit_key_is_private(key));
        FUZZ_ASSERT(sshkit_key_comment(key) != NULL);
        uint8_t *blob = NULL;
        size_t blob_len = 0;
        sshkit_key *again = NULL;
        FUZZ_ASSERT(sshkit_key_public_blob(key, &blob, &blob_len) == 0);
        FUZZ_ASSERT(sshkit_key_from_public_blob(blob, blob_len, &again) == 0);
        FUZZ_ASSERT(sshkit_key_equal(key, again));
        sshkit_key_free(again);
        sshkit_free(blob, blob_len);
    }
    sshkit_key_free(key);
    free(text);
    return 0;
}
