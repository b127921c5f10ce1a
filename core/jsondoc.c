#include "config.h"
#include "jsondoc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "place.h"
#include "spare.h"
#include "tree.h"

/* Starts a document: the schema first, so that a consumer can check it
 * before reading on. */
static void begin_doc(struct json *j, struct strbuf *out, const char *command)
{
    json_init(j, out);
    json_begin_object(j);
    json_kv_string(j, "schema", JSONDOC_SCHEMA);
    json_kv_string(j, "command", command);
}

/* Ends it.  A writer bug (calls out of place) would be ours, never the
 * input's: it aborts, so that no test can pass on broken JSON. */
static void end_doc(struct json *j)
{
    json_end_object(j);
    if (!json_finish(j)) {
        fprintf(stderr, "pcitopo: internal error: --json wrote an incomplete document\n");
        abort();
    }
}

/* A number that may be absent: null for -1 (and below). */
static void kv_index(struct json *j, const char *key, long v)
{
    if (v < 0)
        json_kv_null(j, key);
    else
        json_kv_int(j, key, v);
}

static void put_domain(struct json *j, const struct session *s)
{
    const struct topology *t = s->topo;
    json_key(j, "domain");
    json_begin_object(j);
    json_kv_string(j, "name", t->name);
    json_kv_string(j, "source", s->dom->name);
    json_kv_string(j, "machine", t->machine_name);
    json_kv_string(j, "machine_type", t->mach->name);
    json_kv_string(j, "arch", t->mach->arch);
    json_end_object(j);
}

static void put_address(struct json *j, const char *key, const struct pci_addr *a)
{
    char bdf[32];
    snprintf(bdf, sizeof bdf, "%02x:%02x.%x", a->bus, a->slot, a->function);
    json_key(j, key);
    json_begin_object(j);
    json_kv_int(j, "domain", a->domain);
    json_kv_int(j, "bus", a->bus);
    json_kv_int(j, "slot", a->slot);
    json_kv_int(j, "function", a->function);
    json_kv_string(j, "bdf", bdf);
    json_end_object(j);
}

static const char *const addr_state_names[] = {
    [ADDR_NONE] = "none", [ADDR_UNSET] = "unset", [ADDR_PCI] = "pci", [ADDR_OTHER] = "other",
    [ADDR_BAD] = "bad",
};

/* A device of the document: what names it, and its address as written. */
static void put_device(struct json *j, const char *key, const struct device *dv)
{
    json_key(j, key);
    if (!dv) {
        json_null(j);
        return;
    }
    json_begin_object(j);
    json_kv_string(j, "alias", dv->alias);
    json_kv_string(j, "label", device_label(dv));
    json_kv_string(j, "element", (const char *)dv->node->name);
    json_kv_string(j, "model", dv->model);
    kv_index(j, "line", dv->line > 0 ? dv->line : -1);
    json_kv_string(j, "address_state", addr_state_names[dv->addr_state]);
    if (dv->addr_state == ADDR_PCI)
        put_address(j, "address", &dv->addr);
    else
        json_kv_null(j, "address");
    kv_index(j, "provides_bus", dv->index);
    json_end_object(j);
}

void jsondoc_spare(struct strbuf *out, const struct session *s)
{
    struct json j;
    struct err why ERR_SCOPE = ERR_INIT;
    struct spare sp = spare_placed(s->topo, &why);
    begin_doc(&j, out, "spare");
    put_domain(&j, s);
    json_key(&j, "spare");
    json_begin_object(&j);
    json_kv_int(&j, "pcie", sp.pcie);
    json_kv_int(&j, "pci", sp.pci);
    json_end_object(&j);
    json_kv_string(&j, "counted_on", why.set ? "as_written" : "placed");
    json_kv_string(&j, "refusal", why.set ? why.msg : NULL);
    end_doc(&j);
}

static const char *const severity_names[] = {
    [PROBLEM_REFUSAL] = "refusal", [PROBLEM_AT_START] = "at_start", [PROBLEM_NOTE] = "note",
    [PROBLEM_WARNING] = "warning",
};

static void put_problem(struct json *j, const struct problem *p)
{
    json_begin_object(j);
    json_kv_string(j, "severity", severity_names[p->severity]);
    put_device(j, "device", p->dev);
    json_kv_string(j, "element", p->node ? (const char *)p->node->name : NULL);
    kv_index(j, "line", p->line > 0 ? p->line : -1);
    json_kv_string(j, "message", p->msg);
    json_kv_string(j, "hint", p->hint);
    json_kv_string(j, "text", p->text);
    json_kv_string(j, "code", p->code);
    json_end_object(j);
}

static void put_problem_counts(struct json *j, int refusals, int at_start, int notes, int warnings)
{
    json_begin_object(j);
    json_kv_int(j, "total", refusals + at_start);
    json_kv_int(j, "refusals", refusals);
    json_kv_int(j, "at_start", at_start);
    json_kv_int(j, "notes", notes);
    json_kv_int(j, "warnings", warnings);
    json_end_object(j);
}

void jsondoc_check(struct strbuf *out, const struct session *s, const struct problem_list *l)
{
    struct json j;
    begin_doc(&j, out, "check");
    put_domain(&j, s);
    json_kv_bool(&j, "accepted", problems_count(l) == 0);
    json_key(&j, "counts");
    put_problem_counts(&j, l->refusals, l->at_start, problems_notes(l), l->warnings);
    json_key(&j, "problems");
    json_begin_array(&j);
    for (size_t i = 0; i < l->n; i++)
        put_problem(&j, &l->p[i]);
    json_end_array(&j);
    end_doc(&j);
}

static const char *const role_names[] = {
    [ROLE_HEADING] = "heading", [ROLE_ROOT] = "root", [ROLE_CONTROLLER] = "controller",
    [ROLE_ENDPOINT] = "device", [ROLE_CHIPSET] = "chipset", [ROLE_EMPTY] = "empty",
    [ROLE_SLOT] = "slot", [ROLE_PROBLEM] = "problem",
};

/* The slot and function a line stands for, -1 where it has none. */
static void line_slot(const struct tree_line *l, int *slot, int *fn)
{
    *slot = *fn = -1;
    if (l->dev && l->role != ROLE_ROOT && l->dev->addr_state == ADDR_PCI) {
        *slot = (int)l->dev->addr.slot;
        *fn = (int)l->dev->addr.function;
    } else if (l->role == ROLE_EMPTY || l->role == ROLE_SLOT) {
        *slot = l->slot_first;
    } else if (l->role == ROLE_CHIPSET) {
        *slot = l->slot;
        *fn = l->function;
    }
}

/* One line of the tree, its children still to come. */
static void open_node(struct json *j, const struct topology *t, const struct tree_line *l)
{
    int slot, fn;
    line_slot(l, &slot, &fn);
    /* the root line is on the bus it provides; every other line on its
     * parent's */
    const struct bus *on = l->bus >= 0 ? topology_bus(t, (unsigned)l->bus) : NULL;
    json_begin_object(j);
    json_kv_string(j, "role", role_names[l->role]);
    json_kv_string(j, "text", l->text);
    kv_index(j, "bus", on ? l->bus : -1);
    kv_index(j, "slot", slot);
    kv_index(j, "function", fn);
    if (on && l->role != ROLE_HEADING)
        json_kv_bool(j, "hotplug", on->hotplug);
    else
        json_kv_null(j, "hotplug");
    kv_index(j, "provides_bus", l->own_bus);
    put_device(j, "device", l->dev);
    json_key(j, "children");
    json_begin_array(j);
}

static void close_node(struct json *j)
{
    json_end_array(j);
    json_end_object(j);
}

void jsondoc_tree(struct strbuf *out, const struct session *s, enum tree_numbers how)
{
    /* every empty slot its own node: a consumer counts slots, not runs */
    unsigned char every_bus[PCI_BUSES / 8];
    memset(every_bus, 0xff, sizeof every_bus);
    struct tree *tr = tree_new_numbered(s->topo, every_bus, how);
    struct json j;
    begin_doc(&j, out, "tree");
    put_domain(&j, s);
    json_key(&j, "tree");
    json_begin_array(&j);
    /* the depths of the open nodes: a line closes those at its depth or
     * deeper, then opens its own */
    int *open = xcalloc(tr->n ? tr->n : 1, sizeof *open);
    size_t nopen = 0;
    for (size_t i = 0; i < tr->n; i++) {
        const struct tree_line *l = &tr->lines[i];
        while (nopen && open[nopen - 1] >= l->depth) {
            close_node(&j);
            nopen--;
        }
        open_node(&j, s->topo, l);
        open[nopen++] = l->depth;
    }
    while (nopen--)
        close_node(&j);
    free(open);
    json_end_array(&j);
    end_doc(&j);
    tree_free(tr);
}

void jsondoc_explain(struct strbuf *out, const struct session *s, const struct explanation *x)
{
    struct json j;
    begin_doc(&j, out, "explain");
    put_domain(&j, s);
    put_device(&j, "device", x->dev);
    json_kv_bool(&j, "added", x->added);
    json_kv_string(&j, "element", x->element);
    json_kv_string(&j, "model", x->model);
    if (x->has_addr)
        put_address(&j, "address", &x->addr);
    else
        json_kv_null(&j, "address");
    if (x->hotplug < 0)
        json_kv_null(&j, "hotplug");
    else
        json_kv_bool(&j, "hotplug", x->hotplug);
    json_key(&j, "sections");
    json_begin_array(&j);
    for (size_t i = 0; i < x->n; i++) {
        json_begin_object(&j);
        json_kv_string(&j, "topic", x->sec[i].topic);
        json_kv_string(&j, "text", x->sec[i].text);
        json_end_object(&j);
    }
    json_end_array(&j);
    json_kv_string(&j, "text", x->text);
    end_doc(&j);
}

static void put_adds(struct json *j, const struct report_row *row)
{
    json_key(j, "adds");
    json_begin_object(j);
    kv_index(j, "controllers", row->adds);
    json_key(j, "models");
    json_begin_array(j);
    for (size_t i = 0; i < row->nadd_models; i++) {
        json_begin_object(j);
        json_kv_string(j, "model", row->add_models[i].model);
        json_kv_int(j, "count", row->add_models[i].count);
        json_end_object(j);
    }
    json_end_array(j);
    json_kv_string(j, "refusal", row->refusal);
    json_end_object(j);
}

static void put_row(struct json *j, const struct report_row *row)
{
    json_begin_object(j);
    json_kv_string(j, "host", row->host);
    json_kv_string(j, "name", row->name);
    json_kv_string(j, "state", row->state);
    json_kv_string(j, "error", row->error);
    json_kv_string(j, "domain", row->domain);
    json_kv_string(j, "machine", row->machine);
    json_kv_string(j, "machine_type", row->machine_type);
    json_kv_string(j, "arch", row->arch);
    if (row->error) {
        json_kv_null(j, "spare");
        json_kv_null(j, "counted_on");
        json_kv_null(j, "problems");
        json_kv_null(j, "adds");
    } else {
        json_key(j, "spare");
        json_begin_object(j);
        json_kv_int(j, "pcie", row->spare.pcie);
        json_kv_int(j, "pci", row->spare.pci);
        json_end_object(j);
        json_kv_string(j, "counted_on", row->spare_as_written ? "as_written" : "placed");
        json_key(j, "problems");
        put_problem_counts(j, row->refusals, row->at_start, row->notes, row->warnings);
        put_adds(j, row);
    }
    json_end_object(j);
}

void jsondoc_report(struct strbuf *out, const struct report *r)
{
    struct json j;
    begin_doc(&j, out, "report");
    json_key(&j, "counts");
    json_begin_object(&j);
    json_kv_int(&j, "domains", (long long)r->n);
    json_kv_int(&j, "errors", r->errors);
    json_kv_int(&j, "with_problems", r->with_problems);
    json_end_object(&j);
    json_key(&j, "domains");
    json_begin_array(&j);
    for (size_t i = 0; i < r->n; i++)
        put_row(&j, &r->rows[i]);
    json_end_array(&j);
    end_doc(&j);
}

/* A number pci.ids names: {"id": 6900, "name": "Red Hat, Inc."}. */
static void put_named(struct json *j, const char *key, unsigned id, const char *name)
{
    json_key(j, key);
    json_begin_object(j);
    json_kv_int(j, "id", id);
    json_kv_string(j, "name", name);
    json_end_object(j);
}

static void put_guest_address(struct json *j, const struct guest_fn *f)
{
    if (f->bus < 0) {
        json_kv_null(j, "guest_address");
        return;
    }
    char bdf[32];
    snprintf(bdf, sizeof bdf, "0000:%02x:%02x.%x", f->bus, f->slot, f->function);
    json_key(j, "guest_address");
    json_begin_object(j);
    json_kv_int(j, "domain", 0);
    json_kv_int(j, "bus", f->bus);
    json_kv_int(j, "slot", f->slot);
    json_kv_int(j, "function", f->function);
    json_kv_string(j, "bdf", bdf);
    json_end_object(j);
}

static const char *fn_origin(const struct guest_fn *f)
{
    if (f->chipset)
        return "chipset";
    if (f->inner_bridge)
        return "expander_bridge";
    return f->dev ? "document" : "libvirt";
}

static void put_lspci_row(struct json *j, const struct lspci_row *r)
{
    const struct guest_fn *f = r->fn;
    json_begin_object(j);
    put_guest_address(j, f);
    json_kv_string(j, "state", guest_state_name(f->state));
    json_kv_string(j, "why", r->why);
    json_kv_string(j, "name", r->name);
    struct strbuf line = STRBUF_INIT;
    lspci_put_line(&line, r);
    json_kv_string(j, "text", line.buf);
    sb_free(&line);
    if (r->known) {
        put_named(j, "class", r->ids.class_code, pciid_class_name(r->ids.class_code));
        put_named(j, "vendor", r->ids.vendor, pciid_vendor_name(r->ids.vendor));
        put_named(j, "device_id", r->ids.device, pciid_device_name(r->ids.vendor, r->ids.device));
    } else {
        json_kv_null(j, "class");
        json_kv_null(j, "vendor");
        json_kv_null(j, "device_id");
    }
    json_kv_string(j, "qemu_device", r->qemu);
    json_kv_string(j, "origin", fn_origin(f));
    json_kv_bool(j, "placed", f->placed);
    if (f->has_xml)
        put_address(j, "xml_address", &f->xml);
    else
        json_kv_null(j, "xml_address");
    put_device(j, "device", f->inner_bridge ? f->expander : f->dev);
    json_end_object(j);
}

void jsondoc_lspci(struct strbuf *out, const struct session *s, const struct lspci *l)
{
    struct json j;
    begin_doc(&j, out, "lspci");
    put_domain(&j, s);
    json_kv_string(&j, "firmware", l->g->firmware == FW_SEABIOS ? "seabios" : NULL);
    json_kv_bool(&j, "uefi", l->uefi);
    json_kv_bool(&j, "firmware_hangs", l->g->firmware_hangs);
    json_kv_bool(&j, "placed", l->g->placed);
    json_kv_string(&j, "placement_refusal", l->refusal);
    json_key(&j, "counts");
    json_begin_object(&j);
    json_kv_int(&j, "functions", (long long)l->n);
    json_kv_int(&j, "seen", (long long)l->nseen);
    json_end_object(&j);
    json_key(&j, "buses");
    json_begin_array(&j);
    for (unsigned b = 0; b < PCI_BUSES; b++) {
        const struct guest_bus *gb = &l->g->bus[b];
        if (!gb->exists)
            continue;
        char *why = guest_bus_why_new(l->g, b);
        json_begin_object(&j);
        json_kv_int(&j, "index", b);
        kv_index(&j, "number", gb->number);
        json_kv_string(&j, "state", guest_state_name(gb->state));
        json_kv_string(&j, "why", why);
        kv_index(&j, "busnr", gb->root_number);
        json_end_object(&j);
        free(why);
    }
    json_end_array(&j);
    json_key(&j, "functions");
    json_begin_array(&j);
    for (size_t i = 0; i < l->n; i++)
        put_lspci_row(&j, &l->rows[i]);
    json_end_array(&j);
    end_doc(&j);
}
