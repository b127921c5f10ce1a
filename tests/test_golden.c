/* The placement engine against real libvirt 9.0: for every golden case
 * (tests/golden/place, made with the oracle) and every define experiment
 * (tests/data/experiments), `place` must give each PCI device the address
 * libvirt stored, add the same controllers with the same targets and model
 * names, or refuse with libvirt's own message.  And on libvirt's output,
 * place must change nothing at all. */
#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/parser.h>

#include "place.h"
#include "session.h"
#include "spare.h"
#include "tap.h"
#include "testutil.h"
#include "xmlutil.h"

/* libvirt checks that have nothing to do with PCI placement; pcitopo does
 * not model them, and says so (SKIP) instead of passing them. */
static const char *const not_pci_checks[] = {
    "virtiofs", "IOMMU device",
    "numa node has to be configured", "transitional models are not supported",
    "only valid as primary video", "unknown panic model", "Unsupported controller model",
    NULL,
};

/* Refusals that depend on the machine libvirt ran on, not on the domain:
 * the oracle's host has no KVM (and no macOS), but pcitopo places kvm and
 * hvf domains as libvirt does on a host that has them. */
static const char *const host_refusals[] = {
    "does not support virt type",
    "TPM version '2.0' is not supported",   /* the oracle has no swtpm */
    NULL,
};

/* Cases whose result depends on the machine libvirt ran on: libvirt reads
 * the host's PCI device to tell PCI from PCIe passthrough (§3). */
static const char *const host_dependent[] = {
    "71-q35-hostdev-kinds",   /* host 0000:00:03.0 was a conventional PCI NIC */
    NULL,
};

static bool is_host_dependent(const char *stem)
{
    for (size_t i = 0; host_dependent[i]; i++)
        if (strcmp(host_dependent[i], stem) == 0)
            return true;
    return false;
}

static bool is_host_refusal(const char *msg)
{
    for (size_t i = 0; host_refusals[i]; i++)
        if (strstr(msg, host_refusals[i]))
            return true;
    return false;
}

static bool is_not_pci_check(const char *msg)
{
    for (size_t i = 0; not_pci_checks[i]; i++)
        if (strstr(msg, not_pci_checks[i]))
            return true;
    return false;
}

/* The last non-empty line of an oracle error file, without "error: ". */
static char *libvirt_error(const char *path)
{
    char *text = tu_read(path, NULL);
    if (!text)
        return xstrdup("(unreadable)");
    char *last = NULL;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
        if (strspn(line, " \t") < strlen(line))
            last = line;
    char *r = xstrdup(last ? (strncmp(last, "error: ", 7) == 0 ? last + 7 : last) : "");
    free(text);
    return r;
}

/* A number attribute in the base libvirt reads it in: an index in
 * decimal ("010" is ten), the rest C-style. */
static long num(xmlNodePtr el, const char *attr)
{
    const char *v = xml_attr(el, attr);
    return v ? strtol(v, NULL, strcmp(attr, "index") == 0 ? 10 : 0) : 0;
}

/* One line per PCI device of a document: "key = value", sorted, where the
 * key names the device the way both sides can agree on (MAC, disk target,
 * controller type and index, else the n-th element of its kind) and the
 * value is its address, plus model, model name and targets for PCI
 * controllers. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **describe(xmlDocPtr doc, size_t *n)
{
    char **lines = NULL;
    *n = 0;
    struct { const char *tag; int count; } counts[64];
    size_t ncounts = 0;
    for (xmlNodePtr el = xml_first_device(xmlDocGetRootElement(doc)); el; el = xml_next_device(el)) {
        xmlNodePtr a = xml_child(el, "address");
        const char *type = xml_attr(a, "type");
        if (!type || strcmp(type, "pci") != 0)
            continue;
        const char *tag = (const char *)el->name;
        /* libvirt drops <crypto>; pcitopo keeps what the user wrote */
        if (strcmp(tag, "crypto") == 0)
            continue;
        char key[160];
        const char *dev = xml_attr(xml_child(el, "target"), "dev");
        /* Interfaces go by position: libvirt keeps their order, and
         * invents MACs for inputs that have none. */
        if (strcmp(tag, "disk") == 0 && dev) {
            snprintf(key, sizeof key, "disk %s", dev);
        } else if (strcmp(tag, "controller") == 0) {
            const char *m = xml_attr(el, "model");
            snprintf(key, sizeof key, "controller %s %ld%s%s", xml_attr(el, "type"), num(el, "index"),
                     strcmp(xml_attr(el, "type"), "usb") == 0 && m ? " " : "",
                     strcmp(xml_attr(el, "type"), "usb") == 0 && m ? m : "");
        } else {
            const char *vt = strcmp(tag, "video") == 0 ? xml_attr(xml_child(el, "model"), "type") : NULL;
            char kind[64];
            snprintf(kind, sizeof kind, "%s%s%s", tag, vt ? " " : "", vt ? vt : "");
            size_t i = 0;
            while (i < ncounts && strcmp(counts[i].tag, kind) != 0)
                i++;
            if (i == ncounts && ncounts < ARRAY_LEN(counts)) {
                counts[ncounts].tag = xstrdup(kind);
                counts[ncounts++].count = 0;
            }
            snprintf(key, sizeof key, "%s #%d", kind, i < ncounts ? counts[i].count++ : -1);
        }
        struct strbuf v = STRBUF_INIT;
        sb_printf(&v, "%s = %02lx:%02lx.%lx", key, num(a, "bus"), num(a, "slot"), num(a, "function"));
        if (xml_attr(a, "multifunction"))
            sb_printf(&v, " multifunction=%s", xml_attr(a, "multifunction"));
        /* the model libvirt writes for an interface that names none */
        if (strcmp(tag, "interface") == 0)
            sb_printf(&v, " model=%s", xml_attr(xml_child(el, "model"), "type"));
        if (strcmp(tag, "controller") == 0 && strcmp(xml_attr(el, "type"), "pci") == 0) {
            xmlNodePtr tg = xml_child(el, "target");
            sb_printf(&v, " model=%s name=%s", xml_attr(el, "model"),
                      xml_attr(xml_child(el, "model"), "name"));
            const char *attrs[] = { "chassisNr", "chassis", "port", "busNr", "hotplug" };
            for (size_t k = 0; k < ARRAY_LEN(attrs); k++)
                if (xml_attr(tg, attrs[k]))
                    sb_printf(&v, " %s=%ld", attrs[k], strcmp(attrs[k], "hotplug") == 0
                              ? (long)(strcmp(xml_attr(tg, attrs[k]), "on") == 0) : num(tg, attrs[k]));
        }
        lines = xrealloc(lines, (*n + 1) * sizeof *lines);
        lines[(*n)++] = sb_detach(&v);
    }
    for (size_t i = 0; i < ncounts; i++)
        free((char *)counts[i].tag);
    if (*n)
        qsort(lines, *n, sizeof *lines, cmp_str);
    return lines;
}

static void free_lines(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

/* Compares; prints the first difference. */
static bool same_placement(xmlDocPtr want_doc, xmlDocPtr got_doc)
{
    size_t nw, ng;
    char **w = describe(want_doc, &nw), **g = describe(got_doc, &ng);
    bool same = nw == ng;
    for (size_t i = 0; i < nw && i < ng && same; i++)
        same = strcmp(w[i], g[i]) == 0;
    if (!same) {
        size_t i = 0;
        while (i < nw && i < ng && strcmp(w[i], g[i]) == 0)
            i++;
        printf("#   first difference:\n#     libvirt: %s\n#     pcitopo: %s\n",
               i < nw ? w[i] : "(nothing more)", i < ng ? g[i] : "(nothing more)");
    }
    free_lines(w, nw);
    free_lines(g, ng);
    return same;
}

struct tally { int pass, fail, skip; };

/* libvirt accepted the domain, but QEMU refused to start it (the
 * experiments' .start*.txt transcripts). */
static bool qemu_refused(const char *dir, const char *stem)
{
    const char *suffixes[] = { "start.txt", "start-err.txt" };
    bool refused = false;
    for (size_t i = 0; i < ARRAY_LEN(suffixes); i++) {
        char *path = xasprintf("%s/%s.%s", dir, stem, suffixes[i]);
        char *text = tu_read(path, NULL);
        refused |= text && strstr(text, "Failed to start") != NULL;
        free(text);
        free(path);
    }
    return refused;
}

/* Whether libvirt's stored XML has anything on PCI. */
static bool has_pci(const char *out)
{
    char *text = tu_read(out, NULL);
    bool pci = text && (strstr(text, "<address type='pci'") || strstr(text, "<controller type='pci'"));
    free(text);
    return pci;
}

/* in: the input; out: libvirt's stored XML; errf: libvirt's error (the
 * one that exists says which result is expected). */
/* Cases where the spare count of a placed document, taken without placing
 * it again (topology.placed_whole), was checked against placing it. */
static int placed_whole_checked;

/* spare_placed trusts that placing pcitopo's own output adds nothing:
 * after each placement, the count it takes without placing must be the
 * count placing gives. */
static void check_placed_whole(struct session *s, const char *stem)
{
    struct err e ERR_SCOPE = ERR_INIT;
    if (!session_refresh_placed(s, &e))
        return;
    struct spare quick = spare_placed(s->topo, &e);
    struct spare full = spare_count(s->topo, place_plan_shared(s->topo, &e, NULL));
    if (quick.pcie != full.pcie || quick.pci != full.pci)
        ok(0, "%s: the spare count after placement needs no second placement (%d/%d, placing again: %d/%d)",
           stem, quick.pcie, quick.pci, full.pcie, full.pci);
    placed_whole_checked++;
}

static void check_files(const char *dir, const char *stem, char *in, char *out, char *errf,
                        struct tally *tl);

static void check_case(const char *dir, const char *stem, struct tally *tl)
{
    check_files(dir, stem, xasprintf("%s/%s.in.xml", dir, stem), xasprintf("%s/%s.out.xml", dir, stem),
                xasprintf("%s/%s.err.txt", dir, stem), tl);
}

static void check_files(const char *dir, const char *stem, char *in, char *out, char *errf,
                        struct tally *tl)
{
    bool want_error = access(errf, R_OK) == 0;
    struct err e ERR_SCOPE = ERR_INIT;
    char *lv = want_error ? libvirt_error(errf) : NULL;
    if (lv && is_host_refusal(lv)) {
        printf("ok %d - # SKIP %s: libvirt's refusal is about its host: %s\n", ++tap_n, stem, lv);
        tl->skip++;
        free(lv);
        free(in);
        free(out);
        free(errf);
        return;
    }
    struct session *s = session_open_file(in, &e);
    if (!s && !want_error && strstr(e.msg, "which has no PCI") && !has_pci(out)) {
        /* a board without PCI (libvirt's default aarch64 machine): pcitopo
         * says it models none, and libvirt gave it no PCI address */
        ok(1, "%s: a machine without PCI: pcitopo says so, libvirt placed nothing on PCI", stem);
        tl->pass++;
        goto out;
    }
    if (!s) {
        if (ok(want_error, "%s: refused at load, as libvirt refuses it", stem))
            tl->pass++;
        else {
            printf("#   %s\n", e.msg);
            tl->fail++;
        }
        goto out;
    }
    /* check agrees: the same refusal among its findings, or no error at all */
    struct diag_list *dl = place_check(s->topo);
    bool check_found = false;
    for (size_t i = 0; i < dl->n; i++)
        check_found |= dl->d[i].error && lv && strcmp(dl->d[i].msg, lv) == 0;
    if (want_error && !is_not_pci_check(lv)) {
        if (!ok(check_found, "%s: check reports libvirt's refusal", stem))
            for (size_t i = 0; i < dl->n; i++)
                printf("#   check: %s\n", dl->d[i].msg);
    } else if (!want_error && qemu_refused(dir, stem)) {
        if (!ok(dl->errors > 0, "%s: check reports what QEMU refuses at start", stem))
            printf("#   check found nothing\n");
    } else if (!want_error) {
        /* libvirt accepted it: nothing libvirt refuses; start errors are
         * possible (libvirt's switch quirk defines, then cannot start) */
        if (!ok(dl->errors == dl->start_errors, "%s: check finds nothing libvirt refuses", stem))
            for (size_t i = 0; i < dl->n; i++)
                printf("#   check: %s\n", dl->d[i].msg);
    }
    diag_list_free(dl);
    struct plan *p = place_plan(s->topo, &e, NULL);
    if (want_error) {
        if (lv && is_not_pci_check(lv) && (p || strcmp(e.msg, lv) != 0)) {
            printf("ok %d - # SKIP %s: libvirt's check is not about PCI: %s\n", ++tap_n, stem, lv);
            tl->skip++;
        } else if (!p && strcmp(e.msg, lv) == 0) {
            ok(1, "%s: refused with libvirt's message", stem);
            tl->pass++;
        } else {
            ok(0, "%s: refused with libvirt's message", stem);
            printf("#   libvirt: %s\n#   pcitopo: %s\n", lv, p ? "(accepted)" : e.msg);
            tl->fail++;
        }
    } else if (!p && strstr(e.msg, "QEMU refuses to start")) {
        /* libvirt defines it (its switch loop, duplicate chassis/port), but
         * the result cannot start: place refuses to write it */
        ok(1, "%s: placed like libvirt, whose result QEMU cannot start: refused (%s)", stem, e.msg);
        tl->pass++;
    } else if (!p) {
        ok(0, "%s: placed like libvirt", stem);
        printf("#   pcitopo refused: %s\n", e.msg);
        tl->fail++;
    } else {
        plan_apply(p, s->dom);
        check_placed_whole(s, stem);
        xmlDocPtr want = xmlReadFile(out, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        if (ok(want && same_placement(want, s->dom->doc), "%s: placed like libvirt", stem))
            tl->pass++;
        else
            tl->fail++;
        if (!want)
            printf("#   cannot read libvirt's output %s\n", out);
        xmlFreeDoc(want);
    }
    plan_free(p);
    session_free(s);
out:
    free(lv);
    free(in);
    free(out);
    free(errf);
}

/* place on libvirt's own output changes nothing, byte for byte. */
static void check_noop(const char *dir, const char *name, struct tally *tl)
{
    char *path = tu_path(dir, name);
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = session_open_file(path, &e);
    if (s) {
        size_t before_len, after_len;
        char *before = domain_serialize(s->dom, &before_len, &e);
        struct plan *p = place_plan(s->topo, &e, NULL);
        struct apply_stats st = { 0, 0, 0 };
        if (p)
            st = plan_apply(p, s->dom);
        char *after = domain_serialize(s->dom, &after_len, &e);
        /* a domain QEMU cannot start is refused, which changes nothing
         * too; so is one libvirt itself refuses when defined again (it
         * adds USB controller 0 beside model='none', then refuses that:
         * corners 300-301) */
        bool cannot_start = !p && (strstr(e.msg, "QEMU refuses to start")
                                   || strstr(e.msg, "Can't add another USB controller"));
        bool same = (p || cannot_start) && st.addressed + st.added + st.completed == 0
            && before_len == after_len && memcmp(before, after, before_len) == 0;
        if (ok(same, "place on libvirt's output %s changes nothing", name))
            tl->pass++;
        else {
            printf("#   %s: %d addressed, %d added, %d completed\n", p ? "plan" : e.msg,
                   st.addressed, st.added, st.completed);
            tl->fail++;
        }
        free(before);
        free(after);
        plan_free(p);
        session_free(s);
    }
    free(path);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_dir(const char *dir, struct tally *tl, struct tally *noop)
{
    DIR *dh = opendir(dir);
    ok(dh != NULL, "case directory %s", dir);
    if (!dh)
        return;
    char **names = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(dh))) {
        names = xrealloc(names, (n + 1) * sizeof *names);
        names[n++] = xstrdup(de->d_name);
    }
    closedir(dh);
    qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(names[i]);
        if (l > 7 && strcmp(names[i] + l - 7, ".in.xml") == 0) {
            char *stem = xstrdup(names[i]);
            stem[l - 7] = '\0';
            char *log = xasprintf("%s/%s.log.txt", dir, stem);
            /* live experiments' outputs hold hot-plugged devices */
            if (is_host_dependent(stem)) {
                printf("ok %d - # SKIP %s: its result depends on the host's PCI devices\n", ++tap_n, stem);
                tl->skip++;
            } else if (access(log, R_OK) != 0) {
                check_case(dir, stem, tl);
            }
            free(log);
            free(stem);
        } else if (l > 8 && strcmp(names[i] + l - 8, ".out.xml") == 0) {
            check_noop(dir, names[i], noop);
        }
        free(names[i]);
    }
    free(names);
}

/* tests/data/realworld: virt-install's XML, and what libvirt stored for it. */
static void run_realworld(struct tally *tl)
{
    char *dir = tu_path(tu_datadir(), "realworld");
    DIR *dh = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t n = 0;
    while (dh && (de = readdir(dh)))
        if (strncmp(de->d_name, "virtinst-", 9) == 0) {
            names = xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = xstrdup(de->d_name);
        }
    if (dh)
        closedir(dh);
    qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        char *out = xasprintf("%s/libvirt-%s", dir, names[i] + 9);
        if (access(out, R_OK) == 0)
            check_files(dir, names[i], tu_path(dir, names[i]), out, xasprintf("%s/none.err", dir), tl);
        else
            free(out);
        free(names[i]);
    }
    free(names);
    free(dir);
}

/* With arguments, checks only the case directories named (NNN-name.in.xml
 * with .out.xml or .err.txt from the oracle): a way to try the engine on
 * cases nobody has seen. */
int main(int argc, char **argv)
{
    struct tally cases = { 0, 0, 0 }, noop = { 0, 0, 0 };
    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            run_dir(argv[i], &cases, &noop);
        printf("# placement: %d like libvirt, %d different, %d not PCI (skipped); no-op: %d of %d\n",
               cases.pass, cases.fail, cases.skip, noop.pass, noop.pass + noop.fail);
        return tap_done();
    }
    char *golden = xasprintf("%s/../golden/place", tu_datadir());
    char *unseen = xasprintf("%s/../golden/unseen/place", tu_datadir());
    char *corners = xasprintf("%s/../golden/corners/place", tu_datadir());
    char *corners_unseen = xasprintf("%s/../golden/corners-unseen/place", tu_datadir());
    char *corners_draft = xasprintf("%s/../golden/corners-unseen/draft", tu_datadir());
    char *corners_2 = xasprintf("%s/../golden/corners-unseen/place2", tu_datadir());
    char *corners_3 = xasprintf("%s/../golden/corners-unseen/place3", tu_datadir());
    char *corners_4 = xasprintf("%s/../golden/corners-unseen/place4", tu_datadir());
    char *corners_5 = xasprintf("%s/../golden/corners-unseen/place5", tu_datadir());
    char *experiments = tu_path(tu_datadir(), "experiments");
    /* devices whose address or target libvirt cannot take */
    char *problems = xasprintf("%s/../golden/problems/place", tu_datadir());
    /* issue 21: aarch64 and riscv64 virt, ppc64 pseries, and the held-out
     * sets made without looking at pcitopo */
    static const char *const arches[] = { "aarch64", "riscv64", "ppc64" };
    for (size_t i = 0; i < ARRAY_LEN(arches); i++) {
        char *dir = xasprintf("%s/../golden/arch/%s/place", tu_datadir(), arches[i]);
        char *unseen_dir = xasprintf("%s/../golden/arch/%s/unseen", tu_datadir(), arches[i]);
        struct tally arch = { 0, 0, 0 };
        run_dir(dir, &arch, &noop);
        if (access(unseen_dir, F_OK) == 0)
            run_dir(unseen_dir, &arch, &noop);
        free(unseen_dir);
        printf("# %s: %d like libvirt, %d different, %d not PCI (skipped)\n", arches[i], arch.pass,
               arch.fail, arch.skip);
        ok(arch.pass >= 250, "%s: at least 250 cases compared (%d)", arches[i], arch.pass);
        cases.pass += arch.pass;
        cases.fail += arch.fail;
        cases.skip += arch.skip;
        free(dir);
    }
    run_dir(golden, &cases, &noop);
    run_dir(unseen, &cases, &noop);
    run_dir(corners, &cases, &noop);
    run_dir(corners_unseen, &cases, &noop);
    run_dir(corners_draft, &cases, &noop);
    run_dir(corners_2, &cases, &noop);
    run_dir(corners_3, &cases, &noop);
    run_dir(corners_4, &cases, &noop);
    run_dir(corners_5, &cases, &noop);
    run_dir(experiments, &cases, &noop);
    run_dir(problems, &cases, &noop);
    run_realworld(&cases);
    printf("# placement: %d like libvirt, %d different, %d not PCI (skipped); no-op: %d of %d\n",
           cases.pass, cases.fail, cases.skip, noop.pass, noop.pass + noop.fail);
    ok(cases.pass >= 1900, "at least 1900 cases compared (%d)", cases.pass);
    ok(placed_whole_checked >= 1500, "the spare count without a second placement checked after %d placements",
       placed_whole_checked);
    free(unseen);
    free(corners);
    free(corners_unseen);
    free(corners_draft);
    free(corners_2);
    free(corners_3);
    free(corners_4);
    free(corners_5);
    free(golden);
    free(experiments);
    free(problems);
    return tap_done();
}
