/* The client's authentication as a state machine moved by events: the
 * agent's keys, each key file in order, then the password;
 * keyboard-interactive answered with the password when the server takes
 * that and not "password". */
#include "client/client_internal.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sshkit/agent.h>
#include <sshkit/error.h>

/* Keyboard-interactive rounds answered before giving up on a server that
 * keeps asking. */
#define SK_KBDINT_MAX_ROUNDS 16

enum sk_auth_attempt { SK_AUTH_IDLE, SK_AUTH_KEY, SK_AUTH_PASSWORD, SK_AUTH_KBDINT };

struct sk_client_auth {
    sshkit_agent *agent;        /* NULL when there is none */
    sshkit_key **agent_keys;    /* its identities, tried first */
    size_t agent_nkeys, next_agent_key;
    char **keys;                /* key files, in order */
    size_t nkeys, next_key;
    bool keys_done;             /* a key was partly accepted: the server wants another method */
    char *passphrase, *password;
    sshkit_key *key;            /* the attempt's key: borrowed by the session until the result */
    enum sk_auth_attempt attempt;
    char methods[512];          /* what the server said may continue */
    bool methods_known;
    bool password_tried, password_refused, kbdint_tried, password_given;
    unsigned rounds;
};

static const char *const default_keys[] = { "id_ed25519", "id_ecdsa", "id_rsa" };

static char *copy(const char *s, int *rc)
{
    char *p = s ? strdup(s) : NULL;
    if (s && p == NULL)
        *rc = SSHKIT_E_NOMEM;
    return p;
}

/* The key files: the options' list, or ~/.ssh's usual three. */
static int key_files(struct sk_client_auth *a, const sshkit_client_options *opt)
{
    size_t n = 0;
    while (opt->identity_files && opt->identity_files[n])
        n++;
    if (opt->identity_files == NULL)
        n = sizeof default_keys / sizeof *default_keys;
    a->keys = calloc(n ? n : 1, sizeof *a->keys);
    if (a->keys == NULL)
        return SSHKIT_E_NOMEM;
    const char *home = getenv("HOME");
    struct passwd *pw = home && *home ? NULL : getpwuid(getuid());
    home = home && *home ? home : pw ? pw->pw_dir : "/";
    int rc = 0;
    for (a->nkeys = 0; a->nkeys < n && rc == 0; a->nkeys++) {
        char path[1024];
        if (opt->identity_files == NULL)
            snprintf(path, sizeof path, "%s/.ssh/%s", home, default_keys[a->nkeys]);
        a->keys[a->nkeys] = copy(opt->identity_files ? opt->identity_files[a->nkeys] : path, &rc);
    }
    return rc;
}

/* The agent's identities, as ssh takes them: a missing or silent agent
 * is no agent (its socket is local; each request waits at most timeout). */
static void agent_keys(struct sk_client_auth *a, const char *path, int timeout_ms)
{
    if (path && strcmp(path, "none") == 0)
        return;
    if (path == NULL && (getenv("SSH_AUTH_SOCK") == NULL || !*getenv("SSH_AUTH_SOCK")))
        return;
    if (sshkit_agent_connect(path, timeout_ms, &a->agent) != 0)
        return;
    if (sshkit_agent_list(a->agent, &a->agent_keys, &a->agent_nkeys) != 0) {
        sshkit_agent_free(a->agent);
        a->agent = NULL;
        a->agent_keys = NULL;
        a->agent_nkeys = 0;
    }
}

int sk_client_auth_init(struct sk_client_auth **out, const sshkit_client_options *opt)
{
    struct sk_client_auth *a = calloc(1, sizeof *a);
    if (a == NULL)
        return SSHKIT_E_NOMEM;
    int rc = key_files(a, opt);
    agent_keys(a, opt->identity_agent, opt->timeout_ms > 0 ? opt->timeout_ms : SK_CLIENT_DEFAULT_TIMEOUT_MS);
    if (rc == 0) {
        a->passphrase = copy(opt->passphrase, &rc);
        a->password = copy(opt->password, &rc);
    }
    if (rc) {
        sk_client_auth_free(a);
        return rc;
    }
    *out = a;
    return 0;
}

void sk_client_auth_free(struct sk_client_auth *a)
{
    if (a == NULL)
        return;
    for (size_t i = 0; i < a->nkeys; i++)
        free(a->keys[i]);
    free(a->keys);
    sshkit_free(a->passphrase, 0);
    sshkit_free(a->password, 0);
    sshkit_key_free(a->key);
    sshkit_agent_keys_free(a->agent_keys, a->agent_nkeys);
    sshkit_agent_free(a->agent);
    free(a);
}

/* Whether the server's last list names a method. */
static bool listed(const struct sk_client_auth *a, const char *method)
{
    size_t n = strlen(method);
    for (const char *p = a->methods; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, method, n) == 0)
            return true;
        p += len + (end != NULL);
    }
    return false;
}

/* Nothing is left to try: ssh's words. */
static int denied(sshkit_client *c, const struct sk_client_auth *a)
{
    if (a->methods_known)
        snprintf(c->error, sizeof c->error, "%.180s@%.180s: Permission denied (%.100s).",
                 c->user, c->host, a->methods);
    else
        snprintf(c->error, sizeof c->error, "%.200s@%.200s: Permission denied.", c->user, c->host);
    return SSHKIT_E_PERMISSION_DENIED;
}

/* An attempt queued (rc 0), or the error that ends authentication. */
static int attempt(sshkit_client *c, struct sk_client_auth *a, enum sk_auth_attempt what, int rc)
{
    if (rc)
        return sk_client_fail(c, rc);
    a->attempt = what;
    return SSHKIT_E_AGAIN;
}

/* Starts the next attempt: SSHKIT_E_AGAIN when one is under way. */
static int next_attempt(sshkit_client *c, struct sk_client_auth *a)
{
    /* The agent signs inside the session's receive call when the server
     * takes the key: a local request, bounded by the timeout. */
    if (!a->keys_done && a->next_agent_key < a->agent_nkeys) {
        const sshkit_key *key = a->agent_keys[a->next_agent_key++];
        return attempt(c, a, SK_AUTH_KEY, sshkit_auth_publickey_signer(c->session, c->user, key,
                                                                      sshkit_agent_signer, a->agent));
    }
    while (!a->keys_done && a->next_key < a->nkeys) {
        const char *path = a->keys[a->next_key++];
        if (sshkit_key_load_private(path, a->passphrase, &a->key) != 0)
            continue;           /* missing or unreadable: go on, as ssh does */
        return attempt(c, a, SK_AUTH_KEY, sshkit_auth_publickey(c->session, c->user, a->key));
    }
    if (a->password && !a->password_tried && (!a->methods_known || listed(a, "password"))) {
        a->password_tried = true;
        return attempt(c, a, SK_AUTH_PASSWORD,
                       sshkit_auth_password(c->session, c->user, a->password));
    }
    if (a->password && !a->kbdint_tried && !a->password_refused && listed(a, "keyboard-interactive")) {
        a->kbdint_tried = true;
        return attempt(c, a, SK_AUTH_KBDINT, sshkit_auth_kbdint(c->session, c->user));
    }
    return denied(c, a);
}

int sk_client_auth_start(sshkit_client *c, struct sk_client_auth *a)
{
    return next_attempt(c, a);
}

static int on_result(sshkit_client *c, struct sk_client_auth *a, const sshkit_event *ev)
{
    sshkit_key_free(a->key);
    a->key = NULL;
    if (ev->u.auth.status == SSHKIT_AUTH_SUCCESS)
        return 0;
    snprintf(a->methods, sizeof a->methods, "%s", ev->u.auth.methods);
    a->methods_known = true;
    if (a->attempt == SK_AUTH_KEY && ev->u.auth.status == SSHKIT_AUTH_PARTIAL)
        a->keys_done = true;
    /* A server that takes passwords refused this one: keyboard-interactive
     * would only be asked the same. (Tried blindly, before the server had
     * named its methods, it may just not take the method.) */
    if (a->attempt == SK_AUTH_PASSWORD && ev->u.auth.status == SSHKIT_AUTH_FAILURE)
        a->password_refused = listed(a, "password");
    a->attempt = SK_AUTH_IDLE;
    return next_attempt(c, a);
}

/* Keyboard-interactive: the password for the first single prompt, nothing
 * for a round without prompts, empty answers to anything else (the server
 * then refuses, and authentication goes on or ends). */
static int on_prompt(sshkit_client *c, struct sk_client_auth *a, const sshkit_event *ev)
{
    unsigned n = ev->u.prompt.count;
    if (++a->rounds > SK_KBDINT_MAX_ROUNDS || n > 64)
        return denied(c, a);
    const char *answers[64];
    for (unsigned i = 0; i < n; i++)
        answers[i] = "";
    if (n == 1 && !a->password_given) {
        answers[0] = a->password;
        a->password_given = true;
    }
    int rc = sshkit_auth_kbdint_respond(c->session, n ? answers : NULL, n);
    return rc ? sk_client_fail(c, rc) : SSHKIT_E_AGAIN;
}

int sk_client_auth_event(sshkit_client *c, struct sk_client_auth *a, const sshkit_event *ev)
{
    if (ev->type == SSHKIT_EVENT_AUTH_RESULT)
        return on_result(c, a, ev);
    if (ev->type == SSHKIT_EVENT_AUTH_PROMPT && a->attempt == SK_AUTH_KBDINT)
        return on_prompt(c, a, ev);
    return SSHKIT_E_AGAIN;
}
