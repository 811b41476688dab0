/* sshkit-sftp: the destination word, as OpenSSH's sftp reads it:
 * sftp://[user@]host[:port][/path], [user@]host:[path] or [user@]host. */
#ifndef SSHKIT_SFTP_DESTINATION_H
#define SSHKIT_SFTP_DESTINATION_H

#include <stdbool.h>

struct destination {
    char *user;         /* malloc'd, or NULL */
    char *host;         /* malloc'd, brackets of an IPv6 address removed */
    char *path;         /* malloc'd, or NULL; "." for "host:" */
    unsigned port;      /* from an sftp:// URI; 0 otherwise */
};

/* Splits a destination; false when it is malformed (nothing to free then). */
bool destination_parse(const char *word, struct destination *d);

#endif
