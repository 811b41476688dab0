/* The groups a server offers in group exchange: RFC 3526's MODP primes
 * (safe primes, generator 2) from libcrypto, so no moduli file is needed. */
#include "transport/kex_internal.h"

#include <openssl/bn.h>
#include <sshkit/error.h>

struct group {
    uint32_t bits;
    BIGNUM *(*prime)(BIGNUM *);
};

static const struct group groups[] = {
    { 2048, BN_get_rfc3526_prime_2048 },
    { 3072, BN_get_rfc3526_prime_3072 },
    { 4096, BN_get_rfc3526_prime_4096 },
    { 6144, BN_get_rfc3526_prime_6144 },
    { 8192, BN_get_rfc3526_prime_8192 },
};
#define GROUP_COUNT (sizeof groups / sizeof groups[0])

static const struct group *pick(uint32_t min, uint32_t n, uint32_t max)
{
    for (size_t i = 0; i < GROUP_COUNT; i++)
        if (groups[i].bits >= n && groups[i].bits >= min && groups[i].bits <= max)
            return &groups[i];
    for (size_t i = GROUP_COUNT; i-- > 0;)
        if (groups[i].bits >= min && groups[i].bits <= max)
            return &groups[i];
    return NULL;
}

int sk_kex_gex_choose_group(uint32_t min, uint32_t n, uint32_t max, sk_buf *p, sk_buf *g)
{
    const struct group *grp = pick(min, n, max);
    if (grp == NULL)
        return SSHKIT_E_NO_COMMON_ALGORITHM;
    BIGNUM *prime = grp->prime(NULL);
    if (prime == NULL)
        return SSHKIT_E_NOMEM;
    int len = BN_num_bytes(prime);
    uint8_t *dst = sk_buf_reserve(p, (size_t)len);
    if (dst)
        BN_bn2bin(prime, dst);
    sk_buf_advance(p, (size_t)len);
    BN_free(prime);
    sk_write_u8(g, 2);
    return sk_buf_error(p) ? sk_buf_error(p) : sk_buf_error(g);
}

/* OpenSSH's dh_estimate: the group size for a strength in bits. */
static uint32_t estimate(uint32_t bits)
{
    if (bits <= 112)
        return 2048;
    if (bits <= 128)
        return 3072;
    if (bits <= 192)
        return 7680;
    return 8192;
}

uint32_t sk_kex_gex_wanted_bits(const sk_negotiated *neg)
{
    size_t need = 0;
    for (int dir = 0; dir < 2; dir++) {
        const sk_cipher_alg *c = sk_cipher_find(neg->cipher[dir]);
        const sk_mac_alg *m = neg->mac[dir][0] ? sk_mac_find(neg->mac[dir]) : NULL;
        if (c && c->key_len > need)
            need = c->key_len;
        if (c && c->iv_len > need)
            need = c->iv_len;
        if (m && m->key_len > need)
            need = m->key_len;
    }
    uint32_t n = estimate((uint32_t)need * 8);
    return n < SK_GEX_MIN ? SK_GEX_MIN : n > SK_GEX_MAX ? SK_GEX_MAX : n;
}
