/* sshkit-ssh -o: ssh_config(5) keywords, "Key=Value" or "Key Value",
 * keywords in any case. As in ssh, the first value given for a keyword
 * wins; IdentityFile adds a file each time. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "options_values.h"
#include "ssh_client.h"

/* Prints ssh's kind of message for a bad value, naming the keyword. */
static bool bad(const char *key, const char *value)
{
    fprintf(stderr, "command-line line 0: Bad value for %s: '%s'.\n", key, value);
    return false;
}

static bool set_string(char **field, const char *value)
{
    if (*field == NULL)
        *field = strdup(value);
    return true;
}

static bool add_path(struct ssh_list *list, const char *key, const char *path)
{
    if (list->count == SSH_MAX_FILES) {
        fprintf(stderr, "command-line line 0: %s: too many files.\n", key);
        return false;
    }
    list->items[list->count++] = value_expand_path(path);
    return true;
}

/* A space-separated list of files; "none" for no file at all. */
static bool set_paths(struct ssh_list *list, const char *key, const char *value)
{
    if (list->count > 0)
        return true;            /* the first value wins */
    char *copy = strdup(value), *save = NULL;
    bool ok = copy != NULL;
    for (char *w = strtok_r(copy, " \t", &save); ok && w; w = strtok_r(NULL, " \t", &save))
        if (strcasecmp(w, "none") != 0)
            ok = add_path(list, key, w);
    free(copy);
    if (list->count == 0)
        list->items[list->count++] = strdup("/dev/null");   /* "none": an empty file */
    return ok;
}

bool options_set_algs(struct ssh_options *o, const char *key, sshkit_algorithm_kind kind,
                      const char *value, bool replace)
{
    sshkit_session *probe;
    if (sshkit_session_new(SSHKIT_ROLE_CLIENT, &probe) != 0)
        return false;
    int rc = sshkit_session_set_algorithms(probe, kind, value);
    sshkit_session_free(probe);
    if (rc != 0) {
        fprintf(stderr, "command-line line 0: Bad SSH2 %s spec '%s'.\n", key, value);
        return false;
    }
    if (replace) {
        free(o->algs[kind]);
        o->algs[kind] = NULL;
    }
    return set_string(&o->algs[kind], value);
}

static bool set_strict(struct ssh_options *o, const char *key, const char *v)
{
    static const struct { const char *name; enum ssh_strict value; } names[] = {
        { "yes", SSH_STRICT_YES }, { "true", SSH_STRICT_YES },
        { "accept-new", SSH_STRICT_ACCEPT_NEW }, { "no", SSH_STRICT_NO },
        { "false", SSH_STRICT_NO }, { "off", SSH_STRICT_NO }, { "ask", SSH_STRICT_ASK },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(v, names[i].name) == 0)
            return o->strict = names[i].value, true;
    return bad(key, v);
}

static bool set_preferred(struct ssh_options *o, const char *key, const char *v)
{
    static const char *const known[] = { "publickey", "keyboard-interactive", "password",
                                         "gssapi-with-mic", "hostbased", "none" };
    char *copy = strdup(v), *save = NULL;
    bool ok = copy != NULL && *v;
    for (char *w = strtok_r(copy, ",", &save); ok && w; w = strtok_r(NULL, ",", &save)) {
        bool found = false;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            found |= strcmp(w, known[i]) == 0;
        ok = found;
    }
    free(copy);
    return ok ? set_string(&o->preferred_auth, v) : bad(key, v);
}

/* RekeyLimit: bytes ("default" for the cipher's) then optional time ("none"). */
static bool set_rekey(struct ssh_options *o, const char *key, const char *v)
{
    char first[64], second[64];
    int n = sscanf(v, "%63s %63s", first, second);
    uint64_t bytes = 0;
    uint32_t seconds = 0;
    if (n < 1 || (strcasecmp(first, "default") != 0 && !value_bytes(first, &bytes)))
        return bad(key, v);
    if (n == 2 && strcasecmp(second, "none") != 0 && strcasecmp(second, "default") != 0 &&
        !value_time(second, &seconds))
        return bad(key, v);
    if (n == 2 && bytes > 0 && bytes < 16)
        return bad(key, v);
    o->rekey_bytes = bytes;
    o->rekey_seconds = seconds;
    return true;
}

/* RequestTTY: -t and -T given on the command line win over it. */
static bool set_request_tty(struct ssh_options *o, const char *key, const char *v)
{
    static const struct { const char *name; enum ssh_request_tty value; } names[] = {
        { "auto", SSH_TTY_AUTO }, { "no", SSH_TTY_NO }, { "false", SSH_TTY_NO },
        { "yes", SSH_TTY_YES }, { "true", SSH_TTY_YES }, { "force", SSH_TTY_FORCE },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcasecmp(v, names[i].name) != 0)
            continue;
        if (o->request_tty == SSH_TTY_UNSET)
            o->request_tty = names[i].value;
        return true;
    }
    return bad(key, v);
}

/* Compression yes|no (ssh takes nothing else); -C turns it on whatever
 * this says. */
static bool set_compression(struct ssh_options *o, const char *key, const char *v)
{
    if (strcasecmp(v, "yes") == 0)
        return o->compression = true, true;
    return strcasecmp(v, "no") == 0 || bad(key, v);
}

/* ForwardAgent yes|no|socket path|$VARIABLE; -A and -a win over it. */
static bool set_forward_agent(struct ssh_options *o, const char *key, const char *v)
{
    (void)key;
    bool flag;
    if (o->forward_agent_set)
        return true;
    o->forward_agent_set = true;
    if (value_yesno(v, &flag))
        return o->forward_agent = flag, true;
    o->forward_agent = true;            /* any other word is a socket path, as for ssh */
    return set_string(&o->forward_agent_path, v);
}

/* Keywords that change nothing with their "off" value; any other value
 * needs work not in this build. */
static bool set_later(const char *key, const char *v, const char *harmless)
{
    if (strcasecmp(v, harmless) == 0)
        return true;
    char what[128];
    snprintf(what, sizeof what, "%s %s", key, v);
    unsupported(what);
}

enum keyword {
    K_PORT, K_USER, K_IDENTITYFILE, K_IDENTITIESONLY, K_IDENTITYAGENT, K_STRICT, K_USERKH,
    K_GLOBALKH, K_HASHKH, K_CIPHERS, K_MACS, K_KEX, K_HOSTKEYALGS, K_PUBKEYALGS, K_PUBKEYTYPES,
    K_PREFERRED, K_PASSWORD, K_KBDINT, K_CHALLENGE, K_PUBKEY, K_BATCH, K_CONNECTTIMEOUT,
    K_REKEY, K_LOGLEVEL, K_PROMPTS, K_COMPRESSION, K_FORWARDAGENT, K_PROXYCOMMAND,
    K_PROXYJUMP, K_ALIVE, K_REQUESTTTY, K_COUNT
};

static const char *const keywords[K_COUNT] = {
    "Port", "User", "IdentityFile", "IdentitiesOnly", "IdentityAgent", "StrictHostKeyChecking",
    "UserKnownHostsFile", "GlobalKnownHostsFile", "HashKnownHosts", "Ciphers", "MACs",
    "KexAlgorithms", "HostKeyAlgorithms", "PubkeyAcceptedAlgorithms", "PubkeyAcceptedKeyTypes",
    "PreferredAuthentications", "PasswordAuthentication", "KbdInteractiveAuthentication",
    "ChallengeResponseAuthentication", "PubkeyAuthentication", "BatchMode", "ConnectTimeout",
    "RekeyLimit", "LogLevel", "NumberOfPasswordPrompts", "Compression", "ForwardAgent",
    "ProxyCommand", "ProxyJump", "ServerAliveInterval", "RequestTTY",
};

static bool set_flag(bool *field, const char *key, const char *v)
{
    return value_yesno(v, field) || bad(key, v);
}

static bool apply_files_and_algs(struct ssh_options *o, enum keyword k, const char *key,
                                 const char *v)
{
    switch (k) {
    case K_IDENTITYFILE:
        o->identity_given = true;
        return add_path(&o->identity_files, key, v);
    case K_USERKH: return set_paths(&o->user_known_hosts, key, v);
    case K_GLOBALKH: return set_paths(&o->global_known_hosts, key, v);
    case K_CIPHERS: return options_set_algs(o, key, SSHKIT_ALG_CIPHER, v, false);
    case K_MACS: return options_set_algs(o, key, SSHKIT_ALG_MAC, v, false);
    case K_KEX: return options_set_algs(o, key, SSHKIT_ALG_KEX, v, false);
    case K_HOSTKEYALGS: return options_set_algs(o, key, SSHKIT_ALG_HOSTKEY, v, false);
    case K_PUBKEYALGS: case K_PUBKEYTYPES: return set_string(&o->pubkey_algorithms, v);
    default: return bad(key, v);
    }
}

static bool apply_auth(struct ssh_options *o, enum keyword k, const char *key, const char *v)
{
    int level;
    switch (k) {
    case K_IDENTITIESONLY: return set_flag(&o->identities_only, key, v);
    case K_STRICT: return set_strict(o, key, v);
    case K_HASHKH: return set_flag(&o->hash_known_hosts, key, v);
    case K_PREFERRED: return set_preferred(o, key, v);
    case K_PASSWORD: return set_flag(&o->password_auth, key, v);
    case K_KBDINT: case K_CHALLENGE: return set_flag(&o->kbdint_auth, key, v);
    case K_PUBKEY:
        if (strcasecmp(v, "unbound") == 0 || strcasecmp(v, "host-bound") == 0)
            return o->pubkey_auth = true, true;
        return set_flag(&o->pubkey_auth, key, v);
    case K_BATCH: return set_flag(&o->batch_mode, key, v);
    case K_PROMPTS: return value_unsigned(v, 1000, &o->password_prompts) || bad(key, v);
    case K_LOGLEVEL:
        if ((level = value_log_level(v)) < 0)
            return bad(key, v);
        if (!o->log_level_set)
            o->log_level = (enum ssh_log_level)level;
        return true;
    default: return apply_files_and_algs(o, k, key, v);
    }
}

static bool apply_keyword(struct ssh_options *o, enum keyword k, const char *v)
{
    const char *key = keywords[k];
    uint32_t seconds;
    switch (k) {
    case K_PORT:
        return (o->port != 0 || value_port(v, &o->port)) || bad(key, v);
    case K_USER: return set_string(&o->user, v);
    case K_IDENTITYAGENT: return set_string(&o->identity_agent, v);
    case K_CONNECTTIMEOUT:
        if (strcasecmp(v, "none") == 0)
            return true;
        if (!value_time(v, &seconds) || seconds > 86400 * 365)
            return bad(key, v);
        o->connect_timeout = (int)seconds;
        return true;
    case K_REKEY: return set_rekey(o, key, v);
    case K_COMPRESSION: return set_compression(o, key, v);
    case K_FORWARDAGENT: return set_forward_agent(o, key, v);
    case K_PROXYCOMMAND: return set_later(key, v, "none");
    case K_PROXYJUMP:
        if (strcasecmp(v, "none") == 0) {
            free(o->proxy_jump);
            o->proxy_jump = NULL;
            return true;
        }
        return set_string(&o->proxy_jump, v);
    case K_ALIVE: return set_later(key, v, "0");
    case K_REQUESTTTY: return set_request_tty(o, key, v);
    default: return apply_auth(o, k, key, v);
    }
}

/* Splits "Key=Value", "Key Value" or "Key = Value" into its parts. */
static bool split(const char *text, char *key, size_t cap, const char **value)
{
    size_t n = strcspn(text, " \t=");
    if (n == 0 || n >= cap)
        return false;
    memcpy(key, text, n);
    key[n] = '\0';
    const char *v = text + n;
    v += strspn(v, " \t");
    if (*v == '=')
        v++;
    v += strspn(v, " \t");
    *value = v;
    return *v != '\0';
}

bool options_apply(struct ssh_options *o, const char *text)
{
    char key[64];
    const char *value;
    if (!split(text, key, sizeof key, &value)) {
        fprintf(stderr, "command-line line 0: Missing argument.\n");
        return false;
    }
    for (int k = 0; k < K_COUNT; k++) {
        if (strcasecmp(key, keywords[k]) != 0)
            continue;
        bool first = !(o->keywords_seen & (UINT64_C(1) << k));
        o->keywords_seen |= UINT64_C(1) << k;
        if (!first && k != K_IDENTITYFILE)
            return true;        /* the first value wins, as in ssh */
        return apply_keyword(o, (enum keyword)k, value);
    }
    for (char *c = key; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    fprintf(stderr, "command-line: line 0: Bad configuration option: %s\n", key);
    return false;
}

bool options_knows(const char *key)
{
    for (int k = 0; k < K_COUNT; k++)
        if (strcasecmp(key, keywords[k]) == 0)
            return true;
    return false;
}
