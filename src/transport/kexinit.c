/* KEXINIT encoding and algorithm negotiation; see kexinit.h. */
#include "transport/kexinit.h"

#include <string.h>
#include <openssl/rand.h>
#include <sshkit/error.h>

#include "transport/messages.h"

int sk_kexinit_write(sk_buf *b, const char *const lists[SK_KEXINIT_LISTS], bool first_kex_follows)
{
    uint8_t cookie[16];
    if (RAND_bytes(cookie, sizeof cookie) != 1)
        return SSHKIT_E_CRYPTO;
    sk_write_u8(b, SK_MSG_KEXINIT);
    sk_write_raw(b, cookie, sizeof cookie);
    for (int i = 0; i < SK_KEXINIT_LISTS; i++)
        sk_write_cstring(b, lists[i] ? lists[i] : "");
    sk_write_bool(b, first_kex_follows);
    sk_write_u32(b, 0);
    return sk_buf_error(b);
}

int sk_kexinit_read(sk_bytes payload, sk_kexinit *out)
{
    sk_reader r;
    uint8_t type;
    sk_bytes cookie;
    uint32_t reserved;
    memset(out, 0, sizeof *out);
    sk_reader_init(&r, payload.ptr, payload.len);
    sk_read_u8(&r, &type);
    sk_read_raw(&r, sizeof out->cookie, &cookie);
    for (int i = 0; i < SK_KEXINIT_LISTS; i++)
        sk_read_namelist(&r, &out->lists[i]);
    sk_read_bool(&r, &out->first_kex_follows);
    sk_read_u32(&r, &reserved);
    if (sk_reader_error(&r))
        return sk_reader_error(&r);
    if (type != SK_MSG_KEXINIT)
        return SSHKIT_E_PROTOCOL;
    memcpy(out->cookie, cookie.ptr, sizeof out->cookie);
    return 0;   /* bytes after the reserved field are ignored, as OpenSSH does */
}

/* Names that mark a feature rather than name an algorithm. */
static bool is_pseudo(sk_bytes name)
{
    return sk_bytes_eq(name, SK_EXT_INFO_C) || sk_bytes_eq(name, SK_EXT_INFO_S) ||
           sk_bytes_eq(name, SK_KEX_STRICT_C) || sk_bytes_eq(name, SK_KEX_STRICT_S);
}

static bool list_has(sk_bytes list, sk_bytes name)
{
    size_t cursor = 0;
    sk_bytes item;
    while (sk_namelist_next(list, &cursor, &item))
        if (item.len == name.len && memcmp(item.ptr, name.ptr, name.len) == 0)
            return true;
    return false;
}

/* The first of the client's names that the server also lists. */
static bool choose(sk_bytes client, sk_bytes server, char out[SK_ALG_NAME_MAX])
{
    size_t cursor = 0;
    sk_bytes name;
    while (sk_namelist_next(client, &cursor, &name)) {
        if (name.len >= SK_ALG_NAME_MAX || is_pseudo(name) || !list_has(server, name))
            continue;
        memcpy(out, name.ptr, name.len);
        out[name.len] = '\0';
        return true;
    }
    return false;
}

/* The first real algorithm of a list, to judge a guessed kex packet. */
static sk_bytes first_name(sk_bytes list)
{
    size_t cursor = 0;
    sk_bytes name = { NULL, 0 };
    while (sk_namelist_next(list, &cursor, &name))
        if (!is_pseudo(name))
            return name;
    return (sk_bytes){ NULL, 0 };
}

static bool same_name(sk_bytes a, sk_bytes b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static int choose_or_fail(const sk_kexinit *c, const sk_kexinit *s, int list,
                          char out[SK_ALG_NAME_MAX], int *failed_list)
{
    if (choose(c->lists[list], s->lists[list], out))
        return 0;
    *failed_list = list;
    return SSHKIT_E_NO_COMMON_ALGORITHM;
}

int sk_kexinit_negotiate(const sk_kexinit *c, const sk_kexinit *s,
                         bool (*is_aead)(const char *cipher), sk_negotiated *out,
                         int *failed_list)
{
    memset(out, 0, sizeof *out);
    *failed_list = -1;
    int rc = choose_or_fail(c, s, SK_KEXINIT_KEX, out->kex, failed_list);
    if (rc == 0)
        rc = choose_or_fail(c, s, SK_KEXINIT_HOSTKEY, out->hostkey, failed_list);
    for (int dir = 0; dir < 2 && rc == 0; dir++) {
        rc = choose_or_fail(c, s, SK_KEXINIT_CIPHER_C2S + dir, out->cipher[dir], failed_list);
        if (rc == 0 && !is_aead(out->cipher[dir]))
            rc = choose_or_fail(c, s, SK_KEXINIT_MAC_C2S + dir, out->mac[dir], failed_list);
        if (rc == 0)
            rc = choose_or_fail(c, s, SK_KEXINIT_COMP_C2S + dir, out->comp[dir], failed_list);
    }
    if (rc)
        return rc;
    out->strict_kex = sk_namelist_contains(c->lists[SK_KEXINIT_KEX], SK_KEX_STRICT_C) &&
                      sk_namelist_contains(s->lists[SK_KEXINIT_KEX], SK_KEX_STRICT_S);
    out->client_ext_info = sk_namelist_contains(c->lists[SK_KEXINIT_KEX], SK_EXT_INFO_C);
    out->server_ext_info = sk_namelist_contains(s->lists[SK_KEXINIT_KEX], SK_EXT_INFO_S);
    /* RFC 4253 section 7: a guess is right only when both sides' first kex
     * and host key algorithms agree. */
    out->guess_wrong =
        !same_name(first_name(c->lists[SK_KEXINIT_KEX]), first_name(s->lists[SK_KEXINIT_KEX])) ||
        !same_name(first_name(c->lists[SK_KEXINIT_HOSTKEY]),
                   first_name(s->lists[SK_KEXINIT_HOSTKEY]));
    return 0;
}

const char *sk_kexinit_list_name(int list)
{
    switch (list) {
    case SK_KEXINIT_KEX: return "key exchange method";
    case SK_KEXINIT_HOSTKEY: return "host key type";
    case SK_KEXINIT_CIPHER_C2S:
    case SK_KEXINIT_CIPHER_S2C: return "cipher";
    case SK_KEXINIT_MAC_C2S:
    case SK_KEXINIT_MAC_S2C: return "MAC";
    case SK_KEXINIT_COMP_C2S:
    case SK_KEXINIT_COMP_S2C: return "compression method";
    default: return "algorithm";
    }
}
