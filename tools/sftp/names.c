/* sshkit-sftp: the server's user and group names for long listings.
 *
 * OpenSSH's sftp asks a server that offers users-groups-by-id@openssh.com
 * for the names of the ids it lists, and prints them. sshkit's SFTP client
 * has no call for that extension yet, so the names are read from where the
 * same server put the same lookup: the owner and group columns of the
 * longnames in its directory listings (OpenSSH's sftp-server formats them
 * with its ls_file()). A file met outside a listing gets its names from a
 * listing of its directory. With a server that does not offer the
 * extension, no names are shown (numeric ids), as with OpenSSH's sftp. */
#include <stdlib.h>
#include <string.h>

#include "sftp.h"

/* Ids remembered at most (a listing of many owners stops teaching then). */
#define NAMES_MAX 4096
#define NAME_MAX_LEN 64

struct id_name {
    uint32_t id;
    char name[NAME_MAX_LEN];
};

static struct {
    struct id_name users[NAMES_MAX], groups[NAMES_MAX];
    size_t nusers, ngroups;
} known;

static const char *find(const struct id_name *v, size_t n, uint32_t id)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].id == id)
            return v[i].name;
    return NULL;
}

static void remember(struct id_name *v, size_t *n, uint32_t id, const char *name, size_t len)
{
    if (find(v, *n, id) != NULL || *n >= NAMES_MAX || len == 0 || len >= NAME_MAX_LEN)
        return;
    v[*n].id = id;
    memcpy(v[*n].name, name, len);
    v[*n].name[len] = '\0';
    (*n)++;
}

/* The n-th blank-separated word of s: its start and length. */
static const char *word(const char *s, int n, size_t *len)
{
    for (int i = 0;; i++) {
        s += strspn(s, " ");
        if (*s == '\0')
            return NULL;
        *len = strcspn(s, " ");
        if (i == n)
            return s;
        s += *len;
    }
}

/* "drwxr-xr-x  2 owner group size month day time name": owner and group. */
static void learn_one(const struct rs_dirent *e)
{
    size_t mlen = 0, ulen = 0, glen = 0, tail = 0;
    const char *mode = word(e->longname, 0, &mlen);
    const char *user = word(e->longname, 2, &ulen);
    const char *group = word(e->longname, 3, &glen);
    if (!(e->attrs.flags & SSHKIT_SFTP_ATTR_UIDGID) || mode == NULL || mlen < 10 ||
        group == NULL || word(e->longname, 7, &tail) == NULL)
        return;
    remember(known.users, &known.nusers, e->attrs.uid, user, ulen);
    remember(known.groups, &known.ngroups, e->attrs.gid, group, glen);
}

void names_learn(const struct rs_dir *d)
{
    for (size_t i = 0; i < d->n; i++)
        learn_one(&d->v[i]);
}

const char *names_user(uint32_t uid)
{
    return find(known.users, known.nusers, uid);
}

const char *names_group(uint32_t gid)
{
    return find(known.groups, known.ngroups, gid);
}

bool names_available(struct remote *r)
{
    return sshkit_sftp_has_extension(r->sftp, "users-groups-by-id@openssh.com");
}

/* Lists a directory without a word on failure, only to learn names. */
static void learn_from(struct remote *r, const char *dir_path)
{
    sshkit_sftp_dir *dir = NULL;
    int rc;
    REMOTE_CALL(r, rc, sshkit_sftp_dir_open(r->sftp, dir_path, &dir));
    if (rc != 0) {
        remote_why(r, rc);
        return;
    }
    sshkit_sftp_dirent e;
    for (int n = 0; n < 100000; n++) {
        REMOTE_CALL(r, rc, sshkit_sftp_dir_read(dir, &e));
        if (rc <= 0)
            break;
        struct rs_dirent one = { .name = (char *)e.name, .longname = (char *)e.longname,
                                 .attrs = e.attrs };
        if (one.longname != NULL)
            learn_one(&one);
    }
    if (rc < 0)
        remote_why(r, rc);
    REMOTE_CALL(r, rc, sshkit_sftp_dir_close(dir));
}

void names_fetch_for(struct remote *r, const char *path, const sshkit_sftp_attrs *a)
{
    if (!names_available(r) || !(a->flags & SSHKIT_SFTP_ATTR_UIDGID) ||
        (names_user(a->uid) != NULL && names_group(a->gid) != NULL))
        return;
    char *parent = xstrdup(path);
    size_t len = strlen(parent);
    while (len > 1 && parent[len - 1] == '/')
        parent[--len] = '\0';
    char *slash = strrchr(parent, '/');
    if (slash == parent)
        slash[1] = '\0';
    else if (slash != NULL)
        *slash = '\0';
    learn_from(r, slash != NULL ? parent : ".");
    free(parent);
}
