#include "config.h"
#include "lint.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "guestbus.h"
#include "lspci.h"
#include "pciid.h"
#include "xmlutil.h"

/* What the rules share, found once: the guest's numbering of the domain
 * as it will run, and each bus's controller model. */
struct lint_ctx {
    const struct topology *t;
    const struct guestbus *g;            /* the topology's (shared); NULL: the firmware is not modelled, or UEFI */
    const struct ctrl_model *model[PCI_BUSES];
    const struct guest_fn *ctrl[PCI_BUSES];   /* the function providing each bus */
    struct lint_list *out;
};

static void add(struct lint_ctx *c, const char *code, bool at_start, const struct device *dv,
                char *hint, const char *fmt, ...) PT_PRINTF(6, 7);

static void add(struct lint_ctx *c, const char *code, bool at_start, const struct device *dv,
                char *hint, const char *fmt, ...)
{
    struct lint_list *l = c->out;
    l->f = xrealloc(l->f, (l->n + 1) * sizeof *l->f);
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    l->f[l->n++] = (struct lint_finding){ code, at_start, dv, sb_detach(&sb), hint };
}

/* ------------------------------------------------------------------ */
/* Bus numbers (doc/guest.md rules 5 and 6) */

/* The expander bus b is behind (b itself too), or -1 for bus 0's. */
static int expander_of(const struct lint_ctx *c, int b)
{
    for (int depth = 0; b > 0 && depth < PCI_BUSES; depth++, b = c->g->bus[b].parent)
        if (c->g->bus[b].root_number >= 0)
            return b;
    return -1;
}

/* How many numbers the firmware gives in each tree: bus 0's bridges
 * (need[0]) and each expander's above its busNr (a pxb's own bridge
 * takes one). */
static void count_numbers(const struct lint_ctx *c, int *need)
{
    for (int b = 1; b < PCI_BUSES; b++) {
        if (!c->g->bus[b].exists)
            continue;
        int e = expander_of(c, b);
        bool numbered = catalog_walked_bridge(c->model[b])
            || (e == b && c->model[b] && c->model[b]->guest == CG_EXPANDER_BRIDGED);
        if (numbered)
            need[e < 0 ? 0 : e]++;
    }
}

/* The busNr range in which expander e's buses fit between bus 0's and
 * the other expanders' (taken in busNr order, as the firmware enters
 * them), as a fix; NULL when they cannot fit. */
static char *busnr_fix_new(const struct lint_ctx *c, int e)
{
    int need[PCI_BUSES] = { 0 };
    count_numbers(c, need);
    long low = need[0] + 1, high = PCI_BUSES - 1 - need[e];
    int mine = c->g->bus[e].root_number;
    for (int x = 1; x < PCI_BUSES; x++) {
        int nr = c->g->bus[x].root_number;
        if (x == e || nr < 0 || !c->g->bus[x].exists)
            continue;
        if (nr < mine || (nr == mine && x < e)) {
            if (nr + need[x] + 1 > low)
                low = nr + need[x] + 1;
        } else if (nr - 1 - need[e] < high) {
            high = nr - 1 - need[e];
        }
    }
    if (low > high)
        return NULL;
    if (low == high)
        return xasprintf("give expander bus %02x busNr %ld: its bridges need %d number%s above it, "
                         "and the other buses the numbers around it", e, low, need[e],
                         need[e] == 1 ? "" : "s");
    if (low == 1)
        return xasprintf("give expander bus %02x a busNr from 1 to %ld: its bridges need %d number%s "
                         "above it", e, high, need[e], need[e] == 1 ? "" : "s");
    return xasprintf("give expander bus %02x a busNr from %ld to %ld: its bridges need %d number%s "
                     "above it, and the buses numbered before it take 1 to %ld", e, low, high,
                     need[e], need[e] == 1 ? "" : "s", low - 1);
}

static char *numbers_fix_new(const struct lint_ctx *c, int e)
{
    char *fix = e >= 0 ? busnr_fix_new(c, e) : NULL;
    if (fix)
        return fix;
    int need[PCI_BUSES] = { 0 }, total = 0;
    count_numbers(c, need);
    for (int b = 0; b < PCI_BUSES; b++)
        total += need[b];
    return xasprintf("the domain's bridges and expanders need %d bus numbers and the guest has 255 "
                     "(1 to 255): remove bridges, or move devices onto fewer buses", total);
}

static const struct device *bus_device(const struct lint_ctx *c, int b)
{
    return c->ctrl[b] ? c->ctrl[b]->dev : NULL;
}

static char *warning_why_new(const struct lint_ctx *c, int b)
{
    char *why = guest_bus_why_new(c->g, (unsigned)b);
    char *msg = xasprintf("warning: %s", why);
    free(why);
    return msg;
}

/* A bridge that needs a number past 255: SeaBIOS starts over and never
 * finishes (booted cases 08, 18, 22 of tests/golden/guest). */
static void find_numbers_run_out(struct lint_ctx *c, const char *code)
{
    for (int b = 1; b < PCI_BUSES; b++) {
        const struct guest_bus *gb = &c->g->bus[b];
        if (!gb->exists || gb->state != GUEST_OUT_OF_NUMBERS || gb->cause != b)
            continue;
        char *msg = warning_why_new(c, b);
        add(c, code, false, bus_device(c, b), numbers_fix_new(c, expander_of(c, b)), "%s", msg);
        free(msg);
    }
}

/* A number given twice, a bridge's and an expander's busNr: what is
 * behind one of them is out of the guest's reach (booted cases 09, 19,
 * 23-27 of tests/golden/guest). */
static void find_number_clash(struct lint_ctx *c, const char *code)
{
    for (int b = 1; b < PCI_BUSES; b++) {
        const struct guest_bus *gb = &c->g->bus[b];
        if (!gb->exists || gb->state != GUEST_NUMBER_CLASH || gb->cause != b)
            continue;
        /* a bridge that got a busNr names the expander it meets; an
         * expander never entered is that expander */
        int e = gb->number < 0 ? b : gb->clash_with;
        if (e < 0 || c->g->bus[e].root_number < 0)
            e = expander_of(c, b);
        char *msg = warning_why_new(c, b);
        add(c, code, false, bus_device(c, b), numbers_fix_new(c, e), "%s", msg);
        free(msg);
    }
}

/* ------------------------------------------------------------------ */
/* I/O ports */

/* The I/O BAR bytes of each function QEMU 7.2 makes, by the IDs the
 * guest reads, as the booted guests' `info pci` shows them (a device
 * missing here asks for none as far as pcitopo knows). */
static const struct io_bar {
    unsigned vendor, device;
    unsigned long bytes;
} io_bars[] = {
    { 0x1000, 0x0012, 0x100 },   /* lsi53c895a */
    { 0x10ec, 0x8139, 0x100 },   /* rtl8139 */
    { 0x1af4, 0x1000, 0x20 },    /* virtio-net, transitional */
    { 0x1af4, 0x1001, 0x80 },    /* virtio-blk, transitional */
    { 0x1af4, 0x1002, 0x40 },    /* virtio-balloon, transitional */
    { 0x1af4, 0x1003, 0x40 },    /* virtio-serial, transitional */
    { 0x1af4, 0x1004, 0x40 },    /* virtio-scsi, transitional */
    { 0x1af4, 0x1005, 0x20 },    /* virtio-rng, transitional */
    { 0x1b36, 0x0002, 0x8 },     /* pci-serial */
    { 0x1b36, 0x0100, 0x20 },    /* qxl */
    { 0x8086, 0x100e, 0x40 },    /* e1000 */
    { 0x8086, 0x10d3, 0x20 },    /* e1000e */
    { 0x8086, 0x2415, 0x500 },   /* AC97: two I/O BARs */
    { 0x8086, 0x2922, 0x20 },    /* ICH9 AHCI (q35's 00:1f.2) */
    { 0x8086, 0x2930, 0x40 },    /* ICH9 SMBus (00:1f.3) */
    { 0x8086, 0x7010, 0x10 },    /* PIIX3 IDE (pc's 00:01.1) */
    { 0x8086, 0x7020, 0x20 },    /* PIIX3 USB */
};

/* What SeaBIOS gives a bridge with nothing behind it that asks for I/O,
 * by the QEMU device: a conventional bridge with hot-plug (SHPC) a 4 KiB
 * window all the same (booted lint cases); PCI Express ports and
 * switches, and QEMU's own bridge inside a pxb, none. */
static const struct empty_window {
    const char *qemu;
    unsigned long bytes;
} empty_windows[] = {
    { "pci-bridge", 0x1000 },
    { "pcie-pci-bridge", 0x1000 },
};

/* Where the firmware's I/O for PCI ends, per machine: SeaBIOS takes it
 * from 0x1000 up once more than 0x4000 is needed, and gives up past this
 * (booted lint cases: pc 8 windows boot and 9 do not, q35 14 and 15).
 * A function QEMU always has that the guest numbering may not list (pc's
 * IDE is libvirt's implicit controller) is counted when it does not. */
static const struct io_limit {
    unsigned machines;
    unsigned long end;
    unsigned vendor, device;     /* the function QEMU always has; 0: none */
} io_limits[] = {
    { MACH_PC, 0xa000, 0x8086, 0x7010 },
    { MACH_Q35, 0x10000, 0, 0 },
};
#define IO_START 0x1000
#define IO_WINDOW 0x1000

static unsigned long ids_io_bytes(unsigned vendor, unsigned device)
{
    for (size_t i = 0; i < ARRAY_LEN(io_bars); i++)
        if (io_bars[i].vendor == vendor && io_bars[i].device == device)
            return io_bars[i].bytes;
    return 0;
}

static unsigned long io_bar_bytes(const struct guestbus *g, const struct guest_fn *f,
                                  const struct io_limit *lim, bool *always_seen)
{
    struct pci_ids id;
    if (!pciid_of(g, f, &id))
        return 0;
    if (id.vendor == lim->vendor && id.device == lim->device)
        *always_seen = true;
    return ids_io_bytes(id.vendor, id.device);
}

static unsigned long empty_window_bytes(const struct lint_ctx *c, int b)
{
    const struct guest_fn *f = c->ctrl[b];
    const char *qemu = f ? pciid_qemu_device(c->g, f) : NULL;
    for (size_t i = 0; qemu && i < ARRAY_LEN(empty_windows); i++)
        if (str_eq(empty_windows[i].qemu, qemu))
            return empty_windows[i].bytes;
    return 0;
}

/* The I/O a bus's window takes from the bus above it: what is behind
 * it, rounded up to a window. */
static unsigned long window_bytes(const struct lint_ctx *c, int b, unsigned long inside)
{
    if (c->model[b] && c->model[b]->guest == CG_EXPANDER)
        return inside;   /* a host bridge: no window, its root bus shares bus 0's */
    if (!inside)
        return c->model[b] && c->model[b]->guest == CG_EXPANDER_BRIDGED ? 0 : empty_window_bytes(c, b);
    return (inside + IO_WINDOW - 1) / IO_WINDOW * IO_WINDOW;
}

/* Buses in the order their windows are summed: deepest first. */
static int bus_depth(const struct lint_ctx *c, int b)
{
    int d = 0;
    for (; b > 0 && d < PCI_BUSES; d++)
        b = c->g->bus[b].parent;
    return d;
}

/* What SeaBIOS sums for the root bus: each function's I/O BARs, each
 * bridge's window (4 KiB steps, nested windows inside their parents'),
 * the expanders' buses with bus 0's.  *windows counts bridges with one. */
static unsigned long root_io_bytes(const struct lint_ctx *c, const struct io_limit *lim, int *windows)
{
    unsigned long *inside = xcalloc(PCI_BUSES, sizeof *inside);
    const struct guestbus *g = c->g;
    bool always_seen = !lim->vendor;
    for (size_t i = 0; i < g->nfn; i++) {
        const struct guest_fn *f = &g->fn[i];
        if (f->state == GUEST_SEEN && f->bus >= 0 && f->has_xml && !f->inner_bridge)
            inside[f->xml.bus] += io_bar_bytes(g, f, lim, &always_seen);
    }
    if (!always_seen)
        inside[0] += ids_io_bytes(lim->vendor, lim->device);
    int depth[PCI_BUSES], deepest = 0;
    for (int b = 1; b < PCI_BUSES; b++) {
        depth[b] = g->bus[b].exists && g->bus[b].state == GUEST_SEEN && g->bus[b].number >= 0
            ? bus_depth(c, b) : -1;
        if (depth[b] > deepest)
            deepest = depth[b];
    }
    *windows = 0;
    for (int d = deepest; d >= 1; d--)
        for (int b = 1; b < PCI_BUSES; b++) {
            if (depth[b] != d)
                continue;
            unsigned long w = window_bytes(c, b, inside[b]);
            int parent = g->bus[b].parent >= 0 ? g->bus[b].parent : 0;
            inside[parent] += w;
            *windows += w && c->model[b] && c->model[b]->guest != CG_EXPANDER;
        }
    unsigned long total = inside[0];
    free(inside);
    return total;
}

static void find_io_exhausted(struct lint_ctx *c, const char *code)
{
    const struct io_limit *lim = NULL;
    for (size_t i = 0; i < ARRAY_LEN(io_limits); i++)
        if (io_limits[i].machines & c->t->machine)
            lim = &io_limits[i];
    if (!lim)
        return;
    unsigned long end = lim->end;
    int windows;
    unsigned long need = root_io_bytes(c, lim, &windows);
    if (IO_START + need <= end)
        return;
    char *hint = xasprintf("each bridge with a device that has an I/O BAR behind it (e1000, rtl8139, "
                           "lsilogic, a transitional virtio device...) takes a 4 KiB window, and so "
                           "does an empty pci-bridge or pcie-to-pci-bridge; %s has room for %lu: use "
                           "devices without I/O BARs (virtio, non-transitional) behind the ports, "
                           "put legacy devices together behind one bridge, or remove empty bridges",
                           c->t->mach->name, (end - IO_START) / IO_WINDOW - 1);
    add(c, code, false, NULL, hint,
        "warning: the PCI devices need 0x%lx bytes of I/O ports (%d bridge window%s of 4 KiB and "
        "the devices' own), and SeaBIOS has 0x%lx on %s (0x%x-0x%lx): it stops with \"out of I/O "
        "address space\" before it assigns any BAR, and the guest does not boot",
        need, windows, windows == 1 ? "" : "s", end - IO_START, c->t->mach->name, IO_START, end - 1);
}

/* ------------------------------------------------------------------ */
/* acpi-index */

#define ACPI_INDEX_MAX 16383   /* QEMU 7.2's limit; libvirt 9.0 checks none */

struct acpi_use {
    unsigned long index;
    const struct device *dev;
};

static int by_acpi_index(const void *pa, const void *pb)
{
    const struct acpi_use *a = pa, *b = pb;
    if (a->index != b->index)
        return a->index < b->index ? -1 : 1;
    return (a->dev > b->dev) - (a->dev < b->dev);
}

/* The devices with an <acpi index=''> libvirt reads (decimal, not 0),
 * in document order. */
static struct acpi_use *acpi_uses_new(const struct topology *t, size_t *n)
{
    struct acpi_use *u = xcalloc(t->ndevs ? t->ndevs : 1, sizeof *u);
    *n = 0;
    for (size_t i = 0; i < t->ndevs; i++) {
        const char *s = xml_attr(xml_child(t->devs[i].node, "acpi"), "index");
        unsigned long v;
        if (s && parse_uint_base(s, 10, 0xffffffffUL, &v) && v > 0)
            u[(*n)++] = (struct acpi_use){ v, &t->devs[i] };
    }
    return u;
}

static void find_acpi_range(struct lint_ctx *c, const char *code)
{
    size_t n;
    struct acpi_use *u = acpi_uses_new(c->t, &n);
    for (size_t i = 0; i < n; i++)
        if (u[i].index > ACPI_INDEX_MAX)
            add(c, code, true, u[i].dev,
                xasprintf("use an <acpi index> from 1 to %d", ACPI_INDEX_MAX),
                "acpi index %lu is above %d: QEMU refuses to start (\"acpi-index should be less or "
                "equal to %d\")", u[i].index, ACPI_INDEX_MAX, ACPI_INDEX_MAX);
    free(u);
}

static void find_acpi_duplicate(struct lint_ctx *c, const char *code)
{
    size_t n;
    struct acpi_use *u = acpi_uses_new(c->t, &n);
    qsort(u, n, sizeof *u, by_acpi_index);
    for (size_t i = 1; i < n; i++) {
        if (u[i].index != u[i - 1].index)
            continue;
        const struct device *first = u[i - 1].dev;
        size_t j = i - 1;
        while (j > 0 && u[j - 1].index == u[i].index)
            first = u[--j].dev;
        add(c, code, true, u[i].dev,
            xasprintf("give each device its own <acpi index> (the guest names its interfaces "
                      "after it: eno%lu)", u[i].index),
            "acpi index %lu is also <%s>%s%s's (line %ld): QEMU refuses to start (\"a PCI device "
            "with acpi-index = %lu already exist\")", u[i].index, (const char *)first->node->name,
            first->alias ? " " : "", first->alias ? first->alias : "", domain_line(first->node),
            u[i].index);
    }
    free(u);
}

/* ------------------------------------------------------------------ */

static const struct lint_rule {
    const char *code;
    bool at_start;           /* QEMU refuses to start; else the guest starts, wrong */
    bool guest;              /* needs the firmware's numbering (SeaBIOS) */
    void (*find)(struct lint_ctx *c, const char *code);
    const char *what;
} rules[] = {
    { "bus_numbers_run_out", false, true, find_numbers_run_out,
      "a bridge needs a bus number past 255: SeaBIOS never finishes, the guest does not boot" },
    { "bus_number_clash", false, true, find_number_clash,
      "an expander's busNr is a number the firmware gives a bridge: devices out of the guest's reach" },
    { "io_space_exhausted", false, true, find_io_exhausted,
      "the bridges' 4 KiB I/O windows do not fit SeaBIOS's I/O space: the guest does not boot" },
    { "acpi_index_range", true, false, find_acpi_range,
      "an acpi index above 16383: QEMU refuses to start" },
    { "acpi_index_duplicate", true, false, find_acpi_duplicate,
      "two devices with one acpi index: QEMU refuses to start" },
};

const char *lint_rule_at(size_t i, bool *at_start, const char **what)
{
    if (i >= ARRAY_LEN(rules))
        return NULL;
    if (at_start)
        *at_start = rules[i].at_start;
    if (what)
        *what = rules[i].what;
    return rules[i].code;
}

/* libvirt boots OVMF for <os firmware='efi'> or a <loader>: not SeaBIOS. */
static bool boots_seabios(const struct topology *t)
{
    xmlNodePtr os = xml_child(t->root, "os");
    const char *fw = xml_attr(os, "firmware");
    return t->mach->firmware == FW_SEABIOS && !(fw && str_eq(fw, "efi"))
        && !xml_child(os, "loader");
}

static void index_buses(struct lint_ctx *c)
{
    for (size_t i = 0; i < c->g->nfn; i++) {
        const struct guest_fn *f = &c->g->fn[i];
        if (f->provides < 0 || f->inner_bridge)
            continue;
        c->ctrl[f->provides] = f;
        if (f->dev && f->dev->ctrl)
            c->model[f->provides] = f->dev->ctrl;
        else if (f->item && f->item->model)
            c->model[f->provides] = catalog_ctrl_model(f->item->model, c->t->machine);
    }
}

struct lint_list *lint_new(const struct topology *t)
{
    struct lint_list *l = xcalloc(1, sizeof *l);
    struct lint_ctx c = { .t = t, .out = l };
    if (boots_seabios(t)) {
        c.g = lspci_guestbus_shared(t);
        index_buses(&c);
    }
    for (size_t i = 0; i < ARRAY_LEN(rules); i++)
        if (!rules[i].guest || c.g)
            rules[i].find(&c, rules[i].code);
    return l;
}

void lint_free(struct lint_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->f[i].msg);
        free(l->f[i].hint);
    }
    free(l->f);
    free(l);
}
