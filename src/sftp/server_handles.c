/* The handle table: open files and directories by slot, at most
 * max_handles of them. A wire handle is the slot and the slot's generation,
 * so a handle closed and its slot reused does not reach the new file. */
#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

#include "sftp/server.h"

static int grow(sshkit_sftp_server *s)
{
    uint32_t want = s->handle_slots ? s->handle_slots * 2 : 16;

    if (want > s->max_handles)
        want = s->max_handles;
    if (want <= s->handle_slots)
        return SSHKIT_E_TOO_LARGE;
    struct sk_sftps_handle *grown = realloc(s->handles, want * sizeof *grown);
    if (grown == NULL)
        return SSHKIT_E_NOMEM;
    memset(grown + s->handle_slots, 0, (want - s->handle_slots) * sizeof *grown);
    for (uint32_t i = want; i-- > s->handle_slots;) {
        grown[i].next_free = s->free_head;
        s->free_head = i;
    }
    s->handles = grown;
    s->handle_slots = want;
    return 0;
}

int sk_sftps_handle_new(sshkit_sftp_server *s, uint8_t kind, void *obj, const char *name,
                        uint32_t *slot)
{
    if (s->handles_open >= s->max_handles)
        return SSHKIT_E_TOO_LARGE;
    if (s->free_head == UINT32_MAX) {
        int rc = grow(s);
        if (rc != 0)
            return rc;
    }
    char *copy = strdup(name);
    if (copy == NULL)
        return SSHKIT_E_NOMEM;
    uint32_t i = s->free_head;
    struct sk_sftps_handle *h = &s->handles[i];
    s->free_head = h->next_free;
    h->obj = obj;
    h->name = copy;
    h->kind = kind;
    h->bytes_read = h->bytes_written = 0;
    h->gen++;
    s->handles_open++;
    *slot = i;
    return 0;
}

struct sk_sftps_handle *sk_sftps_handle_get(sshkit_sftp_server *s, sk_bytes wire, uint8_t kind,
                                            uint32_t *slot)
{
    if (wire.len != SK_SFTPS_HANDLE_LEN)
        return NULL;
    uint32_t i = sk_load_u32(wire.ptr), gen = sk_load_u32(wire.ptr + 4);
    if (i >= s->handle_slots)
        return NULL;
    struct sk_sftps_handle *h = &s->handles[i];
    if (h->kind != kind || h->gen != gen)
        return NULL;
    if (slot)
        *slot = i;
    return h;
}

/* Closes through the operations and frees the slot; returns their status. */
int sk_sftps_handle_close(sshkit_sftp_server *s, uint32_t slot, bool forced)
{
    struct sk_sftps_handle *h = &s->handles[slot];
    const char *why = forced ? "forced " : "";
    int status = SSHKIT_SFTP_OK;

    if (h->kind == SK_SFTPS_FILE) {
        sk_sftps_log(s, SSHKIT_LOG_INFO, "%sclose \"%s\" bytes read %llu written %llu", why,
                     h->name, (unsigned long long)h->bytes_read,
                     (unsigned long long)h->bytes_written);
        if (s->ops->close)
            status = s->ops->close(s->ctx, h->obj);
    } else {
        sk_sftps_log(s, SSHKIT_LOG_INFO, "%sclosedir \"%s\"", why, h->name);
        if (s->ops->closedir)
            status = s->ops->closedir(s->ctx, h->obj);
    }
    free(h->name);
    h->name = NULL;
    h->obj = NULL;
    h->kind = SK_SFTPS_FREE;
    h->next_free = s->free_head;
    s->free_head = slot;
    s->handles_open--;
    return status;
}

void sk_sftps_handles_free(sshkit_sftp_server *s)
{
    for (uint32_t i = 0; i < s->handle_slots; i++)
        if (s->handles[i].kind != SK_SFTPS_FREE)
            sk_sftps_handle_close(s, i, true);
    free(s->handles);
    s->handles = NULL;
    s->handle_slots = 0;
    s->free_head = UINT32_MAX;
}
