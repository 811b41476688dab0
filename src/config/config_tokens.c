/* Expansions in configuration values: %-tokens, ${VAR} from the
 * environment, a leading '~', and the %C connection hash. */
#include "config/config_internal.h"

#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sshkit/error.h>

#include "crypto/hash.h"

/* A growing string. */
struct out {
    char *p;
    size_t len, cap;
    int error;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->error)
        return;
    if (o->len + n + 1 > o->cap) {
        size_t cap = (o->len + n + 1) * 2;
        char *grown = realloc(o->p, cap);
        if (grown == NULL) {
            o->error = SSHKIT_E_NOMEM;
            return;
        }
        o->p = grown;
        o->cap = cap;
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
}

static const char *token_value(const struct sk_cfg_tokens *t, char c)
{
    switch (c) {
    case 'C': return t->hash;
    case 'd': return t->home;
    case 'h': return t->host;
    case 'i': return t->uid;
    case 'k': return t->keyalias;
    case 'L': return t->shorthost;
    case 'l': return t->thishost;
    case 'n': return t->original;
    case 'p': return t->port;
    case 'r': return t->ruser;
    case 'u': return t->luser;
    default: return NULL;
    }
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int fail(struct out *o, char *err, size_t err_size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
    free(o->p);
    return SSHKIT_E_FORMAT;
}

/* ${VAR} at *s (past the "${"); moves *s past the '}'. */
static int put_env(struct out *o, const char **s, char *err, size_t err_size)
{
    const char *close = strchr(*s, '}');
    if (close == NULL)
        return fail(o, err, err_size, "environment variable '%s' missing closing '}'", *s);
    size_t n = (size_t)(close - *s);
    if (n == 0)
        return fail(o, err, err_size, "zero-length environment variable");
    char name[256];
    if (n >= sizeof name)
        return fail(o, err, err_size, "environment variable name too long");
    memcpy(name, *s, n);
    name[n] = '\0';
    const char *value = getenv(name);
    if (value == NULL)
        return fail(o, err, err_size, "env var ${%s} has no value", name);
    put(o, value, strlen(value));
    *s = close + 1;
    return 0;
}

int sk_cfg_expand(const struct sk_cfg_tokens *t, const char *allowed, bool dollar,
                  const char *in, char **out, char *err, size_t err_size)
{
    struct out o = { NULL, 0, 0, 0 };
    put(&o, "", 0);
    while (*in != '\0' && o.error == 0) {
        if (dollar && in[0] == '$' && in[1] == '{') {
            in += 2;
            int rc = put_env(&o, &in, err, err_size);
            if (rc != 0)
                return rc;
            continue;
        }
        if (*in != '%' || allowed == NULL || in[1] == '%') {
            put(&o, in, 1);
            in += (*in == '%' && allowed != NULL) ? 2 : 1;
            continue;
        }
        char c = in[1];
        if (c == '\0')
            return fail(&o, err, err_size, "invalid format");
        const char *value = strchr(allowed, c) ? token_value(t, c) : NULL;
        if (value == NULL)
            return fail(&o, err, err_size, "unknown key %%%c", c);
        put(&o, value, strlen(value));
        in += 2;
    }
    if (o.error) {
        free(o.p);
        return o.error;
    }
    *out = o.p;
    return 0;
}

int sk_cfg_tilde(const char *home, const char *in, char **out)
{
    if (in[0] != '~') {
        *out = strdup(in);
        return *out ? 0 : SSHKIT_E_NOMEM;
    }
    const char *rest = in + 1 + strcspn(in + 1, "/");
    char dirbuf[4096];
    const char *dir = home;
    if (rest != in + 1) {                       /* ~user */
        char user[256], buf[4096];
        size_t n = (size_t)(rest - in - 1);
        struct passwd pw, *found = NULL;
        if (n >= sizeof user)
            return SSHKIT_E_FORMAT;
        memcpy(user, in + 1, n);
        user[n] = '\0';
        if (getpwnam_r(user, &pw, buf, sizeof buf, &found) != 0 || found == NULL)
            return SSHKIT_E_FORMAT;
        snprintf(dirbuf, sizeof dirbuf, "%s", found->pw_dir);
        dir = dirbuf;
    }
    rest += strspn(rest, "/");
    size_t dlen = strlen(dir);
    bool slash = dlen == 0 || dir[dlen - 1] != '/';
    size_t cap = dlen + strlen(rest) + 2;
    if ((*out = malloc(cap)) == NULL)
        return SSHKIT_E_NOMEM;
    snprintf(*out, cap, "%s%s%s", dir, slash ? "/" : "", rest);
    return 0;
}

int sk_cfg_conn_hash(const char *thishost, const char *host, const char *port,
                     const char *user, char out[41])
{
    sk_hash h;
    uint8_t digest[SK_HASH_MAX_SIZE];
    int rc = sk_hash_init(&h, SK_HASH_SHA1);
    sk_hash_update(&h, thishost, strlen(thishost));
    sk_hash_update(&h, host, strlen(host));
    sk_hash_update(&h, port, strlen(port));
    sk_hash_update(&h, user, strlen(user));
    if (rc == 0)
        rc = sk_hash_final(&h, digest, sizeof digest);
    sk_hash_free(&h);
    if (rc < 0)
        return rc;
    for (int i = 0; i < 20; i++)
        snprintf(out + 2 * i, 3, "%02x", digest[i]);
    return 0;
}
