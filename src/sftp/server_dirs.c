/* OPENDIR and READDIR: up to SK_SFTPS_DIR_BATCH entries per NAME reply,
 * each with the `ls -l` line OpenSSH's sftp-server writes (ls_file() in its
 * sftp-common.c: mode, links, owner, group, size, date, name). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sftp/server.h"

/* The file type and permission bits of st_mode, which SFTP carries as is. */
#define MODE_TYPE 0170000u

void sk_sftps_opendir(sshkit_sftp_server *s, uint32_t id, sk_reader *r)
{
    void *dir = NULL;
    uint32_t slot;

    if (sk_sftps_read_path(s, r, 0) != 0) {
        sk_sftps_status(s, id, SSHKIT_SFTP_BAD_MESSAGE);
        return;
    }
    sk_sftps_log(s, SSHKIT_LOG_INFO, "opendir \"%s\"", s->path[0]);
    if (s->ops->opendir == NULL || s->ops->readdir == NULL) {
        sk_sftps_status(s, id, SSHKIT_SFTP_OP_UNSUPPORTED);
        return;
    }
    if (s->handles_open >= s->max_handles) {
        sk_sftps_status(s, id, SSHKIT_SFTP_FAILURE);
        return;
    }
    int status = s->ops->opendir(s->ctx, s->path[0], &dir);
    if (status == SSHKIT_SFTP_OK && sk_sftps_handle_new(s, SK_SFTPS_DIR, dir, s->path[0], &slot)) {
        if (s->ops->closedir)
            s->ops->closedir(s->ctx, dir);
        status = SSHKIT_SFTP_FAILURE;
    }
    if (status == SSHKIT_SFTP_OK)
        sk_sftps_reply_handle(s, id, slot);
    else
        sk_sftps_status(s, id, status);
}

/* strmode(3): "drwxr-xr-x " (ten characters and a space). */
static void mode_text(uint32_t mode, char out[12])
{
    static const char rwx[] = "rwxrwxrwx";
    char type;

    switch (mode & MODE_TYPE) {
    case 0040000: type = 'd'; break;
    case 0020000: type = 'c'; break;
    case 0060000: type = 'b'; break;
    case 0100000: type = '-'; break;
    case 0120000: type = 'l'; break;
    case 0140000: type = 's'; break;
    case 0010000: type = 'p'; break;
    default: type = '?'; break;
    }
    out[0] = type;
    for (int i = 0; i < 9; i++)
        out[1 + i] = (mode & (0400u >> i)) ? rwx[i] : '-';
    if (mode & 04000)
        out[3] = out[3] == 'x' ? 's' : 'S';
    if (mode & 02000)
        out[6] = out[6] == 'x' ? 's' : 'S';
    if (mode & 01000)
        out[9] = out[9] == 'x' ? 't' : 'T';
    out[10] = ' ';
    out[11] = '\0';
}

/* A user or group name through the operations, else the number. */
static const char *owner_text(sshkit_sftp_server *s, bool user, uint32_t id, char *out)
{
    int (*name)(void *, uint32_t, char *, size_t) = user ? s->ops->user_name : s->ops->group_name;

    out[0] = '\0';
    if (name == NULL || name(s->ctx, id, out, SSHKIT_SFTP_OWNER_MAX) != SSHKIT_SFTP_OK ||
        memchr(out, 0, SSHKIT_SFTP_OWNER_MAX) == NULL || out[0] == '\0')
        snprintf(out, SSHKIT_SFTP_OWNER_MAX, "%lu", (unsigned long)id);
    return out;
}

void sk_sftps_longname(sshkit_sftp_server *s, const sshkit_sftp_server_entry *e, char *out,
                       size_t cap)
{
    char mode[12], links[16] = "?", when[32] = "";
    const sshkit_sftp_attrs *a = &e->attrs;
    time_t mtime = a->mtime, now = time(NULL);
    struct tm tm;

    mode_text(a->permissions, mode);
    if (e->nlink)
        snprintf(links, sizeof links, "%lu", (unsigned long)e->nlink);
    if (localtime_r(&mtime, &tm)) {
        bool recent = now - (365 * 24 * 60 * 60) / 2 < mtime && now >= mtime;
        strftime(when, sizeof when, recent ? "%b %e %H:%M" : "%b %e  %Y", &tm);
    }
    const char *user = owner_text(s, true, a->uid, s->owner);
    const char *group = owner_text(s, false, a->gid, s->group);
    int ulen = strlen(user) > 8 ? (int)strlen(user) : 8;
    int glen = strlen(group) > 8 ? (int)strlen(group) : 8;
    snprintf(out, cap, "%s %3s %-*s %-*s %8llu %s %s", mode, links, ulen, user, glen, group,
             (unsigned long long)a->size, when, e->name);
}

/* Appends one entry to a NAME reply being built. */
static void write_entry(sshkit_sftp_server *s, const sshkit_sftp_server_entry *e)
{
    char longname[SSHKIT_SFTP_NAME_MAX + 2 * SSHKIT_SFTP_OWNER_MAX + 128];

    sk_sftps_longname(s, e, longname, sizeof longname);
    sk_write_cstring(&s->out, e->name);
    sk_write_cstring(&s->out, longname);
    sk_sftp_write_attrs(&s->out, &e->attrs);
}

void sk_sftps_readdir(sshkit_sftp_server *s, uint32_t id, sk_reader *r)
{
    sk_bytes wire;
    struct sk_sftps_handle *h;
    sshkit_sftp_server_entry *e = &s->entry;
    int status = SSHKIT_SFTP_OK;
    uint32_t count = 0;

    if (sk_read_string(r, &wire) != 0) {
        sk_sftps_status(s, id, SSHKIT_SFTP_BAD_MESSAGE);
        return;
    }
    if ((h = sk_sftps_handle_get(s, wire, SK_SFTPS_DIR, NULL)) == NULL) {
        sk_sftps_status(s, id, SSHKIT_SFTP_FAILURE);
        return;
    }
    size_t start = sk_sftps_begin(s, SK_FXP_NAME, id);
    size_t count_at = s->out.len;
    sk_write_u32(&s->out, 0);
    while (count < SK_SFTPS_DIR_BATCH) {
        memset(e, 0, sizeof *e);
        status = s->ops->readdir(s->ctx, h->obj, e);
        if (status != SSHKIT_SFTP_OK)
            break;
        e->name[SSHKIT_SFTP_NAME_MAX - 1] = '\0';
        write_entry(s, e);
        count++;
    }
    if (count == 0 || sk_buf_error(&s->out)) {
        sk_sftps_unwrite(s, start);
        sk_sftps_status(s, id, status == SSHKIT_SFTP_OK ? SSHKIT_SFTP_FAILURE : status);
        return;
    }
    sk_store_u32(s->out.data + count_at, count);
    sk_sftps_end(s, start);
    sk_sftps_log(s, SSHKIT_LOG_TRACE, "request %u: sent names count %u", id, count);
}
