#include "config.h"
#include "machine.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

static const struct machine_def machines[] = {
    { .id = MACH_PC, .name = "pc", .canonical = "pc-i440fx-7.2", .title = "pc (i440fx)",
      .arch = "x86", .root_model = "pci-root", .root_qemu_id = "pci.0", .pcie = false,
      .pci_bus_model = "pci-bridge", .bus_model = "pci-bridge", .video_slot = 0x02, .spare = SPARE_PHANTOM,
      .ps2_inputs = true, .numa_bus_model = "pci-expander-bus", .firmware = FW_SEABIOS },
    { .id = MACH_Q35, .name = "q35", .canonical = "pc-q35-7.2", .title = "q35",
      .arch = "x86", .root_model = "pcie-root", .root_qemu_id = "pcie.0", .pcie = true,
      .pci_bus_model = "pci-bridge", .bus_model = "pcie-root-port", .video_slot = 0x01, .spare = SPARE_ROOT_PORT,
      .ps2_inputs = true, .ich9_slots = true, .numa_bus_model = "pcie-expander-bus",
      .firmware = FW_SEABIOS },
    { .id = MACH_ARM_VIRT, .name = "virt", .canonical = "virt-7.2", .title = "aarch64 virt",
      .arch = "aarch64", .root_model = "pcie-root", .root_qemu_id = "pcie.0", .pcie = true,
      .pci_bus_model = "pci-bridge", .bus_model = "pcie-root-port", .spare = SPARE_ROOT_PORT, .virtio_mmio = true,
      .numa_bus_model = "pcie-expander-bus" },
    /* libvirt refuses pcie-expander-bus here: no NUMA bus */
    { .id = MACH_RISCV_VIRT, .name = "virt", .canonical = "virt", .title = "riscv64 virt",
      .arch = "riscv64", .root_model = "pcie-root", .root_qemu_id = "pcie.0", .pcie = true,
      .pci_bus_model = "pci-bridge", .bus_model = "pcie-root-port", .spare = SPARE_ROOT_PORT, .virtio_mmio = true },
    { .id = MACH_PSERIES, .name = "pseries", .canonical = "pseries-7.2", .title = "ppc64 pseries",
      .arch = "pseries", .root_model = "pci-root", .root_qemu_id = "pci.0", .pcie = false,
      .pci_bus_model = "pci-root", .bus_model = "pci-root", .spare = SPARE_PHANTOM, .multiple_roots = true,
      .usb_kbd_mouse = true, .unplug_each_function = true, .numa_bus_model = "pci-root" },
};

/* How libvirt 9.0 names the machine of a domain: the architectures, the
 * machine name or its prefix ("" matches a missing machine=, which
 * libvirt fills with the architecture's preferred machine), and the row;
 * MACH 0 with a reason for what pcitopo does not model. */
static const struct {
    const char *arches;        /* space-separated */
    const char *exact, *prefix;
    enum machine id;
    const char *why;
} recognise[] = {
    { "x86_64 i686", "q35", "pc-q35-", MACH_Q35, NULL },
    { "x86_64 i686", "pc", "pc-", MACH_PC, NULL },
    { "x86_64 i686", "", NULL, MACH_PC, NULL },
    { "aarch64", "virt", "virt-", MACH_ARM_VIRT, NULL },
    { "aarch64", "", NULL, 0,
      "without machine=, libvirt 9.0 gives an aarch64 guest the integratorcp board, which has no PCI; write machine='virt'" },
    { "riscv64", "virt", "virt-", MACH_RISCV_VIRT, NULL },
    { "riscv64", "", NULL, 0,
      "without machine=, libvirt 9.0 gives a riscv64 guest the spike board, which has no PCI; write machine='virt'" },
    { "ppc64 ppc64le", "pseries", "pseries-", MACH_PSERIES, NULL },
    { "ppc64 ppc64le", "", NULL, MACH_PSERIES, NULL },
    { "s390x s390", NULL, NULL, 0,
      "s390x guests put PCI devices on zPCI (uid and fid, beside CCW devices), which pcitopo does not model yet" },
};

static bool word_in(const char *word, const char *list)
{
    size_t n = strlen(word);
    for (const char *p = list; (p = strstr(p, word)); p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

const struct machine_def *machine_def(enum machine m)
{
    for (size_t i = 0; i < ARRAY_LEN(machines); i++)
        if (machines[i].id == m)
            return &machines[i];
    return NULL;
}

const struct machine_def *machine_find(const char *arch, const char *name, const char **why)
{
    if (!arch || !*arch)
        arch = "x86_64";   /* libvirt takes the host's; pcitopo's examples are x86 */
    *why = NULL;
    bool arch_known = false;
    for (size_t i = 0; i < ARRAY_LEN(recognise); i++) {
        if (!word_in(arch, recognise[i].arches))
            continue;
        arch_known = true;
        bool match = !recognise[i].exact && !recognise[i].prefix;
        if (recognise[i].exact)
            match |= name ? strcmp(name, recognise[i].exact) == 0 : recognise[i].exact[0] == '\0';
        if (recognise[i].prefix && name)
            match |= strncmp(name, recognise[i].prefix, strlen(recognise[i].prefix)) == 0;
        if (!match)
            continue;
        if (recognise[i].id)
            return machine_def(recognise[i].id);
        *why = recognise[i].why;
        return NULL;
    }
    *why = arch_known ? "pcitopo models the machines of this architecture that libvirt gives PCI: pc and q35 (x86), virt (aarch64, riscv64), pseries (ppc64)"
                      : "pcitopo models x86_64 and i686 (pc, q35), aarch64 and riscv64 (virt) and ppc64 (pseries) guests";
    return NULL;
}

const char *machine_mask_names(unsigned mask)
{
    static char buf[128];
    buf[0] = '\0';
    if ((mask & MACH_ANY) == MACH_ANY)
        return "every machine";
    for (size_t i = 0; i < ARRAY_LEN(machines); i++)
        if (mask & machines[i].id) {
            size_t len = strlen(buf);
            snprintf(buf + len, sizeof buf - len, "%s%s", len ? ", " : "", machines[i].title);
        }
    return buf;
}

const struct machine_def *machine_def_at(unsigned i)
{
    return i < ARRAY_LEN(machines) ? &machines[i] : NULL;
}
