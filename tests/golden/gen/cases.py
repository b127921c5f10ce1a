"""The golden cases for the placement engine.

Each case is a dict:
  name      short name, prefixed q35- or pc- (file name NNN-name.*)
  machine   'q35' or 'pc'
  devices   list of XML fragments (see xmlparts.py)
  rules     sections / rows of docs/placement-rules.md that the case covers
  about     one line: what the case checks
  opts      keyword arguments of xmlparts.build_domain (none, acpi, numa, ...)

Case numbers are the position in CASES (1-based). ONLY APPEND new cases at the
end, otherwise the numbers (and file names) of existing cases shift.
"""

import random

from xmlparts import (addr, raw_addr, nic, nics, disk, disk_name, cdrom, ctrl, pci, usb, usb2_set,
                      scsi, vserial, sound, video, watchdog, balloon, rng, vinput, fs9p, virtiofs,
                      vsock, shmem, pciserial, isaserial, channel, hostdev_pci, hostdev_mdev,
                      hostdev_vhost_scsi, nic_hostdev, iommu, pmem, vmem, panic, crypto)

CASES = []

# Hand-written remarks shown after the result in the README table (keyed by case name).
# "CONTRADICTS" marks a result that placement-rules.md predicts differently
# (details in README.md, section "Contradictions").
Q3 = ("CONTRADICTS §7.2/§12 Q3 formula (it predicts success); follows the exact-fill rule C1 of README.md")
VIDEO = "CONTRADICTS §4 (primary video placed at once, counted twice in pass A; README C2)"
NOTES = {
    "q35-none-250virtio": "251 root ports (250 + spare) do not fit the 240 functions of pcie-root",
    "q35-none-240virtio": "same: 239 NICs + spare = 240 ports is the maximum (case 292)",
    "pc-none-90e1000": Q3, "pc-none-120e1000": Q3, "pc-none-150e1000": Q3, "pc-none-121e1000": Q3,
    "pc-none-180e1000": Q3,
    "pc-none-60e1000": "Q3 as documented", "pc-none-91e1000": "Q3 as documented",
    "pc-vga-balloon-58virtio": "Q3 with F=29 (58 NICs + balloon = 59 = 28+31)",
    "q35-none-62e1000": "Q3 analogue on q35, not in the document (README C3)",
    "q35-none-92e1000": "Q3 analogue on q35, not in the document (README C3)",
    "pc-q3-29-manual-plus-31": "Q3 with F=1", "pc-q3-28-manual-plus-32": "Q3 with F=2",
    "q35-usb-ich9-ehci1": "a lone ehci1 does not get 00:1d (README C4)",
    "q35-usb-nomodel": "model-less usb controller became piix3-uhci (PCI)",
    "q35-nic-nomodel": "model-less interface became rtl8139 (PCI)",
    "q35-switch-downstream-first": "Q1 loop: upstream idx3 at 01:00.0 inside its own downstream port idx1",
    "q35-q1-switch-two-upstreams": "Q1 loops: upstream 1 at 02:00.0, upstream 3 at 04:00.0, both downstreams on bus 1",
    "q35-switch-upstream-after-port": "no loop: root port 1 is placed first",
    "q35-rootport-manual-fn3-aggregate": "new ports join the aggregate slot 1 (.0-.2, .4-.7) before slot 2",
    "pc-manual-root-slots": VIDEO, "pc-video-slot2-taken-by-bridge": VIDEO, "pc-video-early-vs-bridge": VIDEO,
    "q35-video-early-vs-bridge": VIDEO, "q35-video-early-pcie": VIDEO + "; 2 empty ports",
    "pc-video-taken-pxb": VIDEO, "pc-video-taken-27nics": VIDEO + "; unused bridge",
    "pc-video-taken-26nics": VIDEO, "q35-video-taken-e1000e-x2": VIDEO,
    "q35-video-taken-explicit-port": VIDEO + "; port 2 added although a port is explicit",
    "q35-ich9-1b-taken-vs-bridge": "ich9 is NOT placed early (normal category 4), unlike the video",
    "pc-root-hotplug-off": "Q8: accepted at define",
    "q35-busnr-3-then-auto": "busNr 3 then 1 (lowest-2 = 1 is still allowed)",
    "pc-pxb-busnr-later-in-list": "busNr 198, 200, 196",
    "q35-scsi-buslogic": "CONTRADICTS §3 (buslogic listed as a PCI scsi model; README C5)",
    "pc-iommu-virtio-acpi": "CONTRADICTS §3 (virtio iommu said to auto-place on pci-root; README C6)",
    "pc-all-kinds-reversed": "same kinds as case 148 minus the virtio iommu (refused on pc, case 138)",
    "q35-video-vga-secondary": "not in the document: vga only as primary (README G2)",
    "q35-usb-ich9-uhci1": "not PCI: a uhci companion needs its ehci1 master",
    "pc-usb-ich9-ehci1": "lone ehci1 keeps function 7 (00:02.7), no function 0",
    "q35-rootport-gap-idx5": "4 empty ports: gap fillers 1-4 are plain ports, pass A still adds port+bridge for the e1000",
    "q35-spare-manual-legacy-bus2": "spare port 3 added (restricted port 1 not free)",
}


def C(name, machine, devices, rules, about, **opts):
    assert name.startswith(machine + "-"), name
    assert name not in {c["name"] for c in CASES}, name
    CASES.append(dict(name=name, machine=machine, devices=list(devices), rules=rules,
                      about=about, opts=opts, note=NOTES.get(name, "")))


MIX_KINDS = ["virtio", "e1000", "disk", "e1000e", "rtl8139", "virtio-transitional",
             "disk-transitional", "virtio-non-transitional"]


def mix(n, kinds=MIX_KINDS, start=0):
    """n devices cycling through kinds (NIC models and virtio disks)."""
    out, d = [], 0
    for i in range(n):
        k = kinds[(i + start) % len(kinds)]
        if k == "disk":
            out.append(disk(disk_name(d)))
            d += 1
        elif k == "disk-transitional":
            out.append(disk(disk_name(d), model="virtio-transitional"))
            d += 1
        else:
            out.append(nic(k))
    return out


def rootports(first, n):
    return [pci("pcie-root-port", first + i) for i in range(n)]


# ---------------------------------------------------------------------------
# 1. q35, N unaddressed virtio NICs, usb/balloon none  (§5.4 packing, §7.1 spare)
for n in (0, 1, 2, 7, 8, 9, 16, 31, 32, 100, 200, 250):
    C("q35-none-%dvirtio" % n, "q35", nics(n),
      "§5.3, §5.4 (root-port packing), §5.5 row PCIe endpoint, §7.1",
      "%d virtio NICs on a bare q35: one root port each plus the spare" % n)

# 2. q35, N mixed devices (virtio/e1000/disk/e1000e/rtl8139/transitional)
for n in (2, 7, 8, 9, 16, 31, 32, 100, 200, 250):
    C("q35-none-mix%d" % n, "q35", mix(n),
      "§3 classes, §5.5 rows PCIe/PCI endpoint on q35, §5.6, §5.7, §6, §7.1",
      "%d mixed NIC models and virtio disks (PCIe and legacy) on q35" % n)

# 3. q35 with the implicit devices kept (xhci + balloon) plus N virtio NICs
for n in (1, 9, 31):
    C("q35-default-%dvirtio" % n, "q35", nics(n),
      "§4.2 implicit devices, §6 order (NIC < usb < balloon), §7.1",
      "default q35 (implicit qemu-xhci and balloon) plus %d virtio NICs" % n, none=False)

# 4. pc, N unaddressed e1000 NICs (phantom slot, quirk Q3)
for n in (29, 30, 31, 58, 59, 60, 61, 62, 89, 90, 91, 92, 93, 120, 150, 200, 250):
    C("pc-none-%de1000" % n, "pc", nics(n, "e1000"),
      "§5.5 row PCI endpoint on pc, §7.2 phantom slot, §12 Q3",
      "%d e1000 NICs on a bare pc (F=30 free root slots)" % n)

# 5. pc with the defaults kept (piix3 usb 00:01.2, balloon) and a vga video (F=29)
for n in (27, 28, 58, 59):
    C("pc-vga-balloon-%dvirtio" % n, "pc", [video("vga")] + nics(n),
      "§4.1 (00:01.2 usb, 00:02.0 video), §7.2 with F=29, §12 Q3",
      "pc defaults + vga + %d virtio NICs (+ balloon = %d devices)" % (n, n + 1), none=False)

# ---------------------------------------------------------------------------
# 6. every device kind of §3 on its own (q35, none)
for model in ("virtio-transitional", "virtio-non-transitional", "rtl8139", None):
    C("q35-nic-%s" % (model or "nomodel"), "q35", [nic(model)],
      "§3 interface rows, §5.5, §7.1",
      "one interface of model %s" % (model or "(none given)"))
C("q35-nic-2e1000e", "q35", nics(2, "e1000e"), "§3 (e1000e = PCIe), §7.1", "two e1000e NICs")
C("q35-disk-virtio", "q35", [disk("vda")], "§3 virtio disk = VIRTIO, §7.1", "one virtio disk")
C("q35-disk-transitional", "q35", [disk("vda", model="virtio-transitional")],
  "§3 (transitional disk = PCI), §5.5 pcie-to-pci-bridge row", "one virtio-transitional disk")
C("q35-disk-nontransitional", "q35", [disk("vda", model="virtio-non-transitional")],
  "§3 disk rows", "one virtio-non-transitional disk")
C("q35-disk-order", "q35", [disk("vdc"), nic(), disk("vda"), disk("sda", bus="sata"), disk("vdb")],
  "§5.1 step 3 (disks sorted by target), §6 (NIC before disks)",
  "virtio disks vdc, vda, vdb (+ a sata disk and a NIC) in XML order")
for model in ("qemu-xhci", "nec-xhci", "piix3-uhci", "piix4-uhci", "ehci", "ich9-ehci1", "ich9-uhci1",
              "vt82c686b-uhci", "pci-ohci", None):
    C("q35-usb-%s" % (model or "nomodel"), "q35", [usb(model, 0)], "§3 usb rows, §4.2, §7.1",
      "one usb controller of model %s alone" % (model or "(unset)"), none="balloon")
for model in ("qemu-xhci", "ich9-ehci1", None):
    C("pc-usb-%s" % (model or "nomodel"), "pc", [usb(model, 0)], "§3 usb rows, §4.1 (00:01.2 only for piix3/unset)",
      "pc with one usb controller of model %s" % (model or "(unset)"), none="balloon")
C("q35-usb2-one-set", "q35", usb2_set(0), "§4.2 USB2 companion sets (00:1d)", "one full ich9 USB2 set",
  none="balloon")
C("q35-usb2-two-sets-reversed", "q35", usb2_set(1, ("uhci1", "ehci1")) + usb2_set(0, ("uhci2", "uhci1", "ehci1")),
  "§4.2 USB2 sets: first set 00:1d, second 00:1a; controller-list order",
  "two partial USB2 sets, index 1 written first", none="balloon")
C("q35-usb2-four-sets", "q35", sum((usb2_set(i, ("ehci1", "uhci1")) for i in range(4)), []),
  "§4.2 USB2 sets beyond the second get a normal PCI slot", "four ehci1+uhci1 sets", none="balloon")
C("pc-usb2-two-sets", "pc", usb2_set(0) + usb2_set(1, ("ehci1", "uhci1", "uhci2")),
  "§4.2 (on pc all sets take a normal slot), §11", "two USB2 sets on pc", none="balloon")
C("q35-usb2-set-and-xhci", "q35", [usb("qemu-xhci", 1)] + usb2_set(0),
  "§4.2 USB2 set + xhci index 1", "xhci index 1 written before the USB2 set index 0", none="balloon")
C("q35-usb2-uhci1-only-index1", "q35", [usb("ich9-uhci1", 1, startport=0), nic("e1000")],
  "§4.2 (a set of only uhci1)", "lone ich9-uhci1 index 1 plus an e1000", none="balloon")

for model in ("virtio-scsi", "lsilogic", "lsisas1068", "lsisas1078", "buslogic", "vmpvscsi", "am53c974",
              "dc390", "virtio-transitional", "virtio-non-transitional", None):
    C("q35-scsi-%s" % (model or "default"), "q35", [scsi(model, 0)], "§3 scsi rows",
      "one scsi controller of model %s" % (model or "(default)"))
C("q35-scsi-disk-no-controller", "q35", [disk("sda", bus="scsi"), disk("sdb", bus="scsi"), nic()],
  "§4.2 (implicit lsilogic for a SCSI disk), §3", "two scsi disks without a controller + virtio NIC")
for model in (None, "virtio-transitional", "virtio-non-transitional"):
    C("q35-vserial-%s" % (model or "default"), "q35", [vserial(model), channel()], "§3 virtio-serial rows",
      "virtio-serial controller model %s with a channel" % (model or "(default)"))
C("q35-sata1", "q35", [ctrl("sata", index=1), ctrl("sata", index=2)], "§3 sata, §4.2 (sata0 fixed), §6 cat. 5",
  "sata controllers index 1 and 2")
C("q35-ide", "q35", [ctrl("ide", index=0)], "§3 ide on q35", "an ide controller on q35")
C("pc-ide-cdrom-and-ide1", "pc", [cdrom("hda", "ide"), ctrl("ide", index=1)], "§4.1 (ide0 00:01.1), §3 ide index 1",
  "ide cdrom (ide0) and an ide controller index 1")
C("pc-sata0", "pc", [cdrom("sda", "sata"), nic()], "§3 sata on pc (no fixed address)", "sata cdrom on pc")
for model in ("ich6", "ich9", "ac97", "es1370"):
    C("q35-sound-%s" % model, "q35", [sound(model)], "§3 sound rows, §4.2 (ich9 00:1b.0)", "one %s sound card" % model)
    C("pc-sound-%s" % model, "pc", [sound(model), nic()], "§3 sound rows, §6 (NIC before sound)",
      "one %s sound card + virtio NIC on pc" % model)
C("q35-sound-ich9-x3-ich6", "q35", [sound("ich9"), sound("ich6"), sound("ich9"), sound("ich9")],
  "§4.2 (only the first ich9 gets 00:1b.0), §6", "three ich9 and one ich6 sound cards")
C("q35-sound-sb16-pcspk", "q35", [sound("sb16"), sound("pcspk")], "§3 (sb16/pcspk not PCI)",
  "non-PCI sound cards only")
for model in ("vga", "cirrus", "qxl", "virtio", "bochs", "none"):
    C("q35-video-%s" % model, "q35", [video(model), nic()], "§3 video rows, §4.2 (primary video 00:01.0)",
      "primary %s video + virtio NIC" % model)
for model in ("vga", "cirrus", "qxl", "bochs"):
    C("pc-video-%s" % model, "pc", [nic(), video(model)], "§3 video rows, §4.1 (primary video 00:02.0), §5.1 step 3",
      "virtio NIC then primary %s video on pc" % model)
C("q35-video-qxl-x3", "q35", [video("qxl"), video("qxl"), video("qxl")], "§6 cat. 11 secondary videos",
  "three qxl videos (secondary qxl are PCI)")
C("q35-video-virtio-secondary-primary-attr", "q35", [video("qxl"), video("virtio", primary="yes")],
  "§5.1 step 3 (primary moved first), §4.2", "qxl then virtio with primary='yes'")
C("q35-video-vga-secondary", "q35", [video("virtio"), video("vga")], "§3, §6 cat. 11",
  "virtio primary + vga secondary")
C("pc-video-vga-qxl-virtio", "pc", [video("vga"), video("qxl"), video("virtio")], "§4.1, §6 cat. 11",
  "pc with vga primary, qxl and virtio secondaries")
C("q35-watchdog-i6300esb", "q35", [watchdog(), nic()], "§3 watchdog rows, §6 (NIC before watchdog)",
  "i6300esb watchdog + virtio NIC")
C("pc-watchdog-i6300esb", "pc", [watchdog()], "§3 watchdog", "i6300esb on pc")
for model in ("virtio", "virtio-transitional", "virtio-non-transitional"):
    C("q35-balloon-%s" % model, "q35", [balloon(model)], "§3 memballoon rows, §7.1",
      "memballoon %s alone" % model, none="usb")
C("pc-balloon-default-only", "pc", [], "§4.1 implicit devices", "pc with implicit usb+balloon and a ps2 input",
  none=False)
C("q35-rng", "q35", [rng(), rng("virtio-transitional"), rng("virtio-non-transitional")], "§3 rng, §6 cat. 9",
  "three rng devices (virtio, transitional, non-transitional)")
C("q35-vinput", "q35", [vinput("tablet"), vinput("keyboard"), vinput("mouse")], "§3 virtio input, §6 cat. 13",
  "virtio tablet, keyboard and mouse")
C("q35-vinput-passthrough", "q35", [vinput("passthrough")], "§3 virtio input", "virtio input passthrough")
C("q35-fs-9p", "q35", [fs9p("a"), fs9p("b", model="virtio-transitional")], "§3 filesystem rows, §6 cat. 2",
  "9p filesystem + transitional 9p filesystem")
C("q35-fs-virtiofs-shared", "q35", [virtiofs()], "§3 virtiofs", "virtiofs with shared memfd memory",
  membacking="<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>")
C("q35-fs-virtiofs-noshared", "q35", [virtiofs()], "§3 virtiofs (define-time check?)",
  "virtiofs without shared memory")
C("q35-vsock", "q35", [vsock()], "§3 vsock", "vsock alone")
C("q35-shmem", "q35", [shmem("s0"), shmem("s1", "ivshmem-doorbell")], "§3 shmem (PCI), §6 cat. 12",
  "ivshmem-plain and ivshmem-doorbell")
C("q35-pci-serial", "q35", [pciserial(), isaserial(), pciserial()], "§3 serial rows, §6 cat. 14",
  "two pci-serial ports and an isa-serial")
C("q35-virtio-pmem", "q35", [pmem()], "§3 virtio-pmem, §6 cat. 17", "one virtio-pmem device (1 NUMA cell)",
  maxmem=2048, numa=1)
C("q35-virtio-mem", "q35", [vmem()], "§3 virtio-mem", "one virtio-mem device (NUMA cell 0)",
  maxmem=2048, numa=1)
C("pc-virtio-pmem-and-nic", "pc", [pmem(), nic()], "§3, §6 (pmem last)", "virtio-pmem + NIC on pc (1 NUMA cell)",
  maxmem=2048, numa=1)
C("q35-iommu-virtio-acpi", "q35", [iommu(), video("vga"), nic(), nic("e1000")],
  "§3 virtio iommu (integrated), §6 cat. 15", "virtio iommu + vga + NICs", acpi=True)
C("q35-iommu-virtio-noacpi", "q35", [iommu()], "§3 virtio iommu needs ACPI", "virtio iommu without <acpi/>")
C("pc-iommu-virtio-acpi", "pc", [iommu(), nic()], "§3 virtio iommu on pc", "virtio iommu on pc", acpi=True)
C("q35-iommu-intel", "q35", [iommu("intel"), nic()], "§3 (intel iommu not PCI)", "intel iommu + NIC",
  acpi=True)
C("q35-hostdev-missing-x2", "q35", [hostdev_pci(0x7f, 0x1f, 0), hostdev_pci(0x7f, 0x1f, 1)],
  "§3 hostdev row (missing host device = PCIe)", "two hostdevs whose host addresses do not exist")
C("pc-hostdev-missing", "pc", [hostdev_pci(0x6a, 0x01, 0), nic()], "§3 hostdev on pc", "hostdev + NIC on pc")
C("q35-hostdev-mdev", "q35", [hostdev_mdev()], "§3 mdev row", "an mdev vfio-pci hostdev")
C("q35-hostdev-vhost-scsi", "q35", [hostdev_vhost_scsi()], "§3 scsi_host row", "vhost-scsi hostdev")
C("q35-nic-hostdev", "q35", [nic_hostdev(), nic()], "§3 interface type='hostdev' row, §6 (hostdev category)",
  "interface type=hostdev with missing host device + virtio NIC")
C("q35-panic-pvpanic", "q35", [panic("pvpanic")], "§3 last row, §13", "panic model pvpanic")
C("q35-crypto", "q35", [crypto(), nic()], "§3 last row, §13 (crypto dropped)", "virtio crypto + NIC")
C("q35-panic-isa", "q35", [panic("isa"), nic()], "§3 (isa panic not PCI)", "isa pvpanic + NIC")

# 7. all kinds mixed
ALL_KINDS = [vsock(), pciserial(), vinput("keyboard"), shmem(), video("cirrus"), video("virtio"),
             watchdog(), rng(), balloon(), hostdev_pci(0x7d, 2, 0), disk("vdb"), disk("vda"),
             vserial(), scsi("virtio-scsi"), scsi("lsisas1068"), usb("qemu-xhci"), ctrl("sata", index=1),
             sound("es1370"), sound("ich9"), nic("rtl8139"), nic("virtio-non-transitional"), nic("e1000e"),
             fs9p(), iommu()]
C("q35-all-kinds-reversed", "q35", ALL_KINDS, "§3 all rows, §6 category order, §5.6",
  "one of nearly every PCI kind in reverse category order", acpi=True, none=False)
C("pc-all-kinds-reversed", "pc", [d for d in ALL_KINDS if "sata" not in d and "iommu" not in d]
  + [ctrl("sata", index=0)],
  "§3 (all collapse to PCI on pc), §6", "same on pc", acpi=True, none=False)
C("q35-all-kinds-x3", "q35", ALL_KINDS[:9] + [disk("vdc"), disk("vdd")] + ALL_KINDS[12:] * 1
  + [nic("e1000"), nic("virtio"), disk("vde", model="virtio-transitional"), rng("virtio-transitional"),
     shmem("s9"), pciserial(), vinput("tablet")],
  "§3, §6, §5.7", "mixed kinds with several legacy devices", acpi=True, none=False)

# ---------------------------------------------------------------------------
# 8. explicit controllers
C("q35-rootport-explicit-0dev", "q35", [pci("pcie-root-port", 1)], "§7.1 (no devices, explicit port)",
  "one unaddressed root port, no devices")
C("q35-rootports-targets", "q35", [pci("pcie-root-port", 1, target={"chassis": 7}),
                                   pci("pcie-root-port", 2, target={"port": "0x20"}),
                                   pci("pcie-root-port", 3, target={"chassis": 0, "port": 0}),
                                   pci("pcie-root-port", 4, hotplug="off")] + nics(5),
  "§2.3 chassis/port defaults and explicit values, hotplug='off' (§2.1)",
  "4 explicit ports with chassis/port/hotplug partly given + 5 NICs")
C("q35-rootport-ioh3420", "q35", [pci("pcie-root-port", 1, modelname="ioh3420"), nic()],
  "§2.1 model name", "root port with <model name='ioh3420'/>")
C("q35-rootport-manual-fn3-aggregate", "q35", [pci("pcie-root-port", 1, a=addr(0, 1, 3))] + nics(9),
  "§5.4 aggregate slots (manual root port at 00:01.3)", "manual port at 00:01.3 + 9 NICs")
C("q35-rootport-manual-slot5-nics", "q35", [pci("pcie-root-port", 1, a=addr(0, 5, 0))] + nics(12),
  "§5.4 (empty slots before aggregate ones)", "manual port at 00:05.0 + 12 NICs")
C("q35-rootport-hotplug-off-only", "q35", [pci("pcie-root-port", 1, hotplug="off"), nic(), nic("e1000")],
  "§2.1 hotplug bit vs define-time placement", "port hotplug='off' + virtio + e1000")
C("pc-bridge-unaddressed", "pc", [pci("pci-bridge", 1)] + nics(3),
  "§2.2 pci-bridge first fit, §2.3 chassisNr", "explicit unaddressed pci-bridge + 3 NICs")
C("pc-bridge-chassisnr-chain", "pc", [pci("pci-bridge", 1, target={"chassisNr": 9}),
                                      pci("pci-bridge", 2, a=addr(1, 3)),
                                      pci("pci-bridge", 3, a=addr(2, 0x1f))] + nics(2),
  "§2.3 chassisNr, bridges chained manually", "bridge 1 (chassisNr 9), bridge 2 on 01:03, bridge 3 on 02:1f")
C("pc-bridge-index-gap", "pc", [pci("pci-bridge", 4)] + nics(1), "§5.3 gaps, §12 Q7", "only bridge idx 4")
C("pc-bridges-out-of-order", "pc", [pci("pci-bridge", 3), pci("pci-bridge", 1), pci("pci-bridge", 2, a=addr(0, 9))]
  + nics(2), "§5.1 step 2 (sorted by index), §5.6", "bridges 3,1,2 with 2 addressed at 00:09.0")
C("pc-bridge-noindex-after-root", "pc", [pci("pci-root", 0), pci("pci-bridge"), pci("pci-bridge")] + nics(1),
  "§5.1 step 1 (lowest unused index)", "pci-root then two index-less pci-bridges")
C("pc-bridge-noindex-before-root", "pc", [pci("pci-bridge"), nic()], "§5.1 pitfall (index 0)",
  "index-less pci-bridge before any index 0")
C("q35-pcie2pci-explicit-with-port", "q35", [pci("pcie-root-port", 1), pci("pcie-to-pci-bridge", 2),
                                              nic("e1000"), nic("rtl8139")],
  "§2.2 pcie-to-pci-bridge, §12 Q4", "explicit port + pcie-to-pci-bridge + 2 legacy NICs")
C("q35-pcie2pci-explicit-two-ports", "q35", [pci("pcie-root-port", 1), pci("pcie-root-port", 2),
                                             pci("pcie-to-pci-bridge", 3), nic(), nic("e1000")],
  "§12 Q4/Q5 (bridge into the first empty port)", "two ports, bridge idx 3, virtio + e1000")
C("q35-pcie2pci-explicit-port-taken", "q35", [pci("pcie-root-port", 1), pci("pcie-to-pci-bridge", 2),
                                              nic("virtio", addr(1, 0))],
  "§12 Q4 (no free port for the explicit bridge)", "the only port holds a manual NIC")
C("q35-pcie2pci-manual-on-port", "q35", [pci("pcie-root-port", 1), pci("pcie-to-pci-bridge", 2, a=addr(1, 0))]
  + nics(2, "e1000") + [nic()], "§2.1 pcie-to-pci-bridge slots 1-31", "bridge manual at 01:00.0")
C("q35-dmi-explicit-and-bridge", "q35", [pci("dmi-to-pci-bridge", 1), pci("pci-bridge", 2), nic("e1000"), nic()],
  "§4.2 (dmi at 00:1e.0), §2.1 dmi no auto endpoints, §5.5, §7.1", "dmi + pci-bridge + e1000 + virtio")
C("q35-dmi-manual-slot5", "q35", [pci("dmi-to-pci-bridge", 1, a=addr(0, 5)), pci("dmi-to-pci-bridge", 2),
                                  nic("e1000")], "§4.2 (second dmi not at 1e?)", "dmi 1 at 00:05.0, dmi 2 unaddressed")
C("q35-dmi-endpoint-manual-slot0", "q35", [pci("dmi-to-pci-bridge", 1), nic("e1000", addr(1, 0)),
                                           nic("e1000", addr(1, 0x1f))],
  "§2.1 (dmi slots 0-31, manual endpoints)", "e1000 manually on dmi bus slots 0 and 0x1f")
C("q35-switch-manual-upstream-downstream-targets", "q35",
  [pci("pcie-root-port", 1), pci("pcie-switch-upstream-port", 2, a=addr(1, 0)),
   pci("pcie-switch-downstream-port", 3, target={"chassis": 30, "port": 7}),
   pci("pcie-switch-downstream-port", 4, hotplug="off"),
   pci("pcie-switch-downstream-port", 5, a=addr(2, 9))] + nics(4),
  "§2.1 switch rows, §2.3 downstream chassis/port", "switch with 3 downstream ports (one manual at 02:09.0)")
C("q35-switch-upstream-after-port", "q35",
  [pci("pcie-root-port", 1), pci("pcie-switch-upstream-port", 2), pci("pcie-switch-downstream-port", 3),
   pci("pcie-switch-downstream-port", 4)] + nics(2),
  "§12 Q1 (no loop when the root port has the lowest index)", "port 1, upstream 2, downstreams 3-4, all unaddressed")
C("q35-switch-downstream-first", "q35",
  [pci("pcie-switch-downstream-port", 1), pci("pcie-switch-downstream-port", 2),
   pci("pcie-switch-upstream-port", 3)] + nics(1),
  "§12 Q1 (variant: upstream has the highest index)", "downstreams 1-2, upstream 3, unaddressed")
C("q35-switch-legacy-behind-downstream", "q35",
  [pci("pcie-root-port", 1), pci("pcie-switch-upstream-port", 2, a=addr(1, 0)),
   pci("pcie-switch-downstream-port", 3), pci("pcie-to-pci-bridge", 4), nic("e1000")],
  "§2.2 (pcie-to-pci-bridge into a downstream port)", "switch + explicit pcie-to-pci-bridge + e1000")
C("pc-pxb-numa-manual-devices", "pc",
  [pci("pci-expander-bus", 1, node=1), nic("virtio", addr(1, 0)), nic("e1000", addr(1, 5)), nic()],
  "§10 (pxb slot 0 usable, manual), §2.3 busNr", "pxb node 1 with NICs at 01:00.0 and 01:05.0", numa=2)
C("pc-pxb-manual-addr-busnr", "pc",
  [pci("pci-expander-bus", 1, a=addr(0, 0x10), target={"busNr": 50}, node=0),
   pci("pci-expander-bus", 2, node=1)] + nics(2),
  "§2.3 busNr default after an explicit 50 (=48)", "pxb 1 at 00:10.0 busNr 50, pxb 2 unset", numa=2)
C("pc-pxb-busnr-later-in-list", "pc",
  [pci("pci-expander-bus", 1), pci("pci-expander-bus", 2, target={"busNr": 200}), pci("pci-expander-bus", 3)],
  "§2.3 busNr (explicit value later in the list)", "pxb unset, 200, unset")
C("pc-pxb-bridge-behind", "pc",
  [pci("pci-expander-bus", 1, node=1), pci("pci-bridge", 2, a=addr(1, 0)), nic("e1000", addr(2, 1))] + nics(2),
  "§10 (bridge behind pxb), §2.1", "pxb, bridge at 01:00.0, NIC at 02:01.0", numa=2)
C("pc-pxb-overflow-40", "pc", [pci("pci-expander-bus", 1)] + nics(40, "e1000"),
  "§5.4 (pxb receives overflow before new bridges), §7.2", "pxb without node + 40 e1000")
C("q35-pxb-pcie-rootports-manual", "q35",
  [pci("pcie-expander-bus", 1, node=1, target={"busNr": 128}),
   pci("pcie-root-port", 2, a=addr(1, 0, 0)), pci("pcie-root-port", 3, a=addr(1, 0, 1)),
   pci("pcie-root-port", 4, a=addr(1, 3, 0)),
   nic("virtio", addr(2, 0)), nic("e1000e", addr(3, 0)), nic()],
  "§10 pxb-pcie, §2.3 port formula on a pxb-pcie", "pxb-pcie busNr 128 with 3 manual ports", numa=2)
C("q35-pxb-pcie-dmi-manual", "q35",
  [pci("pcie-expander-bus", 1, node=0), pci("dmi-to-pci-bridge", 2, a=addr(1, 0)), pci("pci-bridge", 3),
   nic("e1000")], "§2.2 dmi on pcie-expander-bus", "pxb-pcie + dmi on it + pci-bridge + e1000", numa=2)
C("q35-pxb-pcie-two-busnr", "q35",
  [pci("pcie-expander-bus", 1), pci("pcie-expander-bus", 2), pci("pcie-expander-bus", 3, target={"busNr": 60})],
  "§2.3 busNr defaults with q35 expanders", "three pxb-pcie, third busNr 60")
C("q35-rootport-gap-idx5", "q35", [pci("pcie-root-port", 5), nic(), nic("e1000")],
  "§5.3 gap fill, §12 Q7, §7.1 (explicit port disables spare)", "only root port idx 5, virtio + e1000")
C("q35-bridge-gap-idx2", "q35", [pci("pci-bridge", 2), nic("e1000")], "§12 Q2 / Q7",
  "explicit unaddressed pci-bridge idx 2 (gap idx1 = root port)")
C("q35-mixed-controllers-out-of-order", "q35",
  [pci("pcie-root-port", 6), pci("pcie-to-pci-bridge", 3), pci("pcie-root-port", 2),
   pci("dmi-to-pci-bridge", 4), pci("pci-bridge", 5)] + [nic(), nic("e1000"), nic("e1000e")],
  "§5.1 step 2, §5.6, §12 Q7", "controllers 6,3,2,4,5 in that order (gap idx1)")
C("pc-root-hotplug-off", "pc", [pci("pci-root", 0, hotplug="off"), nic()], "§12 Q8, §2.1",
  "pci-root with hotplug='off' (define-time accepted)")
C("q35-rootport-at-00-00-2", "q35", [pci("pcie-root-port", 1, a=addr(0, 0, 2)), nic()],
  "§1 unset rule, §12 Q6", "root port at 00:00.2")

# ---------------------------------------------------------------------------
# 9. manual addresses on every bus kind
C("q35-manual-pcieroot-mixed", "q35", [nic("virtio", addr(0, 5)), nic("e1000", addr(0, 6)), nic(), nic("e1000")],
  "§2.1 pcie-root manual, §5.4", "manual NICs at 00:05/00:06 + 2 unaddressed")
C("q35-manual-on-rootport", "q35", [pci("pcie-root-port", 1), pci("pcie-root-port", 2),
                                    nic("e1000", addr(2, 0)), nic()],
  "§2.1 (legacy device manually on a root port)", "e1000 manual on port 2")
C("q35-manual-on-downstream", "q35",
  [pci("pcie-root-port", 1), pci("pcie-switch-upstream-port", 2, a=addr(1, 0)),
   pci("pcie-switch-downstream-port", 3, a=addr(2, 0)), pci("pcie-switch-downstream-port", 4, a=addr(2, 1)),
   nic("e1000", addr(4, 0)), nic()],
  "§2.1 downstream port manual", "e1000 manual on downstream port 4")
C("q35-manual-on-pcie2pci", "q35",
  [pci("pcie-root-port", 1), pci("pcie-to-pci-bridge", 2, a=addr(1, 0)), nic("virtio", addr(2, 0x1f)),
   nic("e1000", addr(2, 1)), nic("e1000")], "§2.1 pcie-to-pci-bridge manual", "NICs at 02:1f and 02:01")
C("q35-manual-on-dmi-bridge", "q35",
  [pci("dmi-to-pci-bridge", 1, a=addr(0, 0x1e)), pci("pci-bridge", 2, a=addr(1, 0)),
   nic("virtio", addr(2, 7)), nic("e1000")], "§2.1 pci-bridge behind dmi, manual",
  "dmi 00:1e, bridge 01:00, virtio 02:07 + e1000")
C("pc-manual-on-bridge", "pc", [pci("pci-bridge", 1, a=addr(0, 0x1f)), nic("virtio", addr(1, 2)), nic(), nic()],
  "§2.1 pci-bridge manual", "bridge at 00:1f, NIC at 01:02")
C("pc-manual-root-slots", "pc", [nic("virtio", addr(0, 2)), nic("virtio", addr(0, 4)), video("vga")] + nics(3),
  "§4.1 (video when 00:02.0 taken), §5.4", "NICs at 00:02 and 00:04, vga + 3 NICs")
C("pc-manual-bus3-no-controller", "pc", [nic("e1000", addr(3, 1))] + nics(2),
  "§5.5 manual bus growth on pc", "NIC at 03:01.0, no bridges")
C("q35-manual-bus2-virtio-bus5", "q35", [nic("virtio", addr(2, 0)), nic("virtio", addr(5, 0)), nic()],
  "§5.5 manual bus growth on q35 (PCIe), §7.1", "virtio at 02:00 and 05:00 + 1 unaddressed")
C("q35-manual-bus1-only", "q35", [nic("virtio", addr(1, 0))], "§5.5, §7.1 (bus created, no free slot)",
  "one virtio at 01:00.0 only")
C("q35-manual-bus3-e1000", "q35", [nic("e1000", addr(3, 2)), nic()], "§5.5 manual legacy bus growth",
  "e1000 at 03:02.0 + 1 virtio")
C("q35-manual-bus2-with-port1", "q35", [pci("pcie-root-port", 1), nic("virtio", addr(2, 0))],
  "§5.5 growth with an explicit port", "explicit port 1, virtio at 02:00.0")
C("pc-manual-bus2-plus-40", "pc", [nic("e1000", addr(2, 5))] + nics(40, "e1000"),
  "§5.5, §7.2", "NIC at 02:05.0 + 40 unaddressed")
C("q35-manual-multifunction", "q35",
  [nic("virtio", addr(0, 3, 0, "on")), nic("e1000", addr(0, 3, 1)), nic("e1000e", addr(0, 3, 2)),
   nic("virtio", addr(0, 3, 7))], "§11 manual multifunction", "4 NICs on 00:03.0/.1/.2/.7")
C("pc-manual-multifunction-8", "pc", [nic("e1000", addr(0, 6, f)) for f in range(8)],
  "§11 (multifunction='on' added)", "8 NICs on 00:06.0-.7, no multifunction attribute")
C("pc-manual-mf-on-lone", "pc", [nic("virtio", addr(0, 5, 0, "on")), nic("virtio", addr(0, 6, 0, "off"))],
  "§11", "lone fn0 with multifunction='on' and one with 'off'")
C("q35-manual-fn2-without-fn0", "q35", [nic("e1000", addr(0, 4, 2)), nic("virtio", addr(0, 4, 5))],
  "§11 (function 0 not required)", "NICs at 00:04.2 and 00:04.5 only")
C("q35-manual-rootports-multifunction", "q35",
  [pci("pcie-root-port", i + 1, a=addr(0, 2, i)) for i in range(3)] + nics(4),
  "§5.4 aggregate slot, §11", "ports manual at 00:02.0-.2 + 4 NICs")
C("q35-unset-00-00-3", "q35", [nic("virtio", addr(0, 0, 3)), disk("vda", a=raw_addr(type="pci"))],
  "§1 unset rule, §12 Q6", "NIC at 00:00.3, disk with <address type='pci'/>")
C("pc-unset-vserial-00-00-0", "pc", [vserial(a=addr(0, 0, 0)), nic("e1000", raw_addr(slot="0x9"))],
  "§1 (unset; missing attrs default to 0)", "virtio-serial at 00:00.0, NIC with slot='0x9' only")
C("q35-partial-bus-slot", "q35", [pci("pci-bridge", 1, a=addr(0, 4)), nic("e1000", raw_addr(bus="1", slot="3")),
                                  nic("virtio", raw_addr(domain="0", bus="0", slot="0x1e"))],
  "§1 partial addresses", "bridge at 00:04, NIC bus='1' slot='3', NIC slot='0x1e'")
C("q35-reserved-1f-fns-free", "q35", [nic("e1000", addr(0, 0x1f, 1)), nic("e1000", addr(0, 0x1f, 4)),
                                      nic("e1000", addr(0, 0x1f, 7))], "§4.2 (00:1f.1/.4-.7 free)",
  "NICs at 00:1f.1, .4, .7")
C("pc-reserved-01-free-fns", "pc", [nic("e1000", addr(0, 1, 5)), nic("e1000", addr(0, 1, 7))],
  "§4.1 (00:01.4-.7 free)", "NICs at 00:01.5 and 00:01.7")
C("pc-01-1-without-ide", "pc", [nic("e1000", addr(0, 1, 1))], "§4.1 (00:01.1 only reserved with ide0)",
  "NIC at 00:01.1, no ide controller")
C("pc-01-2-with-usb-none", "pc", [nic("e1000", addr(0, 1, 2))], "§4.1 (00:01.2 only reserved with piix3 usb0)",
  "NIC at 00:01.2 with usb model none")
C("q35-1b-taken-ich9", "q35", [nic("e1000", addr(0, 0x1b)), sound("ich9")], "§4.2 (ich9 sound when 00:1b taken)",
  "NIC at 00:1b.0 + ich9 sound")
C("q35-1d-taken-usb2", "q35", [nic("e1000", addr(0, 0x1d))] + usb2_set(0, ("ehci1", "uhci1")),
  "§4.2 (USB2 set when 00:1d taken)", "NIC at 00:1d.0 + USB2 set", none="balloon")
C("q35-1e-taken-dmi", "q35", [nic("e1000", addr(0, 0x1e)), pci("dmi-to-pci-bridge", 1), pci("pci-bridge", 2)],
  "§4.2 (dmi when 00:1e taken)", "NIC at 00:1e.0 + dmi + bridge")
C("pc-video-slot2-taken-by-bridge", "pc", [pci("pci-bridge", 1, a=addr(0, 2)), video("qxl"), nic()],
  "§4.1 (video when 00:02.0 is used)", "bridge at 00:02.0 + qxl")
C("q35-sata0-explicit-correct", "q35", [ctrl("sata", index=0, a=addr(0, 0x1f, 2)), nic()],
  "§4.2 (sata0 at its fixed address)", "sata0 given at 00:1f.2")
C("pc-ide0-usb0-explicit-correct", "pc", [ctrl("ide", index=0, a=addr(0, 1, 1)),
                                          usb("piix3-uhci", 0, a=addr(0, 1, 2))],
  "§4.1 fixed addresses given explicitly", "ide0 at 00:01.1 and piix3 usb0 at 00:01.2", none="balloon")
C("q35-manual-pcibridge-on-pcie2pci-chain", "q35",
  [pci("pcie-root-port", 1), pci("pcie-to-pci-bridge", 2, a=addr(1, 0)), pci("pci-bridge", 3, a=addr(2, 1)),
   pci("pci-bridge", 4, a=addr(3, 1))] + nics(3, "e1000"),
  "§2.2 (bridges chained under a pcie-to-pci-bridge)", "port, pcie-to-pci, bridge 3 on 02:01, bridge 4 on 03:01")
C("pc-manual-virtio-on-second-pxb", "pc",
  [pci("pci-expander-bus", 1), pci("pci-expander-bus", 2, a=addr(0, 8)), nic("virtio", addr(2, 0))] + nics(1),
  "§10 manual endpoint on the second pxb", "pc: two pxb, virtio at 02:00.0")

# ---------------------------------------------------------------------------
# 10. spare-port boundaries (q35 §7.1)
C("q35-spare-pcieroot-explicit-legacy", "q35", [pci("pcie-root", 0), nic("rtl8139")],
  "§7.1 (explicit pcie-root does not disable the spare)", "explicit pcie-root + rtl8139")
C("q35-spare-dmi-disables", "q35", [pci("dmi-to-pci-bridge", 1), nic()], "§7.1 (dmi bridge disables the spare)",
  "dmi bridge + virtio NIC")
C("q35-spare-pxb-pcie-disables", "q35", [pci("pcie-expander-bus", 1), nic()],
  "§7.1 (expander disables the spare), §5.4", "pcie-expander-bus + virtio NIC")
C("q35-spare-integrated-only", "q35", [video("vga"), sound("ich9"), nic("e1000", addr(0, 3)), iommu()],
  "§7.1 (no bus added = no spare)", "only integrated/manual devices", acpi=True)
C("q35-spare-manual-legacy-bus2", "q35", [nic("e1000", addr(2, 1))], "§7.1 (restricted port not free)",
  "e1000 manual at 02:01.0 only")
C("q35-spare-manual-pcie-bus2-plus-auto", "q35", [nic("e1000e", addr(2, 0)), nic()],
  "§7.1 (port created by a manual bus number is the free slot)", "e1000e at 02:00.0 + 1 auto virtio")
C("q35-spare-hostdev-only", "q35", [hostdev_pci(0x70, 0, 0)], "§7.1", "one hostdev (missing host)")
C("q35-spare-usb-xhci-only", "q35", [usb("qemu-xhci", 0)], "§7.1", "qemu-xhci only", none="balloon")
C("q35-spare-ports-full-manual", "q35", [nic("virtio", addr(0, s)) for s in range(1, 0x1f) if s not in (0x1b,)]
  + [sound("ich9")], "§7.1 (pcie-root full of manual devices)", "29 manual NICs on pcie-root + ich9 sound")
C("q35-spare-pcieroot-full-plus-1", "q35", [nic("virtio", addr(0, s)) for s in range(1, 0x1f)] + [nic()],
  "§7.1, §5.5 (no slot for a root port)", "30 manual NICs fill pcie-root + 1 unaddressed")
C("q35-spare-rootport-at-bus-index0-only", "q35", [pci("pcie-root", 0), pci("pcie-root-port", 1, a=addr(0, 3)),
                                                    nic("virtio", addr(1, 0))],
  "§7.1 (explicit port, nothing to add)", "manual port + manual NIC")
C("q35-spare-pcie2pci-only-manual", "q35", [nic("e1000", addr(0, 4)), nic("e1000")],
  "§7.1, §5.5", "manual e1000 on pcie-root + auto e1000")

# ---------------------------------------------------------------------------
# 11. quirks (define-time part)
C("q35-q1-switch-two-upstreams", "q35",
  [pci("pcie-switch-upstream-port", 1), pci("pcie-switch-downstream-port", 2),
   pci("pcie-switch-upstream-port", 3), pci("pcie-switch-downstream-port", 4)] + nics(1),
  "§12 Q1", "two unaddressed switches (upstream 1/3, downstream 2/4)")
C("q35-q2-bridge-only-rootport", "q35", [pci("pcie-root-port", 1), pci("pci-bridge", 2)],
  "§12 Q2 (explicit pci-bridge, no legacy parent)", "root port 1 + unaddressed pci-bridge 2, no devices")
C("pc-q2-bridge-full-plus-bridge", "pc", [nic("e1000", addr(0, s)) for s in range(2, 0x20)] + [pci("pci-bridge", 1)],
  "§12 Q2 (pc full of manual devices + explicit bridge)", "30 manual NICs + unaddressed bridge 1")
C("pc-q3-29-manual-plus-31", "pc", [nic("e1000", addr(0, s)) for s in range(3, 0x20)] + nics(31, "e1000"),
  "§12 Q3 with manual devices (F=1: N=31 predicted to fail)", "29 manual (00:03-1f) + 31 unaddressed")
C("pc-q3-28-manual-plus-32", "pc", [nic("e1000", addr(0, s)) for s in range(4, 0x20)] + nics(32, "e1000"),
  "§12 Q3 with manual devices (F=2: N=32 predicted to fail)", "28 manual (00:04-1f) + 32 unaddressed")
C("pc-q3-28-manual-plus-31", "pc", [nic("e1000", addr(0, s)) for s in range(4, 0x20)] + nics(31, "e1000"),
  "§12 Q3 with manual devices (F=2: N=31 predicted to work)", "28 manual (00:04-1f) + 31 unaddressed")
C("q35-q5-bridge-lands-first-port", "q35", [nic(), nic(), nic("e1000"), disk("vda")],
  "§12 Q5, §5.7", "virtio, virtio, e1000, virtio disk")
C("q35-q7-gap-fillers-pcie2pci", "q35", [pci("pcie-to-pci-bridge", 3), nic("e1000")],
  "§12 Q7 + Q4 (gap fillers are free ports)", "explicit pcie-to-pci-bridge idx 3 only")
C("pc-q8-pxb-hotplug-attr", "pc", [pci("pci-expander-bus", 1, hotplug="off")], "§2.3 hotplug on pxb",
  "hotplug='off' on a pci-expander-bus")

# ---------------------------------------------------------------------------
# 12. define-time errors of §9
C("pc-err-double-use-bridge", "pc", [pci("pci-bridge", 1), nic("virtio", addr(1, 4)), nic("e1000", addr(1, 4))],
  "§9 double use", "two NICs at 01:04.0")
C("q35-err-double-use-1f3", "q35", [nic("e1000", addr(0, 0x1f, 3))], "§9 double use (SMBus)", "NIC at 00:1f.3")
C("q35-err-double-use-1f2", "q35", [nic("e1000", addr(0, 0x1f, 2))], "§9 double use (sata0)", "NIC at 00:1f.2")
C("pc-err-double-use-01-3", "pc", [nic("e1000", addr(0, 1, 3))], "§9 double use (PIIX4 PM)", "NIC at 00:01.3")
C("pc-err-double-use-01-1-ide", "pc", [cdrom("hda", "ide"), nic("e1000", addr(0, 1, 1))],
  "§4.1, §9", "ide cdrom + NIC at 00:01.1")
C("q35-err-double-use-rootports", "q35", [pci("pcie-root-port", 1, a=addr(0, 2)), pci("pcie-root-port", 2, a=addr(0, 2))],
  "§9 double use", "two ports at 00:02.0")
C("q35-err-domain2", "q35", [nic("virtio", addr(0, 3, domain=2))], "§9 domain", "NIC in domain 2")
C("q35-err-function9", "q35", [nic("virtio", raw_addr(type="pci", domain="0", bus="0", slot="3", function="9"))],
  "§9 function", "function 9")
C("q35-err-slot33", "q35", [nic("virtio", raw_addr(type="pci", domain="0", bus="0", slot="33", function="0"))],
  "§9 slot", "slot 33")
C("q35-err-pcie2pci-slot0", "q35", [pci("pcie-root-port", 1), pci("pcie-to-pci-bridge", 2, a=addr(1, 0)),
                                    nic("e1000", addr(2, 0))], "§9 slot >= 1", "NIC at 02:00.0 on pcie-to-pci-bridge")
C("q35-err-downstream-slot3", "q35",
  [pci("pcie-root-port", 1), pci("pcie-switch-upstream-port", 2, a=addr(1, 0)),
   pci("pcie-switch-downstream-port", 3, a=addr(2, 0)), nic("virtio", addr(3, 3))],
  "§9 slot <= 0", "NIC at 03:03.0 on a downstream port")
C("q35-err-e1000-on-upstream", "q35",
  [pci("pcie-root-port", 1), pci("pcie-switch-upstream-port", 2, a=addr(1, 0)), nic("e1000", addr(2, 5))],
  "§9 endpoint on upstream port", "e1000 at 02:05.0 on an upstream port")
C("q35-err-pcie2pci-on-pcieroot", "q35", [pci("pcie-to-pci-bridge", 1, a=addr(0, 4))],
  "§9 controller on wrong bus", "pcie-to-pci-bridge manual on pcie-root")
C("q35-err-dmi-on-rootport", "q35", [pci("pcie-root-port", 1), pci("dmi-to-pci-bridge", 2, a=addr(1, 0))],
  "§9 controller on wrong bus", "dmi bridge manual on a root port")
C("q35-err-downstream-on-rootport", "q35", [pci("pcie-root-port", 1),
                                            pci("pcie-switch-downstream-port", 2, a=addr(1, 0))],
  "§9 controller on wrong bus", "downstream port manual on a root port")
C("q35-err-bridge-on-upstream", "q35",
  [pci("pcie-root-port", 1), pci("pcie-switch-upstream-port", 2, a=addr(1, 0)), pci("pci-bridge", 3, a=addr(2, 1))],
  "§9 controller on wrong bus", "pci-bridge manual on an upstream port")
C("q35-err-rootport-on-dmi", "q35", [pci("dmi-to-pci-bridge", 1), pci("pcie-root-port", 2, a=addr(1, 3))],
  "§9 controller on wrong bus", "root port manual on a dmi bridge")
C("pc-err-pxb-on-bridge", "pc", [pci("pci-bridge", 1), pci("pci-expander-bus", 2, a=addr(1, 3))],
  "§2.2 (pxb only on pci-root), §9", "pxb manual on a pci-bridge")
C("pc-err-bridge-on-itself", "pc", [pci("pci-bridge", 1, a=addr(1, 3))], "§9 index must be larger than bus",
  "bridge 1 manually on bus 1")
C("pc-err-bridge-on-higher", "pc", [pci("pci-bridge", 1), pci("pci-bridge", 2, a=addr(3, 1)), pci("pci-bridge", 3)],
  "§9 index must be larger than bus", "bridge 2 on bus 3")
C("q35-err-sata0-wrong", "q35", [ctrl("sata", index=0, a=addr(0, 0x1f, 5))], "§9 primary SATA", "sata0 at 00:1f.5")
C("pc-err-ide0-wrong", "pc", [ctrl("ide", index=0, a=addr(0, 5))], "§9 primary IDE", "ide0 at 00:05.0")
C("pc-err-piix3-wrong", "pc", [usb("piix3-uhci", 0, a=addr(0, 1, 4))], "§9 PIIX3 USB", "piix3 usb0 at 00:01.4",
  none="balloon")
C("pc-err-usb-unset-wrong", "pc", [usb(None, 0, a=addr(0, 7))], "§4.1 (unset model = piix3), §9",
  "usb0 of unset model at 00:07.0", none="balloon")
C("pc-err-rootport-unaddressed", "pc", [pci("pcie-root-port", 1), nic()], "§9 slot needed (pcie-root-port on pc)",
  "pcie-root-port on pc")
C("q35-err-downstream-two-noupstream", "q35", [pci("pcie-root-port", 1), pci("pcie-switch-downstream-port", 2)],
  "§9 slot needed (downstream)", "root port + downstream without upstream")
C("pc-err-dmi", "pc", [pci("dmi-to-pci-bridge", 1, a=addr(0, 5))], "§9 dmi on pc (addressed)",
  "dmi bridge manually at 00:05.0 on pc")
C("q35-err-pcie2pci-noport-with-nic", "q35", [pci("pcie-to-pci-bridge", 1), nic()],
  "§9 connect flags 2000, §12 Q4", "explicit unaddressed pcie-to-pci-bridge + virtio NIC")
C("q35-err-pxb-pci", "q35", [pci("pci-expander-bus", 1, a=addr(0, 5))], "§9 pci-expander-bus on q35",
  "pci-expander-bus (addressed) on q35")
C("pc-err-pxb-pcie-addressed", "pc", [pci("pcie-expander-bus", 1, a=addr(0, 5))], "§9 pcie-expander-bus on pc",
  "pcie-expander-bus (addressed) on pc")
C("pc-err-pcieroot0", "pc", [pci("pcie-root", 0)], "§9 wrong index-0 model", "pcie-root on pc")
C("pc-err-second-pciroot", "pc", [pci("pci-root", 1)], "§9 (pci-root with index 1)", "pci-root index 1")
C("q35-err-node-missing", "q35", [pci("pcie-expander-bus", 1, node=3)], "§9 NUMA node", "pxb-pcie node 3 with 2 cells",
  numa=2)
C("pc-err-node-no-numa", "pc", [pci("pci-expander-bus", 1, node=0)], "§9 NUMA node",
  "pxb node 0 without guest NUMA")
C("q35-err-hotplug-on-pcie2pci", "q35", [pci("pcie-root-port", 1), pci("pcie-to-pci-bridge", 2, hotplug="off")],
  "§9 hotplug option", "hotplug='off' on a pcie-to-pci-bridge")
C("q35-err-hotplug-on-pcieroot", "q35", [pci("pcie-root", 0, hotplug="off")], "§9 hotplug option",
  "hotplug='off' on pcie-root")
C("q35-err-hotplug-on-upstream", "q35", [pci("pcie-root-port", 1), pci("pcie-switch-upstream-port", 2, hotplug="off")],
  "§9 hotplug option", "hotplug='off' on an upstream port")
C("pc-err-chassisnr-256", "pc", [pci("pci-bridge", 1, target={"chassisNr": 256})], "§9 chassisNr range",
  "chassisNr 256")
C("q35-err-downstream-port-300", "q35",
  [pci("pcie-root-port", 1), pci("pcie-switch-upstream-port", 2, a=addr(1, 0)),
   pci("pcie-switch-downstream-port", 3, target={"port": 300})], "§9 port range", "downstream port='300'")
C("pc-err-busnr-0", "pc", [pci("pci-expander-bus", 1, target={"busNr": 0})], "§9 busNr range", "busNr 0")
C("pc-err-busnr-1-then-auto", "pc", [pci("pci-expander-bus", 1, target={"busNr": 1}), pci("pci-expander-bus", 2)],
  "§9 busNr exhaustion", "busNr 1 then one unset")
C("q35-busnr-3-then-auto", "q35", [pci("pcie-expander-bus", 1, target={"busNr": 3}), pci("pcie-expander-bus", 2)],
  "§2.3 busNr (lowest 3 -> 1)", "busNr 3 then one unset")
C("q35-err-chassisnr-on-downstream", "q35",
  [pci("pcie-root-port", 1), pci("pcie-switch-upstream-port", 2, a=addr(1, 0)),
   pci("pcie-switch-downstream-port", 3, target={"chassisNr": 5})], "§2.3 last row, §9", "chassisNr on downstream port")
C("q35-err-busnr-on-rootport", "q35", [pci("pcie-root-port", 1, target={"busNr": 100})], "§2.3 last row",
  "busNr on a root port")
C("q35-err-bochs-secondary", "q35", [video("vga"), video("bochs")], "§3 (bochs only primary)",
  "vga primary + bochs secondary")
C("q35-err-two-iommus", "q35", [iommu(), iommu()], "§3 iommu", "two virtio iommus", acpi=True)
C("pc-err-ide-index2", "pc", [ctrl("ide", index=2)], "§3 ide", "ide controller index 2 on pc")
C("q35-err-rootport-index0", "q35", [pci("pcie-root-port", 0)], "§9 wrong index-0 model", "pcie-root-port index 0")
C("q35-err-manual-dup-across-kinds", "q35", [sound("ich6", addr(0, 9)), watchdog("i6300esb", addr(0, 9))],
  "§9 double use", "sound and watchdog at 00:09.0")
C("q35-err-rootport-chassis-neg", "q35", [pci("pcie-root-port", 1, target={"chassis": -1})], "§9 chassis range",
  "chassis -1")

# ---------------------------------------------------------------------------
# 13. a few more boundary / combination cases
C("q35-none-240virtio", "q35", nics(240), "§5.4 (240 ports on pcie-root), §7.1", "240 virtio NICs")
C("q35-none-239virtio", "q35", nics(239), "§5.4, §7.1", "239 virtio NICs")
C("q35-none-30e1000", "q35", nics(30, "e1000"), "§5.5 (pcie-to-pci-bridge holds 31)", "30 e1000 on q35")
C("q35-none-31e1000", "q35", nics(31, "e1000"), "§5.5 (second bridge)", "31 e1000 on q35")
C("q35-none-62e1000", "q35", nics(62, "e1000"), "§5.5 (pci-bridges under pcie-to-pci-bridge)", "62 e1000 on q35")
C("q35-none-63e1000", "q35", nics(63, "e1000"), "§5.5", "63 e1000 on q35")
C("pc-mix-31", "pc", mix(31), "§3 (everything PCI on pc), §7.2", "31 mixed devices on pc")
C("pc-default-typical", "pc", [video("qxl"), sound("ich9"), disk("vda"), cdrom("hda", "ide"), nic(), channel(),
                               rng(), vinput("tablet")], "§4.1, §6", "typical pc guest with ich9 sound",
  none=False)
C("q35-default-typical-secondary-gpu", "q35", [video("virtio"), video("qxl"), disk("vda"), disk("vdb", model="virtio-transitional"),
                                               nic(), nic("e1000e"), sound("ich9"), channel(), rng(), hostdev_pci(0x55, 0, 0)],
  "§4.2, §6, §7.1", "typical q35 guest with a secondary qxl and a hostdev", none=False)

C("q35-err-pmem-without-numa", "q35", [pmem()], "§3 virtio-pmem (define-time check)", "virtio-pmem, no NUMA cell",
  maxmem=2048)
C("q35-err-vinput-tablet-transitional", "q35", [vinput("tablet", model="virtio-transitional")],
  "§3 virtio input", "virtio tablet with model virtio-transitional")


# ---------------------------------------------------------------------------
# 14. random cases (fixed seed)
def _random_case(rng_, k):
    machine = rng_.choice(["q35", "q35", "pc"])
    n = rng_.randint(1, 120)
    none = rng_.choice([True, True, False])
    devs, used, dnum = [], set(), [0]
    explicit = []
    if machine == "q35":
        nports = rng_.choice([0, 0, 0, 1, 2, 4])
        idx = 1
        for _ in range(nports):
            explicit.append(pci("pcie-root-port", idx))
            idx += 1
        if nports and rng_.random() < 0.4:
            explicit.append(pci("pcie-to-pci-bridge", idx))
            idx += 1
        if rng_.random() < 0.2:
            explicit.append(pci("dmi-to-pci-bridge", idx))
            explicit.append(pci("pci-bridge", idx + 1))
            idx += 2
        manual_root_slots = [s for s in range(2, 0x1f) if s not in (0x1a, 0x1b, 0x1d, 0x1e)]
    else:
        nbr = rng_.choice([0, 0, 1, 2])
        for i in range(nbr):
            explicit.append(pci("pci-bridge", i + 1))
        manual_root_slots = list(range(3, 0x20))
    rng_.shuffle(manual_root_slots)

    def pick_addr():
        if rng_.random() < 0.08 and manual_root_slots:
            return addr(0, manual_root_slots.pop())
        return None

    kinds = ["virtio", "e1000", "e1000e", "rtl8139", "virtio-transitional", "disk", "disk-t", "scsi", "vserial",
             "sound", "rng", "input", "fs", "shmem", "pciserial", "hostdev", "usb", "watchdog"]
    weights = [30, 12, 8, 5, 4, 12, 3, 2, 2, 2, 2, 2, 2, 1, 1, 3, 2, 1]
    counts = {}
    for i in range(n):
        kind = rng_.choices(kinds, weights)[0]
        counts[kind] = counts.get(kind, 0) + 1
        a = pick_addr()
        if kind in ("virtio", "e1000", "e1000e", "rtl8139", "virtio-transitional"):
            devs.append(nic(kind, a))
        elif kind in ("disk", "disk-t"):
            devs.append(disk(disk_name(dnum[0]), model="virtio-transitional" if kind == "disk-t" else None, a=a))
            dnum[0] += 1
        elif kind == "scsi":
            devs.append(scsi(rng_.choice(["virtio-scsi", "lsilogic", "virtio-transitional"]), a=a))
        elif kind == "vserial":
            devs.append(vserial(a=a))
        elif kind == "sound":
            devs.append(sound(rng_.choice(["ich6", "ich9", "ac97", "es1370"]), a))
        elif kind == "rng":
            devs.append(rng(a=a))
        elif kind == "input":
            devs.append(vinput(rng_.choice(["tablet", "keyboard", "mouse"]), a))
        elif kind == "fs":
            devs.append(fs9p("r%d" % i, a))
        elif kind == "shmem":
            devs.append(shmem("rs%d" % i, a=a))
        elif kind == "pciserial":
            devs.append(pciserial(a))
        elif kind == "hostdev":
            devs.append(hostdev_pci(0x40 + i // 32, i % 32, 0, a))
        elif kind == "usb" and none is not True:
            devs.append(usb(rng_.choice(["qemu-xhci", "nec-xhci", "piix4-uhci", "ehci", "pci-ohci"]), a=a))
        elif kind == "watchdog" and "watchdog-done" not in counts:
            counts["watchdog-done"] = 1
            devs.append(watchdog(a=a))
    if rng_.random() < 0.5:
        devs.insert(0, video(rng_.choice(["vga", "qxl", "virtio", "cirrus"])))
    rng_.shuffle(devs)
    name = "%s-random%02d-%ddev" % (machine, k, len(devs))
    C(name, machine, explicit + devs, "random mix: §3, §5, §6, §7",
      "seeded random mix (seed 20261122, #%d): %d devices, %d explicit controllers"
      % (k, len(devs), len(explicit)), none=none, acpi=True)


_r = random.Random(20261122)
for _k in range(1, 31):
    _random_case(_r, _k)


# ---------------------------------------------------------------------------
# 15. follow-ups to the first run (appended; numbers above are stable)
C("pc-video-early-vs-bridge", "pc", [nic("e1000", addr(0, 2)), video("vga"), pci("pci-bridge", 1), nic()],
  "§4.1 (video when 00:02.0 is taken) vs §6 order", "NIC at 00:02.0, vga, unaddressed bridge 1, NIC")
C("q35-video-early-vs-bridge", "q35", [nic("e1000", addr(0, 1)), video("vga"), pci("pcie-root-port", 1),
                                       pci("pcie-to-pci-bridge", 2), pci("pci-bridge", 3), nic("e1000")],
  "§4.2 (video when 00:01.0 is taken) vs §6 order", "NIC at 00:01.0, vga, port+pcie-to-pci+pci-bridge, e1000")
C("q35-ich9-1b-taken-vs-bridge", "q35", [nic("e1000", addr(0, 0x1b)), sound("ich9"), pci("pcie-root-port", 1),
                                         pci("pcie-to-pci-bridge", 2), pci("pci-bridge", 3), nic("e1000")],
  "§4.2 (ich9 when 00:1b.0 is taken) vs §6 order", "NIC at 00:1b.0, ich9, port+pcie-to-pci+pci-bridge, e1000")
for n in (121, 123, 180, 185):
    C("pc-none-%de1000" % n, "pc", nics(n, "e1000"), "§7.2, §12 Q3 (exact-fill rule beyond k=2)",
      "%d e1000 NICs on a bare pc" % n)
for n in (92, 94):
    C("q35-none-%de1000" % n, "q35", nics(n, "e1000"), "§5.5 (legacy overflow on q35; Q3 analogue)",
      "%d e1000 NICs on q35" % n)
C("q35-usb2-1d-1a-taken", "q35", [nic("e1000", addr(0, 0x1d)), nic("e1000", addr(0, 0x1a))] + usb2_set(0),
  "§4.2 (USB2 set when 00:1d and 00:1a are taken)", "NICs at 00:1d and 00:1a + a full USB2 set", none="balloon")
C("q35-video-early-pcie", "q35", [nic("virtio", addr(0, 1)), nic(), video("virtio")],
  "§4.2 (virtio video when 00:01.0 is taken)", "NIC at 00:01.0, virtio NIC, virtio video")
C("pc-video-taken-pxb", "pc", [nic("e1000", addr(0, 2)), pci("pci-expander-bus", 1), video("cirrus")],
  "§4.1 (video when 00:02.0 is taken), §2.2 pxb", "NIC at 00:02.0, unaddressed pxb, cirrus")
for n in (26, 27):
    C("pc-video-taken-%dnics" % n, "pc", [nic("e1000", addr(0, 2)), video("vga")] + nics(n, "e1000"),
      "§4.1 (video when 00:02.0 is taken), §7.2 phantom count",
      "NIC at 00:02.0, vga, %d e1000 (29 free root slots)" % n)
C("q35-video-taken-e1000e-x2", "q35", [nic("e1000e", addr(0, 1)), video("qxl"), nic("e1000e"), nic("e1000e")],
  "§4.2 (qxl when 00:01.0 is taken), §7.1", "e1000e at 00:01.0, qxl, 2 e1000e")
C("q35-video-taken-explicit-port", "q35", [nic("e1000e", addr(0, 1)), pci("pcie-root-port", 1), video("virtio")],
  "§4.2 (virtio video when 00:01.0 is taken), §7.1 (no spare)", "e1000e at 00:01.0, explicit port, virtio video")
C("q35-err-e1000e-on-pxb-pcie", "q35", [pci("pcie-expander-bus", 1), nic("e1000e", addr(1, 2))],
  "§2.1 (pcie-expander-bus takes no endpoints), §9", "e1000e manually at 01:02.0 on a pcie-expander-bus")
C("q35-err-downstream-chassis-256", "q35",
  [pci("pcie-root-port", 1), pci("pcie-switch-upstream-port", 2, a=addr(1, 0)),
   pci("pcie-switch-downstream-port", 3, target={"chassis": 256})], "§9 chassis range", "downstream chassis='256'")
C("q35-downstream-dup-chassis-port", "q35",
  [pci("pcie-root-port", 1, target={"chassis": 9, "port": 3}), pci("pcie-switch-upstream-port", 2, a=addr(1, 0)),
   pci("pcie-switch-downstream-port", 3, target={"chassis": 9, "port": 3}), nic()],
  "§2.3 / §9 (duplicate chassis/port accepted at define)", "root port and downstream port both chassis 9 port 3")
