/* Directory listings of the local tree, and the user and group names
 * `ls -l` lines and users-groups-by-id@openssh.com show (the system's, as
 * OpenSSH's internal-sftp shows them also under ChrootDirectory). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "sftp/server_local.h"

int sk_local_op_opendir(void *ctx, const char *path, void **dir)
{
    int fd = sk_local_open(ctx, path, O_RDONLY | O_DIRECTORY | O_NONBLOCK, 0);

    if (fd < 0)
        return sshkit_sftp_status_from_errno(-fd);
    DIR *d = fdopendir(fd);
    if (d == NULL) {
        int err = errno;
        close(fd);
        return sshkit_sftp_status_from_errno(err);
    }
    *dir = d;
    return SSHKIT_SFTP_OK;
}

/* The next entry that can still be looked at (one removed meanwhile is
 * skipped, as OpenSSH does); its lstat comes from the directory's own
 * descriptor, so it is never looked for elsewhere. */
int sk_local_op_readdir(void *ctx, void *dir, sshkit_sftp_server_entry *entry)
{
    DIR *d = dir;
    struct stat st;

    (void)ctx;
    for (;;) {
        errno = 0;
        struct dirent *de = readdir(d);
        if (de == NULL)
            return errno ? sshkit_sftp_status_from_errno(errno) : SSHKIT_SFTP_EOF;
        if (strlen(de->d_name) >= sizeof entry->name ||
            fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            continue;
        strcpy(entry->name, de->d_name);
        sk_local_stat_to_attrs(&st, &entry->attrs);
        entry->nlink = (uint32_t)st.st_nlink;
        return SSHKIT_SFTP_OK;
    }
}

int sk_local_op_closedir(void *ctx, void *dir)
{
    (void)ctx;
    return closedir(dir) < 0 ? sshkit_sftp_status_from_errno(errno) : SSHKIT_SFTP_OK;
}

/* A name from the password or group database into the cache slot. */
static int lookup(bool user, uint32_t id, char *out)
{
    char buf[4096];
    const char *name = NULL;
    int rc;

    if (user) {
        struct passwd pw, *found = NULL;
        rc = getpwuid_r((uid_t)id, &pw, buf, sizeof buf, &found);
        if (rc == 0 && found)
            name = found->pw_name;
    } else {
        struct group gr, *found = NULL;
        rc = getgrgid_r((gid_t)id, &gr, buf, sizeof buf, &found);
        if (rc == 0 && found)
            name = found->gr_name;
    }
    if (name == NULL || strlen(name) >= SSHKIT_SFTP_OWNER_MAX)
        return SSHKIT_SFTP_NO_SUCH_FILE;
    strcpy(out, name);
    return SSHKIT_SFTP_OK;
}

static int cached_name(sshkit_sftp_local *fs, bool user, uint32_t id, char *out, size_t cap)
{
    bool *cached = user ? &fs->user_cached : &fs->group_cached;
    uint32_t *which = user ? &fs->user_id : &fs->group_id;
    int *status = user ? &fs->user_status : &fs->group_status;
    char *name = user ? fs->user : fs->group;

    if (!*cached || *which != id) {
        *status = lookup(user, id, name);
        *which = id;
        *cached = true;
    }
    if (*status != SSHKIT_SFTP_OK)
        return *status;
    if (strlen(name) >= cap)
        return SSHKIT_SFTP_FAILURE;
    strcpy(out, name);
    return SSHKIT_SFTP_OK;
}

int sk_local_op_user_name(void *ctx, uint32_t uid, char *out, size_t cap)
{
    return cached_name(ctx, true, uid, out, cap);
}

int sk_local_op_group_name(void *ctx, uint32_t gid, char *out, size_t cap)
{
    return cached_name(ctx, false, gid, out, cap);
}
