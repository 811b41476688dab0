/* Helpers shared by the key-agreement tests. Test-only. */
#ifndef SSHKIT_TEST_KEX_TESTUTIL_H
#define SSHKIT_TEST_KEX_TESTUTIL_H

#include <openssl/err.h>
#include "crypto/kex_dh.h"

/* Derives K on both sides and checks they agree and look like a magnitude
 * (non-empty, no leading zero, in a buffer marked secret). */
static inline void kex_assert_agree(sk_kex_dh *a, sk_kex_dh *b)
{
    sk_bytes pa = sk_kex_dh_public(a), pb = sk_kex_dh_public(b);
    sk_buf ka, kb;
    sk_buf_init(&ka);
    sk_buf_init(&kb);
    assert_int_equal(sk_kex_dh_derive(a, pb.ptr, pb.len, &ka), 0);
    assert_int_equal(sk_kex_dh_derive(b, pa.ptr, pa.len, &kb), 0);
    assert_true(ka.secret && kb.secret);
    assert_true(ka.len > 0);
    assert_int_not_equal(ka.data[0], 0);
    assert_int_equal(ka.len, kb.len);
    assert_memory_equal(ka.data, kb.data, ka.len);
    sk_buf_free(&ka);
    sk_buf_free(&kb);
}

/* Expects the peer value to be refused with code, leaving K empty and
 * libcrypto's error queue as it was. */
static inline void kex_assert_rejects(sk_kex_dh *k, const uint8_t *peer, size_t len, int code)
{
    sk_buf s;
    sk_buf_init(&s);
    ERR_clear_error();
    assert_int_equal(sk_kex_dh_derive(k, peer, len, &s), code);
    assert_int_equal(s.len, 0);
    assert_true(s.data == NULL);
    assert_int_equal(ERR_peek_error(), 0);
    sk_buf_free(&s);
}

#endif
