"""Small builders for libvirt domain XML fragments used by the golden cases.

Every builder returns a string. MAC addresses are written as the placeholder
{MAC}; build_domain() replaces them with deterministic, per-case unique values
so that the oracle output does not contain random MACs.
"""

import re

DISK_IMG = "/var/lib/libvirt/images/golden-%s.img"


def addr(bus=0, slot=0, fn=0, mf=None, domain=0):
    s = "<address type='pci' domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'" % (
        domain, bus, slot, fn)
    if mf:
        s += " multifunction='%s'" % mf
    return s + "/>"


def raw_addr(**attrs):
    """An <address type='pci'> with only the given attributes (partial addresses)."""
    attrs.pop("type", None)
    return "<address type='pci'%s/>" % "".join(" %s='%s'" % (k, v) for k, v in attrs.items())


def _a(a):
    return a or ""


def nic(model="virtio", a=None, ntype="user"):
    m = "<model type='%s'/>" % model if model else ""
    return "<interface type='%s'><mac address='{MAC}'/>%s%s</interface>" % (ntype, m, _a(a))


def nics(n, model="virtio"):
    return [nic(model) for _ in range(n)]


def disk_name(i, prefix="vd"):
    """0 -> vda, 25 -> vdz, 26 -> vdaa ..."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(97 + r) + s
    return prefix + s


def disk(dev="vda", bus="virtio", model=None, a=None, device="disk"):
    m = " model='%s'" % model if model else ""
    return ("<disk type='file' device='%s'%s><source file='%s'/><target dev='%s' bus='%s'/>%s</disk>"
            % (device, m, DISK_IMG % dev, dev, bus, _a(a)))


def cdrom(dev="sda", bus="sata"):
    return "<disk type='file' device='cdrom'><target dev='%s' bus='%s'/><readonly/></disk>" % (dev, bus)


def ctrl(ctype, model=None, index=None, a=None, inner=""):
    s = "<controller type='%s'" % ctype
    if index is not None:
        s += " index='%d'" % index
    if model:
        s += " model='%s'" % model
    body = inner + _a(a)
    return s + (">%s</controller>" % body if body else "/>")


def pci(model, index=None, a=None, target=None, node=None, modelname=None, hotplug=None):
    """<controller type='pci'>; target is a dict of target attributes."""
    inner = ""
    if modelname:
        inner += "<model name='%s'/>" % modelname
    t = dict(target or {})
    if hotplug:
        t["hotplug"] = hotplug
    if t or node is not None:
        attrs = "".join(" %s='%s'" % (k, v) for k, v in t.items())
        if node is not None:
            inner += "<target%s><node>%d</node></target>" % (attrs, node)
        else:
            inner += "<target%s/>" % attrs
    return ctrl("pci", model, index, a, inner)


def usb(model=None, index=None, a=None, startport=None):
    inner = "<master startport='%d'/>" % startport if startport is not None else ""
    return ctrl("usb", model, index, a, inner)


def usb2_set(index, members=("ehci1", "uhci1", "uhci2", "uhci3")):
    out = []
    ports = {"uhci1": 0, "uhci2": 2, "uhci3": 4}
    for m in members:
        if m == "ehci1":
            out.append(usb("ich9-ehci1", index))
        else:
            out.append(usb("ich9-" + m, index, startport=ports[m]))
    return out


def scsi(model=None, index=None, a=None):
    return ctrl("scsi", model, index, a)


def vserial(model=None, index=None, a=None):
    return ctrl("virtio-serial", model, index, a)


def sound(model, a=None):
    return "<sound model='%s'>%s</sound>" % (model, _a(a)) if a else "<sound model='%s'/>" % model


def video(model, a=None, primary=None, heads=None):
    p = " primary='%s'" % primary if primary else ""
    return "<video><model type='%s'%s/>%s</video>" % (model, p, _a(a))


def watchdog(model="i6300esb", a=None):
    return "<watchdog model='%s' action='reset'>%s</watchdog>" % (model, _a(a)) if a else \
        "<watchdog model='%s' action='reset'/>" % model


def balloon(model="virtio", a=None):
    return "<memballoon model='%s'>%s</memballoon>" % (model, _a(a)) if a else \
        "<memballoon model='%s'/>" % model


def rng(model="virtio", a=None):
    return "<rng model='%s'><backend model='random'>/dev/urandom</backend>%s</rng>" % (model, _a(a))


def vinput(kind="tablet", a=None, model=None):
    m = " model='%s'" % model if model else ""
    if kind == "passthrough":
        return "<input type='passthrough' bus='virtio'%s><source evdev='/dev/input/event0'/>%s</input>" % (m, _a(a))
    return ("<input type='%s' bus='virtio'%s>%s</input>" % (kind, m, _a(a))) if a else \
        "<input type='%s' bus='virtio'%s/>" % (kind, m)


def fs9p(target="fs0", a=None, model=None):
    m = " model='%s'" % model if model else ""
    return ("<filesystem type='mount' accessmode='mapped'%s><source dir='/tmp'/><target dir='%s'/>%s</filesystem>"
            % (m, target, _a(a)))


def virtiofs(target="vfs0", a=None):
    return ("<filesystem type='mount' accessmode='passthrough'><driver type='virtiofs'/>"
            "<source dir='/tmp'/><target dir='%s'/>%s</filesystem>" % (target, _a(a)))


def vsock(a=None):
    return "<vsock model='virtio'><cid auto='yes'/>%s</vsock>" % _a(a)


def shmem(name="shm0", model="ivshmem-plain", a=None):
    extra = "<server path='/tmp/golden-ivshmem.sock'/>" if model == "ivshmem-doorbell" else \
        "<size unit='M'>4</size>"
    return "<shmem name='%s'><model type='%s'/>%s%s</shmem>" % (name, model, extra, _a(a))


def pciserial(a=None):
    return "<serial type='pty'><target type='pci-serial'/>%s</serial>" % _a(a)


def isaserial():
    return "<serial type='pty'><target type='isa-serial'/></serial>"


def channel():
    return "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"


def hostdev_pci(bus=0x7f, slot=0x1f, fn=0, a=None):
    return ("<hostdev mode='subsystem' type='pci' managed='no'><source><address domain='0x0000' "
            "bus='0x%02x' slot='0x%02x' function='0x%x'/></source>%s</hostdev>" % (bus, slot, fn, _a(a)))


def hostdev_mdev(uuid="c2177883-f1bb-47f0-914d-32a22e3a8804", a=None):
    return ("<hostdev mode='subsystem' type='mdev' model='vfio-pci'><source><address uuid='%s'/></source>%s</hostdev>"
            % (uuid, _a(a)))


def hostdev_vhost_scsi(wwpn="naa.50014057667280d8", a=None):
    return ("<hostdev mode='subsystem' type='scsi_host'><source protocol='vhost' wwpn='%s'/>%s</hostdev>"
            % (wwpn, _a(a)))


def nic_hostdev(bus=0x7e, slot=0, fn=0, a=None):
    return ("<interface type='hostdev' managed='no'><mac address='{MAC}'/><source><address type='pci' domain='0' "
            "bus='0x%02x' slot='0x%02x' function='0x%x'/></source>%s</interface>" % (bus, slot, fn, _a(a)))


def iommu(model="virtio", a=None):
    return "<iommu model='%s'>%s</iommu>" % (model, _a(a)) if a else "<iommu model='%s'/>" % model


def pmem(path="/tmp/golden-pmem", size=128, a=None):
    return ("<memory model='virtio-pmem' access='shared'><source><path>%s</path></source>"
            "<target><size unit='MiB'>%d</size></target>%s</memory>" % (path, size, _a(a)))


def vmem(node=0, size=128, a=None):
    return ("<memory model='virtio-mem'><target><size unit='MiB'>%d</size><node>%d</node>"
            "<block unit='MiB'>2</block><requested unit='MiB'>0</requested></target>%s</memory>"
            % (size, node, _a(a)))


def panic(model):
    return "<panic model='%s'/>" % model


def crypto():
    return "<crypto model='virtio' type='qemu'><backend model='builtin' queues='1'/></crypto>"


def numa_cells(n, mem_each=128):
    cells = "".join("<cell id='%d' cpus='%d' memory='%d' unit='MiB'/>" % (i, i, mem_each) for i in range(n))
    return "<cpu><numa>%s</numa></cpu>" % cells


MARKER = "generated by tests/golden/gen/make-golden"


def build_domain(num, name, machine, devices, none=True, acpi=False, numa=None, vcpu=None,
                 maxmem=None, membacking=None, memory=256):
    """Return the full input XML of one case.

    none=True adds <controller type='usb' model='none'/> and <memballoon model='none'/>
    (the "none" variant of the experiments); none='usb' or none='balloon' removes only one.
    """
    lines = ["<!-- pcitopo golden case %03d: %s. This file is %s from gen/cases.py;"
             " edit the case there, not here (see tests/golden/README.md). -->" % (num, name, MARKER),
             "<domain type='qemu'>",
             "  <name>golden-%03d-%s</name>" % (num, name)]
    if maxmem:
        lines.append("  <maxMemory slots='4' unit='MiB'>%d</maxMemory>" % maxmem)
    lines.append("  <memory unit='MiB'>%d</memory>" % memory)
    if membacking:
        lines.append("  " + membacking)
    cpus = vcpu or (numa if numa else None)
    if cpus:
        lines.append("  <vcpu>%d</vcpu>" % cpus)
    lines.append("  <os><type arch='x86_64' machine='%s'>hvm</type></os>" % machine)
    if acpi:
        lines.append("  <features><acpi/></features>")
    if numa:
        lines.append("  " + numa_cells(numa, memory // numa))
    lines.append("  <devices>")
    lines.append("    <emulator>/usr/bin/qemu-system-x86_64</emulator>")
    if none in (True, "usb"):
        lines.append("    <controller type='usb' model='none'/>")
    if none in (True, "balloon"):
        lines.append("    <memballoon model='none'/>")
    for d in devices:
        lines.append("    " + d)
    lines.append("  </devices>")
    lines.append("</domain>")
    text = "\n".join(lines) + "\n"
    counter = [0]

    def mac(_m):
        i = counter[0]
        counter[0] += 1
        return "52:54:00:%02x:%02x:%02x" % (num & 0xff, (i >> 8) & 0xff, i & 0xff)

    return re.sub(r"\{MAC\}", mac, text)
