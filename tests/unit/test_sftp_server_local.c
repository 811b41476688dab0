/* The local file system tree (sshkit_sftp_local) at the level of its
 * operations, in a scratch directory: with a root, "..", absolute paths,
 * a link to "/", links that climb, links made by the client that point out,
 * renames, hard links and directories made out of the root all stay in it
 * (or find nothing), and the files next to the root are never touched;
 * realpath shows paths from the root; without a root (and without
 * openat2) paths are the system's. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <sshkit/error.h>
#include <sshkit/sftp_server.h>
#include "sftp/server_local.h"

typedef struct {
    char base[64];              /* the scratch directory */
    char root[128];             /* base/root */
    sshkit_sftp_local *fs;
    const sshkit_sftp_server_ops *ops;
} fixture;

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static bool exists(const fixture *x, const char *rel)
{
    char path[512];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", x->base, rel);
    return lstat(path, &st) == 0;
}

static int setup(void **state)
{
    fixture *x = calloc(1, sizeof *x);
    char path[512];
    strcpy(x->base, "/tmp/sshkit-sftpd-unit-XXXXXX");
    assert_non_null(mkdtemp(x->base));
    snprintf(x->root, sizeof x->root, "%s/root", x->base);
    snprintf(path, sizeof path, "%s/secret", x->base);
    write_file(path, "SECRET");
    snprintf(path, sizeof path, "%s/outside", x->base);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/outside/o", x->base);
    write_file(path, "outside");
    assert_int_equal(mkdir(x->root, 0755), 0);
    snprintf(path, sizeof path, "%s/dir", x->root);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/dir/f", x->root);
    write_file(path, "data");
    snprintf(path, sizeof path, "%s/home", x->root);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/up", x->root);
    assert_int_equal(symlink("/", path), 0);
    snprintf(path, sizeof path, "%s/dotdot", x->root);
    assert_int_equal(symlink("../..", path), 0);
    char target[128];
    snprintf(target, sizeof target, "%s/outside", x->base);
    snprintf(path, sizeof path, "%s/abs_out", x->root);
    assert_int_equal(symlink(target, path), 0);
    assert_int_equal(sshkit_sftp_local_new(x->root, "/home", &x->fs), 0);
    x->ops = sshkit_sftp_local_ops();
    *state = x;
    return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    fixture *x = *state;
    sshkit_sftp_local_free(x->fs);
    nftw(x->base, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    free(x);
    return 0;
}

static int try_open(fixture *x, const char *path, uint32_t flags)
{
    const sshkit_sftp_attrs none = { 0 };
    void *file = NULL;
    int st = x->ops->open(x->fs, path, flags, &none, &file);
    if (st == SSHKIT_SFTP_OK)
        x->ops->close(x->fs, file);
    return st;
}

static void expect_realpath(fixture *x, const char *path, const char *want)
{
    char out[SSHKIT_SFTP_PATH_MAX];
    assert_int_equal(x->ops->realpath(x->fs, path, out, sizeof out), SSHKIT_SFTP_OK);
    assert_string_equal(out, want);
}

static void test_paths_resolve_inside_the_root(void **state)
{
    fixture *x = *state;
    const char *escapes[] = { "../secret", "/../../secret", "../../../../../../etc/passwd",
                              "/etc/passwd", "/up/etc/passwd", "/up/../secret", "/dotdot/secret",
                              "/abs_out/o", "/dir/../../secret" };
    for (size_t i = 0; i < sizeof escapes / sizeof escapes[0]; i++)
        assert_int_equal(try_open(x, escapes[i], SSHKIT_SFTP_READ), SSHKIT_SFTP_NO_SUCH_FILE);
    assert_int_equal(try_open(x, "../dir/f", SSHKIT_SFTP_READ), SSHKIT_SFTP_OK);
    assert_int_equal(try_open(x, "/up/dir/f", SSHKIT_SFTP_READ), SSHKIT_SFTP_OK);
    assert_int_equal(try_open(x, "/dotdot/dotdot/up/dir/f", SSHKIT_SFTP_READ), SSHKIT_SFTP_OK);
    expect_realpath(x, ".", "/home");
    expect_realpath(x, "", "/home");
    expect_realpath(x, "../../../..", "/");
    expect_realpath(x, "/up", "/");
    expect_realpath(x, "/dotdot/dir", "/dir");
    expect_realpath(x, "/up/dir/missing", "/dir/missing");     /* the last may be missing */
    char out[SSHKIT_SFTP_PATH_MAX];
    assert_int_equal(x->ops->realpath(x->fs, "/nope/missing", out, sizeof out),
                     SSHKIT_SFTP_NO_SUCH_FILE);
    assert_int_equal(x->ops->readlink(x->fs, "/up", out, sizeof out), SSHKIT_SFTP_OK);
    assert_string_equal(out, "/");
    assert_int_equal(x->ops->readlink(x->fs, "/..", out, sizeof out), SSHKIT_SFTP_BAD_MESSAGE);
}

static void test_looking_at_the_root_from_inside(void **state)
{
    fixture *x = *state;
    sshkit_sftp_attrs a, b;
    struct stat st;
    /* ".." of the root is the root (an lstat of it too). */
    assert_int_equal(stat(x->root, &st), 0);
    assert_int_equal(x->ops->stat(x->fs, "/..", false, &a), SSHKIT_SFTP_OK);
    assert_int_equal(x->ops->stat(x->fs, "/up", true, &b), SSHKIT_SFTP_OK);
    assert_int_equal(a.permissions, (uint32_t)st.st_mode);
    assert_int_equal(a.mtime, (uint32_t)st.st_mtime);
    assert_true(a.flags == b.flags && a.size == b.size && a.uid == b.uid && a.gid == b.gid &&
                a.permissions == b.permissions && a.atime == b.atime && a.mtime == b.mtime);
    assert_int_equal(x->ops->stat(x->fs, "/up", false, &a), SSHKIT_SFTP_OK);
    assert_int_equal(a.permissions & 0170000, 0120000);       /* the link itself */
    /* A listing of "/.." is the root's. */
    void *dir;
    sshkit_sftp_server_entry e;
    bool saw_dir = false, saw_secret = false;
    assert_int_equal(x->ops->opendir(x->fs, "/..", &dir), SSHKIT_SFTP_OK);
    while (x->ops->readdir(x->fs, dir, &e) == SSHKIT_SFTP_OK) {
        saw_dir |= strcmp(e.name, "dir") == 0;
        saw_secret |= strcmp(e.name, "secret") == 0;
    }
    assert_int_equal(x->ops->closedir(x->fs, dir), SSHKIT_SFTP_OK);
    assert_true(saw_dir);
    assert_false(saw_secret);
    sshkit_sftp_fs_stats v;
    assert_int_equal(x->ops->statvfs(x->fs, "/up", &v), SSHKIT_SFTP_OK);
    assert_true(v.namemax > 0);
}

static void test_changes_stay_inside(void **state)
{
    fixture *x = *state;
    char target[128];
    struct stat before, after;
    const sshkit_sftp_attrs times = { .flags = SSHKIT_SFTP_ATTR_ACMODTIME, .atime = 1000,
                                      .mtime = 1000 };
    /* A link the client makes to outside is read inside the root. */
    snprintf(target, sizeof target, "%s", x->base);
    assert_int_equal(x->ops->symlink(x->fs, target, "/esc"), SSHKIT_SFTP_OK);
    assert_int_equal(try_open(x, "/esc/secret", SSHKIT_SFTP_READ), SSHKIT_SFTP_NO_SUCH_FILE);
    assert_int_equal(try_open(x, "/esc/created", SSHKIT_SFTP_WRITE | SSHKIT_SFTP_CREAT),
                     SSHKIT_SFTP_NO_SUCH_FILE);
    assert_int_equal(x->ops->symlink(x->fs, "/", "/home/out"), SSHKIT_SFTP_OK);
    assert_int_equal(try_open(x, "/home/out/created", SSHKIT_SFTP_WRITE | SSHKIT_SFTP_CREAT),
                     SSHKIT_SFTP_OK);
    assert_true(exists(x, "root/created"));
    assert_false(exists(x, "created"));
    /* Renames, hard links and directories aimed out land in the root. */
    assert_int_equal(x->ops->rename(x->fs, "/dir/f", "../../../moved", false), SSHKIT_SFTP_OK);
    assert_true(exists(x, "root/moved"));
    assert_false(exists(x, "moved"));
    assert_int_equal(x->ops->rename(x->fs, "/moved", "/up/../../moved2", true), SSHKIT_SFTP_OK);
    assert_true(exists(x, "root/moved2"));
    assert_int_equal(x->ops->rename(x->fs, "/moved2", "/abs_out/o", true),
                     SSHKIT_SFTP_NO_SUCH_FILE);
    assert_int_equal(x->ops->link(x->fs, "/moved2", "/../linked"), SSHKIT_SFTP_OK);
    assert_true(exists(x, "root/linked"));
    assert_int_equal(x->ops->link(x->fs, "/../secret", "/stolen"), SSHKIT_SFTP_NO_SUCH_FILE);
    const sshkit_sftp_attrs mode = { .flags = SSHKIT_SFTP_ATTR_PERMISSIONS, .permissions = 0700 };
    assert_int_equal(x->ops->mkdir(x->fs, "/../../mk", &mode), SSHKIT_SFTP_OK);
    assert_true(exists(x, "root/mk"));
    assert_int_equal(x->ops->remove(x->fs, "../secret"), SSHKIT_SFTP_NO_SUCH_FILE);
    assert_int_equal(x->ops->remove(x->fs, "/dotdot/secret"), SSHKIT_SFTP_NO_SUCH_FILE);
    assert_int_equal(x->ops->rmdir(x->fs, "/abs_out"), SSHKIT_SFTP_NO_SUCH_FILE);   /* a link, not a directory */
    assert_true(exists(x, "secret"));
    assert_true(exists(x, "outside/o"));
    /* Attributes set on ".." of the root, or through a link to "/", are
     * the root's; the directory around it keeps its own. */
    assert_int_equal(stat(x->base, &before), 0);
    assert_int_equal(x->ops->setstat(x->fs, "/..", false, &times), SSHKIT_SFTP_OK);
    assert_int_equal(x->ops->setstat(x->fs, "/up", true, &times), SSHKIT_SFTP_OK);
    assert_int_equal(stat(x->base, &after), 0);
    assert_int_equal(before.st_mtime, after.st_mtime);
    assert_int_equal(stat(x->root, &after), 0);
    assert_int_equal(after.st_mtime, 1000);
    /* A link's own times, through lsetstat. */
    assert_int_equal(x->ops->setstat(x->fs, "/up", false, &times), SSHKIT_SFTP_OK);
    assert_int_equal(x->ops->setstat(x->fs, "/up", false, &mode), SSHKIT_SFTP_FAILURE);
}

static void unconfined_round(fixture *x, bool no_openat2)
{
    sshkit_sftp_local *fs;
    char path[512], out[SSHKIT_SFTP_PATH_MAX];
    assert_int_equal(sshkit_sftp_local_new(NULL, x->base, &fs), 0);
    if (no_openat2)
        sk_local_force_no_openat2(fs);
    const sshkit_sftp_attrs none = { 0 };
    void *file;
    uint32_t got;
    uint8_t buf[16];
    snprintf(path, sizeof path, "%s/secret", x->base);
    assert_int_equal(x->ops->open(fs, path, SSHKIT_SFTP_READ, &none, &file), SSHKIT_SFTP_OK);
    assert_int_equal(x->ops->read(fs, file, 0, buf, sizeof buf, &got), SSHKIT_SFTP_OK);
    assert_int_equal(got, 6);
    assert_memory_equal(buf, "SECRET", 6);
    assert_int_equal(x->ops->read(fs, file, 6, buf, sizeof buf, &got), SSHKIT_SFTP_EOF);
    assert_int_equal(x->ops->close(fs, file), SSHKIT_SFTP_OK);
    assert_int_equal(x->ops->realpath(fs, "root/up/..", out, sizeof out), SSHKIT_SFTP_OK);
    assert_string_equal(out, "/");          /* without a root, "/" is the system's */
    assert_int_equal(x->ops->realpath(fs, ".", out, sizeof out), SSHKIT_SFTP_OK);
    assert_string_equal(out, x->base);
    if (!no_openat2)            /* /proc's descriptor links are not followed */
        assert_int_equal(x->ops->open(fs, "/proc/self/fd/0", SSHKIT_SFTP_READ, &none, &file),
                         SSHKIT_SFTP_NO_SUCH_FILE);
    assert_int_equal(x->ops->mkdir(fs, "made", &none), SSHKIT_SFTP_OK);
    assert_true(exists(x, "made"));
    assert_int_equal(x->ops->rmdir(fs, "made"), SSHKIT_SFTP_OK);
    sshkit_sftp_local_free(fs);
}

static void test_without_a_root(void **state)
{
    unconfined_round(*state, false);
    unconfined_round(*state, true);
}

static void test_bad_roots_and_starts(void **state)
{
    fixture *x = *state;
    sshkit_sftp_local *fs = (sshkit_sftp_local *)1;
    char path[512];
    assert_int_equal(sshkit_sftp_local_new("relative", NULL, &fs), SSHKIT_E_INVALID_ARGUMENT);
    assert_null(fs);
    snprintf(path, sizeof path, "%s/none", x->base);
    assert_int_equal(sshkit_sftp_local_new(path, NULL, &fs), SSHKIT_E_NOT_FOUND);
    snprintf(path, sizeof path, "%s/secret", x->base);
    assert_int_equal(sshkit_sftp_local_new(path, NULL, &fs), SSHKIT_E_NOT_FOUND);
    assert_int_equal(sshkit_sftp_local_new(x->root, "/no/such/dir", &fs), SSHKIT_E_NOT_FOUND);
    assert_int_equal(sshkit_sftp_local_new(x->root, "/dir/f", &fs), SSHKIT_E_NOT_FOUND);
    /* A start given from the system's view is read inside the root. */
    snprintf(path, sizeof path, "%s/dir", x->root);
    assert_int_equal(sshkit_sftp_local_new(x->root, path, &fs), SSHKIT_E_NOT_FOUND);
    assert_int_equal(sshkit_sftp_local_new(x->root, NULL, &fs), 0);
    sshkit_sftp_local_free(fs);
    sshkit_sftp_local_free(NULL);
}

/* One process serves every client: a FIFO without a writer must not stop
 * it. Its open and read return at once. */
static void test_fifo_does_not_block(void **state)
{
    fixture *x = *state;
    char path[512];
    uint8_t buf[8];
    uint32_t got = 0;
    void *file;
    const sshkit_sftp_attrs none = { 0 };
    snprintf(path, sizeof path, "%s/fifo", x->root);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(x->ops->open(x->fs, "/fifo", SSHKIT_SFTP_READ, &none, &file), SSHKIT_SFTP_OK);
    int st = x->ops->read(x->fs, file, 0, buf, sizeof buf, &got);
    assert_true(st == SSHKIT_SFTP_EOF || st == SSHKIT_SFTP_FAILURE);
    assert_int_equal(x->ops->close(x->fs, file), SSHKIT_SFTP_OK);
}

static void test_status_from_errno(void **state)
{
    (void)state;
    assert_int_equal(sshkit_sftp_status_from_errno(0), SSHKIT_SFTP_OK);
    assert_int_equal(sshkit_sftp_status_from_errno(ENOENT), SSHKIT_SFTP_NO_SUCH_FILE);
    assert_int_equal(sshkit_sftp_status_from_errno(ELOOP), SSHKIT_SFTP_NO_SUCH_FILE);
    assert_int_equal(sshkit_sftp_status_from_errno(EACCES), SSHKIT_SFTP_PERMISSION_DENIED);
    assert_int_equal(sshkit_sftp_status_from_errno(EPERM), SSHKIT_SFTP_PERMISSION_DENIED);
    assert_int_equal(sshkit_sftp_status_from_errno(EINVAL), SSHKIT_SFTP_BAD_MESSAGE);
    assert_int_equal(sshkit_sftp_status_from_errno(ENOSYS), SSHKIT_SFTP_OP_UNSUPPORTED);
    assert_int_equal(sshkit_sftp_status_from_errno(EEXIST), SSHKIT_SFTP_FAILURE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_paths_resolve_inside_the_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_looking_at_the_root_from_inside, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changes_stay_inside, setup, teardown),
        cmocka_unit_test_setup_teardown(test_without_a_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_roots_and_starts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_does_not_block, setup, teardown),
        cmocka_unit_test(test_status_from_errno),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
