/* Hashed host names (OpenSSH's HashKnownHosts): "|1|" base64(salt) "|"
 * base64(HMAC-SHA1(key = salt, name)), with a 20-byte salt. */
#include "hostkeys/knownhosts_internal.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sshkit/error.h>

#include "common/base64.h"

#define HMAC_SHA1_LEN 20
/* OpenSSH refuses an encoded salt longer than this. */
#define MAX_SALT_B64 1024

/* Decodes the salt of a "|1|salt|..." field; 0 or SSHKIT_E_FORMAT/NOMEM. */
static int extract_salt(const char *field, size_t len, uint8_t salt[SK_KH_SALT_LEN])
{
    const size_t magic = sizeof SK_KH_HASH_MAGIC - 1;
    if (len < magic || memcmp(field, SK_KH_HASH_MAGIC, magic) != 0)
        return SSHKIT_E_FORMAT;
    const char *b64 = field + magic;
    const char *bar = memchr(b64, '|', len - magic);
    if (bar == NULL || bar == b64 || bar - b64 > MAX_SALT_B64)
        return SSHKIT_E_FORMAT;
    uint8_t *raw;
    size_t raw_len;
    int rc = sk_base64_decode(b64, (size_t)(bar - b64), &raw, &raw_len);
    if (rc != 0)
        return rc == SSHKIT_E_NOMEM ? rc : SSHKIT_E_FORMAT;
    if (raw_len == SK_KH_SALT_LEN)
        memcpy(salt, raw, SK_KH_SALT_LEN);
    else
        rc = SSHKIT_E_FORMAT;
    free(raw);
    return rc;
}

/* Builds "|1|salt|hmac" for name under salt. */
static int encode_hashed(const uint8_t salt[SK_KH_SALT_LEN], const char *name, char **out)
{
    uint8_t mac[HMAC_SHA1_LEN];
    size_t mac_len = 0;
    *out = NULL;
    if (EVP_Q_mac(NULL, "HMAC", NULL, "SHA1", NULL, salt, SK_KH_SALT_LEN,
                  (const unsigned char *)name, strlen(name), mac, sizeof mac, &mac_len) == NULL ||
        mac_len != sizeof mac)
        return SSHKIT_E_CRYPTO;
    char *s64 = sk_base64_encode(salt, SK_KH_SALT_LEN);
    char *m64 = sk_base64_encode(mac, sizeof mac);
    size_t n = (s64 && m64) ? strlen(SK_KH_HASH_MAGIC) + strlen(s64) + 1 + strlen(m64) + 1 : 0;
    char *res = n ? malloc(n) : NULL;
    if (res) {
        strcpy(res, SK_KH_HASH_MAGIC);
        strcat(res, s64);
        strcat(res, "|");
        strcat(res, m64);
    }
    free(s64);
    free(m64);
    *out = res;
    return res ? 0 : SSHKIT_E_NOMEM;
}

bool sk_kh_hashed_field_ok(const char *field, size_t len)
{
    uint8_t salt[SK_KH_SALT_LEN];
    return extract_salt(field, len, salt) == 0;
}

int sk_kh_hashed_match(const char *field, size_t len, const char *name)
{
    uint8_t salt[SK_KH_SALT_LEN];
    int rc = extract_salt(field, len, salt);
    if (rc != 0)
        return rc == SSHKIT_E_NOMEM ? rc : 0;
    char *expect;
    rc = encode_hashed(salt, name, &expect);
    if (rc != 0)
        return rc;
    /* As OpenSSH: the whole field must be exactly the canonical encoding. */
    int match = strlen(expect) == len && CRYPTO_memcmp(expect, field, len) == 0;
    free(expect);
    return match;
}

int sk_kh_hash_name(const char *name, char **out)
{
    uint8_t salt[SK_KH_SALT_LEN];
    *out = NULL;
    if (RAND_bytes(salt, sizeof salt) != 1)
        return SSHKIT_E_CRYPTO;
    return encode_hashed(salt, name, out);
}
