/* Authentication callbacks: public keys from AuthorizedKeysFile, passwords
 * from PasswordFile (also through keyboard-interactive), AllowUsers, and
 * the rule that only the user running the server may log in (as a
 * non-root sshd). A refused user gets the same answers as a wrong key or
 * password: the difference is only in the log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "match.h"
#include "server.h"

/* AllowUsers: "user" or "user@address-pattern" (no DNS: the address). */
static bool allow_users_ok(const struct conn *c, const char *name)
{
    const struct strv *list = &c->srv->cfg->allow_users;
    if (list->n == 0)
        return true;
    for (size_t i = 0; i < list->n; i++) {
        char pattern[512];
        snprintf(pattern, sizeof pattern, "%s", list->v[i]);
        char *at = strchr(pattern, '@');
        if (at)
            *at = '\0';
        if (match_pattern(name, pattern) && (!at || match_address_list(c->addr, at + 1) == 1))
            return true;
    }
    return false;
}

/* Whether name may log in at all; logs why not, once per connection. */
static bool user_valid(struct conn *c, const char *name)
{
    bool own = strcmp(name, c->srv->user) == 0;
    bool ok = own && allow_users_ok(c, name);
    if (!c->auth.user_checked && !ok) {
        char clean[128];
        log_clean(name, clean, sizeof clean);
        if (!own)
            log_info("Invalid user %s from %s", clean, c->label);
        else
            log_info("User %s from %s not allowed because not listed in AllowUsers", clean,
                     c->addr);
    }
    c->auth.user_checked = true;
    return ok;
}

static void describe_key(struct conn *c, const sshkit_key *key)
{
    char *fp = NULL;
    if (sshkit_key_fingerprint(key, SSHKIT_FP_SHA256, &fp) != 0)
        fp = NULL;
    snprintf(c->auth.key_desc, sizeof c->auth.key_desc, "%s %s", sshkit_key_short_name(key),
             fp ? fp : "?");
    sshkit_free(fp, 0);
}

static sshkit_auth_decision on_publickey(void *user, const char *name, const sshkit_key *key)
{
    struct conn *c = user;
    if (!user_valid(c, name))
        return SSHKIT_AUTH_REJECT;
    sshkit_authorized_key *line = authorized_keys_find(c->srv, c->addr, key);
    if (line == NULL) {
        log_debug("%s: publickey %s not in AuthorizedKeysFile", c->label,
                  sshkit_key_short_name(key));
        return SSHKIT_AUTH_REJECT;
    }
    sshkit_authorized_key_free(c->auth.candidate);
    c->auth.candidate = line;
    c->auth.method = "publickey";
    describe_key(c, key);
    return SSHKIT_AUTH_ACCEPT;
}

/* A password for name, by one method; logs a failure. */
static bool check_password(struct conn *c, const char *method, const char *name,
                           const char *password)
{
    bool valid = user_valid(c, name);
    bool ok = password_check(c->srv->cfg->password_file, name, valid, password) && valid;
    if (ok) {
        c->auth.method = method;
        c->auth.key_desc[0] = '\0';
    } else {
        char clean[128];
        log_info("Failed %s for %s%s from %s ssh2", method, valid ? "" : "invalid user ",
                 log_clean(name, clean, sizeof clean), c->label);
    }
    return ok;
}

static sshkit_auth_decision on_password(void *user, const char *name, const char *password)
{
    return check_password(user, "password", name, password) ? SSHKIT_AUTH_ACCEPT
                                                            : SSHKIT_AUTH_REJECT;
}

/* One round: "Password: ", not echoed; its answer checked as a password. */
static int on_kbdint(void *user, const char *name, unsigned round, const char *const *answers,
                     unsigned count, sshkit_kbdint_request *next)
{
    struct conn *c = user;
    if (round == 0) {
        c->auth.prompt[0] = "Password: ";
        c->auth.echo[0] = false;
        *next = (sshkit_kbdint_request){ .name = "", .instruction = "", .count = 1,
                                         .prompts = c->auth.prompt, .echo = c->auth.echo };
        return SSHKIT_AUTH_CONTINUE;
    }
    if (count != 1)
        return SSHKIT_AUTH_REJECT;
    return check_password(c, "keyboard-interactive", name, answers[0]) ? SSHKIT_AUTH_ACCEPT
                                                                       : SSHKIT_AUTH_REJECT;
}

void auth_setup(struct conn *c, sshkit_server_auth *out)
{
    const struct sshd_config *cfg = c->srv->cfg;
    unsigned grace = cfg->login_grace > 0 ? (unsigned)cfg->login_grace : (unsigned)-1;
    *out = (sshkit_server_auth){ .banner = c->srv->banner,
                                 .max_tries = (unsigned)cfg->max_auth_tries,
                                 .login_grace_seconds = grace, .user = c };
    if (cfg->pubkey_auth)
        out->publickey = on_publickey;
    if (cfg->password_auth && cfg->password_file)
        out->password = on_password;
    if (cfg->kbdint_auth && cfg->password_file)
        out->kbdint = on_kbdint;
}

void auth_release(struct conn_auth *a)
{
    sshkit_authorized_key_free(a->candidate);
    sshkit_authorized_key_free(a->key_line);
    a->candidate = a->key_line = NULL;
}
