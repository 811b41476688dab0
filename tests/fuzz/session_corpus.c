/* Writes the seed corpora of the session harnesses from a real handshake:
 *
 *   sshkit_session_corpus tests/fuzz/corpus
 *
 * session_server/ gets what an sshkit client sends during a key exchange
 * (without its version line: the harness supplies one), session_client/
 * what an sshkit server sends; session_pair/ a post-kex packet of each
 * protection mode (under keys of their own run: they fail the MAC, as most
 * inputs do, but have the right shape); session_mitm/ a few flips. Keys are
 * fresh each run, so the seeds differ from run to run; their shape does not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_session.h"
#include "transport/session_internal.h"

/* Everything one direction carried, without the version line. */
typedef struct {
    sk_buf bytes;
} capture;

static void record(sshkit_session *from, sshkit_session *to, capture *cap)
{
    const uint8_t *data;
    size_t n = sshkit_session_pending(from, &data);
    sk_write_raw(&cap->bytes, data, n);
    size_t used = 0;
    while (used < n) {
        int rc = sshkit_session_receive(to, data + used, n - used);
        if (rc <= 0)
            break;
        used += (size_t)rc;
    }
    sshkit_session_sent(from, n);
}

static void write_seed(const char *dir, const char *name, const uint8_t *head, size_t head_len,
                       const uint8_t *body, size_t body_len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(head, 1, head_len, f) != head_len ||
        fwrite(body, 1, body_len, f) != body_len || fclose(f) != 0) {
        fprintf(stderr, "session_corpus: cannot write %s\n", path);
        exit(1);
    }
}

/* The stream after the version line. */
static const uint8_t *after_version(const sk_buf *b, size_t *len)
{
    const uint8_t *nl = memchr(b->data, '\n', b->len);
    FUZZ_ASSERT(nl != NULL);
    *len = b->len - (size_t)(nl + 1 - b->data);
    return nl + 1;
}

static void handshake_seeds(const char *root)
{
    sshkit_session *c, *s;
    fuzz_pair(0, &c, &s);
    capture to_server = { { 0 } }, to_client = { { 0 } };
    sk_buf_init(&to_server.bytes);
    sk_buf_init(&to_client.bytes);
    for (int round = 0; round < 16; round++) {
        record(c, s, &to_server);
        record(s, c, &to_client);
    }
    FUZZ_ASSERT(sshkit_session_is_secure(c) && sshkit_session_is_secure(s));
    static const uint8_t whole[1] = { 0 }, chunked[4] = { 3, 0, 6, 99 };
    size_t n;
    const uint8_t *p = after_version(&to_server.bytes, &n);
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/session_server", root);
    write_seed(dir, "handshake", whole, sizeof whole, p, n);
    write_seed(dir, "handshake-chunked", chunked, sizeof chunked, p, n);
    p = after_version(&to_client.bytes, &n);
    snprintf(dir, sizeof dir, "%s/session_client", root);
    write_seed(dir, "handshake", whole, sizeof whole, p, n);
    write_seed(dir, "handshake-chunked", chunked, sizeof chunked, p, n);
    sk_buf_free(&to_server.bytes);
    sk_buf_free(&to_client.bytes);
    sshkit_session_free(c);
    sshkit_session_free(s);
}

/* An IGNORE as the client sends it after the key exchange, per mode. */
static void pair_seeds(const char *root)
{
    char dir[1024], name[32];
    snprintf(dir, sizeof dir, "%s/session_pair", root);
    for (uint8_t m = 0; m < 4; m++) {
        sshkit_session *c, *s;
        fuzz_pair(m, &c, &s);
        fuzz_link links[2] = { { 0, NULL, 0 }, { 0, NULL, 0 } };
        fuzz_tally t[2] = { { 0, 0 }, { 0, 0 } };
        fuzz_pump(c, s, links, t);
        sk_buf *b = sk_msg_begin(c, 2);
        sk_write_cstring(b, "seed");
        FUZZ_ASSERT(sk_msg_end(c) == 0);
        const uint8_t *data;
        size_t n = sshkit_session_pending(c, &data);
        const uint8_t head[2] = { m, 0 };
        snprintf(name, sizeof name, "ignore-mode%u", m);
        write_seed(dir, name, head, sizeof head, data, n);
        sshkit_session_free(c);
        sshkit_session_free(s);
    }
}

static void mitm_seeds(const char *root)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/session_mitm", root);
    static const uint8_t none[1] = { 0 }, gcm[1] = { 1 };
    static const uint8_t kexinit[5] = { 2, 0, 0, 40, 0x01 };      /* client's KEXINIT list */
    static const uint8_t version[5] = { 0, 1, 0, 10, 0x04 };      /* server's version line */
    static const uint8_t late[9] = { 3, 0, 4, 0, 0x80, 1, 8, 0, 0x01 };
    write_seed(dir, "clean", none, sizeof none, NULL, 0);
    write_seed(dir, "clean-gcm", gcm, sizeof gcm, NULL, 0);
    write_seed(dir, "flip-kexinit", kexinit, sizeof kexinit, NULL, 0);
    write_seed(dir, "flip-version", version, sizeof version, NULL, 0);
    write_seed(dir, "flip-late", late, sizeof late, NULL, 0);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: sshkit_session_corpus CORPUS_DIR\n");
        return 2;
    }
    handshake_seeds(argv[1]);
    pair_seeds(argv[1]);
    mitm_seeds(argv[1]);
    return 0;
}
