/* stable-guest (issue 24): bridges placement adds go where the guest's
 * firmware numbers them after every bus it has, so no device the guest
 * has gets a new guest address; without it placement is libvirt's to
 * the byte.  The inputs are tests/golden/stable (README.md there): gaps
 * before existing bridges on q35 and pc, behind a pcie-expander-bus, and
 * spare-ports.  Each change is made with stable-guest on, where every
 * device the guest had keeps its guest address, and off, where the
 * document is the default engine's and libvirt's choice does renumber
 * (so each case tests something). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "complete.h"
#include "guestbus.h"
#include "lspci.h"
#include "place.h"
#include "renumber.h"
#include "tap.h"
#include "testutil.h"

/* A device the guest has, by the address the document gives it (which
 * placement never changes), and where the guest sees it. */
struct seen {
    struct pci_addr xml;
    enum guest_state state;
    int bus;
    unsigned slot, fn;
};

struct seen_list {
    struct seen *s;
    size_t n;
};

static struct seen_list seen_of(const struct topology *t, const struct guestbus *g)
{
    struct seen_list l = { xcalloc(t->ndevs + 1, sizeof *l.s), 0 };
    for (size_t i = 0; i < t->ndevs; i++) {
        const struct device *dv = &t->devs[i];
        const struct guest_fn *f = guestbus_of(g, dv);
        if (dv->addr_state != ADDR_PCI || !f)
            continue;
        l.s[l.n++] = (struct seen){ dv->addr, f->state, f->bus, f->slot, f->function };
    }
    return l;
}

static bool same_xml(const struct pci_addr *a, const struct pci_addr *b)
{
    return a->bus == b->bus && a->slot == b->slot && a->function == b->function;
}

/* How many devices the guest saw in before have another guest address
 * (or are no longer seen) in after; each one a TAP comment. */
static int moved(const struct seen_list *before, const struct seen_list *after)
{
    int n = 0;
    for (size_t i = 0; i < before->n; i++) {
        const struct seen *b = &before->s[i];
        if (b->state != GUEST_SEEN)
            continue;
        const struct seen *a = NULL;
        for (size_t j = 0; j < after->n && !a; j++)
            if (same_xml(&after->s[j].xml, &b->xml))
                a = &after->s[j];
        if (a && a->state == b->state && a->bus == b->bus && a->slot == b->slot && a->fn == b->fn)
            continue;
        n++;
        if (a)
            diag("  xml %02x:%02x.%x: guest %02x:%02x.%x -> %02x:%02x.%x", b->xml.bus, b->xml.slot,
                 b->xml.function, b->bus, b->slot, b->fn, a->bus, a->slot, a->fn);
        else
            diag("  xml %02x:%02x.%x: gone", b->xml.bus, b->xml.slot, b->xml.function);
    }
    return n;
}

static struct session *run_new(const char *stem, const char *line, char **bytes)
{
    struct session *s = tu_open_golden("stable", stem);
    struct err e ERR_SCOPE = ERR_INIT;
    if (s && line && !tu_run(s, line, &e, NULL, 0)) {
        diag("%s: %s: %s", stem, line, e.msg);
        session_free(s);
        return NULL;
    }
    if (s && bytes)
        *bytes = tu_bytes(s);
    return s;
}

/* The address of the controller with that index, or all ones. */
static struct pci_addr ctrl_addr(const struct topology *t, int index)
{
    for (size_t i = 0; i < t->ndevs; i++)
        if (t->devs[i].index == index)
            return t->devs[i].addr;
    return (struct pci_addr){ 0, 0xff, 0xff, 7, -1 };
}

/* One case: stem opened, setup run (NULL: none), then change run, with
 * stable-guest on and off.  On, no device the guest had moves, and the
 * controller with index idx (-1: not checked) sits at want_on; off, it
 * sits at want_off, some device moves (libvirt renumbers), and the
 * document is byte for byte the one the default engine makes (the same
 * lines without ever setting stable-guest). */
static void check_case(const char *what, const char *stem, const char *setup, const char *change,
                       int idx, const char *want_on, const char *want_off)
{
    for (int on = 1; on >= 0; on--) {
        char line[512], plain[512];
        snprintf(line, sizeof line, "stable-guest yes%s%s%s", setup ? "; " : "", setup ? setup : "",
                 on ? "" : "; stable-guest no");
        struct session *s = run_new(stem, line, NULL);
        ok(s != NULL, "%s: %s opens and runs '%s'", what, stem, line);
        if (!s)
            continue;
        struct guestbus *g0 = guestbus_new(s->topo);
        struct seen_list before = seen_of(s->topo, g0);
        guestbus_free(g0);
        struct err e ERR_SCOPE = ERR_INIT;
        bool done = tu_run(s, change, &e, NULL, 0);
        ok(done, "%s: stable-guest %s: %s", what, on ? "yes" : "no", change);
        if (!done)
            diag("%s", e.msg);
        char *refusal = NULL;
        struct guestbus *g1 = lspci_guestbus_new(s->topo, &refusal);
        ok(!refusal, "%s: nothing left to place", what);
        free(refusal);
        struct seen_list after = seen_of(s->topo, g1);
        guestbus_free(g1);
        int n = moved(&before, &after);
        if (on)
            is_int(n, 0, "%s: stable-guest yes: every device keeps its guest address", what);
        else
            ok(n > 0, "%s: stable-guest no: libvirt's placement renumbers (%d devices)", what, n);
        if (idx >= 0) {
            struct pci_addr a = ctrl_addr(s->topo, idx);
            char at[16];
            snprintf(at, sizeof at, "%02x:%02x.%x", a.bus, a.slot, a.function);
            is_str(at, on ? want_on : want_off, "%s: stable-guest %s: the new bridge (index %d) at %s",
                   what, on ? "yes" : "no", idx, on ? want_on : want_off);
        }
        if (!on) {
            char *got = tu_bytes(s);
            snprintf(plain, sizeof plain, "%s%s%s", setup ? "stable-guest yes; " : "",
                     setup ? setup : "", setup ? "; stable-guest no; " : "");
            strncat(plain, change, sizeof plain - strlen(plain) - 1);
            char *want = NULL;
            struct session *d = run_new(stem, plain, &want);
            ok(d && want && strcmp(got, want) == 0,
               "%s: stable-guest no: the document is the default engine's, byte for byte", what);
            session_free(d);
            free(want);
            free(got);
        }
        free(before.s);
        free(after.s);
        session_free(s);
    }
}

static void test_cases(void)
{
    /* a port deleted from function 2 of slot 2: libvirt seats the NIC's
     * new port in the gap */
    check_case("q35, gap in function 2", "01-q35-gap-function", NULL, "place", 7, "00:02.7", "00:02.2");
    check_case("q35, free slot between ports", "02-q35-gap-slot", NULL, "place", 11, "00:04.2", "00:03.0");
    check_case("pc, pci-bridge in a free slot", "03-pc-bridge-gap", NULL, "place", 3, "00:07.0", "00:02.0");
    check_case("q35, root port behind a pxb-pcie", "04-q35-pxb-gap", NULL, "place", 4, "01:02.1", "01:00.1");
    /* the gaps stay when stable-guest placed the domain: later changes */
    check_case("q35, add with a gap", "02-q35-gap-slot", "place", "add virtio-net", 12, "00:04.3",
               "00:03.0");
    check_case("q35, add e1000 (root port and pcie-to-pci-bridge)", "01-q35-gap-function", "place",
               "add e1000", 8, "00:03.0", "00:02.2");
    check_case("q35, add pcie-root-port", "02-q35-gap-slot", "place", "add pcie-root-port", 12,
               "00:04.3", "00:03.0");
    check_case("q35, spare-ports into gaps", "01-q35-gap-function", "place", "spare-ports 3", 10,
               "00:03.2", "00:03.1");
    check_case("pc, add pci-bridge", "03-pc-bridge-gap", "place", "add pci-bridge", 4, "00:08.0",
               "00:02.0");
    check_case("q35 pxb-pcie, add numa=0", "04-q35-pxb-gap", "place", "add virtio-net numa=0", 5,
               "01:02.2", "01:00.1");
    check_case("q35, switch downstream port", "05-q35-switch-tail", NULL, "place", 5, "02:03.0",
               "02:01.0");
    check_case("q35, add a downstream port", "05-q35-switch-tail", "place",
               "add pcie-switch-downstream-port", 6, "02:04.0", "02:01.0");
}

/* A switch followed by a root port: every place for a downstream port
 * comes before that port's bus in the walk, so there is none that keeps
 * the numbers, and libvirt's choice stays; renumber says what moves. */
static void test_fallback(void)
{
    struct session *s = tu_open_golden("stable", "fallback-q35-switch-mid");
    ok(s != NULL, "fallback-q35-switch-mid opens");
    if (!s)
        return;
    struct renumber r = renumber_of(s->topo);
    ok(r.known && r.adds_bridges, "fallback: placement seats a downstream port");
    is_int(r.libvirt_moves, 2, "fallback: libvirt's renumbers the NICs behind 02:02.0 and 00:02.1");
    is_int(r.stable_moves, 2, "fallback: so does stable-guest's");
    ok(!r.differs, "fallback: the two placements are the same");
    renumber_free(&r);
    char *note = renumber_note_new(s->topo);
    is_str(note, "libvirt's placement renumbers 2 devices; with stable-guest yes 2 still move (no free place after the last bridge)",
           "fallback: the preview's line");
    free(note);
    struct err e ERR_SCOPE = ERR_INIT;
    const struct device *dp = NULL;
    for (size_t i = 0; i < s->topo->ndevs; i++)
        if (s->topo->devs[i].index == 6)
            dp = &s->topo->devs[i];
    ok(tu_run(s, "stable-guest yes", &e, NULL, 0), "stable-guest yes");
    for (size_t i = 0; i < s->topo->ndevs; i++)
        if (s->topo->devs[i].index == 6)
            dp = &s->topo->devs[i];
    struct strbuf trace = STRBUF_INIT;
    struct plan *p = dp ? place_traced(s->topo, dp, &trace, &e) : NULL;
    const struct plan_item *it = p ? plan_bus_controller(p, 6) : NULL;
    ok(it && it->addr.bus == 2 && it->addr.slot == 1, "fallback: the port goes to libvirt's 02:01.0");
    has_str(trace.buf, "stable-guest: no free place after the last bridge takes it; libvirt's 02:01.0 stays",
            "fallback: the trace says why");
    plan_free(p);
    sb_free(&trace);
    session_free(s);
}

/* renumber.h: what a preview says about placing a topology. */
static void test_renumber_api(void)
{
    struct session *s = tu_open_golden("stable", "02-q35-gap-slot");
    ok(s != NULL, "02 opens");
    if (!s)
        return;
    struct renumber r = renumber_of(s->topo);
    ok(r.known && r.adds_bridges, "renumber: placement adds a bridge");
    is_int(r.libvirt_moves, 2, "renumber: libvirt's placement renumbers the two NICs behind 00:04");
    is_int(r.stable_moves, 0, "renumber: stable-guest's renumbers nothing");
    ok(r.differs, "renumber: the two placements differ");
    ok(r.moved && r.moved[0] && r.moved[0]->addr_state == ADDR_PCI, "renumber: the moved devices are listed");
    renumber_free(&r);
    /* the two plans: the new port's address */
    const struct plan *lv = place_plan_variant_shared(s->topo, false);
    const struct plan *st = place_plan_variant_shared(s->topo, true);
    struct err e ERR_SCOPE = ERR_INIT;
    ok(lv && lv == place_plan_shared(s->topo, &e, NULL), "the variant with t's own setting is place_plan_shared's plan");
    ok(st && st == place_plan_variant_shared(s->topo, true), "the other is made once");
    const struct plan_item *a = lv ? plan_bus_controller(lv, 11) : NULL, *b = st ? plan_bus_controller(st, 11) : NULL;
    ok(a && a->addr.slot == 3 && b && b->addr.slot == 4 && b->addr.function == 2,
       "libvirt's port at 00:03.0, the stable one at 00:04.2");
    if (b)
        has_str(b->why, "after the last bridge so guest numbers stay", "its why says so");
    char *note = renumber_note_new(s->topo);
    is_str(note, "libvirt's placement renumbers 2 devices; with stable-guest yes nothing moves",
           "the preview's line");
    free(note);
    ok(tu_run(s, "stable-guest yes", &e, NULL, 0), "stable-guest yes");
    note = renumber_note_new(s->topo);
    is_str(note, "stable-guest yes: libvirt's placement would renumber 2 devices; nothing moves",
           "the preview's line with the setting on");
    free(note);
    session_free(s);

    /* an endpoint into an existing empty port renumbers nothing, and
     * costs no second placement */
    s = tu_open_golden("stable", "02-q35-gap-slot");
    ok(s && tu_run(s, "delete ua-net10", &e, NULL, 0), "02 without ua-net10: port 0a empty");
    if (!s)
        return;
    r = renumber_of(s->topo);
    ok(r.known && !r.adds_bridges && r.libvirt_moves == 0 && r.stable_moves == 0,
       "renumber: no bridge added, nothing moves");
    renumber_free(&r);
    note = renumber_note_new(s->topo);
    ok(note == NULL, "no line for the preview");
    free(note);
    session_free(s);
}

/* explain's trace says why the slot was taken. */
static void test_explain_trace(void)
{
    struct session *s = tu_open_golden("stable", "02-q35-gap-slot");
    struct err e ERR_SCOPE = ERR_INIT;
    ok(s && tu_run(s, "stable-guest yes; place; add pcie-root-port alias=ua-port", &e, NULL, 0)
       && tu_run(s, "stable-guest yes", &e, NULL, 0), "02 placed, with a port added");
    if (!s)
        return;
    char out[4096] = "";
    /* the port has its address now: remove it so that placement chooses */
    const struct device *dv = topology_find_alias(s->topo, "ua-port");
    ok(dv != NULL, "the port is found by its alias");
    if (dv) {
        xmlNodePtr addr = NULL;
        for (xmlNodePtr c = dv->node->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "address") == 0)
                addr = c;
        xmlUnlinkNode(addr);
        xmlFreeNode(addr);
        ok(session_refresh(s, &e), "refreshed");
        ok(tu_run(s, "explain ua-port", &e, out, sizeof out), "explain ua-port");
        has_str(out, "after the last bridge so guest numbers stay", "explain: why here");
        has_str(out, "stable-guest: libvirt's 00:03.0 comes before bridges the guest numbers already",
                "explain: the trace names libvirt's choice");
    }
    session_free(s);

    /* a port placement adds for a NIC: the bus's sentence says so */
    s = tu_open_golden("stable", "02-q35-gap-slot");
    out[0] = 0;
    ok(s && tu_run(s, "stable-guest yes; explain ua-net20", &e, out, sizeof out), "explain ua-net20");
    has_str(out, "plugged into slot 00:04.2 of the pcie-root (the root complex) (stable-guest: after the last bridge so guest numbers stay; libvirt would put it at 00:03.0)",
            "explain: the new port's seat, why, and libvirt's");
    session_free(s);
}

/* The setting itself: metadata, command, refusals. */
static void test_setting(void)
{
    struct session *s = tu_open_golden("stable", "01-q35-gap-function");
    struct err e ERR_SCOPE = ERR_INIT;
    char out[512] = "";
    ok(s && tu_run(s, "stable-guest", &e, out, sizeof out), "stable-guest prints the setting");
    has_str(out, "stable-guest no", "...no by default");
    ok(s && tu_run(s, "stable-guest yes", &e, NULL, 0) && s->topo->policy.stable_guest, "stable-guest yes sets it");
    char *bytes = s ? tu_bytes(s) : NULL;
    has_str(bytes, "<pcitopo:domain stable-guest='yes'/>", "...in the metadata");
    free(bytes);
    ok(s && tu_run(s, "policy", &e, out, sizeof out), "policy");
    has_str(out, "stable-guest yes", "policy prints it with the others");
    ok(s && tu_run(s, "stable-guest no", &e, NULL, 0) && !s->topo->policy.stable_guest, "stable-guest no");
    bytes = s ? tu_bytes(s) : NULL;
    ok(bytes && !strstr(bytes, "pcitopo:"), "...and the metadata is gone again");
    free(bytes);
    struct completion *c = complete_line("stable-guest ", 13, s);
    ok(c && c->n == 2 && strcmp(c->words[0], "no") == 0 && strcmp(c->words[1], "yes") == 0,
       "Tab after stable-guest offers no and yes");
    completion_free(c);
    c = complete_line("stab", 4, s);
    ok(c && c->n == 1 && strcmp(c->words[0], "stable-guest") == 0, "Tab completes the command");
    completion_free(c);
    ok(s && !tu_run(s, "stable-guest maybe", &e, NULL, 0), "stable-guest maybe is refused");
    has_str(e.msg, "use yes", "...saying what to use");
    session_free(s);
    err_clear(&e);
    s = tu_open_text("<domain type='kvm'><name>x</name><metadata>"
                     "<p:placement xmlns:p='https://pcitopo.dev/xmlns/placement/1'>"
                     "<p:domain stable-guest='maybe'/></p:placement></metadata>"
                     "<os><type machine='q35'>hvm</type></os><devices/></domain>", &e);
    ok(!s, "stable-guest='maybe' stops the load");
    has_str(e.msg, "stable-guest='maybe'>: use yes or no", "...with the element and what to use");
    session_free(s);
}

int main(void)
{
    test_setting();
    test_cases();
    test_fallback();
    test_renumber_api();
    test_explain_trace();
    return tap_done();
}
