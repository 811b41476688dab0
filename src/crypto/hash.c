/* Incremental EVP_MD hashing with SSH wire helpers; see hash.h. */
#include "crypto/hash.h"

#include <string.h>
#include <openssl/evp.h>
#include <sshkit/error.h>
#include "wire/writer.h"

static const EVP_MD *hash_md(sk_hash_alg alg)
{
    switch (alg) {
    case SK_HASH_SHA1:   return EVP_sha1();
    case SK_HASH_SHA256: return EVP_sha256();
    case SK_HASH_SHA384: return EVP_sha384();
    case SK_HASH_SHA512: return EVP_sha512();
    }
    return NULL;
}

size_t sk_hash_size(sk_hash_alg alg)
{
    switch (alg) {
    case SK_HASH_SHA1:   return 20;
    case SK_HASH_SHA256: return 32;
    case SK_HASH_SHA384: return 48;
    case SK_HASH_SHA512: return 64;
    }
    return 0;
}

const char *sk_hash_name(sk_hash_alg alg)
{
    switch (alg) {
    case SK_HASH_SHA1:   return "SHA1";
    case SK_HASH_SHA256: return "SHA256";
    case SK_HASH_SHA384: return "SHA384";
    case SK_HASH_SHA512: return "SHA512";
    }
    return NULL;
}

int sk_hash_init(sk_hash *h, sk_hash_alg alg)
{
    memset(h, 0, sizeof *h);
    h->alg = alg;
    const EVP_MD *md = hash_md(alg);
    if (md == NULL)
        return h->error = SSHKIT_E_INVALID_ARGUMENT;
    h->ctx = EVP_MD_CTX_new();
    if (h->ctx == NULL)
        return h->error = SSHKIT_E_NOMEM;
    if (EVP_DigestInit_ex(h->ctx, md, NULL) != 1)
        return h->error = SSHKIT_E_CRYPTO;
    return 0;
}

void sk_hash_update(sk_hash *h, const void *p, size_t n)
{
    if (h->error || n == 0)
        return;
    if (EVP_DigestUpdate(h->ctx, p, n) != 1)
        h->error = SSHKIT_E_CRYPTO;
}

void sk_hash_u8(sk_hash *h, uint8_t v)
{
    sk_hash_update(h, &v, 1);
}

void sk_hash_u32(sk_hash *h, uint32_t v)
{
    uint8_t tmp[4];
    sk_store_u32(tmp, v);
    sk_hash_update(h, tmp, sizeof tmp);
}

void sk_hash_string(sk_hash *h, const void *p, size_t n)
{
    if (n > UINT32_MAX) {
        if (h->error == 0)
            h->error = SSHKIT_E_TOO_LARGE;
        return;
    }
    sk_hash_u32(h, (uint32_t)n);
    sk_hash_update(h, p, n);
}

void sk_hash_mpint(sk_hash *h, const uint8_t *magnitude, size_t n)
{
    while (n > 0 && magnitude[0] == 0) {
        magnitude++;
        n--;
    }
    bool pad = n > 0 && (magnitude[0] & 0x80);
    if (n > UINT32_MAX - 1) {
        if (h->error == 0)
            h->error = SSHKIT_E_TOO_LARGE;
        return;
    }
    sk_hash_u32(h, (uint32_t)(n + pad));
    if (pad)
        sk_hash_u8(h, 0);
    sk_hash_update(h, magnitude, n);
}

int sk_hash_final(sk_hash *h, uint8_t *out, size_t cap)
{
    if (h->error)
        return h->error;
    size_t size = sk_hash_size(h->alg);
    if (cap < size)
        return h->error = SSHKIT_E_INVALID_ARGUMENT;
    unsigned int got = 0;
    if (EVP_DigestFinal_ex(h->ctx, out, &got) != 1 || got != size)
        return h->error = SSHKIT_E_CRYPTO;
    h->error = SSHKIT_E_STATE;   /* finalised: no more updates */
    return (int)size;
}

void sk_hash_free(sk_hash *h)
{
    EVP_MD_CTX_free(h->ctx);   /* wipes the digest state */
    h->ctx = NULL;
}
