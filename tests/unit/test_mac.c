/* Unit tests for the packet MACs: RFC 4231 (HMAC-SHA-256/512) and RFC 2202
 * (HMAC-SHA-1) vectors through sk_hmac, and the SSH packet MAC construction
 * HMAC(key, uint32 seqnr || packet) against libcrypto's one-shot HMAC. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sshkit/error.h>
#include "crypto/hmac.h"
#include "crypto/packet_cipher.h"

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = strlen(s) / 2;
    assert_true(n <= cap);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    return n;
}

struct hmac_vector {
    const char *digest;
    uint8_t key_byte;      /* key is key_len copies of it, unless key_text */
    size_t key_len;
    const char *key_text;
    uint8_t data_byte;     /* data is data_len copies of it, unless data_text */
    size_t data_len;
    const char *data_text;
    const char *mac_hex;
};

static const struct hmac_vector vectors[] = {
    /* RFC 4231 test case 1 */
    { "SHA256", 0x0b, 20, NULL, 0, 0, "Hi There",
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
    { "SHA512", 0x0b, 20, NULL, 0, 0, "Hi There",
      "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
      "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" },
    /* RFC 4231 test case 2 */
    { "SHA256", 0, 0, "Jefe", 0, 0, "what do ya want for nothing?",
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
    { "SHA512", 0, 0, "Jefe", 0, 0, "what do ya want for nothing?",
      "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
      "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
    /* RFC 4231 test case 3 */
    { "SHA256", 0xaa, 20, NULL, 0xdd, 50, NULL,
      "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
    { "SHA512", 0xaa, 20, NULL, 0xdd, 50, NULL,
      "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
      "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb" },
    /* RFC 4231 test case 6 (key longer than the block) */
    { "SHA256", 0xaa, 131, NULL, 0, 0, "Test Using Larger Than Block-Size Key - Hash Key First",
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
    { "SHA512", 0xaa, 131, NULL, 0, 0, "Test Using Larger Than Block-Size Key - Hash Key First",
      "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
      "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598" },
    /* RFC 2202 test cases 1-3 */
    { "SHA1", 0x0b, 20, NULL, 0, 0, "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00" },
    { "SHA1", 0, 0, "Jefe", 0, 0, "what do ya want for nothing?",
      "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
    { "SHA1", 0xaa, 20, NULL, 0xdd, 50, NULL, "125d7342b9ac11cd91a39af48aa17b4f63f175d3" },
};

static void run_vector(const struct hmac_vector *v)
{
    uint8_t key[200], data[200], want[64], got[64];
    size_t key_len = v->key_len, data_len = v->data_len;
    memset(key, v->key_byte, sizeof key);
    memset(data, v->data_byte, sizeof data);
    if (v->key_text) {
        key_len = strlen(v->key_text);
        memcpy(key, v->key_text, key_len);
    }
    if (v->data_text) {
        data_len = strlen(v->data_text);
        memcpy(data, v->data_text, data_len);
    }
    size_t want_len = unhex(v->mac_hex, want, sizeof want);

    sk_hmac h;
    assert_int_equal(sk_hmac_init(&h, v->digest, key, key_len), 0);
    assert_int_equal(h.mac_len, want_len);
    /* Twice through one context: the restart must keep the key. */
    for (int round = 0; round < 2; round++) {
        memset(got, 0, sizeof got);
        assert_int_equal(sk_hmac_start(&h), 0);
        /* in two pieces, to exercise update */
        assert_int_equal(sk_hmac_update(&h, data, data_len / 2), 0);
        assert_int_equal(sk_hmac_update(&h, data + data_len / 2, data_len - data_len / 2), 0);
        assert_int_equal(sk_hmac_finish(&h, got), 0);
        assert_memory_equal(got, want, want_len);
    }
    sk_hmac_clear(&h);
}

static void test_hmac_rfc_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++)
        run_vector(&vectors[i]);
}

/* HMAC(key, seqnr || packet), checked against a one-shot HMAC of the
 * concatenation, for each MAC algorithm sshkit offers. */
static void test_packet_mac_construction(void **state)
{
    (void)state;
    static const char *const names[] = {
        "hmac-sha2-256", "hmac-sha2-512", "hmac-sha1",
        "hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com",
        "hmac-sha1-etm@openssh.com",
    };
    uint8_t key[64], msg[4 + 100], got[64], want[64];
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (uint8_t)(0x40 + i);
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)(i * 7);
    const uint32_t seqnrs[] = { 0, 1, 0x01020304, 0xffffffff };

    for (size_t n = 0; n < sizeof names / sizeof names[0]; n++) {
        const sk_mac_alg *alg = sk_mac_find(names[n]);
        assert_non_null(alg);
        sk_hmac h;
        assert_int_equal(sk_hmac_init(&h, alg->digest, key, alg->key_len), 0);
        assert_int_equal(h.mac_len, alg->mac_len);
        for (size_t s = 0; s < sizeof seqnrs / sizeof seqnrs[0]; s++) {
            msg[0] = (uint8_t)(seqnrs[s] >> 24);
            msg[1] = (uint8_t)(seqnrs[s] >> 16);
            msg[2] = (uint8_t)(seqnrs[s] >> 8);
            msg[3] = (uint8_t)seqnrs[s];
            unsigned want_len = 0;
            assert_non_null(HMAC(EVP_get_digestbyname(alg->digest), key, (int)alg->key_len,
                                 msg, sizeof msg, want, &want_len));
            assert_int_equal(want_len, alg->mac_len);
            assert_int_equal(sk_hmac_packet(&h, seqnrs[s], msg + 4, sizeof msg - 4, got), 0);
            assert_memory_equal(got, want, want_len);
            assert_int_equal(sk_hmac_packet_verify(&h, seqnrs[s], msg + 4, sizeof msg - 4, want), 0);
            /* a wrong seqnr, a changed byte, a changed MAC */
            assert_int_equal(sk_hmac_packet_verify(&h, seqnrs[s] + 1, msg + 4, sizeof msg - 4, want),
                             SSHKIT_E_MAC);
            msg[50] ^= 0x01;
            assert_int_equal(sk_hmac_packet_verify(&h, seqnrs[s], msg + 4, sizeof msg - 4, want),
                             SSHKIT_E_MAC);
            msg[50] ^= 0x01;
            want[want_len - 1] ^= 0x80;
            assert_int_equal(sk_hmac_packet_verify(&h, seqnrs[s], msg + 4, sizeof msg - 4, want),
                             SSHKIT_E_MAC);
        }
        sk_hmac_clear(&h);
    }
}

static void test_mac_table(void **state)
{
    (void)state;
    const sk_mac_alg *m = sk_mac_find("hmac-sha2-512-etm@openssh.com");
    assert_non_null(m);
    assert_true(m->etm);
    assert_int_equal(m->key_len, 64);
    assert_int_equal(m->mac_len, 64);
    m = sk_mac_find("hmac-sha2-256");
    assert_non_null(m);
    assert_false(m->etm);
    assert_int_equal(m->key_len, 32);
    m = sk_mac_find("hmac-sha1");
    assert_non_null(m);
    assert_int_equal(m->mac_len, 20);
    assert_null(sk_mac_find("none"));
    assert_null(sk_mac_find("hmac-md5"));
    assert_null(sk_mac_find(NULL));
    /* SHA-1 is available but never in a default list. */
    assert_null(strstr(SK_MACS_DEFAULT, "sha1"));
    assert_null(strstr(SK_MACS_DEFAULT_SERVER, "sha1"));
    /* The server's default has only etm MACs. */
    assert_null(strstr(SK_MACS_DEFAULT_SERVER, "hmac-sha2-256,"));
    char list[] = SK_MACS_DEFAULT "," SK_MACS_DEFAULT_SERVER;
    for (char *save = NULL, *name = strtok_r(list, ",", &save); name;
         name = strtok_r(NULL, ",", &save))
        assert_non_null(sk_mac_find(name));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hmac_rfc_vectors),
        cmocka_unit_test(test_packet_mac_construction),
        cmocka_unit_test(test_mac_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
