/* sshkit/agent.h: a connection to an ssh-agent, one request and its reply
 * at a time. A reply that cannot be trusted to end where the next begins
 * (a timeout, a bad length, a malformed body) closes the connection. */
#include "agent/agent_internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sshkit/error.h>

#include "io/io_internal.h"
#include "keys/key_internal.h"

struct sshkit_agent {
    int fd;                 /* -1 once closed */
    int timeout_ms;
};

int sshkit_agent_from_fd(int fd, int timeout_ms, sshkit_agent **out)
{
    if (out)
        *out = NULL;
    if (fd < 0 || out == NULL) {
        if (fd >= 0)
            close(fd);
        return SSHKIT_E_INVALID_ARGUMENT;
    }
    sshkit_agent *a = malloc(sizeof *a);
    if (a == NULL) {
        close(fd);
        return SSHKIT_E_NOMEM;
    }
    a->fd = fd;
    a->timeout_ms = timeout_ms;
    *out = a;
    return 0;
}

int sshkit_agent_connect(const char *path, int timeout_ms, sshkit_agent **out)
{
    if (out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = NULL;
    if (path == NULL)
        path = getenv(SSHKIT_AGENT_SOCKET_ENV);
    if (path == NULL || *path == '\0')
        return SSHKIT_E_NOT_FOUND;
    int fd;
    int rc = sk_agent_io_connect(path, &fd);
    return rc ? rc : sshkit_agent_from_fd(fd, timeout_ms, out);
}

static void hang_up(sshkit_agent *a)
{
    if (a->fd >= 0)
        close(a->fd);
    a->fd = -1;
}

void sshkit_agent_free(sshkit_agent *agent)
{
    if (agent == NULL)
        return;
    hang_up(agent);
    free(agent);
}

/* A request buffer, capped as an agent caps what it reads. */
static void request_init(sk_buf *b, bool secret)
{
    if (secret)
        sk_buf_init_secret(b);
    else
        sk_buf_init(b);
    b->max = 4 + SSHKIT_AGENT_MAX_REPLY;
}

/* Sends the request b holds (built with status rc) and reads the reply. */
static int transact(sshkit_agent *a, sk_buf *b, int rc, sk_agent_frame *reply)
{
    sk_agent_frame_init(reply);
    if (rc == 0 && a->fd < 0)
        rc = SSHKIT_E_CONNECTION_CLOSED;
    if (rc != 0) {
        sk_buf_free(b);
        return rc;
    }
    uint64_t deadline = sk_io_deadline(a->timeout_ms);
    rc = sk_agent_io_send(a->fd, b->data, b->len, deadline);
    sk_buf_free(b);
    if (rc == 0)
        rc = sk_agent_io_receive(a->fd, reply, deadline);
    if (rc != 0) {
        sk_agent_frame_free(reply);
        hang_up(a);
    }
    return rc;
}

/* A parser's verdict: a reply that made no sense ends the connection. */
static int judged(sshkit_agent *a, int rc)
{
    if (rc == SSHKIT_E_PROTOCOL || rc == SSHKIT_E_TOO_LARGE)
        hang_up(a);
    return rc;
}

/* Requests answered with SUCCESS or FAILURE. */
static int status_request(sshkit_agent *a, sk_buf *b, int rc)
{
    sk_agent_frame reply;
    rc = transact(a, b, rc, &reply);
    if (rc == 0)
        rc = judged(a, sk_agent_reply_status(sk_agent_frame_message(&reply)));
    sk_agent_frame_free(&reply);
    return rc;
}

int sshkit_agent_list(sshkit_agent *agent, sshkit_key ***keys, size_t *count)
{
    if (agent == NULL || keys == NULL || count == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *keys = NULL;
    *count = 0;
    sk_buf b;
    sk_agent_frame reply;
    request_init(&b, false);
    int rc = transact(agent, &b, sk_agent_msg_simple(&b, SK_AGENTC_REQUEST_IDENTITIES), &reply);
    if (rc == 0)
        rc = judged(agent, sk_agent_reply_identities(sk_agent_frame_message(&reply), keys, count));
    sk_agent_frame_free(&reply);
    return rc;
}

/* The algorithm to ask for: the caller's, if it fits the key and is not
 * SHA-1; else NULL. */
static const char *sign_algorithm(const sshkit_key *key, const char *algorithm)
{
    if (algorithm == NULL)
        return sshkit_key_get_type(key) == SSHKIT_KEY_RSA ? "rsa-sha2-512"
                                                           : sshkit_key_type_name(key);
    if (strcmp(algorithm, "ssh-rsa") == 0 || !sk_key_sig_alg_fits(key, algorithm))
        return NULL;
    return algorithm;
}

int sshkit_agent_sign(sshkit_agent *agent, const sshkit_key *key, const char *algorithm,
                      const uint8_t *data, size_t len, uint8_t **sig, size_t *sig_len)
{
    if (sig)
        *sig = NULL;
    if (sig_len)
        *sig_len = 0;
    const char *alg = key ? sign_algorithm(key, algorithm) : NULL;
    if (agent == NULL || alg == NULL || sig == NULL || sig_len == NULL || (data == NULL && len))
        return SSHKIT_E_INVALID_ARGUMENT;
    uint8_t *blob;
    size_t blob_len;
    int rc = sshkit_key_public_blob(key, &blob, &blob_len);
    if (rc != 0)
        return rc;
    sk_buf b;
    sk_agent_frame reply;
    request_init(&b, false);
    rc = sk_agent_msg_sign(&b, blob, blob_len, data, len, sk_agent_sign_flags(alg));
    free(blob);
    rc = transact(agent, &b, rc, &reply);
    if (rc == 0)
        rc = judged(agent, sk_agent_reply_signature(sk_agent_frame_message(&reply), alg, sig,
                                                    sig_len));
    sk_agent_frame_free(&reply);
    if (rc == 0 && sshkit_key_verify(key, alg, *sig, *sig_len, data, len) != 0)
        rc = SSHKIT_E_SIGNATURE;
    if (rc != 0) {
        sshkit_free(*sig, *sig_len);
        *sig = NULL;
        *sig_len = 0;
    }
    return rc;
}

int sshkit_agent_signer(void *agent, const sshkit_key *key, const char *algorithm,
                        const uint8_t *data, size_t len, uint8_t **sig, size_t *sig_len)
{
    return sshkit_agent_sign(agent, key, algorithm, data, len, sig, sig_len);
}

int sshkit_agent_add(sshkit_agent *agent, const sshkit_key *key, const char *comment,
                     const sshkit_agent_constraints *constraints)
{
    if (agent == NULL || key == NULL || !sshkit_key_is_private(key))
        return SSHKIT_E_INVALID_ARGUMENT;
    sk_buf b;
    request_init(&b, true);
    return status_request(agent, &b, sk_agent_msg_add(&b, key, comment, constraints));
}

int sshkit_agent_remove(sshkit_agent *agent, const sshkit_key *key)
{
    if (agent == NULL || key == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    uint8_t *blob;
    size_t blob_len;
    int rc = sshkit_key_public_blob(key, &blob, &blob_len);
    if (rc != 0)
        return rc;
    sk_buf b;
    request_init(&b, false);
    rc = sk_agent_msg_remove(&b, blob, blob_len);
    free(blob);
    return status_request(agent, &b, rc);
}

int sshkit_agent_remove_all(sshkit_agent *agent)
{
    if (agent == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    sk_buf b;
    request_init(&b, false);
    return status_request(agent, &b, sk_agent_msg_simple(&b, SK_AGENTC_REMOVE_ALL_IDENTITIES));
}

static int passphrase_request(sshkit_agent *agent, uint8_t type, const char *passphrase)
{
    if (agent == NULL || passphrase == NULL || strlen(passphrase) > SK_AGENT_PASSPHRASE_MAX)
        return SSHKIT_E_INVALID_ARGUMENT;
    sk_buf b;
    request_init(&b, true);
    return status_request(agent, &b, sk_agent_msg_passphrase(&b, type, passphrase));
}

int sshkit_agent_lock(sshkit_agent *agent, const char *passphrase)
{
    return passphrase_request(agent, SK_AGENTC_LOCK, passphrase);
}

int sshkit_agent_unlock(sshkit_agent *agent, const char *passphrase)
{
    return passphrase_request(agent, SK_AGENTC_UNLOCK, passphrase);
}
