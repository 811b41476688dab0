/* The exchange hash; see exchange_hash.h. */
#include "transport/exchange_hash.h"

static void hash_public(sk_hash *h, sk_bytes value, bool mpint)
{
    if (mpint)
        sk_hash_mpint(h, value.ptr, value.len);
    else
        sk_hash_string(h, value.ptr, value.len);
}

int sk_exchange_hash(sk_hash_alg alg, const sk_exchange_hash_input *in, uint8_t *out,
                     size_t *len)
{
    sk_hash h;
    int rc = sk_hash_init(&h, alg);
    if (rc == 0) {
        sk_hash_string(&h, in->v_c.ptr, in->v_c.len);
        sk_hash_string(&h, in->v_s.ptr, in->v_s.len);
        sk_hash_string(&h, in->i_c.ptr, in->i_c.len);
        sk_hash_string(&h, in->i_s.ptr, in->i_s.len);
        sk_hash_string(&h, in->k_s.ptr, in->k_s.len);
        if (in->gex) {
            sk_hash_u32(&h, in->gex_min);
            sk_hash_u32(&h, in->gex_n);
            sk_hash_u32(&h, in->gex_max);
            sk_hash_mpint(&h, in->gex_p.ptr, in->gex_p.len);
            sk_hash_mpint(&h, in->gex_g.ptr, in->gex_g.len);
        }
        hash_public(&h, in->q_c, in->publics_are_mpints);
        hash_public(&h, in->q_s, in->publics_are_mpints);
        sk_hash_mpint(&h, in->k.ptr, in->k.len);
        rc = sk_hash_final(&h, out, SK_HASH_MAX_SIZE);
    }
    sk_hash_free(&h);
    if (rc < 0)
        return rc;
    *len = (size_t)rc;
    return 0;
}
