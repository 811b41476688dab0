/* PEM private keys through libcrypto's decoders and encoders: PKCS#1 RSA,
 * SEC1 EC, PKCS#8 (plain and encrypted), and legacy encrypted PEM
 * ("Proc-Type: 4,ENCRYPTED"). libcrypto's own error queue is emptied after
 * every failure so nothing leaks into a caller's later libcrypto calls. */
#include "keys/keyfile_internal.h"
#include "keys/key_internal.h"
#include "common/base64.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <sshkit/error.h>

struct pass_state {
    const char *passphrase;     /* NULL when the caller gave none */
    bool asked;
};

static int pass_cb(char *buf, size_t size, size_t *len, const OSSL_PARAM params[], void *arg)
{
    struct pass_state *st = arg;
    (void)params;
    st->asked = true;
    size_t n = st->passphrase ? strlen(st->passphrase) : 0;
    if (st->passphrase == NULL || n > size)
        return 0;
    memcpy(buf, st->passphrase, n);
    *len = n;
    return 1;
}

/* Finds a line starting with "-----" after pos; returns its offset or len. */
static size_t find_marker(const char *text, size_t len, size_t pos, const char *marker)
{
    size_t m = strlen(marker);
    for (size_t i = pos; i + m <= len; i++)
        if ((i == 0 || text[i - 1] == '\n') && memcmp(text + i, marker, m) == 0)
            return i;
    return len;
}

/* Whether the rest of a marker line ends with its closing dashes. */
static bool line_closed(const char *p, size_t len)
{
    const char *nl = memchr(p, '\n', len);
    size_t n = nl ? (size_t)(nl - p) : len;
    while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' '))
        n--;
    return n >= 5 && memcmp(p + n - 5, "-----", 5) == 0;
}

/* Checks the armor before libcrypto sees it, for errors libcrypto cannot
 * tell apart: a missing end line (truncated) or a corrupt base64 body.
 * Header lines ("Proc-Type: ...", "DEK-Info: ...") contain ':'. */
static int precheck(const char *text, size_t len)
{
    size_t begin = find_marker(text, len, 0, "-----BEGIN ");
    if (begin == len)
        return SSHKIT_E_FORMAT;
    const char *nl = memchr(text + begin, '\n', len - begin);
    if (nl == NULL)
        return SSHKIT_E_TRUNCATED;
    size_t body = (size_t)(nl - text) + 1;
    size_t end = find_marker(text, len, body, "-----END ");
    if (end == len || !line_closed(text + end + 9, len - end - 9))
        return SSHKIT_E_TRUNCATED;
    size_t b64 = body;
    for (size_t i = body; i < end; i++) {
        if (text[i] == ':') {
            const char *eol = memchr(text + i, '\n', end - i);
            b64 = eol ? (size_t)(eol - text) + 1 : end;
        }
    }
    uint8_t *bin;
    size_t bin_len;
    int rc = sk_base64_decode(text + b64, end - b64, &bin, &bin_len);
    if (rc == 0) {
        OPENSSL_cleanse(bin, bin_len);
        free(bin);
    }
    return rc;
}

static int ec_type(const EVP_PKEY *pkey, sshkit_key_type *type)
{
    char group[64];
    if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                       NULL) != 1)
        return SSHKIT_E_UNKNOWN_KEY_TYPE;   /* explicit curve parameters */
    int nid = OBJ_sn2nid(group);
    if (nid == NID_undef)
        nid = EC_curve_nist2nid(group);
    switch (nid) {
    case NID_X9_62_prime256v1: *type = SSHKIT_KEY_ECDSA_P256; return 0;
    case NID_secp384r1:        *type = SSHKIT_KEY_ECDSA_P384; return 0;
    case NID_secp521r1:        *type = SSHKIT_KEY_ECDSA_P521; return 0;
    default:                   return SSHKIT_E_UNKNOWN_KEY_TYPE;
    }
}

/* The sshkit type of a decoded key, after the checks a key from a file
 * needs: a supported type and size, and a private half matching its public. */
static int classify(EVP_PKEY *pkey, sshkit_key_type *type)
{
    int rc = 0;
    if (EVP_PKEY_is_a(pkey, "ED25519")) {
        *type = SSHKIT_KEY_ED25519;
        return 0;
    }
    if (EVP_PKEY_is_a(pkey, "RSA")) {
        int bits = EVP_PKEY_get_bits(pkey);
        *type = SSHKIT_KEY_RSA;
        if (bits < SK_RSA_MIN_BITS || bits > SK_RSA_MAX_BITS)
            return SSHKIT_E_FORMAT;
    } else if (EVP_PKEY_is_a(pkey, "EC")) {
        if ((rc = ec_type(pkey, type)) != 0)
            return rc;
        /* SSH blobs carry uncompressed points, whatever the file had. */
        if (EVP_PKEY_set_utf8_string_param(pkey, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
                                           "uncompressed") != 1)
            return SSHKIT_E_CRYPTO;
    } else {
        return SSHKIT_E_UNKNOWN_KEY_TYPE;
    }
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    if (ctx == NULL || EVP_PKEY_pairwise_check(ctx) != 1)
        rc = SSHKIT_E_KEY_MISMATCH;
    EVP_PKEY_CTX_free(ctx);
    return rc;
}

static int decode(const char *text, size_t len, struct pass_state *st, EVP_PKEY **pkey)
{
    OSSL_DECODER_CTX *ctx = OSSL_DECODER_CTX_new_for_pkey(pkey, "PEM", NULL, NULL,
                                                          EVP_PKEY_KEYPAIR, NULL, NULL);
    if (ctx == NULL)
        return SSHKIT_E_CRYPTO;
    const unsigned char *p = (const unsigned char *)text;
    size_t left = len;
    int ok = OSSL_DECODER_CTX_set_passphrase_cb(ctx, pass_cb, st) == 1 &&
             OSSL_DECODER_from_data(ctx, &p, &left) == 1 && *pkey != NULL;
    OSSL_DECODER_CTX_free(ctx);
    if (ok)
        return 0;
    if (st->asked)
        return st->passphrase ? SSHKIT_E_WRONG_PASSPHRASE : SSHKIT_E_PASSPHRASE_REQUIRED;
    return SSHKIT_E_FORMAT;
}

int sk_keyfile_pem_parse(const char *text, size_t len, const char *passphrase,
                         sshkit_key **out)
{
    struct pass_state st = { passphrase && *passphrase ? passphrase : NULL, false };
    EVP_PKEY *pkey = NULL;
    sshkit_key_type type;
    *out = NULL;
    int rc = precheck(text, len);
    if (rc == 0)
        rc = decode(text, len, &st, &pkey);
    if (rc == 0)
        rc = classify(pkey, &type);
    if (rc == 0)
        rc = sk_key_wrap(type, pkey, true, out);
    else
        EVP_PKEY_free(pkey);
    ERR_clear_error();
    return rc;
}

/* PEM's traditional structure is "type-specific" (PKCS#1, SEC1); Ed25519
 * has none, so it gets PKCS#8 as OpenSSH writes it. */
static const char *structure_for(const sshkit_key *key, sshkit_key_format format, bool encrypt)
{
    if (format == SSHKIT_KEY_FORMAT_PEM && sshkit_key_get_type(key) != SSHKIT_KEY_ED25519)
        return "type-specific";
    return encrypt ? "EncryptedPrivateKeyInfo" : "PrivateKeyInfo";
}

static int encode(const sshkit_key *key, sshkit_key_format format, const char *passphrase,
                  unsigned char **data, size_t *len)
{
    bool encrypt = passphrase && *passphrase;
    OSSL_ENCODER_CTX *ctx = OSSL_ENCODER_CTX_new_for_pkey(
        key->pkey, EVP_PKEY_KEYPAIR, "PEM", structure_for(key, format, encrypt), NULL);
    int ok = ctx != NULL && OSSL_ENCODER_CTX_get_num_encoders(ctx) > 0;
    if (ok && encrypt)
        ok = OSSL_ENCODER_CTX_set_cipher(ctx, "AES-256-CBC", NULL) == 1 &&
             OSSL_ENCODER_CTX_set_passphrase(ctx, (const unsigned char *)passphrase,
                                             strlen(passphrase)) == 1;
    ok = ok && OSSL_ENCODER_to_data(ctx, data, len) == 1;
    OSSL_ENCODER_CTX_free(ctx);
    return ok ? 0 : SSHKIT_E_CRYPTO;
}

int sk_keyfile_pem_encode(const sshkit_key *key, sshkit_key_format format,
                          const char *passphrase, char **text, size_t *len)
{
    unsigned char *data = NULL;
    size_t data_len = 0;
    *text = NULL;
    *len = 0;
    if (!sshkit_key_is_private(key))
        return SSHKIT_E_STATE;
    int rc = encode(key, format, passphrase, &data, &data_len);
    if (rc == 0) {
        *text = malloc(data_len + 1);
        if (*text == NULL) {
            rc = SSHKIT_E_NOMEM;
        } else {
            memcpy(*text, data, data_len);
            (*text)[data_len] = '\0';
            *len = data_len;
        }
    }
    OPENSSL_clear_free(data, data_len);
    ERR_clear_error();
    return rc;
}
