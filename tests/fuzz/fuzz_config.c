/* Fuzzes ssh_config text: sshkit_config_load_text over the whole input,
 * then resolution for a few hosts, every getter, expansion and the -G text.
 *
 * No command runs (Match exec goes to a function that answers by the
 * command's length) and no file is read: inputs that name Include are
 * skipped, since an Include may point anywhere on the machine (the unit
 * tests cover Include).
 *
 * Promises checked: resolving twice gives the same -G text; the text is
 * "keyword value" lines, every keyword one sshkit knows (or "host"); the
 * getters agree with each other (count and item, get and count). */
#include <ctype.h>
#include <string.h>
#include <sshkit/config.h>

#include "fuzz.h"

static int fake_exec(void *user, const char *command)
{
    (void)user;
    return (int)(strlen(command) & 1);
}

/* Whether the input names Include in any case. */
static bool names_include(const uint8_t *data, size_t size)
{
    static const char word[] = "include";
    for (size_t i = 0; i + 7 <= size; i++) {
        size_t k = 0;
        while (k < 7 && tolower(data[i + k]) == word[k])
            k++;
        if (k == 7)
            return true;
    }
    return false;
}

static bool known_keyword(const char *line, size_t len)
{
    if (len == 4 && memcmp(line, "host", 4) == 0)
        return true;
    if (len == 27 && memcmp(line, "canonicalizePermittedcnames", 27) == 0)
        return true;
    for (size_t i = 0; sshkit_config_keyword(i); i++)
        if (strlen(sshkit_config_keyword(i)) == len &&
            memcmp(sshkit_config_keyword(i), line, len) == 0)
            return true;
    return false;
}

static void check_text(const char *text)
{
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        FUZZ_ASSERT(end != NULL);
        const char *space = memchr(line, ' ', (size_t)(end - line));
        FUZZ_ASSERT(space != NULL && known_keyword(line, (size_t)(space - line)));
        line = end + 1;
    }
}

static void check_getters(const sshkit_host_config *hc)
{
    for (size_t i = 0; sshkit_config_keyword(i); i++) {
        const char *k = sshkit_config_keyword(i);
        size_t n = sshkit_host_config_count(hc, k);
        for (size_t j = 0; j < n; j++)
            FUZZ_ASSERT(sshkit_host_config_item(hc, k, j) != NULL);
        FUZZ_ASSERT(sshkit_host_config_item(hc, k, n) == NULL);
        FUZZ_ASSERT(n == 0 || sshkit_host_config_get(hc, k) != NULL);
        bool flag;
        long long number;
        (void)sshkit_host_config_flag(hc, k, &flag);
        (void)sshkit_host_config_number(hc, k, &number);
        (void)sshkit_host_config_is_set(hc, k);
    }
    for (size_t j = 0; j < sshkit_host_config_count(hc, "IdentityFile"); j++) {
        char *path = NULL;
        if (sshkit_host_config_expand(hc, sshkit_host_config_item(hc, "IdentityFile", j),
                                      &path) == 0)
            sshkit_free(path, 0);
    }
}

static void resolve(sshkit_config *cfg, const char *host)
{
    sshkit_host_config *a = NULL, *b = NULL;
    if (sshkit_config_resolve(cfg, host, &a) != 0)
        return;
    char *text_a = NULL, *text_b = NULL;
    FUZZ_ASSERT(sshkit_host_config_dump(a, &text_a) == 0);
    check_text(text_a);
    check_getters(a);
    FUZZ_ASSERT(sshkit_config_resolve(cfg, host, &b) == 0);
    FUZZ_ASSERT(sshkit_host_config_dump(b, &text_b) == 0);
    FUZZ_ASSERT(strcmp(text_a, text_b) == 0);
    sshkit_free(text_a, 0);
    sshkit_free(text_b, 0);
    sshkit_host_config_free(a);
    sshkit_host_config_free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (names_include(data, size))
        return 0;
    sshkit_config *cfg = NULL;
    if (sshkit_config_new(&cfg) != 0)
        return 0;
    sshkit_config_set_home(cfg, "/nonexistent/sshkit-fuzz");
    sshkit_config_set_exec(cfg, fake_exec, NULL);
    if (sshkit_config_load_text(cfg, "fuzz", (const char *)data, size, SSHKIT_CONFIG_USER) == 0) {
        char first[64];
        size_t n = 0;
        while (n < size && n < sizeof first - 1 && isgraph(data[n]))
            n++;
        memcpy(first, data, n);
        first[n] = '\0';
        resolve(cfg, "example.com");
        resolve(cfg, "Alias");
        if (n > 0)
            resolve(cfg, first);
    }
    /* The first line again, as a command-line option. */
    size_t line = 0;
    while (line < size && data[line] != '\n' && data[line] != '\0')
        line++;
    char *option = malloc(line + 1);
    if (option != NULL) {
        memcpy(option, data, line);
        option[line] = '\0';
        (void)sshkit_config_add_option(cfg, option);
        free(option);
    }
    sshkit_config_free(cfg);
    return 0;
}
