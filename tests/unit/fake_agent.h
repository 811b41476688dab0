/* Test helper: a scripted ssh-agent on the other end of a socketpair. The
 * test writes the agent's reply before the call (the client sends its
 * request, then finds the reply waiting), and reads the request after it. */
#ifndef SSHKIT_TESTS_FAKE_AGENT_H
#define SSHKIT_TESTS_FAKE_AGENT_H

#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <sshkit/agent.h>

#include "wire/writer.h"

typedef struct {
    sshkit_agent *agent;    /* the client's end */
    int peer;               /* the fake agent's end; -1 once hung up */
} fake_agent;

/* A client with timeout_ms on each request. */
static inline void fake_open(fake_agent *f, int timeout_ms)
{
    int fds[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    assert_int_equal(sshkit_agent_from_fd(fds[0], timeout_ms, &f->agent), 0);
    f->peer = fds[1];
}

static inline void fake_hang_up(fake_agent *f)
{
    if (f->peer >= 0)
        close(f->peer);
    f->peer = -1;
}

static inline void fake_close(fake_agent *f)
{
    sshkit_agent_free(f->agent);
    fake_hang_up(f);
}

/* Raw bytes for the client to read. */
static inline void fake_raw(fake_agent *f, const void *data, size_t len)
{
    assert_int_equal(write(f->peer, data, len), (ssize_t)len);
}

/* A whole reply (type byte first), framed with its length. */
static inline void fake_reply(fake_agent *f, const sk_buf *msg)
{
    uint8_t head[4];
    sk_store_u32(head, (uint32_t)msg->len);
    fake_raw(f, head, 4);
    fake_raw(f, msg->data, msg->len);
}

/* A reply of one byte (SUCCESS, FAILURE...). */
static inline void fake_reply_byte(fake_agent *f, uint8_t type)
{
    const uint8_t msg[5] = { 0, 0, 0, 1, type };
    fake_raw(f, msg, sizeof msg);
}

/* Reads the request the client sent (its type byte first) into buf;
 * returns its length. */
static inline size_t fake_request(fake_agent *f, uint8_t *buf, size_t cap)
{
    uint8_t head[4];
    assert_int_equal(read(f->peer, head, 4), 4);
    size_t len = sk_load_u32(head), got = 0;
    assert_true(len <= cap);
    while (got < len) {
        ssize_t n = read(f->peer, buf + got, len - got);
        assert_true(n > 0);
        got += (size_t)n;
    }
    return len;
}

#endif
