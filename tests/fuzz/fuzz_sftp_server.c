/* Fuzzes the SFTP server engine (src/sftp/server*.c) with packet streams
 * from a client, over the in-memory tree of tests/unit/sftp_memfs.h (no
 * disk, bounded files).
 *
 * Input: [flags][piece][client bytes]. flags: bit 0 sends a well-formed
 * INIT first; bit 1 makes the server read-only; bit 2 allows 2 handles;
 * bit 3 leaves replies unread until the end (back-pressure). The client
 * bytes arrive in pieces of 1 + piece * 64 bytes.
 *
 * Checked beyond "does not crash": every reply is a whole packet within
 * the size limit with a reply type; the input buffer never takes more than
 * it offers room for; after the server is freed every file and directory
 * it opened is closed. */
#include <string.h>

#include "fuzz.h"

#define MEMFS_MAX_FILE ((size_t)1 << 20)
#include "../unit/sftp_memfs.h"
#include "sftp/sftp_proto.h"

static bool reply_type(uint8_t t)
{
    return t == SK_FXP_VERSION || t == SK_FXP_STATUS || t == SK_FXP_HANDLE ||
           t == SK_FXP_DATA || t == SK_FXP_NAME || t == SK_FXP_ATTRS ||
           t == SK_FXP_EXTENDED_REPLY;
}

/* Takes every reply waiting, checking its framing. */
static void drain(sshkit_sftp_server *srv)
{
    const uint8_t *p;
    size_t n;
    while ((n = sshkit_sftp_server_pending(srv, &p)) > 0) {
        long whole = sk_sftp_frame(p, n, SK_SFTP_MAX_PACKET);
        FUZZ_ASSERT(whole > 4 && reply_type(p[4]));
        sshkit_sftp_server_sent(srv, (size_t)whole);
    }
}

static int run_until_idle(sshkit_sftp_server *srv, bool read_replies)
{
    int rc;
    for (int i = 0; i < 64; i++) {
        if (read_replies)
            drain(srv);
        rc = sshkit_sftp_server_process(srv);
        if (rc != 1)
            return rc;
    }
    return 1;
}

static void feed(sshkit_sftp_server *srv, const uint8_t *data, size_t len, size_t piece,
                 bool read_replies)
{
    while (len > 0) {
        size_t n = len < piece ? len : piece;
        uint8_t *room;
        size_t cap;
        if (sshkit_sftp_server_receive_buffer(srv, &room, &cap) != 0)
            return;
        if (cap == 0) {
            drain(srv);             /* the client reads at last */
            if (run_until_idle(srv, true) < 0)
                return;
            continue;
        }
        int took = sshkit_sftp_server_receive(srv, data, n);
        if (took < 0)
            return;
        FUZZ_ASSERT((size_t)took <= n && (size_t)took <= cap);
        data += took;
        len -= (size_t)took;
        if (run_until_idle(srv, read_replies) < 0)
            return;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static memfs fs;
    static const uint8_t init[] = { 0, 0, 0, 5, SK_FXP_INIT, 0, 0, 0, 3 };
    fuzz_input in = { data, size };
    uint8_t flags = fuzz_byte(&in);
    size_t piece = 1 + (size_t)fuzz_byte(&in) * 64;
    sshkit_sftp_server *srv;

    memfs_init(&fs);
    memfs_put(&fs, "/home/file", "contents", 8);
    memfs_add(&fs, "/home/dir", MEMFS_DIR);
    if (sshkit_sftp_server_new(&memfs_ops, &fs, &srv) != 0)
        return 0;
    sshkit_sftp_server_set_read_only(srv, flags & 2);
    if (flags & 4)
        sshkit_sftp_server_set_max_handles(srv, 2);
    bool read_replies = !(flags & 8);
    if (flags & 1)
        feed(srv, init, sizeof init, sizeof init, true);
    feed(srv, in.data, in.len, piece, read_replies);
    sshkit_sftp_server_end_input(srv);
    run_until_idle(srv, true);
    drain(srv);
    sshkit_sftp_server_free(srv);
    FUZZ_ASSERT(fs.open_objects == 0);
    memfs_free(&fs);
    return 0;
}
