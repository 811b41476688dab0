/* Unit tests for the key core: generation, public blobs, private fields, base64. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sshkit/error.h>
#include <sshkit/key.h>
#include "common/base64.h"
#include "keys/key_internal.h"

static const sshkit_key_type all_types[] = {
    SSHKIT_KEY_ED25519, SSHKIT_KEY_ECDSA_P256, SSHKIT_KEY_ECDSA_P384,
    SSHKIT_KEY_ECDSA_P521, SSHKIT_KEY_RSA,
};
static const unsigned expected_bits[] = { 256, 256, 384, 521, 2048 };

static void test_generate_and_blob_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof all_types / sizeof all_types[0]; i++) {
        sshkit_key *key, *pub;
        uint8_t *blob;
        size_t len;
        unsigned bits = all_types[i] == SSHKIT_KEY_RSA ? 2048 : 0;
        assert_int_equal(sshkit_key_generate(all_types[i], bits, &key), 0);
        assert_true(sshkit_key_is_private(key));
        assert_int_equal(sshkit_key_bits(key), expected_bits[i]);
        assert_int_equal(sshkit_key_public_blob(key, &blob, &len), 0);
        assert_int_equal(sshkit_key_from_public_blob(blob, len, &pub), 0);
        assert_false(sshkit_key_is_private(pub));
        assert_true(sshkit_key_equal(key, pub));
        assert_string_equal(sshkit_key_type_name(pub), sshkit_key_type_name(key));
        sshkit_free(blob, len);
        sshkit_key_free(pub);
        sshkit_key_free(key);
    }
}

static void test_generate_rejects_bad_sizes(void **state)
{
    (void)state;
    sshkit_key *key;
    assert_int_equal(sshkit_key_generate(SSHKIT_KEY_RSA, 1024, &key), SSHKIT_E_INVALID_ARGUMENT);
    assert_null(key);
    assert_int_equal(sshkit_key_generate(SSHKIT_KEY_RSA, 32768, &key), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_key_generate((sshkit_key_type)99, 0, &key), SSHKIT_E_INVALID_ARGUMENT);
}

static void test_private_fields_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof all_types / sizeof all_types[0]; i++) {
        sshkit_key *key, *back;
        unsigned bits = all_types[i] == SSHKIT_KEY_RSA ? 2048 : 0;
        assert_int_equal(sshkit_key_generate(all_types[i], bits, &key), 0);
        sk_buf b;
        sk_buf_init_secret(&b);
        assert_int_equal(sk_key_write_private(&b, key), 0);
        sk_reader r;
        sk_reader_init(&r, b.data, b.len);
        assert_int_equal(sk_key_read_private(&r, &back), 0);
        assert_int_equal(sk_reader_finish(&r), 0);
        assert_true(sshkit_key_is_private(back));
        assert_true(sshkit_key_equal(key, back));
        sk_buf_free(&b);
        sshkit_key_free(back);
        sshkit_key_free(key);
    }
}

static void test_public_copy_and_comment(void **state)
{
    (void)state;
    sshkit_key *key, *pub;
    assert_int_equal(sshkit_key_generate(SSHKIT_KEY_ED25519, 0, &key), 0);
    assert_string_equal(sshkit_key_comment(key), "");
    assert_int_equal(sshkit_key_set_comment(key, "user@host"), 0);
    assert_int_equal(sshkit_key_public_copy(key, &pub), 0);
    assert_false(sshkit_key_is_private(pub));
    assert_string_equal(sshkit_key_comment(pub), "user@host");
    assert_true(sshkit_key_equal(key, pub));
    sshkit_key_free(pub);
    sshkit_key_free(key);
}

static void test_keys_of_different_types_differ(void **state)
{
    (void)state;
    sshkit_key *a, *b;
    assert_int_equal(sshkit_key_generate(SSHKIT_KEY_ED25519, 0, &a), 0);
    assert_int_equal(sshkit_key_generate(SSHKIT_KEY_ED25519, 0, &b), 0);
    assert_false(sshkit_key_equal(a, b));
    assert_false(sshkit_key_equal(a, NULL));
    sshkit_key_free(a);
    sshkit_key_free(b);
}

/* Builds a blob from a type name and then raw fields. */
static void blob_with(sk_buf *b, const char *type)
{
    sk_buf_init(b);
    sk_write_cstring(b, type);
}

static void test_hostile_blobs(void **state)
{
    (void)state;
    sshkit_key *key, *pub = NULL;
    sk_buf b;

    blob_with(&b, "ssh-dss");
    sk_write_string(&b, "x", 1);
    assert_int_equal(sshkit_key_from_public_blob(b.data, b.len, &pub), SSHKIT_E_UNKNOWN_KEY_TYPE);
    sk_buf_free(&b);

    blob_with(&b, "ssh-ed25519");
    sk_write_string(&b, "short", 5);
    assert_int_equal(sshkit_key_from_public_blob(b.data, b.len, &pub), SSHKIT_E_FORMAT);
    sk_buf_free(&b);

    /* A P-256 point with its last byte changed is not on the curve. */
    assert_int_equal(sshkit_key_generate(SSHKIT_KEY_ECDSA_P256, 0, &key), 0);
    uint8_t *blob;
    size_t len;
    assert_int_equal(sshkit_key_public_blob(key, &blob, &len), 0);
    blob[len - 1] ^= 1;
    assert_int_equal(sshkit_key_from_public_blob(blob, len, &pub), SSHKIT_E_FORMAT);
    /* Truncated by one byte, and with a byte too many. */
    blob[len - 1] ^= 1;
    assert_int_equal(sshkit_key_from_public_blob(blob, len - 1, &pub), SSHKIT_E_TRUNCATED);
    uint8_t *longer = malloc(len + 1);
    memcpy(longer, blob, len);
    longer[len] = 0;
    assert_int_equal(sshkit_key_from_public_blob(longer, len + 1, &pub), SSHKIT_E_FORMAT);
    free(longer);
    sshkit_free(blob, len);
    sshkit_key_free(key);

    /* The curve name must match the type. */
    blob_with(&b, "ecdsa-sha2-nistp256");
    sk_write_cstring(&b, "nistp384");
    sk_write_string(&b, "\x04", 1);
    assert_int_equal(sshkit_key_from_public_blob(b.data, b.len, &pub), SSHKIT_E_FORMAT);
    sk_buf_free(&b);

    /* A compressed point, and the point at infinity. */
    blob_with(&b, "ecdsa-sha2-nistp256");
    sk_write_cstring(&b, "nistp256");
    sk_write_string(&b, "\x00", 1);
    assert_int_equal(sshkit_key_from_public_blob(b.data, b.len, &pub), SSHKIT_E_FORMAT);
    sk_buf_free(&b);

    /* An RSA modulus of 512 bits is refused. */
    uint8_t n[64];
    memset(n, 0xc5, sizeof n);
    blob_with(&b, "ssh-rsa");
    sk_write_mpint(&b, (const uint8_t *)"\x01\x00\x01", 3);
    sk_write_mpint(&b, n, sizeof n);
    assert_int_equal(sshkit_key_from_public_blob(b.data, b.len, &pub), SSHKIT_E_FORMAT);
    sk_buf_free(&b);
    assert_null(pub);

    /* A 1024-bit modulus with e = 1, e = 2, or an even modulus. */
    uint8_t n1024[128];
    memset(n1024, 0xc5, sizeof n1024);
    const uint8_t *exponents[] = { (const uint8_t *)"\x01", (const uint8_t *)"\x02",
                                   (const uint8_t *)"\x03" };
    for (int i = 0; i < 3; i++) {
        n1024[127] = i == 2 ? 0xc4 : 0xc5;
        blob_with(&b, "ssh-rsa");
        sk_write_mpint(&b, exponents[i], 1);
        sk_write_mpint(&b, n1024, sizeof n1024);
        assert_int_equal(sshkit_key_from_public_blob(b.data, b.len, &pub), SSHKIT_E_FORMAT);
        sk_buf_free(&b);
    }
}

static void test_base64(void **state)
{
    (void)state;
    /* RFC 4648 section 10. */
    const char *plain[] = { "f", "fo", "foo", "foob", "fooba", "foobar" };
    const char *coded[] = { "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
    for (int i = 0; i < 6; i++) {
        char *e = sk_base64_encode((const uint8_t *)plain[i], strlen(plain[i]));
        assert_string_equal(e, coded[i]);
        free(e);
        uint8_t *d;
        size_t n;
        assert_int_equal(sk_base64_decode(coded[i], strlen(coded[i]), &d, &n), 0);
        assert_int_equal(n, strlen(plain[i]));
        assert_memory_equal(d, plain[i], n);
        free(d);
    }
    uint8_t *d;
    size_t n;
    /* Whitespace is skipped and padding is optional. */
    assert_int_equal(sk_base64_decode("Zm9v\nYg", 7, &d, &n), 0);
    assert_int_equal(n, 4);
    free(d);
    assert_int_equal(sk_base64_decode("Zm9v!Yg==", 9, &d, &n), SSHKIT_E_BASE64);
    assert_int_equal(sk_base64_decode("Zg==Zg==", 8, &d, &n), SSHKIT_E_BASE64);
    assert_int_equal(sk_base64_decode("Z", 1, &d, &n), SSHKIT_E_BASE64);
    assert_int_equal(sk_base64_decode("Zg===", 5, &d, &n), SSHKIT_E_BASE64);
    assert_int_equal(sk_base64_decode("", 0, &d, &n), SSHKIT_E_BASE64);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generate_and_blob_round_trip),
        cmocka_unit_test(test_generate_rejects_bad_sizes),
        cmocka_unit_test(test_private_fields_round_trip),
        cmocka_unit_test(test_public_copy_and_comment),
        cmocka_unit_test(test_keys_of_different_types_differ),
        cmocka_unit_test(test_hostile_blobs),
        cmocka_unit_test(test_base64),
    };
    return cmocka_run_group_tests_name("key_core", tests, NULL, NULL);
}
