/* The session's event queue. Each event's strings are copied into one
 * allocation that lives until the event after it is taken. */
#include "transport/session_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

/* Room for a string and its NUL, or nothing for NULL. */
static size_t room(const char *str)
{
    return str ? strlen(str) + 1 : 0;
}

static const char *keep(char **arena, const char *str)
{
    if (str == NULL)
        return NULL;
    size_t n = strlen(str) + 1;
    char *dst = *arena;
    memcpy(dst, str, n);
    *arena += n;
    return dst;
}

static const uint8_t *keep_bytes(char **arena, const uint8_t *data, size_t len)
{
    if (data == NULL || len == 0)
        return NULL;
    uint8_t *dst = (uint8_t *)*arena;
    memcpy(dst, data, len);
    *arena += len;
    return dst;
}

/* The strings an event points to, and where they live in it. */
static size_t measure(const sshkit_event *ev)
{
    switch (ev->type) {
    case SSHKIT_EVENT_CHANNEL_OPEN_REQUEST:
    case SSHKIT_EVENT_CHANNEL_OPEN_FAILED:
        return room(ev->u.channel.type) + room(ev->u.channel.message) + ev->u.channel.len;
    case SSHKIT_EVENT_CHANNEL_REQUEST:
        return room(ev->u.request.type) + ev->u.request.len;
    case SSHKIT_EVENT_GLOBAL_REQUEST_RESULT:
        return ev->u.global.len;
    case SSHKIT_EVENT_AUTH_BANNER:
    case SSHKIT_EVENT_AUTHENTICATED:
        return room(ev->u.text.text);
    case SSHKIT_EVENT_AUTH_RESULT:
        return room(ev->u.auth.methods);
    case SSHKIT_EVENT_DISCONNECTED:
        return room(ev->u.disconnect.message);
    case SSHKIT_EVENT_AUTH_PROMPT: {
        size_t n = room(ev->u.prompt.name) + room(ev->u.prompt.instruction);
        n += ev->u.prompt.count * (sizeof(char *) + sizeof(bool));
        for (unsigned i = 0; i < ev->u.prompt.count; i++)
            n += room(ev->u.prompt.prompts[i]);
        return n + sizeof(char *);  /* alignment slack */
    }
    default:
        return 0;
    }
}

static void copy_prompt(sshkit_event *dst, const sshkit_event *src, char *arena)
{
    unsigned count = src->u.prompt.count;
    /* Pointer array first (the allocation is suitably aligned), then flags, then text. */
    const char **prompts = (const char **)(void *)arena;
    bool *echo = (bool *)(arena + count * sizeof(char *));
    arena = (char *)(echo + count);
    for (unsigned i = 0; i < count; i++) {
        prompts[i] = keep(&arena, src->u.prompt.prompts[i]);
        echo[i] = src->u.prompt.echo[i];
    }
    dst->u.prompt.prompts = prompts;
    dst->u.prompt.echo = echo;
    dst->u.prompt.name = keep(&arena, src->u.prompt.name);
    dst->u.prompt.instruction = keep(&arena, src->u.prompt.instruction);
}

static void copy_strings(sshkit_event *dst, const sshkit_event *src, char *arena)
{
    switch (src->type) {
    case SSHKIT_EVENT_CHANNEL_OPEN_REQUEST:
    case SSHKIT_EVENT_CHANNEL_OPEN_FAILED:
        dst->u.channel.type = keep(&arena, src->u.channel.type);
        dst->u.channel.message = keep(&arena, src->u.channel.message);
        dst->u.channel.data = keep_bytes(&arena, src->u.channel.data, src->u.channel.len);
        break;
    case SSHKIT_EVENT_CHANNEL_REQUEST:
        dst->u.request.type = keep(&arena, src->u.request.type);
        dst->u.request.data = keep_bytes(&arena, src->u.request.data, src->u.request.len);
        break;
    case SSHKIT_EVENT_GLOBAL_REQUEST_RESULT:
        dst->u.global.data = keep_bytes(&arena, src->u.global.data, src->u.global.len);
        break;
    case SSHKIT_EVENT_AUTH_BANNER:
    case SSHKIT_EVENT_AUTHENTICATED:
        dst->u.text.text = keep(&arena, src->u.text.text);
        break;
    case SSHKIT_EVENT_AUTH_RESULT:
        dst->u.auth.methods = keep(&arena, src->u.auth.methods);
        break;
    case SSHKIT_EVENT_DISCONNECTED:
        dst->u.disconnect.message = keep(&arena, src->u.disconnect.message);
        break;
    case SSHKIT_EVENT_AUTH_PROMPT:
        copy_prompt(dst, src, arena);
        break;
    default:
        break;
    }
}

/* Doubles the ring, keeping the events in order. */
static int grow_queue(sshkit_session *s)
{
    size_t cap = s->event_cap ? s->event_cap * 2 : 16;
    if (cap > SK_EVENT_QUEUE_MAX)
        return SSHKIT_E_TOO_LARGE;
    sk_event_slot *ring = calloc(cap, sizeof *ring);
    if (ring == NULL)
        return SSHKIT_E_NOMEM;
    for (size_t i = 0; i < s->event_count; i++)
        ring[i] = s->events[(s->event_head + i) % s->event_cap];
    free(s->events);
    s->events = ring;
    s->event_cap = cap;
    s->event_head = 0;
    return 0;
}

int sk_event_push(sshkit_session *s, const sshkit_event *ev)
{
    if (s->event_count == s->event_cap) {
        int rc = grow_queue(s);
        if (rc)
            return rc;
    }
    size_t n = measure(ev);
    char *arena = n ? malloc(n) : NULL;
    if (n && arena == NULL)
        return SSHKIT_E_NOMEM;
    sk_event_slot *slot = &s->events[(s->event_head + s->event_count) % s->event_cap];
    slot->ev = *ev;
    slot->strings = arena;
    copy_strings(&slot->ev, ev, arena);
    s->event_count++;
    return 0;
}

int sshkit_session_next_event(sshkit_session *s, sshkit_event *event)
{
    free(s->current.strings);
    s->current.strings = NULL;
    if (s->event_count == 0) {
        memset(event, 0, sizeof *event);
        return 0;
    }
    s->current = s->events[s->event_head];
    s->events[s->event_head].strings = NULL;
    s->event_head = (s->event_head + 1) % s->event_cap;
    s->event_count--;
    *event = s->current.ev;
    return 1;
}
