/* demo_sftp: the seed's SFTP demo in C. Connects with the high-level
 * client (a key with -i, else a password typed in; a new host key is added
 * to ~/.ssh/known_hosts with a warning, as paramiko's AutoAddPolicy does),
 * opens SFTP, lists the home directory, makes a folder, writes a file into
 * it, reads it back, renames it, and cleans up.
 *
 *   demo_sftp [-p port] [-i key] [user@]host */
#include "terminal.h"

#define FOLDER "demo_sftp_folder"
#define TEXT "This was created by demo_sftp.\n"

/* Says what failed, with the server's words for an SFTP status. */
static int failed(sshkit_sftp *sftp, const char *what, int rc)
{
    fprintf(stderr, "*** %s: %s\n", what,
            rc == SSHKIT_E_SFTP_STATUS ? sshkit_sftp_last_message(sftp) : sshkit_strerror(rc));
    return rc;
}

static int list_home(sshkit_sftp *sftp)
{
    sshkit_sftp_dir *dir;
    int rc = sshkit_sftp_dir_open(sftp, ".", &dir);
    if (rc)
        return failed(sftp, "opendir .", rc);
    printf("Dirlist:");
    sshkit_sftp_dirent entry;
    while ((rc = sshkit_sftp_dir_read(dir, &entry)) == 1)
        printf(" %s", entry.name);      /* entry.longname has the ls -l line */
    printf("\n");
    sshkit_sftp_dir_close(dir);
    return rc < 0 ? failed(sftp, "readdir .", rc) : 0;
}

static int write_readme(sshkit_sftp *sftp)
{
    sshkit_sftp_file *f;
    int rc = sshkit_sftp_file_open(sftp, FOLDER "/README",
                                   SSHKIT_SFTP_WRITE | SSHKIT_SFTP_CREAT | SSHKIT_SFTP_TRUNC,
                                   0644, &f);
    if (rc)
        return failed(sftp, "open README", rc);
    rc = sshkit_sftp_file_write(f, TEXT, strlen(TEXT));
    int closed = sshkit_sftp_file_close(f);
    if (rc < 0 || closed)
        return failed(sftp, "write README", rc < 0 ? rc : closed);
    printf("created " FOLDER "/README on the server\n");
    return 0;
}

static int read_readme(sshkit_sftp *sftp, const char *path)
{
    sshkit_sftp_file *f;
    char text[256];
    int rc = sshkit_sftp_file_open(sftp, path, SSHKIT_SFTP_READ, 0, &f);
    if (rc)
        return failed(sftp, "open README", rc);
    int n = sshkit_sftp_file_read(f, text, sizeof text - 1);
    sshkit_sftp_file_close(f);
    if (n < 0)
        return failed(sftp, "read README", n);
    text[n] = '\0';
    printf("read it back: %s", text);
    return 0;
}

static int demo(sshkit_sftp *sftp)
{
    char home[1024];
    int rc = sshkit_sftp_realpath(sftp, ".", home, sizeof home);
    if (rc < 0)
        return failed(sftp, "realpath .", rc);
    printf("home directory: %s\n", home);
    if ((rc = list_home(sftp)) != 0)
        return rc;
    if (sshkit_sftp_mkdir(sftp, FOLDER, 0755) != 0)
        printf("(assuming " FOLDER "/ already exists)\n");
    if ((rc = write_readme(sftp)) != 0 || (rc = read_readme(sftp, FOLDER "/README")) != 0)
        return rc;
    /* posix-rename@openssh.com when the server offers it: replaces a target. */
    rc = sshkit_sftp_rename(sftp, FOLDER "/README", FOLDER "/README.old", 0);
    if (rc)
        return failed(sftp, "rename", rc);
    sshkit_sftp_attrs attrs;
    if ((rc = sshkit_sftp_stat(sftp, FOLDER "/README.old", &attrs)) != 0)
        return failed(sftp, "stat", rc);
    printf("renamed it to README.old (%llu bytes, mode %o)\n", (unsigned long long)attrs.size,
           attrs.permissions & 07777);
    if ((rc = sshkit_sftp_remove(sftp, FOLDER "/README.old")) != 0 ||
        (rc = sshkit_sftp_rmdir(sftp, FOLDER)) != 0)
        return failed(sftp, "clean up", rc);
    printf("removed README.old and " FOLDER "/\n");
    return 0;
}

int main(int argc, char **argv)
{
    char host[256] = "", user[128] = "", password[256] = "";
    const char *keys[2] = { NULL, NULL };
    sshkit_client_options opt;
    sshkit_client_options_init(&opt);
    int o;
    while ((o = getopt(argc, argv, "p:i:")) != -1) {
        if (o == 'p')
            opt.port = (unsigned)atoi(optarg);
        else if (o == 'i')
            opt.identity_files = (keys[0] = optarg, keys);
        else
            return fprintf(stderr, "usage: demo_sftp [-p port] [-i key] [user@]host\n"), 2;
    }
    if (optind < argc) {
        char *at = strchr(argv[optind], '@');
        snprintf(host, sizeof host, "%s", at ? at + 1 : argv[optind]);
        if (at)
            snprintf(user, sizeof user, "%.*s", (int)(at - argv[optind]), argv[optind]);
    } else {
        ask("Hostname: ", host, sizeof host, true);
    }
    if (!user[0])
        ask("Username: ", user, sizeof user, true);
    if (!keys[0]) {
        ask("Password: ", password, sizeof password, false);
        opt.password = password;
    }
    opt.user = user;
    opt.host_key_policy = SSHKIT_HOSTKEY_POLICY_ACCEPT_NEW;
    sshkit_client *c;
    char err[512];
    int rc = sshkit_client_connect(host, &opt, &c, err, sizeof err);
    memset(password, 0, sizeof password);
    if (rc)
        return fprintf(stderr, "*** Caught exception: %s\n", err), 1;
    sshkit_sftp *sftp;
    rc = sshkit_sftp_open(c, &sftp);
    if (rc == 0) {
        rc = demo(sftp);
        sshkit_sftp_free(sftp);
    } else {
        fprintf(stderr, "*** Caught exception: %s\n", sshkit_strerror(rc));
    }
    sshkit_client_free(c);
    return rc ? 1 : 0;
}
