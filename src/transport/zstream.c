/* zlib streams for packet payloads; see zstream.h. */
#include "transport/zstream.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <openssl/crypto.h>
#include <sshkit/error.h>

struct sk_zstream {
    z_stream zs;
    bool deflating;
    bool failed;            /* zlib's state is no longer usable */
    uint8_t *buf;           /* the last output */
    size_t cap;
};

/* zlib's own allocations hold plaintext too: each remembers its size in
 * a header so that it can be wiped when zlib frees it. */
#define ALLOC_HEADER (sizeof(max_align_t) > sizeof(size_t) ? sizeof(max_align_t) : sizeof(size_t))

static voidpf wiping_alloc(voidpf opaque, uInt items, uInt size)
{
    (void)opaque;
    size_t n = (size_t)items * size;    /* both are 32-bit: no overflow in size_t */
    unsigned char *p = malloc(ALLOC_HEADER + n);
    if (p == NULL)
        return Z_NULL;
    memcpy(p, &n, sizeof n);
    return p + ALLOC_HEADER;
}

static void wiping_free(voidpf opaque, voidpf address)
{
    (void)opaque;
    if (address == Z_NULL)
        return;
    unsigned char *p = (unsigned char *)address - ALLOC_HEADER;
    size_t n;
    memcpy(&n, p, sizeof n);
    OPENSSL_cleanse(p, ALLOC_HEADER + n);
    free(p);
}

bool sk_comp_method_find(const char *name, sk_comp_method *out)
{
    static const struct { const char *name; sk_comp_method method; } methods[] = {
        { "none", SK_COMP_NONE },
        { "zlib", SK_COMP_ZLIB },
        { "zlib@openssh.com", SK_COMP_ZLIB_DELAYED },
    };
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        if (strcmp(name, methods[i].name) == 0) {
            if (out)
                *out = methods[i].method;
            return true;
        }
    }
    return false;
}

int sk_zstream_new(bool deflating, sk_zstream **out)
{
    *out = NULL;
    sk_zstream *z = calloc(1, sizeof *z);
    if (z == NULL)
        return SSHKIT_E_NOMEM;
    z->deflating = deflating;
    z->zs.zalloc = wiping_alloc;
    z->zs.zfree = wiping_free;
    int ret = deflating ? deflateInit(&z->zs, SK_ZSTREAM_LEVEL) : inflateInit(&z->zs);
    if (ret != Z_OK) {
        free(z);
        return SSHKIT_E_NOMEM;
    }
    *out = z;
    return 0;
}

void sk_zstream_free(sk_zstream *z)
{
    if (z == NULL)
        return;
    if (z->deflating)
        deflateEnd(&z->zs);
    else
        inflateEnd(&z->zs);
    if (z->buf)
        OPENSSL_cleanse(z->buf, z->cap);
    free(z->buf);
    OPENSSL_cleanse(z, sizeof *z);
    free(z);
}

/* Makes the output buffer want bytes long, keeping its first used bytes. */
static int grow(sk_zstream *z, size_t want, size_t used)
{
    uint8_t *bigger = malloc(want);
    if (bigger == NULL)
        return SSHKIT_E_NOMEM;
    if (z->buf) {
        memcpy(bigger, z->buf, used);
        OPENSSL_cleanse(z->buf, z->cap);
        free(z->buf);
    }
    z->buf = bigger;
    z->cap = want;
    return 0;
}

int sk_zstream_deflate(sk_zstream *z, const uint8_t *in, size_t len, sk_bytes *out)
{
    out->ptr = NULL;
    out->len = 0;
    if (z->failed || !z->deflating || len > UINT32_MAX / 2)
        return SSHKIT_E_STATE;
    size_t want = len + len / 16 + 64;      /* room for data that does not shrink */
    if (z->cap < want && grow(z, want, 0) != 0)
        return SSHKIT_E_NOMEM;
    z->zs.next_in = (Bytef *)(uintptr_t)in;     /* zlib does not write through it */
    z->zs.avail_in = (uInt)len;
    size_t used = 0;
    for (;;) {
        if (used == z->cap && grow(z, z->cap * 2, used) != 0) {
            z->failed = true;       /* a flush left halfway */
            return SSHKIT_E_NOMEM;
        }
        z->zs.next_out = z->buf + used;
        z->zs.avail_out = (uInt)(z->cap - used);
        int ret = deflate(&z->zs, Z_PARTIAL_FLUSH);
        used = z->cap - z->zs.avail_out;
        if (ret != Z_OK && ret != Z_BUF_ERROR) {
            z->failed = true;
            return SSHKIT_E_STATE;
        }
        if (z->zs.avail_out != 0)
            break;      /* the flush is complete */
    }
    out->ptr = z->buf;
    out->len = used;
    return 0;
}

/* What an inflate() result means for the packet. */
static int inflate_error(int ret)
{
    switch (ret) {
    case Z_OK:
    case Z_BUF_ERROR:       /* no progress possible: the input is used up */
        return 0;
    case Z_MEM_ERROR:
        return SSHKIT_E_NOMEM;
    default:                /* Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_END (a peer's stream never ends) */
        return SSHKIT_E_FORMAT;
    }
}

int sk_zstream_inflate(sk_zstream *z, const uint8_t *in, size_t len, size_t max, sk_bytes *out)
{
    out->ptr = NULL;
    out->len = 0;
    if (z->failed || z->deflating || len > UINT32_MAX || max >= UINT32_MAX)
        return SSHKIT_E_STATE;
    /* One byte over max shows a payload that is too large. */
    size_t limit = max + 1, start = 4 * len > 65536 ? 4 * len : 65536;
    if (z->cap == 0 && grow(z, start < limit ? start : limit, 0) != 0)
        return SSHKIT_E_NOMEM;
    z->zs.next_in = (Bytef *)(uintptr_t)in;
    z->zs.avail_in = (uInt)len;
    size_t used = 0;
    int rc = 0;
    for (;;) {
        if (used == z->cap &&
            (rc = grow(z, z->cap * 2 < limit ? z->cap * 2 : limit, used)) != 0)
            break;
        size_t room = (z->cap < limit ? z->cap : limit) - used;
        z->zs.next_out = z->buf + used;
        z->zs.avail_out = (uInt)room;
        rc = inflate_error(inflate(&z->zs, Z_SYNC_FLUSH));
        used += room - z->zs.avail_out;
        if (rc == 0 && used > max)
            rc = SSHKIT_E_TOO_LARGE;
        if (rc != 0 || z->zs.avail_out != 0)
            break;      /* an error, or all the input is out */
    }
    if (rc == 0 && z->zs.avail_in != 0)
        rc = SSHKIT_E_FORMAT;
    if (rc != 0) {
        z->failed = true;
        return rc;
    }
    out->ptr = z->buf;
    out->len = used;
    return 0;
}
