/* sshkit-ssh: publickey authentication with the agent's keys, in ssh's
 * order (sshconnect2.c's pubkey_prepare): first the agent's keys that are
 * also identity files' (signed by the agent, no passphrase asked), then
 * the agent's other keys unless IdentitiesOnly; the identity files not in
 * the agent come after (auth_publickey.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sshkit/agent.h>

#include "ssh_client.h"

struct agent_ids {
    sshkit_agent *agent;
    sshkit_key **keys;          /* the agent's, in its order */
    size_t count;
    const char **file;          /* per key: the identity file it is, or NULL */
    const struct ssh_list *files;
    bool *file_in_agent;        /* per identity file */
};

/* An identity file's public half: FILE.pub, else the file itself when it
 * is not encrypted; NULL when neither can be read. */
static sshkit_key *file_public(const char *path)
{
    char pub[4096];
    sshkit_key *key = NULL, *pair = NULL;
    snprintf(pub, sizeof pub, "%s.pub", path);
    if (sshkit_key_load_public(pub, &key) == 0)
        return key;
    if (sshkit_key_load_private(path, NULL, &pair) == 0 && sshkit_key_public_copy(pair, &key) != 0)
        key = NULL;
    sshkit_key_free(pair);
    return key;
}

/* Marks which agent keys are identity files. */
static void match_files(struct agent_ids *ids)
{
    for (size_t f = 0; f < ids->files->count; f++) {
        sshkit_key *pub = file_public(ids->files->items[f]);
        for (size_t k = 0; pub && k < ids->count; k++) {
            if (ids->file[k] == NULL && sshkit_key_equal(pub, ids->keys[k])) {
                ids->file[k] = ids->files->items[f];
                ids->file_in_agent[f] = true;
            }
        }
        sshkit_key_free(pub);
    }
}

struct agent_ids *agent_ids_open(const struct ssh_options *o)
{
    char *path = agent_socket_path(o);
    struct agent_ids *ids = path ? calloc(1, sizeof *ids) : NULL;
    if (ids == NULL) {
        free(path);
        return NULL;
    }
    ids->files = &o->identity_files;
    int rc = sshkit_agent_connect(path, -1, &ids->agent);
    if (rc == 0)
        rc = sshkit_agent_list(ids->agent, &ids->keys, &ids->count);
    if (rc != 0)
        log_at(SSH_LOG_DEBUG1, "agent %s: %s", path,
               rc == SSHKIT_E_CONNECT ? strerror(errno) : sshkit_strerror(rc));
    free(path);
    ids->file = calloc(ids->count + 1, sizeof *ids->file);
    ids->file_in_agent = calloc(ids->files->count + 1, sizeof *ids->file_in_agent);
    if (rc != 0 || ids->count == 0 || ids->file == NULL || ids->file_in_agent == NULL) {
        agent_ids_free(ids);
        return NULL;
    }
    log_at(SSH_LOG_DEBUG1, "get_agent_identities: agent returned %zu keys", ids->count);
    match_files(ids);
    return ids;
}

/* Offers one agent key; the agent signs. */
static enum auth_outcome offer(struct auth_ctx *a, struct agent_ids *ids, size_t k)
{
    const sshkit_key *key = ids->keys[k];
    const char *name = ids->file[k] ? ids->file[k] : sshkit_key_comment(key);
    char *fp = NULL;
    sshkit_key_fingerprint(key, SSHKIT_FP_SHA256, &fp);
    log_at(SSH_LOG_DEBUG1, "Offering public key: %s %s %s agent", name,
           sshkit_key_short_name(key), fp ? fp : "");
    sshkit_free(fp, 0);
    if (sshkit_auth_publickey_signer(a->s, a->opt->user, key, sshkit_agent_signer,
                                     ids->agent) != 0)
        return AUTH_OUT_FAILED;
    sshkit_event ev;
    enum auth_outcome out = auth_wait(a, &ev);
    if (out == AUTH_OUT_FAILED && ev.u.auth.error != 0)
        log_at(SSH_LOG_ERROR, "sign_and_send_pubkey: signing failed for %s \"%s\" from agent: %s",
               sshkit_key_short_name(key), name, sshkit_strerror(ev.u.auth.error));
    return out == AUTH_OUT_PROMPT ? AUTH_OUT_ERROR : out;
}

enum auth_outcome agent_ids_offer(struct auth_ctx *a, struct agent_ids *ids)
{
    enum auth_outcome out = AUTH_OUT_FAILED;
    for (int pass = 0; ids && pass < 2; pass++) {
        if (pass == 1 && a->opt->identities_only)
            break;
        for (size_t k = 0; k < ids->count && out == AUTH_OUT_FAILED; k++) {
            if ((ids->file[k] != NULL) != (pass == 0))
                continue;       /* identity files' keys first, then the others */
            if (!method_listed(a->methods, "publickey"))
                return out;
            out = offer(a, ids, k);
        }
    }
    return out;
}

bool agent_ids_has_file(const struct agent_ids *ids, const char *path)
{
    for (size_t f = 0; ids && f < ids->files->count; f++)
        if (ids->file_in_agent[f] && strcmp(ids->files->items[f], path) == 0)
            return true;
    return false;
}

void agent_ids_free(struct agent_ids *ids)
{
    if (ids == NULL)
        return;
    sshkit_agent_keys_free(ids->keys, ids->count);
    sshkit_agent_free(ids->agent);
    free(ids->file);
    free(ids->file_in_agent);
    free(ids);
}
