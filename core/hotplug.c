#include "config.h"
#include "hotplug.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


const char *hotplug_arch_family(const char *s)
{
    static const struct { const char *name, *family; } names[] = {
        { "x86", "x86" }, { "x86_64", "x86" }, { "i686", "x86" },
        { "pseries", "pseries" }, { "ppc64", "pseries" }, { "ppc64le", "pseries" },
        { "aarch64", "aarch64" }, { "riscv64", "riscv64" },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0)
            return names[i].family;
    return NULL;
}

/* QEMU's name for the bus of controller index b, as libvirt gives it. */
static void bus_name(const struct topology *t, unsigned b, char *buf, size_t size)
{
    if (b == 0)
        snprintf(buf, size, "%s", t->mach->root_qemu_id);
    else
        snprintf(buf, size, "pci.%u", b);
}

/* The host function a member passes through: "0000:65:00.1". */
static bool host_of(const struct device *dv, char *buf, size_t size)
{
    struct host_addr h;
    if (!device_host_addr(dv, &h))
        return false;
    snprintf(buf, size, "%04x:%02x:%02x.%x", h.domain, h.bus, h.slot, h.function);
    return true;
}

/* The element as it is in the document, its lines re-indented from its
 * own indentation to indent. */
static void put_element(struct strbuf *sb, const struct domain *d, const struct device *dv,
                        const char *indent)
{
    char *text = domain_serialize_element(d, dv->node);
    const char *own = "";
    xmlNodePtr prev = dv->node->prev;
    if (prev && prev->type == XML_TEXT_NODE && prev->content
        && strrchr((const char *)prev->content, '\n'))
        own = strrchr((const char *)prev->content, '\n') + 1;
    size_t own_len = strlen(own);
    const char *s = text;
    sb_puts(sb, indent);
    for (; *s; s++) {
        sb_putc(sb, *s);
        if (*s == '\n') {
            if (strncmp(s + 1, own, own_len) == 0)
                s += own_len;
            sb_puts(sb, indent);
        }
    }
    sb_putc(sb, '\n');
    free(text);
}

static void add_file(struct hotplug_set *h, char *name, struct strbuf *text)
{
    h->files = xrealloc(h->files, (h->n + 1) * sizeof *h->files);
    h->files[h->n].name = name;
    h->files[h->n].text = sb_detach(text);
    h->n++;
}

/* The functions in the order they are plugged: every one but 0, then 0. */
static int plug_order(const struct group *g, const struct device *order[PCI_FUNCTIONS])
{
    int n = 0;
    for (int f = 1; f < PCI_FUNCTIONS; f++)
        if (g->fn[f])
            order[n++] = g->fn[f];
    order[n++] = g->fn[0];
    return n;
}

static const char *id_of(const struct device *dv)
{
    return dv->alias ? dv->alias : "";
}

/* What may stand as one value of a monitor command (an id, a device
 * model): QEMU's own rule for ids, a letter then letters, digits, '-',
 * '.' and '_'.  No ',' (a second property), '=' or blank, and no line
 * break (a second command) can pass.  The loader already holds aliases
 * to this; it is checked again where the script is written, so the
 * script is safe whatever reaches it. */
static bool monitor_word_ok(const char *w)
{
    if (!w || !isalpha((unsigned char)w[0]))
        return false;
    for (; *w; w++)
        if (!isalnum((unsigned char)*w) && !strchr("-._", *w))
            return false;
    return true;
}


/* order: the functions in plug order, whose attach files are h's files
 * 1..nplug. */
static void write_plan(struct strbuf *sb, const struct topology *t, const struct group *g,
                       const struct hotplug_set *h, const struct device *const *order, int nplug)
{
    const struct bus *b = topology_bus(t, g->bus);
    const char *archname = t->mach->arch;
    sb_printf(sb, "Group at %02x:%02x on bus %02x (%s%s), %d functions:\n", g->bus, g->slot, g->bus,
              b && b->model ? b->model->name : "no model",
              b && b->hotplug ? ", hot-pluggable" : ", which cannot hot-plug", g->n);
    for (int f = 0; f < PCI_FUNCTIONS; f++) {
        char host[32] = "?";
        if (g->fn[f]) {
            host_of(g->fn[f], host, sizeof host);
            sb_printf(sb, "  .%x  %-9s host %s  %s%s\n", f, (const char *)g->fn[f]->node->name, host,
                      id_of(g->fn[f]), f == 0 ? "  multifunction" : "");
        }
    }
    sb_printf(sb, "\nHot-plug (%s and pseries alike): every function but 0 first, function 0 last.\n"
                  "QEMU shows the slot to the guest when function 0 is plugged with\n"
                  "multifunction=on, so the other functions must be there before it.\n", archname);
    sb_puts(sb, "  - virsh, for the persistent definition, one file at a time in this order:\n");
    for (int i = 0; i < nplug; i++)
        sb_printf(sb, "      virsh attach-device DOMAIN %s --config\n", h->files[1 + i].name);
    sb_puts(sb, "  - a running guest, from QEMU's monitor: the device_add lines of hotplug.hmp.\n"
                "    First bind the host functions to vfio-pci, which libvirt does only for\n"
                "    what it attaches itself (it does not know of devices added from the\n"
                "    monitor):\n");
    for (int i = 0; i < nplug; i++) {
        struct host_addr ha;
        if (device_host_addr(order[i], &ha))
            sb_printf(sb, "      virsh nodedev-detach pci_%04x_%02x_%02x_%x\n", ha.domain, ha.bus, ha.slot,
                      ha.function);
    }
    sb_puts(sb, "  - devices.xml has every function, function 0 first: the <devices> document\n"
                "    of the multifunction hot-plug design (seed 004).  libvirt 9.0 does not\n"
                "    take it yet; it cannot hot-plug a multifunction slot at all.\n");
    if (!t->mach->unplug_each_function)
        sb_printf(sb, "\nHot-unplug (%s): unplug function 0 (unplug.hmp: device_del %s).\n"
                      "That removes the whole slot: all %d functions leave the guest together,\n"
                      "whichever function is named, so name function 0 and expect all to go.\n",
                  archname, id_of(g->fn[0]), g->n);
    else
        sb_puts(sb, "\nHot-unplug (pseries): unplug every function but 0 first, then function 0\n"
                    "(unplug.hmp has them in this order); unplugging function 0 releases the slot.\n");
    sb_puts(sb, "libvirt 9.0 refuses to detach any one of them (it will not unplug a device\n"
                "that shares its slot): use the monitor commands, or stop the guest.\n");
    if (!b || !b->hotplug)
        sb_printf(sb, "\nNote: bus %02x cannot hot-plug, so this group can only be attached with\n"
                      "--config while the guest is stopped.\n", g->bus);
}

struct hotplug_set *hotplug_set_new(const struct session *s, const struct group *g,
                                    const char *stand_in, struct err *e)
{
    const struct topology *t = s->topo;
    if (!g->fn[0]) {
        err_set(e, "hotplug-xml: the group at %02x:%02x has no function 0; QEMU cannot plug it",
                g->bus, g->slot);
        return NULL;
    }
    char host[32], bus[16];
    for (int f = 0; f < PCI_FUNCTIONS; f++)
        if (g->fn[f] && (!host_of(g->fn[f], host, sizeof host) || !g->fn[f]->alias)) {
            err_set(e, "hotplug-xml: function %x of %02x:%02x has %s", f, g->bus, g->slot,
                    g->fn[f]->alias ? "no host PCI address in its <source>"
                                    : "no alias; group it again to give it one");
            return NULL;
        } else if (g->fn[f] && !monitor_word_ok(g->fn[f]->alias)) {
            err_set(e, "hotplug-xml: function %x of %02x:%02x: alias '%s' cannot be a QEMU id", f,
                    g->bus, g->slot, g->fn[f]->alias);
            return NULL;
        }
    if (stand_in && !monitor_word_ok(stand_in)) {
        err_set(e, "hotplug-xml: --stand-in '%s' is not a QEMU device model name (letters, digits, '-', '.', '_')",
                stand_in);
        return NULL;
    }
    struct hotplug_set *h = xcalloc(1, sizeof *h);
    struct strbuf sb = STRBUF_INIT;

    sb_puts(&sb, "<devices>\n");
    for (int f = 0; f < PCI_FUNCTIONS; f++)
        if (g->fn[f])
            put_element(&sb, s->dom, g->fn[f], "  ");
    sb_puts(&sb, "</devices>\n");
    add_file(h, xstrdup("devices.xml"), &sb);

    const struct device *order[PCI_FUNCTIONS];
    int n = plug_order(g, order);
    for (int i = 0; i < n; i++) {
        put_element(&sb, s->dom, order[i], "");
        /* the set's own numbering keeps the names apart: the alias part
         * may be cut */
        char *part = file_part_new(order[i]->alias, 64);
        add_file(h, xasprintf("attach-%d-fn%x-%s.xml", i + 1, order[i]->addr.function, part), &sb);
        free(part);
    }

    bus_name(t, g->bus, bus, sizeof bus);
    for (int i = 0; i < n; i++) {
        const struct device *dv = order[i];
        host_of(dv, host, sizeof host);
        if (stand_in)
            sb_printf(&sb, "device_add %s", stand_in);
        else
            sb_printf(&sb, "device_add vfio-pci,host=%s", host);
        sb_printf(&sb, ",id=%s,bus=%s,addr=0x%x", dv->alias, bus, g->slot);
        if (dv->addr.function)
            sb_printf(&sb, ".0x%x\n", dv->addr.function);
        else
            sb_puts(&sb, ",multifunction=on\n");
    }
    add_file(h, xstrdup("hotplug.hmp"), &sb);

    if (t->mach->unplug_each_function)
        for (int i = 0; i < n; i++)
            sb_printf(&sb, "device_del %s\n", order[i]->alias);
    else
        sb_printf(&sb, "device_del %s\n", g->fn[0]->alias);
    add_file(h, xstrdup("unplug.hmp"), &sb);

    write_plan(&sb, t, g, h, order, n);
    add_file(h, xstrdup("plan.txt"), &sb);
    return h;
}

void hotplug_set_free(struct hotplug_set *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++) {
        free(h->files[i].name);
        free(h->files[i].text);
    }
    free(h->files);
    free(h);
}

const char *hotplug_set_text(const struct hotplug_set *h, const char *name)
{
    for (size_t i = 0; i < h->n; i++)
        if (strcmp(h->files[i].name, name) == 0)
            return h->files[i].text;
    return "";
}

const char *hotplug_set_plan(const struct hotplug_set *h)
{
    return hotplug_set_text(h, "plan.txt");
}

/* Writes text into a new file of the staging directory (made with
 * O_EXCL and O_NOFOLLOW: nothing planted there is opened). */
static bool write_staged(int stage, const char *name, const char *text, struct err *e)
{
    int fd = openat(stage, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
        err_set(e, "hotplug-xml: cannot create %s: %s", name, strerror(errno));
        return false;
    }
    if (!write_all(fd, text, strlen(text))) {
        err_set(e, "hotplug-xml: cannot write %s: %s", name, strerror(errno));
        close(fd);
        return false;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        err_set(e, "hotplug-xml: cannot write %s: %s", name, strerror(errno));
        return false;
    }
    return true;
}

/* Empties and removes the staging directory. */
static void remove_stage(int dirfd, const char *stage_name, const struct hotplug_set *h)
{
    int stage = openat(dirfd, stage_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (stage >= 0) {
        for (size_t i = 0; i < h->n; i++)
            unlinkat(stage, h->files[i].name, 0);
        close(stage);
    }
    unlinkat(dirfd, stage_name, AT_REMOVEDIR);
}

/* Whether name exists in dirfd as anything (a dangling link too). */
static bool entry_exists(int dirfd, const char *name)
{
    struct stat st;
    return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* Moves each staged file to its name in dir: rename replaces what is
 * there (a planted symbolic link itself, never the file it points to);
 * without force, link fails instead of replacing anything. */
static bool publish(int dirfd, const char *dir, const char *stage_name, const struct hotplug_set *h,
                    bool force, struct err *e)
{
    for (size_t i = 0; i < h->n; i++) {
        char *from = xasprintf("%s/%s", stage_name, h->files[i].name);
        int rc = force ? renameat(dirfd, from, dirfd, h->files[i].name)
                       : linkat(dirfd, from, dirfd, h->files[i].name, 0);
        free(from);
        if (rc != 0) {
            if (errno == EEXIST)
                err_set(e, "hotplug-xml: %s/%s exists; -f overwrites it", dir, h->files[i].name);
            else
                err_set(e, "hotplug-xml: cannot put %s into %s: %s%s", h->files[i].name, dir,
                        strerror(errno), i ? " (the files before it are written)" : "");
            return false;
        }
    }
    return true;
}

bool hotplug_set_write(const struct hotplug_set *h, const char *dir, bool force, struct err *e)
{
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        err_set(e, "hotplug-xml: cannot make directory %s: %s", dir, strerror(errno));
        return false;
    }
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) {
        err_set(e, "hotplug-xml: cannot open directory %s: %s", dir, strerror(errno));
        return false;
    }
    /* refuse before writing anything, so a refusal leaves no mix of files */
    for (size_t i = 0; i < h->n && !force; i++)
        if (entry_exists(dirfd, h->files[i].name)) {
            err_set(e, "hotplug-xml: %s/%s exists; -f overwrites it", dir, h->files[i].name);
            close(dirfd);
            return false;
        }
    /* The whole set is written into a fresh private directory first: a
     * failure there (a full disk) leaves dir as it was. */
    char stage_name[] = ".pcitopo-hotplug-XXXXXX";
    char *stage_path = xasprintf("%s/%s", dir, stage_name);
    bool made = mkdtemp(stage_path) != NULL, ok = made;
    if (!made)
        err_set(e, "hotplug-xml: cannot make a directory in %s: %s", dir, strerror(errno));
    else
        memcpy(stage_name, strrchr(stage_path, '/') + 1, sizeof stage_name);
    int stage = ok ? openat(dirfd, stage_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
    if (ok && stage < 0) {
        err_set(e, "hotplug-xml: cannot open %s: %s", stage_path, strerror(errno));
        ok = false;
    }
    for (size_t i = 0; ok && i < h->n; i++)
        ok = write_staged(stage, h->files[i].name, h->files[i].text, e);
    if (stage >= 0)
        close(stage);
    if (ok)
        ok = publish(dirfd, dir, stage_name, h, force, e);
    if (made)
        remove_stage(dirfd, stage_name, h);
    free(stage_path);
    close(dirfd);
    return ok;
}
