/* Reading configuration files into lines: each line split and checked,
 * Include expanded (globs sorted, relative to ~/.ssh or /etc/ssh), loops,
 * depth and file count bounded, permissions checked as ssh checks them. */
#include "config/config_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sshkit/error.h>

/* Reads a whole file; a directory reads as empty, as with ssh's getline.
 * An included file must be a regular file (a FIFO or a device could block
 * or never end). Returns 0, SSHKIT_E_IO (errno kept), SSHKIT_E_TOO_LARGE,
 * SSHKIT_E_NOMEM, SSHKIT_E_FORMAT for bad permissions, SSHKIT_E_UNSUPPORTED
 * for a special file. */
static int read_file(const char *path, bool check_perms, bool included, struct stat *st,
                     char **data, size_t *len)
{
    int fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return SSHKIT_E_IO;
    int rc = 0;
    *data = NULL;
    *len = 0;
    if (fstat(fd, st) != 0) {
        rc = SSHKIT_E_IO;
    } else if (check_perms && ((st->st_uid != 0 && st->st_uid != getuid()) ||
                               (st->st_mode & 022) != 0)) {
        rc = SSHKIT_E_FORMAT;
    } else if (included && !S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode)) {
        rc = SSHKIT_E_UNSUPPORTED;
    } else if (!S_ISDIR(st->st_mode)) {
        size_t cap = 4096;
        *data = malloc(cap + 1);
        for (ssize_t n = 1; *data != NULL && n > 0 && rc == 0;) {
            if (*len == cap) {
                char *grown = cap >= SK_CFG_MAX_SIZE ? NULL : realloc(*data, cap * 2 + 1);
                if (grown == NULL) {
                    rc = cap >= SK_CFG_MAX_SIZE ? SSHKIT_E_TOO_LARGE : SSHKIT_E_NOMEM;
                    break;
                }
                *data = grown;
                cap *= 2;
            }
            n = read(fd, *data + *len, cap - *len);
            if (n < 0 && errno != EINTR)
                rc = SSHKIT_E_IO;
            else if (n > 0)
                *len += (size_t)n;
        }
        if (*data == NULL)
            rc = SSHKIT_E_NOMEM;
    }
    int saved = errno;
    close(fd);
    if (rc != 0) {
        free(*data);
        *data = NULL;
    }
    errno = saved;
    return rc;
}

/* Whether the file is one being read (an Include loop). */
static bool already_open(const struct sk_cfg_loader *ld, const struct stat *st)
{
    for (unsigned i = 0; i < ld->depth; i++)
        if (ld->open[i].dev == (unsigned long long)st->st_dev &&
            ld->open[i].ino == (unsigned long long)st->st_ino)
            return true;
    return false;
}

/* Reads a file into a new sk_cfg_file; *out stays NULL for a missing file. */
static int load_one(struct sk_cfg_loader *ld, const char *path, bool check_perms,
                    const struct sk_cfg_where *from, struct sk_cfg_file **out)
{
    struct stat st;
    char *data;
    size_t len;
    *out = NULL;
    int rc = read_file(path, check_perms, from->line != 0, &st, &data, &len);
    if (rc == SSHKIT_E_FORMAT)
        return sk_cfg_report(from, SSHKIT_LOG_ERROR, "Bad owner or permissions on %s", path);
    if (rc == SSHKIT_E_UNSUPPORTED)
        return sk_cfg_report(from, SSHKIT_LOG_ERROR, "%s line %u: %s is not a regular file",
                             from->file, from->line, path);
    if (rc == SSHKIT_E_TOO_LARGE && from->line != 0)
        return sk_cfg_report(from, SSHKIT_LOG_ERROR, "%s line %u: %s is larger than %u bytes",
                             from->file, from->line, path, SK_CFG_MAX_SIZE);
    if (rc == 0 && (ld->bytes_read += len) > SK_CFG_MAX_TOTAL) {
        free(data);
        return sk_cfg_report(from, SSHKIT_LOG_ERROR, "%s line %u: more than %u bytes of "
                             "configuration", from->file, from->line, SK_CFG_MAX_TOTAL);
    }
    if (rc == SSHKIT_E_IO && errno == ENOENT && from->line != 0)
        return 0;                               /* an included file that went away */
    if (rc == SSHKIT_E_IO && from->line != 0)
        return sk_cfg_report(from, SSHKIT_LOG_ERROR, "Can't open user config file %.100s: %.100s",
                             path, strerror(errno));
    if (rc != 0)
        return rc;
    if (already_open(ld, &st)) {
        free(data);
        return sk_cfg_report(from, SSHKIT_LOG_ERROR,
                             "%s line %u: Include loop: %s is already being read", from->file,
                             from->line, path);
    }
    struct sk_cfg_file *f = calloc(1, sizeof *f);
    if (f == NULL || (f->name = strdup(path)) == NULL) {
        free(f);
        free(data);
        return SSHKIT_E_NOMEM;
    }
    f->user = (ld->flags & SSHKIT_CONFIG_USER) != 0;
    sk_cfg_log(ld->cfg, SSHKIT_LOG_DEBUG, "Reading configuration data %.200s", path);
    ld->open[ld->depth].dev = (unsigned long long)st.st_dev;
    ld->open[ld->depth].ino = (unsigned long long)st.st_ino;
    ld->depth++;
    rc = sk_cfg_parse_text(ld, f, data ? data : "", len);
    ld->depth--;
    free(data);
    if (rc < 0) {
        sk_cfg_file_free(f);
        return rc;
    }
    *out = f;
    return 0;
}

/* Where an Include argument points: absolute, or under ~/.ssh (a user
 * file) or /etc/ssh; '~' expanded. NULL (reported) when not allowed. */
static char *include_path(struct sk_cfg_loader *ld, const struct sk_cfg_where *w,
                          const char *arg, bool user)
{
    if (arg[0] == '~' && !user) {
        sk_cfg_report(w, SSHKIT_LOG_ERROR, "%.200s line %u: bad include path %s.", w->file,
                      w->line, arg);
        return NULL;
    }
    const char *prefix = arg[0] == '/' || arg[0] == '~' ? "" : user ? "~/.ssh/" : "/etc/ssh/";
    size_t n = strlen(prefix) + strlen(arg) + 1;
    char *joined = malloc(n), *path = NULL;
    if (joined == NULL)
        return NULL;
    strcpy(joined, prefix);
    strcat(joined, arg);
    if (sk_cfg_tilde(sk_cfg_home(ld->cfg), joined, &path) != 0)
        sk_cfg_report(w, SSHKIT_LOG_ERROR, "%.200s line %u: bad include path %s.", w->file,
                      w->line, arg);
    free(joined);
    return path;
}

static int add_included(struct sk_cfg_line *line, struct sk_cfg_file *f)
{
    struct sk_cfg_file **grown = realloc(line->files, (line->nfiles + 1) * sizeof *grown);
    if (grown == NULL) {
        sk_cfg_file_free(f);
        return SSHKIT_E_NOMEM;
    }
    line->files = grown;
    line->files[line->nfiles++] = f;
    return 0;
}

/* Reads every file a glob finds. 0, a count of errors, or negative. */
static int include_glob(struct sk_cfg_loader *ld, const struct sk_cfg_where *w,
                        struct sk_cfg_line *line, const char *path)
{
    glob_t gl;
    memset(&gl, 0, sizeof gl);
    int g = glob(path, 0, NULL, &gl);
    if (g == GLOB_NOMATCH) {
        sk_cfg_log(ld->cfg, SSHKIT_LOG_DEBUG, "%.200s line %u: include %s matched no files",
                   w->file, w->line, path);
        return 0;
    }
    if (g != 0) {
        globfree(&gl);
        sk_cfg_report(w, SSHKIT_LOG_ERROR, "%.200s line %u: glob failed for %s.", w->file, w->line,
                      path);
        return 1;
    }
    int errors = 0;
    for (size_t i = 0; i < gl.gl_pathc && errors == 0; i++) {
        if (ld->depth >= SK_CFG_MAX_DEPTH) {
            sk_cfg_report(w, SSHKIT_LOG_ERROR, "%.200s line %u: Too many recursive configuration "
                          "includes", w->file, w->line);
            errors++;
        } else if (++ld->files_read > SK_CFG_MAX_FILES) {
            sk_cfg_report(w, SSHKIT_LOG_ERROR, "%.200s line %u: more than %d files included",
                          w->file, w->line, SK_CFG_MAX_FILES);
            errors++;
        } else {
            struct sk_cfg_file *f;
            int rc = load_one(ld, gl.gl_pathv[i], true, w, &f);
            if (rc == SSHKIT_E_NOMEM) {
                globfree(&gl);
                return rc;
            }
            if (rc != 0)
                errors++;
            else if (f != NULL && (rc = add_included(line, f)) != 0) {
                globfree(&gl);
                return rc;
            }
        }
    }
    globfree(&gl);
    return errors;
}

int sk_cfg_include(struct sk_cfg_loader *ld, struct sk_cfg_file *f, struct sk_cfg_line *line,
                   const struct sk_cfg_list *args)
{
    struct sk_cfg_where w = { ld->cfg, f->name, line->lineno, "include" };
    int errors = 0;
    line->type = SK_LINE_INCLUDE;
    for (size_t i = 0; i < args->count; i++) {
        if (args->items[i][0] == '\0') {
            sk_cfg_report(&w, SSHKIT_LOG_ERROR, "%s line %u: keyword include empty argument",
                          f->name, line->lineno);
            errors++;
            continue;
        }
        char *path = include_path(ld, &w, args->items[i], f->user);
        if (path == NULL) {
            errors++;
            continue;
        }
        int rc = include_glob(ld, &w, line, path);
        free(path);
        if (rc < 0)
            return rc;
        errors += rc;
    }
    return errors;
}

/* Appends a top-level file to the configuration. */
static int keep(sshkit_config *cfg, struct sk_cfg_file *f)
{
    struct sk_cfg_file **grown = realloc(cfg->files, (cfg->nfiles + 1) * sizeof *grown);
    if (grown == NULL) {
        sk_cfg_file_free(f);
        return SSHKIT_E_NOMEM;
    }
    cfg->files = grown;
    cfg->files[cfg->nfiles++] = f;
    return 0;
}

int sshkit_config_load_file(sshkit_config *cfg, const char *path, unsigned flags)
{
    if (cfg == NULL || path == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    cfg->error[0] = '\0';
    struct sk_cfg_loader ld = { .cfg = cfg, .flags = flags };
    struct sk_cfg_where w = { cfg, path, 0, NULL };
    struct sk_cfg_file *f;
    int rc = load_one(&ld, path, (flags & SSHKIT_CONFIG_CHECK_PERMS) != 0, &w, &f);
    if (rc == SSHKIT_E_IO) {
        int saved = errno;
        if (saved == ENOENT && (flags & SSHKIT_CONFIG_OPTIONAL))
            return 0;
        sk_cfg_set_error(cfg, "Can't open user config file %.100s: %.100s", path,
                         strerror(saved));
        errno = saved;
        return saved == ENOENT ? SSHKIT_E_NOT_FOUND : SSHKIT_E_IO;
    }
    if (rc == SSHKIT_E_TOO_LARGE)
        sk_cfg_set_error(cfg, "%s: larger than %u bytes", path, SK_CFG_MAX_SIZE);
    if (rc != 0)
        return rc;
    if (ld.errors > 0) {
        sk_cfg_file_free(f);
        return SSHKIT_E_FORMAT;
    }
    return f ? keep(cfg, f) : 0;
}

int sshkit_config_load_text(sshkit_config *cfg, const char *name, const char *text, size_t len,
                            unsigned flags)
{
    if (cfg == NULL || name == NULL || (text == NULL && len > 0))
        return SSHKIT_E_INVALID_ARGUMENT;
    cfg->error[0] = '\0';
    struct sk_cfg_loader ld = { .cfg = cfg, .flags = flags };
    struct sk_cfg_file *f = calloc(1, sizeof *f);
    if (f == NULL || (f->name = strdup(name)) == NULL) {
        free(f);
        return SSHKIT_E_NOMEM;
    }
    f->user = (flags & SSHKIT_CONFIG_USER) != 0;
    int rc = sk_cfg_parse_text(&ld, f, text ? text : "", len);
    if (rc != 0 || ld.errors > 0) {
        sk_cfg_file_free(f);
        return rc < 0 ? rc : SSHKIT_E_FORMAT;
    }
    return keep(cfg, f);
}

int sshkit_config_load_default(sshkit_config *cfg)
{
    if (cfg == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    char *user_file = NULL;
    int rc = sk_cfg_tilde(sk_cfg_home(cfg), "~/.ssh/config", &user_file);
    if (rc != 0)
        return rc;
    rc = sshkit_config_load_file(cfg, user_file, SSHKIT_CONFIG_USER | SSHKIT_CONFIG_CHECK_PERMS |
                                                     SSHKIT_CONFIG_OPTIONAL);
    free(user_file);
    if (rc == 0)
        rc = sshkit_config_load_file(cfg, "/etc/ssh/ssh_config", SSHKIT_CONFIG_OPTIONAL);
    return rc;
}
