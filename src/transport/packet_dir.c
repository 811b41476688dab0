/* Per-direction key state shared by the packet writer and reader. */
#include "transport/packet.h"

void sk_packet_dir_rekey(sk_packet_dir *d, sk_packet_cipher *cipher, bool reset_seqnr)
{
    sk_packet_cipher_free(d->cipher);
    d->cipher = cipher;
    d->bytes = 0;
    d->packets = 0;
    if (reset_seqnr)
        d->seqnr = 0;
}

void sk_packet_dir_free(sk_packet_dir *d)
{
    sk_packet_cipher_free(d->cipher);
    d->cipher = NULL;
}
