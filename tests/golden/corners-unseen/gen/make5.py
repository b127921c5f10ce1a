#!/usr/bin/env python3
"""Unseen corner cases for issue 20, fifth round (seed 5555), python3 standard library only.

make4.py's builder with the mix round 4 advised: nothing the oracle's host or QEMU 7.2 lacks
(no model-less <shmem>, no TPM emulator, no virtio (non-)transitional inputs, no vdpa, no rdp),
so that most domains define and test placement:
  * half pc (i440fx, with and without <acpi/>, chained pci-bridges, pci-expander-bus with <node>
    and <cpu><numa> cells), half q35 (switches, root ports, dmi-to-pci-bridge, expander buses);
  * implicit devices in every domain: graphics without video, USB controllers only at index >= 1
    (with and without model), SCSI host devices, virtio-serial controllers N with ports, disks
    whose names imply controllers, model-less NICs, videos, USB and SCSI controllers;
  * numbers in odd bases everywhere (make2.py's vs());
  * about 15 % with one deliberate define-time refusal (round 4's list without rdp, plus a few
    pc-topology ones: a device at slot 0 of a pci-bridge, PCIe controllers on pc, chassisNr 0,
    a pci-bridge on pcie-root).

Reuses make3.py's Case3 (and make2.py's helpers) and writes ../place5/NNN-MACHINE-FOCUS.in.xml.
gen/run5.sh asks the oracle.

    make5.py [COUNT]      (default 120)
"""

import importlib.util
import os
import random
import re
import sys

SEED = 5555
GEN = os.path.dirname(os.path.abspath(__file__))
HERE = os.path.dirname(GEN)
OUT = os.path.join(HERE, "place5")

_spec = importlib.util.spec_from_file_location("make3", os.path.join(GEN, "make3.py"))
make3 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make3)


class Case4(make3.Case3):
    def __init__(self, r, num, fam):
        super().__init__(r, num, fam)
        self.maxmem = False
        self.memdevs = []
        self.shared_mem = False
        self.hugepages = False
        self.has_console_serial = False
        self.serial_ports = set()
        self.refusal = None
        self.vids = []
        self.seqs = []          # groups of devices whose order matters (consoles)
        self.slot0 = set()      # buses whose slot 0 is taken by a written address
        self.acpi = True

    # ------------------------------------------------------------------ helpers
    def favslot(self):
        return 1 if self.q35 else 2

    def maybe_addr(self, p=0.15):
        return self.paddr() if self.r.random() < p else ""

    def odd_tgt(self, n, p=0.6):
        return self.vs(n, "tgt", p)

    # ------------------------------------------------------------------ videos
    def k_videos(self, bad=None):
        r = self.r
        self.f("videos")
        g = r.choice(["vnc", "vnc", "spice", "spice", "vnc+spice", "sdl", "egl-headless+spice", "dbus", "none"])
        if g != "none":
            for t in g.split("+"):
                self.add("<graphics type='%s'/>" % t)
                if t == "spice":
                    self.spice = True
        n = r.choice([1, 2, 2, 3, 3, 4])
        late = n > 1 and r.random() < 0.55
        firsts = ["qxl", "virtio", "bochs", "vga", "cirrus", None, "ramfb"]
        models = []
        for i in range(n):
            if i == 0:
                m = r.choice(firsts if not late else ["qxl", "virtio", "qxl", "virtio"])
            elif late and i == n - 1:
                m = r.choice(["vga", "cirrus", "bochs", "qxl", "virtio", "ramfb"])
            else:
                m = r.choice(["qxl", "virtio", "virtio", "qxl"])
            models.append(m)
        if n == 1 and r.random() < 0.25:
            models = [r.choice(["none", "ramfb"])]
        if bad == "secondary":
            # a video only QEMU's primary can be, written second
            models.append(r.choice(["vga", "cirrus", "bochs", "ramfb"]))
            late = False
            self.tag("bad-secondary")
        if bad == "none-plus":
            models.insert(r.randint(0, len(models)), "none")
            self.tag("bad-none-plus")
        prim_at = len(models) - 1 if late else None
        if bad == "twoprimary":
            prim_at = len(models) - 1
            if len(models) == 1:
                models.append("virtio")
                prim_at = 1
            self.tag("bad-twoprimary")
        fav = self.favslot()
        for i, m in enumerate(models):
            attrs = []
            if m:
                attrs.append("type='%s'" % m)
            if i == prim_at or (bad == "twoprimary" and i == 0):
                attrs.append("primary='yes'")
            if m in ("qxl", "virtio") and r.random() < 0.4:
                attrs.append("heads='%d'" % r.choice([1, 1, 2, 4]))
            if m == "qxl" and r.random() < 0.5:
                attrs.append("ram='65536' vram='%d' vgamem='16384'" % r.choice([16384, 32768, 65536]))
            if m in ("vga", "cirrus", "bochs") and r.random() < 0.3:
                attrs.append("vram='%d'" % r.choice([8192, 16384]))
            inner = ""
            if m == "virtio" and r.random() < 0.2:
                inner = "<acceleration accel3d='no'/>"
            a = ""
            if m not in ("none", "ramfb") and r.random() < 0.35:
                where = r.choice(["fav", "fav", "fav", "other", "any"])
                if where == "fav" and fav not in self.slots:
                    self.slots.add(fav)
                    a = self.aaddr(0, fav)
                    self.tag("vfav%d" % i)
                elif where == "other":
                    s = 2 if self.q35 else 1
                    if s not in self.slots and (self.q35 or r.random() < 0.15):
                        self.slots.add(s)
                        a = self.aaddr(0, s)
                        self.tag("vother%d" % i)
                else:
                    a = self.paddr()
            mod = ("<model %s>%s</model>" % (" ".join(attrs), inner)) if inner else ("<model %s/>" % " ".join(attrs) if attrs else "")
            self.vids.append("<video>%s%s</video>" % (mod, a))
            self.tag("v" + (m or "empty") + ("P" if "primary='yes'" in attrs else ""))
        self.has_video = True
        if r.random() < 0.3 and fav not in self.slots:
            self.slots.add(fav)
            self.endpoint(self.aaddr(0, fav, 0), pcie=True)
            self.tag("favtaken")

    # ------------------------------------------------------------------ many kinds
    def k_misc(self):
        r = self.r
        self.f("kinds")
        kinds = ["vinput", "vsock", "shmem", "pciserial", "isaserial", "watchdog", "iommu", "memdev", "fs9p",
                 "virtiofs", "rng", "panic", "tpm", "sound", "sound", "balloon", "evdev", "crypto"]
        for k in r.sample(kinds, r.randint(5, 11)):
            self.tag(k)
            getattr(self, "m_" + k)()

    def m_vinput(self):
        r = self.r
        for _ in range(r.randint(1, 3)):
            t = r.choice(["tablet", "keyboard", "mouse", "passthrough"])
            m = r.choice(["", "", " model='virtio'"])
            src = "<source evdev='/dev/input/event%d'/>" % r.randint(0, 9) if t == "passthrough" else ""
            self.add("<input type='%s' bus='virtio'%s>%s%s</input>" % (t, m, src, self.maybe_addr()))

    def m_evdev(self):
        self.add("<input type='evdev'><source dev='/dev/input/event%d' grab='all' repeat='on'/></input>" % self.r.randint(0, 9))

    def m_vsock(self):
        r = self.r
        m = r.choice(["", " model='virtio'", " model='virtio-transitional'", " model='virtio-non-transitional'"])
        cid = "<cid auto='yes'/>" if r.random() < 0.6 else "<cid auto='no' address='%d'/>" % r.randint(3, 99)
        self.add("<vsock%s>%s%s</vsock>" % (m, cid, self.maybe_addr()))

    def m_shmem(self):
        r = self.r
        if r.random() < 0.6:     # this QEMU has no ivshmem: keep it rare
            return
        for j in range(r.randint(1, 2)):
            k = r.choice(["plain", "plain", "doorbell"])
            if k == "plain":
                self.add("<shmem name='shm%d-%d'><model type='ivshmem-plain'/><size unit='M'>%d</size>%s</shmem>"
                         % (self.num, j, r.choice([1, 4, 8]), self.maybe_addr()))
            elif k == "doorbell":
                msi = "<msi vectors='%d' ioeventfd='on'/>" % r.choice([1, 8, 32]) if r.random() < 0.6 else ""
                self.add("<shmem name='shsrv%d-%d'><model type='ivshmem-doorbell'/><server path='/tmp/shm%d-%d.sock'/>%s%s</shmem>"
                         % (self.num, j, self.num, j, msi, self.maybe_addr()))
            else:
                self.add("<shmem name='shx%d-%d'><size unit='M'>4</size>%s</shmem>" % (self.num, j, self.maybe_addr()))

    def m_pciserial(self):
        r = self.r
        for _ in range(r.randint(1, 2)):
            tm = r.choice(["<target type='pci-serial'><model name='pci-serial'/></target>", "<target type='pci-serial'/>",
                           "<target type='pci-serial' port='%d'/>" % r.randint(0, 3)])
            self.add("<serial type='%s'>%s%s</serial>" % (r.choice(["pty", "pty", "null"]), tm, self.maybe_addr()))
        self.console()

    def m_isaserial(self):
        r = self.r
        for _ in range(r.randint(1, 2)):
            tm = r.choice(["<target type='isa-serial' port='%d'><model name='isa-serial'/></target>" % r.randint(0, 3),
                           "<target type='isa-serial'/>", "", "<target port='%d'/>" % r.randint(0, 3)])
            self.add("<serial type='pty'>%s</serial>" % tm)
        self.console()

    def console(self):
        r = self.r
        if self.has_console_serial or r.random() < 0.3:
            return
        self.has_console_serial = True
        k = r.choice(["serial", "none", "virtio", "serial-then-virtio"])
        if k == "serial":
            self.add("<console type='pty'><target type='serial' port='0'/></console>")
        elif k == "none":
            self.add("<console type='pty'/>")
        elif k == "virtio":
            self.add("<console type='pty'><target type='virtio'/></console>")
        else:
            self.seqs.append(["<console type='pty'><target type='serial'/></console>",
                              "<console type='pty'><target type='virtio' port='1'/></console>"])
        self.tag("con-" + k)

    def m_watchdog(self):
        if self.have_wd:
            return
        self.have_wd = True
        self.add("<watchdog model='i6300esb' action='%s'>%s</watchdog>" % (self.r.choice(["reset", "poweroff", "dump", "none"]),
                                                                           self.maybe_addr()))

    def m_iommu(self):
        if not self.q35:
            return
        self.add("<iommu model='virtio'>%s</iommu>" % self.maybe_addr(0.2))
        self.acpi = self.r.random() < 0.9

    def m_memdev(self):
        r = self.r
        self.maxmem = True
        if not self.numa:
            self.numa = r.choice([1, 2, 2])
        for j in range(r.randint(1, 3)):
            k = r.choice(["virtio-mem", "virtio-mem", "virtio-pmem", "virtio-pmem", "dimm"])
            a = self.maybe_addr(0.2) if k != "dimm" else ""
            node = r.randint(0, self.numa - 1)
            if k == "virtio-mem":
                self.memdevs.append("<memory model='virtio-mem'><target><size unit='MiB'>%d</size><node>%d</node>"
                                    "<block unit='KiB'>2048</block><requested unit='MiB'>%d</requested></target>%s</memory>"
                                    % (r.choice([256, 512, 1024]), node, r.choice([0, 128]), a))
            elif k == "virtio-pmem":
                self.memdevs.append("<memory model='virtio-pmem' access='shared'><source><path>/tmp/pmem%d-%d</path></source>"
                                    "<target><size unit='MiB'>%d</size></target>%s</memory>" % (self.num, j, r.choice([128, 256]), a))
            else:
                self.memdevs.append("<memory model='dimm'><target><size unit='MiB'>256</size><node>%d</node></target></memory>" % node)
            self.tag(k)

    def m_fs9p(self):
        r = self.r
        for j in range(r.randint(1, 2)):
            am = r.choice(["", " accessmode='mapped'", " accessmode='passthrough'", " accessmode='squash'"])
            m = r.choice(["", "", " model='virtio-transitional'", " model='virtio-non-transitional'"])
            self.add("<filesystem type='mount'%s%s><source dir='/srv/p%d-%d'/><target dir='p%d'/>%s</filesystem>"
                     % (am, m, self.num, j, j, self.maybe_addr()))

    def m_virtiofs(self):
        r = self.r
        self.shared_mem = True
        for j in range(r.randint(1, 2)):
            self.add("<filesystem type='mount' accessmode='passthrough'><driver type='virtiofs'%s/>"
                     "<source dir='/srv/vfs%d-%d'/><target dir='vfs%d'/>%s</filesystem>"
                     % (" queue='1024'" if r.random() < 0.3 else "", self.num, j, j, self.maybe_addr()))

    def m_rng(self):
        r = self.r
        for _ in range(r.randint(1, 2)):
            m = r.choice(["virtio", "virtio", "virtio-transitional", "virtio-non-transitional"])
            b = r.choice(["<backend model='random'>/dev/urandom</backend>", "<backend model='builtin'/>",
                          "<backend model='egd' type='tcp'><source mode='connect' host='localhost' service='1234'/></backend>"])
            self.add("<rng model='%s'>%s%s</rng>" % (m, b, self.maybe_addr()))

    def m_panic(self):
        r = self.r
        m = r.choice(["", " model='isa'", " model='hyperv'", " model='isa'"])
        a = "<address type='isa' iobase='0x505'/>" if m == " model='isa'" and r.random() < 0.4 else ""
        self.add("<panic%s>%s</panic>" % (m, a))

    def m_tpm(self):
        r = self.r
        m = r.choice(["", " model='tpm-tis'", " model='tpm-crb'"])
        b = "<backend type='passthrough'><device path='/dev/tpm0'/></backend>"
        self.add("<tpm%s>%s</tpm>" % (m, b))

    def m_sound(self):
        r = self.r
        m = r.choice(["ich6", "ich9", "ac97", "es1370", "usb", "ich9", "ich6"])
        if m == "usb" and self.usb_off:
            m = "ich6"
        inner = "<codec type='%s'/>" % r.choice(["duplex", "micro", "output"]) if m in ("ich6", "ich9") and r.random() < 0.4 else ""
        self.add("<sound model='%s'>%s%s</sound>" % (m, inner, self.maybe_addr() if m != "usb" else ""))

    def m_balloon(self):
        r = self.r
        if r.random() < 0.2:
            self.add("<memballoon model='none'/>")
        else:
            self.add("<memballoon model='%s'>%s</memballoon>" % (r.choice(["virtio", "virtio-transitional", "virtio-non-transitional"]),
                                                                self.maybe_addr()))

    def m_crypto(self):
        self.add("<crypto model='virtio' type='qemu'><backend model='builtin' queues='1'/>%s</crypto>" % self.maybe_addr())

    # ------------------------------------------------------------------ topology
    def k_topo(self):
        r = self.r
        self.f("topo")
        old = self.odd
        self.odd = 0.65
        if self.q35:
            comps = r.sample(["switch", "switch", "dmi", "pxb", "rp", "switch2"], r.randint(1, 3))
        else:
            comps = r.sample(["bridge", "pxb", "pxb", "bridgechain", "bridgechain"], r.randint(1, 3))
        for c in comps:
            getattr(self, "t_" + c)()
            self.tag("t-" + c)
        self.odd = old

    def t_rp(self):
        for _ in range(self.r.randint(1, 5)):
            i = self.root_port()
            if self.r.random() < 0.4:
                self.endpoint(self.aaddr(i, 0))

    def downstream(self, up, n):
        r = self.r
        dns = []
        used = set()
        for k in range(n):
            dn = self.alloc(gap=True)
            a = ""
            if r.random() < 0.5:
                s = r.choice([s for s in range(0, 32) if s not in used])
                used.add(s)
                a = self.aaddr(up, s)
            tgt = ""
            if r.random() < 0.5:
                parts = []
                if r.random() < 0.8:
                    parts.append("chassis='%s'" % self.odd_tgt(self.chassis()))
                if r.random() < 0.7:
                    parts.append("port='%s'" % self.odd_tgt(r.randint(0, 255)))
                tgt = "<target %s/>" % " ".join(parts) if parts else ""
            self.ctrl("pcie-switch-downstream-port", dn, tgt, a,
                      mname="xio3130-downstream" if r.random() < 0.1 else "")
            dns.append(dn)
            if r.random() < 0.5:
                self.endpoint(self.aaddr(dn, 0))
                self.slot0.add(dn)
        return dns

    def t_switch(self, parent=None):
        r = self.r
        if parent is None:
            parent = self.root_port()
        up = self.alloc()
        a = self.aaddr(parent, 0) if r.random() < 0.6 else ""
        self.ctrl("pcie-switch-upstream-port", up, "", a, mname="x3130-upstream" if r.random() < 0.1 else "")
        return self.downstream(up, r.randint(2, 6))

    def t_switch2(self):
        dns = self.t_switch()
        # a second switch below one downstream port (addressed or not)
        free = [d for d in dns if d not in self.slot0]
        self.t_switch(parent=self.r.choice(free) if free else None)
        self.tag("sw2")

    def t_dmi(self):
        r = self.r
        i = self.alloc()
        a = ""
        if r.random() < 0.5 and 0x1e not in self.slots:
            self.slots.add(0x1e)
            a = self.aaddr(0, 0x1e)
        elif r.random() < 0.4:
            a = self.aaddr(0, self.free_slot(1, 0x1d))
        self.ctrl("dmi-to-pci-bridge", i, "", a, mname="i82801b11-bridge" if r.random() < 0.2 else "")
        for _ in range(r.randint(1, 3)):
            j = self.alloc(gap=True)
            s = r.randint(0, 31)
            a = self.aaddr(i, s) if r.random() < 0.6 else ""
            tgt = "<target chassisNr='%s'/>" % self.odd_tgt(self.chassis()) if r.random() < 0.6 else ""
            self.ctrl("pci-bridge", j, tgt, a)
            used = {s}
            for _ in range(r.randint(0, 3)):
                s2 = r.randint(1, 31)
                if s2 in used:
                    continue
                used.add(s2)
                self.endpoint(self.aaddr(j, s2), pcie=False)
            if r.random() < 0.3:
                self.endpoint("", pcie=False)

    def t_pxb(self):
        self.pxb_n(q35=self.q35)

    def pxb_n(self, q35):
        r = self.r
        cells = self.numa or r.randint(2, 6)
        self.numa = cells
        for _ in range(r.randint(1, 2)):
            i = self.alloc()
            model = "pcie-expander-bus" if q35 else "pci-expander-bus"
            parts = ""
            if r.random() < 0.7:
                parts = " busNr='%s'" % self.odd_tgt(r.choice([0x80, 0xf0, 0xfe, 100, 200, 0x40, 0x20]) - self.pxbn * 12)
            node = ""
            if r.random() < 0.85:
                node = "<node>%s</node>" % self.vs(r.randint(0, cells - 1), "node", 0.7)
            self.pxbn += 1
            tgt = "<target%s>%s</target>" % (parts, node) if parts or node else ""
            a = self.aaddr(0, self.free_slot(1, 0x1e)) if r.random() < 0.3 else ""
            self.ctrl(model, i, tgt, a)
            if q35:
                for k in range(r.randint(0, 3)):
                    rp = self.root_port(i, k if r.random() < 0.6 else None)
                    if r.random() < 0.6:
                        self.endpoint(self.aaddr(rp, 0))
                if r.random() < 0.3:
                    self.t_switch(parent=self.root_port(i, None))
            else:
                used = set()
                for _ in range(r.randint(0, 3)):
                    s = r.randint(0, 31)
                    if s in used:
                        continue
                    used.add(s)
                    self.endpoint(self.aaddr(i, s), pcie=False)
                if r.random() < 0.4:
                    j = self.alloc()
                    s = r.choice([x for x in range(32) if x not in used])
                    self.ctrl("pci-bridge", j, "<target chassisNr='%s'/>" % self.odd_tgt(self.chassis()) if r.random() < 0.5 else "",
                              self.aaddr(i, s))
                    self.endpoint(self.aaddr(j, r.randint(1, 31)), pcie=False)

    def t_bridge(self):
        r = self.r
        for _ in range(r.randint(1, 3)):
            i = self.alloc(gap=True)
            a = self.aaddr(0, self.free_slot(3, 0x1f)) if r.random() < 0.5 else ""
            tgt = "<target chassisNr='%s'/>" % self.odd_tgt(self.chassis()) if r.random() < 0.6 else ""
            self.ctrl("pci-bridge", i, tgt, a)
            used = set()
            for _ in range(r.randint(0, 3)):
                s = r.randint(1, 31)
                if s not in used:
                    used.add(s)
                    self.endpoint(self.aaddr(i, s), pcie=False)

    def t_bridgechain(self):
        r = self.r
        parent = 0
        for d in range(r.randint(2, 4)):
            i = self.alloc()
            a = self.aaddr(parent, self.free_slot(3, 0x1f) if parent == 0 else r.randint(1, 31)) if r.random() < 0.7 else ""
            self.ctrl("pci-bridge", i, "<target chassisNr='%s'/>" % self.odd_tgt(self.chassis()) if r.random() < 0.5 else "", a)
            if r.random() < 0.5:
                self.endpoint(self.aaddr(i, r.randint(1, 31)), pcie=False)
            parent = i

    # ------------------------------------------------------------------ interfaces
    def k_nics(self, bad=False):
        r = self.r
        self.f("nics")
        types = ["network", "bridge", "user", "direct", "ethernet", "hostdev", "vhostuser", "mcast",
                 "server", "client", "udp", "network", "bridge", "hostdev"]
        for t in r.sample(types, r.randint(3, 8)):
            a = self.paddr() if r.random() < 0.15 else ""
            src = {
                "network": "<source network='default'/>",
                "bridge": "<source bridge='br0'/>",
                "user": "",
                "direct": "<source dev='eth0' mode='%s'/>" % r.choice(["bridge", "vepa", "private", "passthrough"]),
                "ethernet": "<target dev='tap%d-%d'/>" % (self.num, self.macs),
                "hostdev": "<source><address type='pci' domain='%s' bus='%s' slot='%s' function='%s'/></source>" % (
                    self.vs(0, "pci"), self.vs(self.hostpci(), "pci"), self.vs(r.randint(0, 31), "pci"), self.vs(r.randint(0, 7), "pci")),
                "vdpa": "<source dev='/dev/vhost-vdpa-%d'/>" % self.macs,
                "vhostuser": "<source type='unix' path='/tmp/vhu%d-%d.sock' mode='%s'/>" % (self.num, self.macs, r.choice(["client", "server"])),
                "mcast": "<source address='230.0.0.1' port='%d'/>" % (5558 + self.macs),
                "server": "<source address='192.168.0.1' port='%d'/>" % (5600 + self.macs),
                "client": "<source address='192.168.0.1' port='%d'/>" % (5700 + self.macs),
                "udp": "<source address='192.168.0.1' port='%d'><local address='127.0.0.1' port='%d'/></source>" % (5800 + self.macs, 5900 + self.macs),
            }[t]
            model = ""
            if t == "vhostuser" and not bad:
                model = "<model type='virtio'/>"
            elif t not in ("vhostuser", "vdpa") and r.random() < 0.15:
                model = "<model type='%s'/>" % r.choice(["virtio", "e1000e", "e1000", "rtl8139"])
            managed = " managed='%s'" % r.choice(["yes", "no"]) if t == "hostdev" and r.random() < 0.7 else ""
            drv = "<driver name='vfio'/>" if t == "hostdev" and r.random() < 0.3 else ""
            self.add("<interface type='%s'%s>%s%s%s%s%s</interface>" % (t, managed, self.mac(), src, model, drv, a))
            self.tag("n-" + t + ("" if model else "0"))
        if bad:
            self.add("<interface type='vhostuser'>%s<source type='unix' path='/tmp/vhx%d.sock' mode='client'/></interface>"
                     % (self.mac(), self.num))

    # ------------------------------------------------------------------ USB2 sets
    def k_usb2(self):
        r = self.r
        self.f("usb2sets")
        starts = {"ich9-uhci1": 0, "ich9-uhci2": 2, "ich9-uhci3": 4}
        idxs = sorted(r.sample([0, 1, 2, 3, 4, 6], r.randint(1, 3)))
        for k in idxs:
            members = ["ich9-ehci1", "ich9-uhci1", "ich9-uhci2", "ich9-uhci3"]
            if r.random() < 0.3:
                members = ["ich9-ehci1"] + r.sample(members[1:], r.randint(1, 3))
            if r.random() < 0.3:
                r.shuffle(members)
            withmaster = r.random() < 0.8
            slot = None
            mode = r.choice(["none", "none", "one", "master", "all", "companion"])
            for m in members:
                a = ""
                addr_it = (mode == "one" and slot is None and r.random() < 0.5) or (mode == "master" and m == "ich9-ehci1") \
                    or mode == "all" or (mode == "companion" and m == "ich9-uhci2")
                if addr_it:
                    if slot is None:
                        slot = self.free_slot()
                    fn = {"ich9-ehci1": 7, "ich9-uhci1": 0, "ich9-uhci2": 1, "ich9-uhci3": 2}[m]
                    a = self.aaddr(0, slot, fn, mf=(fn == 0))
                inner = "<master startport='%s'/>" % self.vs(starts[m], "udec") if m in starts and withmaster else ""
                self.add("<controller type='usb' index='%s' model='%s'>%s%s</controller>" % (self.vs(k, "dec"), m, inner, a))
            self.tag("set%d-%s" % (k, mode))
        if r.random() < 0.4:
            k = max(idxs) + r.randint(1, 3)
            m = r.choice(["qemu-xhci", "nec-xhci", "piix3-uhci", "ehci", None])
            self.add("<controller type='usb' index='%s'%s>%s</controller>" % (self.vs(k, "dec"), " model='%s'" % m if m else "",
                                                                             self.maybe_addr(0.3)))
        for _ in range(r.randint(0, 3)):
            t = r.choice(["tablet", "keyboard", "mouse", "hub", "redir", "hostdev", "disk"])
            if t in ("tablet", "keyboard", "mouse"):
                self.add("<input type='%s' bus='usb'/>" % t)
            elif t == "hub":
                self.add("<hub type='usb'/>")
            elif t == "redir":
                self.add("<redirdev bus='usb' type='tcp'><source mode='connect' host='localhost' service='4000'/></redirdev>")
            elif t == "hostdev":
                self.add("<hostdev mode='subsystem' type='usb' managed='yes'><source><vendor id='0x0781'/><product id='0x55%02x'/></source></hostdev>" % r.randint(0, 99))
            else:
                tt = self.target("sd")
                self.add("<disk type='file' device='disk'><source file='/var/lib/libvirt/images/usb%d-%s.img'/>"
                         "<target dev='%s' bus='usb'/></disk>" % (self.num, tt, tt))

    # ------------------------------------------------------------------ refusals (one each)
    def bad(self, kind):
        r = self.r
        self.refusal = kind
        self.f("X" if kind in ("pcinomodel", "ich7", "usbnone1", "nomaster", "usboffdev", "ide2", "hostdup") else "X-" + kind)
        if kind in ("pcinomodel", "ich7", "usbnone1", "nomaster", "usboffdev", "ide2", "hostdup"):
            getattr(self, "r_" + kind)()
        elif kind == "wd2":
            self.have_wd = True
            self.add("<watchdog model='i6300esb'/>")
            self.add("<watchdog model='%s'/>" % r.choice(["i6300esb", "ib700"]))
        elif kind == "balloon2":
            self.add("<memballoon model='virtio'/>")
            self.add("<memballoon model='%s'/>" % r.choice(["virtio", "none"]))
        elif kind in ("secondary", "none-plus", "twoprimary"):
            self.k_videos(bad=kind)
        elif kind == "console2serial":
            self.has_console_serial = True
            self.add("<serial type='pty'><target type='isa-serial' port='0'/></serial>")
            self.add("<console type='pty'><target type='%s'/></console>" % r.choice(["serial", "virtio"]))
            self.add("<console type='pty'><target type='serial' port='%d'/></console>" % r.choice([0, 1]))
        elif kind == "spicechan":
            self.add("<graphics type='vnc'/>")
            self.add(r.choice(["<channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>",
                               "<channel type='spiceport'><source channel='org.qemu.x'/><target type='virtio' name='org.qemu.x'/></channel>",
                               "<serial type='spiceport'><source channel='org.qemu.console.serial.0'/></serial>"]))
        elif kind == "egl":
            self.add("<graphics type='egl-headless'/>")
            if r.random() < 0.5:
                self.add("<graphics type='%s'/>" % r.choice(["sdl", "dbus"]))
        elif kind == "drivedup":
            c, u = r.randint(0, 1), r.randint(0, 5)
            bus = r.choice(["scsi", "sata"])
            for _ in range(2):
                t = self.target("sd")
                self.add("<disk type='file' device='disk'><source file='/var/lib/libvirt/images/dd%d-%s.img'/>"
                         "<target dev='%s' bus='%s'/><address type='drive' controller='%s' bus='0' target='0' unit='%s'/></disk>"
                         % (self.num, t, t, bus, self.vs(c, "udec", 0.5), self.vs(u, "udec", 0.5)))
        elif kind == "vserdup":
            p = r.randint(1, 4)
            for j in range(2):
                self.add("<channel type='unix'><target type='virtio' name='org.p4.%d'/>"
                         "<address type='virtio-serial' controller='0' bus='0' port='%s'/></channel>" % (j, self.vs(p, "udec", 0.5)))
        elif kind == "pxbwrong":
            self.numa = 2
            self.ctrl("pci-expander-bus" if self.q35 else "pcie-expander-bus", self.alloc(), "<target><node>1</node></target>")
        elif kind == "numanode":
            self.numa = r.choice([1, 2])
            self.ctrl("pcie-expander-bus" if self.q35 else "pci-expander-bus", self.alloc(),
                      "<target><node>%s</node></target>" % self.vs(r.choice([2, 3, 5]), "node", 0.5))
        elif kind == "pcidouble":
            s = self.free_slot()
            self.endpoint(self.aaddr(0, s, 0), pcie=True)
            self.endpoint(self.aaddr(0, s, 0), pcie=True)
        elif kind == "idx256":
            self.ctrl("pcie-root-port" if self.q35 else "pci-bridge", 256, "")
        elif kind == "vhostuser":
            self.k_nics(bad=True)
        elif kind == "smartcard2":
            self.add("<smartcard mode='host'/>")
            self.add("<smartcard mode='passthrough' type='%s'/>" % ("spicevmc" if self.spice else "pty"))
        elif kind == "rdp":
            self.add("<graphics type='rdp'/>")
        elif kind == "rootaddr":
            self.add("<controller type='pci' index='0' model='%s'>%s</controller>" % ("pcie-root" if self.q35 else "pci-root",
                                                                                      self.aaddr(0, self.free_slot())))
        elif kind == "badnum":
            k = r.choice(["chassis", "port", "busNr", "node", "index", "slot"])
            self.tag("bn-" + k)
            if k in ("chassis", "port"):
                m = "pcie-root-port" if self.q35 else "pci-bridge"
                if m == "pci-bridge":
                    self.ctrl(m, self.alloc(), "<target chassisNr='%s'/>" % r.choice(["08", "09", "1e1", "-1"]))
                else:
                    self.ctrl(m, self.alloc(), "<target %s='%s'/>" % (k, r.choice(["08", "09", "1e1", "-1", "10 "])))
            elif k == "busNr":
                self.numa = self.numa or 2
                self.ctrl("pcie-expander-bus" if self.q35 else "pci-expander-bus", self.alloc(),
                          "<target busNr='%s'/>" % r.choice(["09", "0x100", "255"]))
            elif k == "node":
                self.numa = self.numa or 2
                self.ctrl("pcie-expander-bus" if self.q35 else "pci-expander-bus", self.alloc(),
                          "<target><node>%s</node></target>" % r.choice(["0x1", "1 ", "-1", "1e0"]))
            elif k == "index":
                self.add("<controller type='pci' index='%s' model='%s'/>" % (r.choice(["0x3", "3 ", "-1", "1e1"]),
                                                                           "pcie-root-port" if self.q35 else "pci-bridge"))
            else:
                self.endpoint("<address type='pci' domain='0' bus='0' slot='%s' function='0'/>" % r.choice(["08", "09", "0x20", "-0", "33"]), pcie=True)
        elif kind == "scsiname":
            self.add("<hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host3'/><address bus='0' target='0' unit='0'/></source>"
                     "<address type='drive' controller='0' bus='0' target='0' unit='%s'/></hostdev>" % self.vs(1, "udec", 0.5))
            self.add("<disk type='file' device='disk'><source file='/var/lib/libvirt/images/sn%d.img'/><target dev='sdb' bus='scsi'/></disk>" % self.num)
            self.targets.add("sdb")
        elif kind == "lsitarget":
            self.add("<controller type='scsi' index='0' model='lsilogic'/>")
            t = self.target("sd")
            self.add("<disk type='file' device='disk'><source file='/var/lib/libvirt/images/lt%d.img'/><target dev='%s' bus='scsi'/>"
                     "<address type='drive' controller='0' bus='0' target='%s' unit='0'/></disk>" % (self.num, t, self.vs(1, "udec", 0.5)))
        elif kind == "nomodel":
            self.add(r.choice(["<sound/>", "<memballoon/>", "<watchdog/>", "<rng><backend model='random'/></rng>"]))
            self.have_wd = True
        elif kind == "memnomax":
            self.numa = self.numa or 1
            self.memdevs.append("<memory model='virtio-mem'><target><size unit='MiB'>512</size><node>0</node>"
                                "<block unit='KiB'>2048</block><requested unit='MiB'>0</requested></target></memory>")
            self.maxmem = False
            self.tag("nomaxmem")
        elif kind == "virtiofs-noshared":
            self.add("<filesystem type='mount' accessmode='passthrough'><driver type='virtiofs'/>"
                     "<source dir='/srv/ns%d'/><target dir='ns'/></filesystem>" % self.num)
            self.tag("noshared")
        elif kind == "iommu-pc":
            self.add("<iommu model='virtio'/>")
            self.acpi = True
        elif kind == "ide-q35":
            self.add("<disk type='file' device='cdrom'><source file='/x.iso'/><target dev='hdc' bus='ide'/><readonly/></disk>")

    # ------------------------------------------------------------------ implicit devices (round 5)
    def k_implicit(self, novideo):
        r = self.r
        self.f("impl")
        if novideo:
            self.f("gfxnovideo")
            if r.random() < 0.5:
                self.i_gfxfav()
            else:
                for t in r.sample(["vnc", "spice", "sdl", "dbus"], r.choice([1, 1, 2])):
                    self.add("<graphics type='%s'/>" % t)
        opts = ["i_usbhigh", "i_scsihd", "i_vser", "i_disknames", "d_models", "x_nomodel", "x_nomodel"]
        for n in r.sample(opts, r.randint(1, 3)):
            if n == "i_usbhigh" and self.usb_off:
                continue
            if n == "i_disknames":      # no hd* names past hdd (a second IDE controller): q35's bus list
                q, self.q35 = self.q35, True
                self.i_disknames()
                self.q35 = q
                continue
            getattr(self, n)()

    def x_nomodel(self):
        """model-less USB / SCSI controllers at odd indexes, model-less NICs and a model-less video."""
        r = self.r
        self.f("nomodel5")
        if not self.usb_off and r.random() < 0.6:
            for i in sorted(r.sample([1, 2, 3, 5], r.randint(1, 2))):
                self.add("<controller type='usb' index='%s'>%s</controller>" % (self.vs(i, "dec"), self.maybe_addr(0.2)))
                self.tag("usb%d-x" % i)
        if r.random() < 0.6:
            for i in sorted(r.sample([0, 1, 2, 4], r.randint(1, 2))):
                self.add("<controller type='scsi' index='%s'>%s</controller>" % (self.vs(i, "dec"), self.maybe_addr(0.2)))
                self.tag("scsi%d-x" % i)
            if r.random() < 0.5:
                t = self.target("sd")
                self.add("<disk type='file' device='disk'><source file='/var/lib/libvirt/images/x%d-%s.img'/>"
                         "<target dev='%s' bus='scsi'/></disk>" % (self.num, t, t))
        for _ in range(r.randint(0, 3)):
            t = r.choice(["network", "bridge", "user", "ethernet"])
            src = {"network": "<source network='default'/>", "bridge": "<source bridge='br0'/>", "user": "", "ethernet": ""}[t]
            self.add("<interface type='%s'>%s%s%s</interface>" % (t, self.mac(), src, self.maybe_addr(0.2)))
        if not self.has_video and r.random() < 0.4:
            self.has_video = True
            self.add(r.choice(["<video/>", "<video><model heads='1'/></video>", "<video><model vram='16384'/></video>"]))
            self.tag("video-x")

    # ------------------------------------------------------------------ new refusals (round 5)
    def bad5(self, kind):
        r = self.r
        self.refusal = kind
        self.f("X-" + kind)
        if kind == "bridgeslot0":
            i = self.alloc()
            self.ctrl("pci-bridge", i, "", self.maybe_addr(0.5))
            self.endpoint(self.aaddr(i, 0), pcie=False)
        elif kind == "pcieonpc":
            m = r.choice(["pcie-root-port", "dmi-to-pci-bridge", "pcie-switch-upstream-port", "pcie-expander-bus"])
            self.tag("pp-" + m)
            self.ctrl(m, self.alloc(), "", self.maybe_addr(0.5))
        elif kind == "chassis0":
            self.ctrl("pci-bridge", self.alloc(), "<target chassisNr='%s'/>" % self.vs(0, "tgt", 0.7), self.maybe_addr(0.5))
        elif kind == "bridgeonroot":
            self.ctrl("pci-bridge", self.alloc(), "", self.aaddr(0, self.free_slot(1, 0x1e)))

    # ------------------------------------------------------------------ output
    def xml(self):
        r = self.r
        devs = list(self.devs)
        r.shuffle(devs)
        # videos keep their written order, somewhere in the list
        for seq in [self.vids] + self.seqs:
            pos = r.randint(0, len(devs))
            devs[pos:pos] = seq
        for m in self.memdevs:
            devs.insert(r.randint(0, len(devs)), m)
        cells = self.numa
        cellmem = 512
        out = ["<!-- corners-unseen round 5 (seed %d): focus=%s classes=%s -->" % (SEED, ",".join(self.focus), ",".join(self.tags)),
               "<domain type='%s'>" % self.dtype,
               "  <name>cu5-%03d</name>" % self.num]
        if self.maxmem:
            out.append("  <maxMemory slots='16' unit='MiB'>%d</maxMemory>" % 16384)
        out.append("  <memory unit='MiB'>%d</memory>" % (cellmem * cells if cells else 1024))
        if self.shared_mem:
            out.append("  <memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>")
        out.append("  <vcpu>%d</vcpu>" % max(cells, 1))
        out.append("  <os><type arch='x86_64' machine='%s'>hvm</type></os>" % self.mstr)
        if self.acpi and (self.feat or any(d.startswith("<iommu") for d in devs)):
            out.append("  <features><acpi/><apic/></features>")
        if cells:
            out.append("  <cpu><numa>")
            for c in range(cells):
                out.append("    <cell id='%s' cpus='%d' memory='%d' unit='MiB'/>" % (self.vs(c, "udec", 0.3), c, cellmem))
            out.append("  </numa></cpu>")
        if self.split:
            cut = r.randint(1, max(1, len(devs) - 1))
            groups = [devs[:cut], devs[cut:]]
        else:
            groups = [devs]
        for g in groups:
            out.append("  <devices>")
            out.extend("    " + d for d in g)
            out.append("  </devices>")
        out.append("</domain>")
        return "\n".join(out) + "\n"


REFUSALS = ["pcinomodel", "ich7", "usbnone1", "nomaster", "usboffdev", "ide2", "hostdup", "wd2", "balloon2",
            "secondary", "none-plus", "twoprimary", "console2serial", "spicechan", "egl", "drivedup", "vserdup",
            "pxbwrong", "numanode", "pcidouble", "idx256", "vhostuser", "smartcard2", "rootaddr", "badnum",
            "scsiname", "lsitarget", "nomodel", "memnomax", "virtiofs-noshared", "iommu-pc", "ide-q35"]


REFUSALS5 = ["bridgeslot0", "pcieonpc", "chassis0", "bridgeonroot"]
NOMODEL_BAD = ("<watchdog/>", "<sound/>", "<rng><backend model='random'/></rng>", "<memballoon/>")


def make(r, num):
    r.random()
    fam = "q35" if num % 2 == 0 else "pc"      # exactly half each
    c = Case4(r, num, fam)
    c.odd = r.choice([0.3, 0.5, 0.7])
    c.feat = r.random() < (0.75 if c.q35 else 0.5)     # pc: with and without <acpi/>
    # graphics without video in about a third; otherwise videos (often model-less ones)
    novideo = r.random() < 0.35
    if not novideo:
        c.k_videos()
    c.k_implicit(novideo)
    c.k_misc()
    if r.random() < (0.7 if c.q35 else 0.8):
        c.k_topo()
    if r.random() < 0.5:
        c.k_nics()
    if r.random() < 0.3 and not c.usb_off:
        c.k_usb2()
    # one deliberate refusal in ~15 %
    if r.random() < 0.15:
        opts = [k for k in REFUSALS if not (k == "ide2" and c.q35) and not (k == "ide-q35" and not c.q35)
                and not (k == "iommu-pc" and c.q35)]
        opts += [k for k in REFUSALS5 if not (c.q35 and k in ("pcieonpc", "chassis0"))] * 2
        k = r.choice(opts)
        if k in REFUSALS5:
            c.bad5(k)
        else:
            if k in ("secondary", "none-plus", "twoprimary"):
                c.vids = []
                c.slots.discard(c.favslot())
                c.devs = [d for d in c.devs if not d.startswith("<video")]
            if k == "usboffdev":
                c.devs = [d for d in c.devs if "bus='usb'" not in d and "type='usb'" not in d and "model='usb'" not in d
                          and "<redirdev" not in d and "<hub" not in d and "<smartcard" not in d]
            if k == "virtiofs-noshared":
                c.shared_mem = False
                c.devs = [d for d in c.devs if "virtiofs" not in d]
            if k == "memnomax":
                c.memdevs = []
            c.bad(k)
            if k == "virtiofs-noshared":
                c.shared_mem = False
            if k == "memnomax":
                c.maxmem = False
    c.regular(r.randint(2, 10))
    # one vsock / watchdog / memballoon / iommu / tpm at most unless a refusal wants two; no
    # model-less watchdog/sound/rng/balloon (refusals) unless that is the refusal; one console
    # that is serial (or without target) at most
    seen = set()
    keep = []
    serialcon = any(("target type='serial'" in d) for q in c.seqs for d in q)
    anyserialcon = serialcon or any(d.startswith("<console") and "type='virtio'" not in d for d in c.devs)
    ctrl_idx = set()
    for d in c.devs:
        if d.startswith("<controller type='usb'") and "model='ich9-" in d:
            m = re.search(r"index='([^']*)'", d)
            if m:
                ctrl_idx.add(("usb", int(m.group(1).strip().lstrip("+"), 10)))
    for d in c.devs:
        d = d.replace("ports='0x8'", "ports='8'")
        m = re.match(r"<controller type='(usb|scsi|virtio-serial)' index='([^']*)'", d)
        if m and "model='ich9-" not in d and c.refusal != "usbnone1":
            key = (m.group(1), int(m.group(2).strip().lstrip("+"), 10))
            if key in ctrl_idx:
                continue
            ctrl_idx.add(key)
        if anyserialcon and c.refusal != "console2serial" and d.startswith("<console") and "type='virtio'" in d:
            continue
        k = next((t for t in ("<vsock", "<watchdog", "<memballoon", "<iommu", "<tpm", "<panic") if d.startswith(t)), None)
        if k and k in seen and c.refusal not in ("wd2", "balloon2"):
            continue
        if d in NOMODEL_BAD and c.refusal != "nomodel":
            continue
        if d.startswith("<console") and "type='virtio'" not in d and c.refusal != "console2serial":
            if serialcon:
                continue
            serialcon = True
        if d.startswith("<redirdev") and "spicevmc" in d and not c.spice and not any("graphics type='spice'" in x for x in c.devs):
            continue
        seen.add(k)
        keep.append(d)
    c.devs = keep
    if r.random() < 0.2:
        c.split = True
        c.tag("2dev")
    return c


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 120
    r = random.Random(SEED)
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".in.xml"):
            os.remove(os.path.join(OUT, f))
    for num in range(1, count + 1):
        c = make(r, num)
        name = "%03d-%s-%s%s" % (num, c.machine, "-".join(t.replace("_", "") for t in c.focus) or "mix",
                                 "-2dev" if c.split else "")
        with open(os.path.join(OUT, name + ".in.xml"), "w") as fh:
            fh.write(c.xml())
    print("wrote %d inputs to %s" % (count, OUT))


if __name__ == "__main__":
    main()
