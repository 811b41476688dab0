/* Value parsers for sshkit-ssh's options, with ssh_config(5)'s syntax. */
#ifndef SSHKIT_SSH_OPTIONS_VALUES_H
#define SSHKIT_SSH_OPTIONS_VALUES_H

#include <stdbool.h>
#include <stdint.h>

/* "yes"/"true" or "no"/"false" (any case). */
bool value_yesno(const char *v, bool *out);
/* A port, 1 to 65535. */
bool value_port(const char *v, unsigned *out);
/* A count, 0 to max. */
bool value_unsigned(const char *v, unsigned long max, unsigned *out);
/* A time as ssh_config writes it: "90", "1m30s", "2h" (s, m, h, d, w). */
bool value_time(const char *v, uint32_t *seconds);
/* A size with an optional K, M or G: "1G", "500M", "4096". */
bool value_bytes(const char *v, uint64_t *bytes);
/* The name of a LogLevel; -1 when unknown. */
int value_log_level(const char *v);
/* A copy of path with a leading "~/" (or "~" alone) replaced by the home directory. */
char *value_expand_path(const char *path);
/* "host:port" or "[host]:port" (a literal IPv6 address in brackets): a
 * copy of the host in *host (caller frees) and the port; false when
 * malformed (an empty host, a bad port) or out of memory. */
bool value_host_port(const char *v, char **host, unsigned *port);
/* The user's home directory ($HOME, else the password database's). */
const char *value_home_dir(void);

#endif
