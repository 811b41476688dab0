/* The "randomart" picture of a fingerprint, drawn as OpenSSH's ssh-keygen
 * draws it: the "drunken bishop" walk of Loss, Limperg, Oberman, Raykova
 * and Ronge ("The drunken bishop: an analysis of the OpenSSH fingerprint
 * visualization algorithm"). A bishop starts in the middle of a 17x9 field;
 * each 2-bit group of the digest, low bits first, moves it one diagonal
 * step (bit 0: right or left, bit 1: down or up), sliding along the walls.
 * Each square shows how often it was visited. */
#include "keys/key_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

#define FIELD_W 17
#define FIELD_H 9

/* Visit counts 0..14 map to these; the last two mark start and end. */
static const char symbols[] = " .o+=*BOX@%&#/^SE";
#define SYM_START (sizeof symbols - 3)
#define SYM_END (sizeof symbols - 2)

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static void walk(const uint8_t *digest, size_t len, uint8_t field[FIELD_H][FIELD_W])
{
    int x = FIELD_W / 2, y = FIELD_H / 2;
    memset(field, 0, FIELD_H * FIELD_W);
    for (size_t i = 0; i < len; i++) {
        unsigned bits = digest[i];
        for (int step = 0; step < 4; step++, bits >>= 2) {
            x = clamp(x + (bits & 1 ? 1 : -1), 0, FIELD_W - 1);
            y = clamp(y + (bits & 2 ? 1 : -1), 0, FIELD_H - 1);
            if (field[y][x] < SYM_START - 1)
                field[y][x]++;
        }
    }
    field[FIELD_H / 2][FIELD_W / 2] = SYM_START;
    field[y][x] = SYM_END;
}

/* "+" then label centred in dashes (the extra dash goes right) then "+". */
static char *border(char *p, const char *label)
{
    size_t len = strlen(label);
    size_t left = (FIELD_W - len) / 2;
    *p++ = '+';
    memset(p, '-', FIELD_W);
    memcpy(p + left, label, len);
    p += FIELD_W;
    *p++ = '+';
    return p;
}

/* Keeps at most FIELD_W - 1 characters of a label: ssh-keygen formats
 * labels into a FIELD_W-byte buffer, NUL included. */
static void fit_label(char label[FIELD_W], const char *wide)
{
    size_t len = strlen(wide);
    if (len > FIELD_W - 1)
        len = FIELD_W - 1;
    memcpy(label, wide, len);
    label[len] = '\0';
}

/* "[TYPE BITS]", or "[TYPE]" when that is too wide, as ssh-keygen titles it. */
static void title_of(const sshkit_key *key, char title[FIELD_W])
{
    char wide[64];
    snprintf(wide, sizeof wide, "[%s %u]", sshkit_key_short_name(key), sshkit_key_bits(key));
    if (strlen(wide) > FIELD_W)
        snprintf(wide, sizeof wide, "[%s]", sshkit_key_short_name(key));
    fit_label(title, wide);
}

int sshkit_key_randomart(const sshkit_key *key, sshkit_fingerprint_hash hash, char **text)
{
    if (text == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *text = NULL;
    uint8_t digest[SK_FP_DIGEST_MAX];
    size_t len;
    const char *name;
    int rc = sk_key_fingerprint_digest(key, hash, digest, &len, &name);
    if (rc)
        return rc;
    uint8_t field[FIELD_H][FIELD_W];
    walk(digest, len, field);

    char title[FIELD_W], footer[FIELD_W], wide[32];
    title_of(key, title);
    snprintf(wide, sizeof wide, "[%s]", name);
    fit_label(footer, wide);
    char *out = malloc((FIELD_W + 3) * (FIELD_H + 2));
    if (out == NULL)
        return SSHKIT_E_NOMEM;
    char *p = border(out, title);
    for (int y = 0; y < FIELD_H; y++) {
        *p++ = '\n';
        *p++ = '|';
        for (int x = 0; x < FIELD_W; x++)
            *p++ = symbols[field[y][x]];
        *p++ = '|';
    }
    *p++ = '\n';
    p = border(p, footer);
    *p = '\0';
    *text = out;
    return 0;
}
