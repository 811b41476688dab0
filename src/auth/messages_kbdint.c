/* Keyboard-interactive messages (RFC 4256 section 3.2-3.4): INFO_REQUEST
 * and INFO_RESPONSE; see auth_internal.h. */
#include "auth/auth_internal.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <sshkit/error.h>

#include "transport/messages.h"

/* Reads the type byte and a count of at most SK_AUTH_KBDINT_MAX. */
static int read_count(sk_reader *r, uint32_t *n)
{
    if (sk_read_u32(r, n) != 0)
        return sk_reader_error(r);
    return *n > SK_AUTH_KBDINT_MAX ? sk_reader_fail(r, SSHKIT_E_TOO_LARGE) : 0;
}

/* Copies n views into one block of C strings; *total is its size. */
static char *pack(const sk_bytes *v, size_t n, const char **out, size_t *total)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += v[i].len + 1;
    char *block = malloc(len ? len : 1), *p = block;
    if (!block)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (v[i].len)
            memcpy(p, v[i].ptr, v[i].len);
        p[v[i].len] = '\0';
        out[i] = p;
        p += v[i].len + 1;
    }
    *total = len;
    return block;
}

int sk_auth_read_info_request(sk_bytes payload, sk_auth_info_request *out)
{
    sk_reader r;
    uint8_t type;
    uint32_t n = 0;
    sk_bytes v[SK_AUTH_KBDINT_MAX + 2], language;
    const char *s[SK_AUTH_KBDINT_MAX + 2];
    memset(out, 0, sizeof *out);
    sk_reader_init(&r, payload.ptr, payload.len);
    if (sk_read_u8(&r, &type) == 0 && type != SK_MSG_USERAUTH_PK_OK)
        sk_reader_fail(&r, SSHKIT_E_PROTOCOL);
    sk_auth_read_text(&r, SK_AUTH_TEXT_MAX, &v[0]);
    sk_auth_read_text(&r, SK_AUTH_TEXT_MAX, &v[1]);
    sk_auth_read_text(&r, SK_AUTH_NAME_MAX, &language);
    read_count(&r, &n);
    for (uint32_t i = 0; i < n && sk_reader_error(&r) == 0; i++) {
        sk_auth_read_text(&r, SK_AUTH_TEXT_MAX, &v[2 + i]);
        sk_read_bool(&r, &out->echo[i]);
    }
    int rc = sk_reader_finish(&r);
    size_t total;
    if (rc == 0 && !(out->strings = pack(v, 2 + (size_t)n, s, &total)))
        rc = SSHKIT_E_NOMEM;
    if (rc != 0) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    out->name = s[0];
    out->instruction = s[1];
    out->count = n;
    memcpy(out->prompts, s + 2, n * sizeof *s);
    return 0;
}

void sk_auth_info_request_free(sk_auth_info_request *req)
{
    free(req->strings);
    memset(req, 0, sizeof *req);
}

static bool text_ok(const char *t)
{
    return t && strlen(t) <= SK_AUTH_TEXT_MAX;
}

int sk_auth_write_info_request(sk_buf *b, const sshkit_kbdint_request *req)
{
    if (req->count > SK_AUTH_KBDINT_MAX || (req->count && (!req->prompts || !req->echo)))
        return SSHKIT_E_INVALID_ARGUMENT;
    const char *name = req->name ? req->name : "";
    const char *instruction = req->instruction ? req->instruction : "";
    if (!text_ok(name) || !text_ok(instruction))
        return SSHKIT_E_INVALID_ARGUMENT;
    for (unsigned i = 0; i < req->count; i++)
        if (!text_ok(req->prompts[i]))
            return SSHKIT_E_INVALID_ARGUMENT;
    sk_write_cstring(b, name);
    sk_write_cstring(b, instruction);
    sk_write_cstring(b, "");    /* language tag */
    sk_write_u32(b, req->count);
    for (unsigned i = 0; i < req->count; i++) {
        sk_write_cstring(b, req->prompts[i]);
        sk_write_bool(b, req->echo[i]);
    }
    return sk_buf_error(b);
}

int sk_auth_read_info_response(sk_bytes payload, unsigned expected, sk_auth_info_response *out)
{
    sk_reader r;
    uint8_t type;
    uint32_t n = 0;
    sk_bytes v[SK_AUTH_KBDINT_MAX];
    memset(out, 0, sizeof *out);
    sk_reader_init(&r, payload.ptr, payload.len);
    if (sk_read_u8(&r, &type) == 0 && type != SK_MSG_USERAUTH_INFO_RESPONSE)
        sk_reader_fail(&r, SSHKIT_E_PROTOCOL);
    if (read_count(&r, &n) == 0 && n != expected)
        sk_reader_fail(&r, SSHKIT_E_PROTOCOL);
    for (uint32_t i = 0; i < n && sk_reader_error(&r) == 0; i++)
        sk_auth_read_text(&r, SK_AUTH_PASSWORD_MAX, &v[i]);
    int rc = sk_reader_finish(&r);
    if (rc == 0 && !(out->strings = pack(v, n, out->answers, &out->strings_len)))
        rc = SSHKIT_E_NOMEM;
    if (rc != 0) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    out->count = n;
    return 0;
}

void sk_auth_info_response_free(sk_auth_info_response *resp)
{
    if (resp->strings) {
        OPENSSL_cleanse(resp->strings, resp->strings_len);
        free(resp->strings);
    }
    memset(resp, 0, sizeof *resp);
}

void sk_auth_write_info_response(sk_buf *b, const char *const *answers, unsigned count)
{
    sk_write_u32(b, count);
    for (unsigned i = 0; i < count; i++)
        sk_write_cstring(b, answers[i]);
}
