/* Unit tests for the hash helper and the SSH key derivation (RFC 4253 7.2). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sshkit/error.h>
#include "crypto/hash.h"
#include "crypto/kdf.h"
#include "wire/reader.h"
#include "wire/writer.h"
#include "hexutil.h"

/* NIST CAVS 14.1 SSH KDF (SP 800-135) known answers, as carried in OpenSSL's
 * test/recipes/30-test_evp_data/evpkdf_ssh.txt. K is given in its mpint wire
 * form (length prefix included), as CAVS does; out[] is for letters A..F.
 * With SHA-1, letters C and D give 24 bytes: longer than one hash output. */
struct kdf_set {
    sk_hash_alg alg;
    const char *k_mpint;
    const char *h;
    const char *session_id;
    const char *out[6];
};

static const struct kdf_set kdf_sets[] = {
    { SK_HASH_SHA1,
      "0000008055bae931c07fd824bf10add1902b6fbc7c665347383498a686929ff5a25f8e40cb6645ea814fb1a5"
      "e0a11f852f86255641e5ed986e83a78bc8269480eac0b0dfd770cab92e7a28dd87ff452466d6ae867cead63b"
      "366b1c286e6c4811a9f14c27aea14c5171d49b78c06e3735d36e6a3be321dd5fc82308f34ee1cb17fba94a59",
      "a4ebd45934f56792b5112dcd75a1075fdc889245",
      "a4ebd45934f56792b5112dcd75a1075fdc889245",
      { "e2f627c0b43f1ac1", "58471445f342b181",
        "1ca9d310f86d51f6cb8e7007cb2b220d55c5281ce680b533",
        "2c60df8603d34cc1dbb03c11f725a44b44008851c73d6844",
        "472eb8a26166ae6aa8e06868e45c3b26e6eeed06",
        "e3e2fdb9d7bc21165a3dbe47e1eceb7764390bab" } },
    /* K with a 0x00 pad byte: the mpint encoding matters. */
    { SK_HASH_SHA1,
      "0000008100ec6f2c5f0517fd92f730567bd783138302917c277552b1b3fdf2b67d6edb6fa81bd17f7ebbe339"
      "b54b171341e6522b91611f8274cc88652a458f8041261040818a268497e949e12f57271318b2b3194c29760c"
      "bb767c0fc8833b272994e18682da807e6c9f235d88ef89c203c6f756d25cc2bea199b02c955b8b40cbc04f9208",
      "ee40eef61bea3da8c2b1cec40fc4cdac892a2626",
      "ca9aad244e24797fd348d1250387c8aa45a0110a",
      { "55a1015757de84cb", "7e57f61d5735f4fb",
        "dd1c24bde1af845e82207541e3e173aec822fb904a94ae3c",
        "cbbfdc9442af6db7f8c4dcaa4b0b5d0163e0e204476aa2a0",
        "e153e04886c0dc446dde9a9b3b13efb77151764d",
        "c8e4f61bd6b5abb2c6e06eca7b302349435e4842" } },
    { SK_HASH_SHA256,
      "0000008100831889c603d4dc01d0d9f19f07ccadb6a9fa7662305277d59efbc872f38325de2ec2151f58649f"
      "5fd15ff3a099f0191dca69be0b9c88ef729fe74af849cc8e7479f8a5406842af88e12167607103cda449a139"
      "4c86b2c21d4083cdee216f74078d4e878b352df901727870815528ae99f74f25c21a8a39772940d871badb39a6",
      "f77992d066bc305419a6c1b0879008856287b95ec20c2b1be5a5c8189cadbbb1",
      "15bd2e8c86d23eace4a581377ef8a3f5266dbd081cfcd01ab2b68506438228a2",
      { "3aa08d67c81310b7", "cf46596878a17a87",
        "871db438b8b33c2102ddab0c1f7be51ee4c2cbdf52a01a58",
        "04ac13599b84c22be0f1e5f7b96def31598e6ad36be412e8",
        "f00c83a8afb5d1793749d4aae825b80e67ccd7f67e08f572222ccf42126ea2f0",
        "df0570749d67136095b0dda6d461676b7eeb9a386f126306d436cab16dfd1b3c" } },
    { SK_HASH_SHA256,
      "000001006ac382eaaca093e125e25c24bebc84640c11987507344b5c739ceb84a9e0b222b9a8b51c839e5ebe"
      "49cfadbfb39599764ed522099dc912751950dc7dc97fbdc06328b68f22781fd315af568009a5509e5b87a11b"
      "f527c056daffd82ab6cbc25cca37143459e7bc63bcde52757adeb7df01cf12173f1fef8102ec5ab142c213dd"
      "9d30696278a8d8bc32dde9592d28c078c6d92b947d825acaab6494846a49de24b9623f4889e8adc38e8c669e"
      "ffef176040ad945e90a7d3eec15efeee78ae71043c96511103a16ba7caf0acd0642efdbe809934faa1a5f1bd"
      "11043649b25ccd1fee2e38815d4d5f5fc6b4102969f21c22ae1b0e7d3603a556a13262ff628de222",
      "7b7001185e256d4493445f39a55fb905e6321f4b5dd8bbf3100d51ba0bda3d2d",
      "7b7001185e256d4493445f39a55fb905e6321f4b5dd8bbf3100d51ba0bda3d2d",
      { "81f0330ef6f05361b3823bfded6e1de9", "3f6fd2065eeb2b0b1d93195a1fed48a5",
        "c35471034e6fd6547613178e23435f21", "7e9d79032090d99f98b015634dd9f462",
        "24ee559ad7ce712b685d0b2271e443c17ab1d1dceb5a360569d25d5dc243002f",
        "c3419c2b966235869d714ba5ac48ddb7d9e35c8c19aac73422337a373453607e" } },
    { SK_HASH_SHA512,
      "00000100192471d29d9fbc8b61570e4efa053a5f17b2efc0aa5415b3309f7dc3971c64d9f1093f6114941d49"
      "12f7bfb771db41d1f166d4bdaec8dde214aeb058e2227277393e3c0b12adc1b6a445870bc26e753e05e27b90"
      "b97d781e3e8493eb5e717c243213de4dcdd5a11d467b8d26759118692b10357c28b0efb0228cbe257b9ee0cb"
      "77bb7bc8b072edf418768c977e485635b4ab61078587128e9a8b3c6deca2a4e64cf9fd6eca880aebd1043dea"
      "f94447ea50b0c11b574259cdcafd208d9657c7177cf394de26dd8364b615786198c38e63c568e22b5263be41"
      "d6dd8843ad5254f61cf01b7162948652568c2b42833a95619fa5072adb0bfbf38e3eace7e1596066",
      "a0a53cb8bcc48ffe44fd9e50e0f7532d3e326f93d7ecb10135d4385dab550cd7be03a7374dfc2a92794be13e"
      "40c794811a9916c3d1c4e7ea31ed5269537c1c22",
      "9bcf3f3397ff464126cb2a99c04908721871354b842ffd3d873d49407db0382f98cc54d66665d950ec8277c3"
      "74f19e9f0dd2e727f8759017c49b5b80baa87c63",
      { "f68353f802d39a43c728641e44087cc5", "23c2377f826f77519871941b62cb9fdd",
        "c92b86a099e2605037d531746a6af7cb", "1517de253a5b9f7d9c4c3f234b27392e",
        "be48a82cd246cf4d6ddb397a39f1ed62d98b5265e75190624a523033796d05046d63e0810b4b7a6efe9b834c"
        "b043871203638557063968910ad1cfa0abe62bb1",
        "0c9af3775d5dc49a1b9b85fa18420ce1ca10d5159f83f9e078c217289688639dbce5f85665f866d8f93b2c68"
        "23bc7b2655830d8bb51fba945ce6eac2b0e6ce8a" } },
};

/* Decoded inputs of one set; K as the magnitude the kex code hands over. */
struct kdf_input {
    uint8_t *k_wire, *h, *sid;
    size_t k_wire_len, h_len, sid_len;
    sk_bytes k;
};

static void input_load(struct kdf_input *in, const struct kdf_set *set)
{
    in->k_wire = hex_decode(set->k_mpint, &in->k_wire_len);
    in->h = hex_decode(set->h, &in->h_len);
    in->sid = hex_decode(set->session_id, &in->sid_len);
    sk_reader r;
    sk_reader_init(&r, in->k_wire, in->k_wire_len);
    assert_int_equal(sk_read_mpint_unsigned(&r, &in->k), 0);
    assert_int_equal(sk_reader_finish(&r), 0);
}

static void input_free(struct kdf_input *in)
{
    free(in->k_wire);
    free(in->h);
    free(in->sid);
}

static void test_kdf_cavs_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof kdf_sets / sizeof kdf_sets[0]; i++) {
        struct kdf_input in;
        input_load(&in, &kdf_sets[i]);
        for (int letter = 0; letter < 6; letter++) {
            size_t want_len;
            uint8_t *want = hex_decode(kdf_sets[i].out[letter], &want_len);
            uint8_t got[64];
            assert_int_equal(sk_kdf_derive(kdf_sets[i].alg, in.k.ptr, in.k.len, in.h, in.h_len,
                                           in.sid, in.sid_len, (char)('A' + letter),
                                           got, want_len), 0);
            assert_memory_equal(got, want, want_len);
            free(want);
        }
        input_free(&in);
    }
}

/* RFC 4253 7.2 spelled out with the hash helper, to check SSHKDF (and the
 * helper) on outputs several hash blocks long. */
static void kdf_by_hand(sk_hash_alg alg, sk_bytes k, const uint8_t *h, size_t h_len,
                        const uint8_t *sid, size_t sid_len, char letter,
                        uint8_t *out, size_t out_len)
{
    size_t done = 0, size = sk_hash_size(alg);
    uint8_t *acc = malloc(out_len + size);
    assert_non_null(acc);
    while (done < out_len) {
        sk_hash hs;
        assert_int_equal(sk_hash_init(&hs, alg), 0);
        sk_hash_mpint(&hs, k.ptr, k.len);
        sk_hash_update(&hs, h, h_len);
        if (done == 0) {
            sk_hash_u8(&hs, (uint8_t)letter);
            sk_hash_update(&hs, sid, sid_len);
        } else {
            sk_hash_update(&hs, acc, done);
        }
        assert_int_equal(sk_hash_final(&hs, acc + done, size), (int)size);
        sk_hash_free(&hs);
        done += size;
    }
    memcpy(out, acc, out_len);
    free(acc);
}

static void test_kdf_long_output_matches_rfc_construction(void **state)
{
    (void)state;
    const size_t lens[] = { 1, 20, 21, 32, 64, 100, 200 };
    for (size_t i = 0; i < sizeof kdf_sets / sizeof kdf_sets[0]; i++) {
        struct kdf_input in;
        input_load(&in, &kdf_sets[i]);
        for (size_t j = 0; j < sizeof lens / sizeof lens[0]; j++) {
            uint8_t got[200], want[200];
            assert_int_equal(sk_kdf_derive(kdf_sets[i].alg, in.k.ptr, in.k.len, in.h, in.h_len,
                                           in.sid, in.sid_len, 'C', got, lens[j]), 0);
            kdf_by_hand(kdf_sets[i].alg, in.k, in.h, in.h_len, in.sid, in.sid_len, 'C',
                        want, lens[j]);
            assert_memory_equal(got, want, lens[j]);
        }
        input_free(&in);
    }
}

static void test_kdf_bad_arguments(void **state)
{
    (void)state;
    const uint8_t k[] = { 1, 2, 3 }, h[20] = { 0 };
    uint8_t out[16];
    assert_int_equal(sk_kdf_derive(SK_HASH_SHA1, k, 3, h, 20, h, 20, 'G', out, 16),
                     SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sk_kdf_derive(SK_HASH_SHA1, k, 3, h, 20, h, 20, '@', out, 16),
                     SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sk_kdf_derive(SK_HASH_SHA1, k, 0, h, 20, h, 20, 'A', out, 16),
                     SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sk_kdf_derive(SK_HASH_SHA1, k, 3, h, 0, h, 20, 'A', out, 16),
                     SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sk_kdf_derive(SK_HASH_SHA1, k, 3, h, 20, h, 0, 'A', out, 16),
                     SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sk_kdf_derive(SK_HASH_SHA1, k, 3, h, 20, h, 20, 'A', out, 0),
                     SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sk_kdf_derive((sk_hash_alg)99, k, 3, h, 20, h, 20, 'A', out, 16),
                     SSHKIT_E_INVALID_ARGUMENT);
}

/* FIPS 180 "abc" examples. */
static void test_hash_abc(void **state)
{
    (void)state;
    const struct { sk_hash_alg alg; const char *digest; } kat[] = {
        { SK_HASH_SHA1, "a9993e364706816aba3e25717850c26c9cd0d89d" },
        { SK_HASH_SHA256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
        { SK_HASH_SHA384, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
                          "8086072ba1e7cc2358baeca134c825a7" },
        { SK_HASH_SHA512, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                          "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" },
    };
    for (size_t i = 0; i < sizeof kat / sizeof kat[0]; i++) {
        size_t want_len;
        uint8_t *want = hex_decode(kat[i].digest, &want_len);
        uint8_t got[SK_HASH_MAX_SIZE];
        sk_hash h;
        assert_int_equal(sk_hash_init(&h, kat[i].alg), 0);
        sk_hash_update(&h, "a", 1);
        sk_hash_update(&h, "bc", 2);
        assert_int_equal(sk_hash_final(&h, got, sizeof got), (int)want_len);
        assert_int_equal(sk_hash_size(kat[i].alg), want_len);
        assert_memory_equal(got, want, want_len);
        /* Finalised: a second final is a state error. */
        assert_int_equal(sk_hash_final(&h, got, sizeof got), SSHKIT_E_STATE);
        sk_hash_free(&h);
        free(want);
    }
}

/* sk_hash_string / sk_hash_mpint hash exactly what the writer would send. */
static void test_hash_wire_helpers_match_writer(void **state)
{
    (void)state;
    const uint8_t mags[][4] = { { 0, 0, 0x7f, 1 }, { 0x80, 0, 0, 1 }, { 0, 0, 0, 0 } };
    for (size_t i = 0; i < 3; i++) {
        sk_buf b;
        sk_buf_init(&b);
        sk_write_string(&b, "ssh", 3);
        sk_write_mpint(&b, mags[i], 4);
        sk_write_u32(&b, 7);
        uint8_t direct[32], helper[32];
        sk_hash h;
        assert_int_equal(sk_hash_init(&h, SK_HASH_SHA256), 0);
        sk_hash_update(&h, b.data, b.len);
        assert_int_equal(sk_hash_final(&h, direct, sizeof direct), 32);
        sk_hash_free(&h);
        assert_int_equal(sk_hash_init(&h, SK_HASH_SHA256), 0);
        sk_hash_string(&h, "ssh", 3);
        sk_hash_mpint(&h, mags[i], 4);
        sk_hash_u32(&h, 7);
        assert_int_equal(sk_hash_final(&h, helper, sizeof helper), 32);
        sk_hash_free(&h);
        assert_memory_equal(direct, helper, 32);
        sk_buf_free(&b);
    }
}

static void test_hash_bad_use(void **state)
{
    (void)state;
    sk_hash h;
    assert_int_equal(sk_hash_init(&h, (sk_hash_alg)42), SSHKIT_E_INVALID_ARGUMENT);
    sk_hash_update(&h, "x", 1);   /* sticky: ignored */
    uint8_t out[64];
    assert_int_equal(sk_hash_final(&h, out, sizeof out), SSHKIT_E_INVALID_ARGUMENT);
    sk_hash_free(&h);
    assert_int_equal(sk_hash_init(&h, SK_HASH_SHA512), 0);
    assert_int_equal(sk_hash_final(&h, out, 32), SSHKIT_E_INVALID_ARGUMENT);   /* too small */
    sk_hash_free(&h);
    sk_hash_free(&h);   /* twice is harmless */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kdf_cavs_vectors),
        cmocka_unit_test(test_kdf_long_output_matches_rfc_construction),
        cmocka_unit_test(test_kdf_bad_arguments),
        cmocka_unit_test(test_hash_abc),
        cmocka_unit_test(test_hash_wire_helpers_match_writer),
        cmocka_unit_test(test_hash_bad_use),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
