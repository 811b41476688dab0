/* The high-level client's state, shared by its files. */
#ifndef SSHKIT_CLIENT_INTERNAL_H
#define SSHKIT_CLIENT_INTERNAL_H

#include <sshkit/client.h>
#include <sshkit/io.h>

#include "connection/connection_internal.h"

#define SK_CLIENT_DEFAULT_TIMEOUT_MS 30000
#define SK_CLIENT_ERROR_MAX 512

struct sshkit_client {
    sshkit_session *session;
    int fd;
    int timeout_ms;
    char user[256];
    char host[256];
    sshkit_hostkey_verifier *verifier;
    char error[SK_CLIENT_ERROR_MAX];
    char **env;                     /* the options' env, copied; NULL-terminated */
};

/* Copies opt->env into c->env; SSHKIT_E_INVALID_ARGUMENT for an entry
 * without "NAME=". */
int sk_client_copy_env(sshkit_client *c, const char *const *env);

/* Sends c->env on a session channel (no replies asked, as ssh's SetEnv). */
int sk_client_send_env(const sshkit_client *c, sshkit_channel *ch);

/* Runs the session until one event arrives and handles what the client
 * itself must (channel requests it does not serve are refused). Returns 0,
 * or the error that ended the wait (recorded in client->error). */
int sk_client_pump(sshkit_client *c);

/* Authenticates by the options; 0 or SSHKIT_E_PERMISSION_DENIED. */
int sk_client_authenticate(sshkit_client *c, const sshkit_client_options *opt);

#endif
