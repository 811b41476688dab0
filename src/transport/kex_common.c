/* The exchange hash inputs both roles share. */
#include "transport/kex_internal.h"

#include <string.h>

void sk_kex_hash_input(const sshkit_session *s, sk_exchange_hash_input *in)
{
    const sk_kex *k = &s->kex;
    bool client = s->role == SSHKIT_ROLE_CLIENT;
    sk_bytes ours_v = { (const uint8_t *)s->our_version, strlen(s->our_version) };
    sk_bytes peer_v = { (const uint8_t *)s->version.peer_version,
                        strlen(s->version.peer_version) };
    sk_bytes ours_i = { k->ours.data, k->ours.len }, peer_i = { k->theirs.data, k->theirs.len };
    memset(in, 0, sizeof *in);
    in->v_c = client ? ours_v : peer_v;
    in->v_s = client ? peer_v : ours_v;
    in->i_c = client ? ours_i : peer_i;
    in->i_s = client ? peer_i : ours_i;
    if (k->method && k->method->method == SK_KEX_DH_GEX) {
        in->gex = true;
        in->gex_min = k->gex_min;
        in->gex_n = k->gex_n;
        in->gex_max = k->gex_max;
        in->gex_p = (sk_bytes){ k->gex_p.data, k->gex_p.len };
        in->gex_g = (sk_bytes){ k->gex_g.data, k->gex_g.len };
    }
}
