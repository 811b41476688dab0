/* The non-blocking driver: the application owns the descriptor and the
 * poll loop; sshkit_nb_process() does what can be done now. */
#include "io/io_internal.h"

#include <sshkit/error.h>

int sshkit_nb_process(sshkit_session *session, int fd, sshkit_event *event, unsigned *want)
{
    if (want != NULL)
        *want = 0;
    if (session == NULL || event == NULL || want == NULL || fd < 0)
        return SSHKIT_E_INVALID_ARGUMENT;
    return sk_io_step(session, fd, event, want);
}
