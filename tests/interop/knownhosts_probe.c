/* sshkit-knownhosts-probe: drives the parts of the known_hosts API that no
 * tool offers, so that tests/interop/knownhosts.sh can hold them against
 * OpenSSH (find, remove and hash are sshkit-keygen's -F, -R and -H).
 *
 *   check  FILE NAME PUBKEY   prints "OK|NEW|CHANGED|REVOKED line N [other-types]"
 *   add    FILE NAME PUBKEY [hashed]
 *
 * NAME is written as ssh-keygen takes it: "host" or "[host]:port". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sshkit.h>

static int fail(const char *what, int rc)
{
    fprintf(stderr, "sshkit-knownhosts-probe: %s: %s\n", what, sshkit_strerror(rc));
    return 2;
}

/* "[host]:port" -> host, port; anything else is a host on port 22. */
static int split_name(const char *name, char *host, size_t cap, unsigned *port)
{
    const char *close = strchr(name, ']');
    *port = 22;
    if (name[0] == '[' && close && close[1] == ':' && close[2] != '\0') {
        char *end;
        unsigned long p = strtoul(close + 2, &end, 10);
        size_t len = (size_t)(close - name - 1);
        if (*end != '\0' || p == 0 || p > 65535 || len == 0 || len >= cap)
            return -1;
        memcpy(host, name + 1, len);
        host[len] = '\0';
        *port = (unsigned)p;
        return 0;
    }
    if (strlen(name) >= cap)
        return -1;
    strcpy(host, name);
    return 0;
}

static int do_check(sshkit_knownhosts *kh, const char *host, unsigned port, const char *pub)
{
    static const char *const names[] = { "OK", "NEW", "CHANGED", "REVOKED" };
    sshkit_key *key = NULL;
    int rc = sshkit_key_load_public(pub, &key);
    if (rc != 0)
        return fail(pub, rc);
    sshkit_kh_result res;
    rc = sshkit_knownhosts_check(kh, host, port, key, &res);
    sshkit_key_free(key);
    if (rc < 0)
        return fail("check", rc);
    printf("%s line %zu%s\n", names[rc], res.line, res.other_types ? " other-types" : "");
    return 0;
}

static int do_add(sshkit_knownhosts *kh, const char *file, const char *host, unsigned port,
                  const char *pub, bool hashed)
{
    sshkit_key *key = NULL;
    int rc = sshkit_key_load_public(pub, &key);
    if (rc != 0)
        return fail(pub, rc);
    rc = sshkit_knownhosts_add(kh, host, port, key,
                               hashed ? SSHKIT_KH_ADD_HASHED : SSHKIT_KH_ADD_PLAIN);
    sshkit_key_free(key);
    if (rc < 0)
        return fail("add", rc);
    rc = sshkit_knownhosts_save(kh, file);
    return rc < 0 ? fail(file, rc) : 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: sshkit-knownhosts-probe check FILE NAME PUBKEY\n"
                    "       sshkit-knownhosts-probe add FILE NAME PUBKEY [hashed]\n");
    return 2;
}

static int run(sshkit_knownhosts *kh, int argc, char **argv)
{
    char host[1100];
    unsigned port;
    if (argc < 5 || split_name(argv[3], host, sizeof host, &port) != 0)
        return usage();
    if (strcmp(argv[1], "check") == 0 && argc == 5)
        return do_check(kh, host, port, argv[4]);
    if (strcmp(argv[1], "add") == 0 && argc <= 6)
        return do_add(kh, argv[2], host, port, argv[4], argc == 6 && strcmp(argv[5], "hashed") == 0);
    return usage();
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return usage();
    sshkit_knownhosts *kh;
    int rc = sshkit_knownhosts_load(argv[2], &kh);
    if (rc != 0)
        return fail(argv[2], rc);
    rc = run(kh, argc, argv);
    sshkit_knownhosts_free(kh);
    return rc;
}
