/* A probe for the key file interop test (tests/interop/keys_files.sh):
 *   sshkit-keyfile-probe load FILE [PASS]
 *       loads a private key and prints "type base64-public-blob"
 *   sshkit-keyfile-probe gen TYPE BITS FILE FORMAT [PASS] [CIPHER]
 *       generates a key (TYPE ed25519|ecdsa|rsa; BITS 0 or the size),
 *       saves it (FORMAT openssh|pem|pkcs8; CIPHER only for openssh) and
 *       prints its public key as above.
 * Exit status 0, or 1 with the error's name on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <sshkit/error.h>
#include <sshkit/key.h>

#include "keys/keyfile_internal.h"

static int print_public(const sshkit_key *key)
{
    uint8_t *blob;
    size_t len;
    int rc = sshkit_key_public_blob(key, &blob, &len);
    if (rc)
        return rc;
    char *b64 = malloc(len / 3 * 4 + 5);
    if (b64 == NULL) {
        sshkit_free(blob, len);
        return SSHKIT_E_NOMEM;
    }
    EVP_EncodeBlock((unsigned char *)b64, blob, (int)len);
    printf("%s %s\n", sshkit_key_type_name(key), b64);
    free(b64);
    sshkit_free(blob, len);
    return 0;
}

static int load(int argc, char **argv)
{
    sshkit_key *key;
    int rc = sshkit_key_load_private(argv[2], argc > 3 ? argv[3] : NULL, &key);
    if (rc == 0) {
        rc = print_public(key);
        sshkit_key_free(key);
    }
    return rc;
}

static int parse_type(const char *name, unsigned bits, sshkit_key_type *type)
{
    if (strcmp(name, "ed25519") == 0)
        *type = SSHKIT_KEY_ED25519;
    else if (strcmp(name, "rsa") == 0)
        *type = SSHKIT_KEY_RSA;
    else if (strcmp(name, "ecdsa") == 0 && (bits == 0 || bits == 256))
        *type = SSHKIT_KEY_ECDSA_P256;
    else if (strcmp(name, "ecdsa") == 0 && bits == 384)
        *type = SSHKIT_KEY_ECDSA_P384;
    else if (strcmp(name, "ecdsa") == 0 && bits == 521)
        *type = SSHKIT_KEY_ECDSA_P521;
    else
        return SSHKIT_E_INVALID_ARGUMENT;
    return 0;
}

static int parse_format(const char *name, sshkit_key_format *format)
{
    if (strcmp(name, "openssh") == 0)
        *format = SSHKIT_KEY_FORMAT_OPENSSH;
    else if (strcmp(name, "pem") == 0)
        *format = SSHKIT_KEY_FORMAT_PEM;
    else if (strcmp(name, "pkcs8") == 0)
        *format = SSHKIT_KEY_FORMAT_PKCS8;
    else
        return SSHKIT_E_INVALID_ARGUMENT;
    return 0;
}

/* OpenSSH format with a chosen cipher goes through the internal encoder;
 * everything else through the public API. */
static int save(const sshkit_key *key, const char *path, sshkit_key_format format,
                const char *pass, const char *cipher)
{
    if (cipher == NULL)
        return sshkit_key_save_private(key, path, format, pass, 0);
    char *text;
    size_t len;
    int rc = sk_keyfile_openssh_encode(key, cipher, pass, 0, &text, &len);
    if (rc)
        return rc;
    FILE *f = fopen(path, "w");
    if (f == NULL || fwrite(text, 1, len, f) != len)
        rc = SSHKIT_E_IO;
    if (f && fclose(f) != 0)
        rc = SSHKIT_E_IO;
    sshkit_free(text, len);
    return rc;
}

static int gen(int argc, char **argv)
{
    sshkit_key_type type;
    sshkit_key_format format;
    sshkit_key *key;
    unsigned bits = (unsigned)strtoul(argv[3], NULL, 10);
    int rc = parse_type(argv[2], bits, &type);
    if (rc == 0)
        rc = parse_format(argv[5], &format);
    if (rc == 0)
        rc = sshkit_key_generate(type, type == SSHKIT_KEY_RSA ? bits : 0, &key);
    if (rc)
        return rc;
    rc = sshkit_key_set_comment(key, "probe@sshkit");
    if (rc == 0)
        rc = save(key, argv[4], format, argc > 6 ? argv[6] : NULL, argc > 7 ? argv[7] : NULL);
    if (rc == 0)
        rc = print_public(key);
    sshkit_key_free(key);
    return rc;
}

int main(int argc, char **argv)
{
    int rc = SSHKIT_E_INVALID_ARGUMENT;
    if (argc >= 3 && argc <= 4 && strcmp(argv[1], "load") == 0)
        rc = load(argc, argv);
    else if (argc >= 6 && argc <= 8 && strcmp(argv[1], "gen") == 0)
        rc = gen(argc, argv);
    else
        fprintf(stderr, "usage: %s load FILE [PASS] | gen TYPE BITS FILE FORMAT [PASS] [CIPHER]\n",
                argv[0]);
    if (rc) {
        fprintf(stderr, "%s\n", sshkit_error_name(rc));
        return 1;
    }
    return 0;
}
