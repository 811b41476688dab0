/* Connecting as a state machine: the TCP connection (each address in
 * turn), the key exchange with the host key check, authentication. The
 * blocking sshkit_client_connect() is this machine in a poll() loop. */
#include "client/client_internal.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sshkit/error.h>

enum sk_connect_stage { SK_STAGE_TCP, SK_STAGE_HANDSHAKE, SK_STAGE_AUTH };

struct sk_client_connecting {
    enum sk_connect_stage stage;
    sk_connector tcp;
    uint64_t deadline;          /* of the handshake, then of each attempt */
    int result;                 /* SSHKIT_E_AGAIN until the machine knows */
    struct sk_client_auth *auth;
};

static const char *home_dir(void)
{
    const char *home = getenv("HOME");
    struct passwd *pw = home && *home ? NULL : getpwuid(getuid());
    return home && *home ? home : pw ? pw->pw_dir : "/";
}

static int setup_verifier(sshkit_client *c, const sshkit_client_options *opt)
{
    char path[1024];
    if (opt->known_hosts)
        snprintf(path, sizeof path, "%s", opt->known_hosts);
    else
        snprintf(path, sizeof path, "%s/.ssh/known_hosts", home_dir());
    int rc = sshkit_hostkey_verifier_new(&c->verifier, c->host, c->port, opt->host_key_policy);
    if (rc == 0)
        rc = sshkit_hostkey_verifier_add_file(c->verifier, path, true);
    if (rc == 0) {
        sshkit_hostkey_verifier_set_hash(c->verifier, opt->hash_known_hosts);
        sshkit_session_set_host_key_check(c->session, sshkit_hostkey_verifier_check, c->verifier);
    }
    return rc;
}

/* The session, its algorithms and its host key check. */
static int configure(sshkit_client *c, const sshkit_client_options *opt)
{
    int rc = sshkit_session_new(SSHKIT_ROLE_CLIENT, &c->session);
    for (int k = 0; rc == 0 && k < SSHKIT_ALG_KINDS; k++)
        if (opt->algorithms[k])
            rc = sshkit_session_set_algorithms(c->session, (sshkit_algorithm_kind)k,
                                               opt->algorithms[k]);
    if (rc == 0)
        rc = setup_verifier(c, opt);
    return rc;
}

/* The client before any I/O: names, options, the machine's first state. */
static int make_client(const char *host, const sshkit_client_options *opt, sshkit_client **out)
{
    sshkit_client *c = calloc(1, sizeof *c);
    if (c == NULL)
        return SSHKIT_E_NOMEM;
    c->fd = -1;
    c->timeout_ms = opt->timeout_ms ? opt->timeout_ms : SK_CLIENT_DEFAULT_TIMEOUT_MS;
    c->port = opt->port ? opt->port : 22;
    c->want = SSHKIT_WANT_READ;
    c->connect_result = SSHKIT_E_AGAIN;
    snprintf(c->host, sizeof c->host, "%s", host);
    struct passwd *pw = opt->user ? NULL : getpwuid(getuid());
    snprintf(c->user, sizeof c->user, "%s", opt->user ? opt->user : pw ? pw->pw_name : "root");
    struct sk_client_connecting *k = calloc(1, sizeof *k);
    if (k) {
        k->tcp.fd = -1;
        k->tcp.result = SSHKIT_E_AGAIN;
        k->result = SSHKIT_E_AGAIN;
    }
    c->connecting = k;
    int rc = k ? sk_client_auth_init(&k->auth, opt) : SSHKIT_E_NOMEM;
    if (rc == 0)
        rc = sk_client_copy_env(c, opt->env);
    if (rc) {
        sshkit_client_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

int sshkit_client_connect_start(const char *host, const sshkit_client_options *opt_in,
                                sshkit_client **out)
{
    sshkit_client_options defaults;
    const sshkit_client_options *opt = opt_in;
    if (opt == NULL) {
        sshkit_client_options_init(&defaults);
        opt = &defaults;
    }
    if (out != NULL)
        *out = NULL;
    if (host == NULL || out == NULL || opt->port > 65535)
        return SSHKIT_E_INVALID_ARGUMENT;
    sshkit_client *c;
    int rc = make_client(host, opt, &c);
    if (rc)
        return rc;
    c->nonblocking = true;
    struct sk_client_connecting *k = c->connecting;
    if ((rc = configure(c, opt)) != 0) {
        k->result = sk_client_fail(c, rc);      /* told by the first continue */
        k->tcp.result = rc;
    } else {
        (void)sk_connector_start(&k->tcp, host, c->port, c->timeout_ms, c->error,
                                 sizeof c->error);
    }
    *out = c;
    return 0;
}

/* The host key step failed: the verifier says why, in ssh's words. */
static void host_key_error(sshkit_client *c)
{
    if (sshkit_hostkey_verifier_describe(c->verifier, c->error, sizeof c->error) <= 0)
        snprintf(c->error, sizeof c->error, "Host key verification failed.");
}

/* The TCP stage: on to the handshake once connected. */
static int tcp_stage(sshkit_client *c, struct sk_client_connecting *k)
{
    int rc = sk_connector_continue(&k->tcp, c->error, sizeof c->error);
    if (rc != 0)
        return rc;
    c->fd = k->tcp.fd;          /* the client's now */
    k->tcp.fd = -1;
    sk_connector_free(&k->tcp);
    if ((rc = sshkit_session_start(c->session)) != 0)
        return sk_client_fail(c, rc);
    k->stage = SK_STAGE_HANDSHAKE;
    k->deadline = sk_io_deadline(c->timeout_ms);
    return SSHKIT_E_AGAIN;
}

/* A deadline passed: in ssh's words where it has some. */
static int timed_out(sshkit_client *c, const struct sk_client_connecting *k)
{
    const char *during = k->stage == SK_STAGE_AUTH ? "authentication"
                         : *sshkit_session_peer_version(c->session) ? "key exchange"
                                                                     : "banner exchange";
    snprintf(c->error, sizeof c->error, "Connection timed out during %s", during);
    return SSHKIT_E_TIMEOUT;
}

/* The SSH stages: events move the machine (sk_client_connect_event). */
static int session_stages(sshkit_client *c, struct sk_client_connecting *k)
{
    int rc;
    do
        rc = sk_client_step(c);
    while (rc == 0 && k->result == SSHKIT_E_AGAIN);
    if (k->result != SSHKIT_E_AGAIN)
        return k->result;
    if (rc == SSHKIT_E_HOST_KEY_REJECTED) {
        host_key_error(c);
        return rc;
    }
    if (rc != SSHKIT_E_AGAIN)
        return sk_client_fail(c, rc);
    if (sk_io_remaining(k->deadline) == 0)
        return timed_out(c, k);
    return SSHKIT_E_AGAIN;
}

int sshkit_client_connect_continue(sshkit_client *c)
{
    if (c == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    struct sk_client_connecting *k = c->connecting;
    if (k == NULL)
        return c->connect_result;
    int rc = k->result;
    if (rc == SSHKIT_E_AGAIN && k->stage == SK_STAGE_TCP)
        rc = tcp_stage(c, k);
    if (rc == SSHKIT_E_AGAIN && k->stage != SK_STAGE_TCP)
        rc = session_stages(c, k);
    if (rc == SSHKIT_E_AGAIN)
        return rc;
    c->connect_result = rc;
    sk_client_connect_free(c);
    return rc;
}

void sk_client_connect_event(sshkit_client *c, const sshkit_event *ev)
{
    struct sk_client_connecting *k = c->connecting;
    if (k->result != SSHKIT_E_AGAIN)
        return;
    if (ev->type == SSHKIT_EVENT_KEX_DONE && k->stage == SK_STAGE_HANDSHAKE) {
        k->stage = SK_STAGE_AUTH;
        k->deadline = sk_io_deadline(c->timeout_ms);
        k->result = sk_client_auth_start(c, k->auth);
        return;
    }
    if (k->stage != SK_STAGE_AUTH)
        return;
    k->result = sk_client_auth_event(c, k->auth, ev);
    if (ev->type == SSHKIT_EVENT_AUTH_RESULT || ev->type == SSHKIT_EVENT_AUTH_PROMPT)
        k->deadline = sk_io_deadline(c->timeout_ms);    /* a new attempt or round */
}

unsigned sk_client_connect_wants(const sshkit_client *c, int *timeout_ms)
{
    const struct sk_client_connecting *k = c->connecting;
    if (k->result != SSHKIT_E_AGAIN || (k->stage == SK_STAGE_TCP && k->tcp.result != SSHKIT_E_AGAIN)) {
        *timeout_ms = 0;        /* the outcome is known: continue at once */
        return 0;
    }
    if (k->stage == SK_STAGE_TCP) {
        *timeout_ms = sk_io_remaining(k->tcp.deadline);
        return SSHKIT_WANT_WRITE;
    }
    *timeout_ms = sk_io_remaining(k->deadline);
    const uint8_t *p;
    return (c->want & SSHKIT_WANT_READ)
           | (sshkit_session_pending(c->session, &p) > 0 ? SSHKIT_WANT_WRITE : 0);
}

int sk_client_connect_fd(const sshkit_client *c)
{
    const struct sk_client_connecting *k = c->connecting;
    return k && k->stage == SK_STAGE_TCP ? k->tcp.fd : c->fd;
}

void sk_client_connect_free(sshkit_client *c)
{
    struct sk_client_connecting *k = c->connecting;
    if (k == NULL)
        return;
    sk_connector_free(&k->tcp);
    sk_client_auth_free(k->auth);
    free(k);
    c->connecting = NULL;
}

static int connect_op(sshkit_client *c, void *unused)
{
    (void)unused;
    return sshkit_client_connect_continue(c);
}

int sshkit_client_connect(const char *host, const sshkit_client_options *opt,
                          sshkit_client **out, char *err, size_t err_size)
{
    if (out != NULL)
        *out = NULL;
    sshkit_client *c;
    int rc = sshkit_client_connect_start(host, opt, &c);
    if (rc)
        return rc;
    c->nonblocking = false;
    rc = sk_client_drive(c, connect_op, NULL);
    if (rc == 0) {
        *out = c;
        return 0;
    }
    if (err && err_size)
        snprintf(err, err_size, "%s", c->error);
    sshkit_client_free(c);
    return rc;
}
