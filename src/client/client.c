/* sshkit_client: connect, verify, authenticate; free. */
#include "client/client_internal.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sshkit/error.h>

void sshkit_client_options_init(sshkit_client_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->port = 22;
    opt->timeout_ms = SK_CLIENT_DEFAULT_TIMEOUT_MS;
    opt->host_key_policy = SSHKIT_HOSTKEY_POLICY_REJECT;
}

static const char *home_dir(void)
{
    const char *home = getenv("HOME");
    struct passwd *pw = home && *home ? NULL : getpwuid(getuid());
    return home && *home ? home : pw ? pw->pw_dir : "/";
}

static void set_error(char *err, size_t cap, const char *text)
{
    if (err && cap)
        snprintf(err, cap, "%s", text);
}

static int setup_verifier(sshkit_client *c, const char *host, const sshkit_client_options *opt)
{
    char path[1024];
    if (opt->known_hosts)
        snprintf(path, sizeof path, "%s", opt->known_hosts);
    else
        snprintf(path, sizeof path, "%s/.ssh/known_hosts", home_dir());
    int rc = sshkit_hostkey_verifier_new(&c->verifier, host, opt->port ? opt->port : 22,
                                         opt->host_key_policy);
    if (rc == 0)
        rc = sshkit_hostkey_verifier_add_file(c->verifier, path, true);
    if (rc == 0) {
        sshkit_hostkey_verifier_set_hash(c->verifier, opt->hash_known_hosts);
        sshkit_session_set_host_key_check(c->session, sshkit_hostkey_verifier_check, c->verifier);
    }
    return rc;
}

static int configure(sshkit_client *c, const char *host, const sshkit_client_options *opt)
{
    int rc = sshkit_session_new(SSHKIT_ROLE_CLIENT, &c->session);
    for (int k = 0; rc == 0 && k < SSHKIT_ALG_KINDS; k++)
        if (opt->algorithms[k])
            rc = sshkit_session_set_algorithms(c->session, (sshkit_algorithm_kind)k,
                                               opt->algorithms[k]);
    if (rc == 0)
        rc = setup_verifier(c, host, opt);
    return rc;
}

/* The host key step failed: the verifier says why, in ssh's words. */
static void host_key_error(sshkit_client *c)
{
    if (sshkit_hostkey_verifier_describe(c->verifier, c->error, sizeof c->error) <= 0)
        snprintf(c->error, sizeof c->error, "Host key verification failed.");
}

static int open_connection(sshkit_client *c, const char *host, const sshkit_client_options *opt)
{
    unsigned port = opt->port ? opt->port : 22;
    int rc = sshkit_connect(host, port, c->timeout_ms, &c->fd, c->error, sizeof c->error);
    if (rc)
        return rc;
    if ((rc = configure(c, host, opt)) != 0) {
        snprintf(c->error, sizeof c->error, "%s", sshkit_strerror(rc));
        return rc;
    }
    rc = sshkit_session_start(c->session);
    if (rc == 0)
        rc = sshkit_blocking_handshake(c->session, c->fd, c->timeout_ms);
    if (rc == SSHKIT_E_HOST_KEY_REJECTED)
        host_key_error(c);
    else if (rc)
        snprintf(c->error, sizeof c->error, "%s", *sshkit_session_last_error(c->session)
                 ? sshkit_session_last_error(c->session) : sshkit_strerror(rc));
    return rc;
}

int sshkit_client_connect(const char *host, const sshkit_client_options *opt_in,
                          sshkit_client **out, char *err, size_t err_size)
{
    sshkit_client_options defaults;
    const sshkit_client_options *opt = opt_in;
    if (opt == NULL) {
        sshkit_client_options_init(&defaults);
        opt = &defaults;
    }
    if (host == NULL || out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = NULL;
    sshkit_client *c = calloc(1, sizeof *c);
    if (c == NULL)
        return SSHKIT_E_NOMEM;
    c->fd = -1;
    c->timeout_ms = opt->timeout_ms ? opt->timeout_ms : SK_CLIENT_DEFAULT_TIMEOUT_MS;
    snprintf(c->host, sizeof c->host, "%s", host);
    struct passwd *pw = opt->user ? NULL : getpwuid(getuid());
    snprintf(c->user, sizeof c->user, "%s", opt->user ? opt->user : pw ? pw->pw_name : "root");
    int rc = sk_client_copy_env(c, opt->env);
    if (rc == 0)
        rc = open_connection(c, host, opt);
    if (rc == 0)
        rc = sk_client_authenticate(c, opt);
    if (rc) {
        set_error(err, err_size, c->error);
        sshkit_client_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

void sshkit_client_free(sshkit_client *c)
{
    if (c == NULL)
        return;
    if (c->session && c->fd >= 0 && !sshkit_session_is_closed(c->session))
        sshkit_blocking_disconnect(c->session, c->fd, 11, "disconnected by user", c->timeout_ms);
    sshkit_session_free(c->session);
    sshkit_hostkey_verifier_free(c->verifier);
    if (c->fd >= 0)
        close(c->fd);
    for (size_t i = 0; c->env && c->env[i]; i++)
        free(c->env[i]);
    free(c->env);
    free(c);
}

sshkit_session *sshkit_client_session(const sshkit_client *c)
{
    return c->session;
}

int sshkit_client_fd(const sshkit_client *c)
{
    return c->fd;
}

int sk_client_pump(sshkit_client *c)
{
    sshkit_event ev;
    int rc = sshkit_blocking_wait_event(c->session, c->fd, &ev, c->timeout_ms);
    if (rc < 0) {
        snprintf(c->error, sizeof c->error, "%s", *sshkit_session_last_error(c->session)
                 ? sshkit_session_last_error(c->session) : sshkit_strerror(rc));
        return rc;
    }
    switch (ev.type) {
    case SSHKIT_EVENT_CHANNEL_OPEN_REQUEST:
        /* The plain client opens nothing for the server. */
        sshkit_channel_reject(ev.u.channel.channel, SSHKIT_OPEN_ADMINISTRATIVELY_PROHIBITED, NULL);
        sshkit_channel_free(ev.u.channel.channel);
        break;
    case SSHKIT_EVENT_CHANNEL_REQUEST:
        if (ev.u.request.want_reply)
            sshkit_channel_request_reply(ev.u.request.channel, false);
        break;
    case SSHKIT_EVENT_DISCONNECTED:
        snprintf(c->error, sizeof c->error, "%s", ev.u.disconnect.message);
        return ev.u.disconnect.error ? ev.u.disconnect.error : SSHKIT_E_CLOSED;
    default:
        break;
    }
    return 0;
}

int sshkit_client_wait_event(sshkit_client *c)
{
    return sk_client_pump(c);
}
