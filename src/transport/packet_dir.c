/* Per-direction key and compression state shared by the packet writer and
 * reader. */
#include "transport/packet.h"

static int start_stream(sk_packet_dir *d)
{
    return sk_zstream_new(d->deflates, &d->zstream);
}

int sk_packet_dir_rekey(sk_packet_dir *d, sk_packet_cipher *cipher, bool reset_seqnr,
                        sk_comp_method comp, bool authenticated)
{
    sk_packet_cipher_free(d->cipher);
    d->cipher = cipher;
    d->bytes = 0;
    d->packets = 0;
    if (reset_seqnr)
        d->seqnr = 0;
    /* RFC 4253 section 6.2: a new compression context after each key
     * exchange, even when the method stays the same. */
    sk_zstream_free(d->zstream);
    d->zstream = NULL;
    d->comp = comp;
    if (comp == SK_COMP_ZLIB || (comp == SK_COMP_ZLIB_DELAYED && authenticated))
        return start_stream(d);
    return 0;
}

int sk_packet_dir_start_delayed(sk_packet_dir *d)
{
    if (d->comp != SK_COMP_ZLIB_DELAYED || d->zstream != NULL)
        return 0;
    return start_stream(d);
}

void sk_packet_dir_free(sk_packet_dir *d)
{
    sk_packet_cipher_free(d->cipher);
    d->cipher = NULL;
    sk_zstream_free(d->zstream);
    d->zstream = NULL;
}
