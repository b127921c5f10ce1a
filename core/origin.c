#include "config.h"
#include "origin.h"

#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

#include "group.h"
#include "hotplug.h"
#include "linediff.h"

void origin_free(struct origin *o)
{
    if (!o)
        return;
    virt_conn_free(o->conn);
    free(o->domain);
    free(o->stored);
    free(o->running);
    free(o);
}

/* What the document is compared with: the guest's XML in mode live, else
 * the definition. */
static const char *baseline(const struct origin *o)
{
    return o->live ? o->running : o->stored;
}

/* The same, as libvirt has it now; caller frees.  NULL with e set. */
static char *current_new(const struct origin *o, struct err *e)
{
    return virt_domain_xml_new(o->conn, o->domain, o->live, e);
}

/* A document from libvirt, loaded as a file would be (the same limits
 * and refusals: libvirt's answer is input like any other), named for
 * messages by the domain. */
static struct domain *load_stored_new(const struct origin *o, const char *xml, struct err *e)
{
    return domain_load_memory(xml, strlen(xml), o->domain, e);
}

struct session *session_open_virt(const char *uri, const char *name, struct err *e)
{
    struct virt_conn *conn = virt_conn_new(uri, e);
    if (!conn)
        return NULL;
    char *xml = virt_domain_xml_new(conn, name, false, e);
    if (!xml) {
        virt_conn_free(conn);
        return NULL;
    }
    struct session *s = session_open_memory(xml, strlen(xml), name, e);
    if (!s) {
        free(xml);
        virt_conn_free(conn);
        return NULL;
    }
    s->origin = xcalloc(1, sizeof *s->origin);
    s->origin->conn = conn;
    s->origin->domain = xstrdup(name);
    s->origin->stored = xml;
    return s;
}

/* The text of the document's <name>, or NULL; caller frees. */
static char *document_name_new(const struct domain *d)
{
    xmlNodePtr root = xmlDocGetRootElement(d->doc);
    for (xmlNodePtr n = root ? root->children : NULL; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST "name") == 0) {
            xmlChar *text = xmlNodeGetContent(n);
            char *copy = xstrdup((const char *)text);
            xmlFree(text);
            return copy;
        }
    }
    return NULL;
}

/* A define of a document with another <name> would make a second domain
 * (or clash with one): never what save of this one means. */
static bool names_this_domain(const struct session *s, struct err *e)
{
    char *name = document_name_new(s->dom);
    bool same = name && strcmp(name, s->origin->domain) == 0;
    if (!same) {
        struct strbuf sb = STRBUF_INIT;
        sb_puts(&sb, "save: the document names domain '");
        sb_put_visible(&sb, name ? name : "");
        sb_puts(&sb, "', not '");
        sb_put_visible(&sb, s->origin->domain);
        sb_puts(&sb, "' it was opened as; nothing was defined (save FILE writes it to a file)");
        err_set(e, "%s", sb.buf);
        sb_free(&sb);
    }
    free(name);
    return same;
}

/* The sentence that ends every refusal: the edits are not lost. */
#define KEPT_TEXT "the document is kept: save FILE writes it to a file"

bool origin_preview(struct session *s, bool force, struct strbuf *diff, size_t *changed,
                    struct err *e)
{
    struct origin *o = s->origin;
    *changed = 0;
    if (!names_this_domain(s, e))
        return false;
    struct err why ERR_SCOPE = ERR_INIT;
    char *now = current_new(o, &why);
    if (!now) {
        err_set(e, "save: %s; nothing was %s, and %s", why.msg,
                o->live ? "hot-plugged" : "defined", KEPT_TEXT);
        return false;
    }
    bool ok = false;
    if (!force && strcmp(now, baseline(o)) != 0 && o->live) {
        linediff(diff, o->running, "running guest when mode live began", now, "running guest now");
        err_set(e, "save: the running guest %s changed since mode live read it (another hot-plug, "
                "virsh?); nothing was hot-plugged. 'diff' shows what changed, 'reload' takes the "
                "guest as it is now (then add again), 'save -f' hot-plugs anyway, and %s",
                o->domain, KEPT_TEXT);
        goto out;
    }
    if (!force && strcmp(now, baseline(o)) != 0) {
        linediff(diff, o->stored, "definition when opened", now, "definition in libvirt now");
        err_set(e, "save: the definition of %s in libvirt changed since it was opened "
                "(virsh edit, virt-manager?); nothing was defined. 'diff' shows what changed there, "
                "'reload' takes libvirt's definition (undo brings your edits back), 'save -f' "
                "defines this document over it, and %s", o->domain, KEPT_TEXT);
        goto out;
    }
    size_t len;
    char *bytes = domain_serialize(s->dom, &len, e);
    if (!bytes)
        goto out;
    *changed = o->live ? linediff(diff, now, "running guest", bytes, "running guest after the hot-plugs")
                       : linediff(diff, now, "definition in libvirt", bytes, "definition to define");
    free(bytes);
    ok = true;
out:
    free(now);
    return ok;
}

bool origin_save(struct session *s, unsigned flags, struct strbuf *out, struct strbuf *note,
                 struct err *e)
{
    struct origin *o = s->origin;
    if (o->live)
        return origin_hotplug(s, flags, out, note, e);
    bool force = flags & ORIGIN_FORCE;
    size_t changed;
    struct strbuf diff = STRBUF_INIT;
    bool ok = origin_preview(s, force, &diff, &changed, e);
    if (diff.len)
        sb_add(out, diff.buf, diff.len);
    sb_free(&diff);
    if (!ok)
        return false;
    if (!changed) {
        session_mark_saved(s);
        sb_printf(note, "nothing to define: libvirt's definition of %s on %s is this document",
                  o->domain, virt_conn_uri(o->conn));
        return true;
    }
    size_t len;
    char *bytes = domain_serialize(s->dom, &len, e);
    if (!bytes)
        return false;
    struct err why ERR_SCOPE = ERR_INIT;
    char *stored = virt_define_new(o->conn, bytes, &why);
    if (!stored) {
        err_set(e, "save: %s; nothing was defined, and %s", why.msg, KEPT_TEXT);
        free(bytes);
        return false;
    }
    /* libvirt's answer: what it stored, against what it was given */
    struct strbuf answer = STRBUF_INIT;
    size_t differs = linediff(&answer, bytes, "sent", stored, "stored by libvirt");
    free(bytes);
    free(o->stored);
    o->stored = stored;
    sb_printf(note, "defined %s on %s (%zu line%s changed); libvirt stored ", o->domain,
              virt_conn_uri(o->conn), changed, changed == 1 ? "" : "s");
    if (differs)
        sb_printf(note, "it with %zu line%s of its own (shown above), and the editor has what it stored",
                  differs, differs == 1 ? "" : "s");
    else
        sb_puts(note, "it as sent");
    if (differs) {
        sb_puts(out, "libvirt's answer, what it stored against what was sent:\n");
        sb_add(out, answer.buf, answer.len);
    }
    sb_free(&answer);
    struct domain *d = load_stored_new(o, o->stored, &why);
    if (!d || !session_adopt(s, d, "save (libvirt's definition)", &why)) {
        /* defined all the same: the document is what was sent */
        session_mark_saved(s);
        sb_printf(note, "; what it stored does not load here (%s), so the editor keeps what was sent",
                  why.msg);
    }
    return true;
}

bool origin_reload(struct session *s, struct strbuf *note, struct err *e)
{
    struct origin *o = s->origin;
    struct err why ERR_SCOPE = ERR_INIT;
    char *now = current_new(o, &why);
    if (!now) {
        err_set(e, "reload: %s; %s", why.msg, KEPT_TEXT);
        return false;
    }
    unsigned long before = s->last_gen;
    struct domain *d = load_stored_new(o, now, &why);
    if (!d || !session_adopt(s, d, "reload", &why)) {
        err_set(e, "reload: libvirt's definition of %s does not load: %s; the document is as it was",
                o->domain, why.msg);
        free(now);
        return false;
    }
    char **kept = o->live ? &o->running : &o->stored;
    free(*kept);
    *kept = now;
    sb_printf(note, "reloaded %s%s from %s%s", o->live ? "the running guest " : "", o->domain,
              virt_conn_uri(o->conn),
              s->last_gen != before ? " (undo brings back the document before it)"
                                    : ": it was this document");
    return true;
}

/* ---- mode live ---- */

/* The document becomes xml (libvirt's, the guest's or the definition),
 * with no history: what came before was the other document. */
static bool adopt_other(struct session *s, const char *xml, const char *what, struct err *e)
{
    struct domain *d = load_stored_new(s->origin, xml, e);
    if (!d || !session_adopt(s, d, what, e))
        return false;
    session_forget_history(s);
    return true;
}

bool origin_set_live(struct session *s, bool live, struct strbuf *note, struct err *e)
{
    struct origin *o = s->origin;
    if (o->live == live) {
        sb_printf(note, "mode %s: %s", live ? "live" : "offline", live
                  ? "the document is the running guest's XML; save hot-plugs what you add"
                  : "the document is the definition; save defines it");
        return true;
    }
    if (s->modified) {
        err_set(e, "mode %s: the document has unsaved changes of the %s; save them (or undo) first: "
                "mode %s puts %s in its place", live ? "live" : "offline",
                live ? "definition" : "running guest", live ? "live" : "offline",
                live ? "the running guest's XML" : "the definition");
        return false;
    }
    struct err why ERR_SCOPE = ERR_INIT;
    if (live) {
        int active = virt_domain_active(o->conn, o->domain, &why);
        if (active <= 0) {
            if (active == 0)
                err_set(e, "mode live: %s is not running, so there is nothing to hot-plug into "
                        "(virsh start %s; mode offline plans for the definition)", o->domain, o->domain);
            else
                err_set(e, "mode live: %s", why.msg);
            return false;
        }
    }
    char *xml = virt_domain_xml_new(o->conn, o->domain, live, &why);
    if (!xml) {
        err_set(e, "mode %s: %s", live ? "live" : "offline", why.msg);
        return false;
    }
    if (!adopt_other(s, xml, live ? "mode live" : "mode offline", &why)) {
        err_set(e, "mode %s: %s does not load: %s; the document is as it was",
                live ? "live" : "offline", live ? "the running guest's XML" : "the definition", why.msg);
        free(xml);
        return false;
    }
    if (live) {
        o->running = xml;
    } else {
        free(o->running);
        o->running = NULL;
        free(o->stored);
        o->stored = xml;
    }
    o->live = s->live = live;
    sb_printf(note, live ? "mode live: the document is what the running guest %s has now; add uses only "
                           "empty hot-pluggable slots, and save hot-plugs what you add"
                         : "mode offline: the document is the definition of %s again; save defines it",
              o->domain);
    return true;
}

/* What libvirt 9.0's QEMU driver plugs into a running guest, by element
 * (qemuDomainAttachDeviceLive): the first row that matches decides. */
static const struct pluggable {
    const char *element;
    const char *type;      /* its type= must be this; NULL: any */
    const char *why_not;   /* NULL: libvirt hot-plugs it */
} pluggables[] = {
    { "interface", NULL, NULL },
    { "disk", NULL, NULL },
    { "hostdev", NULL, NULL },
    { "rng", NULL, NULL },
    { "input", NULL, NULL },
    { "watchdog", NULL, NULL },
    { "shmem", NULL, NULL },
    { "vsock", NULL, NULL },
    { "controller", "scsi", NULL },
    { "controller", NULL, "libvirt 9.0 hot-plugs no controller but SCSI ones" },
    { "video", NULL, "libvirt cannot hot-plug a video device" },
    { "sound", NULL, "libvirt cannot hot-plug a sound device" },
    { "memballoon", NULL, "a guest's memory balloon is made when it starts" },
};

/* Why libvirt would not hot-plug dv's element, or NULL. */
static const char *unpluggable(const struct device *dv)
{
    const char *name = (const char *)dv->node->name;
    xmlChar *type = xmlGetProp(dv->node, BAD_CAST "type");
    const char *why = "libvirt 9.0 cannot hot-plug this kind of element";
    for (size_t i = 0; i < ARRAY_LEN(pluggables); i++) {
        const struct pluggable *p = &pluggables[i];
        if (strcmp(p->element, name) == 0
            && (!p->type || (type && strcmp(p->type, (const char *)type) == 0))) {
            why = p->why_not;
            break;
        }
    }
    xmlFree(type);
    return why;
}

/* What save in mode live does: the devices to plug one by one, and the
 * groups to plug through the monitor. */
struct plug_plan {
    const struct device *single[PCI_FUNCTIONS * 4];
    size_t nsingle;
    struct group groups[8];
    size_t ngroups;
    struct strbuf refusals;   /* one "; NAME: why" per device refused */
};

/* How a device is named in messages: "interface virtio ua-hp at 01:00.0". */
static void put_device(struct strbuf *sb, const struct device *dv)
{
    sb_printf(sb, "%s%s%s", device_label(dv), dv->alias ? " " : "", dv->alias ? dv->alias : "");
    if (dv->addr_state == ADDR_PCI)
        sb_printf(sb, " at %02x:%02x.%x", dv->addr.bus, dv->addr.slot, dv->addr.function);
}

static void refuse(struct plug_plan *pp, const struct device *dv, const char *why)
{
    sb_puts(&pp->refusals, "; ");
    put_device(&pp->refusals, dv);
    sb_printf(&pp->refusals, ": %s", why);
}

static bool group_planned(const struct plug_plan *pp, const struct group *g)
{
    for (size_t i = 0; i < pp->ngroups; i++)
        if (pp->groups[i].bus == g->bus && pp->groups[i].slot == g->slot)
            return true;
    return false;
}

/* Whether a (of document da) and b (of db) are the same device of the
 * guest: the same alias where both have one (libvirt gives every device
 * of a running QEMU guest one), else the same element at the same PCI
 * address (a controller: the same type and index), else the same element
 * text (what a driver without aliases, such as libvirt's test driver,
 * gives). */
static bool same_device(const struct domain *da, const struct device *a, const struct domain *db,
                        const struct device *b)
{
    if (a->alias && b->alias)
        return strcmp(a->alias, b->alias) == 0;
    if (xmlStrcmp(a->node->name, b->node->name) != 0)
        return false;
    /* a controller is its type and index, wherever placement put it */
    if (a->ctrl_type && b->ctrl_type)
        return strcmp(a->ctrl_type, b->ctrl_type) == 0 && a->ctrl_index == b->ctrl_index;
    if (a->addr_state == ADDR_PCI || b->addr_state == ADDR_PCI)
        return a->addr_state == b->addr_state && a->addr.bus == b->addr.bus
            && a->addr.slot == b->addr.slot && a->addr.function == b->addr.function;
    char *ta = domain_serialize_element(da, a->node), *tb = domain_serialize_element(db, b->node);
    bool same = strcmp(ta, tb) == 0;
    free(ta);
    free(tb);
    return same;
}

/* Whether t (of document d) has device dv of document dvd. */
static bool has_device(const struct domain *d, const struct topology *t, const struct domain *dvd,
                       const struct device *dv)
{
    for (size_t i = 0; i < t->ndevs; i++)
        if (same_device(d, &t->devs[i], dvd, dv))
            return true;
    return false;
}

/* The guest before: its document and topology. */
struct guest {
    const struct domain *dom;
    const struct topology *topo;
};

/* Whether every member of g is new to the guest. */
static bool group_all_new(const struct session *s, const struct group *g, const struct guest *base)
{
    for (int f = 0; f < PCI_FUNCTIONS; f++)
        if (g->fn[f] && has_device(base->dom, base->topo, s->dom, g->fn[f]))
            return false;
    return true;
}

/* One device of the document the guest (base) does not have. */
static void plan_device(struct plug_plan *pp, const struct session *s, const struct guest *base,
                        const struct device *dv)
{
    const struct topology *t = s->topo;
    const char *why = unpluggable(dv);
    struct group g;
    if (why) {
        refuse(pp, dv, why);
    } else if (dv->addr_state != ADDR_PCI) {
        refuse(pp, dv, "it has no PCI address (add places it; relocate gives it one)");
    } else if (!topology_bus(t, dv->addr.bus) || !topology_bus(t, dv->addr.bus)->hotplug) {
        refuse(pp, dv, "its bus does not take hot-plugged devices");
    } else if (group_of(t, dv, &g)) {
        if (!group_all_new(s, &g, base))
            refuse(pp, dv, "its slot is a group with devices the guest has already; "
                   "QEMU plugs a multifunction slot only as a whole");
        else if (!group_planned(pp, &g) && pp->ngroups < ARRAY_LEN(pp->groups))
            pp->groups[pp->ngroups++] = g;
    } else {
        group_at(t, dv->addr.bus, dv->addr.slot, &g);
        if (g.n > 1 || dv->addr.function != 0)
            refuse(pp, dv, "it shares its slot (a multifunction slot), which libvirt 9.0 "
                   "cannot hot-plug");
        else if (pp->nsingle < ARRAY_LEN(pp->single))
            pp->single[pp->nsingle++] = dv;
        else
            refuse(pp, dv, "too many devices for one save; save some first");
    }
}

/* Fills pp from the document and the guest's XML as base.  False with e
 * set when the save must not start. */
static bool plan_plugs(const struct session *s, const struct guest *base, unsigned flags,
                       struct plug_plan *pp, struct err *e)
{
    const struct topology *t = s->topo;
    for (size_t i = 0; i < base->topo->ndevs; i++) {
        const struct device *dv = &base->topo->devs[i];
        if (!has_device(s->dom, t, base->dom, dv)) {
            sb_puts(&pp->refusals, "; ");
            put_device(&pp->refusals, dv);
            sb_puts(&pp->refusals, " is no longer in the document: save hot-plugs, it does not "
                    "unplug (virsh detach-device does; reload brings it back)");
        }
    }
    for (size_t i = 0; i < t->ndevs; i++) {
        const struct device *dv = &t->devs[i];
        if (!has_device(base->dom, base->topo, s->dom, dv))
            plan_device(pp, s, base, dv);
    }
    if (pp->refusals.len) {
        err_set(e, "save: nothing was hot-plugged into %s%s; %s", s->origin->domain,
                pp->refusals.buf, KEPT_TEXT);
        return false;
    }
    if (pp->ngroups && !(flags & ORIGIN_MONITOR)) {
        struct strbuf sb = STRBUF_INIT;
        for (size_t i = 0; i < pp->ngroups; i++) {
            char *members = group_members_text_new(&pp->groups[i]);
            sb_printf(&sb, "%s%02x:%02x (%s)", i ? ", " : "", pp->groups[i].bus, pp->groups[i].slot,
                      members);
            free(members);
        }
        err_set(e, "save: nothing was hot-plugged into %s: the host devices at %s are a multifunction "
                "group, which libvirt 9.0 cannot hot-plug. 'hotplug-xml %02x:%02x' shows the plan; "
                "'save --monitor' runs its QEMU monitor commands through libvirt, which marks the "
                "domain tainted; %s", s->origin->domain, sb.buf, pp->groups[0].bus,
                pp->groups[0].slot, KEPT_TEXT);
        sb_free(&sb);
        return false;
    }
    return true;
}

/* What may reach QEMU's monitor: the words hotplug.c builds (checked ids,
 * numbers, fixed names) and nothing that could end the command or start
 * another. */
static bool monitor_line_ok(const char *line)
{
    if (!*line)
        return false;
    for (const char *c = line; *c; c++)
        if (!(('a' <= *c && *c <= 'z') || ('A' <= *c && *c <= 'Z') || ('0' <= *c && *c <= '9')
              || strchr(" -._,=:", *c)))
            return false;
    return true;
}

/* What was plugged so far, for a failure's message. */
struct plug_log {
    struct strbuf done;     /* "ua-a at 01:00.0, ..." */
    size_t ndone;
};

static void log_done(struct plug_log *lg, struct strbuf *out, const struct device *dv, const char *how)
{
    sb_printf(&lg->done, "%s", lg->ndone++ ? ", " : "");
    put_device(&lg->done, dv);
    sb_puts(out, "hot-plugged ");
    put_device(out, dv);
    sb_printf(out, " (%s)\n", how);
}

/* A device's element, as it is sent to libvirt; caller frees. */
static char *element_new(const struct session *s, const struct device *dv)
{
    return domain_serialize_element(s->dom, dv->node);
}

/* Plugs g through the monitor (the device_add lines of hotplug-xml's
 * hotplug.hmp, function 0 last), then adds each function to the
 * definition (attach --config, in the same order). */
static bool plug_group(const struct session *s, const struct group *g, struct plug_log *lg,
                       struct strbuf *out, struct err *e)
{
    struct origin *o = s->origin;
    struct hotplug_set *h = hotplug_set_new(s, g, NULL, e);
    if (!h)
        return false;
    char *lines = xstrdup(hotplug_set_text(h, "hotplug.hmp"));
    bool ok = true;
    struct err why ERR_SCOPE = ERR_INIT;
    for (char *line = lines, *next; ok && line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (!monitor_line_ok(line)) {
            err_set(e, "monitor command for %02x:%02x refused before sending: it is not made of ids and numbers alone",
                    g->bus, g->slot);
            ok = false;
            break;
        }
        char *reply = virt_monitor_new(o->conn, o->domain, line, &why);
        if (!reply || *reply) {
            /* QEMU's words reach the terminal: control characters shown */
            char *said = visible_new(xstrdup(reply ? reply : why.msg));
            err_set(e, "QEMU refused '%s': %s", line, said);
            free(said);
            ok = false;
        } else {
            sb_printf(out, "monitor: %s\n", line);
        }
        free(reply);
    }
    free(lines);
    hotplug_set_free(h);
    /* the definition: what 'virsh attach-device --config' of each file does */
    const struct device *order[PCI_FUNCTIONS];
    int n = 0;
    for (int f = 1; f < PCI_FUNCTIONS; f++)
        if (g->fn[f])
            order[n++] = g->fn[f];
    order[n++] = g->fn[0];
    for (int i = 0; ok && i < n; i++) {
        char *xml = element_new(s, order[i]);
        ok = virt_attach(o->conn, o->domain, xml, VIRT_CONFIG, &why);
        free(xml);
        if (!ok)
            err_set(e, "the guest has the group at %02x:%02x, but its definition refused %s: %s",
                    g->bus, g->slot, order[i]->alias, why.msg);
        else
            log_done(lg, out, order[i], "through QEMU's monitor, and into the definition");
    }
    return ok;
}

bool origin_hotplug(struct session *s, unsigned flags, struct strbuf *out, struct strbuf *note,
                    struct err *e)
{
    struct origin *o = s->origin;
    size_t changed;
    struct strbuf diff = STRBUF_INIT;
    /* the stale check: the guest as mode live read it, or -f */
    bool ok = origin_preview(s, flags & ORIGIN_FORCE, &diff, &changed, e);
    if (!ok && diff.len)
        sb_add(out, diff.buf, diff.len);
    sb_free(&diff);
    if (!ok)
        return false;
    struct domain *bd = load_stored_new(o, o->running, e);
    struct topology *base = bd ? topology_new(bd, e) : NULL;
    if (!base) {
        domain_free(bd);
        return false;
    }
    struct plug_plan pp = { .refusals = STRBUF_INIT };
    struct plug_log lg = { .done = STRBUF_INIT };
    /* before the goto: its cleanup runs at the end of the scope */
    struct err why ERR_SCOPE = ERR_INIT;
    const struct device *failed = NULL;
    ok = plan_plugs(s, &(struct guest){ bd, base }, flags, &pp, e);
    if (!ok)
        goto out;
    if (!pp.nsingle && !pp.ngroups) {
        sb_printf(note, "nothing to hot-plug: the running guest %s has every device of the document",
                  o->domain);
        goto out;
    }
    for (size_t i = 0; ok && i < pp.nsingle; i++) {
        char *xml = element_new(s, pp.single[i]);
        ok = virt_attach(o->conn, o->domain, xml, VIRT_LIVE | VIRT_CONFIG, &why);
        free(xml);
        if (ok)
            log_done(&lg, out, pp.single[i], "into the running guest and its definition");
        else
            failed = pp.single[i];
    }
    if (ok && pp.ngroups)
        sb_printf(out, "QEMU monitor passthrough: libvirt marks %s tainted (custom-monitor), and does "
                  "not know of the devices added this way until the guest restarts\n", o->domain);
    for (size_t i = 0; ok && i < pp.ngroups; i++)
        ok = plug_group(s, &pp.groups[i], &lg, out, &why);
    if (!ok) {
        struct strbuf sb = STRBUF_INIT;
        if (failed) {
            sb_puts(&sb, "save: libvirt did not hot-plug ");
            put_device(&sb, failed);
            sb_printf(&sb, ": %s", why.msg);
        } else {
            sb_printf(&sb, "save: %s", why.msg);
        }
        if (lg.ndone)
            sb_printf(&sb, "; hot-plugged before it, and staying: %s", lg.done.buf);
        else
            sb_puts(&sb, "; nothing was hot-plugged");
        err_set(e, "%s; the document keeps every device (save again plugs the rest), and %s",
                sb.buf, KEPT_TEXT);
        sb_free(&sb);
    }
    /* what libvirt has now is the new baseline, so a second save plugs
     * only what is still missing */
    char *now = lg.ndone ? current_new(o, &why) : NULL;
    char *stored = lg.ndone ? virt_domain_xml_new(o->conn, o->domain, false, &why) : NULL;
    if (stored) {
        free(o->stored);
        o->stored = stored;
    }
    if (now) {
        free(o->running);
        o->running = now;
        if (ok) {
            struct domain *d = load_stored_new(o, now, &why);
            if (!d || !session_adopt(s, d, "save (the running guest after the hot-plugs)", &why)) {
                session_mark_saved(s);
                sb_printf(note, "the guest's XML after them does not load here (%s); ", why.msg);
            }
        }
    }
    if (ok)
        sb_printf(note, "hot-plugged %zu device%s into %s on %s; the document is the guest as libvirt "
                  "has it now", lg.ndone, lg.ndone == 1 ? "" : "s", o->domain, virt_conn_uri(o->conn));
out:
    sb_free(&pp.refusals);
    sb_free(&lg.done);
    topology_free(base);
    domain_free(bd);
    return ok;
}
