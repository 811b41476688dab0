/* Unit tests for SSH signatures: RFC 8032 known answers for Ed25519,
 * round trips for every type, and hostile signatures. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/bn.h>
#include <openssl/ec.h>

#include <sshkit/error.h>
#include <sshkit/key.h>
#include "keys/key_internal.h"
#include "keys/key_pkey.h"

/* Decodes hex into a new buffer (free() it). */
static uint8_t *unhex(const char *hex, size_t *len)
{
    size_t n = strlen(hex) / 2;
    uint8_t *out = malloc(n ? n : 1);
    assert_non_null(out);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    *len = n;
    return out;
}

struct ed25519_kat {
    const char *seed, *pub, *msg, *sig;
};

/* RFC 8032 section 7.1. */
static const struct ed25519_kat kats[] = {
    { "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
      "",
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b" },
    { "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
      "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
      "72",
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00" },
    { "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
      "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
      "af82",
      "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a" },
    { "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
      "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
      "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98fa6e264bf09efe12ee50f8f54e9f77b1"
      "e355f6c50544e23fb1433ddf73be84d879de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d"
      "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc1a858efcb8550ee3a5e1998bd177e93a"
      "7363c344fe6b199ee5d02e82d522c4feba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
      "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbefefd75499da96bd68a8a97b928a8bbc10"
      "3b6621fcde2beca1231d206be6cd9ec7aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1"
      "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2d17ba70eb6248e594e1a2297acbbb39d"
      "502f1a8c6eb6f1ce22b3de1a1f40cc24554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
      "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc2732e69485bbc9c90bfbd62481d9089b"
      "eccf80cfe2df16a2cf65bd92dd597b0707e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba"
      "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51addd3b75a2b1ae0784504df543af8969b"
      "e3ea7082ff7fc9888c144da2af58429ec96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7"
      "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c42f58c30c04aafdb038dda0847dd988d"
      "cda6f3bfd15c4b4c4525004aa06eeff8ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df"
      "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08d78ff4ef5d63653a65040cf9bfd4aca7"
      "984a74d37145986780fc0b16ac451649de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4"
      "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a32ef5b52a1ecc820e308aa342721aac09"
      "43bf6686b64b2579376504ccc493d97e6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f"
      "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b50d334ba77c225bc307ba537152f3f161"
      "0e4eafe595f6d9d90d11faa933a15ef1369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d"
      "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c0618983f8741c5ef68d3a101e8a3b8ca"
      "c60c905c15fc910840b94c00a0b9d0",
      "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03" },
};

static sshkit_key *ed25519_from_seed(const char *seed_hex, const char *pub_hex)
{
    size_t seed_len, pub_len;
    uint8_t *seed = unhex(seed_hex, &seed_len), *pub = unhex(pub_hex, &pub_len);
    assert_int_equal(seed_len, 32);
    assert_int_equal(pub_len, 32);
    EVP_PKEY *pkey;
    sshkit_key *key;
    assert_int_equal(sk_pkey_ed25519(pub, seed, &pkey), 0);
    assert_int_equal(sk_key_wrap(SSHKIT_KEY_ED25519, pkey, true, &key), 0);
    free(seed);
    free(pub);
    return key;
}

static void test_ed25519_rfc8032(void **state)
{
    (void)state;
    static const size_t msg_lens[] = { 0, 1, 2, 1023 };
    for (size_t i = 0; i < sizeof kats / sizeof kats[0]; i++) {
        sshkit_key *key = ed25519_from_seed(kats[i].seed, kats[i].pub);
        size_t msg_len, want_len, sig_len;
        uint8_t *msg = unhex(kats[i].msg, &msg_len), *want = unhex(kats[i].sig, &want_len), *sig;
        assert_int_equal(msg_len, msg_lens[i]);
        assert_int_equal(sshkit_key_sign(key, NULL, msg, msg_len, &sig, &sig_len), 0);
        /* string "ssh-ed25519" (4 + 11), string sig (4 + 64) */
        assert_int_equal(sig_len, 4 + 11 + 4 + 64);
        assert_memory_equal(sig + 4, "ssh-ed25519", 11);
        assert_memory_equal(sig + 15, "\0\0\0\x40", 4);
        assert_memory_equal(sig + 19, want, 64);
        assert_int_equal(sshkit_key_verify(key, "ssh-ed25519", sig, sig_len, msg, msg_len), 0);
        assert_int_equal(sshkit_key_verify(key, NULL, sig, sig_len, msg, msg_len), 0);
        sshkit_free(sig, sig_len);
        free(msg);
        free(want);
        sshkit_key_free(key);
    }
}

struct round_trip {
    sshkit_key_type type;
    const char *alg;
};

static const struct round_trip round_trips[] = {
    { SSHKIT_KEY_ED25519, NULL },
    { SSHKIT_KEY_ECDSA_P256, NULL },
    { SSHKIT_KEY_ECDSA_P384, "ecdsa-sha2-nistp384" },
    { SSHKIT_KEY_ECDSA_P521, NULL },
    { SSHKIT_KEY_RSA, NULL },
    { SSHKIT_KEY_RSA, "rsa-sha2-256" },
};

static const uint8_t message[] = "sshkit signs this";

static void test_round_trip_every_type(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof round_trips / sizeof round_trips[0]; i++) {
        sshkit_key *key, *pub;
        uint8_t *sig;
        size_t sig_len;
        assert_int_equal(sshkit_key_generate(round_trips[i].type, 2048, &key), 0);
        assert_int_equal(sshkit_key_public_copy(key, &pub), 0);
        assert_int_equal(sshkit_key_sign(key, round_trips[i].alg, message, sizeof message,
                                         &sig, &sig_len), 0);
        assert_int_equal(sshkit_key_verify(pub, round_trips[i].alg, sig, sig_len,
                                           message, sizeof message), 0);
        assert_int_equal(sshkit_key_verify(pub, NULL, sig, sig_len, message, sizeof message), 0);
        assert_int_equal(sshkit_key_verify(pub, NULL, sig, sig_len, message, sizeof message - 1),
                         SSHKIT_E_SIGNATURE);
        sig[sig_len - 1] ^= 1;
        assert_int_equal(sshkit_key_verify(pub, NULL, sig, sig_len, message, sizeof message),
                         SSHKIT_E_SIGNATURE);
        sshkit_free(sig, sig_len);
        sshkit_key_free(pub);
        sshkit_key_free(key);
    }
}

static void test_sign_refusals(void **state)
{
    (void)state;
    sshkit_key *rsa, *ed, *pub;
    uint8_t *sig;
    size_t sig_len;
    assert_int_equal(sshkit_key_generate(SSHKIT_KEY_RSA, 2048, &rsa), 0);
    assert_int_equal(sshkit_key_generate(SSHKIT_KEY_ED25519, 0, &ed), 0);
    assert_int_equal(sshkit_key_public_copy(ed, &pub), 0);
    assert_int_equal(sshkit_key_sign(rsa, "ssh-rsa", message, 4, &sig, &sig_len),
                     SSHKIT_E_INVALID_ARGUMENT);
    assert_null(sig);
    assert_int_equal(sshkit_key_sign(rsa, "ssh-ed25519", message, 4, &sig, &sig_len),
                     SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_key_sign(ed, "rsa-sha2-256", message, 4, &sig, &sig_len),
                     SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_key_sign(pub, NULL, message, 4, &sig, &sig_len), SSHKIT_E_STATE);
    assert_int_equal(sshkit_key_sign(ed, NULL, NULL, 4, &sig, &sig_len), SSHKIT_E_INVALID_ARGUMENT);
    assert_int_equal(sshkit_key_sign(ed, NULL, NULL, 0, &sig, &sig_len), 0);
    assert_int_equal(sshkit_key_verify(pub, NULL, sig, sig_len, NULL, 0), 0);
    sshkit_free(sig, sig_len);
    sshkit_key_free(pub);
    sshkit_key_free(ed);
    sshkit_key_free(rsa);
}

static void test_sig_alg_fits(void **state)
{
    (void)state;
    sshkit_key *rsa, *ec;
    assert_int_equal(sshkit_key_generate(SSHKIT_KEY_RSA, 2048, &rsa), 0);
    assert_int_equal(sshkit_key_generate(SSHKIT_KEY_ECDSA_P384, 0, &ec), 0);
    assert_true(sk_key_sig_alg_fits(rsa, "rsa-sha2-256"));
    assert_true(sk_key_sig_alg_fits(rsa, "rsa-sha2-512"));
    assert_true(sk_key_sig_alg_fits(rsa, "ssh-rsa"));
    assert_false(sk_key_sig_alg_fits(rsa, "ecdsa-sha2-nistp384"));
    assert_false(sk_key_sig_alg_fits(rsa, NULL));
    assert_true(sk_key_sig_alg_fits(ec, "ecdsa-sha2-nistp384"));
    assert_false(sk_key_sig_alg_fits(ec, "ecdsa-sha2-nistp256"));
    assert_false(sk_key_sig_alg_fits(NULL, "ssh-rsa"));
    sshkit_key_free(ec);
    sshkit_key_free(rsa);
}

/* Builds string alg, string blob. */
static uint8_t *make_sig(const char *alg, const uint8_t *blob, size_t blob_len, size_t *len)
{
    sk_buf b;
    sk_buf_init(&b);
    sk_write_cstring(&b, alg);
    sk_write_string(&b, blob, blob_len);
    uint8_t *out = sk_buf_steal(&b, len);
    assert_non_null(out);
    return out;
}

/* Splits a good signature into its algorithm and blob (views into sig). */
static void split_sig(const uint8_t *sig, size_t len, sk_bytes *alg, sk_bytes *blob)
{
    sk_reader r;
    sk_reader_init(&r, sig, len);
    sk_read_string(&r, alg);
    sk_read_string(&r, blob);
    assert_int_equal(sk_reader_finish(&r), 0);
}

static void test_hostile_common(void **state)
{
    (void)state;
    sshkit_key *ed, *rsa;
    uint8_t *sig, *bad;
    size_t sig_len, bad_len;
    sk_bytes alg, blob;
    assert_int_equal(sshkit_key_generate(SSHKIT_KEY_ED25519, 0, &ed), 0);
    assert_int_equal(sshkit_key_generate(SSHKIT_KEY_RSA, 2048, &rsa), 0);
    assert_int_equal(sshkit_key_sign(ed, NULL, message, sizeof message, &sig, &sig_len), 0);
    split_sig(sig, sig_len, &alg, &blob);

    /* Truncated anywhere: malformed. */
    for (size_t n = 0; n < sig_len; n++)
        assert_int_equal(sshkit_key_verify(ed, NULL, sig, n, message, sizeof message),
                         SSHKIT_E_FORMAT);
    /* Trailing bytes. */
    bad = malloc(sig_len + 1);
    memcpy(bad, sig, sig_len);
    bad[sig_len] = 0;
    assert_int_equal(sshkit_key_verify(ed, NULL, bad, sig_len + 1, message, sizeof message),
                     SSHKIT_E_FORMAT);
    free(bad);
    /* Blob of the wrong size. */
    bad = make_sig("ssh-ed25519", blob.ptr, 63, &bad_len);
    assert_int_equal(sshkit_key_verify(ed, NULL, bad, bad_len, message, sizeof message), SSHKIT_E_FORMAT);
    free(bad);
    /* Wrong algorithm names. */
    bad = make_sig("ssh-rsa", blob.ptr, blob.len, &bad_len);
    assert_int_equal(sshkit_key_verify(ed, NULL, bad, bad_len, message, sizeof message), SSHKIT_E_SIGNATURE);
    free(bad);
    bad = make_sig("ssh-ed25519x", blob.ptr, blob.len, &bad_len);
    assert_int_equal(sshkit_key_verify(ed, NULL, bad, bad_len, message, sizeof message), SSHKIT_E_SIGNATURE);
    free(bad);
    assert_int_equal(sshkit_key_verify(ed, "ecdsa-sha2-nistp256", sig, sig_len, message, sizeof message),
                     SSHKIT_E_SIGNATURE);
    /* The right key type, the wrong key. */
    assert_int_equal(sshkit_key_verify(rsa, NULL, sig, sig_len, message, sizeof message), SSHKIT_E_SIGNATURE);
    sshkit_free(sig, sig_len);
    sshkit_key_free(rsa);
    sshkit_key_free(ed);
}

static void test_hostile_rsa(void **state)
{
    (void)state;
    sshkit_key *rsa;
    uint8_t *sig, *bad;
    size_t sig_len, bad_len;
    sk_bytes alg, blob;
    assert_int_equal(sshkit_key_generate(SSHKIT_KEY_RSA, 2048, &rsa), 0);
    assert_int_equal(sshkit_key_sign(rsa, "rsa-sha2-256", message, sizeof message, &sig, &sig_len), 0);
    split_sig(sig, sig_len, &alg, &blob);
    assert_int_equal(blob.len, 256);

    /* Named algorithm differs from the signature's. */
    assert_int_equal(sshkit_key_verify(rsa, "rsa-sha2-512", sig, sig_len, message, sizeof message),
                     SSHKIT_E_SIGNATURE);
    /* Relabelled as another hash. */
    bad = make_sig("rsa-sha2-512", blob.ptr, blob.len, &bad_len);
    assert_int_equal(sshkit_key_verify(rsa, NULL, bad, bad_len, message, sizeof message), SSHKIT_E_SIGNATURE);
    free(bad);
    /* ssh-rsa only when named. */
    bad = make_sig("ssh-rsa", blob.ptr, blob.len, &bad_len);
    assert_int_equal(sshkit_key_verify(rsa, NULL, bad, bad_len, message, sizeof message), SSHKIT_E_SIGNATURE);
    assert_int_equal(sshkit_key_verify(rsa, "ssh-rsa", bad, bad_len, message, sizeof message), SSHKIT_E_SIGNATURE);
    free(bad);
    /* Too long: one byte over the modulus, even a leading zero. */
    uint8_t *longer = calloc(1, blob.len + 1);
    memcpy(longer + 1, blob.ptr, blob.len);
    bad = make_sig("rsa-sha2-256", longer, blob.len + 1, &bad_len);
    assert_int_equal(sshkit_key_verify(rsa, NULL, bad, bad_len, message, sizeof message), SSHKIT_E_FORMAT);
    free(bad);
    free(longer);
    /* Empty. */
    bad = make_sig("rsa-sha2-256", blob.ptr, 0, &bad_len);
    assert_int_equal(sshkit_key_verify(rsa, NULL, bad, bad_len, message, sizeof message), SSHKIT_E_FORMAT);
    free(bad);
    /* Short (truncated at the end): not a valid signature. */
    bad = make_sig("rsa-sha2-256", blob.ptr, blob.len - 1, &bad_len);
    assert_int_equal(sshkit_key_verify(rsa, NULL, bad, bad_len, message, sizeof message), SSHKIT_E_SIGNATURE);
    free(bad);
    /* All ones: over the modulus. */
    uint8_t *ones = malloc(blob.len);
    memset(ones, 0xff, blob.len);
    bad = make_sig("rsa-sha2-256", ones, blob.len, &bad_len);
    assert_int_equal(sshkit_key_verify(rsa, NULL, bad, bad_len, message, sizeof message), SSHKIT_E_SIGNATURE);
    free(bad);
    free(ones);
    sshkit_free(sig, sig_len);
    sshkit_key_free(rsa);
}

/* ssh-rsa (SHA-1) from raw libcrypto verifies only when named. */
static void test_ssh_rsa_verify_only_when_named(void **state)
{
    (void)state;
    sshkit_key *rsa;
    assert_int_equal(sshkit_key_generate(SSHKIT_KEY_RSA, 2048, &rsa), 0);
    uint8_t raw[256];
    size_t raw_len = sizeof raw, sig_len;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    assert_int_equal(EVP_DigestSignInit_ex(ctx, NULL, "SHA1", NULL, NULL, rsa->pkey, NULL), 1);
    assert_int_equal(EVP_DigestSign(ctx, raw, &raw_len, message, sizeof message), 1);
    EVP_MD_CTX_free(ctx);
    assert_int_equal(raw_len, 256);
    uint8_t *sig = make_sig("ssh-rsa", raw, raw_len, &sig_len);
    assert_int_equal(sshkit_key_verify(rsa, "ssh-rsa", sig, sig_len, message, sizeof message), 0);
    assert_int_equal(sshkit_key_verify(rsa, NULL, sig, sig_len, message, sizeof message), SSHKIT_E_SIGNATURE);
    assert_int_equal(sshkit_key_verify(rsa, "rsa-sha2-512", sig, sig_len, message, sizeof message),
                     SSHKIT_E_SIGNATURE);
    free(sig);
    sshkit_key_free(rsa);
}

/* A signature whose leading zero byte was stripped still verifies (as in
 * OpenSSH); signs until the blob starts with a zero byte. */
static void test_rsa_short_blob_is_padded(void **state)
{
    (void)state;
    sshkit_key *rsa;
    bool found = false;
    assert_int_equal(sshkit_key_generate(SSHKIT_KEY_RSA, 2048, &rsa), 0);
    for (unsigned i = 0; i < 4096 && !found; i++) {
        uint8_t msg[4] = { (uint8_t)(i >> 8), (uint8_t)i, 1, 2 };
        uint8_t *sig, *bad;
        size_t sig_len, bad_len;
        sk_bytes alg, blob;
        assert_int_equal(sshkit_key_sign(rsa, NULL, msg, sizeof msg, &sig, &sig_len), 0);
        split_sig(sig, sig_len, &alg, &blob);
        found = blob.ptr[0] == 0;
        if (found) {
            bad = make_sig("rsa-sha2-512", blob.ptr + 1, blob.len - 1, &bad_len);
            assert_int_equal(sshkit_key_verify(rsa, NULL, bad, bad_len, msg, sizeof msg), 0);
            free(bad);
        }
        sshkit_free(sig, sig_len);
    }
    assert_true(found);
    sshkit_key_free(rsa);
}

/* ECDSA blob from r and s given as BIGNUMs. */
static uint8_t *ecdsa_sig_of(const char *alg, const BIGNUM *r, const BIGNUM *s, size_t *len)
{
    uint8_t rb[80], sb[80];
    int rn = BN_bn2bin(r, rb), sn = BN_bn2bin(s, sb);
    sk_buf blob;
    sk_buf_init(&blob);
    sk_write_mpint(&blob, rb, (size_t)rn);
    sk_write_mpint(&blob, sb, (size_t)sn);
    uint8_t *out = make_sig(alg, blob.data, blob.len, len);
    sk_buf_free(&blob);
    return out;
}

static void test_hostile_ecdsa(void **state)
{
    (void)state;
    sshkit_key *ec;
    uint8_t *sig, *bad;
    size_t sig_len, bad_len;
    sk_bytes alg, blob;
    assert_int_equal(sshkit_key_generate(SSHKIT_KEY_ECDSA_P256, 0, &ec), 0);
    assert_int_equal(sshkit_key_sign(ec, NULL, message, sizeof message, &sig, &sig_len), 0);
    split_sig(sig, sig_len, &alg, &blob);

    /* Read the good r and s back. */
    sk_reader r;
    sk_bytes rm, sm;
    sk_reader_init(&r, blob.ptr, blob.len);
    sk_read_mpint_unsigned(&r, &rm);
    sk_read_mpint_unsigned(&r, &sm);
    assert_int_equal(sk_reader_finish(&r), 0);
    BIGNUM *good_r = BN_bin2bn(rm.ptr, (int)rm.len, NULL), *good_s = BN_bin2bn(sm.ptr, (int)sm.len, NULL);
    BIGNUM *zero = BN_new(), *order = BN_new(), *r_plus_n = BN_new();
    EC_GROUP *group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    BN_zero(zero);
    BN_copy(order, EC_GROUP_get0_order(group));
    BN_add(r_plus_n, good_r, order);

    const BIGNUM *cases[][2] = {
        { zero, good_s }, { good_r, zero }, { order, good_s }, { good_r, order }, { r_plus_n, good_s },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bad = ecdsa_sig_of("ecdsa-sha2-nistp256", cases[i][0], cases[i][1], &bad_len);
        assert_int_equal(sshkit_key_verify(ec, NULL, bad, bad_len, message, sizeof message),
                         SSHKIT_E_SIGNATURE);
        free(bad);
    }
    /* The good values re-encoded verify; the wrong curve's name does not. */
    bad = ecdsa_sig_of("ecdsa-sha2-nistp256", good_r, good_s, &bad_len);
    assert_int_equal(sshkit_key_verify(ec, NULL, bad, bad_len, message, sizeof message), 0);
    free(bad);
    bad = ecdsa_sig_of("ecdsa-sha2-nistp384", good_r, good_s, &bad_len);
    assert_int_equal(sshkit_key_verify(ec, NULL, bad, bad_len, message, sizeof message), SSHKIT_E_SIGNATURE);
    free(bad);
    /* Inner blob: trailing bytes, truncation, negative mpint. */
    uint8_t *inner = malloc(blob.len + 1);
    memcpy(inner, blob.ptr, blob.len);
    inner[blob.len] = 7;
    bad = make_sig("ecdsa-sha2-nistp256", inner, blob.len + 1, &bad_len);
    assert_int_equal(sshkit_key_verify(ec, NULL, bad, bad_len, message, sizeof message), SSHKIT_E_FORMAT);
    free(bad);
    bad = make_sig("ecdsa-sha2-nistp256", inner, blob.len - 1, &bad_len);
    assert_int_equal(sshkit_key_verify(ec, NULL, bad, bad_len, message, sizeof message), SSHKIT_E_FORMAT);
    free(bad);
    static const uint8_t negative[] = { 0, 0, 0, 1, 0x80, 0, 0, 0, 1, 0x01 };
    bad = make_sig("ecdsa-sha2-nistp256", negative, sizeof negative, &bad_len);
    assert_int_equal(sshkit_key_verify(ec, NULL, bad, bad_len, message, sizeof message), SSHKIT_E_FORMAT);
    free(bad);
    free(inner);

    EC_GROUP_free(group);
    BN_free(zero);
    BN_free(order);
    BN_free(r_plus_n);
    BN_free(good_r);
    BN_free(good_s);
    sshkit_free(sig, sig_len);
    sshkit_key_free(ec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ed25519_rfc8032),
        cmocka_unit_test(test_round_trip_every_type),
        cmocka_unit_test(test_sign_refusals),
        cmocka_unit_test(test_sig_alg_fits),
        cmocka_unit_test(test_hostile_common),
        cmocka_unit_test(test_hostile_rsa),
        cmocka_unit_test(test_ssh_rsa_verify_only_when_named),
        cmocka_unit_test(test_rsa_short_blob_is_padded),
        cmocka_unit_test(test_hostile_ecdsa),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
