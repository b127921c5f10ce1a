/* search: see search.h. */
#include "config.h"
#include "search.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "xmlutil.h"

static bool has_capital(const char *s)
{
    for (; *s; s++)
        if (isupper((unsigned char)*s))
            return true;
    return false;
}

/* strstr, ignoring ASCII case when fold. */
static bool contains(const char *hay, const char *needle, bool fold)
{
    if (!hay)
        return false;
    if (!fold)
        return strstr(hay, needle) != NULL;
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

/* The words a device line is found by, besides its text. */
static bool device_matches(const struct device *dv, const char *pattern, bool fold)
{
    char buf[32];
    if (contains(dv->alias, pattern, fold) || contains(dv->model, pattern, fold)
        || contains(device_label(dv), pattern, fold)
        || contains((const char *)dv->node->name, pattern, fold))
        return true;
    if (dv->addr_state == ADDR_PCI) {
        snprintf(buf, sizeof buf, "%04x:%02x:%02x.%x", dv->addr.domain, dv->addr.bus, dv->addr.slot,
                 dv->addr.function);
        if (contains(buf, pattern, fold))
            return true;
    }
    struct host_addr h;
    if (device_host_addr(dv, &h)) {
        snprintf(buf, sizeof buf, "%04x:%02x:%02x.%x", h.domain, h.bus, h.slot, h.function);
        if (contains(buf, pattern, fold))
            return true;
    }
    return false;
}

bool search_line_matches(const struct tree_line *l, const char *pattern)
{
    if (!pattern || !*pattern)
        return false;
    bool fold = !has_capital(pattern);
    return contains(l->text, pattern, fold) || (l->dev && device_matches(l->dev, pattern, fold));
}

long search_find(const struct tree *tr, size_t from, bool forward, const char *pattern,
                 bool *wrapped)
{
    *wrapped = false;
    if (!tr->n)
        return -1;
    size_t i = from < tr->n ? from : tr->n - 1;
    for (size_t step = 1; step <= tr->n; step++) {
        if (forward) {
            i = i + 1 == tr->n ? 0 : i + 1;
            *wrapped = *wrapped || i == 0;
        } else {
            *wrapped = *wrapped || i == 0;
            i = i == 0 ? tr->n - 1 : i - 1;
        }
        if (search_line_matches(&tr->lines[i], pattern))
            return (long)i;
    }
    *wrapped = false;
    return -1;
}

/* [DDDD:]BB:SS[.F], hex: *fn is -1 when no function is given. */
static bool parse_goto_address(const char *s, unsigned *bus, unsigned *slot, int *fn)
{
    unsigned d, f;
    char tail;
    const char *colon2 = strchr(s, ':') ? strchr(strchr(s, ':') + 1, ':') : NULL;
    if (colon2) {   /* a PCI domain: only 0 exists */
        if (sscanf(s, "%4x:", &d) != 1 || d != 0)
            return false;
        s = strchr(s, ':') + 1;
    }
    if (sscanf(s, "%2x:%2x.%1x%c", bus, slot, &f, &tail) == 3 && *slot < 32 && f < 8) {
        *fn = (int)f;
        return true;
    }
    *fn = -1;
    return sscanf(s, "%2x:%2x%c", bus, slot, &tail) == 2 && *slot < 32 && !strchr(s, '.');
}

/* The line of the device at bus:slot.fn, or of its slot (fn -1: the
 * group line first, else function 0), or of the empty run holding it. */
static long line_at_address(const struct tree *tr, unsigned bus, unsigned slot, int fn)
{
    long group = -1, empty = -1, first_fn = -1;
    for (size_t i = 0; i < tr->n; i++) {
        const struct tree_line *l = &tr->lines[i];
        const struct device *dv = l->dev;
        if (dv && dv->addr_state == ADDR_PCI && dv->addr.bus == bus && dv->addr.slot == slot) {
            if (fn >= 0 && dv->addr.function == (unsigned)fn)
                return (long)i;
            if (fn < 0 && dv->addr.function == 0 && first_fn < 0)
                first_fn = (long)i;
        }
        if (l->role == ROLE_SLOT && l->bus == (int)bus && l->slot_first == (int)slot && group < 0)
            group = (long)i;
        if (l->role == ROLE_EMPTY && l->bus == (int)bus && l->slot_first <= (int)slot
            && (int)slot <= l->slot_last && empty < 0)
            empty = (long)i;
    }
    if (fn < 0 && group >= 0)
        return group;
    return first_fn >= 0 ? first_fn : empty;
}

long search_goto(const struct tree *tr, const char *target)
{
    for (size_t i = 0; i < tr->n; i++)
        if (tr->lines[i].dev && tr->lines[i].dev->alias
            && strcmp(tr->lines[i].dev->alias, target) == 0)
            return (long)i;
    unsigned bus, slot;
    int fn;
    if (!parse_goto_address(target, &bus, &slot, &fn))
        return -1;
    return line_at_address(tr, bus, slot, fn);
}
