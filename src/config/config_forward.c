/* Forwarding specifications (LocalForward, RemoteForward, DynamicForward,
 * -L, -R, -D), read as OpenSSH's parse_forward() reads them and written
 * back as ssh -G prints them: "PORT", "[HOST]:PORT" or a socket path. */
#include "config/config_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#define HOST_MAX 1025                   /* NI_MAXHOST */
#define PATH_MAX_SUN sizeof(((struct sockaddr_un *)0)->sun_path)
#define PORT_PATH (-2)                  /* an end that is a socket path */

struct field {
    char *text;
    bool path;                          /* holds a '/' */
};

/* The next ':'-separated field of *p: "[...]" is taken literally, a
 * backslash escapes the next character. false on a malformed field or at
 * the end. */
static bool next_field(char **p, struct field *f)
{
    char *cp = *p;
    if (cp == NULL || *cp == '\0')
        return false;
    f->path = false;
    if (*cp == '[') {
        char *close = cp + 1;
        for (; *close != ']' && *close != '\0'; close++)
            f->path |= *close == '/';
        if (*close != ']' || (close[1] != ':' && close[1] != '\0'))
            return false;
        *close++ = '\0';
        if (*close != '\0')
            *close++ = '\0';
        f->text = cp + 1;
        *p = close;
        return true;
    }
    for (; *cp != '\0'; cp++) {
        if (*cp == '\\') {
            memmove(cp, cp + 1, strlen(cp + 1) + 1);
            if (*cp == '\0')
                return false;
        } else if (*cp == '/') {
            f->path = true;
        } else if (*cp == ':') {
            *cp++ = '\0';
            break;
        }
    }
    f->text = *p;
    *p = cp;
    return true;
}

/* One end of a forwarding. */
struct end {
    const char *host;                   /* NULL when none */
    int port;                           /* PORT_PATH for a path */
    const char *path;
};

static void set_port(struct end *e, const char *host, const char *port)
{
    e->host = host;
    e->port = sk_cfg_port(port);
}

static void set_path(struct end *e, const char *path)
{
    e->path = path;
    e->port = PORT_PATH;
}

/* Sorts the fields into the two ends, as ssh does by their number. */
static bool sort_fields(struct field *f, int n, struct end *l, struct end *c)
{
    static const char socks[] = "socks";
    switch (n) {
    case 1:
        if (f[0].path) set_path(l, f[0].text); else set_port(l, NULL, f[0].text);
        c->host = socks;
        return true;
    case 2:
        if (f[0].path && f[1].path) {
            set_path(l, f[0].text);
            set_path(c, f[1].text);
        } else if (f[1].path) {
            set_port(l, NULL, f[0].text);
            set_path(c, f[1].text);
        } else {
            set_port(l, f[0].text, f[1].text);
            c->host = socks;
        }
        return true;
    case 3:
        if (f[0].path) {
            set_path(l, f[0].text);
            set_port(c, f[1].text, f[2].text);
        } else if (f[2].path) {
            set_port(l, f[0].text, f[1].text);
            set_path(c, f[2].text);
        } else {
            set_port(l, NULL, f[0].text);
            set_port(c, f[1].text, f[2].text);
        }
        return true;
    case 4:
        set_port(l, f[0].text, f[1].text);
        set_port(c, f[2].text, f[3].text);
        return true;
    default:
        return false;
    }
}

static bool ends_valid(const struct end *l, const struct end *c, int n, bool dynamic,
                       bool remote)
{
    if (dynamic ? (n != 1 && n != 2)
                : ((n != 3 && n != 4 && c->path == NULL && l->path == NULL) ||
                   (c->port <= 0 && c->path == NULL)))
        return false;
    if ((l->port < 0 && l->path == NULL) || (!remote && l->port == 0))
        return false;
    if ((c->host && strlen(c->host) >= HOST_MAX) || (l->host && strlen(l->host) >= HOST_MAX))
        return false;
    if ((c->path && strlen(c->path) >= PATH_MAX_SUN) ||
        (l->path && strlen(l->path) >= PATH_MAX_SUN))
        return false;
    return true;
}

static char *render(const struct end *e)
{
    char buf[HOST_MAX + PATH_MAX_SUN + 16];
    if (e->port == PORT_PATH)
        snprintf(buf, sizeof buf, "%s", e->path);
    else if (e->host == NULL)
        snprintf(buf, sizeof buf, "%d", e->port);
    else
        snprintf(buf, sizeof buf, "[%s]:%d", e->host, e->port);
    return strdup(buf);
}

bool sk_cfg_forward(const char *spec, bool dynamic, bool remote, char **listen, char **connect)
{
    char *expanded = NULL, err[128];
    *listen = *connect = NULL;
    /* ${VAR} is expanded first, so that a variable holding a path reads as one. */
    if (sk_cfg_expand(NULL, NULL, true, spec, &expanded, err, sizeof err) != 0)
        return false;
    char *p = expanded + strspn(expanded, " \t\r\n\f\v");
    struct field f[4];
    int n = 0;
    while (n < 4 && next_field(&p, &f[n]))
        n++;
    struct end l = { NULL, 0, NULL }, c = { NULL, 0, NULL };
    bool ok = (p == NULL || *p == '\0') && sort_fields(f, n, &l, &c) &&
              ends_valid(&l, &c, n, dynamic, remote);
    if (ok) {
        *listen = render(&l);
        *connect = render(&c);
        ok = *listen && *connect;
    }
    if (!ok) {
        free(*listen);
        free(*connect);
        *listen = *connect = NULL;
    }
    free(expanded);
    return ok;
}
