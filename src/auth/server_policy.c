/* Which methods a server offers a user, and when the user is done:
 * the methods callback's list (or every method with a callback), any one
 * of them enough, or with require_all every one in order. */
#include "auth/auth_internal.h"

#include <stdio.h>
#include <string.h>

#include "transport/session_internal.h"

static const char *const method_names[] = {
    [SK_AUTH_METHOD_NONE] = "none",
    [SK_AUTH_METHOD_PASSWORD] = "password",
    [SK_AUTH_METHOD_PUBLICKEY] = "publickey",
    [SK_AUTH_METHOD_KBDINT] = "keyboard-interactive",
};

const char *sk_auth_method_name(sk_auth_method m)
{
    return method_names[m];
}

int sk_auth_method_from_name(sk_bytes name)
{
    for (int m = 0; m < 4; m++)
        if (sk_bytes_eq(name, method_names[m]))
            return m;
    return -1;
}

/* Whether the server has what a method needs (none needs nothing). */
static bool has_callback(const sshkit_server_auth *a, sk_auth_method m)
{
    switch (m) {
    case SK_AUTH_METHOD_NONE:
        return true;
    case SK_AUTH_METHOD_PASSWORD:
        return a->password != NULL;
    case SK_AUTH_METHOD_PUBLICKEY:
        return a->publickey != NULL;
    case SK_AUTH_METHOD_KBDINT:
        return a->kbdint != NULL;
    }
    return false;
}

static void add(sk_auth_policy *p, const sshkit_server_auth *a, int m)
{
    if (m < 0 || !has_callback(a, (sk_auth_method)m))
        return;
    for (unsigned i = 0; i < p->count; i++)
        if (p->order[i] == (sk_auth_method)m)
            return;
    p->order[p->count++] = (sk_auth_method)m;
}

void sk_auth_server_policy(sshkit_session *s, sk_auth_policy *p)
{
    const sshkit_server_auth *a = &s->server_auth;
    memset(p, 0, sizeof *p);
    if (!s->has_server_auth)
        return;
    p->require_all = a->require_all;
    const char *list = a->methods ? a->methods(a->user, s->auth_server->user) : NULL;
    if (!list) {
        add(p, a, SK_AUTH_METHOD_PUBLICKEY);
        add(p, a, SK_AUTH_METHOD_PASSWORD);
        add(p, a, SK_AUTH_METHOD_KBDINT);
        return;
    }
    sk_bytes names = { (const uint8_t *)list, strlen(list) }, name;
    size_t cursor = 0;
    while (sk_namelist_next(names, &cursor, &name))
        add(p, a, sk_auth_method_from_name(name));
}

unsigned sk_auth_policy_allowed(const sk_auth_policy *p, unsigned done)
{
    unsigned bits = 0;
    if (p->require_all)
        return done < p->count ? 1u << p->order[done] : 0;
    for (unsigned i = 0; i < p->count; i++)
        bits |= 1u << p->order[i];
    return bits;
}

bool sk_auth_policy_complete(const sk_auth_policy *p, unsigned done)
{
    return !p->require_all || done >= p->count;
}

void sk_auth_policy_list(const sk_auth_policy *p, unsigned allowed, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (unsigned i = 0; i < p->count; i++) {
        sk_auth_method m = p->order[i];
        if (m == SK_AUTH_METHOD_NONE || !(allowed & (1u << m)))
            continue;
        int n = snprintf(out + len, cap - len, "%s%s", len ? "," : "", method_names[m]);
        if (n < 0 || (size_t)n >= cap - len) {
            out[len] = '\0';
            break;
        }
        len += (size_t)n;
    }
}
