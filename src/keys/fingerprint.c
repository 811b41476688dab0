/* Key fingerprints as ssh-keygen prints them: "SHA256:" and unpadded
 * base64, or "MD5:" and colon-separated lowercase hex. */
#include "keys/key_internal.h"

#include <stdlib.h>
#include <string.h>
#include "common/base64.h"
#include <sshkit/error.h>

int sk_key_fingerprint_digest(const sshkit_key *key, sshkit_fingerprint_hash hash,
                              uint8_t digest[SK_FP_DIGEST_MAX], size_t *len, const char **name)
{
    const char *md = hash == SSHKIT_FP_SHA256 ? "SHA256" : hash == SSHKIT_FP_MD5 ? "MD5" : NULL;
    if (key == NULL || md == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    uint8_t *blob;
    size_t blob_len;
    int rc = sshkit_key_public_blob(key, &blob, &blob_len);
    if (rc)
        return rc;
    unsigned int n = 0;
    EVP_MD *evp_md = EVP_MD_fetch(NULL, md, NULL);
    if (evp_md == NULL || EVP_Digest(blob, blob_len, digest, &n, evp_md, NULL) != 1 ||
        n > SK_FP_DIGEST_MAX)
        rc = SSHKIT_E_CRYPTO;
    EVP_MD_free(evp_md);
    sshkit_free(blob, blob_len);
    *len = n;
    *name = md;
    return rc;
}

static char *sha256_text(const uint8_t *digest, size_t len)
{
    char *b64 = sk_base64_encode(digest, len);
    if (b64 == NULL)
        return NULL;
    size_t n = strlen(b64);
    while (n > 0 && b64[n - 1] == '=')
        n--;
    char *text = malloc(strlen("SHA256:") + n + 1);
    if (text) {
        memcpy(text, "SHA256:", 7);
        memcpy(text + 7, b64, n);
        text[7 + n] = '\0';
    }
    free(b64);
    return text;
}

static char *md5_text(const uint8_t *digest, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    char *text = malloc(strlen("MD5:") + len * 3);
    if (text == NULL)
        return NULL;
    memcpy(text, "MD5:", 4);
    char *p = text + 4;
    for (size_t i = 0; i < len; i++) {
        if (i > 0)
            *p++ = ':';
        *p++ = hex[digest[i] >> 4];
        *p++ = hex[digest[i] & 15];
    }
    *p = '\0';
    return text;
}

int sshkit_key_fingerprint(const sshkit_key *key, sshkit_fingerprint_hash hash, char **text)
{
    if (text == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *text = NULL;
    uint8_t digest[SK_FP_DIGEST_MAX];
    size_t len;
    const char *name;
    int rc = sk_key_fingerprint_digest(key, hash, digest, &len, &name);
    if (rc)
        return rc;
    *text = hash == SSHKIT_FP_SHA256 ? sha256_text(digest, len) : md5_text(digest, len);
    return *text ? 0 : SSHKIT_E_NOMEM;
}
