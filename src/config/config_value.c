/* Lists of strings and the values lines give, with their memory. */
#include "config/config_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sshkit/error.h>

int sk_cfg_list_add_n(struct sk_cfg_list *l, const char *item, size_t len)
{
    char **grown = realloc(l->items, (l->count + 1) * sizeof *grown);
    if (grown == NULL)
        return SSHKIT_E_NOMEM;
    l->items = grown;
    char *copy = malloc(len + 1);
    if (copy == NULL)
        return SSHKIT_E_NOMEM;
    memcpy(copy, item, len);
    copy[len] = '\0';
    l->items[l->count++] = copy;
    return 0;
}

int sk_cfg_list_add(struct sk_cfg_list *l, const char *item)
{
    return sk_cfg_list_add_n(l, item, strlen(item));
}

void sk_cfg_list_remove(struct sk_cfg_list *l, size_t index)
{
    if (index >= l->count)
        return;
    free(l->items[index]);
    memmove(l->items + index, l->items + index + 1, (l->count - index - 1) * sizeof *l->items);
    l->count--;
}

void sk_cfg_list_clear(struct sk_cfg_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->count = 0;
}

int sk_cfg_list_copy(struct sk_cfg_list *dst, const struct sk_cfg_list *src)
{
    for (size_t i = 0; i < src->count; i++)
        if (sk_cfg_list_add(dst, src->items[i]) != 0)
            return SSHKIT_E_NOMEM;
    return 0;
}

char *sk_cfg_list_join(const struct sk_cfg_list *l)
{
    size_t len = 1;
    for (size_t i = 0; i < l->count; i++)
        len += strlen(l->items[i]) + 1;
    char *out = malloc(len), *p = out;
    if (out == NULL)
        return NULL;
    *p = '\0';
    for (size_t i = 0; i < l->count; i++) {
        size_t n = strlen(l->items[i]);
        if (i > 0)
            *p++ = ' ';
        memcpy(p, l->items[i], n + 1);
        p += n;
    }
    return out;
}

int sk_cfg_value_copy(struct sk_cfg_value *dst, const struct sk_cfg_value *src)
{
    sk_cfg_value_clear(dst);
    dst->has = src->has;
    dst->num = src->num;
    dst->num2 = src->num2;
    if (src->str && (dst->str = strdup(src->str)) == NULL)
        return SSHKIT_E_NOMEM;
    if (sk_cfg_list_copy(&dst->list, &src->list) != 0 ||
        sk_cfg_list_copy(&dst->list2, &src->list2) != 0)
        return SSHKIT_E_NOMEM;
    return 0;
}

void sk_cfg_value_clear(struct sk_cfg_value *v)
{
    free(v->str);
    sk_cfg_list_clear(&v->list);
    sk_cfg_list_clear(&v->list2);
    memset(v, 0, sizeof *v);
}
