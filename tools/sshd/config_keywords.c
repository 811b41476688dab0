/* sshd_config keywords about who gets in, and where: listeners, host keys,
 * authentication; and the helpers every keyword handler uses. The first
 * value given wins, as in OpenSSH; list keywords add up. Values are
 * checked even when ignored. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_internal.h"

int config_only_one(int argc, const struct config_where *w)
{
    return argc == 1 ? 0 : config_error(w, "%s: garbage at end of line", w->keyword);
}

int config_set_flag(int *field, int argc, char **argv, const struct config_where *w)
{
    int v = config_parse_flag(argv[0]);
    if (config_only_one(argc, w) < 0)
        return -1;
    if (v < 0)
        return config_error(w, "unsupported option \"%s\".", argv[0]);
    if (*field == SSHD_UNSET)
        *field = v;
    return 0;
}

/* A path or word; "none" gives NULL when none_ok. */
int config_set_string(char **field, bool *set, int argc, char **argv,
                      const struct config_where *w, bool none_ok)
{
    if (config_only_one(argc, w) < 0)
        return -1;
    if (*set)
        return 0;
    *set = true;
    if (none_ok && strcasecmp(argv[0], "none") == 0)
        return 0;
    *field = strdup(argv[0]);
    return *field ? 0 : config_error(w, "out of memory");
}

int config_set_number(int *field, int argc, char **argv, const struct config_where *w, int min)
{
    char *end;
    long v = strtol(argv[0], &end, 10);
    if (config_only_one(argc, w) < 0)
        return -1;
    if (*end || end == argv[0] || v < min || v > 1000000)
        return config_error(w, "invalid %s value \"%s\".", w->keyword, argv[0]);
    if (*field == SSHD_UNSET)
        *field = (int)v;
    return 0;
}

int config_set_time(int *field, int argc, char **argv, const struct config_where *w)
{
    int64_t v = config_parse_time(argv[0]);
    if (config_only_one(argc, w) < 0)
        return -1;
    if (v < 0)
        return config_error(w, "invalid time value \"%s\".", argv[0]);
    if (*field == SSHD_UNSET)
        *field = (int)v;
    return 0;
}

static int kw_listen(struct sshd_config *c, int argc, char **argv, const struct config_where *w)
{
    struct listen_addr a;
    if (argc != 1)
        return config_error(w, "ListenAddress: rdomain is not supported by sshkit-sshd");
    if (config_parse_listen(argv[0], &a) < 0)
        return config_error(w, "invalid ListenAddress \"%s\".", argv[0]);
    struct listen_addr *grown = realloc(c->listen, (c->listen_count + 1) * sizeof *grown);
    if (grown == NULL) {
        free(a.host);
        return config_error(w, "out of memory");
    }
    c->listen = grown;
    c->listen[c->listen_count++] = a;
    return 0;
}

static int kw_port(struct sshd_config *c, int argc, char **argv, const struct config_where *w)
{
    int p = config_parse_port(argv[0]);
    if (config_only_one(argc, w) < 0)
        return -1;
    if (p < 0)
        return config_error(w, "Badly formatted port number.");
    if (c->ports_from_cmdline)
        return 0;
    unsigned *grown = realloc(c->ports, (c->port_count + 1) * sizeof *grown);
    if (grown == NULL)
        return config_error(w, "out of memory");
    c->ports = grown;
    c->ports[c->port_count++] = (unsigned)p;
    return 0;
}

static int kw_host_key(struct sshd_config *c, int argc, char **argv, const struct config_where *w)
{
    if (config_only_one(argc, w) < 0)
        return -1;
    return strv_add(&c->host_keys, argv[0]) ? config_error(w, "out of memory") : 0;
}

static int kw_authorized_keys(struct sshd_config *c, int argc, char **argv,
                              const struct config_where *w)
{
    if (c->authorized_keys_set)
        return 0;
    c->authorized_keys_set = true;
    for (int i = 0; i < argc; i++)
        if (strv_add(&c->authorized_keys, argv[i]))
            return config_error(w, "out of memory");
    return 0;
}

static int kw_allow_users(struct sshd_config *c, int argc, char **argv,
                          const struct config_where *w)
{
    for (int i = 0; i < argc; i++)
        if (strv_add(&c->allow_users, argv[i]))
            return config_error(w, "out of memory");
    return 0;
}

static int kw_password(struct sshd_config *c, int argc, char **argv, const struct config_where *w)
{
    return config_set_flag(&c->password_auth, argc, argv, w);
}

static int kw_kbdint(struct sshd_config *c, int argc, char **argv, const struct config_where *w)
{
    return config_set_flag(&c->kbdint_auth, argc, argv, w);
}

static int kw_pubkey(struct sshd_config *c, int argc, char **argv, const struct config_where *w)
{
    return config_set_flag(&c->pubkey_auth, argc, argv, w);
}

static int kw_password_file(struct sshd_config *c, int argc, char **argv,
                            const struct config_where *w)
{
    bool set = c->password_file != NULL;
    return config_set_string(&c->password_file, &set, argc, argv, w, false);
}

const struct config_keyword config_access_keywords[] = {
    { "ListenAddress", kw_listen },
    { "Port", kw_port },
    { "HostKey", kw_host_key },
    { "AuthorizedKeysFile", kw_authorized_keys },
    { "AllowUsers", kw_allow_users },
    { "PasswordAuthentication", kw_password },
    { "KbdInteractiveAuthentication", kw_kbdint },
    { "ChallengeResponseAuthentication", kw_kbdint },
    { "PubkeyAuthentication", kw_pubkey },
    { "PasswordFile", kw_password_file },
    { NULL, NULL },
};
