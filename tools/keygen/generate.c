/* sshkit-keygen -t: make a key pair and write it as FILE and FILE.pub. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/crypto.h>

#include "keygen.h"
#include "prompt.h"

/* Maps -t and -b to a key type, with ssh-keygen's messages. */
static bool choose_type(const struct keygen_options *opt, sshkit_key_type *type, unsigned *bits)
{
    const char *name = opt->type ? opt->type : "ed25519";
    *bits = opt->bits;
    if (strcasecmp(name, "ed25519") == 0 || strcasecmp(name, "ssh-ed25519") == 0) {
        *type = SSHKIT_KEY_ED25519;
        *bits = 0;
        return true;
    }
    if (strcasecmp(name, "rsa") == 0 || strcasecmp(name, "ssh-rsa") == 0) {
        *type = SSHKIT_KEY_RSA;
        if (*bits == 0)
            *bits = 3072;
        if (*bits < 2048 || *bits > 16384) {
            fprintf(stderr, "Invalid RSA key length: %s\n",
                    *bits < 2048 ? "minimum is 2048 bits" : "maximum is 16384 bits");
            return false;
        }
        return true;
    }
    if (strcasecmp(name, "ecdsa") == 0 || strncasecmp(name, "ecdsa-sha2-nistp", 16) == 0) {
        unsigned b = *bits ? *bits : 256;
        if (strncasecmp(name, "ecdsa-sha2-nistp", 16) == 0)
            b = (unsigned)atoi(name + 16);
        *type = b == 256 ? SSHKIT_KEY_ECDSA_P256 : b == 384 ? SSHKIT_KEY_ECDSA_P384
              : b == 521 ? SSHKIT_KEY_ECDSA_P521 : 0;
        if (*type == 0) {
            fprintf(stderr, "Invalid ECDSA key length: valid lengths are 256, 384 or 521 bits\n");
            return false;
        }
        *bits = 0;
        return true;
    }
    fprintf(stderr, "unknown key type %s\n", name);
    return false;
}

static const char *type_word(sshkit_key_type type)
{
    return type == SSHKIT_KEY_ED25519 ? "ed25519" : type == SSHKIT_KEY_RSA ? "rsa" : "ecdsa";
}

static void default_comment(char *buf, size_t cap)
{
    char host[256] = "";
    struct passwd *pw = getpwuid(getuid());
    gethostname(host, sizeof host - 1);
    snprintf(buf, cap, "%s@%s", pw ? pw->pw_name : "user", host);
}

/* ssh-keygen asks before replacing a key; no answer is no. */
static bool may_write(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return true;
    printf("%s already exists.\n", path);
    fflush(stdout);
    char answer[16];
    return prompt_line("Overwrite (y/n)? ", true, answer, sizeof answer) &&
           (answer[0] == 'y' || answer[0] == 'Y');
}

static int write_public_file(const sshkit_key *key, const char *path)
{
    char pub_path[4200];
    snprintf(pub_path, sizeof pub_path, "%s.pub", path);
    char *line = NULL;
    int rc = sshkit_key_format_public(key, &line);
    if (rc)
        return rc;
    int fd = open(pub_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (f == NULL || fprintf(f, "%s\n", line) < 0 || fclose(f) != 0) {
        if (f == NULL && fd >= 0)
            close(fd);
        rc = SSHKIT_E_IO;
    }
    sshkit_free(line, 0);
    return rc;
}

static void report(const sshkit_key *key, const char *path)
{
    char *fp = NULL, *art = NULL;
    printf("Your identification has been saved in %s\n", path);
    printf("Your public key has been saved in %s.pub\n", path);
    if (sshkit_key_fingerprint(key, SSHKIT_FP_SHA256, &fp) == 0 &&
        sshkit_key_randomart(key, SSHKIT_FP_SHA256, &art) == 0) {
        printf("The key fingerprint is:\n%s %s\n", fp, sshkit_key_comment(key));
        printf("The key's randomart image is:\n%s\n", art);
    }
    sshkit_free(fp, 0);
    sshkit_free(art, 0);
}

static int save_pair(const struct keygen_options *opt, const sshkit_key *key, const char *path,
                     const char *passphrase)
{
    int rc = sshkit_key_save_private(key, path, keygen_format_for(opt, key), passphrase,
                                     opt->rounds);
    if (rc == 0)
        rc = write_public_file(key, path);
    if (rc) {
        fprintf(stderr, "Saving key \"%s\" failed: %s\n", path,
                rc == SSHKIT_E_IO ? strerror(errno) : sshkit_strerror(rc));
        return KEYGEN_EXIT_FAILURE;
    }
    if (!opt->quiet)
        report(key, path);
    return KEYGEN_EXIT_OK;
}

int keygen_generate(const struct keygen_options *opt)
{
    sshkit_key_type type;
    unsigned bits;
    if (!choose_type(opt, &type, &bits))
        return KEYGEN_EXIT_FAILURE;
    if (!opt->quiet)
        printf("Generating public/private %s key pair.\n", type_word(type));
    const char *path = keygen_key_path(opt, "Enter file in which to save the key", type_word(type));
    if (!may_write(path))
        return KEYGEN_EXIT_DECLINED;

    char typed[KEYGEN_LINE_MAX] = "";
    const char *passphrase = opt->new_passphrase;
    if (passphrase == NULL) {
        if (!keygen_ask_new_passphrase("Enter passphrase (empty for no passphrase): ", typed,
                                       sizeof typed))
            return KEYGEN_EXIT_FAILURE;
        passphrase = typed;
    }

    sshkit_key *key = NULL;
    int rc = sshkit_key_generate(type, bits, &key);
    char comment[512];
    if (opt->comment == NULL)
        default_comment(comment, sizeof comment);
    if (rc == 0)
        rc = sshkit_key_set_comment(key, opt->comment ? opt->comment : comment);
    int status = KEYGEN_EXIT_FAILURE;
    if (rc)
        fprintf(stderr, "sshkit-keygen: key generation failed: %s\n", sshkit_strerror(rc));
    else
        status = save_pair(opt, key, path, passphrase);
    OPENSSL_cleanse(typed, sizeof typed);
    sshkit_key_free(key);
    return status;
}
