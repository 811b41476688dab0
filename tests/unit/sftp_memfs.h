/* Test helper: a small file tree in memory as an SFTP server operations
 * table (sshkit_sftp_server_ops), for the engine's unit tests and its fuzz
 * harness: no disk, bounded sizes, paths normalised as text (symbolic links
 * are kept and read back but never followed). Users: 0 "root", 1000
 * "alice"; groups: 0 "root", 100 "users". */
#ifndef SSHKIT_TESTS_SFTP_MEMFS_H
#define SSHKIT_TESTS_SFTP_MEMFS_H

#include "sftp_memfs_tree.h"

static inline int memfs_open(void *ctx, const char *path, uint32_t flags,
                             const sshkit_sftp_attrs *attrs, void **file)
{
    memfs *fs = ctx;
    char abs[MEMFS_PATH];
    int i = memfs_lookup(fs, path, abs);
    if (i >= 0 && (flags & SSHKIT_SFTP_CREAT) && (flags & SSHKIT_SFTP_EXCL))
        return SSHKIT_SFTP_FAILURE;
    if (i < 0 && !(flags & SSHKIT_SFTP_CREAT))
        return SSHKIT_SFTP_NO_SUCH_FILE;
    if (i < 0 && (i = memfs_add(fs, abs, MEMFS_REG)) < 0)
        return SSHKIT_SFTP_NO_SUCH_FILE;
    memfs_node *n = &fs->nodes[i];
    if (!memfs_is(n, MEMFS_REG))
        return SSHKIT_SFTP_FAILURE;
    if (attrs->flags & SSHKIT_SFTP_ATTR_PERMISSIONS)
        n->attrs.permissions = 0100000u | (attrs->permissions & 07777);
    if (flags & SSHKIT_SFTP_TRUNC)
        n->attrs.size = 0;
    memfs_file *f = malloc(sizeof *f);
    if (f == NULL)
        return SSHKIT_SFTP_FAILURE;
    *f = (memfs_file){ i, flags };
    *file = f;
    fs->open_objects++;
    return SSHKIT_SFTP_OK;
}

static inline int memfs_close(void *ctx, void *file)
{
    ((memfs *)ctx)->open_objects--;
    free(file);
    return SSHKIT_SFTP_OK;
}

static inline int memfs_read(void *ctx, void *file, uint64_t off, uint8_t *buf, uint32_t len,
                             uint32_t *got)
{
    memfs *fs = ctx;
    memfs_file *f = file;
    memfs_node *n = &fs->nodes[f->node];
    if (fs->fail_io || !(f->flags & SSHKIT_SFTP_READ))
        return SSHKIT_SFTP_FAILURE;
    /* The node may have been removed and reused (a link's size is its
     * target's length): only bytes it holds are read. */
    uint64_t end = n->attrs.size < n->cap ? n->attrs.size : n->cap;
    if (off >= end)
        return SSHKIT_SFTP_EOF;
    uint64_t left = end - off;
    *got = left < len ? (uint32_t)left : len;
    memcpy(buf, n->data + off, *got);
    return SSHKIT_SFTP_OK;
}

static inline int memfs_write(void *ctx, void *file, uint64_t off, const uint8_t *data,
                              uint32_t len)
{
    memfs *fs = ctx;
    memfs_file *f = file;
    memfs_node *n = &fs->nodes[f->node];
    if (fs->fail_io || !(f->flags & SSHKIT_SFTP_WRITE))
        return SSHKIT_SFTP_FAILURE;
    if (f->flags & SSHKIT_SFTP_APPEND)
        off = n->attrs.size;
    if (off > MEMFS_MAX_FILE || len > MEMFS_MAX_FILE - off)
        return SSHKIT_SFTP_FAILURE;
    if (len == 0)
        return SSHKIT_SFTP_OK;
    size_t end = (size_t)off + len;
    if (end > n->cap) {
        uint8_t *grown = realloc(n->data, end);
        if (grown == NULL)
            return SSHKIT_SFTP_FAILURE;
        memset(grown + n->cap, 0, end - n->cap);
        n->data = grown;
        n->cap = end;
    }
    if (off > n->attrs.size)
        memset(n->data + n->attrs.size, 0, (size_t)off - n->attrs.size);
    memcpy(n->data + off, data, len);
    if (end > n->attrs.size)
        n->attrs.size = end;
    return SSHKIT_SFTP_OK;
}

static inline int memfs_fstat(void *ctx, void *file, sshkit_sftp_attrs *a)
{
    *a = ((memfs *)ctx)->nodes[((memfs_file *)file)->node].attrs;
    return SSHKIT_SFTP_OK;
}

static inline int memfs_fsetstat(void *ctx, void *file, const sshkit_sftp_attrs *a)
{
    memfs_set(&((memfs *)ctx)->nodes[((memfs_file *)file)->node], a);
    return SSHKIT_SFTP_OK;
}

static inline int memfs_opendir(void *ctx, const char *path, void **dir)
{
    memfs *fs = ctx;
    char abs[MEMFS_PATH];
    int i = memfs_lookup(fs, path, abs);
    if (i < 0)
        return SSHKIT_SFTP_NO_SUCH_FILE;
    if (!memfs_is(&fs->nodes[i], MEMFS_DIR))
        return SSHKIT_SFTP_NO_SUCH_FILE;
    memfs_dir *d = malloc(sizeof *d);
    if (d == NULL)
        return SSHKIT_SFTP_FAILURE;
    strcpy(d->path, abs);
    d->pos = -2;
    *dir = d;
    fs->open_objects++;
    return SSHKIT_SFTP_OK;
}

/* Whether node path is a direct child of dir. */
static inline bool memfs_child(const char *dir, const char *path)
{
    size_t n = strlen(dir);
    if (strcmp(dir, "/") == 0)
        n = 0;
    return strncmp(path, dir, n) == 0 && path[n] == '/' && path[n + 1] &&
           strchr(path + n + 1, '/') == NULL;
}

static inline int memfs_readdir(void *ctx, void *dir, sshkit_sftp_server_entry *e)
{
    memfs *fs = ctx;
    memfs_dir *d = dir;
    if (d->pos < 0) {
        strcpy(e->name, d->pos == -2 ? "." : "..");
        int self = memfs_find(fs, d->path);   /* -1 once removed */
        e->attrs = self >= 0 ? fs->nodes[self].attrs : (sshkit_sftp_attrs){ 0 };
        e->nlink = 2;
        d->pos++;
        return SSHKIT_SFTP_OK;
    }
    for (; d->pos < MEMFS_NODES; d->pos++) {
        memfs_node *n = &fs->nodes[d->pos];
        if (!n->used || !memfs_child(d->path, n->path))
            continue;
        strcpy(e->name, strrchr(n->path, '/') + 1);
        e->attrs = n->attrs;
        e->nlink = 1;
        d->pos++;
        return SSHKIT_SFTP_OK;
    }
    return SSHKIT_SFTP_EOF;
}

static inline int memfs_stat(void *ctx, const char *path, bool follow, sshkit_sftp_attrs *a)
{
    char abs[MEMFS_PATH];
    int i = memfs_lookup(ctx, path, abs);
    (void)follow;
    if (i < 0)
        return SSHKIT_SFTP_NO_SUCH_FILE;
    *a = ((memfs *)ctx)->nodes[i].attrs;
    return SSHKIT_SFTP_OK;
}

static inline int memfs_setstat(void *ctx, const char *path, bool follow,
                                const sshkit_sftp_attrs *a)
{
    char abs[MEMFS_PATH];
    int i = memfs_lookup(ctx, path, abs);
    (void)follow;
    if (i < 0)
        return SSHKIT_SFTP_NO_SUCH_FILE;
    memfs_set(&((memfs *)ctx)->nodes[i], a);
    return SSHKIT_SFTP_OK;
}

static inline bool memfs_has_children(const memfs *fs, const char *abs)
{
    for (int i = 0; i < MEMFS_NODES; i++)
        if (fs->nodes[i].used && memfs_child(abs, fs->nodes[i].path))
            return true;
    return false;
}

static inline int memfs_remove_kind(void *ctx, const char *path, uint32_t type)
{
    memfs *fs = ctx;
    char abs[MEMFS_PATH];
    int i = memfs_lookup(fs, path, abs);
    if (i < 0)
        return SSHKIT_SFTP_NO_SUCH_FILE;
    memfs_node *n = &fs->nodes[i];
    if (memfs_is(n, MEMFS_DIR) != (type == MEMFS_DIR) || strcmp(abs, "/") == 0 ||
        memfs_has_children(fs, abs))
        return SSHKIT_SFTP_FAILURE;
    free(n->data);
    memset(n, 0, sizeof *n);
    return SSHKIT_SFTP_OK;
}

static inline int memfs_remove(void *ctx, const char *path)
{
    return memfs_remove_kind(ctx, path, MEMFS_REG);
}

static inline int memfs_rmdir(void *ctx, const char *path)
{
    return memfs_remove_kind(ctx, path, MEMFS_DIR);
}

static inline int memfs_mkdir(void *ctx, const char *path, const sshkit_sftp_attrs *a)
{
    char abs[MEMFS_PATH];
    (void)a;
    if (memfs_lookup(ctx, path, abs) >= 0)
        return SSHKIT_SFTP_FAILURE;
    if (!abs[0] || memfs_add(ctx, abs, MEMFS_DIR) < 0)
        return SSHKIT_SFTP_NO_SUCH_FILE;
    return SSHKIT_SFTP_OK;
}

static inline int memfs_realpath(void *ctx, const char *path, char *out, size_t cap)
{
    char abs[MEMFS_PATH];
    if (!memfs_norm(ctx, path, abs) || strlen(abs) >= cap)
        return SSHKIT_SFTP_NO_SUCH_FILE;
    strcpy(out, abs);
    return SSHKIT_SFTP_OK;
}

static inline int memfs_rename(void *ctx, const char *from, const char *to, bool overwrite)
{
    memfs *fs = ctx;
    char a[MEMFS_PATH], b[MEMFS_PATH];
    int i = memfs_lookup(fs, from, a), j = memfs_lookup(fs, to, b);
    if (i < 0 || !b[0] || !memfs_parent_ok(fs, b))
        return SSHKIT_SFTP_NO_SUCH_FILE;
    if (i == j)
        return SSHKIT_SFTP_OK;
    if (j >= 0 && (!overwrite || memfs_is(&fs->nodes[j], MEMFS_DIR)))
        return SSHKIT_SFTP_FAILURE;
    if (memfs_is(&fs->nodes[i], MEMFS_DIR) && memfs_has_children(fs, a))
        return SSHKIT_SFTP_FAILURE;
    if (j >= 0) {
        free(fs->nodes[j].data);
        memset(&fs->nodes[j], 0, sizeof fs->nodes[j]);
    }
    strcpy(fs->nodes[i].path, b);
    return SSHKIT_SFTP_OK;
}

static inline int memfs_readlink(void *ctx, const char *path, char *out, size_t cap)
{
    memfs *fs = ctx;
    char abs[MEMFS_PATH];
    int i = memfs_lookup(fs, path, abs);
    if (i < 0)
        return SSHKIT_SFTP_NO_SUCH_FILE;
    if (!memfs_is(&fs->nodes[i], MEMFS_LNK) || strlen(fs->nodes[i].target) >= cap)
        return SSHKIT_SFTP_FAILURE;
    strcpy(out, fs->nodes[i].target);
    return SSHKIT_SFTP_OK;
}

static inline int memfs_symlink(void *ctx, const char *target, const char *linkpath)
{
    memfs *fs = ctx;
    char abs[MEMFS_PATH];
    if (strlen(target) >= MEMFS_PATH || memfs_lookup(fs, linkpath, abs) >= 0)
        return SSHKIT_SFTP_FAILURE;
    int i = abs[0] ? memfs_add(fs, abs, MEMFS_LNK) : -1;
    if (i < 0)
        return SSHKIT_SFTP_NO_SUCH_FILE;
    strcpy(fs->nodes[i].target, target);
    fs->nodes[i].attrs.size = strlen(target);
    return SSHKIT_SFTP_OK;
}

static inline int memfs_statvfs(void *ctx, const char *path, sshkit_sftp_fs_stats *v)
{
    char abs[MEMFS_PATH];
    if (memfs_lookup(ctx, path, abs) < 0)
        return SSHKIT_SFTP_NO_SUCH_FILE;
    *v = (sshkit_sftp_fs_stats){ .bsize = 4096, .frsize = 4096, .blocks = 1000, .bfree = 600,
                                .bavail = 500, .files = 400, .ffree = 300, .favail = 300,
                                .fsid = 7, .flag = SSHKIT_SFTP_ST_NOSUID, .namemax = 255 };
    return SSHKIT_SFTP_OK;
}

static inline int memfs_fstatvfs(void *ctx, void *file, sshkit_sftp_fs_stats *v)
{
    (void)file;
    return memfs_statvfs(ctx, "/", v);
}

static inline int memfs_fsync(void *ctx, void *file)
{
    (void)ctx;
    (void)file;
    return SSHKIT_SFTP_OK;
}

static inline int memfs_closedir(void *ctx, void *dir)
{
    ((memfs *)ctx)->open_objects--;
    free(dir);
    return SSHKIT_SFTP_OK;
}

static inline int memfs_name(bool user, uint32_t id, char *out, size_t cap)
{
    const char *name = id == 0 ? "root" : user && id == 1000 ? "alice" : !user && id == 100 ? "users" : NULL;
    if (name == NULL || strlen(name) >= cap)
        return SSHKIT_SFTP_NO_SUCH_FILE;
    strcpy(out, name);
    return SSHKIT_SFTP_OK;
}

static inline int memfs_user_name(void *ctx, uint32_t id, char *out, size_t cap)
{
    (void)ctx;
    return memfs_name(true, id, out, cap);
}

static inline int memfs_group_name(void *ctx, uint32_t id, char *out, size_t cap)
{
    (void)ctx;
    return memfs_name(false, id, out, cap);
}

/* Every operation but hardlink. */
static const sshkit_sftp_server_ops memfs_ops = {
    .open = memfs_open, .close = memfs_close, .read = memfs_read, .write = memfs_write,
    .fstat = memfs_fstat, .fsetstat = memfs_fsetstat, .opendir = memfs_opendir,
    .readdir = memfs_readdir, .closedir = memfs_closedir, .stat = memfs_stat,
    .setstat = memfs_setstat, .remove = memfs_remove, .mkdir = memfs_mkdir,
    .rmdir = memfs_rmdir, .realpath = memfs_realpath, .rename = memfs_rename,
    .readlink = memfs_readlink, .symlink = memfs_symlink, .statvfs = memfs_statvfs,
    .fstatvfs = memfs_fstatvfs, .fsync = memfs_fsync, .user_name = memfs_user_name,
    .group_name = memfs_group_name,
};

#endif
