/* sshkit-sshd: TCP forwarding, the server's side (tcp_fwd.c): direct-tcpip
 * channels (ssh -L, ssh -W) connected to their destination without
 * waiting and relayed (chan_relay.c). Hooks: channels.c (the open, events,
 * poll entries, the end of the connection). */
#ifndef SSHKIT_SSHD_TCP_FWD_H
#define SSHKIT_SSHD_TCP_FWD_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "channels.h"

/* A direct-tcpip open (its type-specific data, len bytes): refused at once
 * (AllowTcpForwarding, the key's options, PermitOpen, malformed data), or
 * a connection started; the channel is accepted once it is made. Takes
 * the channel either way. */
void tcp_fwd_open(struct conn *c, sshkit_channel *ch, const uint8_t *data, size_t len);
/* Takes a forwarded channel's event; false for any other. */
bool tcp_fwd_event(struct conn *c, const sshkit_event *ev);
/* Poll entries: how many, filling them from base, and what to do with the
 * results (true when the session has output to send). */
size_t tcp_fwd_poll_count(const struct conn *c);
size_t tcp_fwd_poll_fill(struct conn *c, struct pollfd *pfds, size_t base);
bool tcp_fwd_poll_done(struct conn *c, const struct pollfd *pfds);
/* Whether the last pass moved bytes (the loop then polls without waiting). */
bool tcp_fwd_busy(const struct conn *c);
/* Closes every forwarded connection (the channels go with the session). */
void tcp_fwd_free(struct conn *c);

/* tcp_remote.c: remote forwarding (tcpip-forward). Installs the global
 * request handler once the user is in; the listeners' poll entries (as
 * above); closes them with the connection. */
void tcp_remote_attach(struct conn *c);
size_t tcp_remote_poll_count(const struct conn *c);
size_t tcp_remote_poll_fill(struct conn *c, struct pollfd *pfds, size_t base);
bool tcp_remote_poll_done(struct conn *c, const struct pollfd *pfds);
void tcp_remote_free(struct conn *c);

#endif
