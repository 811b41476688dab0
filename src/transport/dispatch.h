/* Routing each received message to the layer that owns it, and the
 * transport's generic messages (RFC 4253 section 11). */
#ifndef SSHKIT_TRANSPORT_DISPATCH_H
#define SSHKIT_TRANSPORT_DISPATCH_H

#include "transport/session_internal.h"

int sk_dispatch(sshkit_session *s, sk_bytes payload);

/* Answers the packet being handled with SSH_MSG_UNIMPLEMENTED (RFC 4253
 * section 11.4): for message types no layer knows. */
int sk_send_unimplemented(sshkit_session *s);

/* Records the peer's DISCONNECT and ends the session. */
int sk_session_peer_disconnected(sshkit_session *s, unsigned reason, const char *message);

#endif
