/* sshkit-ssh's options (and sshkit-sftp's): the defaults, before parsing
 * and for what the user left unset, and freeing. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "options_values.h"
#include "ssh_client.h"

void options_init(struct ssh_options *o)
{
    memset(o, 0, sizeof *o);
    o->family = AF_UNSPEC;
    o->strict = SSH_STRICT_ASK;
    o->password_auth = o->kbdint_auth = o->pubkey_auth = true;
    o->log_level = SSH_LOG_INFO;
    o->password_prompts = 3;
}

static void add_default(struct ssh_list *list, const char *path)
{
    if (list->count < SSH_MAX_FILES)
        list->items[list->count++] = value_expand_path(path);
}

/* The local user's name, as ssh's default User. */
static char *local_user(void)
{
    const struct passwd *pw = getpwuid(getuid());
    if (pw && pw->pw_name)
        return strdup(pw->pw_name);
    const char *env = getenv("USER");
    return strdup(env ? env : "root");
}

/* Splits "user@host" at its last '@', as ssh does. */
static void split_destination(struct ssh_options *o)
{
    const char *at = strrchr(o->destination, '@');
    if (at == NULL) {
        o->host = strdup(o->destination);
        return;
    }
    if (o->user == NULL)
        o->user = strndup(o->destination, (size_t)(at - o->destination));
    o->host = strdup(at + 1);
}

void options_finish(struct ssh_options *o)
{
    if (o->host == NULL)            /* config_resolve() sets it from Hostname */
        split_destination(o);
    if (o->host == NULL || o->host[0] == '\0') {
        fprintf(stderr, "ssh: Could not resolve hostname : Name or service not known\n");
        exit(SSH_EXIT_FAILURE);
    }
    if (o->user == NULL)
        o->user = local_user();
    if (o->port == 0)
        o->port = 22;
    if (o->request_tty == SSH_TTY_UNSET)
        o->request_tty = SSH_TTY_AUTO;
    if (!o->identity_given) {
        add_default(&o->identity_files, "~/.ssh/id_ed25519");
        add_default(&o->identity_files, "~/.ssh/id_ecdsa");
        add_default(&o->identity_files, "~/.ssh/id_rsa");
    }
    if (o->user_known_hosts.count == 0) {
        add_default(&o->user_known_hosts, "~/.ssh/known_hosts");
        add_default(&o->user_known_hosts, "~/.ssh/known_hosts2");
    }
    if (o->global_known_hosts.count == 0) {
        add_default(&o->global_known_hosts, "/etc/ssh/ssh_known_hosts");
        add_default(&o->global_known_hosts, "/etc/ssh/ssh_known_hosts2");
    }
    if (o->preferred_auth == NULL)
        o->preferred_auth = strdup("publickey,keyboard-interactive,password");
}

static void free_list(struct ssh_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i]);
    list->count = 0;
}

void options_free(struct ssh_options *o)
{
    free(o->host);
    free(o->proxy_command);
    free(o->proxy_jump);
    free(o->stdio_host);
    for (size_t i = 0; i < o->forwards.count; i++)
        fwd_spec_free(&o->forwards.items[i]);
    free(o->user);
    free_list(&o->identity_files);
    free_list(&o->user_known_hosts);
    free_list(&o->global_known_hosts);
    for (int k = 0; k < SSHKIT_ALG_KINDS; k++)
        free(o->algs[k]);
    free(o->pubkey_algorithms);
    free(o->preferred_auth);
    free(o->identity_agent);
    free(o->forward_agent_path);
}
