/* sshkit-knownhosts-probe: drives the known_hosts API from the command line
 * so that tests/interop/knownhosts.sh can compare it with ssh-keygen.
 *
 *   find   FILE NAME          like `ssh-keygen -F NAME -f FILE` (same output)
 *   remove FILE NAME          like `ssh-keygen -R NAME -f FILE`, without the .old file
 *   hash   FILE               like `ssh-keygen -H -f FILE`, without the .old file
 *   check  FILE NAME PUBKEY   prints "OK|NEW|CHANGED|REVOKED line N [other-types]"
 *   add    FILE NAME PUBKEY [hashed]
 *
 * NAME is written as ssh-keygen takes it: "host" or "[host]:port". The
 * output formatting lives here, not in the library, so that sshkit-keygen
 * can take it over. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sshkit.h>

#include "common/base64.h"

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

/* Reads "type base64 [comment]" from a .pub file (the library's own public
 * key parser lives on another branch for now). */
static sshkit_key *read_pub(const char *path)
{
    char line[16384];
    FILE *f = fopen(path, "r");
    if (f == NULL || fgets(line, sizeof line, f) == NULL) {
        if (f)
            fclose(f);
        return NULL;
    }
    fclose(f);
    char *b64 = strchr(line, ' ');
    if (b64 == NULL)
        return NULL;
    b64++;
    size_t len = strcspn(b64, " \t\r\n");
    uint8_t *blob;
    size_t blob_len;
    sshkit_key *key = NULL;
    if (sk_base64_decode(b64, len, &blob, &blob_len) != 0)
        return NULL;
    if (sshkit_key_from_public_blob(blob, blob_len, &key) != 0)
        key = NULL;
    free(blob);
    return key;
}

static int do_find(sshkit_knownhosts *kh, const char *name, const char *host, unsigned port)
{
    size_t cursor = 0;
    sshkit_kh_entry e;
    int rc, found = 0;
    while ((rc = sshkit_knownhosts_find(kh, host, port, &cursor, &e)) > 0) {
        found = 1;
        printf("# Host %s found: line %zu %s\n", name, e.line,
               e.marker == SSHKIT_KH_MARKER_CERT_AUTHORITY ? "CA" :
               e.marker == SSHKIT_KH_MARKER_REVOKED ? "REVOKED" : "");
        fwrite(e.text, 1, e.len, stdout);
        putchar('\n');
    }
    if (rc < 0)
        return fail("find", rc);
    return found ? 0 : 1;
}

static int do_check(sshkit_knownhosts *kh, const char *host, unsigned port, const char *pub)
{
    static const char *const names[] = { "OK", "NEW", "CHANGED", "REVOKED" };
    sshkit_key *key = read_pub(pub);
    if (key == NULL)
        return fail(pub, SSHKIT_E_FORMAT);
    sshkit_kh_result res;
    int rc = sshkit_knownhosts_check(kh, host, port, key, &res);
    sshkit_key_free(key);
    if (rc < 0)
        return fail("check", rc);
    printf("%s line %zu%s\n", names[rc], res.line, res.other_types ? " other-types" : "");
    return 0;
}

static int do_add(sshkit_knownhosts *kh, const char *file, const char *host, unsigned port,
                  const char *pub, bool hashed)
{
    sshkit_key *key = read_pub(pub);
    if (key == NULL)
        return fail(pub, SSHKIT_E_FORMAT);
    int rc = sshkit_knownhosts_add(kh, host, port, key,
                                   hashed ? SSHKIT_KH_ADD_HASHED : SSHKIT_KH_ADD_PLAIN);
    sshkit_key_free(key);
    if (rc < 0)
        return fail("add", rc);
    rc = sshkit_knownhosts_save(kh, file);
    return rc < 0 ? fail(file, rc) : 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: sshkit-knownhosts-probe find|remove|check|add FILE NAME [PUBKEY [hashed]]\n"
                    "       sshkit-knownhosts-probe hash FILE\n");
    return 2;
}

static int run(sshkit_knownhosts *kh, int argc, char **argv)
{
    const char *cmd = argv[1], *file = argv[2];
    if (strcmp(cmd, "hash") == 0) {
        int rc = sshkit_knownhosts_hash(kh);
        if (rc < 0)
            return fail("hash", rc);
        rc = sshkit_knownhosts_save(kh, file);
        return rc < 0 ? fail(file, rc) : 0;
    }
    char host[1100];
    unsigned port;
    if (argc < 4 || split_name(argv[3], host, sizeof host, &port) != 0)
        return usage();
    if (strcmp(cmd, "find") == 0)
        return do_find(kh, argv[3], host, port);
    if (strcmp(cmd, "remove") == 0) {
        int n = sshkit_knownhosts_remove(kh, host, port);
        if (n < 0)
            return fail("remove", n);
        printf("removed %d\n", n);
        int rc = n > 0 ? sshkit_knownhosts_save(kh, file) : 0;
        return rc < 0 ? fail(file, rc) : 0;
    }
    if (strcmp(cmd, "check") == 0 && argc == 5)
        return do_check(kh, host, port, argv[4]);
    if (strcmp(cmd, "add") == 0 && (argc == 5 || argc == 6))
        return do_add(kh, file, host, port, argv[4], argc == 6 && strcmp(argv[5], "hashed") == 0);
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
