/* Blowfish's block function and key schedules; see blowfish.h. */
#include "crypto/blowfish.h"

static uint32_t feistel(const sk_blowfish *bf, uint32_t x)
{
    uint32_t h = bf->s[0][x >> 24] + bf->s[1][(x >> 16) & 0xff];
    return (h ^ bf->s[2][(x >> 8) & 0xff]) + bf->s[3][x & 0xff];
}

void sk_blowfish_encipher(const sk_blowfish *bf, uint32_t *l, uint32_t *r)
{
    uint32_t xl = *l, xr = *r;
    xl ^= bf->p[0];
    for (int i = 1; i <= 16; i += 2) {
        xr ^= feistel(bf, xl) ^ bf->p[i];
        xl ^= feistel(bf, xr) ^ bf->p[i + 1];
    }
    *l = xr ^ bf->p[17];
    *r = xl;
}

uint32_t sk_blowfish_stream_word(const uint8_t *data, size_t len, size_t *pos)
{
    uint32_t w = 0;
    for (int i = 0; i < 4; i++) {
        w = w << 8 | data[*pos];
        *pos = (*pos + 1) % len;
    }
    return w;
}

static void mix_key(sk_blowfish *bf, const uint8_t *key, size_t key_len)
{
    size_t pos = 0;
    for (int i = 0; i < 18; i++)
        bf->p[i] ^= sk_blowfish_stream_word(key, key_len, &pos);
}

/* Rewrites the n words at out two at a time with the running block,
 * first XORed with the salt when there is one. */
static void refill(sk_blowfish *bf, uint32_t *out, size_t n, const uint8_t *salt,
                   size_t salt_len, size_t *pos, uint32_t *l, uint32_t *r)
{
    for (size_t i = 0; i < n; i += 2) {
        if (salt) {
            *l ^= sk_blowfish_stream_word(salt, salt_len, pos);
            *r ^= sk_blowfish_stream_word(salt, salt_len, pos);
        }
        sk_blowfish_encipher(bf, l, r);
        out[i] = *l;
        out[i + 1] = *r;
    }
}

static void schedule(sk_blowfish *bf, const uint8_t *salt, size_t salt_len,
                     const uint8_t *key, size_t key_len)
{
    uint32_t l = 0, r = 0;
    size_t pos = 0;
    mix_key(bf, key, key_len);
    refill(bf, bf->p, 18, salt, salt_len, &pos, &l, &r);
    for (int i = 0; i < 4; i++)
        refill(bf, bf->s[i], 256, salt, salt_len, &pos, &l, &r);
}

void sk_blowfish_expand_salted(sk_blowfish *bf, const uint8_t *salt, size_t salt_len,
                               const uint8_t *key, size_t key_len)
{
    schedule(bf, salt, salt_len, key, key_len);
}

void sk_blowfish_expand(sk_blowfish *bf, const uint8_t *key, size_t key_len)
{
    schedule(bf, NULL, 0, key, key_len);
}
