#include "config.h"
#include "guestdiff.h"

#include <stdlib.h>
#include <string.h>

#include "lspci.h"
#include "xmlutil.h"

static const char *element_of(const struct guest_fn *f)
{
    return f->dev ? (const char *)f->dev->node->name : f->item ? f->item->element : "";
}

static bool is_controller(const struct guest_fn *f)
{
    return f->dev ? f->dev->ctrl_type != NULL : f->item && f->item->ctrl_type != NULL;
}

static void put_int(struct strbuf *sb, long v)
{
    if (v < 0)
        sb_putc(sb, '-');
    sb_put_num(sb, "", (unsigned long)(v < 0 ? -v : v), 10, 1);
}

/* What names f in libvirt beyond its address: the key both sides share.
 * Built without printf: previews make one per function on every key. */
static void put_key(struct strbuf *sb, const struct guest_fn *f, int ordinal)
{
    const struct device *dv = f->dev;
    if (dv && dv->alias) {
        sb_puts(sb, "alias ");
        sb_puts(sb, dv->alias);
        return;
    }
    const char *element = element_of(f);
    const char *model = dv ? dv->model : f->item->model;
    if (is_controller(f)) {
        const char *type = dv ? dv->ctrl_type : f->item->ctrl_type;
        sb_puts(sb, "controller ");
        sb_puts(sb, type);
        sb_putc(sb, ' ');
        put_int(sb, dv ? dv->ctrl_index : f->item->index);
        sb_putc(sb, ' ');
        if (str_eq(type, "pci") && model)
            sb_puts(sb, model);
        return;
    }
    const char *mac = dv ? xml_attr(xml_child(dv->node, "mac"), "address") : NULL;
    struct host_addr h;
    if (mac) {
        sb_puts(sb, "mac ");
        sb_puts(sb, mac);
    } else if (dv && dv->disk_target) {
        sb_puts(sb, "disk ");
        sb_puts(sb, dv->disk_target);
    } else if (dv && device_host_addr(dv, &h)) {
        sb_put_num(sb, "host ", h.domain, 16, 4);
        sb_put_num(sb, ":", h.bus, 16, 2);
        sb_put_num(sb, ":", h.slot, 16, 2);
        sb_put_num(sb, ".", h.function, 16, 1);
    } else {
        sb_puts(sb, element);
        sb_putc(sb, ' ');
        sb_puts(sb, model ? model : "");
        sb_puts(sb, " #");
        put_int(sb, ordinal);
    }
}

/* "ua-net0 (interface virtio)", "pcie-root-port index 7 (libvirt adds it)".
 * Returns the length of the short name at its start: the alias when it
 * has one, else all of it. */
static size_t put_name(struct strbuf *sb, const struct guest_fn *f)
{
    const struct device *dv = f->dev;
    size_t start = sb->len;
    if (dv && dv->alias) {
        sb_put_visible(sb, dv->alias);
        size_t alias_len = sb->len - start;
        sb_puts(sb, " (");
        sb_puts(sb, device_label(dv));
        sb_putc(sb, ')');
        return alias_len;
    } else if (dv) {
        sb_puts(sb, device_label(dv));
        if (dv->line > 0) {
            sb_puts(sb, " (line ");
            put_int(sb, dv->line);
            sb_putc(sb, ')');
        }
    } else {
        sb_puts(sb, f->item->model ? f->item->model : f->item->element);
        if (f->item->index >= 0) {
            sb_puts(sb, " index ");
            put_int(sb, f->item->index);
        }
        sb_puts(sb, " (libvirt adds it)");
    }
    return sb->len - start;
}

/* How many functions of each element came before: a device without a
 * better name is numbered among those of its kind.  Elements are few,
 * so a short list keeps the count linear in functions. */
struct ordinals {
    const char *element[32];
    int count[32];
    int n;
};

static int next_ordinal(struct ordinals *o, const char *element)
{
    for (int i = 0; i < o->n; i++)
        if (str_eq(o->element[i], element))
            return o->count[i]++;
    if (o->n < (int)(sizeof o->element / sizeof o->element[0])) {
        o->element[o->n] = element;
        o->count[o->n++] = 1;
        return 0;
    }
    return -1;
}

static int by_key(const void *pa, const void *pb)
{
    const struct view_fn *a = pa, *b = pb;
    int c = strcmp(a->key, b->key);
    return c ? c : (a->order > b->order) - (a->order < b->order);
}

/* f's entry; its key and name go into text, NUL-terminated, and are
 * pointed at once text has stopped growing (guest_view_new). */
static void view_fill(struct view_fn *v, struct strbuf *text, const struct guestbus *g,
                      const struct guest_fn *f, int ordinal, size_t order)
{
    v->key_at = text->len;
    put_key(text, f, ordinal);
    sb_putc(text, '\0');
    v->name_at = text->len;
    v->short_len = put_name(text, f);
    sb_putc(text, '\0');
    int number = f->provides >= 0 ? guestbus_number(g, (unsigned)f->provides) : -1;
    bool bus_seen = f->provides >= 0 && g->bus[f->provides].state == GUEST_SEEN;
    v->controller = is_controller(f);
    v->has_xml = f->has_xml;
    v->xml = f->xml;
    v->seen = f->state == GUEST_SEEN;
    v->bus = f->bus;
    v->slot = f->slot;
    v->function = f->function;
    v->provides = f->provides;
    v->provides_number = g->firmware != FW_NOT_MODELLED && bus_seen ? number : -1;
    v->order = order;
}

/* The functions of g that are the document's or libvirt's devices (not
 * the chipset's, nor a pxb's own bridge, which goes with its pxb). */
struct guest_view *guest_view_new(const struct topology *t)
{
    const struct guestbus *g = lspci_guestbus_shared(t);
    struct guest_view *v = xcalloc(1, sizeof *v);
    v->fn = xcalloc(g->nfn ? g->nfn : 1, sizeof *v->fn);
    v->numbered = g->firmware != FW_NOT_MODELLED;
    struct strbuf text = STRBUF_INIT;
    sb_reserve(&text, g->nfn * 64);
    struct ordinals o = { .n = 0 };
    for (size_t i = 0; i < g->nfn; i++) {
        const struct guest_fn *f = &g->fn[i];
        if (f->chipset || f->inner_bridge || (!f->dev && !f->item))
            continue;
        view_fill(&v->fn[v->n++], &text, g, f, next_ordinal(&o, element_of(f)), i);
    }
    v->text = sb_detach(&text);
    for (size_t i = 0; i < v->n; i++) {
        v->fn[i].key = v->text + v->fn[i].key_at;
        v->fn[i].name = v->text + v->fn[i].name_at;
    }
    qsort(v->fn, v->n, sizeof *v->fn, by_key);
    return v;
}

static void *view_new_cb(const struct topology *t)
{
    return guest_view_new(t);
}

static void view_free_cb(void *v)
{
    guest_view_free(v);
}

const struct guest_view *guest_view_shared(const struct topology *t)
{
    return topology_memo(t, MEMO_GUEST_VIEW, view_new_cb, view_free_cb);
}

void guest_view_free(struct guest_view *v)
{
    if (!v)
        return;
    free(v->text);
    free(v->fn);
    free(v);
}

static bool same_xml(const struct view_fn *a, const struct view_fn *b)
{
    if (a->has_xml != b->has_xml)
        return false;
    return !a->has_xml || (a->xml.bus == b->xml.bus && a->xml.slot == b->xml.slot
                           && a->xml.function == b->xml.function);
}

static bool same_guest(const struct view_fn *a, const struct view_fn *b)
{
    if (a->seen != b->seen)
        return false;
    return !a->seen || (a->bus == b->bus && a->slot == b->slot && a->function == b->function);
}

static void add_entry(struct guest_diff *d, size_t *cap, enum diff_kind kind,
                      const struct view_fn *old, const struct view_fn *new)
{
    if (d->n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        d->e = xrealloc(d->e, *cap * sizeof *d->e);
    }
    d->e[d->n++] = (struct diff_entry){ kind, old, new };
}

/* Entries by kind, then in their side's order. */
static int by_kind(const void *pa, const void *pb)
{
    const struct diff_entry *a = pa, *b = pb;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    size_t oa = (a->new ? a->new : a->old)->order, ob = (b->new ? b->new : b->old)->order;
    return (oa > ob) - (oa < ob);
}

struct guest_diff *guest_diff_of_views_new(const struct guest_view *old,
                                           const struct guest_view *new)
{
    struct guest_diff *d = xcalloc(1, sizeof *d);
    d->old = old;
    d->new = new;
    d->numbered = old->numbered && new->numbered;
    size_t i = 0, j = 0, cap = 0;
    while (i < old->n || j < new->n) {
        int c = i >= old->n ? 1 : j >= new->n ? -1 : strcmp(old->fn[i].key, new->fn[j].key);
        if (c < 0) {
            add_entry(d, &cap, DIFF_REMOVED, &old->fn[i++], NULL);
        } else if (c > 0) {
            add_entry(d, &cap, DIFF_ADDED, NULL, &new->fn[j++]);
        } else {
            const struct view_fn *a = &old->fn[i++], *b = &new->fn[j++];
            bool guest = d->numbered && !same_guest(a, b);
            d->moved += guest;
            if (!same_xml(a, b)) {
                add_entry(d, &cap, DIFF_XML_MOVED, a, b);
            } else if (guest) {
                add_entry(d, &cap, DIFF_GUEST_MOVED, a, b);
                d->guest_moved++;
            }
        }
    }
    if (d->n)
        qsort(d->e, d->n, sizeof *d->e, by_kind);
    return d;
}

struct guest_diff *guest_diff_new(const struct topology *old, const struct topology *new)
{
    struct guest_view *vo = guest_view_new(old), *vn = guest_view_new(new);
    struct guest_diff *d = guest_diff_of_views_new(vo, vn);
    d->own_old = vo;
    d->own_new = vn;
    return d;
}

void guest_diff_free(struct guest_diff *d)
{
    if (!d)
        return;
    guest_view_free(d->own_old);
    guest_view_free(d->own_new);
    free(d->e);
    free(d);
}

static void put_xml(struct strbuf *sb, const struct view_fn *f)
{
    if (f->has_xml)
        sb_printf(sb, "%02x:%02x.%x", f->xml.bus, f->xml.slot, f->xml.function);
    else
        sb_puts(sb, "none");
}

static void put_guest(struct strbuf *sb, const struct view_fn *f)
{
    if (f->seen)
        sb_printf(sb, "0000:%02x:%02x.%x", f->bus, f->slot, f->function);
    else
        sb_puts(sb, "not seen");
}

/* "05:00.0": the guard's lines name many devices; domain 0 goes without saying */
static void put_guest_short(struct strbuf *sb, const struct view_fn *f)
{
    if (f->seen)
        sb_printf(sb, "%02x:%02x.%x", f->bus, f->slot, f->function);
    else
        sb_puts(sb, "not seen");
}

/* The bus a controller provides, as the guest numbers it. */
static void put_bus(struct strbuf *sb, const struct view_fn *f)
{
    if (f->provides < 0)
        return;
    sb_printf(sb, ", bus %02x", f->provides);
    if (f->provides_number >= 0)
        sb_printf(sb, " (guest %02x)", f->provides_number);
}

static const char *const titles[] = {
    [DIFF_XML_MOVED] = "XML address changed",
    [DIFF_GUEST_MOVED] = "guest address changed, XML address the same",
    [DIFF_ADDED] = "added",
    [DIFF_REMOVED] = "removed",
};

char *guest_diff_text_new(const struct guest_diff *d)
{
    struct strbuf sb = STRBUF_INIT;
    /* added and removed come in two sections each: controllers, then devices */
    for (int kind = DIFF_XML_MOVED; kind <= DIFF_REMOVED; kind++) {
        for (int ctrl = 1; ctrl >= 0; ctrl--) {
            bool split = kind == DIFF_ADDED || kind == DIFF_REMOVED;
            if (!split && !ctrl)
                continue;
            bool head = false;
            for (size_t i = 0; i < d->n; i++) {
                const struct diff_entry *e = &d->e[i];
                const struct view_fn *f = e->new ? e->new : e->old;
                if ((int)e->kind != kind || (split && f->controller != (bool)ctrl))
                    continue;
                if (!head) {
                    sb_printf(&sb, "%s%s%s:\n", sb.len ? "\n" : "",
                              split ? (ctrl ? "controllers " : "devices ") : "", titles[kind]);
                    head = true;
                }
                sb_puts(&sb, "  ");
                sb_puts(&sb, f->name);
                if (e->old && e->new) {
                    sb_puts(&sb, ": xml ");
                    put_xml(&sb, e->old);
                    if (kind == DIFF_XML_MOVED) {
                        sb_puts(&sb, " -> ");
                        put_xml(&sb, e->new);
                    }
                    if (d->numbered) {
                        sb_puts(&sb, ", guest ");
                        put_guest(&sb, e->old);
                        if (!same_guest(e->old, e->new)) {
                            sb_puts(&sb, " -> ");
                            put_guest(&sb, e->new);
                        }
                    }
                } else {
                    sb_puts(&sb, ": xml ");
                    put_xml(&sb, f);
                    if (d->numbered) {
                        sb_puts(&sb, ", guest ");
                        put_guest(&sb, f);
                    }
                    put_bus(&sb, f);
                }
                sb_putc(&sb, '\n');
            }
        }
    }
    return sb_detach(&sb);
}

/* The guard walks the two sorted views itself: a diff would build the
 * entries of every added device too, and previews run it per key. */
static int guard_walk(const struct guest_view *before, const struct guest_view *after,
                      struct strbuf *sb, int most)
{
    if (!before->numbered || !after->numbered)
        return 0;
    int moved = 0;
    size_t i = 0, j = 0;
    while (i < before->n && j < after->n) {
        int c = strcmp(before->fn[i].key, after->fn[j].key);
        if (c) {
            c < 0 ? i++ : j++;
            continue;
        }
        const struct view_fn *a = &before->fn[i++], *b = &after->fn[j++];
        if (!same_xml(a, b) || same_guest(a, b))
            continue;
        if (sb && moved < most) {
            sb_puts(sb, moved ? ", " : ": ");
            sb_add(sb, a->name, a->short_len);
            sb_putc(sb, ' ');
            put_guest_short(sb, a);
            sb_puts(sb, "->");
            put_guest_short(sb, b);
        }
        moved++;
    }
    return moved;
}

int guard_moves(const struct guest_view *before, const struct guest_view *after)
{
    return guard_walk(before, after, NULL, 0);
}

char *guard_note_new(const struct guest_view *before, const struct guest_view *after, int most)
{
    struct strbuf list = STRBUF_INIT;
    int moved = guard_walk(before, after, &list, most);
    if (!moved) {
        sb_free(&list);
        return NULL;
    }
    struct strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "%d device%s move%s in the guest", moved, moved == 1 ? "" : "s",
              moved == 1 ? "s" : "");
    sb_add(&sb, list.buf, list.len);
    if (moved > most)
        sb_printf(&sb, " and %d more", moved - most);
    sb_free(&list);
    return sb_detach(&sb);
}

struct guest_view *guest_view_take(const struct topology *t)
{
    return topology_memo_take(t, MEMO_GUEST_VIEW, view_new_cb);
}

char *guard_preview_note_new(const struct topology *before, const struct topology *after, int most)
{
    if (before->mach->firmware == FW_NOT_MODELLED || after->mach->firmware == FW_NOT_MODELLED)
        return NULL;
    return guard_note_new(guest_view_shared(before), guest_view_shared(after), most);
}
