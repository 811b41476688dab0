/* Unit tests for private key files: OpenSSH's format, PEM and PKCS#8,
 * round trips and hostile input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <sshkit/error.h>
#include <sshkit/key.h>
#include "common/base64.h"
#include "keys/key_internal.h"
#include "keys/keyfile_internal.h"

/* A throwaway key made for these tests by OpenSSH 9.2's
 * `ssh-keygen -t ed25519 -N "" -C "sshkit test vector"`, and its .pub line. */
static const char vector_key[] =
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
    "QyNTUxOQAAACCOaZQXIlIbJ6Vij+nQv3HvAKnplE9LeblRxfBDC/5x0AAAAJiY5itTmOYr\n"
    "UwAAAAtzc2gtZWQyNTUxOQAAACCOaZQXIlIbJ6Vij+nQv3HvAKnplE9LeblRxfBDC/5x0A\n"
    "AAAEA1EXJ60oN3kSO4h8BpHsWoLexKF0o6M5Wk+vpd6OTNL45plBciUhsnpWKP6dC/ce8A\n"
    "qemUT0t5uVHF8EML/nHQAAAAEnNzaGtpdCB0ZXN0IHZlY3RvcgECAw==\n"
    "-----END OPENSSH PRIVATE KEY-----\n";
static const char vector_pub_b64[] =
    "AAAAC3NzaC1lZDI1NTE5AAAAII5plBciUhsnpWKP6dC/ce8AqemUT0t5uVHF8EML/nHQ";

static const sshkit_key_type all_types[] = {
    SSHKIT_KEY_ED25519, SSHKIT_KEY_ECDSA_P256, SSHKIT_KEY_ECDSA_P384,
    SSHKIT_KEY_ECDSA_P521, SSHKIT_KEY_RSA,
};
#define NTYPES (sizeof all_types / sizeof all_types[0])

static const char pass[] = "correct horse";

static sshkit_key *generate(sshkit_key_type type)
{
    sshkit_key *key;
    assert_int_equal(sshkit_key_generate(type, type == SSHKIT_KEY_RSA ? 2048 : 0, &key), 0);
    assert_int_equal(sshkit_key_set_comment(key, "user@host"), 0);
    return key;
}

/* Parses text and expects rc, a NULL key, and libcrypto's queue empty. */
static void expect_parse_error(const char *text, size_t len, const char *passphrase, int rc)
{
    sshkit_key *key = (sshkit_key *)&key;
    assert_int_equal(sshkit_key_parse_private(text, len, passphrase, &key), rc);
    assert_null(key);
    assert_int_equal(ERR_peek_error(), 0);
}

static void check_round_trip(const sshkit_key *key, sshkit_key_format format, const char *p)
{
    char *text;
    size_t len;
    sshkit_key *back;
    assert_int_equal(sshkit_key_format_private(key, format, p, 4, &text, &len), 0);
    assert_int_equal(strlen(text), len);
    assert_int_equal(sshkit_key_parse_private(text, len, p, &back), 0);
    assert_true(sshkit_key_is_private(back));
    assert_true(sshkit_key_equal(key, back));
    assert_int_equal(sshkit_key_get_type(back), sshkit_key_get_type(key));
    if (format == SSHKIT_KEY_FORMAT_OPENSSH)
        assert_string_equal(sshkit_key_comment(back), "user@host");
    if (p) {
        expect_parse_error(text, len, NULL, SSHKIT_E_PASSPHRASE_REQUIRED);
        expect_parse_error(text, len, "", SSHKIT_E_PASSPHRASE_REQUIRED);
        expect_parse_error(text, len, "wrong horse", SSHKIT_E_WRONG_PASSPHRASE);
    }
    sshkit_key_free(back);
    sshkit_free(text, len);
}

static void test_round_trips(void **state)
{
    (void)state;
    const sshkit_key_format formats[] = {
        SSHKIT_KEY_FORMAT_OPENSSH, SSHKIT_KEY_FORMAT_PEM, SSHKIT_KEY_FORMAT_PKCS8,
    };
    for (size_t t = 0; t < NTYPES; t++) {
        sshkit_key *key = generate(all_types[t]);
        for (size_t f = 0; f < 3; f++) {
            check_round_trip(key, formats[f], NULL);
            check_round_trip(key, formats[f], pass);
        }
        sshkit_key_free(key);
    }
}

static void expect_armor(const sshkit_key *key, sshkit_key_format format, const char *p,
                         const char *first_line)
{
    char *text;
    size_t len;
    assert_int_equal(sshkit_key_format_private(key, format, p, 1, &text, &len), 0);
    assert_memory_equal(text, first_line, strlen(first_line));
    sshkit_free(text, len);
}

static void test_armor_per_format(void **state)
{
    (void)state;
    sshkit_key *rsa = generate(SSHKIT_KEY_RSA), *ec = generate(SSHKIT_KEY_ECDSA_P256);
    sshkit_key *ed = generate(SSHKIT_KEY_ED25519);
    expect_armor(rsa, SSHKIT_KEY_FORMAT_PEM, NULL, "-----BEGIN RSA PRIVATE KEY-----\n");
    expect_armor(rsa, SSHKIT_KEY_FORMAT_PEM, pass,
                 "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n");
    expect_armor(ec, SSHKIT_KEY_FORMAT_PEM, NULL, "-----BEGIN EC PRIVATE KEY-----\n");
    expect_armor(ed, SSHKIT_KEY_FORMAT_PEM, NULL, "-----BEGIN PRIVATE KEY-----\n");
    expect_armor(ec, SSHKIT_KEY_FORMAT_PKCS8, NULL, "-----BEGIN PRIVATE KEY-----\n");
    expect_armor(ec, SSHKIT_KEY_FORMAT_PKCS8, pass, "-----BEGIN ENCRYPTED PRIVATE KEY-----\n");
    expect_armor(ed, SSHKIT_KEY_FORMAT_OPENSSH, pass, "-----BEGIN OPENSSH PRIVATE KEY-----\n");
    sshkit_key_free(rsa);
    sshkit_key_free(ec);
    sshkit_key_free(ed);
}

static void test_every_openssh_cipher(void **state)
{
    (void)state;
    static const char *const ciphers[] = {
        "aes128-ctr", "aes192-ctr", "aes256-ctr", "aes128-cbc", "aes192-cbc", "aes256-cbc",
        "aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com",
    };
    sshkit_key *key = generate(SSHKIT_KEY_ECDSA_P384), *back;
    for (size_t i = 0; i < sizeof ciphers / sizeof ciphers[0]; i++) {
        char *text;
        size_t len;
        assert_int_equal(sk_keyfile_openssh_encode(key, ciphers[i], pass, 1, &text, &len), 0);
        assert_int_equal(sshkit_key_parse_private(text, len, pass, &back), 0);
        assert_true(sshkit_key_equal(key, back));
        sshkit_key_free(back);
        expect_parse_error(text, len, "not it", SSHKIT_E_WRONG_PASSPHRASE);
        sshkit_free(text, len);
    }
    sshkit_key_free(key);
}

static void decode_body(const char *text, uint8_t **bin, size_t *len)
{
    const char *body = strchr(text, '\n') + 1;
    const char *end = strstr(body, "-----END");
    assert_int_equal(sk_base64_decode(body, (size_t)(end - body), bin, len), 0);
}

/* The length of the last string in an unencrypted OpenSSH key binary. */
static size_t section_length(const uint8_t *bin, size_t len)
{
    sk_reader r;
    sk_bytes skip;
    sk_reader_init(&r, bin, len);
    sk_read_raw(&r, 15, &skip);
    for (int i = 0; i < 3; i++)
        sk_read_string(&r, &skip);
    sk_read_raw(&r, 4, &skip);
    sk_read_string(&r, &skip);
    assert_int_equal(sk_read_string(&r, &skip), 0);
    assert_int_equal(sk_reader_finish(&r), 0);
    return skip.len;
}

/* ssh-keygen's layout byte for byte, apart from the random checkints: the
 * section is the last string of an unencrypted file; its first 8 bytes
 * are the checkints. */
static void test_vector_and_layout(void **state)
{
    (void)state;
    sshkit_key *key;
    uint8_t *blob, *want, *a, *b;
    size_t blob_len, want_len, a_len, b_len;
    char *text;
    size_t len;
    assert_int_equal(sshkit_key_parse_private(vector_key, strlen(vector_key), NULL, &key), 0);
    assert_int_equal(sshkit_key_get_type(key), SSHKIT_KEY_ED25519);
    assert_string_equal(sshkit_key_comment(key), "sshkit test vector");
    assert_int_equal(sshkit_key_public_blob(key, &blob, &blob_len), 0);
    assert_int_equal(sk_base64_decode(vector_pub_b64, strlen(vector_pub_b64), &want, &want_len), 0);
    assert_int_equal(blob_len, want_len);
    assert_memory_equal(blob, want, want_len);

    assert_int_equal(sshkit_key_format_private(key, SSHKIT_KEY_FORMAT_OPENSSH, NULL, 0, &text,
                                               &len), 0);
    assert_int_equal(len, strlen(vector_key));
    decode_body(vector_key, &a, &a_len);
    decode_body(text, &b, &b_len);
    assert_int_equal(a_len, b_len);
    size_t sec_len = section_length(a, a_len);
    memset(a + a_len - sec_len, 0, 8);
    memset(b + b_len - sec_len, 0, 8);
    assert_memory_equal(a, b, a_len);
    free(a);
    free(b);
    free(want);
    sshkit_free(blob, blob_len);
    sshkit_free(text, len);
    sshkit_key_free(key);
}

static void test_every_truncation(void **state)
{
    (void)state;
    size_t len = strlen(vector_key);
    for (size_t cut = 0; cut < len - 1; cut++) {
        sshkit_key *key = (sshkit_key *)&key;
        assert_true(sshkit_key_parse_private(vector_key, cut, NULL, &key) < 0);
        assert_null(key);
    }
    /* Cut inside the binary, re-armored: always an error, never a crash. */
    uint8_t *bin;
    size_t bin_len;
    decode_body(vector_key, &bin, &bin_len);
    for (size_t cut = 0; cut < bin_len; cut++) {
        sshkit_key *key = (sshkit_key *)&key;
        assert_true(sk_keyfile_openssh_decode(bin, cut, NULL, &key) < 0);
        assert_null(key);
    }
    free(bin);
}

/* Knobs for building a hand-made unencrypted OpenSSH key file. */
struct knobs {
    const char *cipher, *kdf;
    uint32_t nkeys;
    const sshkit_key *pub;      /* the public key to write, or NULL for the key's */
    const char *pub_type;       /* a type name to write as the blob instead */
    const char *priv_type;      /* a type name to write in the section instead */
    bool bad_checkint, bad_padding, extra_block;
    uint32_t rounds;
};

static void write_section(sk_buf *b, const sshkit_key *key, const struct knobs *k)
{
    sk_write_u32(b, 0x01020304);
    sk_write_u32(b, k->bad_checkint ? 0x01020305 : 0x01020304);
    if (k->priv_type) {
        sk_write_cstring(b, k->priv_type);
        sk_write_string(b, "junk", 4);
    } else {
        assert_int_equal(sk_key_write_private(b, key), 0);
    }
    sk_write_cstring(b, "comment");
    for (uint8_t i = 1; b->len % 8; i++)
        sk_write_u8(b, k->bad_padding && i == 2 ? 7 : i);
    if (k->extra_block)
        for (uint8_t i = 1; i <= 8; i++)
            sk_write_u8(b, i);
}

static char *build(const sshkit_key *key, const struct knobs *k, size_t *len)
{
    sk_buf b, sec;
    sk_buf_init_secret(&b);
    sk_buf_init_secret(&sec);
    sk_write_raw(&b, "openssh-key-v1", 15);
    sk_write_cstring(&b, k->cipher ? k->cipher : "none");
    sk_write_cstring(&b, k->kdf ? k->kdf : "none");
    size_t opts = sk_write_string_begin(&b);
    if (k->rounds) {
        sk_write_string(&b, "0123456789abcdef", 16);
        sk_write_u32(&b, k->rounds);
    }
    sk_write_string_end(&b, opts);
    sk_write_u32(&b, k->nkeys ? k->nkeys : 1);
    size_t pub = sk_write_string_begin(&b);
    if (k->pub_type) {
        sk_write_cstring(&b, k->pub_type);
        sk_write_string(&b, "junk", 4);
    } else {
        sk_key_write_public(&b, k->pub ? k->pub : key);
    }
    sk_write_string_end(&b, pub);
    write_section(&sec, key, k);
    sk_write_string(&b, sec.data, sec.len);
    assert_int_equal(sk_buf_error(&b), 0);
    char *text;
    assert_int_equal(sk_keyfile_openssh_armor(b.data, b.len, &text, len), 0);
    sk_buf_free(&b);
    sk_buf_free(&sec);
    return text;
}

static void expect_built(const sshkit_key *key, const struct knobs *k, const char *p, int rc)
{
    size_t len;
    char *text = build(key, k, &len);
    expect_parse_error(text, len, p, rc);
    sshkit_free(text, len);
}

static void test_hostile_openssh(void **state)
{
    (void)state;
    sshkit_key *key = generate(SSHKIT_KEY_ED25519), *other = generate(SSHKIT_KEY_ED25519);
    size_t len;
    char *text = build(key, &(struct knobs){ 0 }, &len);
    sshkit_key *ok;
    assert_int_equal(sshkit_key_parse_private(text, len, NULL, &ok), 0);   /* the control */
    assert_string_equal(sshkit_key_comment(ok), "comment");
    sshkit_key_free(ok);

    text[60] = '*';
    expect_parse_error(text, len, NULL, SSHKIT_E_BASE64);
    sshkit_free(text, len);

    expect_built(key, &(struct knobs){ .cipher = "rot13-cbc", .kdf = "bcrypt", .rounds = 16 },
                 pass, SSHKIT_E_UNKNOWN_CIPHER);
    expect_built(key, &(struct knobs){ .cipher = "aes256-ctr", .kdf = "scrypt", .rounds = 16 },
                 pass, SSHKIT_E_UNKNOWN_CIPHER);
    expect_built(key, &(struct knobs){ .cipher = "aes256-ctr", .kdf = "bcrypt",
                                       .rounds = SK_OPENSSH_MAX_ROUNDS + 1 },
                 pass, SSHKIT_E_TOO_LARGE);
    expect_built(key, &(struct knobs){ .cipher = "aes256-ctr", .kdf = "none" }, pass,
                 SSHKIT_E_FORMAT);
    expect_built(key, &(struct knobs){ .nkeys = 2 }, NULL, SSHKIT_E_FORMAT);
    expect_built(key, &(struct knobs){ .bad_padding = true }, NULL, SSHKIT_E_FORMAT);
    expect_built(key, &(struct knobs){ .extra_block = true }, NULL, SSHKIT_E_FORMAT);
    expect_built(key, &(struct knobs){ .bad_checkint = true }, NULL, SSHKIT_E_FORMAT);
    expect_built(key, &(struct knobs){ .pub = other }, NULL, SSHKIT_E_KEY_MISMATCH);
    expect_built(key, &(struct knobs){ .pub_type = "ssh-dss" }, NULL, SSHKIT_E_UNKNOWN_KEY_TYPE);
    expect_built(key, &(struct knobs){ .priv_type = "ssh-foo" }, NULL, SSHKIT_E_UNKNOWN_KEY_TYPE);
    sshkit_key_free(key);
    sshkit_key_free(other);
}

static void test_hostile_misc(void **state)
{
    (void)state;
    static const char not_key[] = "hello, world\n";
    expect_parse_error(not_key, strlen(not_key), NULL, SSHKIT_E_FORMAT);
    expect_parse_error("", 0, NULL, SSHKIT_E_FORMAT);

    sshkit_key *key = generate(SSHKIT_KEY_ECDSA_P256);
    char *text;
    size_t len;
    assert_int_equal(sshkit_key_format_private(key, SSHKIT_KEY_FORMAT_PEM, NULL, 0, &text, &len), 0);
    for (size_t cut = 0; cut < len - 1; cut++)
        expect_parse_error(text, cut, NULL,
                           cut < strlen("-----BEGIN ") ? SSHKIT_E_FORMAT : SSHKIT_E_TRUNCATED);
    text[40] = '*';
    expect_parse_error(text, len, NULL, SSHKIT_E_BASE64);
    text[40] = 'A';
    size_t at = 32;       /* "MHcC...": the outer SEQUENCE's length */
    while (!((text[at] >= 'a' && text[at] <= 'z') || (text[at] >= 'A' && text[at] <= 'Z')))
        at++;
    text[at] ^= 0x20;     /* a letter's case: valid base64, broken DER */
    expect_parse_error(text, len, NULL, SSHKIT_E_FORMAT);
    sshkit_free(text, len);

    sshkit_key *pub;
    assert_int_equal(sshkit_key_public_copy(key, &pub), 0);
    assert_int_equal(sshkit_key_format_private(pub, SSHKIT_KEY_FORMAT_OPENSSH, NULL, 0, &text,
                                               &len), SSHKIT_E_STATE);
    assert_int_equal(sshkit_key_format_private(pub, SSHKIT_KEY_FORMAT_PEM, NULL, 0, &text,
                                               &len), SSHKIT_E_STATE);
    sshkit_key_free(pub);
    sshkit_key_free(key);
}

/* Keys libcrypto reads but sshkit does not use: Ed448, EC on secp256k1. */
static void expect_foreign(EVP_PKEY *pkey)
{
    assert_non_null(pkey);
    OSSL_ENCODER_CTX *ctx = OSSL_ENCODER_CTX_new_for_pkey(pkey, EVP_PKEY_KEYPAIR, "PEM",
                                                          "PrivateKeyInfo", NULL);
    unsigned char *data = NULL;
    size_t len = 0;
    assert_int_equal(OSSL_ENCODER_to_data(ctx, &data, &len), 1);
    expect_parse_error((const char *)data, len, NULL, SSHKIT_E_UNKNOWN_KEY_TYPE);
    OPENSSL_free(data);
    OSSL_ENCODER_CTX_free(ctx);
    EVP_PKEY_free(pkey);
}

static void test_pem_unknown_types(void **state)
{
    (void)state;
    expect_foreign(EVP_PKEY_Q_keygen(NULL, NULL, "ED448"));
    expect_foreign(EVP_PKEY_Q_keygen(NULL, NULL, "EC", "secp256k1"));
}

static void test_save_and_load(void **state)
{
    (void)state;
    char dir[] = "/tmp/sshkit-keyfile-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/id", dir);
    FILE *f = fopen(path, "w");    /* an existing, world-readable file */
    assert_non_null(f);
    fclose(f);
    assert_int_equal(chmod(path, 0644), 0);

    sshkit_key *key = generate(SSHKIT_KEY_ED25519), *back;
    assert_int_equal(sshkit_key_save_private(key, path, SSHKIT_KEY_FORMAT_OPENSSH, pass, 2), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(sshkit_key_load_private(path, pass, &back), 0);
    assert_true(sshkit_key_equal(key, back));
    assert_string_equal(sshkit_key_comment(back), "user@host");
    sshkit_key_free(back);
    assert_int_equal(sshkit_key_load_private(path, NULL, &back), SSHKIT_E_PASSPHRASE_REQUIRED);

    assert_int_equal(unlink(path), 0);
    assert_int_equal(sshkit_key_load_private(path, NULL, &back), SSHKIT_E_IO);
    assert_null(back);
    assert_int_equal(sshkit_key_load_private(dir, NULL, &back), SSHKIT_E_FORMAT);
    snprintf(path, sizeof path, "%s/missing/id", dir);
    assert_int_equal(sshkit_key_save_private(key, path, SSHKIT_KEY_FORMAT_PEM, NULL, 0),
                     SSHKIT_E_IO);
    assert_int_equal(rmdir(dir), 0);   /* no temporary file left behind */
    sshkit_key_free(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trips),
        cmocka_unit_test(test_armor_per_format),
        cmocka_unit_test(test_every_openssh_cipher),
        cmocka_unit_test(test_vector_and_layout),
        cmocka_unit_test(test_every_truncation),
        cmocka_unit_test(test_hostile_openssh),
        cmocka_unit_test(test_hostile_misc),
        cmocka_unit_test(test_pem_unknown_types),
        cmocka_unit_test(test_save_and_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
