/* The SFTP server engine fed packets in memory, over the in-memory tree:
 * directory listings in batches with their `ls -l` lines, and OpenSSH's
 * extensions (statvfs, fstatvfs, limits, fsync, lsetstat,
 * users-groups-by-id; hardlink missing from the operations). */
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

static void test_statvfs_limits_fsync(void **state)
{
    sftp_fx *f = *state;
    sk_reader r;
    uint8_t h[8];
    sk_sftp_statvfs v;
    uint64_t packet, rd, wr, handles;
    size_t at = fx_begin(f, SK_FXP_EXTENDED, 1);
    sk_write_cstring(&f->req, "statvfs@openssh.com");
    sk_write_cstring(&f->req, "/");
    fx_send(f, at);
    fx_expect(f, SK_FXP_EXTENDED_REPLY, 1, &r);
    assert_int_equal(sk_sftp_read_statvfs(&r, &v), 0);
    assert_int_equal(v.bavail, 500);
    assert_int_equal(v.flag, SSHKIT_SFTP_ST_NOSUID);
    at = fx_begin(f, SK_FXP_EXTENDED, 2);
    sk_write_cstring(&f->req, "limits@openssh.com");
    fx_send(f, at);
    fx_expect(f, SK_FXP_EXTENDED_REPLY, 2, &r);
    sk_read_u64(&r, &packet);
    sk_read_u64(&r, &rd);
    sk_read_u64(&r, &wr);
    sk_read_u64(&r, &handles);
    assert_int_equal(sk_reader_finish(&r), 0);
    assert_int_equal(packet, 256 * 1024);
    assert_int_equal(rd, 255 * 1024);
    assert_int_equal(wr, 255 * 1024);
    assert_int_equal(handles, 512);
    assert_int_equal(fx_open(f, 3, "f", SSHKIT_SFTP_WRITE | SSHKIT_SFTP_CREAT, h), 0);
    at = fx_begin(f, SK_FXP_EXTENDED, 4);
    sk_write_cstring(&f->req, "fsync@openssh.com");
    sk_write_string(&f->req, h, 8);
    fx_send(f, at);
    assert_int_equal(fx_status(f, 4), SSHKIT_SFTP_OK);
    at = fx_begin(f, SK_FXP_EXTENDED, 5);
    sk_write_cstring(&f->req, "fstatvfs@openssh.com");
    sk_write_string(&f->req, h, 8);
    fx_send(f, at);
    fx_expect(f, SK_FXP_EXTENDED_REPLY, 5, &r);
    assert_int_equal(sk_sftp_read_statvfs(&r, &v), 0);
    assert_int_equal(v.fsid, 7);
    /* memfs has no hardlink operation: unsupported, as an unknown name. */
    at = fx_begin(f, SK_FXP_EXTENDED, 6);
    sk_write_cstring(&f->req, "hardlink@openssh.com");
    sk_write_cstring(&f->req, "f");
    sk_write_cstring(&f->req, "g");
    fx_send(f, at);
    assert_int_equal(fx_status(f, 6), SSHKIT_SFTP_OP_UNSUPPORTED);
    at = fx_begin(f, SK_FXP_EXTENDED, 7);
    sk_write_cstring(&f->req, "no-such-extension@example.com");
    fx_send(f, at);
    assert_int_equal(fx_status(f, 7), SSHKIT_SFTP_OP_UNSUPPORTED);
    /* lsetstat cannot set a size. */
    at = fx_begin(f, SK_FXP_EXTENDED, 8);
    sk_write_cstring(&f->req, "lsetstat@openssh.com");
    sk_write_cstring(&f->req, "f");
    sk_sftp_write_attrs(&f->req, &(sshkit_sftp_attrs){ .flags = SSHKIT_SFTP_ATTR_SIZE });
    fx_send(f, at);
    assert_int_equal(fx_status(f, 8), SSHKIT_SFTP_BAD_MESSAGE);
    assert_int_equal(fx_close(f, 9, h), SSHKIT_SFTP_OK);
}

static void test_users_groups_by_id(void **state)
{
    sftp_fx *f = *state;
    sk_reader r, names;
    sk_bytes users, groups, s;
    uint8_t ids[12];
    sk_store_u32(ids, 0);
    sk_store_u32(ids + 4, 1000);
    sk_store_u32(ids + 8, 4242);
    size_t at = fx_begin(f, SK_FXP_EXTENDED, 1);
    sk_write_cstring(&f->req, "users-groups-by-id@openssh.com");
    sk_write_string(&f->req, ids, 12);
    sk_write_string(&f->req, ids + 8, 4);
    fx_send(f, at);
    fx_expect(f, SK_FXP_EXTENDED_REPLY, 1, &r);
    sk_read_string(&r, &users);
    sk_read_string(&r, &groups);
    assert_int_equal(sk_reader_finish(&r), 0);
    const char *want[] = { "root", "alice", "" };
    sk_reader_init(&names, users.ptr, users.len);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(sk_read_string(&names, &s), 0);
        assert_int_equal(s.len, strlen(want[i]));
        assert_memory_equal(s.ptr, want[i], s.len);
    }
    assert_int_equal(sk_reader_finish(&names), 0);
    assert_int_equal(groups.len, 4);            /* one empty name */
    at = fx_begin(f, SK_FXP_EXTENDED, 2);
    sk_write_cstring(&f->req, "users-groups-by-id@openssh.com");
    sk_write_string(&f->req, ids, 5);           /* not a list of uint32s */
    sk_write_string(&f->req, ids, 0);
    fx_send(f, at);
    assert_int_equal(fx_status(f, 2), SSHKIT_SFTP_BAD_MESSAGE);
    /* 60,000 names would not fit one reply packet: refused, not sent. */
    uint8_t *many = malloc(60000 * 4);
    for (size_t i = 0; i < 60000; i++)
        sk_store_u32(many + 4 * i, 1000);
    at = fx_begin(f, SK_FXP_EXTENDED, 3);
    sk_write_cstring(&f->req, "users-groups-by-id@openssh.com");
    sk_write_string(&f->req, many, 60000 * 4);
    sk_write_string(&f->req, ids, 0);
    fx_send(f, at);
    assert_int_equal(fx_status(f, 3), SSHKIT_SFTP_FAILURE);
    free(many);
}

/* Reads a directory to its end: entries per reply, and the long name of
 * "big" when it comes. */
static unsigned list_dir(sftp_fx *f, const uint8_t h[8], unsigned *replies, char *big_line)
{
    unsigned total = 0;
    for (uint32_t id = 100;; id++) {
        sk_reader r;
        uint8_t type;
        uint32_t got, count;
        fx_send(f, fx_handle_request(f, SK_FXP_READDIR, id, h, 8));
        assert_true(fx_reply(f, &type, &got, &r));
        if (type == SK_FXP_STATUS) {
            uint32_t code;
            sk_read_u32(&r, &code);
            assert_int_equal(code, SSHKIT_SFTP_EOF);
            return total;
        }
        assert_int_equal(type, SK_FXP_NAME);
        sk_read_u32(&r, &count);
        for (uint32_t i = 0; i < count; i++) {
            sk_bytes name, longname;
            sshkit_sftp_attrs a;
            sk_read_string(&r, &name);
            sk_read_string(&r, &longname);
            assert_int_equal(sk_sftp_read_attrs(&r, &a), 0);
            if (name.len == 3 && memcmp(name.ptr, "big", 3) == 0)
                snprintf(big_line, 128, "%.*s", (int)longname.len, (const char *)longname.ptr);
        }
        assert_int_equal(sk_reader_finish(&r), 0);
        total += count;
        (*replies)++;
    }
}

static void test_readdir_in_batches_with_ls_lines(void **state)
{
    sftp_fx *f = *state;
    sk_reader r;
    uint8_t type, h[8];
    uint32_t id;
    char line[128] = "", path[64];
    unsigned replies = 0;
    for (int i = 0; i < 248; i++) {
        snprintf(path, sizeof path, "/home/file%03d", i);
        assert_true(memfs_put(&f->fs, path, "x", 1) >= 0);
    }
    int big = memfs_put(&f->fs, "/home/big", "y", 1);
    f->fs.nodes[big].attrs.size = 123456789;
    f->fs.nodes[big].attrs.permissions = 0104751;   /* setuid, odd bits */
    f->fs.nodes[big].attrs.gid = 777;               /* no name: the number */
    fx_path_request(f, SK_FXP_OPENDIR, 1, ".");
    assert_true(fx_reply(f, &type, &id, &r));
    assert_int_equal(type, SK_FXP_HANDLE);
    sk_bytes hb;
    sk_read_string(&r, &hb);
    memcpy(h, hb.ptr, 8);
    assert_int_equal(list_dir(f, h, &replies, line), 251);    /* ".", "..", 249 files */
    assert_int_equal(replies, 3);
    assert_string_equal(line, "-rwsr-x--x    1 alice    777      123456789 Jan  2  1970 big");
    /* A directory handle is no file handle, and a file's is no directory's. */
    size_t at = fx_handle_request(f, SK_FXP_READ, 2, h, 8);
    sk_write_u64(&f->req, 0);
    sk_write_u32(&f->req, 10);
    fx_send(f, at);
    assert_int_equal(fx_status(f, 2), SSHKIT_SFTP_FAILURE);
    assert_int_equal(fx_close(f, 3, h), SSHKIT_SFTP_OK);
    assert_true(fx_logged(f, "closedir \".\""));
    fx_path_request(f, SK_FXP_OPENDIR, 4, "/home/big");
    assert_int_equal(fx_status(f, 4), SSHKIT_SFTP_NO_SUCH_FILE);
}

int main(void)
{
    setenv("TZ", "UTC", 1);     /* the dates of `ls -l` lines */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_statvfs_limits_fsync, setup, teardown),
        cmocka_unit_test_setup_teardown(test_users_groups_by_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readdir_in_batches_with_ls_lines, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
