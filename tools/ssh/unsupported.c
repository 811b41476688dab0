/* What this build of sshkit-ssh (or sshkit-sftp) does not do yet, said in
 * one place. Options that are valid for ssh but need later work
 * (keepalives) end here. */
#include <stdio.h>
#include <stdlib.h>

#include "ssh_client.h"

const char *unsupported_program = "sshkit-ssh";

_Noreturn void unsupported(const char *what)
{
    fprintf(stderr, "%s: not supported yet: %s\n", unsupported_program, what);
    exit(SSH_EXIT_FAILURE);
}
