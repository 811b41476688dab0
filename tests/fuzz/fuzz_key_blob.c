/* Fuzzes public key blobs (src/keys/key_blob.c): sshkit_key_from_public_blob
 * over the whole input.
 *
 * A blob that parses must come back byte for byte from
 * sshkit_key_public_blob: the SSH encodings are canonical (minimal mpints,
 * uncompressed points, fixed-size Ed25519 keys), so a parser that accepts
 * two encodings of one key, or one that loses something, shows up here.
 * The key's other accessors run too, for whatever they may trip over. */
#include <string.h>
#include <sshkit/key.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy: ASan then sees any read past the end. */
    uint8_t *blob = malloc(size ? size : 1);
    if (blob == NULL)
        return 0;
    if (size)
        memcpy(blob, data, size);

    sshkit_key *key = NULL;
    int rc = sshkit_key_from_public_blob(blob, size, &key);
    FUZZ_ASSERT((rc == 0) == (key != NULL));
    if (rc == 0) {
        uint8_t *again = NULL;
        size_t again_len = 0;
        FUZZ_ASSERT(sshkit_key_public_blob(key, &again, &again_len) == 0);
        FUZZ_ASSERT(again_len == size && memcmp(again, blob, size) == 0);
        sshkit_free(again, again_len);

        FUZZ_ASSERT(!sshkit_key_is_private(key));
        FUZZ_ASSERT(sshkit_key_bits(key) > 0);
        const char *name = sshkit_key_type_name(key);
        FUZZ_ASSERT(name != NULL && size >= 4 + strlen(name) &&
                    memcmp(blob + 4, name, strlen(name)) == 0);

        sshkit_key *copy = NULL;
        FUZZ_ASSERT(sshkit_key_public_copy(key, &copy) == 0);
        FUZZ_ASSERT(sshkit_key_equal(key, copy));
        sshkit_key_free(copy);
    }
    sshkit_key_free(key);
    free(blob);
    return 0;
}
