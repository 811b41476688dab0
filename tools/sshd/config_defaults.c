/* The configuration's life: unset at first, OpenSSH's defaults for what
 * nothing set, freed at the end. */
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

int strv_add(struct strv *v, const char *s)
{
    char **grown = realloc(v->v, (v->n + 1) * sizeof *grown);
    if (grown == NULL)
        return -1;
    v->v = grown;
    if ((v->v[v->n] = strdup(s)) == NULL)
        return -1;
    v->n++;
    return 0;
}

void strv_free(struct strv *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->v[i]);
    free(v->v);
    v->v = NULL;
    v->n = 0;
}

void config_init(struct sshd_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->password_auth = cfg->kbdint_auth = cfg->pubkey_auth = SSHD_UNSET;
    cfg->max_auth_tries = cfg->login_grace = cfg->max_sessions = SSHD_UNSET;
    cfg->max_startups_begin = cfg->max_startups_rate = cfg->max_startups_full = SSHD_UNSET;
    cfg->log_level = cfg->client_alive_interval = SSHD_UNSET;
    cfg->rekey_bytes = cfg->rekey_seconds = SSHD_UNSET;
    cfg->allow_tcp_forwarding = cfg->gateway_ports = SSHD_UNSET;
    cfg->allow_agent_forwarding = SSHD_UNSET;
}

void config_free(struct sshd_config *cfg)
{
    for (size_t i = 0; i < cfg->listen_count; i++)
        free(cfg->listen[i].host);
    free(cfg->listen);
    free(cfg->ports);
    strv_free(&cfg->host_keys);
    strv_free(&cfg->authorized_keys);
    free(cfg->password_file);
    strv_free(&cfg->allow_users);
    for (int k = 0; k < SSHKIT_ALG_KINDS; k++)
        free(cfg->algorithms[k]);
    free(cfg->force_command);
    free(cfg->banner);
    free(cfg->pid_file);
    for (size_t i = 0; i < cfg->subsystem_count; i++) {
        free(cfg->subsystems[i].name);
        free(cfg->subsystems[i].command);
    }
    free(cfg->subsystems);
    free(cfg->chroot_directory);
    strv_free(&cfg->permit_open);
    strv_free(&cfg->accept_env);
    memset(cfg, 0, sizeof *cfg);
}

static void default_int(int *field, int value)
{
    if (*field == SSHD_UNSET)
        *field = value;
}

/* Ports, listeners, host keys and key files, as OpenSSH. */
static void finish_lists(struct sshd_config *cfg)
{
    static const char *const host_keys[] = { "/etc/ssh/ssh_host_rsa_key",
                                             "/etc/ssh/ssh_host_ecdsa_key",
                                             "/etc/ssh/ssh_host_ed25519_key" };
    if (cfg->port_count == 0 && (cfg->ports = malloc(sizeof *cfg->ports)) != NULL) {
        cfg->ports[0] = 22;
        cfg->port_count = 1;
    }
    if (cfg->listen_count == 0 && (cfg->listen = calloc(1, sizeof *cfg->listen)) != NULL)
        cfg->listen_count = 1;                  /* every address, each Port */
    if (cfg->host_keys.n == 0)
        for (size_t i = 0; i < sizeof host_keys / sizeof host_keys[0]; i++)
            (void)strv_add(&cfg->host_keys, host_keys[i]);
    if (!cfg->authorized_keys_set) {
        (void)strv_add(&cfg->authorized_keys, ".ssh/authorized_keys");
        (void)strv_add(&cfg->authorized_keys, ".ssh/authorized_keys2");
        cfg->authorized_keys_set = true;
    }
}

void config_finish(struct sshd_config *cfg)
{
    finish_lists(cfg);
    default_int(&cfg->password_auth, 1);
    default_int(&cfg->kbdint_auth, 1);
    default_int(&cfg->pubkey_auth, 1);
    default_int(&cfg->max_auth_tries, 6);
    default_int(&cfg->login_grace, 120);
    default_int(&cfg->max_sessions, 10);
    if (cfg->max_startups_begin == SSHD_UNSET) {
        cfg->max_startups_begin = 10;
        cfg->max_startups_rate = 30;
        cfg->max_startups_full = 100;
    }
    default_int(&cfg->log_level, SSHD_LOG_INFO);
    default_int(&cfg->client_alive_interval, 0);
    if (cfg->rekey_bytes == SSHD_UNSET)
        cfg->rekey_bytes = cfg->rekey_seconds = 0;
    default_int(&cfg->allow_tcp_forwarding, SSHD_FWD_ALL);
    default_int(&cfg->gateway_ports, SSHD_GW_NO);
    default_int(&cfg->allow_agent_forwarding, 1);
    if (!cfg->pid_file_set) {
        cfg->pid_file = strdup("/run/sshd.pid");
        cfg->pid_file_set = true;
    }
}
