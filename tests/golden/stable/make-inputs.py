#!/usr/bin/env python3
"""Writes the hand-made inputs of tests/golden/stable (README.md): domains
whose bridges leave a gap before the last one, with a device whose
placement needs a new bridge (no address).  Run from this directory."""

HEAD = """<domain type='kvm'>
  <name>{name}</name>
  <memory unit='KiB'>262144</memory>
  <vcpu placement='static'>2</vcpu>
{cpu}  <os>
    <type arch='x86_64' machine='{machine}'>hvm</type>
  </os>
  <features>
    <acpi/>
  </features>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
"""
TAIL = """    <controller type='usb' index='0' model='none'/>
    <memballoon model='none'/>
  </devices>
</domain>
"""
NUMA = """  <cpu>
    <numa>
      <cell id='0' cpus='0-1' memory='262144' unit='KiB'/>
    </numa>
  </cpu>
"""


def addr(bus, slot, fn, mf=False):
    return ("<address type='pci' domain='0x0000' bus='0x%02x' slot='0x%02x' function='0x%x'%s/>"
            % (bus, slot, fn, " multifunction='on'" if mf else ""))


def ctrl(index, model, bus, slot, fn, target="", mf=False):
    return ("    <controller type='pci' index='%d' model='%s'>\n%s      %s\n    </controller>\n"
            % (index, model, "      <target%s/>\n" % target if target else "", addr(bus, slot, fn, mf)))


def rp(index, bus, slot, fn, mf=False):
    return ctrl(index, "pcie-root-port", bus, slot, fn,
                " chassis='%d' port='0x%x'" % (index, slot * 8 + fn), mf)


def nic(n, bus, slot=0, fn=0, model="virtio"):
    a = "      %s\n" % addr(bus, slot, fn) if bus is not None else ""
    return ("    <interface type='user'>\n      <mac address='52:54:00:00:00:%02x'/>\n"
            "      <model type='%s'/>\n"
            "      <alias name='ua-net%d'/>\n%s    </interface>\n" % (n, model, n, a))


def write(name, machine, body, cpu="", new=""):
    """NAME.xml: body and new (what has no address yet); NAME.before.xml:
    body alone, the guest as it runs before the change."""
    with open(name + ".xml", "w") as f:
        f.write(HEAD.format(name=name, machine=machine, cpu=cpu) + body + new + TAIL)
    with open(name + ".before.xml", "w") as f:
        f.write(HEAD.format(name=name, machine=machine, cpu=cpu) + body + TAIL)


root = "    <controller type='pci' index='0' model='pcie-root'/>\n"
sata = ("    <controller type='sata' index='0'>\n      %s\n    </controller>\n" % addr(0, 0x1f, 2))
video = ("    <video>\n      <model type='vga' vram='16384' heads='1' primary='yes'/>\n      %s\n    </video>\n"
         % addr(0, 1, 0))

# 01: q35, the port at 00:02.2 was deleted (the indexes closed up); the
# ports at 00:02.0-00:02.6 hold a NIC each, and the video is at 00:01.0.
# libvirt fills 00:02.2.
b = root + sata
ports = [(1, 0), (2, 1), (3, 3), (4, 4), (5, 5), (6, 6)]
for idx, fn in ports:
    b += rp(idx, 0, 2, fn, fn == 0)
nics = ""
for idx, fn in ports:
    nics += nic(idx, idx)
write("01-q35-gap-function", "pc-q35-7.2", b + nics + video, new=nic(9, None))

# 02: q35, slot 00:02 full of ports, slot 00:03 free, ports at 00:04.0-1.
# libvirt takes 00:03.0.
b = root + sata
idx = 1
nics = ""
for fn in range(8):
    b += rp(idx, 0, 2, fn, fn == 0)
    nics += nic(idx, idx)
    idx += 1
for fn in range(2):
    b += rp(idx, 0, 4, fn, fn == 0)
    nics += nic(idx, idx)
    idx += 1
write("02-q35-gap-slot", "pc-q35-7.2", b + nics + video, new=nic(20, None))

# 03: pc, pci-bridges at 00:05 and 00:06 with a NIC each, slot 00:03
# free; the new pci-bridge (written without an address) goes to 00:03
# with libvirt.
b = "    <controller type='pci' index='0' model='pci-root'/>\n"
b += ctrl(1, "pci-bridge", 0, 5, 0, " chassisNr='1'")
b += ctrl(2, "pci-bridge", 0, 6, 0, " chassisNr='2'")
nics = nic(1, 1, 1, 0, "e1000") + nic(2, 2, 1, 0, "e1000")
write("03-pc-bridge-gap", "pc-i440fx-7.2", b + nics,
      new="    <controller type='pci' index='3' model='pci-bridge'/>\n")

# 04: q35, a pcie-expander-bus (busNr 0x80, NUMA node 0) with root ports
# at its slots 00 and 02; a NIC wants node 0, and libvirt seats the root
# port it adds at slot 00.1 (a free function of a slot root ports share),
# before the port at 02.
b = root + sata
b += ("    <controller type='pci' index='1' model='pcie-expander-bus'>\n"
      "      <target busNr='128'>\n        <node>0</node>\n      </target>\n"
      "      %s\n    </controller>\n" % addr(0, 5, 0))
b += rp(2, 1, 0, 0)
b += rp(3, 1, 2, 0)
nics = nic(1, 2) + nic(2, 3)
net = ("    <interface type='user'>\n      <mac address='52:54:00:00:00:09'/>\n"
       "      <model type='virtio'/>\n"
       "      <alias name='ua-net9'/>\n    </interface>\n")
meta = ("  <metadata>\n    <pcitopo:placement xmlns:pcitopo='https://pcitopo.dev/xmlns/placement/1'>\n"
        "      <pcitopo:device alias='ua-net9' numa='0'/>\n    </pcitopo:placement>\n  </metadata>\n")
for name, new in (("04-q35-pxb-gap.xml", net), ("04-q35-pxb-gap.before.xml", "")):
    with open(name, "w") as f:
        f.write(HEAD.format(name="04-q35-pxb-gap", machine="pc-q35-7.2", cpu=NUMA)
                .replace("  <vcpu", meta + "  <vcpu", 1) + b + nics + new + TAIL)

# 05: q35, a switch behind the last root port, downstream ports at its
# slots 00 and 02 with a NIC each; a downstream port written without an
# address goes to slot 01 with libvirt.
# fallback-q35-switch-mid: the same with a root port after the switch's:
# no place for a downstream port comes after it in the walk, so
# stable-guest keeps libvirt's choice (renumber.h reports what moves).
for name, tail in (("05-q35-switch-tail", True), ("fallback-q35-switch-mid", False)):
    b = root + sata + rp(1, 0, 2, 0, True)
    b += ctrl(2, "pcie-switch-upstream-port", 1, 0, 0)
    b += ctrl(3, "pcie-switch-downstream-port", 2, 0, 0, " chassis='3' port='0x0'")
    b += ctrl(4, "pcie-switch-downstream-port", 2, 2, 0, " chassis='4' port='0x2'")
    nics = nic(3, 3) + nic(4, 4)
    if not tail:
        b += rp(5, 0, 2, 1)
        nics += nic(5, 5)
    new = ("    <controller type='pci' index='%d' model='pcie-switch-downstream-port'/>\n"
           % (5 if tail else 6))
    if tail:
        write(name, "pc-q35-7.2", b + nics, new=new)
    else:
        with open(name + ".xml", "w") as f:
            f.write(HEAD.format(name=name, machine="pc-q35-7.2", cpu="") + b + nics + new + TAIL)
