"""Hand-made follow-ups (131-141): the smallest domains that show each difference the random
cases found (see ../README.md). Deterministic; built with the same helpers as randcases."""

from randcases import build_domain, usb_ctrl
from xmlparts import nic, disk, scsi, pci, hostdev_pci, nic_hostdev

FULL = [usb_ctrl("ich9-ehci1", 0), usb_ctrl("ich9-uhci1", 0, startport=0),
        usb_ctrl("ich9-uhci2", 0, startport=2), usb_ctrl("ich9-uhci3", 0, startport=4)]


def nics(n, model="e1000"):
    return [nic(model) for _ in range(n)]


def usb2(i, members):
    ports = {"uhci1": 0, "uhci2": 2, "uhci3": 4}
    return [usb_ctrl("ich9-" + m, i, startport=ports.get(m)) for m in members]


P2P = [pci("pcie-root-port", 1), pci("pcie-to-pci-bridge", 2)]

CASES = [
    (131, "q35-sata-sdh-implicit-sata1", "q35", [disk("sdh", bus="sata"), nic("e1000")], {},
     "sata disk sdh (drive controller 1): libvirt adds sata1"),
    (132, "pc-sata-sdm-scsi-sdb", "pc", [disk("sdm", bus="sata"), disk("sdb", bus="scsi"), nic("e1000")], {},
     "sata sdm (controller 2) + scsi sdb: sata0-2 and scsi0, scsi first"),
    (133, "q35-scsi-sdq-implicit-scsi0-2", "q35", [disk("sdq", bus="scsi")], {},
     "scsi disk sdq (controller 2, 7 units each): lsilogic 0-2"),
    (134, "q35-virtio-scsi-sdh-sdq", "q35", [scsi("virtio-scsi"), disk("sdh", bus="scsi"), disk("sdq", bus="scsi")],
     {}, "explicit virtio-scsi 0 + scsi sdh, sdq: still 7 units per controller, lsilogic 1-2 added"),
    (135, "pc-sata-then-scsi-implicit", "pc", [disk("sda", bus="sata"), disk("sdb", bus="scsi"), nic("e1000")], {},
     "sata disk before scsi disk, no controllers: scsi0 placed before sata0"),
    (136, "pc-ifhostdev-after-hostdev", "pc", [hostdev_pci(0x7f, 1, 0), nic_hostdev(0x90, 1, 0), nic("e1000")], {},
     "<hostdev> then <interface type='hostdev'>: the interface is placed first"),
    (137, "q35-lone-uhci1-multifunction", "q35", usb2(0, ["uhci1"]) + usb2(1, ["ehci1"]) + [nic("e1000")],
     {"none": "balloon"}, "lone ich9-uhci1 index 0: 00:1d.0 with multifunction='on'"),
    (138, "pc-usb2-set4-25nics", "pc", nics(25) + FULL, {"none": "balloon"},
     "25 e1000 + a 4-member USB2 set: 29 slots in pass A, no bridge"),
    (139, "pc-usb2-set4-26nics", "pc", nics(26) + FULL, {"none": "balloon"},
     "26 e1000 + a 4-member USB2 set: 30 slots in pass A, empty pci-bridge"),
    (140, "pc-usb2-set2-28nics", "pc", nics(28) + usb2(0, ["ehci1", "uhci1"]), {"none": "balloon"},
     "28 e1000 + ehci1/uhci1 set: 30 slots in pass A, empty pci-bridge"),
    (141, "q35-usb2-third-set-30e1000", "q35", P2P + nics(30) + usb2(0, ["ehci1", "uhci1"]) + usb2(1, ["ehci1", "uhci1"])
     + usb2(2, ["ehci1", "uhci1"]), {"none": "balloon"},
     "port + pcie-to-pci-bridge, 30 e1000, three 2-member sets (third placed normally): pci-bridge added"),
]


def cases():
    for num, name, machine, devs, opts, about in CASES:
        yield num, name, build_domain(num, name, "follow-up: " + about, machine, devs, **opts)
