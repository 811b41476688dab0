/* The client's authentication: each key file, then the password, as ssh
 * tries them. */
#include "client/client_internal.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sshkit/error.h>

static const char *const default_keys[] = { "id_ed25519", "id_ecdsa", "id_rsa" };

/* Tries one key file; returns the auth status or an error. */
static int try_key_file(sshkit_client *c, const char *path, const char *passphrase)
{
    sshkit_key *key;
    if (sshkit_key_load_private(path, passphrase, &key) != 0)
        return SSHKIT_AUTH_FAILURE;     /* missing or unreadable: go on, as ssh does */
    int rc = sshkit_blocking_auth_publickey(c->session, c->fd, c->user, key, c->timeout_ms);
    sshkit_key_free(key);
    return rc;
}

static int try_keys(sshkit_client *c, const sshkit_client_options *opt)
{
    int rc = SSHKIT_AUTH_FAILURE;
    if (opt->identity_files) {
        for (size_t i = 0; opt->identity_files[i] && rc == SSHKIT_AUTH_FAILURE; i++)
            rc = try_key_file(c, opt->identity_files[i], opt->passphrase);
        return rc;
    }
    const char *home = getenv("HOME");
    struct passwd *pw = home && *home ? NULL : getpwuid(getuid());
    home = home && *home ? home : pw ? pw->pw_dir : "/";
    for (size_t i = 0; i < 3 && rc == SSHKIT_AUTH_FAILURE; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/.ssh/%s", home, default_keys[i]);
        rc = try_key_file(c, path, opt->passphrase);
    }
    return rc;
}

int sk_client_authenticate(sshkit_client *c, const sshkit_client_options *opt)
{
    int rc = try_keys(c, opt);
    if ((rc == SSHKIT_AUTH_FAILURE || rc == SSHKIT_AUTH_PARTIAL) && opt->password)
        rc = sshkit_blocking_auth_password(c->session, c->fd, c->user, opt->password,
                                           c->timeout_ms);
    if (rc == SSHKIT_AUTH_SUCCESS)
        return 0;
    if (rc < 0) {
        snprintf(c->error, sizeof c->error, "%s", *sshkit_session_last_error(c->session)
                 ? sshkit_session_last_error(c->session) : sshkit_strerror(rc));
        return rc;
    }
    snprintf(c->error, sizeof c->error, "%.200s@%.200s: Permission denied.", c->user, c->host);
    return SSHKIT_E_PERMISSION_DENIED;
}
