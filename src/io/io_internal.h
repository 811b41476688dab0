/* What the socket drivers share: the clock, waiting in poll(), socket
 * options, and the pump that moves a session's bytes without blocking. */
#ifndef SSHKIT_IO_INTERNAL_H
#define SSHKIT_IO_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sshkit/io.h>

/* A deadline that never comes. */
#define SK_IO_NEVER UINT64_MAX

/* Milliseconds on CLOCK_MONOTONIC. */
uint64_t sk_io_now_ms(void);

/* The deadline for a timeout_ms argument (negative: SK_IO_NEVER). */
uint64_t sk_io_deadline(int timeout_ms);

/* A poll() timeout for what is left until a deadline (-1 for none). */
int sk_io_remaining(uint64_t deadline);

/* Waits until fd is ready for events (POLLIN, POLLOUT) or the deadline
 * passes, through EINTR. 0 when ready (errors and hang-ups count as ready),
 * SSHKIT_E_TIMEOUT, or SSHKIT_E_IO. */
int sk_io_wait(int fd, short events, uint64_t deadline);

/* Sets FD_CLOEXEC; 0 or -1 with errno. */
int sk_io_set_cloexec(int fd);

/* Clears O_NONBLOCK; 0 or -1 with errno. */
int sk_io_set_blocking(int fd);

/* Sets TCP_NODELAY where it applies (errors are ignored). */
void sk_io_set_nodelay(int fd);

/* Acknowledges what was just received at once instead of after the delayed-
 * ACK timer (Linux TCP_QUICKACK; not sticky, so it is set after each read).
 * During the handshake a peer that leaves Nagle on (OpenSSH's ssh does for a
 * command) holds its next small packet until our ACK of its last one: 40 ms
 * of nothing, twice per connection, without this. */
void sk_io_quickack(int fd);

/* Formats a message into a caller's optional buffer. */
void sk_io_message(char *err, size_t err_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes as much pending output as the socket takes now: 0 when all of it
 * is written, SSHKIT_E_AGAIN, SSHKIT_E_CONNECTION_CLOSED when the
 * connection broke (the output is dropped and the session told), or
 * SSHKIT_E_IO for an unusable descriptor. */
int sk_io_write_pending(sshkit_session *s, int fd);

/* One step of the non-blocking driver; see sshkit_nb_process(). */
int sk_io_step(sshkit_session *s, int fd, sshkit_event *ev, unsigned *want);

/* A TCP connection being made without blocking: each address of a host
 * in turn (getaddrinfo()'s order), within one time budget for them all
 * (OpenSSH's ConnectTimeout). sshkit_connect() is this, driven by poll(). */
typedef struct sk_connector {
    struct addrinfo *addresses;         /* from getaddrinfo() */
    const struct addrinfo *next;        /* the next address to try */
    int fd;                             /* the attempt in progress, or -1 */
    uint64_t deadline;
    int last_errno;                     /* why the last attempt failed */
    int result;                         /* the outcome once known; SSHKIT_E_AGAIN before */
    char host[256];
    unsigned port;
} sk_connector;

/* Resolves the host (this blocks, as getaddrinfo() does) and starts
 * connecting to its first address. 0 when under way (or already failed:
 * sk_connector_continue() says), SSHKIT_E_INVALID_ARGUMENT. */
int sk_connector_start(sk_connector *k, const char *host, unsigned port, int timeout_ms,
                       char *err, size_t err_size);

/* Goes on without blocking: 0 when connected (take k->fd: it is then
 * blocking-mode, close-on-exec, TCP_NODELAY), SSHKIT_E_AGAIN while the
 * attempt on k->fd waits (poll it for POLLOUT, at most until k->deadline),
 * or the failure: SSHKIT_E_RESOLVE, SSHKIT_E_CONNECT, SSHKIT_E_TIMEOUT,
 * SSHKIT_E_IO, SSHKIT_E_NOMEM, with a line in err. */
int sk_connector_continue(sk_connector *k, char *err, size_t err_size);

/* Frees what the connector holds; closes an attempt still in progress. */
void sk_connector_free(sk_connector *k);

#endif
