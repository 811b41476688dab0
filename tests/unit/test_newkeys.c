/* Unit tests for the exchange hash and the derivation of packet ciphers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/evp.h>

#include <sshkit/error.h>
#include "transport/exchange_hash.h"
#include "transport/kex_methods.h"
#include "transport/newkeys.h"
#include "transport/packet.h"

#define B(s) ((sk_bytes){ (const uint8_t *)(s), sizeof(s) - 1 })

/* H built the slow way: the whole wire encoding in a buffer, then hashed. */
static void test_exchange_hash_matches_wire_encoding(void **state)
{
    (void)state;
    const uint8_t k[] = { 0x80, 1, 2, 3 };       /* top bit set: mpint gets a 0x00 */
    const uint8_t f[] = { 0x00, 0x00, 0x7f, 9 };  /* leading zeros: stripped */
    sk_exchange_hash_input in = {
        .v_c = B("SSH-2.0-a"), .v_s = B("SSH-2.0-b"),
        .i_c = B("\x14kexinit-c"), .i_s = B("\x14kexinit-s"),
        .k_s = B("hostkeyblob"),
        .gex = true, .gex_min = 2048, .gex_n = 3072, .gex_max = 8192,
        .gex_p = B("\xff\xff\xff\xfb"), .gex_g = B("\x02"),
        .q_c = B("\x81\x01"), .q_s = { f, sizeof f },
        .publics_are_mpints = true, .k = { k, sizeof k },
    };
    sk_buf w;
    sk_buf_init(&w);
    sk_write_string(&w, in.v_c.ptr, in.v_c.len);
    sk_write_string(&w, in.v_s.ptr, in.v_s.len);
    sk_write_string(&w, in.i_c.ptr, in.i_c.len);
    sk_write_string(&w, in.i_s.ptr, in.i_s.len);
    sk_write_string(&w, in.k_s.ptr, in.k_s.len);
    sk_write_u32(&w, 2048);
    sk_write_u32(&w, 3072);
    sk_write_u32(&w, 8192);
    sk_write_mpint(&w, in.gex_p.ptr, in.gex_p.len);
    sk_write_mpint(&w, in.gex_g.ptr, in.gex_g.len);
    sk_write_mpint(&w, in.q_c.ptr, in.q_c.len);
    sk_write_mpint(&w, f, sizeof f);
    sk_write_mpint(&w, k, sizeof k);
    uint8_t want[64], got[64];
    unsigned want_len;
    size_t got_len;
    assert_int_equal(EVP_Digest(w.data, w.len, want, &want_len, EVP_sha256(), NULL), 1);
    assert_int_equal(sk_exchange_hash(SK_HASH_SHA256, &in, got, &got_len), 0);
    assert_int_equal(got_len, want_len);
    assert_memory_equal(got, want, want_len);

    /* Strings instead of mpints for X25519 and ECDH, no gex fields. */
    in.gex = false;
    in.publics_are_mpints = false;
    sk_buf_reset(&w);
    sk_write_string(&w, in.v_c.ptr, in.v_c.len);
    sk_write_string(&w, in.v_s.ptr, in.v_s.len);
    sk_write_string(&w, in.i_c.ptr, in.i_c.len);
    sk_write_string(&w, in.i_s.ptr, in.i_s.len);
    sk_write_string(&w, in.k_s.ptr, in.k_s.len);
    sk_write_string(&w, in.q_c.ptr, in.q_c.len);
    sk_write_string(&w, f, sizeof f);
    sk_write_mpint(&w, k, sizeof k);
    assert_int_equal(EVP_Digest(w.data, w.len, want, &want_len, EVP_sha512(), NULL), 1);
    assert_int_equal(sk_exchange_hash(SK_HASH_SHA512, &in, got, &got_len), 0);
    assert_int_equal(got_len, 64);
    assert_memory_equal(got, want, 64);
    sk_buf_free(&w);
}

static void test_kex_method_table(void **state)
{
    (void)state;
    assert_int_equal(sk_kex_method_find("curve25519-sha256")->method, SK_KEX_X25519);
    assert_int_equal(sk_kex_method_find("ecdh-sha2-nistp384")->hash, SK_HASH_SHA384);
    assert_int_equal(sk_kex_method_find("diffie-hellman-group18-sha512")->method, SK_KEX_DH_GROUP18);
    assert_null(sk_kex_method_find("diffie-hellman-group1-sha1"));
    assert_null(sk_kex_method_find("ext-info-c"));
}

/* Sends one packet with `send` and opens it with `recv`. */
static int carry(sk_packet_cipher *send, sk_packet_cipher *recv)
{
    sk_buf wire;
    sk_packet_writer w;
    sk_packet_reader r;
    sk_buf_init(&wire);
    sk_packet_writer_init(&w, &wire);
    sk_packet_reader_init(&r);
    w.dir.cipher = send;
    r.dir.cipher = recv;
    sk_packet_begin(&w, 94);
    sk_write_cstring(&wire, "hello through derived keys");
    int rc = sk_packet_end(&w);
    sk_bytes payload;
    if (rc == 0) {
        sk_packet_feed(&r, wire.data, wire.len);
        rc = sk_packet_next(&r, &payload);
    }
    w.dir.cipher = r.dir.cipher = NULL;     /* the caller owns them */
    sk_packet_reader_free(&r);
    sk_buf_free(&wire);
    return rc;
}

static void test_both_sides_derive_matching_keys(void **state)
{
    (void)state;
    const char *ciphers[] = { "chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com",
                              "aes128-ctr", "aes256-ctr" };
    const char *macs[] = { "", "", "hmac-sha2-256-etm@openssh.com", "hmac-sha2-512" };
    const uint8_t k[] = { 0x42, 0x17, 0x99 };
    const uint8_t h[32] = { 7 };
    sk_bytes kb = { k, sizeof k }, hb = { h, sizeof h };
    for (size_t i = 0; i < 4; i++) {
        sk_negotiated neg;
        memset(&neg, 0, sizeof neg);
        strcpy(neg.cipher[0], ciphers[i]);
        strcpy(neg.cipher[1], ciphers[(i + 1) % 4]);
        strcpy(neg.mac[0], macs[i]);
        strcpy(neg.mac[1], macs[(i + 1) % 4]);
        sk_packet_cipher *c_send, *c_recv, *s_send, *s_recv;
        assert_int_equal(sk_newkeys_derive(&neg, false, SK_HASH_SHA256, kb, hb, hb, &c_send, &c_recv), 0);
        assert_int_equal(sk_newkeys_derive(&neg, true, SK_HASH_SHA256, kb, hb, hb, &s_send, &s_recv), 0);
        assert_int_equal(carry(c_send, s_recv), 0);
        assert_int_equal(carry(s_send, c_recv), 0);
        sk_packet_cipher_free(c_send);
        sk_packet_cipher_free(c_recv);
        sk_packet_cipher_free(s_send);
        sk_packet_cipher_free(s_recv);
    }
}

static void test_directions_have_different_keys(void **state)
{
    (void)state;
    sk_negotiated neg;
    memset(&neg, 0, sizeof neg);
    strcpy(neg.cipher[0], "aes256-gcm@openssh.com");
    strcpy(neg.cipher[1], "aes256-gcm@openssh.com");
    const uint8_t k[] = { 1 }, h[32] = { 2 };
    sk_bytes kb = { k, 1 }, hb = { h, 32 };
    sk_packet_cipher *c_send, *c_recv;
    assert_int_equal(sk_newkeys_derive(&neg, false, SK_HASH_SHA256, kb, hb, hb, &c_send, &c_recv), 0);
    /* The client's own receive keys cannot open what it sends. */
    assert_int_equal(carry(c_send, c_recv), SSHKIT_E_MAC);
    sk_packet_cipher_free(c_send);
    sk_packet_cipher_free(c_recv);

    strcpy(neg.cipher[0], "no-such-cipher");
    assert_int_equal(sk_newkeys_derive(&neg, false, SK_HASH_SHA256, kb, hb, hb, &c_send, &c_recv),
                     SSHKIT_E_UNSUPPORTED);
    assert_null(c_send);
    assert_null(c_recv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exchange_hash_matches_wire_encoding),
        cmocka_unit_test(test_kex_method_table),
        cmocka_unit_test(test_both_sides_derive_matching_keys),
        cmocka_unit_test(test_directions_have_different_keys),
    };
    return cmocka_run_group_tests_name("newkeys", tests, NULL, NULL);
}
