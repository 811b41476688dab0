/* sshkit_key's life cycle and accessors. */
#include "keys/key_internal.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/rsa.h>
#include <sshkit/error.h>

struct key_type_info {
    sshkit_key_type type;
    const char *name;
    const char *short_name;
    const char *curve_ident;
    const char *curve_group;
};

static const struct key_type_info key_types[] = {
    { SSHKIT_KEY_ED25519,    "ssh-ed25519",         "ED25519", NULL,       NULL },
    { SSHKIT_KEY_ECDSA_P256, "ecdsa-sha2-nistp256", "ECDSA",   "nistp256", "P-256" },
    { SSHKIT_KEY_ECDSA_P384, "ecdsa-sha2-nistp384", "ECDSA",   "nistp384", "P-384" },
    { SSHKIT_KEY_ECDSA_P521, "ecdsa-sha2-nistp521", "ECDSA",   "nistp521", "P-521" },
    { SSHKIT_KEY_RSA,        "ssh-rsa",             "RSA",     NULL,       NULL },
};

static const struct key_type_info *type_info(sshkit_key_type type)
{
    for (size_t i = 0; i < sizeof key_types / sizeof key_types[0]; i++)
        if (key_types[i].type == type)
            return &key_types[i];
    return NULL;
}

const char *sk_key_type_to_name(sshkit_key_type type)
{
    const struct key_type_info *t = type_info(type);
    return t ? t->name : NULL;
}

int sk_key_type_from_name(sk_bytes name, sshkit_key_type *type)
{
    for (size_t i = 0; i < sizeof key_types / sizeof key_types[0]; i++) {
        if (sk_bytes_eq(name, key_types[i].name)) {
            *type = key_types[i].type;
            return 0;
        }
    }
    return SSHKIT_E_UNKNOWN_KEY_TYPE;
}

const char *sk_key_curve_ident(sshkit_key_type type)
{
    const struct key_type_info *t = type_info(type);
    return t ? t->curve_ident : NULL;
}

const char *sk_key_curve_group(sshkit_key_type type)
{
    const struct key_type_info *t = type_info(type);
    return t ? t->curve_group : NULL;
}

bool sk_key_type_is_ecdsa(sshkit_key_type type)
{
    return sk_key_curve_ident(type) != NULL;
}

int sk_key_wrap(sshkit_key_type type, EVP_PKEY *pkey, bool has_private, sshkit_key **out)
{
    *out = NULL;
    sshkit_key *key = calloc(1, sizeof *key);
    if (key == NULL) {
        EVP_PKEY_free(pkey);
        return SSHKIT_E_NOMEM;
    }
    key->type = type;
    key->pkey = pkey;
    key->has_private = has_private;
    *out = key;
    return 0;
}

static EVP_PKEY *generate_pkey(sshkit_key_type type, unsigned bits)
{
    switch (type) {
    case SSHKIT_KEY_ED25519:
        return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    case SSHKIT_KEY_ECDSA_P256:
    case SSHKIT_KEY_ECDSA_P384:
    case SSHKIT_KEY_ECDSA_P521:
        return EVP_PKEY_Q_keygen(NULL, NULL, "EC", sk_key_curve_group(type));
    case SSHKIT_KEY_RSA:
        return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
    }
    return NULL;
}

int sshkit_key_generate(sshkit_key_type type, unsigned bits, sshkit_key **out)
{
    if (out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = NULL;
    if (type_info(type) == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    if (type == SSHKIT_KEY_RSA) {
        if (bits == 0)
            bits = 3072;
        if (bits < 2048 || bits > SK_RSA_MAX_BITS)
            return SSHKIT_E_INVALID_ARGUMENT;
    }
    EVP_PKEY *pkey = generate_pkey(type, bits);
    if (pkey == NULL)
        return SSHKIT_E_CRYPTO;
    return sk_key_wrap(type, pkey, true, out);
}

void sshkit_key_free(sshkit_key *key)
{
    if (key == NULL)
        return;
    EVP_PKEY_free(key->pkey);   /* libcrypto clears private key material */
    if (key->comment)
        sshkit_free(key->comment, 0);
    OPENSSL_cleanse(key, sizeof *key);
    free(key);
}

sshkit_key_type sshkit_key_get_type(const sshkit_key *key)
{
    return key->type;
}

const char *sshkit_key_type_name(const sshkit_key *key)
{
    return sk_key_type_to_name(key->type);
}

const char *sshkit_key_short_name(const sshkit_key *key)
{
    const struct key_type_info *t = type_info(key->type);
    return t ? t->short_name : "UNKNOWN";
}

unsigned sshkit_key_bits(const sshkit_key *key)
{
    int bits = EVP_PKEY_get_bits(key->pkey);
    return bits > 0 ? (unsigned)bits : 0;
}

bool sshkit_key_is_private(const sshkit_key *key)
{
    return key->has_private;
}

const char *sshkit_key_comment(const sshkit_key *key)
{
    return key->comment ? key->comment : "";
}

int sshkit_key_set_comment(sshkit_key *key, const char *comment)
{
    char *copy = NULL;
    if (comment && *comment) {
        copy = strdup(comment);
        if (copy == NULL)
            return SSHKIT_E_NOMEM;
    }
    if (key->comment)
        sshkit_free(key->comment, 0);
    key->comment = copy;
    return 0;
}

int sshkit_key_public_copy(const sshkit_key *key, sshkit_key **out)
{
    if (key == NULL || out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = NULL;
    sk_buf b;
    sk_buf_init(&b);
    sk_key_write_public(&b, key);
    int rc = sk_buf_error(&b);
    if (rc == 0) {
        sk_reader r;
        sk_reader_init(&r, b.data, b.len);
        rc = sk_key_read_public(&r, out);
    }
    sk_buf_free(&b);
    if (rc == 0 && (rc = sshkit_key_set_comment(*out, key->comment)) != 0) {
        sshkit_key_free(*out);
        *out = NULL;
    }
    return rc;
}

bool sshkit_key_equal(const sshkit_key *a, const sshkit_key *b)
{
    if (a == NULL || b == NULL || a->type != b->type)
        return false;
    return EVP_PKEY_eq(a->pkey, b->pkey) == 1;
}

int sk_key_read_typed(sk_reader *r, bool has_private, sk_key_fields_reader read_fields,
                      sshkit_key **out)
{
    *out = NULL;
    sk_bytes name;
    sshkit_key_type type;
    if (sk_read_string(r, &name))
        return r->error;
    int rc = sk_key_type_from_name(name, &type);
    if (rc)
        return rc;
    EVP_PKEY *pkey = NULL;
    if ((rc = read_fields(r, type, &pkey)) != 0)
        return rc;
    return sk_key_wrap(type, pkey, has_private, out);
}
