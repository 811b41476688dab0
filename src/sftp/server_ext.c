/* SSH_FXP_EXTENDED: OpenSSH's extensions (PROTOCOL section 4), announced
 * in VERSION only when the operations they need exist (and, for those that
 * change the tree, not in read-only mode, as sftp-server -R). */
#include <string.h>

#include "sftp/server.h"

#define USERS_GROUPS "users-groups-by-id@openssh.com"

enum ext_need { NEED_NONE, NEED_RENAME, NEED_STATVFS, NEED_FSTATVFS, NEED_LINK, NEED_FSYNC,
                NEED_SETSTAT, NEED_REALPATH, NEED_COPY, NEED_NAMES };

struct extension {
    const char *name;
    const char *version;
    enum ext_need need;
    bool changes;               /* refused in read-only mode */
};

static const struct extension extensions[] = {
    { SK_SFTP_EXT_POSIX_RENAME, "1", NEED_RENAME, true },
    { SK_SFTP_EXT_STATVFS, "2", NEED_STATVFS, false },
    { SK_SFTP_EXT_FSTATVFS, "2", NEED_FSTATVFS, false },
    { SK_SFTP_EXT_HARDLINK, "1", NEED_LINK, true },
    { SK_SFTP_EXT_FSYNC, "1", NEED_FSYNC, true },
    { SK_SFTP_EXT_LSETSTAT, "1", NEED_SETSTAT, true },
    { SK_SFTP_EXT_LIMITS, "1", NEED_NONE, false },
    { SK_SFTP_EXT_EXPAND_PATH, "1", NEED_REALPATH, false },
    { SK_SFTP_EXT_COPY_DATA, "1", NEED_COPY, true },
    { USERS_GROUPS, "1", NEED_NAMES, false },
};

static bool have(const sshkit_sftp_server_ops *o, enum ext_need need)
{
    switch (need) {
    case NEED_NONE: return true;
    case NEED_RENAME: return o->rename != NULL;
    case NEED_STATVFS: return o->statvfs != NULL;
    case NEED_FSTATVFS: return o->fstatvfs != NULL;
    case NEED_LINK: return o->link != NULL;
    case NEED_FSYNC: return o->fsync != NULL;
    case NEED_SETSTAT: return o->setstat != NULL;
    case NEED_REALPATH: return o->realpath != NULL;
    case NEED_COPY: return o->read != NULL && o->write != NULL;
    case NEED_NAMES: return o->user_name != NULL || o->group_name != NULL;
    }
    return false;
}

static bool offered(const sshkit_sftp_server *s, const struct extension *e)
{
    return have(s->ops, e->need) && !(e->changes && s->read_only);
}

void sk_sftps_write_extensions(sshkit_sftp_server *s)
{
    for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++) {
        if (!offered(s, &extensions[i]))
            continue;
        sk_write_cstring(&s->out, extensions[i].name);
        sk_write_cstring(&s->out, extensions[i].version);
    }
}

static void limits(sshkit_sftp_server *s, uint32_t id)
{
    size_t start = sk_sftps_begin(s, SK_FXP_EXTENDED_REPLY, id);

    sk_write_u64(&s->out, SK_SFTP_MAX_PACKET);
    sk_write_u64(&s->out, SK_SFTP_MAX_DATA);        /* read */
    sk_write_u64(&s->out, SK_SFTP_MAX_DATA);        /* write */
    sk_write_u64(&s->out, s->max_handles);
    sk_sftps_end(s, start);
}

/* Appends the names of a list of ids (a string of uint32s) as one string
 * of strings, while the reply begun at start stays within a packet.
 * Returns SSHKIT_SFTP_OK, BAD_MESSAGE for a malformed list, or FAILURE
 * when the names would not fit one packet. */
static int names_of(sshkit_sftp_server *s, sk_bytes ids, bool user, size_t start)
{
    char name[SSHKIT_SFTP_OWNER_MAX];
    int (*lookup)(void *, uint32_t, char *, size_t) = user ? s->ops->user_name : s->ops->group_name;

    if (ids.len % 4)
        return SSHKIT_SFTP_BAD_MESSAGE;
    size_t at = sk_write_string_begin(&s->out);
    for (size_t i = 0; i < ids.len; i += 4) {
        if (s->out.len - start > SK_SFTP_MAX_PACKET)
            return SSHKIT_SFTP_FAILURE;
        name[0] = '\0';
        if (lookup == NULL ||
            lookup(s->ctx, sk_load_u32(ids.ptr + i), name, sizeof name) != SSHKIT_SFTP_OK ||
            memchr(name, 0, sizeof name) == NULL)
            name[0] = '\0';
        sk_write_cstring(&s->out, name);
    }
    sk_write_string_end(&s->out, at);
    return s->out.len - start > SK_SFTP_MAX_PACKET ? SSHKIT_SFTP_FAILURE : SSHKIT_SFTP_OK;
}

static void users_groups(sshkit_sftp_server *s, uint32_t id, sk_reader *r)
{
    sk_bytes uids, gids;

    if (sk_read_string(r, &uids) != 0 || sk_read_string(r, &gids) != 0) {
        sk_sftps_status(s, id, SSHKIT_SFTP_BAD_MESSAGE);
        return;
    }
    size_t start = sk_sftps_begin(s, SK_FXP_EXTENDED_REPLY, id);
    int status = names_of(s, uids, true, start);
    if (status == SSHKIT_SFTP_OK)
        status = names_of(s, gids, false, start);
    if (status != SSHKIT_SFTP_OK) {
        sk_sftps_unwrite(s, start);         /* malformed, or more than a packet */
        sk_sftps_status(s, id, status);
        return;
    }
    sk_sftps_end(s, start);
    sk_sftps_log(s, SSHKIT_LOG_DEBUG, "users-groups-by-id: %zu users, %zu groups", uids.len / 4,
                 gids.len / 4);
}

static void run(sshkit_sftp_server *s, uint32_t id, sk_reader *r, const char *name)
{
    if (strcmp(name, SK_SFTP_EXT_POSIX_RENAME) == 0)
        sk_sftps_rename(s, id, r, true);
    else if (strcmp(name, SK_SFTP_EXT_STATVFS) == 0)
        sk_sftps_statvfs(s, id, r);
    else if (strcmp(name, SK_SFTP_EXT_FSTATVFS) == 0)
        sk_sftps_fstatvfs(s, id, r);
    else if (strcmp(name, SK_SFTP_EXT_HARDLINK) == 0)
        sk_sftps_link(s, id, r);
    else if (strcmp(name, SK_SFTP_EXT_FSYNC) == 0)
        sk_sftps_fsync(s, id, r);
    else if (strcmp(name, SK_SFTP_EXT_LSETSTAT) == 0)
        sk_sftps_setstat(s, id, r, false);
    else if (strcmp(name, SK_SFTP_EXT_LIMITS) == 0)
        limits(s, id);
    else if (strcmp(name, SK_SFTP_EXT_EXPAND_PATH) == 0)
        sk_sftps_realpath(s, id, r, true);
    else if (strcmp(name, SK_SFTP_EXT_COPY_DATA) == 0)
        sk_sftps_copy_start(s, id, r);
    else
        users_groups(s, id, r);
}

void sk_sftps_extended(sshkit_sftp_server *s, uint32_t id, sk_reader *r)
{
    char name[64];

    if (sk_read_cstring(r, name, sizeof name) != 0) {
        sk_sftps_status(s, id, SSHKIT_SFTP_OP_UNSUPPORTED);
        return;
    }
    for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++) {
        const struct extension *e = &extensions[i];
        if (strcmp(name, e->name) != 0)
            continue;
        if (!have(s->ops, e->need))
            break;
        if (e->changes && sk_sftps_refuse_write(s, id, name))
            return;
        run(s, id, r, name);
        return;
    }
    sk_sftps_log(s, SSHKIT_LOG_INFO, "Unknown extended request \"%.100s\"", name);
    sk_sftps_status(s, id, SSHKIT_SFTP_OP_UNSUPPORTED);
}
