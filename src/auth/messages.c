/* Builders and parsers of the userauth messages; see auth_internal.h. */
#include "auth/auth_internal.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <sshkit/error.h>

#include "transport/messages.h"

/* Reads the message type and checks it. */
static void read_type(sk_reader *r, sk_bytes payload, uint8_t want)
{
    uint8_t type;
    sk_reader_init(r, payload.ptr, payload.len);
    if (sk_read_u8(r, &type) == 0 && type != want)
        sk_reader_fail(r, SSHKIT_E_PROTOCOL);
}

int sk_auth_read_text(sk_reader *r, size_t max, sk_bytes *out)
{
    if (sk_read_string(r, out) != 0)
        return sk_reader_error(r);
    if (out->len > max)
        return sk_reader_fail(r, SSHKIT_E_TOO_LARGE);
    if (out->len && memchr(out->ptr, '\0', out->len))
        return sk_reader_fail(r, SSHKIT_E_FORMAT);
    return 0;
}

char *sk_auth_strdup_bytes(sk_bytes b)
{
    char *p = malloc(b.len + 1);
    if (!p)
        return NULL;
    if (b.len)
        memcpy(p, b.ptr, b.len);
    p[b.len] = '\0';
    return p;
}

/* ---- USERAUTH_REQUEST ---- */

int sk_auth_read_head(sk_reader *r, sk_bytes payload, sk_auth_head *h)
{
    memset(h, 0, sizeof *h);
    read_type(r, payload, SK_MSG_USERAUTH_REQUEST);
    sk_auth_read_text(r, SK_AUTH_USER_MAX, &h->user);
    sk_auth_read_text(r, SK_AUTH_NAME_MAX, &h->service);
    sk_auth_read_text(r, SK_AUTH_NAME_MAX, &h->method);
    return sk_reader_error(r);
}

void sk_auth_write_head(sk_buf *b, const char *user, const char *method)
{
    sk_write_cstring(b, user);
    sk_write_cstring(b, SK_SERVICE_CONNECTION);
    sk_write_cstring(b, method);
}

int sk_auth_read_none(sk_reader *r)
{
    return sk_reader_finish(r);
}

int sk_auth_read_password(sk_reader *r, sk_auth_password_req *p)
{
    memset(p, 0, sizeof *p);
    sk_read_bool(r, &p->change);
    sk_auth_read_text(r, SK_AUTH_PASSWORD_MAX, &p->password);
    if (p->change)
        sk_auth_read_text(r, SK_AUTH_PASSWORD_MAX, &p->new_password);
    return sk_reader_finish(r);
}

void sk_auth_write_password(sk_buf *b, const char *password)
{
    sk_write_bool(b, false);
    sk_write_cstring(b, password);
}

int sk_auth_read_pubkey(sk_reader *r, sk_auth_pubkey_req *p)
{
    memset(p, 0, sizeof *p);
    sk_read_bool(r, &p->has_sig);
    sk_auth_read_text(r, SK_AUTH_NAME_MAX, &p->alg);
    sk_read_string(r, &p->blob);
    if (p->has_sig)
        sk_read_string(r, &p->sig);
    if (sk_reader_error(r) == 0 && (p->blob.len > SK_AUTH_BLOB_MAX || p->sig.len > SK_AUTH_BLOB_MAX))
        sk_reader_fail(r, SSHKIT_E_TOO_LARGE);
    return sk_reader_finish(r);
}

void sk_auth_write_pubkey(sk_buf *b, const char *alg, const uint8_t *blob, size_t blob_len,
                          const uint8_t *sig, size_t sig_len)
{
    sk_write_bool(b, sig != NULL);
    sk_write_cstring(b, alg);
    sk_write_string(b, blob, blob_len);
    if (sig)
        sk_write_string(b, sig, sig_len);
}

void sk_auth_write_signed_data(sk_buf *b, const uint8_t *session_id, size_t id_len,
                               sk_bytes user, const char *alg, sk_bytes blob)
{
    sk_write_string(b, session_id, id_len);
    sk_write_u8(b, SK_MSG_USERAUTH_REQUEST);
    sk_write_string(b, user.ptr, user.len);
    sk_write_cstring(b, SK_SERVICE_CONNECTION);
    sk_write_cstring(b, "publickey");
    sk_write_bool(b, true);
    sk_write_cstring(b, alg);
    sk_write_string(b, blob.ptr, blob.len);
}

int sk_auth_read_kbdint(sk_reader *r)
{
    sk_bytes language, submethods;
    sk_auth_read_text(r, SK_AUTH_NAME_MAX, &language);
    sk_auth_read_text(r, SK_AUTH_TEXT_MAX, &submethods);
    return sk_reader_finish(r);
}

void sk_auth_write_kbdint(sk_buf *b)
{
    sk_write_cstring(b, "");    /* language tag (deprecated, RFC 4256 section 3.1) */
    sk_write_cstring(b, "");    /* submethods: let the server choose */
}

/* ---- the server's answers, the service messages ---- */

int sk_auth_read_service(sk_bytes payload, uint8_t type, sk_bytes *name)
{
    sk_reader r;
    read_type(&r, payload, type);
    sk_auth_read_text(&r, SK_AUTH_NAME_MAX, name);
    return sk_reader_finish(&r);
}

int sk_auth_read_failure(sk_bytes payload, sk_bytes *methods, bool *partial)
{
    sk_reader r;
    read_type(&r, payload, SK_MSG_USERAUTH_FAILURE);
    sk_read_namelist(&r, methods);
    sk_read_bool(&r, partial);
    if (sk_reader_error(&r) == 0 && methods->len > SK_AUTH_METHODS_MAX)
        sk_reader_fail(&r, SSHKIT_E_TOO_LARGE);
    return sk_reader_finish(&r);
}

void sk_auth_write_failure(sk_buf *b, const char *methods, bool partial)
{
    sk_write_cstring(b, methods);
    sk_write_bool(b, partial);
}

int sk_auth_read_success(sk_bytes payload)
{
    sk_reader r;
    read_type(&r, payload, SK_MSG_USERAUTH_SUCCESS);
    return sk_reader_finish(&r);
}

int sk_auth_read_banner(sk_bytes payload, sk_bytes *text)
{
    sk_reader r;
    sk_bytes language;
    read_type(&r, payload, SK_MSG_USERAUTH_BANNER);
    sk_auth_read_text(&r, SIZE_MAX, text);
    sk_auth_read_text(&r, SK_AUTH_NAME_MAX, &language);
    return sk_reader_finish(&r);
}

void sk_auth_write_banner(sk_buf *b, const char *text)
{
    sk_write_cstring(b, text);
    sk_write_cstring(b, "");
}

int sk_auth_read_pk_ok(sk_bytes payload, sk_bytes *alg, sk_bytes *blob)
{
    sk_reader r;
    read_type(&r, payload, SK_MSG_USERAUTH_PK_OK);
    sk_auth_read_text(&r, SK_AUTH_NAME_MAX, alg);
    sk_read_string(&r, blob);
    return sk_reader_finish(&r);
}

void sk_auth_write_pk_ok(sk_buf *b, sk_bytes alg, sk_bytes blob)
{
    sk_write_string(b, alg.ptr, alg.len);
    sk_write_string(b, blob.ptr, blob.len);
}
