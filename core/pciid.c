#include "config.h"
#include "pciid.h"

#include <stdio.h>
#include <string.h>

#include "xmlutil.h"

/* Which video a row is for: libvirt makes the primary one a VGA device
 * and a second one a plain display device. */
enum video_role { ROLE_ANY, ROLE_PRIMARY, ROLE_SECONDARY };

/* "=" as the QEMU device: libvirt passes the model through as the
 * device's name (a NIC model it does not know, e1000, rtl8139...). */
#define SAME_AS_MODEL "="

/* libvirt 9.0's QEMU device for each x86 device (qemuBuildDeviceStr and
 * its helpers).  First match wins: element, controller type (NULL: any),
 * pcitopo's model (catalog_kind_model: the element's model or libvirt's
 * default; NULL: any), an attribute that picks a variant (NULL: none;
 * read from the document, so a device placement adds never has one). */
static const struct {
    const char *element, *ctrl_type, *model;
    const char *sel, *val;
    enum video_role role;
    const char *qemu;
} qemu_devices[] = {
    { "interface", NULL, "virtio", NULL, NULL, ROLE_ANY, "virtio-net-pci" },
    { "interface", NULL, "virtio-transitional", NULL, NULL, ROLE_ANY, "virtio-net-pci-transitional" },
    { "interface", NULL, "virtio-non-transitional", NULL, NULL, ROLE_ANY, "virtio-net-pci-non-transitional" },
    { "interface", NULL, NULL, NULL, NULL, ROLE_ANY, SAME_AS_MODEL },

    { "disk", NULL, "virtio", "@model", "virtio-transitional", ROLE_ANY, "virtio-blk-pci-transitional" },
    { "disk", NULL, "virtio", "@model", "virtio-non-transitional", ROLE_ANY, "virtio-blk-pci-non-transitional" },
    { "disk", NULL, "virtio", NULL, NULL, ROLE_ANY, "virtio-blk-pci" },

    { "controller", "scsi", "virtio-scsi", NULL, NULL, ROLE_ANY, "virtio-scsi-pci" },
    { "controller", "scsi", "virtio-transitional", NULL, NULL, ROLE_ANY, "virtio-scsi-pci-transitional" },
    { "controller", "scsi", "virtio-non-transitional", NULL, NULL, ROLE_ANY, "virtio-scsi-pci-non-transitional" },
    { "controller", "scsi", "lsilogic", NULL, NULL, ROLE_ANY, "lsi53c895a" },
    { "controller", "scsi", "lsisas1068", NULL, NULL, ROLE_ANY, "mptsas1068" },
    { "controller", "scsi", "lsisas1078", NULL, NULL, ROLE_ANY, "megasas" },
    { "controller", "scsi", "vmpvscsi", NULL, NULL, ROLE_ANY, "pvscsi" },
    { "controller", "usb", "piix3-uhci", NULL, NULL, ROLE_ANY, "piix3-usb-uhci" },
    { "controller", "usb", "piix4-uhci", NULL, NULL, ROLE_ANY, "piix4-usb-uhci" },
    { "controller", "usb", "ehci", NULL, NULL, ROLE_ANY, "usb-ehci" },
    { "controller", "usb", "ich9-ehci1", NULL, NULL, ROLE_ANY, "ich9-usb-ehci1" },
    { "controller", "usb", "ich9-uhci1", NULL, NULL, ROLE_ANY, "ich9-usb-uhci1" },
    { "controller", "usb", "ich9-uhci2", NULL, NULL, ROLE_ANY, "ich9-usb-uhci2" },
    { "controller", "usb", "ich9-uhci3", NULL, NULL, ROLE_ANY, "ich9-usb-uhci3" },
    { "controller", "usb", "vt82c686b-uhci", NULL, NULL, ROLE_ANY, "vt82c686b-usb-uhci" },
    { "controller", "usb", "pci-ohci", NULL, NULL, ROLE_ANY, "pci-ohci" },
    { "controller", "usb", "nec-xhci", NULL, NULL, ROLE_ANY, "nec-usb-xhci" },
    { "controller", "usb", "qemu-xhci", NULL, NULL, ROLE_ANY, "qemu-xhci" },
    { "controller", "sata", NULL, NULL, NULL, ROLE_ANY, "ich9-ahci" },
    { "controller", "ide", NULL, NULL, NULL, ROLE_ANY, "piix3-ide" },
    { "controller", "virtio-serial", "virtio-transitional", NULL, NULL, ROLE_ANY, "virtio-serial-pci-transitional" },
    { "controller", "virtio-serial", "virtio-non-transitional", NULL, NULL, ROLE_ANY, "virtio-serial-pci-non-transitional" },
    { "controller", "virtio-serial", NULL, NULL, NULL, ROLE_ANY, "virtio-serial-pci" },

    { "video", NULL, "cirrus", NULL, NULL, ROLE_PRIMARY, "cirrus-vga" },
    { "video", NULL, "vga", NULL, NULL, ROLE_PRIMARY, "VGA" },
    { "video", NULL, "qxl", NULL, NULL, ROLE_PRIMARY, "qxl-vga" },
    { "video", NULL, "qxl", NULL, NULL, ROLE_SECONDARY, "qxl" },
    { "video", NULL, "virtio", NULL, NULL, ROLE_PRIMARY, "virtio-vga" },
    { "video", NULL, "virtio", NULL, NULL, ROLE_SECONDARY, "virtio-gpu-pci" },
    { "video", NULL, "bochs", NULL, NULL, ROLE_ANY, "bochs-display" },
    { "video", NULL, "vmvga", NULL, NULL, ROLE_PRIMARY, "vmware-svga" },

    { "sound", NULL, "ich6", NULL, NULL, ROLE_ANY, "intel-hda" },
    { "sound", NULL, "ich9", NULL, NULL, ROLE_ANY, "ich9-intel-hda" },
    { "sound", NULL, "ac97", NULL, NULL, ROLE_ANY, "AC97" },
    { "sound", NULL, "es1370", NULL, NULL, ROLE_ANY, "ES1370" },
    { "watchdog", NULL, "i6300esb", NULL, NULL, ROLE_ANY, "i6300esb" },

    { "memballoon", NULL, "virtio-transitional", NULL, NULL, ROLE_ANY, "virtio-balloon-pci-transitional" },
    { "memballoon", NULL, "virtio-non-transitional", NULL, NULL, ROLE_ANY, "virtio-balloon-pci-non-transitional" },
    { "memballoon", NULL, "virtio", NULL, NULL, ROLE_ANY, "virtio-balloon-pci" },
    { "rng", NULL, "virtio-transitional", NULL, NULL, ROLE_ANY, "virtio-rng-pci-transitional" },
    { "rng", NULL, "virtio-non-transitional", NULL, NULL, ROLE_ANY, "virtio-rng-pci-non-transitional" },
    { "rng", NULL, NULL, NULL, NULL, ROLE_ANY, "virtio-rng-pci" },
    /* the input's model is its type= */
    { "input", NULL, "keyboard", NULL, NULL, ROLE_ANY, "virtio-keyboard-pci" },
    { "input", NULL, "mouse", NULL, NULL, ROLE_ANY, "virtio-mouse-pci" },
    { "input", NULL, "tablet", NULL, NULL, ROLE_ANY, "virtio-tablet-pci" },
    { "input", NULL, "passthrough", NULL, NULL, ROLE_ANY, "virtio-input-host-pci" },
    /* the filesystem's model is its driver type= */
    { "filesystem", NULL, "virtiofs", NULL, NULL, ROLE_ANY, "vhost-user-fs-pci" },
    { "filesystem", NULL, NULL, "@model", "virtio-transitional", ROLE_ANY, "virtio-9p-pci-transitional" },
    { "filesystem", NULL, NULL, "@model", "virtio-non-transitional", ROLE_ANY, "virtio-9p-pci-non-transitional" },
    { "filesystem", NULL, NULL, NULL, NULL, ROLE_ANY, "virtio-9p-pci" },
    { "shmem", NULL, NULL, NULL, NULL, ROLE_ANY, "ivshmem-plain" },
    { "serial", NULL, "pci-serial", NULL, NULL, ROLE_ANY, "pci-serial" },
    { "iommu", NULL, "virtio", NULL, NULL, ROLE_ANY, "virtio-iommu-pci" },
    { "vsock", NULL, NULL, NULL, NULL, ROLE_ANY, "vhost-vsock-pci" },
    { "memory", NULL, "virtio-mem", NULL, NULL, ROLE_ANY, "virtio-mem-pci" },
    { "memory", NULL, "virtio-pmem", NULL, NULL, ROLE_ANY, "virtio-pmem-pci" },
    { "hostdev", NULL, "scsi_host", NULL, NULL, ROLE_ANY, "vhost-scsi-pci" },
    { "hostdev", NULL, NULL, NULL, NULL, ROLE_ANY, "vfio-pci" },
};

/* QEMU 7.2's IDs for each device.  A virtio device with both a legacy
 * and a modern ID is transitional: QEMU gives it the modern one alone on
 * a PCI Express port (its disable-legacy=auto); one with only a modern
 * ID is modern everywhere. */
static const struct {
    const char *qemu;
    unsigned vendor, device, modern, class_code;
} qemu_ids[] = {
    { "virtio-net-pci", 0x1af4, 0x1000, 0x1041, 0x0200 },
    { "virtio-net-pci-transitional", 0x1af4, 0x1000, 0, 0x0200 },
    { "virtio-net-pci-non-transitional", 0x1af4, 0, 0x1041, 0x0200 },
    { "virtio-blk-pci", 0x1af4, 0x1001, 0x1042, 0x0100 },
    { "virtio-blk-pci-transitional", 0x1af4, 0x1001, 0, 0x0100 },
    { "virtio-blk-pci-non-transitional", 0x1af4, 0, 0x1042, 0x0100 },
    { "virtio-scsi-pci", 0x1af4, 0x1004, 0x1048, 0x0100 },
    { "virtio-scsi-pci-transitional", 0x1af4, 0x1004, 0, 0x0100 },
    { "virtio-scsi-pci-non-transitional", 0x1af4, 0, 0x1048, 0x0100 },
    { "vhost-scsi-pci", 0x1af4, 0x1004, 0x1048, 0x0100 },
    { "virtio-serial-pci", 0x1af4, 0x1003, 0x1043, 0x0780 },
    { "virtio-serial-pci-transitional", 0x1af4, 0x1003, 0, 0x0780 },
    { "virtio-serial-pci-non-transitional", 0x1af4, 0, 0x1043, 0x0780 },
    { "virtio-balloon-pci", 0x1af4, 0x1002, 0x1045, 0x00ff },
    { "virtio-balloon-pci-transitional", 0x1af4, 0x1002, 0, 0x00ff },
    { "virtio-balloon-pci-non-transitional", 0x1af4, 0, 0x1045, 0x00ff },
    { "virtio-rng-pci", 0x1af4, 0x1005, 0x1044, 0x00ff },
    { "virtio-rng-pci-transitional", 0x1af4, 0x1005, 0, 0x00ff },
    { "virtio-rng-pci-non-transitional", 0x1af4, 0, 0x1044, 0x00ff },
    { "virtio-9p-pci", 0x1af4, 0x1009, 0x1049, 0x0002 },
    { "virtio-9p-pci-transitional", 0x1af4, 0x1009, 0, 0x0002 },
    { "virtio-9p-pci-non-transitional", 0x1af4, 0, 0x1049, 0x0002 },
    { "virtio-vga", 0x1af4, 0, 0x1050, 0x0300 },
    { "virtio-gpu-pci", 0x1af4, 0, 0x1050, 0x0380 },
    { "virtio-keyboard-pci", 0x1af4, 0, 0x1052, 0x0900 },
    { "virtio-mouse-pci", 0x1af4, 0, 0x1052, 0x0902 },
    { "virtio-tablet-pci", 0x1af4, 0, 0x1052, 0x0980 },
    { "virtio-input-host-pci", 0x1af4, 0, 0x1052, 0x0980 },
    { "vhost-vsock-pci", 0x1af4, 0, 0x1053, 0x0780 },
    { "virtio-iommu-pci", 0x1af4, 0, 0x1057, 0x00ff },
    { "virtio-mem-pci", 0x1af4, 0, 0x1058, 0x00ff },
    { "vhost-user-fs-pci", 0x1af4, 0, 0x105a, 0x0180 },
    { "virtio-pmem-pci", 0x1af4, 0, 0x105b, 0x00ff },
    { "ivshmem-plain", 0x1af4, 0x1110, 0, 0x0500 },

    { "e1000", 0x8086, 0x100e, 0, 0x0200 },
    { "e1000e", 0x8086, 0x10d3, 0, 0x0200 },
    { "rtl8139", 0x10ec, 0x8139, 0, 0x0200 },
    { "ne2k_pci", 0x10ec, 0x8029, 0, 0x0200 },
    { "pcnet", 0x1022, 0x2000, 0, 0x0200 },
    { "vmxnet3", 0x15ad, 0x07b0, 0, 0x0200 },

    { "lsi53c895a", 0x1000, 0x0012, 0, 0x0100 },
    { "mptsas1068", 0x1000, 0x0054, 0, 0x0100 },
    { "megasas", 0x1000, 0x0060, 0, 0x0104 },
    { "pvscsi", 0x15ad, 0x07c0, 0, 0x0100 },
    { "ich9-ahci", 0x8086, 0x2922, 0, 0x0106 },
    { "piix3-ide", 0x8086, 0x7010, 0, 0x0101 },

    { "piix3-usb-uhci", 0x8086, 0x7020, 0, 0x0c03 },
    { "piix4-usb-uhci", 0x8086, 0x7112, 0, 0x0c03 },
    { "usb-ehci", 0x8086, 0x24cd, 0, 0x0c03 },
    { "ich9-usb-ehci1", 0x8086, 0x293a, 0, 0x0c03 },
    { "ich9-usb-uhci1", 0x8086, 0x2934, 0, 0x0c03 },
    { "ich9-usb-uhci2", 0x8086, 0x2935, 0, 0x0c03 },
    { "ich9-usb-uhci3", 0x8086, 0x2936, 0, 0x0c03 },
    { "vt82c686b-usb-uhci", 0x1106, 0x3038, 0, 0x0c03 },
    { "pci-ohci", 0x106b, 0x003f, 0, 0x0c03 },
    { "nec-usb-xhci", 0x1033, 0x0194, 0, 0x0c03 },
    { "qemu-xhci", 0x1b36, 0x000d, 0, 0x0c03 },

    { "cirrus-vga", 0x1013, 0x00b8, 0, 0x0300 },
    { "VGA", 0x1234, 0x1111, 0, 0x0300 },
    { "qxl-vga", 0x1b36, 0x0100, 0, 0x0300 },
    { "qxl", 0x1b36, 0x0100, 0, 0x0380 },
    { "bochs-display", 0x1234, 0x1111, 0, 0x0380 },
    { "vmware-svga", 0x15ad, 0x0405, 0, 0x0300 },

    { "intel-hda", 0x8086, 0x2668, 0, 0x0403 },
    { "ich9-intel-hda", 0x8086, 0x293e, 0, 0x0403 },
    { "AC97", 0x8086, 0x2415, 0, 0x0401 },
    { "ES1370", 0x1274, 0x5000, 0, 0x0401 },
    { "i6300esb", 0x8086, 0x25ab, 0, 0x0880 },
    { "pci-serial", 0x1b36, 0x0002, 0, 0x0700 },

    { "pcie-root-port", 0x1b36, 0x000c, 0, 0x0604 },
    { "ioh3420", 0x8086, 0x3420, 0, 0x0604 },
    { "x3130-upstream", 0x104c, 0x8232, 0, 0x0604 },
    { "xio3130-downstream", 0x104c, 0x8233, 0, 0x0604 },
    { "pci-bridge", 0x1b36, 0x0001, 0, 0x0604 },
    { "pcie-pci-bridge", 0x1b36, 0x000e, 0, 0x0604 },
    { "i82801b11-bridge", 0x8086, 0x244e, 0, 0x0604 },
    { "pxb", 0x1b36, 0x0009, 0, 0x0600 },
    { "pxb-pcie", 0x1b36, 0x000b, 0, 0x0600 },
};

/* The functions the chipset always has (catalog's chipset rows). */
static const struct {
    unsigned machines;
    unsigned slot, function;
    struct pci_ids ids;
} chipset_ids[] = {
    { MACH_Q35, 0x00, 0, { 0x8086, 0x29c0, 0x0600 } },
    { MACH_Q35, 0x1f, 0, { 0x8086, 0x2918, 0x0601 } },
    { MACH_Q35, 0x1f, 3, { 0x8086, 0x2930, 0x0c05 } },
    { MACH_PC, 0x00, 0, { 0x8086, 0x1237, 0x0600 } },
    { MACH_PC, 0x01, 0, { 0x8086, 0x7000, 0x0601 } },
    { MACH_PC, 0x01, 3, { 0x8086, 0x7113, 0x0680 } },
};

/* pci.ids 2023.04.10: the vendors, devices and classes above. */
static const struct { unsigned vendor; const char *name; } vendor_names[] = {
    { 0x1000, "Broadcom / LSI" },
    { 0x1013, "Cirrus Logic" },
    { 0x1022, "Advanced Micro Devices, Inc. [AMD]" },
    { 0x1033, "NEC Corporation" },
    { 0x104c, "Texas Instruments" },
    { 0x106b, "Apple Inc." },
    { 0x10ec, "Realtek Semiconductor Co., Ltd." },
    { 0x1106, "VIA Technologies, Inc." },
    { 0x1274, "Ensoniq" },
    { 0x15ad, "VMware" },
    { 0x1af4, "Red Hat, Inc." },
    { 0x1b36, "Red Hat, Inc." },
    { 0x8086, "Intel Corporation" },
};

static const struct { unsigned vendor, device; const char *name; } device_names[] = {
    { 0x1000, 0x0012, "53c895a" },
    { 0x1000, 0x0054, "SAS1068 PCI-X Fusion-MPT SAS" },
    { 0x1000, 0x0060, "MegaRAID SAS 1078" },
    { 0x1013, 0x00b8, "GD 5446" },
    { 0x1022, 0x2000, "79c970 [PCnet32 LANCE]" },
    { 0x1033, 0x0194, "uPD720200 USB 3.0 Host Controller" },
    { 0x104c, 0x8232, "XIO3130 PCI Express Switch (Upstream)" },
    { 0x104c, 0x8233, "XIO3130 PCI Express Switch (Downstream)" },
    { 0x106b, 0x003f, "KeyLargo/Intrepid USB" },
    { 0x10ec, 0x8029, "RTL-8029(AS)" },
    { 0x10ec, 0x8139, "RTL-8100/8101L/8139 PCI Fast Ethernet Adapter" },
    { 0x1106, 0x3038, "VT82xx/62xx/VX700/8x0/900 UHCI USB 1.1 Controller" },
    { 0x1274, 0x5000, "ES1370 [AudioPCI]" },
    { 0x15ad, 0x0405, "SVGA II Adapter" },
    { 0x15ad, 0x07b0, "VMXNET3 Ethernet Controller" },
    { 0x15ad, 0x07c0, "PVSCSI SCSI Controller" },
    { 0x1af4, 0x1000, "Virtio network device" },
    { 0x1af4, 0x1001, "Virtio block device" },
    { 0x1af4, 0x1002, "Virtio memory balloon" },
    { 0x1af4, 0x1003, "Virtio console" },
    { 0x1af4, 0x1004, "Virtio SCSI" },
    { 0x1af4, 0x1005, "Virtio RNG" },
    { 0x1af4, 0x1009, "Virtio filesystem" },
    { 0x1af4, 0x1041, "Virtio 1.0 network device" },
    { 0x1af4, 0x1042, "Virtio 1.0 block device" },
    { 0x1af4, 0x1043, "Virtio 1.0 console" },
    { 0x1af4, 0x1044, "Virtio 1.0 RNG" },
    { 0x1af4, 0x1045, "Virtio 1.0 memory balloon" },
    { 0x1af4, 0x1048, "Virtio 1.0 SCSI" },
    { 0x1af4, 0x1049, "Virtio 1.0 filesystem" },
    { 0x1af4, 0x1050, "Virtio 1.0 GPU" },
    { 0x1af4, 0x1052, "Virtio 1.0 input" },
    { 0x1af4, 0x1053, "Virtio 1.0 socket" },
    { 0x1af4, 0x105a, "Virtio file system" },
    { 0x1af4, 0x1110, "Inter-VM shared memory" },
    { 0x1b36, 0x0001, "QEMU PCI-PCI bridge" },
    { 0x1b36, 0x0002, "QEMU PCI 16550A Adapter" },
    { 0x1b36, 0x0009, "QEMU PCI Expander bridge" },
    { 0x1b36, 0x000b, "QEMU PCIe Expander bridge" },
    { 0x1b36, 0x000c, "QEMU PCIe Root port" },
    { 0x1b36, 0x000d, "QEMU XHCI Host Controller" },
    { 0x1b36, 0x0100, "QXL paravirtual graphic card" },
    { 0x8086, 0x100e, "82540EM Gigabit Ethernet Controller" },
    { 0x8086, 0x10d3, "82574L Gigabit Network Connection" },
    { 0x8086, 0x1237, "440FX - 82441FX PMC [Natoma]" },
    { 0x8086, 0x2415, "82801AA AC'97 Audio Controller" },
    { 0x8086, 0x244e, "82801 PCI Bridge" },
    { 0x8086, 0x24cd, "82801DB/DBM (ICH4/ICH4-M) USB2 EHCI Controller" },
    { 0x8086, 0x25ab, "6300ESB Watchdog Timer" },
    { 0x8086, 0x2668, "82801FB/FBM/FR/FW/FRW (ICH6 Family) High Definition Audio Controller" },
    { 0x8086, 0x2918, "82801IB (ICH9) LPC Interface Controller" },
    { 0x8086, 0x2922, "82801IR/IO/IH (ICH9R/DO/DH) 6 port SATA Controller [AHCI mode]" },
    { 0x8086, 0x2930, "82801I (ICH9 Family) SMBus Controller" },
    { 0x8086, 0x2934, "82801I (ICH9 Family) USB UHCI Controller #1" },
    { 0x8086, 0x2935, "82801I (ICH9 Family) USB UHCI Controller #2" },
    { 0x8086, 0x2936, "82801I (ICH9 Family) USB UHCI Controller #3" },
    { 0x8086, 0x293a, "82801I (ICH9 Family) USB2 EHCI Controller #1" },
    { 0x8086, 0x293e, "82801I (ICH9 Family) HD Audio Controller" },
    { 0x8086, 0x29c0, "82G33/G31/P35/P31 Express DRAM Controller" },
    { 0x8086, 0x3420, "7500/5520/5500/X58 I/O Hub PCI Express Root Port 0" },
    { 0x8086, 0x7000, "82371SB PIIX3 ISA [Natoma/Triton II]" },
    { 0x8086, 0x7010, "82371SB PIIX3 IDE [Natoma/Triton II]" },
    { 0x8086, 0x7020, "82371SB PIIX3 USB [Natoma/Triton II]" },
    { 0x8086, 0x7112, "82371AB/EB/MB PIIX4 USB" },
    { 0x8086, 0x7113, "82371AB/EB/MB PIIX4 ACPI" },
};

/* Subclass names, and the base class names lspci falls back to. */
static const struct { unsigned code; const char *name; } class_names[] = {
    { 0x0100, "SCSI storage controller" },
    { 0x0101, "IDE interface" },
    { 0x0104, "RAID bus controller" },
    { 0x0106, "SATA controller" },
    { 0x0180, "Mass storage controller" },
    { 0x0200, "Ethernet controller" },
    { 0x0300, "VGA compatible controller" },
    { 0x0380, "Display controller" },
    { 0x0401, "Multimedia audio controller" },
    { 0x0403, "Audio device" },
    { 0x0500, "RAM memory" },
    { 0x0600, "Host bridge" },
    { 0x0601, "ISA bridge" },
    { 0x0604, "PCI bridge" },
    { 0x0680, "Bridge" },
    { 0x0700, "Serial controller" },
    { 0x0780, "Communication controller" },
    { 0x0880, "System peripheral" },
    { 0x0900, "Keyboard controller" },
    { 0x0902, "Mouse controller" },
    { 0x0980, "Input device controller" },
    { 0x0c03, "USB controller" },
    { 0x0c05, "SMBus" },
};
static const char *const base_class_names[] = {
    "Unclassified device", "Mass storage controller", "Network controller",
    "Display controller", "Multimedia controller", "Memory controller", "Bridge",
    "Communication controller", "Generic system peripheral", "Input device controller",
    "Docking station", "Processor", "Serial bus controller",
};

const char *pciid_vendor_name(unsigned vendor)
{
    for (size_t i = 0; i < ARRAY_LEN(vendor_names); i++)
        if (vendor_names[i].vendor == vendor)
            return vendor_names[i].name;
    return NULL;
}

const char *pciid_device_name(unsigned vendor, unsigned device)
{
    for (size_t i = 0; i < ARRAY_LEN(device_names); i++)
        if (device_names[i].vendor == vendor && device_names[i].device == device)
            return device_names[i].name;
    return NULL;
}

const char *pciid_class_name(unsigned class_code)
{
    for (size_t i = 0; i < ARRAY_LEN(class_names); i++)
        if (class_names[i].code == class_code)
            return class_names[i].name;
    return NULL;
}

void pciid_put_lspci(struct strbuf *sb, const struct pci_ids *id)
{
    const char *cls = pciid_class_name(id->class_code);
    unsigned base = id->class_code >> 8;
    if (cls)
        sb_puts(sb, cls);
    else if (base < ARRAY_LEN(base_class_names))
        sb_printf(sb, "%s [%04x]", base_class_names[base], id->class_code);
    else
        sb_printf(sb, "Class [%04x]", id->class_code);
    const char *vendor = pciid_vendor_name(id->vendor);
    const char *device = pciid_device_name(id->vendor, id->device);
    if (vendor && device)
        sb_printf(sb, ": %s %s", vendor, device);
    else if (vendor)
        sb_printf(sb, ": %s Device %04x", vendor, id->device);
    else
        sb_printf(sb, ": Device %04x:%04x", id->vendor, id->device);
}

/* The element, controller type and model of f, from its device or from
 * placement's item. */
static void describe(const struct guest_fn *f, const char **element, const char **type,
                     const char **model)
{
    *element = *type = *model = NULL;
    if (f->dev) {
        *element = (const char *)f->dev->node->name;
        *type = f->dev->ctrl_type;
        *model = f->dev->model;
    } else if (f->item) {
        *element = f->item->element;
        *type = f->item->ctrl_type;
        *model = f->item->model;
    }
}

static enum video_role video_role(const struct guestbus *g, const struct guest_fn *f)
{
    if (f->dev)
        return f->dev == topology_primary_video(g->t) ? ROLE_PRIMARY : ROLE_SECONDARY;
    /* a video libvirt adds is the primary one (its row says primary=yes) */
    return ROLE_PRIMARY;
}

/* A PCI controller is its <model name=''>: the document's, placement's,
 * or the model's QEMU device. */
static const char *controller_device(const struct guestbus *g, const struct guest_fn *f)
{
    const char *name = f->dev ? xml_attr(xml_child(f->dev->node, "model"), "name") : NULL;
    if (name && *name)
        return name;
    if (f->item && f->item->model_name)
        return f->item->model_name;
    const struct ctrl_model *m = f->dev ? f->dev->ctrl
        : catalog_ctrl_model(f->item ? f->item->model : NULL, g->t->machine);
    return m ? m->qemu_name : NULL;
}

const char *pciid_qemu_device(const struct guestbus *g, const struct guest_fn *f)
{
    if (f->inner_bridge)
        return "pci-bridge";
    if (f->chipset)
        return NULL;
    const char *element, *type, *model;
    describe(f, &element, &type, &model);
    if (!element)
        return NULL;
    if (type && str_eq(type, "pci"))
        return controller_device(g, f);
    if (f->dev && f->dev->kind && f->dev->kind->cls == CLASS_HOSTDEV)
        return "vfio-pci";
    for (size_t i = 0; i < ARRAY_LEN(qemu_devices); i++) {
        const char *want_type = qemu_devices[i].ctrl_type, *want_model = qemu_devices[i].model;
        if (!str_eq(qemu_devices[i].element, element)
            || (want_type && !(type && str_eq(want_type, type)))
            || (want_model && !(model && str_eq(want_model, model))))
            continue;
        if (qemu_devices[i].sel && !(f->dev && catalog_selector_matches(f->dev->node, qemu_devices[i].sel,
                                                                         qemu_devices[i].val)))
            continue;
        if (qemu_devices[i].role != ROLE_ANY && qemu_devices[i].role != video_role(g, f))
            continue;
        return str_eq(qemu_devices[i].qemu, SAME_AS_MODEL) ? model : qemu_devices[i].qemu;
    }
    return NULL;
}

bool pciid_of(const struct guestbus *g, const struct guest_fn *f, struct pci_ids *out)
{
    if (f->chipset) {
        for (size_t i = 0; i < ARRAY_LEN(chipset_ids); i++)
            if ((chipset_ids[i].machines & g->t->machine) && chipset_ids[i].slot == f->xml.slot
                && chipset_ids[i].function == f->xml.function) {
                *out = chipset_ids[i].ids;
                return true;
            }
        return false;
    }
    const char *qemu = pciid_qemu_device(g, f);
    for (size_t i = 0; qemu && i < ARRAY_LEN(qemu_ids); i++) {
        if (!str_eq(qemu_ids[i].qemu, qemu))
            continue;
        bool pcie_link = f->has_xml && g->bus[f->xml.bus].pcie_link;
        bool modern = qemu_ids[i].modern && (pcie_link || !qemu_ids[i].device);
        *out = (struct pci_ids){ qemu_ids[i].vendor, modern ? qemu_ids[i].modern : qemu_ids[i].device,
                                 qemu_ids[i].class_code };
        return true;
    }
    return false;
}

bool pciid_qemu_at(size_t i, const char **qemu, struct pci_ids *legacy, unsigned *modern)
{
    if (i >= ARRAY_LEN(qemu_ids))
        return false;
    *qemu = qemu_ids[i].qemu;
    *legacy = (struct pci_ids){ qemu_ids[i].vendor, qemu_ids[i].device, qemu_ids[i].class_code };
    *modern = qemu_ids[i].modern;
    return true;
}

bool pciid_chipset_at(size_t i, unsigned *machines, struct pci_ids *ids)
{
    if (i >= ARRAY_LEN(chipset_ids))
        return false;
    *machines = chipset_ids[i].machines;
    *ids = chipset_ids[i].ids;
    return true;
}
