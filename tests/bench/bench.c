/* bench: how fast placement is, and how its cost grows.
 *
 *   bench [--write DIR]     time place on q35, pc, aarch64 virt and pseries
 *                           domains of 10, 100 and 200 or 250 unaddressed
 *                           devices; with --write, also write those
 *                           domains to DIR (for the libvirt side of
 *                           tests/bench/run)
 *
 * Prints one line per domain: devices, microseconds per place (plan and
 * apply; parsing excluded), and the peak resident memory of a process that
 * did only that.  The goals (under 5 ms for 250 devices, linear growth) are
 * checked by tests/bench/run, not here.
 *
 *   bench --undo            makes 1,000 changes (an add, then its delete) on
 *                           a placed 250-device q35 domain and prints what
 *                           the undo history holds, against the document
 *
 *   bench --renumber        on a placed 250-device q35 domain with a gap a
 *                           deleted port left, and a NIC without an
 *                           address: place_plan_shared (what a preview
 *                           makes anyway), then renumber_of (libvirt's
 *                           way against stable-guest's, renumber.h)
 *
 *   bench --relocate        on a placed 250-device q35 domain: the targets of
 *                           every device (relocate_targets, what the editor
 *                           offers), and one relocate command
 *
 * It measures the steady state: glibc would otherwise return the freed
 * document to the kernel after every run, and on a virtual machine the page
 * faults of taking it back cost more than placement itself, growing with
 * the document (tests/bench/run times the whole command separately). */
#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "command.h"
#include "place.h"
#include "relocate.h"
#include "renumber.h"
#include "session.h"

/* The machines measured, and the sizes of each: pc stops below
 * libvirt's exact-fill sizes (Q3), which it refuses; aarch64's pcie-root
 * holds 248 root ports, so 200 devices of the mix; pseries fills PHBs. */
static const struct bench_machine {
    const char *label, *arch, *machine;
    bool acpi;
    int sizes[3];
} machines[] = {
    { "q35", "x86_64", "pc-q35-7.2", true, { 10, 100, 250 } },
    { "pc", "x86_64", "pc-i440fx-7.2", true, { 10, 100, 250 } },
    { "aarch64", "aarch64", "virt-7.2", false, { 10, 100, 200 } },
    { "pseries", "ppc64", "pseries-7.2", false, { 10, 100, 250 } },
};
#define NMACHINES (sizeof machines / sizeof machines[0])

/* A mix like real guests: mostly virtio, some legacy devices, disks. */
static char *make_domain(const struct bench_machine *m, int n)
{
    struct strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "<domain type='kvm'>\n  <name>bench-%s-%d</name>\n  <memory unit='MiB'>1024</memory>\n"
                   "  <os>\n    <type arch='%s' machine='%s'>hvm</type>\n  </os>\n%s  <devices>\n",
              m->label, n, m->arch, m->machine, m->acpi ? "  <features>\n    <acpi/>\n  </features>\n" : "");
    for (int i = 0; i < n; i++) {
        switch (i % 5) {
        case 0:
        case 1:
        case 2:
            sb_printf(&sb, "    <interface type='network'>\n      <mac address='52:54:00:00:%02x:%02x'/>\n"
                           "      <source network='default'/>\n      <model type='%s'/>\n    </interface>\n",
                      i / 256, i % 256, i % 5 == 2 ? "e1000" : "virtio");
            break;
        case 3:
            sb_printf(&sb, "    <disk type='file' device='disk'>\n      <source file='/var/lib/libvirt/images/d%d.qcow2'/>\n"
                           "      <target dev='vd%c%c' bus='virtio'/>\n    </disk>\n",
                      i, 'a' + (i / 26) % 26, 'a' + i % 26);
            break;
        default:
            sb_puts(&sb, "    <rng model='virtio'>\n      <backend model='random'>/dev/urandom</backend>\n    </rng>\n");
        }
    }
    sb_puts(&sb, "  </devices>\n</domain>\n");
    return sb_detach(&sb);
}

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Places the domain over and over for about a second; prints the result.
 * Runs in a child so that the peak memory is this domain's alone. */
static void measure(const struct bench_machine *m, int n)
{
    char *xml = make_domain(m, n);
    struct err e ERR_SCOPE = ERR_INIT;
    int runs = 0;
    double spent = 0, planning = 0;
    while (spent < 1e6 || runs < 20) {
        struct domain *d = domain_load_memory(xml, strlen(xml), "bench", &e);
        struct topology *t = d ? topology_new(d, &e) : NULL;
        if (!t) {
            fprintf(stderr, "bench: %s\n", e.msg);
            exit(1);
        }
        double t0 = now_us();
        struct plan *p = place_plan(t, &e, NULL);
        if (!p) {
            fprintf(stderr, "bench: %s\n", e.msg);
            exit(1);
        }
        planning += now_us() - t0;
        plan_apply(p, d);
        spent += now_us() - t0;
        runs++;
        plan_free(p);
        topology_free(t);
        domain_free(d);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%-7s %4d devices  %9.1f us per place  peak %6ld KiB  (%d runs; plan %.1f us, apply %.1f us)\n",
           m->label, n, spent / runs, ru.ru_maxrss, runs, planning / runs,
           (spent - planning) / runs);
    fflush(stdout);
    free(xml);
}

static void write_domains(const char *dir)
{
    mkdir(dir, 0777);
    for (size_t q = 0; q < NMACHINES; q++)
        for (size_t i = 0; i < 3; i++) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s-%03d.xml", dir, machines[q].label, machines[q].sizes[i]);
            char *xml = make_domain(&machines[q], machines[q].sizes[i]);
            FILE *f = fopen(path, "w");
            if (!f || fputs(xml, f) < 0 || fclose(f) != 0) {
                perror(path);
                exit(1);
            }
            free(xml);
        }
}

/* Undo is a stack of documents stored as deltas: its memory must grow
 * with what the changes changed, not with the document per change. */
static int measure_undo(void)
{
    enum { DEVICES = 250, CHANGES = 1000 };
    char *xml = make_domain(&machines[0], DEVICES);
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = session_open_memory(xml, strlen(xml), "bench", &e);
    FILE *null = fopen("/dev/null", "w");
    if (!s || !null || cmd_run_script(s, "place", null, null) != 0) {
        fprintf(stderr, "bench: %s\n", s ? "place failed" : e.msg);
        return 1;
    }
    double t0 = now_us();
    for (int i = 0; i < CHANGES; i++) {
        char line[64];
        if (i % 2 == 0)
            snprintf(line, sizeof line, "add e1000 alias=ua-b%d", i);
        else
            snprintf(line, sizeof line, "delete ua-b%d", i - 1);
        if (cmd_run_script(s, line, null, null) != 0) {
            fprintf(stderr, "bench: %s failed\n", line);
            return 1;
        }
    }
    double spent = now_us() - t0;
    size_t doc = 0;
    char *bytes = domain_serialize(s->dom, &doc, &e);
    printf("undo %d changes %d devices  history %zu bytes  document %zu bytes  "
           "(%.0f us per change)\n", CHANGES, DEVICES, session_history_bytes(s), doc, spent / CHANGES);
    int undone = 0;
    while (session_undo(s, &e))
        undone++;
    printf("undo steps %d\n", undone);
    free(bytes);
    fclose(null);
    session_free(s);
    free(xml);
    return 0;
}

/* relocate_targets must be cheap enough to follow the editor's
 * selection: it reads the bus and slot tables, it does not place. */
static int measure_relocate(void)
{
    enum { DEVICES = 250 };
    char *xml = make_domain(&machines[0], DEVICES);
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = session_open_memory(xml, strlen(xml), "bench", &e);
    FILE *null = fopen("/dev/null", "w");
    if (!s || !null || cmd_run_script(s, "place", null, null) != 0) {
        fprintf(stderr, "bench: %s\n", s ? "place failed" : e.msg);
        return 1;
    }
    int asked = 0, listed = 0;
    char moves[96] = "";
    double t0 = now_us();
    for (int round = 0; round < 20; round++)
        for (size_t i = 0; i < s->topo->ndevs; i++) {
            const struct device *dv = &s->topo->devs[i];
            struct relocate_request r = { .dv = dv };
            struct relocate_targets tg;
            struct err why ERR_SCOPE = ERR_INIT;
            if (relocate_targets(s, &r, &tg, &why))
                listed += tg.n;
            asked++;
            /* a device that can go to root-complex slot 1e, and back */
            if (!*moves && (tg.slots[0] & (1u << 0x1e)) && dv->addr_state == ADDR_PCI && dv->index < 0)
                snprintf(moves, sizeof moves, "relocate %02x:%02x.%x 00:1e.0; relocate 00:1e.0 %02x:%02x.%x",
                         dv->addr.bus, dv->addr.slot, dv->addr.function, dv->addr.bus, dv->addr.slot,
                         dv->addr.function);
        }
    double targets = (now_us() - t0) / asked;
    t0 = now_us();
    if (!*moves || cmd_run_script(s, moves, null, null) != 0) {
        fprintf(stderr, "bench: relocate failed\n");
        return 1;
    }
    double move = (now_us() - t0) / 2;
    printf("relocate %d devices  targets %.1f us per device (%d listed)  relocate %.0f us per move\n",
           DEVICES, targets, listed / asked, move);
    fclose(null);
    session_free(s);
    free(xml);
    return 0;
}

static int measure_renumber(void)
{
    enum { DEVICES = 250 };
    char *xml = make_domain(&machines[0], DEVICES);
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = session_open_memory(xml, strlen(xml), "bench", &e);
    FILE *null = fopen("/dev/null", "w");
    /* the NIC behind the port at 00:01.1, and the port: a gap there */
    if (!s || !null || cmd_run_script(s, "place; delete 02:00.0; delete 00:01.1", null, null) != 0) {
        fprintf(stderr, "bench: %s\n", s ? "place or delete failed" : e.msg);
        return 1;
    }
    size_t len;
    char *bytes = domain_serialize(s->dom, &len, &e);
    struct strbuf sb = STRBUF_INIT;
    const char *end = bytes ? strstr(bytes, "</devices>") : NULL;
    if (!end) {
        fprintf(stderr, "bench: no </devices>\n");
        return 1;
    }
    sb_printf(&sb, "%.*s<interface type='network'><source network='default'/><model type='virtio'/></interface>\n%s",
              (int)(end - bytes), bytes, end);
    int runs = 0, moves = -1;
    double placing = 0, comparing = 0;
    while (placing + comparing < 1e6 || runs < 20) {
        struct domain *d = domain_load_memory(sb.buf, sb.len, "bench", &e);
        struct topology *t = d ? topology_new(d, &e) : NULL;
        if (!t) {
            fprintf(stderr, "bench: %s\n", e.msg);
            return 1;
        }
        double t0 = now_us();
        if (!place_plan_shared(t, &e, NULL)) {
            fprintf(stderr, "bench: %s\n", e.msg);
            return 1;
        }
        double t1 = now_us();
        struct renumber r = renumber_of(t);
        comparing += now_us() - t1;
        placing += t1 - t0;
        moves = r.known ? r.libvirt_moves - r.stable_moves : -1;
        renumber_free(&r);
        runs++;
        topology_free(t);
        domain_free(d);
    }
    printf("renumber %d devices  place %.1f us  renumber_of %.1f us more  (%d devices kept by stable-guest; %d runs)\n",
           DEVICES, placing / runs, comparing / runs, moves, runs);
    sb_free(&sb);
    free(bytes);
    fclose(null);
    session_free(s);
    free(xml);
    return 0;
}

int main(int argc, char **argv)
{
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
    mallopt(M_MMAP_THRESHOLD, 256 * 1024 * 1024);
    if (argc == 2 && strcmp(argv[1], "--undo") == 0)
        return measure_undo();
    if (argc == 2 && strcmp(argv[1], "--relocate") == 0)
        return measure_relocate();
    if (argc == 2 && strcmp(argv[1], "--renumber") == 0)
        return measure_renumber();
    if (argc == 3 && strcmp(argv[1], "--write") == 0) {
        write_domains(argv[2]);
        return 0;
    }
    for (size_t q = 0; q < NMACHINES; q++)
        for (size_t i = 0; i < 3; i++) {
            pid_t pid = fork();
            if (pid == 0) {
                measure(&machines[q], machines[q].sizes[i]);
                _exit(0);
            }
            int status;
            if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
                return 1;
        }
    return 0;
}
