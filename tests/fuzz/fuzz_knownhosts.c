/* Fuzzes known_hosts text: sshkit_knownhosts_parse over the whole input,
 * then find, remove and hash on it.
 *
 * Promises checked: a set that parses formats back to its input byte for
 * byte; find gives matching entries in line order, as get_line sees them;
 * remove takes exactly the unmarked entries find gives, and find then gives
 * only marked ones; hashing leaves nothing more to hash, and its result
 * formats and parses back to itself. */
#include <string.h>
#include <sshkit/knownhosts.h>

#include "fuzz.h"

/* Host names to look up: fixed ones, and the first word of the input. */
static size_t pick_hosts(const uint8_t *data, size_t size, char derived[64],
                         const char *hosts[4])
{
    hosts[0] = "example.com";
    hosts[1] = "[example.com]:2222";
    hosts[2] = "10.0.0.1";
    size_t n = 0;
    while (n < size && n < 63 && data[n] > ' ' && data[n] < 0x7f && data[n] != ',')
        n++;
    memcpy(derived, data, n);
    derived[n] = '\0';
    hosts[3] = derived;
    return n ? 4 : 3;
}

static void check_format(const sshkit_knownhosts *kh, const uint8_t *data, size_t size)
{
    char *text = NULL;
    size_t len = 0;
    FUZZ_ASSERT(sshkit_knownhosts_format(kh, &text, &len) == 0);
    FUZZ_ASSERT(len == size && (size == 0 || memcmp(text, data, size) == 0));
    sshkit_free(text, len + 1);
}

/* Walks find's results; returns how many are unmarked, or -1 on error. */
static int check_find(const sshkit_knownhosts *kh, const char *host, unsigned port)
{
    size_t cursor = 0, last = 0;
    sshkit_kh_entry e, again;
    int rc, unmarked = 0;
    while ((rc = sshkit_knownhosts_find(kh, host, port, &cursor, &e)) > 0) {
        FUZZ_ASSERT(e.line > last && e.kind == SSHKIT_KH_LINE_ENTRY);
        FUZZ_ASSERT(sshkit_knownhosts_get_line(kh, e.line, &again) == 0);
        FUZZ_ASSERT(again.text == e.text && again.len == e.len);
        last = e.line;
        unmarked += e.marker == SSHKIT_KH_MARKER_NONE;
    }
    return rc < 0 ? -1 : unmarked;
}

static void check_remove(const uint8_t *data, size_t size, const char *host, unsigned port)
{
    sshkit_knownhosts *kh = NULL;
    FUZZ_ASSERT(sshkit_knownhosts_parse(data, size, &kh) == 0);
    size_t before = sshkit_knownhosts_line_count(kh);
    int found = check_find(kh, host, port);
    int removed = sshkit_knownhosts_remove(kh, host, port);
    FUZZ_ASSERT((found < 0) == (removed < 0));
    if (found >= 0) {
        FUZZ_ASSERT(removed == found);
        FUZZ_ASSERT(sshkit_knownhosts_line_count(kh) == before - (size_t)removed);
        FUZZ_ASSERT(check_find(kh, host, port) == 0);
    }
    sshkit_knownhosts_free(kh);
}

static void check_hash(const uint8_t *data, size_t size)
{
    sshkit_knownhosts *kh = NULL, *again = NULL;
    FUZZ_ASSERT(sshkit_knownhosts_parse(data, size, &kh) == 0);
    if (sshkit_knownhosts_hash(kh) >= 0) {
        char *text = NULL;
        size_t len = 0;
        FUZZ_ASSERT(sshkit_knownhosts_format(kh, &text, &len) == 0);
        FUZZ_ASSERT(sshkit_knownhosts_parse(text, len, &again) == 0);
        FUZZ_ASSERT(sshkit_knownhosts_line_count(again) == sshkit_knownhosts_line_count(kh));
        check_format(again, (const uint8_t *)text, len);
        FUZZ_ASSERT(sshkit_knownhosts_hash(kh) == 0);
        sshkit_free(text, len + 1);
    }
    sshkit_knownhosts_free(again);
    sshkit_knownhosts_free(kh);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy: the parser takes a length, not a C string. */
    uint8_t *copy = malloc(size ? size : 1);
    if (copy == NULL)
        return 0;
    if (size)
        memcpy(copy, data, size);
    sshkit_knownhosts *kh = NULL;
    if (sshkit_knownhosts_parse(copy, size, &kh) == 0) {
        check_format(kh, copy, size);
        char derived[64];
        const char *hosts[4];
        size_t n = pick_hosts(copy, size, derived, hosts);
        for (size_t i = 0; i < n; i++) {
            check_find(kh, hosts[i], 22);
            check_remove(copy, size, hosts[i], 0);
        }
        check_remove(copy, size, "example.com", 2222);
        check_hash(copy, size);
    }
    sshkit_knownhosts_free(kh);
    free(copy);
    return 0;
}
