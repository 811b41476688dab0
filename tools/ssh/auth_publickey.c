/* sshkit-ssh: publickey authentication with the agent's keys
 * (auth_agent.c), then each identity file not in the agent in turn;
 * encrypted keys ask for their passphrase (not in BatchMode). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/crypto.h>

#include "askpass.h"
#include "ssh_client.h"

/* Loads a key, asking for its passphrase as ssh does; NULL to skip it. */
static sshkit_key *load_identity(const struct auth_ctx *a, const char *path)
{
    sshkit_key *key = NULL;
    int rc = sshkit_key_load_private(path, NULL, &key);
    if (rc == 0)
        return key;
    if (rc != SSHKIT_E_PASSPHRASE_REQUIRED) {
        log_at(SSH_LOG_DEBUG1, "Failed to load key %s: %s", path,
               rc == SSHKIT_E_IO ? strerror(errno) : sshkit_strerror(rc));
        return NULL;
    }
    if (a->opt->batch_mode) {
        log_at(SSH_LOG_DEBUG1, "Skipping encrypted key %s: BatchMode", path);
        return NULL;
    }
    char prompt[600], secret[SSH_SECRET_MAX];
    snprintf(prompt, sizeof prompt, "Enter passphrase for key '%s': ", path);
    for (unsigned i = 0; i < a->opt->password_prompts && key == NULL; i++) {
        if (!askpass_read(prompt, false, false, secret, sizeof secret) || secret[0] == '\0')
            break;
        rc = sshkit_key_load_private(path, secret, &key);
        OPENSSL_cleanse(secret, sizeof secret);
        if (rc == SSHKIT_E_WRONG_PASSPHRASE)
            log_at(SSH_LOG_DEBUG2, "bad passphrase given, try again...");
        else if (rc != 0)
            break;
    }
    OPENSSL_cleanse(secret, sizeof secret);
    return key;
}

/* Offers one key; FAILED when the server refuses it. */
static enum auth_outcome offer(struct auth_ctx *a, const char *path, sshkit_key *key)
{
    char *fp = NULL;
    sshkit_key_fingerprint(key, SSHKIT_FP_SHA256, &fp);
    log_at(SSH_LOG_DEBUG1, "Offering public key: %s %s %s", path, sshkit_key_short_name(key),
           fp ? fp : "");
    sshkit_free(fp, 0);
    if (sshkit_auth_publickey(a->s, a->opt->user, key) != 0)
        return AUTH_OUT_FAILED;
    sshkit_event ev;
    enum auth_outcome out = auth_wait(a, &ev);
    return out == AUTH_OUT_PROMPT ? AUTH_OUT_ERROR : out;
}

enum auth_outcome auth_publickey(struct auth_ctx *a)
{
    const struct ssh_list *files = &a->opt->identity_files;
    struct agent_ids *agent = agent_ids_open(a->opt);   /* the agent's keys go first */
    enum auth_outcome out = agent_ids_offer(a, agent);
    for (size_t i = 0; i < files->count && out == AUTH_OUT_FAILED; i++) {
        const char *path = files->items[i];
        struct stat st;
        if (agent_ids_has_file(agent, path))
            continue;               /* offered through the agent */
        if (stat(path, &st) != 0) {
            log_at(SSH_LOG_DEBUG1, "identity file %s type -1", path);
            continue;
        }
        if (!method_listed(a->methods, "publickey"))
            break;
        log_at(SSH_LOG_DEBUG1, "Trying private key: %s", path);
        sshkit_key *key = load_identity(a, path);
        if (key == NULL)
            continue;
        out = offer(a, path, key);
        sshkit_key_free(key);
    }
    agent_ids_free(agent);
    return out;
}
