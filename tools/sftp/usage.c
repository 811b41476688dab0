/* sshkit-sftp's usage line (as OpenSSH's sftp prints it) and its manual
 * (-h). */
#include <stdio.h>
#include <stdlib.h>

#include "sftp.h"

_Noreturn void sftp_usage(void)
{
    fprintf(stderr,
            "usage: sshkit-sftp [-46aNpqrv] [-B buffer_size] [-b batchfile] [-c cipher]\n"
            "          [-F ssh_config] [-i identity_file] [-o ssh_option] [-P port]\n"
            "          [-R num_requests] [-X sftp_option] destination\n");
    exit(SFTP_EXIT_COMMAND);
}

/* In sections: one literal would be longer than C11 promises to hold. */
static const char *const manual[] = {
    "NAME\n"
    "     sshkit-sftp - OpenSSH's sftp on sshkit: file transfers over SSH\n"
    "\n"
    "SYNOPSIS\n"
    "     sshkit-sftp [-46aNpqrv] [-B buffer_size] [-b batchfile] [-c cipher]\n"
    "                 [-F ssh_config] [-i identity_file] [-o ssh_option] [-P port]\n"
    "                 [-R num_requests] [-X sftp_option] destination [local_path]\n"
    "\n"
    "     destination is [user@]host[:path] or sftp://[user@]host[:port][/path].\n"
    "     With a path that names a directory, sshkit-sftp starts there; with one\n"
    "     that names a file (or a glob), it fetches it (into local_path when given)\n"
    "     and exits.\n"
    "\n",
    "DESCRIPTION\n"
    "     Connects as sshkit-ssh does (the same -o options, host key checking,\n"
    "     publickey, password and keyboard-interactive authentication; passwords\n"
    "     from the terminal or SSH_ASKPASS), starts the \"sftp\" subsystem and reads\n"
    "     commands: from the terminal with an \"sftp> \" prompt, from standard input,\n"
    "     or from a batch file.\n"
    "\n",
    "OPTIONS\n"
    "     -4, -6     Use IPv4 or IPv6 addresses only.\n"
    "     -a         Resume transfers (get and put act as reget and reput).\n"
    "     -B size    Bytes per read or write request (default: the server's limit\n"
    "                from limits@openssh.com, else 32768).\n"
    "     -b file    Batch mode: read commands from file (\"-\" for standard input),\n"
    "                echo each as \"sftp> command\" and stop at the first that fails\n"
    "                (exit status 1) unless it is prefixed with '-'. Sets BatchMode\n"
    "                (no questions, no passwords) and turns off the progress meter\n"
    "                and notices.\n"
    "     -c cipher  The ciphers to offer (as Ciphers).\n"
    "     -F file    Accepted and ignored, with a note: ssh_config files are not read\n"
    "                yet (sshkit's ssh_config support is a later issue).\n"
    "     -f         Ask the server to fsync each uploaded file.\n"
    "     -h         This manual.\n"
    "     -i file    An identity (private key) file; may be repeated.\n"
    "     -N         Notices even in batch mode.\n"
    "     -o option  An ssh option as sshkit-ssh takes it: Port, User, IdentityFile,\n"
    "                IdentitiesOnly, StrictHostKeyChecking, UserKnownHostsFile,\n"
    "                GlobalKnownHostsFile, HashKnownHosts, BatchMode, ConnectTimeout,\n"
    "                Ciphers, MACs, KexAlgorithms, HostKeyAlgorithms,\n"
    "                PreferredAuthentications, PasswordAuthentication,\n"
    "                KbdInteractiveAuthentication, PubkeyAuthentication,\n"
    "                NumberOfPasswordPrompts, RekeyLimit, LogLevel.\n"
    "     -P port    The server's port.\n"
    "     -p         Preserve permissions and times on transfers.\n"
    "     -q         Quiet: no progress meter, notices or warnings.\n"
    "     -R num     Requests kept in flight per transfer (default 64).\n"
    "     -r         Transfer directories recursively.\n"
    "     -v         More detail (repeat for more), as ssh -v.\n"
    "     -X buffer=size, -X nrequests=num\n"
    "                As -B and -R.\n"
    "\n",
    "COMMANDS\n"
    "     Words are separated by blanks; \"...\" and '...' quote, a backslash\n"
    "     escapes one character, # starts a comment. Remote paths are relative to\n"
    "     the remote working directory; get, put, ls, rm, chmod, chown and chgrp\n"
    "     expand glob patterns (*, ?, [...]).\n"
    "\n"
    "     bye, exit, quit          End the session.\n"
    "     cd [path]                Change the remote directory (default: the start).\n"
    "     chgrp [-h] gid path      Change the group of remote files (-h: of links).\n"
    "     chmod [-h] mode path     Change the permissions of remote files.\n"
    "     chown [-h] uid path      Change the owner of remote files.\n"
    "     copy, cp old new         Copy a remote file on the server (copy-data).\n"
    "     df [-hi] [path]          File system usage (statvfs@openssh.com).\n"
    "     get [-afpR] remote [local]\n"
    "                              Download files (-a resume, -f fsync, -p preserve,\n"
    "                              -R or -r recursive).\n"
    "     help, ?                  List the commands.\n"
    "     lcd [path], lmkdir path, lpwd, lumask umask\n"
    "                              The local directory and umask.\n"
    "     ln [-s] old new, symlink old new\n"
    "                              Hard link (hardlink@openssh.com) or symbolic link.\n"
    "     ls [-1afhlnrSt] [path]   List remote files (-l long, -n numeric ids,\n"
    "                              -h sizes in K/M/G, -a all, -1 one per line,\n"
    "                              -S by size, -t by time, -r reversed, -f unsorted).\n"
    "     mkdir path, rmdir path, rm path\n"
    "                              Make and remove remote directories and files.\n"
    "     progress                 Turn the progress meter on or off.\n"
    "     put [-afpR] local [remote]\n"
    "                              Upload files.\n"
    "     pwd                      Show the remote working directory.\n"
    "     reget [-fpR] remote [local], reput [-fpR] local [remote]\n"
    "                              Resume a download or an upload.\n"
    "     rename [-l] old new      Rename (posix-rename@openssh.com when offered;\n"
    "                              -l the plain SFTP rename).\n"
    "     version                  Show the SFTP protocol version.\n"
    "\n",
    "     A command prefixed with '-' may fail without ending a batch; one\n"
    "     prefixed with '@' is not echoed. The local shell commands of OpenSSH's\n"
    "     sftp (! and lls) are not provided.\n"
    "\n",
    "PROGRESS METER\n"
    "     On a terminal, each transfer shows the file's name, percent done, bytes,\n"
    "     rate and time left, as OpenSSH's sftp does; not in batch mode, with -q,\n"
    "     or when standard error is not a terminal.\n"
    "\n",
    "EXIT STATUS\n"
    "     0 on success; 1 when a batch command failed or the command line is\n"
    "     wrong; 255 when connecting or authenticating failed or the connection\n"
    "     was lost.\n"
    "\n",
    "NOT SUPPORTED YET\n"
    "     -A, -C, -D, -J, -l, -S, -s (other than sftp); reading ssh_config (-F).\n",
};

_Noreturn void sftp_manual(void)
{
    for (size_t i = 0; i < sizeof manual / sizeof manual[0]; i++)
        fputs(manual[i], stdout);
    exit(0);
}
