/* Unix stream sockets by path: connecting, and listening (for agent
 * forwarding's socket in sshkit-sshd, and its other end in sshkit-ssh). */
#ifndef SSHKIT_TOOLS_UNIX_SOCKET_H
#define SSHKIT_TOOLS_UNIX_SOCKET_H

/* A connected socket (close-on-exec), or -1 with errno (ENAMETOOLONG for
 * a path that does not fit). */
int unix_connect(const char *path);

/* A listening socket bound to path (which must not exist), non-blocking
 * and close-on-exec, or -1 with errno. */
int unix_listen(const char *path, int backlog);

#endif
