/* sshkit-ssh and ssh_config: the command line's -o, -p, -l, -i are
 * recorded in order as configuration lines, -F names the file, -G asks
 * for ssh -G's output; config_resolve() reads the files (ssh's, unless
 * -F), resolves them for the destination's host with the library
 * (sshkit/config.h) and fills the options from the result. */
#ifndef SSHKIT_SSH_CONFIG_APPLY_H
#define SSHKIT_SSH_CONFIG_APPLY_H

#include <stdbool.h>

struct ssh_options;

/* Records a -o option ("Key=Value", "Key Value"), checked at resolution. */
void config_record(const char *line);
/* Records a command-line value for a keyword (-p Port, -l User, -i
 * IdentityFile), quoted as one argument. */
void config_record_value(const char *keyword, const char *value);
/* -F: the file to read instead of ~/.ssh/config and /etc/ssh/ssh_config
 * ("none" for no file). */
void config_set_file(const char *path);
/* -G: print the resolved options and exit. */
void config_request_dump(void);
/* The file given with -F (NULL without). */
const char *config_file(void);
/* Reads the configuration, resolves it for o->destination, prints it and
 * exits 0 for -G, else fills o (the command line's values first). Exits
 * 255 with ssh's messages on a bad option or file. */
void config_resolve(struct ssh_options *o);

#endif
