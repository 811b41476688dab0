/* Reading OpenSSH's private key format (PROTOCOL.key):
 *   "openssh-key-v1\0", string ciphername, string kdfname, string kdfoptions,
 *   uint32 nkeys (1), string public key blob, string encrypted section,
 *   then an AEAD cipher's tag.
 * The section, once decrypted: uint32 checkint twice, the private key
 * fields, string comment, padding 1, 2, 3... to the cipher's block size. */
#include "keys/keyfile_internal.h"
#include "keys/keyfile_cipher.h"
#include "keys/key_internal.h"
#include "crypto/bcrypt_pbkdf.h"
#include "common/base64.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <sshkit/error.h>

#define MAGIC "openssh-key-v1"     /* sizeof MAGIC counts its NUL, as the file does */
#define MAX_COMMENT 4096

struct header {
    const struct sk_keyfile_cipher *cipher;
    sk_bytes salt;
    uint32_t rounds;
    sk_bytes pub, section, tag;
};

static int read_kdf(sk_bytes kdf, sk_bytes options, struct header *h)
{
    bool plain = sk_bytes_eq(kdf, "none");
    if (!plain && !sk_bytes_eq(kdf, "bcrypt"))
        return SSHKIT_E_UNKNOWN_CIPHER;
    if (plain != (h->cipher->key_len == 0))
        return SSHKIT_E_FORMAT;     /* a cipher without a KDF, or the reverse */
    if (plain)
        return options.len == 0 ? 0 : SSHKIT_E_FORMAT;
    sk_reader r;
    sk_reader_init(&r, options.ptr, options.len);
    sk_read_string(&r, &h->salt);
    sk_read_u32(&r, &h->rounds);
    int rc = sk_reader_finish(&r);
    if (rc)
        return rc == SSHKIT_E_TRUNCATED ? SSHKIT_E_FORMAT : rc;
    if (h->salt.len == 0 || h->salt.len > SK_BCRYPT_PBKDF_MAX_SALT || h->rounds == 0)
        return SSHKIT_E_FORMAT;
    return h->rounds > SK_OPENSSH_MAX_ROUNDS ? SSHKIT_E_TOO_LARGE : 0;
}

static int read_header(const uint8_t *bin, size_t len, struct header *h)
{
    sk_reader r;
    sk_bytes magic, cipher, kdf, options;
    uint32_t nkeys;
    sk_reader_init(&r, bin, len);
    if (sk_read_raw(&r, sizeof MAGIC, &magic) == 0 && memcmp(magic.ptr, MAGIC, sizeof MAGIC))
        return SSHKIT_E_FORMAT;
    sk_read_string(&r, &cipher);
    sk_read_string(&r, &kdf);
    sk_read_string(&r, &options);
    sk_read_u32(&r, &nkeys);
    sk_read_string(&r, &h->pub);
    if (sk_read_string(&r, &h->section))
        return r.error;
    if ((h->cipher = sk_keyfile_cipher_find(cipher.ptr, cipher.len)) == NULL)
        return SSHKIT_E_UNKNOWN_CIPHER;
    int rc = read_kdf(kdf, options, h);
    if (rc)
        return rc;
    if (nkeys != 1)
        return SSHKIT_E_FORMAT;    /* OpenSSH writes and reads one key per file */
    if (sk_read_raw(&r, h->cipher->tag_len, &h->tag) || sk_reader_finish(&r))
        return r.error ? r.error : SSHKIT_E_FORMAT;
    if (h->section.len < h->cipher->block_size || h->section.len % h->cipher->block_size)
        return SSHKIT_E_FORMAT;
    return 0;
}

/* Decrypts the section into plain (h->section.len bytes). */
static int decrypt_section(const struct header *h, const char *passphrase, uint8_t *plain)
{
    const struct sk_keyfile_cipher *c = h->cipher;
    if (c->key_len == 0)
        return sk_keyfile_crypt(c, NULL, false, h->section.ptr, h->section.len, plain, NULL);
    if (passphrase == NULL || *passphrase == '\0')
        return SSHKIT_E_PASSPHRASE_REQUIRED;
    uint8_t key_iv[SK_KEYFILE_MAX_KEY_IV], tag[SK_KEYFILE_MAX_TAG];
    memcpy(tag, h->tag.ptr, h->tag.len);
    int rc = sk_bcrypt_pbkdf((const uint8_t *)passphrase, strlen(passphrase), h->salt.ptr,
                             h->salt.len, h->rounds, key_iv, c->key_len + c->iv_len);
    if (rc == 0)
        rc = sk_keyfile_crypt(c, key_iv, false, h->section.ptr, h->section.len, plain, tag);
    OPENSSL_cleanse(key_iv, sizeof key_iv);
    return rc == SSHKIT_E_MAC ? SSHKIT_E_WRONG_PASSPHRASE : rc;
}

static int check_padding(sk_reader *r, size_t block_size)
{
    size_t n = sk_reader_remaining(r);
    if (n >= block_size)
        return SSHKIT_E_FORMAT;
    for (size_t i = 0; i < n; i++)
        if (r->data[r->pos + i] != (uint8_t)(i + 1))
            return SSHKIT_E_FORMAT;
    return 0;
}

static int read_comment(sk_reader *r, sshkit_key *key)
{
    sk_bytes comment;
    char buf[MAX_COMMENT + 1];
    if (sk_read_string(r, &comment))
        return r->error;
    if (comment.len > MAX_COMMENT || memchr(comment.ptr, 0, comment.len))
        return SSHKIT_E_FORMAT;
    memcpy(buf, comment.ptr, comment.len);
    buf[comment.len] = '\0';
    return sshkit_key_set_comment(key, buf);
}

/* The decrypted section: checkints, key, comment, padding. */
static int read_section(const uint8_t *plain, const struct header *h, sshkit_key **out)
{
    sk_reader r;
    uint32_t check1, check2;
    sk_reader_init(&r, plain, h->section.len);
    sk_read_u32(&r, &check1);
    if (sk_read_u32(&r, &check2))
        return r.error;
    if (check1 != check2)
        return h->cipher->key_len ? SSHKIT_E_WRONG_PASSPHRASE : SSHKIT_E_FORMAT;
    int rc = sk_key_read_private(&r, out);
    if (rc == 0)
        rc = read_comment(&r, *out);
    if (rc == 0)
        rc = check_padding(&r, h->cipher->block_size);
    if (rc) {
        sshkit_key_free(*out);
        *out = NULL;
    }
    return rc;
}

static int read_public(sk_bytes blob, sshkit_key **pub)
{
    sk_reader r;
    sk_reader_init(&r, blob.ptr, blob.len);
    int rc = sk_key_read_public(&r, pub);
    if (rc == 0 && (rc = sk_reader_finish(&r)) != 0) {
        sshkit_key_free(*pub);
        *pub = NULL;
    }
    return rc;
}

int sk_keyfile_openssh_decode(const uint8_t *bin, size_t len, const char *passphrase,
                              sshkit_key **out)
{
    struct header h;
    sshkit_key *pub = NULL;
    *out = NULL;
    int rc = read_header(bin, len, &h);
    if (rc == 0)
        rc = read_public(h.pub, &pub);
    if (rc)
        return rc;
    uint8_t *plain = malloc(h.section.len);
    rc = plain ? decrypt_section(&h, passphrase, plain) : SSHKIT_E_NOMEM;
    if (rc == 0)
        rc = read_section(plain, &h, out);
    if (rc == 0 && !sshkit_key_equal(pub, *out)) {
        sshkit_key_free(*out);
        *out = NULL;
        rc = SSHKIT_E_KEY_MISMATCH;
    }
    if (plain)
        OPENSSL_cleanse(plain, h.section.len);
    free(plain);
    sshkit_key_free(pub);
    return rc;
}

/* The base64 body between the markers; SSHKIT_E_TRUNCATED when the end
 * marker is missing (a file cut short). */
static int dearmor(const char *text, size_t len, uint8_t **bin, size_t *bin_len)
{
    const size_t begin_len = strlen(SK_OPENSSH_ARMOR_BEGIN), end_len = strlen(SK_OPENSSH_ARMOR_END);
    size_t start = 0;
    while (start < len && (text[start] == ' ' || text[start] == '\t' || text[start] == '\r' ||
                           text[start] == '\n'))
        start++;
    if (len - start < begin_len || memcmp(text + start, SK_OPENSSH_ARMOR_BEGIN, begin_len))
        return SSHKIT_E_FORMAT;
    start += begin_len;
    for (size_t i = start; i + end_len <= len; i++)
        if (text[i] == '-' && memcmp(text + i, SK_OPENSSH_ARMOR_END, end_len) == 0)
            return sk_base64_decode(text + start, i - start, bin, bin_len);
    return SSHKIT_E_TRUNCATED;
}

int sk_keyfile_openssh_parse(const char *text, size_t len, const char *passphrase,
                             sshkit_key **out)
{
    uint8_t *bin;
    size_t bin_len;
    *out = NULL;
    int rc = dearmor(text, len, &bin, &bin_len);
    if (rc)
        return rc;
    rc = sk_keyfile_openssh_decode(bin, bin_len, passphrase, out);
    OPENSSL_cleanse(bin, bin_len);
    free(bin);
    return rc;
}
