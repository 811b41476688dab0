/* sshkit-ssh: forwarding specifications as ssh reads them (-L, -R, -D and
 * LocalForward, RemoteForward, DynamicForward, whose two words are joined
 * with ':' first): fields split at ':', "[...]" taken literally (IPv6
 * addresses), a field holding '/' a Unix socket path. */
#include <stdlib.h>
#include <string.h>

#include "options_values.h"
#include "ssh.h"

#define FWD_FIELDS 4
#define FWD_TEXT_MAX 1024

struct fields {
    char *f[FWD_FIELDS];
    size_t n;
};

/* Splits copy in place; false when malformed or with too many fields. */
static bool split(char *copy, struct fields *out)
{
    char *p = copy;
    out->n = 0;
    for (;;) {
        if (out->n == FWD_FIELDS)
            return false;
        if (*p == '[') {
            char *close = strchr(p, ']');
            if (close == NULL || (close[1] != ':' && close[1] != '\0'))
                return false;
            out->f[out->n++] = p + 1;
            *close = '\0';
            p = close + 1;
        } else {
            out->f[out->n++] = p;
            p += strcspn(p, ":");
        }
        if (*p == '\0')
            return true;
        *p++ = '\0';
    }
}

static bool is_path(const char *field)
{
    return strchr(field, '/') != NULL;
}

static bool dup_to(char **dst, const char *src)
{
    return (*dst = strdup(src)) != NULL;
}

/* A port field; zero only when allowed (-R 0 asks the server to pick). */
static bool port_of(const char *field, bool zero_ok, unsigned *port)
{
    if (zero_ok && strcmp(field, "0") == 0)
        return *port = 0, true;
    return value_port(field, port);
}

/* The listening end from the first fields (all but the last `rest`). */
static bool listen_end(const struct fields *x, size_t used, bool zero_ok, struct fwd_spec *s)
{
    if (used == 1 && is_path(x->f[0]))
        return dup_to(&s->listen_path, x->f[0]);
    if (used == 1)
        return port_of(x->f[0], zero_ok, &s->listen_port);
    if (used == 2 && !is_path(x->f[1]))
        return dup_to(&s->listen_host, x->f[0][0] == '\0' ? "*" : x->f[0]) &&
               port_of(x->f[1], zero_ok, &s->listen_port);
    return false;
}

/* The connecting end from the last fields. */
static bool connect_end(const struct fields *x, size_t from, struct fwd_spec *s)
{
    size_t n = x->n - from;
    if (n == 1 && is_path(x->f[from]))
        return dup_to(&s->connect_path, x->f[from]);
    if (n == 2 && x->f[from][0] != '\0')
        return dup_to(&s->connect_host, x->f[from]) &&
               value_port(x->f[from + 1], &s->connect_port);
    return false;
}

void fwd_spec_free(struct fwd_spec *s)
{
    free(s->listen_host);
    free(s->listen_path);
    free(s->connect_host);
    free(s->connect_path);
    *s = (struct fwd_spec){ 0 };
}

bool fwd_spec_parse(const char *spec, char kind, struct fwd_spec *s)
{
    struct fields x;
    *s = (struct fwd_spec){ .kind = kind };
    if (strlen(spec) > FWD_TEXT_MAX)
        return false;
    char *copy = strdup(spec);
    bool ok = copy != NULL && split(copy, &x);
    if (ok && kind == 'D') {
        ok = x.n <= 2 && listen_end(&x, x.n, false, s) && s->listen_path == NULL;
    } else if (ok) {
        /* The connecting end is a path (one field) or host:port (two). */
        size_t tail = is_path(x.f[x.n - 1]) ? 1 : 2;
        ok = x.n > tail && listen_end(&x, x.n - tail, kind == 'R', s) &&
             connect_end(&x, x.n - tail, s);
    }
    free(copy);
    if (!ok)
        fwd_spec_free(s);
    return ok;
}

bool fwd_spec_add(struct ssh_options *o, const char *spec, char kind)
{
    if (o->forwards.count == SSH_MAX_FORWARDS)
        return false;
    struct fwd_spec s;
    if (!fwd_spec_parse(spec, kind, &s))
        return false;
    o->forwards.items[o->forwards.count++] = s;
    return true;
}
