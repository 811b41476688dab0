/* The inside of sshkit_knownhosts, and what its modules (parse, match,
 * hash, check, edit, io) share. */
#ifndef SSHKIT_HOSTKEYS_KNOWNHOSTS_INTERNAL_H
#define SSHKIT_HOSTKEYS_KNOWNHOSTS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sshkit/knownhosts.h>

/* One line, byte for byte, and what parsing found in it. Offsets are into
 * text; they are meaningful only for an entry. */
typedef struct {
    char *text;             /* the bytes without the '\n', NUL-terminated */
    size_t len;
    bool newline;           /* ended with '\n' (only the last line may not) */
    sshkit_kh_line_kind kind;
    sshkit_kh_marker marker;
    bool hashed;            /* the host field starts with '|' (and its salt decodes) */
    size_t hosts_off, hosts_len;
    size_t rawkey_off;      /* "keytype base64 [comment]" starts here */
    uint8_t *blob;          /* the decoded key blob when its type is one sshkit reads */
    size_t blob_len;
    sshkit_key_type key_type;  /* valid when blob != NULL */
} sk_kh_line;

struct sshkit_knownhosts {
    sk_kh_line *lines;
    size_t count, cap;
};

/* Hashed host names: "|1|" base64(20-byte salt) "|" base64(HMAC-SHA1). */
#define SK_KH_HASH_MAGIC "|1|"
#define SK_KH_SALT_LEN 20

/* ---- knownhosts_parse.c ---- */

/* Fills in line->kind and the parsed fields from line->text/len; frees any
 * earlier parse. Returns 0 or SSHKIT_E_NOMEM (the line is then INVALID). */
int sk_kh_parse_line(sk_kh_line *line);

/* Frees what a line owns and zeroes it. */
void sk_kh_line_clear(sk_kh_line *line);

/* Makes a line from bytes (copied) and parses it. */
int sk_kh_line_init(sk_kh_line *line, const char *text, size_t len, bool newline);

/* ---- knownhosts_match.c ---- */

/* Builds the name OpenSSH looks up: the host lowercased, as "[host]:port"
 * when port is neither 0 nor 22. SSHKIT_E_INVALID_ARGUMENT for a host that
 * is empty, too long, or holds a blank, comma or control character. */
#define SK_KH_NAME_MAX (SSHKIT_KNOWNHOSTS_MAX_HOST + 16)
int sk_kh_lookup_name(const char *host, unsigned port, char name[SK_KH_NAME_MAX]);

/* A glob ('*' any run, '?' one byte) against a string, both given with
 * lengths; the pattern is compared lowercased. */
bool sk_kh_glob(const char *s, size_t slen, const char *pat, size_t plen);

/* OpenSSH's match_pattern_list on a lowercased name: 1 positive match,
 * -1 a negated pattern matched (a veto), 0 no match. */
int sk_kh_match_list(const char *name, const char *list, size_t list_len);

/* Whether an entry's host field names the lookup name (hashed or plain,
 * with no veto). 0/1, or a negative error from hashing. */
int sk_kh_line_matches(const sk_kh_line *line, const char *name);

/* ---- knownhosts_hash.c ---- */

/* Whether a "|1|salt|hash" field is well formed (salt decodes to 20 bytes). */
bool sk_kh_hashed_field_ok(const char *field, size_t len);

/* 1 when the hashed field is the hash of name, 0 when not; negative error. */
int sk_kh_hashed_match(const char *field, size_t len, const char *name);

/* "|1|salt|hash" for name with a fresh random salt, NUL-terminated, malloc'd. */
int sk_kh_hash_name(const char *name, char **out);

/* ---- knownhosts.c ---- */

/* Appends a line (taking ownership of its contents). SSHKIT_E_TOO_LARGE
 * over the line limit, SSHKIT_E_NOMEM. */
int sk_kh_append(sshkit_knownhosts *kh, sk_kh_line *line);

/* Fills an entry view of line index i. */
void sk_kh_entry_of(const sshkit_knownhosts *kh, size_t i, sshkit_kh_entry *entry);

#endif
