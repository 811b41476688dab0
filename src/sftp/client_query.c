/* What a session knows without asking the server: its mode, channel,
 * version, extensions, limits and last failure. */
#include "sftp/client_internal.h"

#include <string.h>
#include <sshkit/error.h>

int sshkit_sftp_set_blocking(sshkit_sftp *sftp, bool blocking)
{
    if (sftp == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    if ((blocking && sftp->client == NULL) || sftp->call.op != SK_OP_NONE)
        return SSHKIT_E_STATE;
    sftp->blocking = blocking;
    return 0;
}

sshkit_channel *sshkit_sftp_channel(const sshkit_sftp *sftp)
{
    return sftp->channel;
}

unsigned sshkit_sftp_server_version(const sshkit_sftp *sftp)
{
    return sftp->version;
}

const char *sshkit_sftp_extension(const sshkit_sftp *sftp, unsigned index, const char **version)
{
    if (index >= sftp->ext_count)
        return NULL;
    if (version)
        *version = sftp->ext[index].version;
    return sftp->ext[index].name;
}

const char *sshkit_sftp_extension_version(const sshkit_sftp *sftp, const char *name)
{
    for (unsigned i = 0; name && i < sftp->ext_count; i++)
        if (strcmp(sftp->ext[i].name, name) == 0)
            return sftp->ext[i].version;
    return NULL;
}

bool sshkit_sftp_has_extension(const sshkit_sftp *sftp, const char *name)
{
    return sshkit_sftp_extension_version(sftp, name) != NULL;
}

int sshkit_sftp_get_limits(const sshkit_sftp *sftp, sshkit_sftp_limits *limits)
{
    if (sftp->hs != SK_HS_READY)
        return SSHKIT_E_STATE;
    *limits = sftp->limits;
    return 0;
}

unsigned sshkit_sftp_last_status(const sshkit_sftp *sftp)
{
    return sftp->last_status;
}

const char *sshkit_sftp_last_message(const sshkit_sftp *sftp)
{
    return sftp->last_status == SSHKIT_SFTP_OK ? "Success" : sftp->last_message;
}

const char *sshkit_sftp_last_error(const sshkit_sftp *sftp)
{
    return sftp->last_error;
}
