/* An SFTP session's life: made on a channel, the subsystem request, the
 * version exchange and the server's limits; freed. */
#include "sftp/client_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

int sk_sftp_create(sshkit_channel *ch, sshkit_sftp **out)
{
    sshkit_sftp *sftp = calloc(1, sizeof *sftp);
    if (sftp == NULL)
        return SSHKIT_E_NOMEM;
    sftp->channel = ch;
    sftp->hs = SK_HS_OPENING;
    sftp->next_id = 1;
    sk_buf_init(&sftp->out);
    sk_sftp_ask_init(&sftp->hs_ask);
    sk_sftp_ask_init(&sftp->call.ask);
    sftp->limits = (sshkit_sftp_limits){ SK_SFTP_MAX_PACKET, SK_SFTP_DEFAULT_IO,
                                         SK_SFTP_DEFAULT_IO, 0 };
    *out = sftp;
    return 0;
}

int sshkit_sftp_new(sshkit_channel *channel, sshkit_sftp **out)
{
    if (channel == NULL || out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    return sk_sftp_create(channel, out);
}

int sshkit_sftp_open(sshkit_client *client, sshkit_sftp **out)
{
    if (client == NULL || out == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    *out = NULL;
    sshkit_channel *ch;
    int rc = sshkit_channel_open_session(sshkit_client_session(client), &ch);
    if (rc)
        return rc;
    sshkit_sftp *sftp;
    if ((rc = sk_sftp_create(ch, &sftp)) != 0) {
        sshkit_channel_free(ch);
        return rc;
    }
    sftp->client = client;
    sftp->owns_channel = true;
    sftp->blocking = true;
    while ((rc = sk_sftp_handshake_step(sftp)) == SSHKIT_E_AGAIN) {
        if ((rc = sk_sftp_wait(sftp)) != 0)
            break;
    }
    if (rc) {
        sshkit_sftp_free(sftp);
        return rc;
    }
    *out = sftp;
    return 0;
}

/* The channel is open: ask for the subsystem and say INIT right behind
 * it (a server that refuses the subsystem drops the data). */
static int start_subsystem(sshkit_sftp *sftp)
{
    sftp->refused_before = sftp->channel->our_requests_refused;
    sftp->pending_before = sftp->channel->our_requests_pending;
    int rc = sshkit_channel_subsystem(sftp->channel, "sftp");
    if (rc)
        return sk_sftp_fail(sftp, rc, "cannot request the sftp subsystem");
    size_t start = sk_sftp_packet_begin(&sftp->out, SK_FXP_INIT);
    sk_write_u32(&sftp->out, SK_SFTP_VERSION);
    sftp->hs = SK_HS_VERSION;
    return sk_sftp_request_end(sftp, start);
}

static int opening(sshkit_sftp *sftp)
{
    switch (sftp->channel->state) {
    case SK_CH_OPENING:
        return SSHKIT_E_AGAIN;
    case SK_CH_OPEN:
        return start_subsystem(sftp);
    default:
        return sk_sftp_fail(sftp, SSHKIT_E_REFUSED, "the server refused the session channel");
    }
}

int sk_sftp_handshake_step(sshkit_sftp *sftp)
{
    if (sftp->fatal)
        return sftp->fatal;
    if (sftp->subsystem_granted)
        return 0;
    if (sftp->hs == SK_HS_OPENING) {
        int rc = opening(sftp);
        if (rc)
            return rc;
    }
    int rc = sk_sftp_pump(sftp);
    if (rc)
        return rc;
    /* Ready once VERSION came and the subsystem request was granted (a
     * server may answer INIT without running the subsystem it refused). */
    const sshkit_channel *ch = sftp->channel;
    if (ch->our_requests_refused > sftp->refused_before)
        return sk_sftp_fail(sftp, SSHKIT_E_REFUSED, "the server refused the sftp subsystem");
    if (sftp->hs != SK_HS_READY || ch->our_requests_pending > sftp->pending_before)
        return SSHKIT_E_AGAIN;
    sftp->subsystem_granted = true;
    return 0;
}

int sshkit_sftp_handshake(sshkit_sftp *sftp)
{
    if (sftp == NULL)
        return SSHKIT_E_INVALID_ARGUMENT;
    int rc;
    while ((rc = sk_sftp_handshake_step(sftp)) == SSHKIT_E_AGAIN) {
        if ((rc = sk_sftp_wait(sftp)) != 0)
            return rc;
    }
    return rc;
}

/* The extensions sshkit uses, at the versions it knows (a server may
 * change one incompatibly under a new version: PROTOCOL 4.2). */
static void note_extension(sshkit_sftp *sftp, const char *name, const char *version)
{
    static const struct { const char *name, *version; uint32_t bit; } known[] = {
        { SK_SFTP_EXT_POSIX_RENAME, "1", SK_EXT_POSIX_RENAME },
        { SK_SFTP_EXT_STATVFS, "2", SK_EXT_STATVFS },
        { SK_SFTP_EXT_FSTATVFS, "2", SK_EXT_FSTATVFS },
        { SK_SFTP_EXT_HARDLINK, "1", SK_EXT_HARDLINK },
        { SK_SFTP_EXT_FSYNC, "1", SK_EXT_FSYNC },
        { SK_SFTP_EXT_LSETSTAT, "1", SK_EXT_LSETSTAT },
        { SK_SFTP_EXT_LIMITS, "1", SK_EXT_LIMITS },
        { SK_SFTP_EXT_EXPAND_PATH, "1", SK_EXT_EXPAND_PATH },
        { SK_SFTP_EXT_COPY_DATA, "1", SK_EXT_COPY_DATA },
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(name, known[i].name) == 0 && strcmp(version, known[i].version) == 0)
            sftp->ext_bits |= known[i].bit;
    size_t n = strlen(name), tail = strlen("@openssh.com");
    if (n > tail && strcmp(name + n - tail, "@openssh.com") == 0)
        sftp->openssh = true;
}

static int keep_extension(sshkit_sftp *sftp, sk_bytes name, sk_bytes version)
{
    if (name.len > SK_SFTP_EXT_NAME_MAX || version.len > SK_SFTP_EXT_VERSION_MAX ||
        memchr(name.ptr, 0, name.len) || memchr(version.ptr, 0, version.len))
        return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server announced a malformed extension");
    if (sftp->ext_count == SK_SFTP_MAX_EXTENSIONS)
        return 0;
    char *n = strndup((const char *)name.ptr, name.len);
    char *v = strndup((const char *)version.ptr, version.len);
    if (n == NULL || v == NULL) {
        free(n);
        free(v);
        return sk_sftp_fail(sftp, SSHKIT_E_NOMEM, "out of memory");
    }
    sftp->ext[sftp->ext_count].name = n;
    sftp->ext[sftp->ext_count++].version = v;
    note_extension(sftp, n, v);
    return 0;
}

/* Asks for limits@openssh.com (version "1") when offered. */
static int ask_limits(sshkit_sftp *sftp)
{
    if (!(sftp->ext_bits & SK_EXT_LIMITS)) {
        sftp->hs = SK_HS_READY;
        return 0;
    }
    uint32_t id;
    size_t start;
    sk_buf *b = sk_sftp_request(sftp, SK_FXP_EXTENDED, &id, &start);
    sk_write_cstring(b, SK_SFTP_EXT_LIMITS);
    sk_sftp_ask_sent(&sftp->hs_ask, id);
    sftp->hs = SK_HS_LIMITS;
    return sk_sftp_request_end(sftp, start);
}

int sk_sftp_handle_version(sshkit_sftp *sftp, const uint8_t *pkt, size_t len)
{
    if (sftp->hs != SK_HS_VERSION)
        return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent VERSION again");
    sk_reader r;
    sk_reader_init(&r, pkt + 5, len - 5);
    uint32_t version;
    if (sk_read_u32(&r, &version))
        return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent a truncated VERSION");
    if (version != SK_SFTP_VERSION)
        return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server speaks SFTP version %u, not 3",
                            version);
    while (sk_reader_remaining(&r) > 0) {
        sk_bytes name, ver;
        sk_read_string(&r, &name);
        sk_read_string(&r, &ver);
        if (sk_reader_error(&r))
            return sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent a malformed VERSION");
        int rc = keep_extension(sftp, name, ver);
        if (rc)
            return rc;
    }
    sftp->version = version;
    return ask_limits(sftp);
}

/* Keeps the server's limits, within sshkit's own. */
void sk_sftp_take_limits(sshkit_sftp *sftp)
{
    sk_sftp_reply reply;
    uint64_t packet = 0, rd = 0, wr = 0, handles = 0;
    if (sk_sftp_ask_reply(&sftp->hs_ask, &reply) == 0 && reply.type == SK_FXP_EXTENDED_REPLY) {
        sk_read_u64(&reply.r, &packet);
        sk_read_u64(&reply.r, &rd);
        sk_read_u64(&reply.r, &wr);
        sk_read_u64(&reply.r, &handles);
        if (sk_reader_error(&reply.r)) {
            sk_sftp_fail(sftp, SSHKIT_E_PROTOCOL, "server sent malformed limits");
            return;
        }
        /* 0 means "no limit of its own": keep sshkit's. */
        sftp->limits.max_packet = packet && packet < SK_SFTP_MAX_PACKET ? packet : SK_SFTP_MAX_PACKET;
        sftp->limits.max_read = rd && rd < SK_SFTP_MAX_DATA ? rd : SK_SFTP_MAX_DATA;
        sftp->limits.max_write = wr && wr < SK_SFTP_MAX_DATA ? wr : SK_SFTP_MAX_DATA;
        sftp->limits.max_handles = handles;
        /* A READ's answer or a WRITE must fit in a packet with its headers. */
        uint64_t room = sftp->limits.max_packet > 2048 ? sftp->limits.max_packet - 1024 : 1024;
        if (sftp->limits.max_read > room)
            sftp->limits.max_read = room;
        if (sftp->limits.max_write > room)
            sftp->limits.max_write = room;
    }
    /* A STATUS (the server changed its mind) leaves the defaults. */
    sftp->hs = SK_HS_READY;
}

void sshkit_sftp_free(sshkit_sftp *sftp)
{
    if (sftp == NULL)
        return;
    sk_sftp_call_leave(sftp, SSHKIT_E_CLOSED);
    while (sftp->transfers)
        sshkit_sftp_transfer_free(sftp->transfers);
    while (sftp->files)
        sk_sftp_file_destroy(sftp->files);
    if (sftp->owns_channel)
        sshkit_channel_free(sftp->channel);
    for (unsigned i = 0; i < sftp->ext_count; i++) {
        free(sftp->ext[i].name);
        free(sftp->ext[i].version);
    }
    sk_sftp_ask_free(NULL, &sftp->hs_ask);
    sk_sftp_ask_free(NULL, &sftp->call.ask);
    sk_buf_free(&sftp->out);
    free(sftp->orphans);
    free(sftp);
}
