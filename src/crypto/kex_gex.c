/* Group exchange (RFC 4419): checking the server's group and making our
 * keypair in it. The arithmetic is shared with kex_ffdh.c. */
#include "crypto/kex_dh_internal.h"

#include <openssl/bn.h>
#include <sshkit/error.h>

static bool bounds_ok(unsigned min_bits, unsigned max_bits)
{
    return SK_KEX_GEX_MIN_BITS <= min_bits && min_bits <= max_bits
           && max_bits <= SK_KEX_GEX_MAX_BITS;
}

/* bits(p) within bounds, p odd, 2 <= g <= p - 2. */
static bool group_ok(const BIGNUM *p, const BIGNUM *g, unsigned min_bits, unsigned max_bits)
{
    unsigned bits = (unsigned)BN_num_bits(p);
    if (bits < min_bits || bits > max_bits || !BN_is_odd(p))
        return false;
    BIGNUM *pm1 = BN_dup(p);
    bool ok = pm1 != NULL && BN_sub_word(pm1, 1)
              && BN_cmp(g, BN_value_one()) > 0 && BN_cmp(g, pm1) < 0;
    BN_free(pm1);
    return ok;
}

/* Converts p and g after bounding their lengths; 0 or an SSHKIT_E_*. */
static int load_group(const uint8_t *p, size_t p_len, const uint8_t *g, size_t g_len,
                      unsigned max_bits, BIGNUM **bp, BIGNUM **bg)
{
    size_t cap = (max_bits + 7) / 8;
    *bp = *bg = NULL;
    if (p_len == 0 || p_len > cap || g_len == 0 || g_len > cap)
        return SSHKIT_E_BAD_PUBLIC_VALUE;
    *bp = BN_bin2bn(p, (int)p_len, NULL);
    *bg = BN_bin2bn(g, (int)g_len, NULL);
    return *bp && *bg ? 0 : SSHKIT_E_NOMEM;
}

static int check_and_load(const uint8_t *p, size_t p_len, const uint8_t *g, size_t g_len,
                          unsigned min_bits, unsigned max_bits, BIGNUM **bp, BIGNUM **bg)
{
    *bp = *bg = NULL;
    if (!bounds_ok(min_bits, max_bits) || p == NULL || g == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    int rc = load_group(p, p_len, g, g_len, max_bits, bp, bg);
    if (rc == 0 && !group_ok(*bp, *bg, min_bits, max_bits))
        rc = SSHKIT_E_BAD_PUBLIC_VALUE;
    if (rc != 0) {
        BN_free(*bp);
        BN_free(*bg);
        *bp = *bg = NULL;
    }
    return rc;
}

int sk_kex_gex_check_group(const uint8_t *p, size_t p_len, const uint8_t *g, size_t g_len,
                           unsigned min_bits, unsigned max_bits)
{
    BIGNUM *bp, *bg;
    int rc = check_and_load(p, p_len, g, g_len, min_bits, max_bits, &bp, &bg);
    BN_free(bp);
    BN_free(bg);
    return rc;
}

int sk_kex_dh_new_gex(sk_kex_dh **out, const uint8_t *p, size_t p_len,
                      const uint8_t *g, size_t g_len,
                      unsigned min_bits, unsigned max_bits, unsigned exponent_bits)
{
    *out = NULL;
    sk_kex_dh *k = sk_kex_dh_alloc(SK_KEX_DH_GEX);
    if (k == NULL)
        return SSHKIT_E_NOMEM;
    int rc = check_and_load(p, p_len, g, g_len, min_bits, max_bits, &k->p, &k->g);
    if (rc == 0) {
        unsigned cap = (unsigned)BN_num_bits(k->p) - 1;
        unsigned bits = exponent_bits ? exponent_bits : 512;
        rc = sk_kex_ffdh_keygen_group(k, bits < cap ? bits : cap);
    }
    if (rc != 0) {
        sk_kex_dh_free(k);
        return rc;
    }
    *out = k;
    return 0;
}
