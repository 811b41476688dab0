/* Writing OpenSSH's private key format, laid out as ssh-keygen lays it out
 * (see keyfile_openssh.c for the layout): a 16-byte salt, the section
 * padded to the cipher's block size (8 when not encrypted), the comment
 * kept, base64 in 70-column lines. */
#include "keys/keyfile_internal.h"
#include "keys/keyfile_cipher.h"
#include "keys/key_internal.h"
#include "crypto/bcrypt_pbkdf.h"
#include "common/base64.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sshkit/error.h>

#define MAGIC "openssh-key-v1"
#define SALT_LEN 16
#define LINE_LEN 70

/* checkint twice, the private fields, the comment, then 1, 2, 3... */
static int write_section(sk_buf *b, const sshkit_key *key, size_t block_size)
{
    uint32_t check;
    if (RAND_bytes((unsigned char *)&check, sizeof check) != 1)
        return SSHKIT_E_CRYPTO;
    sk_write_u32(b, check);
    sk_write_u32(b, check);
    int rc = sk_key_write_private(b, key);
    if (rc)
        return rc;
    sk_write_cstring(b, sshkit_key_comment(key));
    for (uint8_t pad = 1; b->len % block_size != 0; pad++)
        sk_write_u8(b, pad);
    return sk_buf_error(b);
}

static void write_header(sk_buf *b, const sshkit_key *key, const struct sk_keyfile_cipher *c,
                         const uint8_t *salt, unsigned rounds)
{
    sk_write_raw(b, MAGIC, sizeof MAGIC);
    sk_write_cstring(b, c->name);
    sk_write_cstring(b, c->key_len ? "bcrypt" : "none");
    size_t options = sk_write_string_begin(b);
    if (c->key_len) {
        sk_write_string(b, salt, SALT_LEN);
        sk_write_u32(b, rounds);
    }
    sk_write_string_end(b, options);
    sk_write_u32(b, 1);
    size_t pub = sk_write_string_begin(b);
    sk_key_write_public(b, key);
    sk_write_string_end(b, pub);
}

/* Appends string(encrypted section) and the tag to out. */
static int append_encrypted(sk_buf *out, const sk_buf *section, const struct sk_keyfile_cipher *c,
                            const char *passphrase, const uint8_t *salt, unsigned rounds)
{
    uint8_t key_iv[SK_KEYFILE_MAX_KEY_IV];
    int rc = 0;
    if (c->key_len)
        rc = sk_bcrypt_pbkdf((const uint8_t *)passphrase, strlen(passphrase), salt, SALT_LEN,
                             rounds, key_iv, c->key_len + c->iv_len);
    sk_write_u32(out, (uint32_t)section->len);
    uint8_t *dst = rc ? NULL : sk_buf_reserve(out, section->len + c->tag_len);
    if (rc == 0 && dst == NULL)
        rc = sk_buf_error(out);
    if (rc == 0)
        rc = sk_keyfile_crypt(c, key_iv, true, section->data, section->len, dst,
                              dst + section->len);
    if (rc == 0)
        sk_buf_advance(out, section->len + c->tag_len);
    OPENSSL_cleanse(key_iv, sizeof key_iv);
    return rc;
}

static int encode_binary(sk_buf *out, const sshkit_key *key, const struct sk_keyfile_cipher *c,
                         const char *passphrase, unsigned rounds)
{
    uint8_t salt[SALT_LEN] = { 0 };
    if (c->key_len && RAND_bytes(salt, sizeof salt) != 1)
        return SSHKIT_E_CRYPTO;
    sk_buf section;
    sk_buf_init_secret(&section);
    int rc = write_section(&section, key, c->block_size);
    if (rc == 0) {
        write_header(out, key, c, salt, rounds);
        rc = sk_buf_error(out);
    }
    if (rc == 0)
        rc = append_encrypted(out, &section, c, passphrase, salt, rounds);
    sk_buf_free(&section);
    return rc;
}

int sk_keyfile_openssh_encode(const sshkit_key *key, const char *cipher, const char *passphrase,
                              unsigned rounds, char **text, size_t *len)
{
    *text = NULL;
    *len = 0;
    if (!sshkit_key_is_private(key))
        return SSHKIT_E_STATE;
    bool encrypt = passphrase && *passphrase;
    const struct sk_keyfile_cipher *c =
        sk_keyfile_cipher_find((const uint8_t *)cipher, strlen(cipher));
    if (c == NULL)
        return SSHKIT_E_UNKNOWN_CIPHER;
    if (!encrypt)
        c = sk_keyfile_cipher_find((const uint8_t *)"none", 4);
    else if (c->key_len == 0)
        return SSHKIT_E_INVALID_ARGUMENT;
    if (rounds == 0)
        rounds = SK_OPENSSH_DEFAULT_ROUNDS;
    if (rounds > SK_OPENSSH_MAX_ROUNDS)
        return SSHKIT_E_INVALID_ARGUMENT;
    sk_buf bin;
    sk_buf_init_secret(&bin);
    int rc = encode_binary(&bin, key, c, passphrase, rounds);
    if (rc == 0)
        rc = sk_keyfile_openssh_armor(bin.data, bin.len, text, len);
    sk_buf_free(&bin);
    return rc;
}

int sk_keyfile_openssh_armor(const uint8_t *bin, size_t len, char **text, size_t *text_len)
{
    *text = NULL;
    *text_len = 0;
    char *b64 = sk_base64_encode(bin, len);
    if (b64 == NULL)
        return SSHKIT_E_NOMEM;
    size_t b64_len = strlen(b64);
    sk_buf out;
    sk_buf_init_secret(&out);
    sk_write_raw(&out, SK_OPENSSH_ARMOR_BEGIN "\n", strlen(SK_OPENSSH_ARMOR_BEGIN) + 1);
    for (size_t i = 0; i < b64_len; i += LINE_LEN) {
        size_t n = b64_len - i < LINE_LEN ? b64_len - i : LINE_LEN;
        sk_write_raw(&out, b64 + i, n);
        sk_write_u8(&out, '\n');
    }
    sk_write_raw(&out, SK_OPENSSH_ARMOR_END "\n", strlen(SK_OPENSSH_ARMOR_END) + 1);
    sk_write_u8(&out, '\0');
    sshkit_free(b64, b64_len);
    int rc = sk_buf_error(&out);
    if (rc == 0) {
        *text = (char *)sk_buf_steal(&out, text_len);
        (*text_len)--;
    }
    sk_buf_free(&out);
    return rc;
}
