/* When compression starts, from the session's side: zlib@openssh.com
 * waits for USERAUTH_SUCCESS (OpenSSH's PROTOCOL section 1.2). The server
 * starts as it frames the message, the client as it accepts it, so both
 * switch at the same packet in each direction. The streams themselves
 * are in zstream.c, their use per packet in packet_writer.c and
 * packet_reader.c. */
#include "transport/session_internal.h"

#include <sshkit/error.h>

#include "transport/messages.h"

int sk_compression_auth_passed(sshkit_session *s)
{
    if (s->userauth_passed)
        return 0;
    s->userauth_passed = true;
    bool out_off = s->writer.dir.zstream == NULL, in_off = s->reader.dir.zstream == NULL;
    int rc = sk_packet_dir_start_delayed(&s->writer.dir);
    if (rc == 0)
        rc = sk_packet_dir_start_delayed(&s->reader.dir);
    if (rc)
        return sk_session_fail(s, SK_DISCONNECT_BY_APPLICATION, rc, "cannot start compression");
    if (out_off && s->writer.dir.zstream)
        sk_log(s, SSHKIT_LOG_DEBUG, "compression: zlib@openssh.com started for sending");
    if (in_off && s->reader.dir.zstream)
        sk_log(s, SSHKIT_LOG_DEBUG, "compression: zlib@openssh.com started for receiving");
    return 0;
}

static void log_direction(sshkit_session *s, const char *name, const sk_packet_dir *d)
{
    if (d->plain_bytes == 0)
        return;
    sk_log(s, SSHKIT_LOG_DEBUG, "compress %s: raw data %llu, compressed %llu, factor %.2f", name,
           (unsigned long long)d->plain_bytes, (unsigned long long)d->zipped_bytes,
           (double)d->zipped_bytes / (double)d->plain_bytes);
}

void sk_compression_log_totals(sshkit_session *s)
{
    log_direction(s, "outgoing", &s->writer.dir);
    log_direction(s, "incoming", &s->reader.dir);
}
