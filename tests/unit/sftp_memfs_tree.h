/* Test helper: the tree behind sftp_memfs.h's operations: nodes by
 * normalised path, at most MEMFS_NODES of them, files of at most
 * MEMFS_MAX_FILE bytes. */
#ifndef SSHKIT_TESTS_SFTP_MEMFS_TREE_H
#define SSHKIT_TESTS_SFTP_MEMFS_TREE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sshkit/sftp_server.h>

#define MEMFS_NODES 400
#define MEMFS_PATH 128
#ifndef MEMFS_MAX_FILE
#define MEMFS_MAX_FILE ((size_t)32 << 20)
#endif
#define MEMFS_DIR 0040755u
#define MEMFS_REG 0100644u
#define MEMFS_LNK 0120777u

typedef struct {
    bool used;
    char path[MEMFS_PATH];
    char target[MEMFS_PATH];    /* a link's */
    sshkit_sftp_attrs attrs;    /* permissions carry the type */
    uint8_t *data;
    size_t cap;
} memfs_node;

typedef struct {
    memfs_node nodes[MEMFS_NODES];
    int open_objects;           /* files and directories not yet closed */
    const char *start;          /* where relative paths begin */
    bool fail_io;               /* reads and writes fail (FAILURE) */
} memfs;

typedef struct {
    int node;
    uint32_t flags;
} memfs_file;

typedef struct {
    char path[MEMFS_PATH];
    int pos;                    /* -2: ".", -1: "..", then node indexes */
} memfs_dir;

/* path made absolute and normalised ("." and ".." as text); false when it
 * does not fit or climbs above "/" (it then stays at "/", as the kernel). */
static inline bool memfs_norm(const memfs *fs, const char *path, char *out)
{
    char buf[2 * MEMFS_PATH + 2];
    size_t n = 0, ls = path[0] == '/' ? 0 : strlen(fs->start), lp = strlen(path);
    if (ls + lp + 2 > sizeof buf)
        return false;
    memcpy(buf, fs->start, ls);
    buf[ls] = '/';
    memcpy(buf + ls + 1, path, lp + 1);
    out[0] = '\0';
    for (char *save = NULL, *c = strtok_r(buf, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
        if (strcmp(c, ".") == 0)
            continue;
        if (strcmp(c, "..") == 0) {
            char *slash = strrchr(out, '/');
            n = slash ? (size_t)(slash - out) : 0;
            out[n] = '\0';
            continue;
        }
        if (n + strlen(c) + 2 > MEMFS_PATH)
            return false;
        n += (size_t)sprintf(out + n, "/%s", c);
    }
    if (n == 0)
        strcpy(out, "/");
    return true;
}

static inline int memfs_find(const memfs *fs, const char *abs)
{
    for (int i = 0; i < MEMFS_NODES; i++)
        if (fs->nodes[i].used && strcmp(fs->nodes[i].path, abs) == 0)
            return i;
    return -1;
}

static inline bool memfs_is(const memfs_node *n, uint32_t type)
{
    return (n->attrs.permissions & 0170000u) == (type & 0170000u);
}

/* The node path names, or -1 (*abs gets the normalised path). */
static inline int memfs_lookup(const memfs *fs, const char *path, char *abs)
{
    return memfs_norm(fs, path, abs) ? memfs_find(fs, abs) : -1;
}

/* Whether abs's parent is an existing directory. */
static inline bool memfs_parent_ok(const memfs *fs, const char *abs)
{
    char parent[MEMFS_PATH];
    strcpy(parent, abs);
    char *slash = strrchr(parent, '/');
    if (slash == parent)
        parent[1] = '\0';
    else
        *slash = '\0';
    int p = memfs_find(fs, parent);
    return p >= 0 && memfs_is(&fs->nodes[p], MEMFS_DIR);
}

static inline int memfs_add(memfs *fs, const char *abs, uint32_t mode)
{
    if (strcmp(abs, "/") != 0 && !memfs_parent_ok(fs, abs))
        return -1;
    for (int i = 0; i < MEMFS_NODES; i++) {
        memfs_node *n = &fs->nodes[i];
        if (n->used)
            continue;
        free(n->data);          /* written through a handle after its removal */
        memset(n, 0, sizeof *n);
        n->used = true;
        strcpy(n->path, abs);
        n->attrs = (sshkit_sftp_attrs){ .flags = 0xf, .permissions = mode, .uid = 1000,
                                        .gid = 100, .atime = 86400, .mtime = 86400 };
        return i;
    }
    return -1;
}

static inline void memfs_init(memfs *fs)
{
    memset(fs, 0, sizeof *fs);
    fs->start = "/home";
    memfs_add(fs, "/", MEMFS_DIR);
    memfs_add(fs, "/home", MEMFS_DIR);
}

/* A file with contents, for tests (abs must be normalised). */
static inline int memfs_put(memfs *fs, const char *abs, const void *data, size_t len)
{
    int i = memfs_add(fs, abs, MEMFS_REG);
    if (i >= 0 && len) {
        fs->nodes[i].data = malloc(len);
        memcpy(fs->nodes[i].data, data, len);
        fs->nodes[i].cap = fs->nodes[i].attrs.size = len;
    }
    return i;
}

static inline void memfs_free(memfs *fs)
{
    for (int i = 0; i < MEMFS_NODES; i++)
        free(fs->nodes[i].data);
    memset(fs->nodes, 0, sizeof fs->nodes);
}

static inline void memfs_set(memfs_node *n, const sshkit_sftp_attrs *a)
{
    if (a->flags & SSHKIT_SFTP_ATTR_SIZE && a->size <= n->cap)
        n->attrs.size = a->size;
    if (a->flags & SSHKIT_SFTP_ATTR_PERMISSIONS)
        n->attrs.permissions = (n->attrs.permissions & 0170000u) | (a->permissions & 07777);
    if (a->flags & SSHKIT_SFTP_ATTR_UIDGID) {
        n->attrs.uid = a->uid;
        n->attrs.gid = a->gid;
    }
    if (a->flags & SSHKIT_SFTP_ATTR_ACMODTIME) {
        n->attrs.atime = a->atime;
        n->attrs.mtime = a->mtime;
    }
}

#endif
