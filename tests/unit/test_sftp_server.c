/* The SFTP server engine fed packets in memory, over the in-memory tree:
 * VERSION and its extensions, the requests on files and paths and their
 * replies, read-only mode. Directory listings and OpenSSH's extensions are
 * in test_sftp_server_ext.c; limits, bad input and flow control in
 * test_sftp_server_limits.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sftp_test_client.h"

static int setup(void **state)
{
    sftp_fx *f = malloc(sizeof *f);
    fx_init(f, &memfs_ops);
    fx_hello(f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_done(*state);
    free(*state);
    return 0;
}

/* The extension names VERSION lists, joined with spaces. */
static void version_extensions(const sshkit_sftp_server_ops *ops, bool read_only, char *out,
                               size_t cap)
{
    sftp_fx f;
    sk_reader r;
    uint8_t type;
    uint32_t version;
    sk_bytes name, value;
    fx_init(&f, ops);
    sshkit_sftp_server_set_read_only(f.srv, read_only);
    size_t at = fx_begin(&f, SK_FXP_INIT, 0);
    sk_write_u32(&f.req, 3);
    fx_send(&f, at);
    assert_true(fx_reply(&f, &type, &version, &r));
    assert_int_equal(type, SK_FXP_VERSION);
    assert_int_equal(version, 3);
    out[0] = '\0';
    while (sk_reader_remaining(&r) > 0) {
        assert_int_equal(sk_read_string(&r, &name), 0);
        assert_int_equal(sk_read_string(&r, &value), 0);
        size_t n = strlen(out);
        snprintf(out + n, cap - n, "%s%.*s=%.*s", n ? " " : "", (int)name.len,
                 (const char *)name.ptr, (int)value.len, (const char *)value.ptr);
    }
    fx_done(&f);
}

static void test_version_lists_what_the_operations_allow(void **state)
{
    char got[1024];
    (void)state;
    version_extensions(sshkit_sftp_local_ops(), false, got, sizeof got);
    assert_string_equal(got, "posix-rename@openssh.com=1 statvfs@openssh.com=2 "
                             "fstatvfs@openssh.com=2 hardlink@openssh.com=1 fsync@openssh.com=1 "
                             "lsetstat@openssh.com=1 limits@openssh.com=1 "
                             "expand-path@openssh.com=1 copy-data=1 "
                             "users-groups-by-id@openssh.com=1");
    /* memfs has no hardlink; read-only drops what changes the tree. */
    version_extensions(&memfs_ops, true, got, sizeof got);
    assert_string_equal(got, "statvfs@openssh.com=2 fstatvfs@openssh.com=2 limits@openssh.com=1 "
                             "expand-path@openssh.com=1 users-groups-by-id@openssh.com=1");
    const sshkit_sftp_server_ops bare = { .open = memfs_open, .close = memfs_close };
    version_extensions(&bare, false, got, sizeof got);
    assert_string_equal(got, "limits@openssh.com=1");
}

static void test_write_then_read_back(void **state)
{
    sftp_fx *f = *state;
    uint8_t h[8];
    sk_reader r;
    sk_bytes data;
    assert_int_equal(fx_open(f, 1, "notes.txt", SSHKIT_SFTP_WRITE | SSHKIT_SFTP_CREAT, h), 0);
    size_t at = fx_handle_request(f, SK_FXP_WRITE, 2, h, 8);
    sk_write_u64(&f->req, 0);
    sk_write_cstring(&f->req, "hello");
    fx_send(f, at);
    assert_int_equal(fx_status(f, 2), SSHKIT_SFTP_OK);
    at = fx_handle_request(f, SK_FXP_WRITE, 3, h, 8);
    sk_write_u64(&f->req, 10);
    sk_write_cstring(&f->req, "world");
    fx_send(f, at);
    assert_int_equal(fx_status(f, 3), SSHKIT_SFTP_OK);
    /* Reading a file opened for writing only fails; the handle stays good. */
    at = fx_handle_request(f, SK_FXP_READ, 4, h, 8);
    sk_write_u64(&f->req, 0);
    sk_write_u32(&f->req, 100);
    fx_send(f, at);
    assert_int_equal(fx_status(f, 4), SSHKIT_SFTP_FAILURE);
    assert_int_equal(fx_close(f, 5, h), SSHKIT_SFTP_OK);
    assert_int_equal(fx_close(f, 6, h), SSHKIT_SFTP_FAILURE);     /* closed already */

    assert_int_equal(fx_open(f, 7, "/home/notes.txt", SSHKIT_SFTP_READ, h), 0);
    at = fx_handle_request(f, SK_FXP_READ, 8, h, 8);
    sk_write_u64(&f->req, 0);
    sk_write_u32(&f->req, 100);
    fx_send(f, at);
    fx_expect(f, SK_FXP_DATA, 8, &r);
    assert_int_equal(sk_read_string(&r, &data), 0);
    assert_int_equal(data.len, 15);
    assert_memory_equal(data.ptr, "hello\0\0\0\0\0world", 15);
    at = fx_handle_request(f, SK_FXP_READ, 9, h, 8);
    sk_write_u64(&f->req, 15);
    sk_write_u32(&f->req, 100);
    fx_send(f, at);
    assert_int_equal(fx_status(f, 9), SSHKIT_SFTP_EOF);
    fx_send(f, fx_handle_request(f, SK_FXP_FSTAT, 10, h, 8));
    sshkit_sftp_attrs a;
    fx_expect(f, SK_FXP_ATTRS, 10, &r);
    assert_int_equal(sk_sftp_read_attrs(&r, &a), 0);
    assert_int_equal(a.size, 15);
    assert_int_equal(a.permissions, MEMFS_REG);
    assert_int_equal(fx_close(f, 11, h), SSHKIT_SFTP_OK);
    assert_int_equal(fx_open(f, 12, "missing", SSHKIT_SFTP_READ, h), SSHKIT_SFTP_NO_SUCH_FILE);
    assert_int_equal(fx_open(f, 13, "notes.txt", SSHKIT_SFTP_WRITE | SSHKIT_SFTP_CREAT |
                                                     SSHKIT_SFTP_EXCL, h), SSHKIT_SFTP_FAILURE);
}

static unsigned attrs_of(sftp_fx *f, uint8_t type, uint32_t id, const char *path,
                         sshkit_sftp_attrs *a)
{
    sk_reader r;
    uint8_t got;
    uint32_t got_id;
    fx_path_request(f, type, id, path);
    assert_true(fx_reply(f, &got, &got_id, &r));
    assert_int_equal(got_id, id);
    if (got == SK_FXP_STATUS) {
        uint32_t code;
        sk_read_u32(&r, &code);
        return code;
    }
    assert_int_equal(got, SK_FXP_ATTRS);
    assert_int_equal(sk_sftp_read_attrs(&r, a), 0);
    return 0;
}

static void test_paths(void **state)
{
    sftp_fx *f = *state;
    sshkit_sftp_attrs a;
    assert_int_equal(attrs_of(f, SK_FXP_STAT, 1, "/", &a), 0);
    assert_int_equal(a.permissions, MEMFS_DIR);
    assert_int_equal(attrs_of(f, SK_FXP_LSTAT, 2, "nothing", &a), SSHKIT_SFTP_NO_SUCH_FILE);
    size_t at = fx_begin(f, SK_FXP_MKDIR, 3);
    sk_write_cstring(&f->req, "d");
    sk_write_u32(&f->req, 0);
    fx_send(f, at);
    assert_int_equal(fx_status(f, 3), SSHKIT_SFTP_OK);
    at = fx_begin(f, SK_FXP_SETSTAT, 4);
    sk_write_cstring(&f->req, "d");
    sk_sftp_write_attrs(&f->req, &(sshkit_sftp_attrs){ .flags = SSHKIT_SFTP_ATTR_PERMISSIONS |
                                                                SSHKIT_SFTP_ATTR_ACMODTIME,
                                                       .permissions = 0700, .atime = 5,
                                                       .mtime = 6 });
    fx_send(f, at);
    assert_int_equal(fx_status(f, 4), SSHKIT_SFTP_OK);
    assert_true(fx_logged(f, "set \"d\" modtime 19700101-00:00:06"));
    assert_int_equal(attrs_of(f, SK_FXP_STAT, 5, "/home/d", &a), 0);
    assert_int_equal(a.permissions, 040700);
    assert_int_equal(a.mtime, 6);
    /* SFTP's RENAME does not replace; posix-rename does. */
    memfs_put(&f->fs, "/home/a", "A", 1);
    memfs_put(&f->fs, "/home/b", "B", 1);
    at = fx_begin(f, SK_FXP_RENAME, 6);
    sk_write_cstring(&f->req, "a");
    sk_write_cstring(&f->req, "b");
    fx_send(f, at);
    assert_int_equal(fx_status(f, 6), SSHKIT_SFTP_FAILURE);
    at = fx_begin(f, SK_FXP_EXTENDED, 7);
    sk_write_cstring(&f->req, "posix-rename@openssh.com");
    sk_write_cstring(&f->req, "a");
    sk_write_cstring(&f->req, "b");
    fx_send(f, at);
    assert_int_equal(fx_status(f, 7), SSHKIT_SFTP_OK);
    assert_int_equal(attrs_of(f, SK_FXP_STAT, 8, "a", &a), SSHKIT_SFTP_NO_SUCH_FILE);
    fx_path_request(f, SK_FXP_REMOVE, 9, "b");
    assert_int_equal(fx_status(f, 9), SSHKIT_SFTP_OK);
    fx_path_request(f, SK_FXP_REMOVE, 10, "d");
    assert_int_equal(fx_status(f, 10), SSHKIT_SFTP_FAILURE);      /* a directory */
    fx_path_request(f, SK_FXP_RMDIR, 11, "d");
    assert_int_equal(fx_status(f, 11), SSHKIT_SFTP_OK);
    fx_path_request(f, SK_FXP_RMDIR, 12, "d");
    assert_int_equal(fx_status(f, 12), SSHKIT_SFTP_NO_SUCH_FILE);
}

/* The one name of a NAME reply (REALPATH, READLINK, expand-path). */
static void expect_name(sftp_fx *f, uint32_t id, const char *want)
{
    sk_reader r;
    uint32_t count;
    sk_bytes name, longname;
    sshkit_sftp_attrs a;
    fx_expect(f, SK_FXP_NAME, id, &r);
    sk_read_u32(&r, &count);
    sk_read_string(&r, &name);
    sk_read_string(&r, &longname);
    sk_sftp_read_attrs(&r, &a);
    assert_int_equal(sk_reader_finish(&r), 0);
    assert_int_equal(count, 1);
    assert_int_equal(name.len, strlen(want));
    assert_memory_equal(name.ptr, want, name.len);
    assert_int_equal(a.flags, 0);
}

static void expand(sftp_fx *f, uint32_t id, const char *path)
{
    size_t at = fx_begin(f, SK_FXP_EXTENDED, id);
    sk_write_cstring(&f->req, "expand-path@openssh.com");
    sk_write_cstring(&f->req, path);
    fx_send(f, at);
}

static void test_realpath_links_and_expand_path(void **state)
{
    sftp_fx *f = *state;
    fx_path_request(f, SK_FXP_REALPATH, 1, "");
    expect_name(f, 1, "/home");
    fx_path_request(f, SK_FXP_REALPATH, 2, "../../x/./y/..");
    expect_name(f, 2, "/x");
    /* OpenSSH's order: the target, then the link. */
    size_t at = fx_begin(f, SK_FXP_SYMLINK, 3);
    sk_write_cstring(&f->req, "/some/target");
    sk_write_cstring(&f->req, "ln");
    fx_send(f, at);
    assert_int_equal(fx_status(f, 3), SSHKIT_SFTP_OK);
    fx_path_request(f, SK_FXP_READLINK, 4, "/home/ln");
    expect_name(f, 4, "/some/target");
    fx_path_request(f, SK_FXP_READLINK, 5, "/home");
    assert_int_equal(fx_status(f, 5), SSHKIT_SFTP_FAILURE);
    expand(f, 6, "~");
    expect_name(f, 6, "/home");
    expand(f, 7, "~/sub/..");
    expect_name(f, 7, "/home");
    expand(f, 8, "~bob/x");
    assert_int_equal(fx_status(f, 8), SSHKIT_SFTP_NO_SUCH_FILE);
    expand(f, 9, "rel");
    expect_name(f, 9, "/home/rel");
}

static void test_read_only(void **state)
{
    sftp_fx *f = *state;
    uint8_t h[8];
    sshkit_sftp_server_set_read_only(f->srv, true);
    memfs_put(&f->fs, "/home/r", "data", 4);
    assert_int_equal(fx_open(f, 1, "r", SSHKIT_SFTP_WRITE, h), SSHKIT_SFTP_PERMISSION_DENIED);
    assert_int_equal(fx_open(f, 2, "n", SSHKIT_SFTP_READ | SSHKIT_SFTP_CREAT, h),
                     SSHKIT_SFTP_PERMISSION_DENIED);
    fx_path_request(f, SK_FXP_REMOVE, 3, "r");
    assert_int_equal(fx_status(f, 3), SSHKIT_SFTP_PERMISSION_DENIED);
    size_t at = fx_begin(f, SK_FXP_EXTENDED, 4);
    sk_write_cstring(&f->req, "posix-rename@openssh.com");
    sk_write_cstring(&f->req, "r");
    sk_write_cstring(&f->req, "s");
    fx_send(f, at);
    assert_int_equal(fx_status(f, 4), SSHKIT_SFTP_PERMISSION_DENIED);
    assert_int_equal(fx_open(f, 5, "r", SSHKIT_SFTP_READ, h), 0);
    assert_int_equal(fx_close(f, 6, h), SSHKIT_SFTP_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_lists_what_the_operations_allow),
        cmocka_unit_test_setup_teardown(test_write_then_read_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_realpath_links_and_expand_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_only, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
