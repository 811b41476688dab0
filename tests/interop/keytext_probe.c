/* sshkit-keytext-probe: prints what sshkit makes of a public key file in
 * ssh-keygen's output formats, and signs or verifies OpenSSH "SSHSIG"
 * signatures (PROTOCOL.sshsig), so that keys_text.sh can compare sshkit
 * with ssh-keygen byte for byte.
 *
 *   probe fp sha256|md5 FILE       as `ssh-keygen -l [-E md5] -f FILE`
 *   probe art sha256|md5 FILE      as `ssh-keygen -lv [-E md5] -f FILE`
 *   probe rfc4716 FILE             as `ssh-keygen -e -f FILE`
 *   probe line FILE                the key in OpenSSH's one-line form
 *   probe sshsig-verify PUB SIG DATA NAMESPACE
 *   probe sshsig-sign TYPE BITS DATA NAMESPACE PUB_OUT   (signature on stdout)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <sshkit.h>

static int fail(const char *what, int rc)
{
    fprintf(stderr, "keytext-probe: %s: %s\n", what, sshkit_strerror(rc));
    return 1;
}

static sshkit_fingerprint_hash hash_of(const char *name)
{
    return strcmp(name, "md5") == 0 ? SSHKIT_FP_MD5 : SSHKIT_FP_SHA256;
}

static int print_fp_line(const sshkit_key *key, sshkit_fingerprint_hash hash)
{
    char *fp;
    int rc = sshkit_key_fingerprint(key, hash, &fp);
    if (rc)
        return fail("fingerprint", rc);
    const char *comment = sshkit_key_comment(key);
    printf("%u %s %s (%s)\n", sshkit_key_bits(key), fp, *comment ? comment : "no comment",
           sshkit_key_short_name(key));
    sshkit_free(fp, 0);
    return 0;
}

static int print_art(const sshkit_key *key, sshkit_fingerprint_hash hash)
{
    char *art;
    if (print_fp_line(key, hash))
        return 1;
    int rc = sshkit_key_randomart(key, hash, &art);
    if (rc)
        return fail("randomart", rc);
    printf("%s\n", art);
    sshkit_free(art, 0);
    return 0;
}

static int print_text(const sshkit_key *key, bool rfc4716)
{
    char *text;
    int rc = rfc4716 ? sshkit_key_format_public_rfc4716(key, &text)
                     : sshkit_key_format_public(key, &text);
    if (rc)
        return fail("format", rc);
    printf(rfc4716 ? "%s" : "%s\n", text);
    sshkit_free(text, 0);
    return 0;
}

/* A small growing byte buffer for the SSHSIG structures. */
struct buf {
    unsigned char data[65536];
    size_t len;
};

static void put_raw(struct buf *b, const void *p, size_t n)
{
    if (n > sizeof b->data - b->len)
        abort();
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void put_string(struct buf *b, const void *p, size_t n)
{
    unsigned char len[4] = { (unsigned char)(n >> 24), (unsigned char)(n >> 16),
                             (unsigned char)(n >> 8), (unsigned char)n };
    put_raw(b, len, 4);
    put_raw(b, p, n);
}

static int read_file(const char *path, struct buf *b)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    b->len = fread(b->data, 1, sizeof b->data, f);
    fclose(f);
    return 0;
}

/* What an SSHSIG signature signs: the preamble, namespace, reserved,
 * hash name and the SHA-512 of the message. */
static int signed_data(const char *data_path, const char *ns, struct buf *out)
{
    static struct buf msg;
    unsigned char h[64];
    unsigned int h_len;
    if (read_file(data_path, &msg) || EVP_Digest(msg.data, msg.len, h, &h_len, EVP_sha512(), NULL) != 1)
        return -1;
    out->len = 0;
    put_raw(out, "SSHSIG", 6);
    put_string(out, ns, strlen(ns));
    put_string(out, "", 0);
    put_string(out, "sha512", 6);
    put_string(out, h, h_len);
    return 0;
}

static unsigned long get_u32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

/* Skips strings in an SSHSIG blob; returns the position of string number
 * index (0-based) after the 10-byte preamble, or NULL. */
static const unsigned char *sshsig_field(const unsigned char *p, size_t len, int index, size_t *field_len)
{
    size_t pos = 10;
    for (int i = 0; pos + 4 <= len; i++) {
        size_t n = get_u32(p + pos);
        if (n > len - pos - 4)
            return NULL;
        if (i == index) {
            *field_len = n;
            return p + pos + 4;
        }
        pos += 4 + n;
    }
    return NULL;
}

static int sshsig_verify(const char *pub_path, const char *sig_path, const char *data_path, const char *ns)
{
    static struct buf armored, blob, to_verify;
    sshkit_key *key;
    int rc = sshkit_key_load_public(pub_path, &key);
    if (rc)
        return fail(pub_path, rc);
    if (read_file(sig_path, &armored) || signed_data(data_path, ns, &to_verify))
        return fail("read", SSHKIT_E_IO);
    /* Keep only the base64 between the armour lines. */
    armored.data[armored.len < sizeof armored.data ? armored.len : sizeof armored.data - 1] = 0;
    char *start = strstr((char *)armored.data, "-----\n"), *end = strstr((char *)armored.data, "\n-----END");
    if (start == NULL || end == NULL)
        return fail("armour", SSHKIT_E_FORMAT);
    start += 6;
    char clean[65536];
    size_t n = 0;
    for (char *c = start; c < end; c++)
        if (*c != '\n')
            clean[n++] = *c;
    int decoded = EVP_DecodeBlock(blob.data, (unsigned char *)clean, (int)n);
    if (decoded < 10 || memcmp(blob.data, "SSHSIG", 6) != 0)
        return fail("sshsig blob", SSHKIT_E_FORMAT);
    size_t sig_len;
    const unsigned char *sig = sshsig_field(blob.data, (size_t)decoded, 4, &sig_len);
    if (sig == NULL)
        return fail("sshsig signature", SSHKIT_E_FORMAT);
    rc = sshkit_key_verify(key, NULL, sig, sig_len, to_verify.data, to_verify.len);
    sshkit_key_free(key);
    if (rc)
        return fail("verify", rc);
    printf("Good signature\n");
    return 0;
}

static int key_type_of(const char *name, sshkit_key_type *type)
{
    static const struct { const char *name; sshkit_key_type type; } types[] = {
        { "ed25519", SSHKIT_KEY_ED25519 }, { "ecdsa256", SSHKIT_KEY_ECDSA_P256 },
        { "ecdsa384", SSHKIT_KEY_ECDSA_P384 }, { "ecdsa521", SSHKIT_KEY_ECDSA_P521 },
        { "rsa", SSHKIT_KEY_RSA },
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(types[i].name, name) == 0) {
            *type = types[i].type;
            return 0;
        }
    return -1;
}

static int write_public(const sshkit_key *key, const char *path)
{
    char *line;
    FILE *f = fopen(path, "w");
    if (f == NULL || sshkit_key_format_public(key, &line)) {
        if (f)
            fclose(f);
        return -1;
    }
    fprintf(f, "%s\n", line);
    sshkit_free(line, 0);
    return fclose(f);
}

static int sshsig_sign(const char *type_name, const char *bits, const char *data_path, const char *ns,
                       const char *pub_out)
{
    static struct buf to_sign, blob;
    sshkit_key_type type;
    sshkit_key *key;
    uint8_t *sig, *pub;
    size_t sig_len, pub_len;
    if (key_type_of(type_name, &type))
        return fail(type_name, SSHKIT_E_INVALID_ARGUMENT);
    int rc = sshkit_key_generate(type, (unsigned)atoi(bits), &key);
    if (rc == 0)
        rc = sshkit_key_set_comment(key, "probe@sshkit");
    if (rc || write_public(key, pub_out) || signed_data(data_path, ns, &to_sign))
        return fail("setup", rc ? rc : SSHKIT_E_IO);
    if ((rc = sshkit_key_sign(key, NULL, to_sign.data, to_sign.len, &sig, &sig_len)) != 0 ||
        (rc = sshkit_key_public_blob(key, &pub, &pub_len)) != 0)
        return fail("sign", rc);
    put_raw(&blob, "SSHSIG\0\0\0\1", 10);
    put_string(&blob, pub, pub_len);
    put_string(&blob, ns, strlen(ns));
    put_string(&blob, "", 0);
    put_string(&blob, "sha512", 6);
    put_string(&blob, sig, sig_len);
    static unsigned char b64[90000];
    int n = EVP_EncodeBlock(b64, blob.data, (int)blob.len);
    printf("-----BEGIN SSH SIGNATURE-----\n");
    for (int i = 0; i < n; i += 70)
        printf("%.*s\n", n - i < 70 ? n - i : 70, b64 + i);
    printf("-----END SSH SIGNATURE-----\n");
    sshkit_free(sig, sig_len);
    sshkit_free(pub, pub_len);
    sshkit_key_free(key);
    return 0;
}

static int with_key(const char *path, int (*fn)(const sshkit_key *, int), int arg)
{
    sshkit_key *key;
    int rc = sshkit_key_load_public(path, &key);
    if (rc)
        return fail(path, rc);
    int status = fn(key, arg);
    sshkit_key_free(key);
    return status;
}

static int do_fp(const sshkit_key *key, int hash) { return print_fp_line(key, (sshkit_fingerprint_hash)hash); }
static int do_art(const sshkit_key *key, int hash) { return print_art(key, (sshkit_fingerprint_hash)hash); }
static int do_text(const sshkit_key *key, int rfc) { return print_text(key, rfc != 0); }

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "fp") == 0)
        return with_key(argv[3], do_fp, (int)hash_of(argv[2]));
    if (argc == 4 && strcmp(argv[1], "art") == 0)
        return with_key(argv[3], do_art, (int)hash_of(argv[2]));
    if (argc == 3 && strcmp(argv[1], "rfc4716") == 0)
        return with_key(argv[2], do_text, 1);
    if (argc == 3 && strcmp(argv[1], "line") == 0)
        return with_key(argv[2], do_text, 0);
    if (argc == 6 && strcmp(argv[1], "sshsig-verify") == 0)
        return sshsig_verify(argv[2], argv[3], argv[4], argv[5]);
    if (argc == 7 && strcmp(argv[1], "sshsig-sign") == 0)
        return sshsig_sign(argv[2], argv[3], argv[4], argv[5], argv[6]);
    fprintf(stderr, "usage: see the comment at the top of keytext_probe.c\n");
    return 2;
}
