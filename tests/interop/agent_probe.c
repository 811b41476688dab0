/* sshkit-agent-probe: drives sshkit/agent.h against a real ssh-agent (the
 * one $SSH_AUTH_SOCK names) for tests/interop/agent_openssh.sh.
 *
 *   list                      the keys, as `ssh-add -l` prints them
 *   sign-all                  signs with every key and every algorithm it
 *                             has, verifies each signature; "TYPE ALG ok" lines
 *   sign PUBFILE              signs with one key; prints "ok" or the error's name
 *   add KEYFILE [COMMENT [LIFETIME [confirm]]]
 *   remove PUBFILE | remove-all | lock PASS | unlock PASS
 *
 * Failures print the error's name (SSHKIT_E_REFUSED...) and exit 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sshkit.h>

static int failed(const char *what, int rc)
{
    printf("%s\n", sshkit_error_name(rc));
    fprintf(stderr, "sshkit-agent-probe: %s: %s\n", what, sshkit_strerror(rc));
    return 1;
}

static int do_list(sshkit_agent *agent)
{
    sshkit_key **keys;
    size_t n;
    int rc = sshkit_agent_list(agent, &keys, &n);
    if (rc != 0)
        return failed("list", rc);
    if (n == 0)
        printf("The agent has no identities.\n");
    for (size_t i = 0; i < n; i++) {
        char *fp = NULL;
        sshkit_key_fingerprint(keys[i], SSHKIT_FP_SHA256, &fp);
        printf("%u %s %s (%s)\n", sshkit_key_bits(keys[i]), fp ? fp : "?",
               sshkit_key_comment(keys[i]), sshkit_key_short_name(keys[i]));
        sshkit_free(fp, 0);
    }
    sshkit_agent_keys_free(keys, n);
    return n == 0;
}

/* Signs data with key and alg through the agent and checks the result. */
static int sign_one(sshkit_agent *agent, const sshkit_key *key, const char *alg)
{
    static const uint8_t data[] = "sshkit-agent-probe: data to sign";
    uint8_t *sig;
    size_t len;
    int rc = sshkit_agent_sign(agent, key, alg, data, sizeof data, &sig, &len);
    if (rc == 0)
        rc = sshkit_key_verify(key, alg, sig, len, data, sizeof data);
    if (rc == 0)
        sshkit_free(sig, len);
    return rc;
}

static int do_sign_all(sshkit_agent *agent)
{
    static const char *const rsa_algs[] = { NULL, "rsa-sha2-256", "rsa-sha2-512" };
    sshkit_key **keys;
    size_t n;
    int rc = sshkit_agent_list(agent, &keys, &n);
    if (rc != 0)
        return failed("list", rc);
    for (size_t i = 0; i < n && rc == 0; i++) {
        bool rsa = sshkit_key_get_type(keys[i]) == SSHKIT_KEY_RSA;
        for (size_t a = 0; a < (rsa ? 3 : 1) && rc == 0; a++) {
            const char *alg = rsa ? rsa_algs[a] : sshkit_key_type_name(keys[i]);
            rc = sign_one(agent, keys[i], alg);
            printf("%s %s %s\n", sshkit_key_type_name(keys[i]), alg ? alg : "default",
                   rc == 0 ? "ok" : sshkit_error_name(rc));
        }
    }
    sshkit_agent_keys_free(keys, n);
    return rc != 0;
}

static int do_sign(sshkit_agent *agent, const char *pubfile)
{
    sshkit_key *key;
    int rc = sshkit_key_load_public(pubfile, &key);
    if (rc != 0)
        return failed(pubfile, rc);
    rc = sign_one(agent, key, NULL);
    sshkit_key_free(key);
    if (rc != 0)
        return failed("sign", rc);
    printf("ok\n");
    return 0;
}

static int do_add(sshkit_agent *agent, int argc, char **argv)
{
    sshkit_key *key;
    int rc = sshkit_key_load_private(argv[0], NULL, &key);
    if (rc != 0)
        return failed(argv[0], rc);
    sshkit_agent_constraints c = { 0, false };
    if (argc > 2)
        c.lifetime = (uint32_t)strtoul(argv[2], NULL, 10);
    c.confirm = argc > 3 && strcmp(argv[3], "confirm") == 0;
    rc = sshkit_agent_add(agent, key, argc > 1 ? argv[1] : NULL, &c);
    sshkit_key_free(key);
    return rc ? failed("add", rc) : 0;
}

static int do_remove(sshkit_agent *agent, const char *pubfile)
{
    sshkit_key *key;
    int rc = sshkit_key_load_public(pubfile, &key);
    if (rc != 0)
        return failed(pubfile, rc);
    rc = sshkit_agent_remove(agent, key);
    sshkit_key_free(key);
    return rc ? failed("remove", rc) : 0;
}

static int run(sshkit_agent *agent, int argc, char **argv)
{
    const char *cmd = argv[1];
    int rc;
    if (strcmp(cmd, "list") == 0)
        return do_list(agent);
    if (strcmp(cmd, "sign-all") == 0)
        return do_sign_all(agent);
    if (strcmp(cmd, "sign") == 0 && argc == 3)
        return do_sign(agent, argv[2]);
    if (strcmp(cmd, "add") == 0 && argc >= 3)
        return do_add(agent, argc - 2, argv + 2);
    if (strcmp(cmd, "remove") == 0 && argc == 3)
        return do_remove(agent, argv[2]);
    if (strcmp(cmd, "remove-all") == 0)
        return (rc = sshkit_agent_remove_all(agent)) ? failed(cmd, rc) : 0;
    if (strcmp(cmd, "lock") == 0 && argc == 3)
        return (rc = sshkit_agent_lock(agent, argv[2])) ? failed(cmd, rc) : 0;
    if (strcmp(cmd, "unlock") == 0 && argc == 3)
        return (rc = sshkit_agent_unlock(agent, argv[2])) ? failed(cmd, rc) : 0;
    fprintf(stderr, "sshkit-agent-probe: bad command\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: sshkit-agent-probe list|sign-all|sign|add|remove|remove-all|"
                        "lock|unlock ...\n");
        return 2;
    }
    sshkit_agent *agent;
    int rc = sshkit_agent_connect(NULL, 60000, &agent);
    if (rc != 0)
        return failed("connect", rc);
    rc = run(agent, argc, argv);
    sshkit_agent_free(agent);
    return rc;
}
