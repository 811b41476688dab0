/* SSH_MSG_KEXINIT: writing ours, reading the peer's, and choosing the
 * algorithms both sides will use (RFC 4253 section 7.1), with OpenSSH's
 * pseudo-algorithms for ext-info (RFC 8308) and strict kex (the Terrapin
 * countermeasure, OpenSSH PROTOCOL section 1.10). */
#ifndef SSHKIT_TRANSPORT_KEXINIT_H
#define SSHKIT_TRANSPORT_KEXINIT_H

#include <stdbool.h>
#include "wire/reader.h"
#include "wire/writer.h"

/* The ten name-lists of a KEXINIT, in wire order. */
enum {
    SK_KEXINIT_KEX,
    SK_KEXINIT_HOSTKEY,
    SK_KEXINIT_CIPHER_C2S,
    SK_KEXINIT_CIPHER_S2C,
    SK_KEXINIT_MAC_C2S,
    SK_KEXINIT_MAC_S2C,
    SK_KEXINIT_COMP_C2S,
    SK_KEXINIT_COMP_S2C,
    SK_KEXINIT_LANG_C2S,
    SK_KEXINIT_LANG_S2C,
    SK_KEXINIT_LISTS
};

#define SK_EXT_INFO_C "ext-info-c"
#define SK_EXT_INFO_S "ext-info-s"
#define SK_KEX_STRICT_C "kex-strict-c-v00@openssh.com"
#define SK_KEX_STRICT_S "kex-strict-s-v00@openssh.com"

/* A KEXINIT's contents after the message type. The lists are views into
 * the payload they were read from (or C strings' bytes for ours). */
typedef struct {
    uint8_t cookie[16];
    sk_bytes lists[SK_KEXINIT_LISTS];
    bool first_kex_follows;
} sk_kexinit;

/* Writes a KEXINIT payload (the message type included) with a fresh random
 * cookie. lists[i] may be NULL for an empty list. */
int sk_kexinit_write(sk_buf *b, const char *const lists[SK_KEXINIT_LISTS], bool first_kex_follows);

/* Reads a KEXINIT payload (the message type included). Every name-list is
 * validated; the reserved uint32 is ignored as RFC 4253 says. */
int sk_kexinit_read(sk_bytes payload, sk_kexinit *out);

/* Longest algorithm name kept (names are short; this only bounds copies). */
#define SK_ALG_NAME_MAX 64

/* What negotiation chose. Index [0] is client to server, [1] server to client. */
typedef struct {
    char kex[SK_ALG_NAME_MAX];
    char hostkey[SK_ALG_NAME_MAX];
    char cipher[2][SK_ALG_NAME_MAX];
    char mac[2][SK_ALG_NAME_MAX];   /* "" when the cipher is an AEAD */
    char comp[2][SK_ALG_NAME_MAX];
    bool strict_kex;                /* both sides offered strict kex */
    bool client_ext_info;           /* client offered ext-info-c */
    bool server_ext_info;           /* server offered ext-info-s */
    bool guess_wrong;               /* a first_kex_packet_follows guess must be ignored */
} sk_negotiated;

/* Runs the negotiation of RFC 4253 section 7.1: for each list, the first
 * name in the client's list that the server's also has. is_aead(name)
 * tells which ciphers need no MAC. On failure returns
 * SSHKIT_E_NO_COMMON_ALGORITHM and sets *failed_list to the list's index. */
int sk_kexinit_negotiate(const sk_kexinit *client, const sk_kexinit *server,
                         bool (*is_aead)(const char *cipher), sk_negotiated *out,
                         int *failed_list);

/* A name for a list index, as OpenSSH words it in errors: "kex",
 * "host key", "cipher", "MAC", "compression". */
const char *sk_kexinit_list_name(int list);

#endif
