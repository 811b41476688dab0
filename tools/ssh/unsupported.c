/* What this build of sshkit-ssh does not do yet, said in one place.
 * Options that are valid for ssh but need later work (TCP forwarding,
 * keepalives) end here. */
#include <stdio.h>
#include <stdlib.h>

#include "ssh.h"

_Noreturn void unsupported(const char *what)
{
    fprintf(stderr, "sshkit-ssh: not supported yet: %s\n", what);
    exit(SSH_EXIT_FAILURE);
}
