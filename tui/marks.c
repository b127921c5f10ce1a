/* marks: the host devices marked (Space) for group, by the names commands
 * take, and grouping them. */
#include "config.h"
#include "screens.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static int mark_index(const struct editor *ed, const char *name)
{
    for (int i = 0; i < ed->nmarks; i++)
        if (strcmp(ed->marks[i], name) == 0)
            return i;
    return -1;
}

bool is_marked(const struct editor *ed, const struct tree_line *l)
{
    if (!ed->nmarks)
        return false;
    char *name = line_name_new(l);
    bool marked = name && mark_index(ed, name) >= 0;
    free(name);
    return marked;
}

static void unmark(struct editor *ed, int i)
{
    free(ed->marks[i]);
    memmove(&ed->marks[i], &ed->marks[i + 1], (size_t)(ed->nmarks - i - 1) * sizeof ed->marks[0]);
    ed->nmarks--;
}

void unmark_all(struct editor *ed)
{
    while (ed->nmarks)
        unmark(ed, ed->nmarks - 1);
}

/* After a change, a mark that names no host device any more goes. */
void prune_marks(struct editor *ed)
{
    const struct topology *t = ed->s->topo;
    for (int i = ed->nmarks; i-- > 0;) {
        unsigned bus, slot, fn;
        const struct device *dv = topology_find_alias(t, ed->marks[i]);
        if (!dv && topology_parse_bdf(ed->marks[i], &bus, &slot, &fn))
            dv = topology_find_addr(t, bus, slot, fn);
        if (!dv || !group_member_ok(dv))
            unmark(ed, i);
    }
}

/* The group of the selected line (its slot line or one of its
 * functions), as its slot BB:SS.  False when it is in none. */
bool selected_group(const struct editor *ed, struct group *g, char *buf, size_t size)
{
    const struct tree_line *l = sel_line(ed);
    const struct topology *t = ed->s->topo;
    bool found = false;
    if (l && l->role == ROLE_SLOT) {
        group_at(t, (unsigned)l->bus, (unsigned)l->slot_first, g);
        found = group_is_hostdevs(g);
    } else if (l && l->dev) {
        found = group_of(t, l->dev, g);
    }
    if (found)
        snprintf(buf, size, "%02x:%02x", g->bus, g->slot);
    return found;
}

/* Space: marks the selected host device for group, or unmarks it, and
 * moves on, so a run of functions is marked with Space Space Space. */
void marks_toggle(struct editor *ed)
{
    const struct tree_line *l = sel_line(ed);
    if (!l || !l->dev) {
        editor_message(ed, true, "mark: select a host device (hostdev, or interface type='hostdev')");
        return;
    }
    if (!group_member_ok(l->dev)) {
        editor_message(ed, true, "mark: %s is not a PCI host device; only host devices are grouped into one slot",
                       device_label(l->dev));
        return;
    }
    char *name = line_name_new(l);
    if (!name) {
        editor_message(ed, true, "mark: this host device has neither an alias nor an address; place the domain first (p)");
        return;
    }
    int i = mark_index(ed, name);
    if (i >= 0) {
        unmark(ed, i);
        free(name);
    } else if (ed->nmarks == PCI_FUNCTIONS) {
        editor_message(ed, true, "mark: a slot has 8 functions; 8 devices are marked already");
        free(name);
        return;
    } else {
        ed->marks[ed->nmarks++] = name;
    }
    editor_message(ed, false, "%d marked%s", ed->nmarks,
                   ed->nmarks >= 2 ? ": g groups them into one slot" : "");
    move_selection(ed, "down");
}

/* g: groups the marked devices (the command line shows in the note). */
void group_marked(struct editor *ed)
{
    if (ed->nmarks < 2) {
        editor_message(ed, true, "group: mark two or more host devices with Space first (%d marked)",
                       ed->nmarks);
        return;
    }
    struct words w = words_of("group", NULL, NULL);
    for (int i = 0; i < ed->nmarks; i++)
        words_add(&w, ed->marks[i]);
    unsigned long before = ed->s->gen;
    run_words(ed, &w);
    if (ed->s->gen != before)
        unmark_all(ed);
    words_free(&w);
}
