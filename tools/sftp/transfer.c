/* sshkit-sftp: one whole-file transfer through the library's transfer
 * object (pipelined requests, -R and -B), stepped here so that the
 * progress meter moves and SIGINT stops it, as in OpenSSH's sftp. */
#include <errno.h>

#include "sftp.h"

static int start(struct sftp_state *st, const struct transfer_job *job,
                 sshkit_sftp_transfer **t)
{
    sshkit_sftp_transfer_options opt;
    sshkit_sftp_transfer_options_init(&opt);
    opt.requests = st->opt->requests;
    opt.request_size = st->opt->buffer_size;
    opt.resume = job->resume;
    opt.preserve = job->preserve;
    opt.fsync = job->fsync;
    sshkit_sftp *sftp = st->r->sftp;
    if (job->upload)
        return sshkit_sftp_put_start(sftp, job->local, job->remote, &opt, t);
    return sshkit_sftp_get_start(sftp, job->remote, job->local, &opt, t);
}

int transfer_run(struct sftp_state *st, const struct transfer_job *job)
{
    sshkit_sftp_transfer *t = NULL;
    int rc = start(st, job, &t);
    if (rc != 0)
        return rc;
    bool meter = job->meter_name != NULL;
    if (meter)
        progress_start(job->meter_name, job->meter_start, job->meter_total);
    uint64_t done = 0;
    while ((rc = sshkit_sftp_transfer_step(t)) == SSHKIT_E_AGAIN && !sftp_interrupted) {
        int pumped = remote_pump(st->r);
        if (pumped != SSHKIT_E_AGAIN) {
            rc = pumped;
            break;
        }
        if (meter) {
            sshkit_sftp_transfer_progress(t, &done, NULL);
            progress_update(done, false);
        }
    }
    int err = errno;
    if (meter) {
        sshkit_sftp_transfer_progress(t, &done, NULL);
        progress_update(done, false);
        progress_stop();
    }
    sshkit_sftp_transfer_free(t);   /* an interrupted one is cut back to its bytes in order */
    errno = err;
    return rc == SSHKIT_E_AGAIN ? 1 : rc;     /* AGAIN: interrupted */
}
