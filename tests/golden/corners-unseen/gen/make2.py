#!/usr/bin/env python3
"""Unseen corner cases for issue 20, second round (seed 20261206), python3 standard library only.

make.py's classes, with the mix shifted to q35 topologies with explicit controllers
(root ports, switches, pcie-to-pci-bridge, dmi-to-pci-bridge, expander buses with <node>),
pc with pci-bridges and ide/sata disks, implicit devices next to them, value-preserving odd
number spellings everywhere, and refusals from ../../corners/REFUSALS.md in new combinations.

Writes ../place2/NNN-MACHINE-CLASSES.in.xml: random domains that mix issue 20's
classes (implicit video, USB controllers, SCSI hostdevs/disks, virtio-serial,
disks with gaps, interfaces without model, missing models, USB switched off,
duplicate host devices, numbers in odd bases, two <devices> elements) on pc
and q35, on top of 10-30 ordinary devices.  gen/run.sh asks the oracle.

    make.py [COUNT]      (default 150)
"""

import os
import random
import sys

SEED = 20261206
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(HERE, "place2")


class Case:
    def __init__(self, r, num, machine):
        self.r = r
        self.num = num
        self.machine = machine
        self.q35 = machine == "q35"
        self.devs = []          # (order-key, xml)
        self.pre = []           # extra elements before <os> (vcpu / cpu numa)
        self.tags = []
        self.targets = set()
        self.macs = 0
        self.slots = set()      # manual slots taken on bus 0
        self.hostaddr = 0x10
        self.odd = 0.0          # chance of an odd spelling for a number
        self.split = False
        self.has_graphics = False
        self.has_video = False
        self.spice = False
        self.usb_off = False
        self.numa = 0
        self.next_pci_index = 1
        self.drv = {'scsi': set(), 'sata': set(), 'ide': set()}
        self.chassis_used = set()
        self.have_wd = False
        self.scsi_idx = 0
        self.pxbn = 0

    # ---- helpers
    def add(self, xml):
        self.devs.append(xml)

    def tag(self, t):
        if t not in self.tags:
            self.tags.append(t)

    def mac(self):
        self.macs += 1
        return "<mac address='52:54:00:77:%02x:%02x'/>" % (self.num % 256, self.macs)

    def sp(self, n, base="c", force=False):
        """make.py's speller, now value-preserving (see vs)."""
        return self.vs(n, "pci" if base == "c" else "dec", 1.0 if force else self.odd * 0.5)

    def free_slot(self, lo=3, hi=0x1e):
        cand = [s for s in range(lo, hi + 1) if s not in self.slots]
        if self.q35:
            cand = [s for s in cand if s not in (0x1a, 0x1b, 0x1d, 0x1f)]
        s = self.r.choice(cand)
        self.slots.add(s)
        return s

    def paddr(self, bus=0, slot=None, fn=0, mf=False):
        if slot is None:
            slot = self.free_slot()
        dom = "" if self.r.random() < 0.7 else " domain='%s'" % self.sp(0)
        m = " multifunction='on'" if mf else ""
        return "<address type='pci'%s bus='%s' slot='%s' function='%s'%s/>" % (
            dom, self.sp(bus), self.sp(slot) if self.r.random() < 0.5 else "0x%02x" % slot,
            self.sp(fn), m)

    def target(self, prefix):
        letters = "abcdefghijklmnopqrstuvwxyz"
        for n in range(400):
            t = prefix + self.r.choice(letters) if n < 100 else prefix + self.r.choice(letters) + self.r.choice(letters)
            if t not in self.targets:
                self.targets.add(t)
                return t
        raise RuntimeError("no target")

    def named_target(self, prefix, bus):
        """A target name whose implied drive address is still free."""
        per = {"scsi": 7, "sata": 6}[bus]
        letters = "abcdefghijklmnopqrstuvwxyz"
        for _ in range(200):
            t = prefix + self.r.choice(letters)
            i = letters.index(t[-1])
            if t not in self.targets and (i // per, i % per) not in self.drv[bus]:
                self.targets.add(t)
                self.drv[bus].add((i // per, i % per))
                return t
        return self.target(prefix)

    def drive(self, bus, ctrls, units):
        for _ in range(50):
            c, u = self.r.choice(ctrls), self.r.choice(units)
            if (c, u) not in self.drv[bus]:
                self.drv[bus].add((c, u))
                return c, u
        return None

    def take_target(self, t):
        if t in self.targets:
            return False
        self.targets.add(t)
        return True

    def hostpci(self):
        self.hostaddr += 1
        return self.hostaddr

    # ---- ordinary devices
    def regular(self, n):
        r = self.r
        kinds = ["vdisk"] * 5 + ["nic"] * 5 + ["rng", "watchdog", "sound", "vinput", "hostpci",
                                                  "fs9p", "serialpci", "vsock", "balloon"]
        once = set()
        for _ in range(n):
            k = r.choice(kinds)
            if (k in ("watchdog", "sound", "balloon", "vsock") and k in once) or (k == "watchdog" and self.have_wd):
                k = "vdisk"
            once.add(k)
            manual = r.random() < 0.18
            a = self.paddr() if manual else ""
            if k == "vdisk":
                t = self.target("vd")
                self.add("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                         "<source file='/var/lib/libvirt/images/%s-%d.qcow2'/><target dev='%s' bus='virtio'/>%s</disk>"
                         % (t, self.num, t, a))
            elif k == "nic":
                model = r.choice(["virtio", "virtio", "e1000", "e1000e", "rtl8139"])
                self.add("<interface type='network'>%s<source network='default'/><model type='%s'/>%s</interface>"
                         % (self.mac(), model, a))
            elif k == "rng":
                self.add("<rng model='virtio'><backend model='random'>/dev/urandom</backend>%s</rng>" % a)
            elif k == "watchdog":
                self.have_wd = True
                self.add("<watchdog model='i6300esb' action='reset'>%s</watchdog>" % a)
            elif k == "sound":
                m = r.choice(["ich6", "ich9", "ac97", "es1370"])
                self.add("<sound model='%s'>%s</sound>" % (m, a))
            elif k == "vinput":
                self.add("<input type='%s' bus='virtio'>%s</input>" % (r.choice(["tablet", "keyboard", "mouse"]), a))
            elif k == "hostpci":
                self.add("<hostdev mode='subsystem' type='pci' managed='yes'><source>"
                         "<address domain='0x0000' bus='0x%02x' slot='0x00' function='0x0'/></source>%s</hostdev>"
                         % (self.hostpci(), a))
            elif k == "fs9p":
                self.add("<filesystem type='mount' accessmode='mapped'><source dir='/srv/share%d'/>"
                         "<target dir='share%d'/>%s</filesystem>" % (self.macs + len(self.devs), len(self.devs), a))
            elif k == "serialpci":
                self.add("<serial type='pty'><target type='pci-serial'><model name='pci-serial'/></target>%s</serial>" % a)
            elif k == "vsock":
                self.add("<vsock model='virtio'><cid auto='yes'/>%s</vsock>" % a)
            elif k == "balloon":
                self.add("<memballoon model='virtio'>%s</memballoon>" % a)

    # ---- classes
    def c_graphics(self):
        r = self.r
        self.tag("gfx")
        self.has_graphics = True
        g = r.choice(["vnc", "vnc", "spice", "sdl", "vnc+spice", "egl-headless+vnc"])
        for t in g.split("+"):
            self.add("<graphics type='%s'/>" % t)
            if t == "spice":
                self.spice = True
        nvid = r.choice([0, 0, 1, 1, 2, 3])
        models = ["none", "ramfb", "virtio", "qxl", "vga", "cirrus", "bochs", None]
        vids = []
        late_primary = nvid > 1 and r.random() < 0.5
        for i in range(nvid):
            if i == 0 and nvid == 1:
                m = r.choice(models)
            elif i == 0:
                m = r.choice(["virtio", "qxl"] if late_primary else ["ramfb", "virtio", "qxl", "vga", "cirrus", "bochs", None])
            elif late_primary and i == nvid - 1:
                m = r.choice(["vga", "cirrus", "bochs", "virtio", "qxl"])
            else:
                m = r.choice(["virtio", "qxl"])
            attrs = " primary='yes'" if late_primary and i == nvid - 1 else ""
            if attrs:
                self.tag("lateprimary")
            a = ""
            if m not in ("none", "ramfb") and r.random() < 0.3:
                fav = 1 if self.q35 else 2
                if fav not in self.slots:
                    self.slots.add(fav)
                    a = "<address type='pci' domain='0x0000' bus='0x00' slot='%s' function='0x0'/>" % self.sp(fav)
                    self.tag("vfav")
            if m is None:
                vids.append("<video>%s</video>" % a)
            else:
                vids.append("<video><model type='%s'%s/>%s</video>" % (m, attrs, a))
            self.tag("v" + (m or "empty"))
        if nvid:
            self.has_video = True
        else:
            self.tag("novideo")
        # another device on the favourite slot?
        if r.random() < 0.25:
            fav = 1 if self.q35 else 2
            if fav not in self.slots:
                self.slots.add(fav)
                self.add("<interface type='network'>%s<source network='default'/><model type='virtio'/>"
                         "<address type='pci' domain='0x0000' bus='0x00' slot='%s' function='0x0'/></interface>"
                         % (self.mac(), self.sp(fav)))
                self.tag("favtaken")
        self.videos_late = vids

    def c_usb(self):
        r = self.r
        self.tag("usb")
        scen = r.choice(["idx", "idx", "ich9", "ich9", "ehci1alone", "noidx", "mixed"])
        if scen in ("idx", "mixed", "noidx"):
            n = r.randint(1, 3)
            used = set()
            for _ in range(n):
                m = r.choice(["piix3-uhci", "piix4-uhci", "ehci", "qemu-xhci", "nec-xhci", None, None])
                ms = " model='%s'" % m if m else ""
                if scen == "noidx" or (scen == "mixed" and r.random() < 0.5):
                    ix = ""
                else:
                    i = r.choice([0, 1, 1, 2, 3, 8, 10])
                    if i in used:
                        continue
                    used.add(i)
                    ix = " index='%s'" % self.sp(i, "d")
                a = self.paddr() if r.random() < 0.2 else ""
                self.add("<controller type='usb'%s%s>%s</controller>" % (ix, ms, a))
            self.tag("usb-" + scen)
        elif scen == "ich9":
            k = r.choice([0, 0, 1, 2])
            members = ["ich9-ehci1", "ich9-uhci1", "ich9-uhci2", "ich9-uhci3"]
            if r.random() < 0.25:
                members.remove("ich9-ehci1")
                self.tag("nomaster")
            if r.random() < 0.3:
                r.shuffle(members)
                self.tag("shuffled")
            withidx = r.random() < 0.6
            starts = {"ich9-uhci1": 0, "ich9-uhci2": 2, "ich9-uhci3": 4}
            withmaster = r.random() < 0.6
            for m in members:
                ix = " index='%s'" % self.sp(k, "d") if withidx or r.random() < 0.3 else ""
                inner = ""
                if m in starts and withmaster:
                    inner = "<master startport='%s'/>" % self.vs(starts[m], "udec")
                self.add("<controller type='usb'%s model='%s'>%s</controller>" % (ix, m, inner))
            self.tag("ich9-%d%s%s" % (k, "" if withidx else "-noidx", "" if withmaster else "-nostart"))
        elif scen == "ehci1alone":
            i = r.choice([0, 1])
            self.add("<controller type='usb' index='%d' model='ich9-ehci1'/>" % i)
            self.tag("ehci1alone")
        if r.random() < 0.5:
            self.add("<input type='tablet' bus='usb'/>")

    def c_usboff(self):
        r = self.r
        self.tag("usboff")
        self.usb_off = True
        ix = r.choice(["", " index='0'", " index='%s'" % self.sp(0, "d", True)])
        self.add("<controller type='usb'%s model='none'/>" % ix)
        extra = r.choice(["none", "tablet", "kbd", "hostdev-usb", "redirdev", "smartcard", "ctrl", "hub",
                          "usbdisk", "ccid", "tablet-virtio", "ctrl-none2"])
        self.tag("uoff-" + extra)
        if extra == "tablet":
            self.add("<input type='tablet' bus='usb'/>")
        elif extra == "kbd":
            self.add("<input type='keyboard' bus='usb'/>")
        elif extra == "hostdev-usb":
            self.add("<hostdev mode='subsystem' type='usb' managed='yes'><source><vendor id='0x1234'/>"
                     "<product id='0xbeef'/></source></hostdev>")
        elif extra == "redirdev":
            self.add("<redirdev bus='usb' type='spicevmc'/>")
        elif extra == "smartcard":
            self.add("<smartcard mode='host'/>")
        elif extra == "ctrl":
            self.add("<controller type='usb' index='1' model='%s'/>" % r.choice(["qemu-xhci", "piix3-uhci", "ehci"]))
        elif extra == "hub":
            self.add("<hub type='usb'/>")
        elif extra == "usbdisk":
            t = self.target("sd")
            self.add("<disk type='file' device='disk'><source file='/var/lib/libvirt/images/u%d.img'/>"
                     "<target dev='%s' bus='usb'/></disk>" % (self.num, t))
        elif extra == "ccid":
            self.add("<controller type='ccid' index='0'/>")
        elif extra == "tablet-virtio":
            self.add("<input type='tablet' bus='virtio'/>")
        elif extra == "ctrl-none2":
            self.add("<controller type='usb' index='1' model='none'/>")

    def c_scsi(self):
        r = self.r
        self.tag("scsi")
        ctrls = {}
        for _ in range(r.choice([0, 0, 1, 1, 2])):
            i = r.choice([0, 0, 1, 2, 3])
            if i in ctrls:
                continue
            m = r.choice(["lsilogic", "virtio-scsi", "virtio-scsi", "lsisas1068", "lsisas1078", "vmpvscsi", None])
            ctrls[i] = m
            ms = " model='%s'" % m if m else ""
            ix = " index='%s'" % self.sp(i, "d")
            a = self.paddr() if r.random() < 0.15 else ""
            self.add("<controller type='scsi'%s%s>%s</controller>" % (ix, ms, a))
            self.tag("sc%d%s" % (i, (m or "x")[:4]))
        for _ in range(r.randint(0, 4)):
            a = ""
            cu = self.drive("scsi", [0, 0, 1, 2, 3], range(7)) if r.random() < 0.4 else None
            t = self.target("sd") if cu else self.named_target("sd", "scsi")
            if cu:
                c, u = cu
                a = "<address type='drive' controller='%s' bus='0' target='0' unit='%s'/>" % (self.vs(c, "udec"), self.vs(u, "udec"))
            dev = r.choice(["disk", "disk", "cdrom"])
            self.add("<disk type='file' device='%s'><driver name='qemu' type='raw'/><source file='/var/lib/libvirt/images/s%d-%s.img'/>"
                     "<target dev='%s' bus='scsi'/>%s%s</disk>"
                     % (dev, self.num, t, t, "<readonly/>" if dev == "cdrom" else "", a))
        nh = r.randint(0, 3)
        for h in range(nh):
            a = ""
            cu = self.drive("scsi", [0, 0, 1, 2], range(7)) if r.random() < 0.6 else None
            if cu is None and (0, 0) not in self.drv["scsi"]:
                self.drv["scsi"].add((0, 0))
            if cu:
                c, u = cu
                if True:
                    a = "<address type='drive' controller='%s' bus='0' target='0' unit='%s'/>" % (self.vs(c, "udec"), self.vs(u, "udec"))
            self.add("<hostdev mode='subsystem' type='scsi' managed='no'><source><adapter name='scsi_host%d'/>"
                     "<address bus='0' target='%d' unit='0'/></source>%s</hostdev>" % (h, h + 1, a))
        if nh:
            self.tag("scsihd%d" % nh)

    def c_vserial(self):
        r = self.r
        self.tag("vser")
        have = set()
        for _ in range(r.choice([0, 0, 1, 2])):
            i = r.choice([0, 1, 2, 3])
            if i in have:
                continue
            have.add(i)
            ix = " index='%s'" % self.sp(i, "d") if r.random() < 0.85 else ""
            extra = " ports='%d'" % r.choice([4, 16, 31]) if r.random() < 0.3 else ""
            a = self.paddr() if r.random() < 0.2 else ""
            self.add("<controller type='virtio-serial'%s%s>%s</controller>" % (ix, extra, a))
        ports = set()
        for j in range(r.randint(1, 4)):
            a = ""
            if r.random() < 0.6:
                c = r.choice([0, 0, 1, 2, 3, 4])
                p = r.randint(1, 5)
                if (c, p) in ports:
                    continue
                ports.add((c, p))
                a = "<address type='virtio-serial' controller='%s' bus='0' port='%s'/>" % (self.vs(c, "udec"), self.vs(p, "udec"))
            if r.random() < 0.65:
                self.add("<channel type='%s'><target type='virtio' name='org.pcitopo.u%d.%d'/>%s</channel>"
                         % (r.choice(["pty", "unix"]), self.num, j, a))
            else:
                self.add("<console type='pty'><target type='virtio'/>%s</console>" % a)
        if r.random() < 0.1:
            self.add("<console type='pty'><target type='serial'/></console>")

    def c_disks(self):
        r = self.r
        self.tag("disks")
        if not self.q35:
            for t in r.sample(["hda", "hdb", "hdc", "hdd"] + (["hde"] if r.random() < 0.3 else []), r.randint(1, 3)):
                if not self.take_target(t):
                    continue
                dev = "cdrom" if r.random() < 0.4 else "disk"
                a = ""
                n = ord(t[2]) - ord("a")
                cu = (n // 2 % 2, n % 2)
                if r.random() < 0.25:
                    cu = self.drive("ide", [0, 1], [0, 1]) or cu
                    a = "<address type='drive' controller='%s' bus='%s' target='0' unit='%s'/>" % (
                        self.vs(0, "udec"), self.vs(cu[0], "udec"), self.vs(cu[1], "udec"))
                self.drv["ide"].add(cu)
                self.add("<disk type='file' device='%s'><source file='/var/lib/libvirt/images/i%d-%s.img'/>"
                         "<target dev='%s' bus='ide'/>%s%s</disk>" % (dev, self.num, t, t,
                                                                   "<readonly/>" if dev == "cdrom" else "", a))
        for _ in range(r.randint(1, 4)):
            a = ""
            cu = self.drive("sata", [0, 1, 2, 3], range(6)) if r.random() < 0.4 else None
            t = self.target("sd") if cu else self.named_target("sd", "sata")
            if cu:
                a = "<address type='drive' controller='%s' bus='0' target='0' unit='%s'/>" % (
                    self.vs(cu[0], "udec"), self.vs(cu[1], "udec"))
            self.add("<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a%d-%s.img'/>"
                     "<target dev='%s' bus='sata'/>%s</disk>" % (self.num, t, t, a))
        if r.random() < 0.3:
            t = "fda" if self.take_target("fda") else None
            if t:
                self.add("<disk type='file' device='floppy'><source file='/var/lib/libvirt/images/f.img'/>"
                         "<target dev='fda' bus='fdc'/></disk>")
        if r.random() < 0.4:
            i = r.choice([0, 1, 2])
            self.add("<controller type='sata' index='%s'/>" % self.sp(i, "d"))
            self.tag("sata%d" % i)

    def c_nics(self):
        r = self.r
        self.tag("nicnomodel")
        types = ["network", "bridge", "user", "direct", "ethernet", "hostdev", "vdpa", "vhostuser", "mcast", "server"]
        for t in r.sample(types, r.randint(1, 4)):
            a = self.paddr() if r.random() < 0.15 else ""
            if t == "network":
                src = "<source network='default'/>"
            elif t == "bridge":
                src = "<source bridge='br0'/>"
            elif t == "user":
                src = ""
            elif t == "direct":
                src = "<source dev='eth0' mode='bridge'/>"
            elif t == "ethernet":
                src = "<target dev='tap%d'/>" % self.num
            elif t == "hostdev":
                src = "<source><address type='pci' domain='0x0000' bus='0x%02x' slot='0x00' function='0x1'/></source>" % self.hostpci()
            elif t == "vdpa":
                src = "<source dev='/dev/vhost-vdpa-%d'/>" % self.num
            elif t == "vhostuser":
                src = "<source type='unix' path='/tmp/vhu%d.sock' mode='client'/>" % self.num
            elif t == "mcast":
                src = "<source address='230.0.0.1' port='5558'/>"
            else:
                src = "<source address='192.168.0.1' port='5559'/>"
            managed = " managed='yes'" if t == "hostdev" else ""
            self.add("<interface type='%s'%s>%s%s%s</interface>" % (t, managed, self.mac(), src, a))
            self.tag("n-" + t)

    def c_nomodel(self):
        r = self.r
        k = r.choice(["sound", "watchdog", "rng", "memballoon", "pci-noidx", "pci-idx", "panic", "input",
                      "video-model-notype", "scsi-empty-model", "usb-empty-model", "hostdev-pci-nosrc"])
        self.tag("nomodel-" + k)
        if k == "sound":
            self.add("<sound/>")
        elif k == "watchdog":
            self.add("<watchdog action='reset'/>")
        elif k == "rng":
            self.add("<rng><backend model='random'>/dev/urandom</backend></rng>")
        elif k == "memballoon":
            self.add("<memballoon/>")
        elif k == "pci-noidx":
            self.add("<controller type='pci'/>")
        elif k == "pci-idx":
            self.add("<controller type='pci' index='%s'/>" % self.sp(r.choice([1, 2, 5]), "d"))
        elif k == "panic":
            self.add("<panic/>")
        elif k == "input":
            self.add("<input type='tablet'/>")
        elif k == "video-model-notype":
            self.add("<video><model vram='16384'/></video>")
            self.has_video = True
        elif k == "scsi-empty-model":
            self.add("<controller type='scsi' index='0' model=''/>")
        elif k == "usb-empty-model":
            self.add("<controller type='usb' index='0' model=''/>")
        elif k == "hostdev-pci-nosrc":
            self.add("<hostdev mode='subsystem' type='pci' managed='yes'><source/></hostdev>")

    def c_dup(self):
        r = self.r
        self.tag("dup")
        kind = r.choice(["pci", "pci", "pci-iface", "scsi", "usb", "mdev", "pci-fn", "pci-domain"])
        self.tag("dup-" + kind)
        b = self.hostpci()
        spell = [lambda n: "0x%02x" % n, lambda n: "%d" % n, lambda n: "0%o" % n, lambda n: "0x%X" % n,
                 lambda n: " %d" % n, lambda n: "+%d" % n]

        def pci(bus, slot, fn, dom="0x0000"):
            return ("<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='%s' bus='%s' "
                    "slot='%s' function='%s'/></source></hostdev>" % (dom, bus, slot, fn))
        if kind == "pci":
            s = r.randint(1, 0x1f)
            f = r.randint(0, 7)
            self.add(pci("0x%02x" % b, "0x%02x" % s, "0x%x" % f))
            self.add(pci(r.choice(spell)(b), r.choice(spell)(s), r.choice(spell)(f)))
        elif kind == "pci-fn":
            # different function: not a duplicate
            self.add(pci("0x%02x" % b, "0x03", "0x0"))
            self.add(pci(r.choice(spell)(b), "3", "1"))
        elif kind == "pci-domain":
            self.add(pci("0x%02x" % b, "0x04", "0x0", "0x0000"))
            self.add(pci("0x%02x" % b, "0x04", "0x0", r.choice(["0", "00", "0x0", "0x0001"])))
        elif kind == "pci-iface":
            self.add(pci("0x%02x" % b, "0x05", "0x0"))
            self.add("<interface type='hostdev' managed='yes'>%s<source><address type='pci' domain='0x0000' "
                     "bus='%s' slot='%s' function='0x0'/></source></interface>"
                     % (self.mac(), r.choice(spell)(b), r.choice(spell)(5)))
        elif kind == "scsi":
            for i in range(2):
                self.add("<hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host7'/>"
                         "<address bus='%s' target='%s' unit='%s'/></source></hostdev>"
                         % (r.choice(spell)(0) if i else "0", r.choice(spell)(3) if i else "3",
                            r.choice(spell)(1) if i else "1"))
        elif kind == "usb":
            for i in range(2):
                self.add("<hostdev mode='subsystem' type='usb' managed='yes'><source><vendor id='0x046d'/>"
                         "<product id='%s'/></source></hostdev>" % ("0xc52b" if i == 0 else r.choice(["0xC52B", "0xc52b", "50475"])))
        elif kind == "mdev":
            for i in range(2):
                self.add("<hostdev mode='subsystem' type='mdev' model='vfio-pci'><source>"
                         "<address uuid='%s'/></source></hostdev>"
                         % ("c2177883-f1bb-47f0-914d-32a22e3a8804" if i == 0 else
                            r.choice(["c2177883-f1bb-47f0-914d-32a22e3a8804", "C2177883-F1BB-47F0-914D-32A22E3A8804"])))

    def c_numbers(self):
        """PCI controllers, PCI addresses, targets, node and NUMA ids in odd bases."""
        r = self.r
        self.tag("num")
        self.odd = 0.35
        which = r.sample(["rootports", "bridge", "pxb", "addr"], r.randint(1, 3))
        if self.q35 and "rootports" in which:
            n = r.randint(1, 10)
            idxs = list(range(self.next_pci_index, self.next_pci_index + n))
            self.next_pci_index += n
            for i in idxs:
                tgt = ""
                if r.random() < 0.4:
                    tgt = "<target chassis='%s' port='%s'/>" % (self.sp(i), self.sp(0x10 + i))
                self.add("<controller type='pci' index='%s' model='pcie-root-port'>%s</controller>" % (self.sp(i, "d"), tgt))
            # a device on the last root port, bus written oddly
            last = idxs[-1]
            self.add("<interface type='network'>%s<source network='default'/><model type='virtio'/>"
                     "<address type='pci' domain='0x0000' bus='%s' slot='0x00' function='0x0'/></interface>"
                     % (self.mac(), self.sp(last, force=True)))
            self.tag("rp%d" % n)
        if "bridge" in which:
            i = self.next_pci_index
            self.next_pci_index += 1
            if self.q35:
                self.add("<controller type='pci' index='%s' model='pcie-to-pci-bridge'/>" % self.sp(i, "d"))
            else:
                tgt = "<target chassisNr='%s'/>" % self.sp(i) if r.random() < 0.5 else ""
                self.add("<controller type='pci' index='%s' model='pci-bridge'>%s</controller>" % (self.sp(i, "d"), tgt))
            self.add("<interface type='network'>%s<source network='default'/><model type='rtl8139'/>"
                     "<address type='pci' domain='0x0000' bus='%s' slot='%s' function='0x0'/></interface>"
                     % (self.mac(), self.sp(i, force=True), self.sp(r.randint(1, 0x1f), force=True)))
            self.tag("br")
        if "pxb" in which:
            cells = r.randint(2, 11)
            self.numa = cells
            node = r.randint(0, cells - 1)
            i = self.next_pci_index
            self.next_pci_index += 1
            model = "pcie-expander-bus" if self.q35 else "pci-expander-bus"
            busnr = r.choice([0x80, 0xf0, 0xfe, 100, 200])
            tgt = "<target busNr='%s'><node>%s</node></target>" % (self.sp(busnr), self.sp(node))
            self.add("<controller type='pci' index='%s' model='%s'>%s</controller>" % (self.sp(i, "d"), model, tgt))
            if not self.q35:
                self.add("<interface type='network'>%s<source network='default'/><model type='e1000'/>"
                         "<address type='pci' domain='0x0000' bus='%s' slot='%s' function='0x0'/></interface>"
                         % (self.mac(), self.sp(i, force=True), self.sp(r.randint(0, 0x1f))))
            self.tag("pxb")
        if "addr" in which:
            for _ in range(r.randint(2, 4)):
                s = self.free_slot()
                fn = 0
                mf = False
                self.add("<rng model='virtio'><backend model='random'>/dev/urandom</backend>%s</rng>"
                         % self.paddr(0, s, fn, mf))
            if r.random() < 0.5:
                s = self.free_slot()
                self.add("<interface type='network'>%s<source network='default'/><model type='e1000'/>%s</interface>"
                         % (self.mac(), self.paddr(0, s, 0, True)))
                self.add("<interface type='network'>%s<source network='default'/><model type='e1000'/>%s</interface>"
                         % (self.mac(), self.paddr(0, s, r.randint(1, 7))))
            self.tag("addr")

    def c_twodev(self):
        self.split = True
        self.tag("2dev")


    # ================= round 2 (make2.py) =================
    def vs(self, n, kind="pci", p=None):
        """Spell n so that libvirt reads the same value, oddly with probability p (self.odd).
        pci: unsigned base 0; tgt: signed base 0; dec: signed base 10 (index);
        udec: unsigned base 10 (drive/virtio-serial address, cell id); node: <node> text."""
        if p is None:
            p = self.odd
        if self.r.random() >= p:
            return "0x%02x" % n if kind == "pci" and self.r.random() < 0.5 else str(n)
        if kind in ("pci", "tgt"):
            ks = ["0%o" % n if n else "00", "0x%x" % n, "0X%X" % n, "0x%02x" % n, " %d" % n, "+%d" % n,
                  "+0x%x" % n, " 0%o" % n if n else " 0"]
            if kind == "tgt" and n == 0:
                ks.append("-0")
        elif kind == "dec":
            ks = ["0%d" % n, "00%d" % n, " %d" % n, "+%d" % n, " +0%d" % n]
            if n == 0:
                ks.append("-0")
        else:
            ks = ["0%d" % n, "00%d" % n, " %d" % n, "+%d" % n]
        return self.r.choice(ks)

    def alloc(self, gap=False):
        if gap and self.r.random() < 0.15:
            self.next_pci_index += 1
            self.tag("gap")
        i = self.next_pci_index
        self.next_pci_index += 1
        return i

    def chassis(self):
        for _ in range(500):
            c = self.r.randint(1, 255)
            if c not in self.chassis_used:
                self.chassis_used.add(c)
                return c
        return 1

    def ctrl(self, model, idx, tgt="", addr="", noidx_ok=True, mname=""):
        ix = " index='%s'" % self.vs(idx, "dec")
        inner = ""
        if mname:
            inner += "<model name='%s'/>" % mname
        self.add("<controller type='pci'%s model='%s'>%s%s%s</controller>" % (ix, model, inner, tgt, addr))

    def aaddr(self, bus, slot, fn=0, mf=False):
        m = " multifunction='on'" if mf else ""
        dom = "" if self.r.random() < 0.6 else " domain='%s'" % self.vs(0, "pci")
        return "<address type='pci'%s bus='%s' slot='%s' function='%s'%s/>" % (
            dom, self.vs(bus, "pci"), self.vs(slot, "pci"), self.vs(fn, "pci"), m)

    def endpoint(self, addr, pcie=True):
        r = self.r
        if pcie:
            k = r.choice(["vnic", "vdisk", "e1000e", "rng", "hostdev", "vinput", "vscsi"])
        else:
            k = r.choice(["rtl8139", "e1000", "vnic", "vdisk", "ac97", "es1370", "i6300"])
            if k == "i6300":
                if self.have_wd:
                    k = "e1000"
                self.have_wd = True
        if k in ("vnic", "e1000e", "rtl8139", "e1000"):
            m = {"vnic": "virtio"}.get(k, k)
            self.add("<interface type='network'>%s<source network='default'/><model type='%s'/>%s</interface>"
                     % (self.mac(), m, addr))
        elif k == "vdisk":
            t = self.target("vd")
            self.add("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                     "<source file='/var/lib/libvirt/images/%s-%d.qcow2'/><target dev='%s' bus='virtio'/>%s</disk>"
                     % (t, self.num, t, addr))
        elif k == "rng":
            self.add("<rng model='virtio'><backend model='random'>/dev/urandom</backend>%s</rng>" % addr)
        elif k == "hostdev":
            self.add("<hostdev mode='subsystem' type='pci' managed='yes'><source>"
                     "<address domain='0x0000' bus='%s' slot='0x00' function='0x0'/></source>%s</hostdev>"
                     % (self.vs(self.hostpci(), "pci"), addr))
        elif k == "vinput":
            self.add("<input type='keyboard' bus='virtio'>%s</input>" % addr)
        elif k == "vscsi":
            self.scsi_idx += 1
            self.add("<controller type='scsi' index='%s' model='virtio-scsi'>%s</controller>"
                     % (self.vs(self.scsi_idx + 10, "dec"), addr))
        elif k in ("ac97", "es1370"):
            self.add("<sound model='%s'>%s</sound>" % (k, addr))
        elif k == "i6300":
            self.add("<watchdog model='i6300esb' action='reset'>%s</watchdog>" % addr)

    def root_port(self, bus=0, slot=None, fn=0, mf=False, addr_p=0.4, idx=None):
        r = self.r
        i = self.alloc(gap=True) if idx is None else idx
        tgt = ""
        if r.random() < 0.5:
            parts = []
            if r.random() < 0.8:
                parts.append("chassis='%s'" % self.vs(self.chassis(), "tgt"))
            if r.random() < 0.8:
                parts.append("port='%s'" % self.vs(r.randint(0, 255), "tgt"))
            if parts:
                tgt = "<target %s/>" % " ".join(parts)
        a = ""
        if slot is not None or (bus == 0 and r.random() < addr_p):
            if slot is None:
                slot = self.free_slot(1, 0x1e)
            a = self.aaddr(bus, slot, fn, mf)
        self.ctrl("pcie-root-port", i, tgt, a, mname="ioh3420" if r.random() < 0.05 else "")
        return i

    def c_q35topo(self):
        r = self.r
        self.tag("q35topo")
        comps = r.sample(["rp", "rp", "switch", "p2p", "dmi", "pxb", "mfrp"], r.randint(1, 4))
        for c in comps:
            if c == "rp":
                n = r.randint(1, 8)
                for _ in range(n):
                    i = self.root_port()
                    if r.random() < 0.4:
                        self.endpoint(self.aaddr(i, 0))
                self.tag("rp")
            elif c == "mfrp":
                s = self.free_slot(1, 0x1e)
                n = r.randint(2, 8)
                for f in range(n):
                    i = self.root_port(0, s, f, f == 0)
                    if r.random() < 0.3:
                        self.endpoint(self.aaddr(i, 0))
                self.tag("mfrp")
            elif c == "switch":
                rp = self.root_port()
                up = self.alloc()
                a = self.aaddr(rp, 0) if r.random() < 0.6 else ""
                self.ctrl("pcie-switch-upstream-port", up, "", a)
                for k in range(r.randint(1, 5)):
                    dn = self.alloc()
                    a = self.aaddr(up, k) if r.random() < 0.5 else ""
                    tgt = "<target chassis='%s' port='%s'/>" % (self.vs(self.chassis(), "tgt"),
                                                               self.vs(r.randint(0, 255), "tgt")) if r.random() < 0.4 else ""
                    self.ctrl("pcie-switch-downstream-port", dn, tgt, a)
                    if r.random() < 0.5:
                        self.endpoint(self.aaddr(dn, 0))
                self.tag("sw")
            elif c == "p2p":
                rp = self.root_port() if r.random() < 0.5 else None
                i = self.alloc(gap=True)
                a = self.aaddr(rp, 0) if rp is not None and r.random() < 0.7 else ""
                self.ctrl("pcie-to-pci-bridge", i, "", a)
                used = set()
                for _ in range(r.randint(0, 4)):
                    s = r.randint(1, 31)
                    if s in used:
                        continue
                    used.add(s)
                    self.endpoint(self.aaddr(i, s), pcie=False)
                self.tag("p2p")
            elif c == "dmi":
                i = self.alloc()
                a = ""
                if r.random() < 0.5 and 0x1e not in self.slots:
                    self.slots.add(0x1e)
                    a = self.aaddr(0, 0x1e)
                elif r.random() < 0.5:
                    a = self.aaddr(0, self.free_slot(1, 0x1d))
                self.ctrl("dmi-to-pci-bridge", i, "", a)
                for _ in range(r.randint(0, 2)):
                    j = self.alloc()
                    s = r.randint(1, 31)
                    a = self.aaddr(i, s) if r.random() < 0.6 else ""
                    tgt = "<target chassisNr='%s'/>" % self.vs(self.chassis(), "tgt") if r.random() < 0.5 else ""
                    self.ctrl("pci-bridge", j, tgt, a)
                    used = {s} if a else set()
                    for _ in range(r.randint(0, 3)):
                        s2 = r.randint(1, 31)
                        if s2 in used:
                            continue
                        used.add(s2)
                        self.endpoint(self.aaddr(j, s2), pcie=False)
                self.tag("dmi")
            elif c == "pxb":
                self.pxb(q35=True)

    def pxb(self, q35):
        r = self.r
        cells = self.numa or r.randint(2, 8)
        self.numa = cells
        i = self.alloc()
        model = "pcie-expander-bus" if q35 else "pci-expander-bus"
        parts = ""
        if r.random() < 0.7:
            parts += " busNr='%s'" % self.vs(r.choice([0x80, 0xf0, 0xfe, 100, 200, 0x40]) - self.pxbn * 8, "tgt")
        node = ""
        if r.random() < 0.8:
            node = "<node>%s</node>" % self.vs(r.randint(0, cells - 1), "node")
        self.pxbn += 1
        tgt = "<target%s>%s</target>" % (parts, node) if parts or node else ""
        a = self.aaddr(0, self.free_slot(1, 0x1e)) if r.random() < 0.3 else ""
        self.ctrl(model, i, tgt, a)
        if q35:
            for k in range(r.randint(0, 3)):
                rp = self.root_port(i, k if r.random() < 0.6 else None)
                if r.random() < 0.6:
                    self.endpoint(self.aaddr(rp, 0))
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
                s = r.randint(0, 31)
                while s in used:
                    s = r.randint(0, 31)
                self.ctrl("pci-bridge", j, "", self.aaddr(i, s))
                self.endpoint(self.aaddr(j, r.randint(1, 31)), pcie=False)
        self.tag("pxb")

    def c_pctopo(self):
        r = self.r
        self.tag("pctopo")
        bridges = [0]
        for _ in range(r.randint(1, 4)):
            i = self.alloc(gap=True)
            parent = r.choice(bridges)
            a = ""
            if r.random() < 0.6:
                s = self.free_slot(3, 0x1f) if parent == 0 else r.randint(1, 31)
                a = self.aaddr(parent, s)
            tgt = "<target chassisNr='%s'/>" % self.vs(self.chassis(), "tgt") if r.random() < 0.5 else ""
            self.ctrl("pci-bridge", i, tgt, a)
            bridges.append(i)
            used = set()
            for _ in range(r.randint(0, 4)):
                s = r.randint(1, 31)
                if s in used:
                    continue
                used.add(s)
                self.endpoint(self.aaddr(i, s), pcie=False)
        if r.random() < 0.25:
            self.pxb(q35=False)

    def c_gfxfav(self):
        """<graphics> without <video> while the video's favourite slot is taken by hand."""
        r = self.r
        self.tag("gfxfav")
        self.has_graphics = True
        for t in r.choice(["vnc", "spice", "vnc+spice", "sdl"]).split("+"):
            self.add("<graphics type='%s'/>" % t)
        fav = 1 if self.q35 else 2
        if fav in self.slots:
            return
        self.slots.add(fav)
        k = r.choice(["nic", "disk", "rp", "hostdev", "rp-mf", "sound", "fn3"])
        self.tag("fav-" + k)
        if k == "rp" and self.q35:
            self.root_port(0, fav)
        elif k == "rp-mf" and self.q35:
            for f in range(r.randint(1, 4)):
                self.root_port(0, fav, f, f == 0)
        elif k == "sound":
            self.add("<sound model='%s'>%s</sound>" % (r.choice(["ich9", "ich6", "ac97"]), self.aaddr(0, fav)))
        elif k == "fn3":
            self.endpoint(self.aaddr(0, fav, 3), pcie=True)
        elif k == "hostdev":
            self.add("<hostdev mode='subsystem' type='pci' managed='yes'><source>"
                     "<address domain='0x0000' bus='0x%02x' slot='0x00' function='0x0'/></source>%s</hostdev>"
                     % (self.hostpci(), self.aaddr(0, fav)))
        elif k == "disk":
            self.endpoint(self.aaddr(0, fav), pcie=True)
        else:
            self.add("<interface type='network'>%s<source network='default'/><model type='%s'/>%s</interface>"
                     % (self.mac(), r.choice(["virtio", "e1000", "rtl8139"]), self.aaddr(0, fav)))
        if r.random() < 0.3:
            self.add("<video/>" if r.random() < 0.5 else "<video><model type='none'/></video>")
            self.tag("vid-default")

    def c_usb2(self):
        """USB companion sets at indexes other than 0, and no USB controller 0 written."""
        r = self.r
        self.tag("usb2")
        used = set()
        for _ in range(r.randint(1, 2)):
            k = r.choice([1, 2, 3, 5])
            if k in used:
                continue
            used.add(k)
            members = ["ich9-ehci1", "ich9-uhci1", "ich9-uhci2", "ich9-uhci3"]
            if r.random() < 0.3:
                members = members[:r.randint(2, 4)]
            if r.random() < 0.3:
                r.shuffle(members)
            starts = {"ich9-uhci1": 0, "ich9-uhci2": 2, "ich9-uhci3": 4}
            withmaster = r.random() < 0.7
            for m in members:
                inner = "<master startport='%s'/>" % self.vs(starts[m], "udec") if m in starts and withmaster else ""
                a = self.aaddr(0, self.free_slot(), 0) if r.random() < 0.1 else ""
                self.add("<controller type='usb' index='%s' model='%s'>%s%s</controller>"
                         % (self.vs(k, "dec"), m, inner, a))
            self.tag("set%d" % k)
        if r.random() < 0.4:
            k = r.choice([4, 6, 7])
            m = r.choice(["qemu-xhci", "nec-xhci", "piix3-uhci", "ehci", None])
            self.add("<controller type='usb' index='%s'%s/>" % (self.vs(k, "dec"), " model='%s'" % m if m else ""))
        for _ in range(r.randint(0, 2)):
            self.add("<input type='%s' bus='usb'/>" % r.choice(["tablet", "keyboard", "mouse"]))
        if r.random() < 0.2:
            self.add("<redirdev bus='usb' type='tcp'><source mode='connect' host='localhost' service='4000'/></redirdev>")

    def c_scsi2(self):
        """SCSI host devices next to SCSI disks sda..sdz (implicit controllers)."""
        r = self.r
        self.tag("scsi2")
        if r.random() < 0.4:
            i = r.choice([0, 1, 2, 3])
            m = r.choice(["virtio-scsi", "lsilogic", None, "lsisas1068"])
            self.add("<controller type='scsi' index='%s'%s/>" % (self.vs(i, "dec"), " model='%s'" % m if m else ""))
        names = r.sample("abcdefghijklmnopqrstuvwxyz", r.randint(3, 14))
        if r.random() < 0.5 and "z" not in names:
            names.append("z")
        for l in names:
            t = "sd" + l
            if not self.take_target(t):
                continue
            a = ""
            if r.random() < 0.15:
                c, u = r.randint(0, 4), r.randint(0, 6)
                if (c, u) not in self.drv["scsi"]:
                    self.drv["scsi"].add((c, u))
                    a = "<address type='drive' controller='%s' bus='%s' target='0' unit='%s'/>" % (
                        self.vs(c, "udec"), self.vs(0, "udec"), self.vs(u, "udec"))
            dev = r.choice(["disk", "disk", "lun" if False else "cdrom"])
            self.add("<disk type='file' device='%s'><driver name='qemu' type='raw'/><source file='/var/lib/libvirt/images/s%d-%s.img'/>"
                     "<target dev='%s' bus='scsi'/>%s%s</disk>"
                     % (dev, self.num, t, t, "<readonly/>" if dev == "cdrom" else "", a))
        for h in range(r.randint(1, 4)):
            a = ""
            if r.random() < 0.4:
                c, u = r.randint(0, 5), r.randint(0, 6)
                a = "<address type='drive' controller='%s' bus='0' target='%s' unit='%s'/>" % (
                    self.vs(c, "udec"), self.vs(r.choice([0] * 9 + [1]), "udec"), self.vs(u, "udec"))
            self.add("<hostdev mode='subsystem' type='scsi' managed='no'><source><adapter name='scsi_host%d'/>"
                     "<address bus='0' target='%s' unit='0'/></source>%s</hostdev>" % (h, self.vs(h + 1, "udec"), a))

    def c_vser2(self):
        """virtio-serial ports on controllers N > 0, written or not."""
        r = self.r
        self.tag("vser2")
        ctrls = set()
        for _ in range(r.randint(0, 2)):
            i = r.randint(0, 4)
            if i in ctrls:
                continue
            ctrls.add(i)
            a = self.aaddr(0, self.free_slot()) if r.random() < 0.2 else ""
            ex = " ports='%s'" % r.choice([4, 16, 31]) if r.random() < 0.3 else ""
            self.add("<controller type='virtio-serial' index='%s'%s>%s</controller>" % (self.vs(i, "dec"), ex, a))
        ports = set()
        for j in range(r.randint(1, 6)):
            a = ""
            if r.random() < 0.75:
                c, p = r.randint(1, 6), r.randint(1, 8)
                if (c, p) in ports:
                    continue
                ports.add((c, p))
                a = "<address type='virtio-serial' controller='%s' bus='%s' port='%s'/>" % (
                    self.vs(c, "udec"), self.vs(0, "udec"), self.vs(p, "udec"))
            if r.random() < 0.7:
                self.add("<channel type='unix'><target type='virtio' name='org.pcitopo.v%d.%d'/>%s</channel>" % (self.num, j, a))
            else:
                self.add("<console type='pty'><target type='virtio'/>%s</console>" % a)

    def c_pcdisks(self):
        """pc: ide and sata disks, written controllers."""
        r = self.r
        self.tag("pcdisks")
        for t in r.sample(["hda", "hdb", "hdc", "hdd"], r.randint(1, 4)):
            if not self.take_target(t):
                continue
            dev = r.choice(["disk", "cdrom"])
            self.add("<disk type='file' device='%s'><source file='/var/lib/libvirt/images/i%d-%s.img'/>"
                     "<target dev='%s' bus='ide'/>%s</disk>" % (dev, self.num, t, t, "<readonly/>" if dev == "cdrom" else ""))
        if r.random() < 0.3:
            self.add("<controller type='ide' index='%s'/>" % self.vs(0, "dec"))
        for _ in range(r.randint(0, 5)):
            a = ""
            cu = self.drive("sata", [0, 1, 2], range(6)) if r.random() < 0.4 else None
            t = self.target("sd") if cu else self.named_target("sd", "sata")
            if cu:
                a = "<address type='drive' controller='%s' bus='0' target='0' unit='%s'/>" % (
                    self.vs(cu[0], "udec"), self.vs(cu[1], "udec"))
            self.add("<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a%d-%s.img'/>"
                     "<target dev='%s' bus='sata'/>%s</disk>" % (self.num, t, t, a))
        if r.random() < 0.3:
            self.add("<controller type='sata' index='%s'>%s</controller>" % (
                self.vs(r.choice([0, 1]), "dec"), self.aaddr(0, self.free_slot()) if r.random() < 0.5 else ""))

    def c_defmodels(self):
        r = self.r
        self.tag("defm")
        for k in r.sample(["nic", "nic", "video", "scsi", "usb", "vser", "tablet", "sata", "kbd"], r.randint(1, 4)):
            if k == "nic":
                self.add("<interface type='network'>%s<source network='default'/></interface>" % self.mac())
            elif k == "video" and not self.has_video:
                self.add("<video/>")
                self.has_video = True
            elif k == "scsi":
                self.add("<controller type='scsi' index='%s'/>" % self.vs(r.choice([0, 4]), "dec"))
            elif k == "usb" and not self.usb_off:
                self.add("<controller type='usb' index='%s'/>" % self.vs(r.choice([0, 8]), "dec"))
            elif k == "vser":
                self.add("<controller type='virtio-serial'/>")
            elif k == "tablet" and not self.usb_off:
                self.add("<input type='tablet' bus='usb'/>")
            elif k == "sata":
                self.add("<controller type='sata'/>")
            elif k == "kbd":
                self.add("<input type='keyboard' bus='virtio'/>")

    def c_refuse(self):
        r = self.r
        if self.q35:
            ks = ["pxb-on-q35", "node-hi", "dupidx", "double-addr", "fn8", "chassis0", "busNr255", "port256",
                  "ich7", "usboff-tablet", "ide-q35", "hostdev-twice", "idx256", "nomaster", "rp-slot1",
                  "pci-nomodel", "root-idx", "upstream-bus0", "ctrl-addr-pciroot"]
        else:
            ks = ["pcie-rp-pc", "p2p-pc", "pxbe-pc", "dmi-pc", "node-hi", "dupidx", "double-addr", "fn8",
                  "chassisNr0", "busNr255", "ich7", "usboff-tablet", "hde", "ide1", "hostdev-twice", "idx256",
                  "nomaster", "bridge-slot0", "pci-nomodel", "slot32"]
        k = r.choice(ks)
        self.tag("ref-" + k)
        if k == "pxb-on-q35":
            self.ctrl("pci-expander-bus", self.alloc(), "", "")
        elif k == "pcie-rp-pc":
            self.ctrl("pcie-root-port", self.alloc(), "", "")
        elif k == "p2p-pc":
            self.ctrl("pcie-to-pci-bridge", self.alloc(), "", "")
        elif k == "pxbe-pc":
            self.ctrl("pcie-expander-bus", self.alloc(), "", "")
        elif k == "dmi-pc":
            self.ctrl("dmi-to-pci-bridge", self.alloc(), "", "")
        elif k == "node-hi":
            cells = self.numa or r.randint(1, 4)
            self.numa = cells
            model = "pcie-expander-bus" if self.q35 else "pci-expander-bus"
            self.ctrl(model, self.alloc(), "<target><node>%s</node></target>" % self.vs(cells + r.randint(0, 2), "node", 0.7), "")
        elif k == "dupidx":
            i = self.alloc()
            m = "pcie-root-port" if self.q35 else "pci-bridge"
            self.ctrl(m, i, "", "")
            self.ctrl(m, i, "", "")
        elif k == "double-addr":
            s = self.free_slot()
            self.endpoint(self.aaddr(0, s), pcie=True)
            self.endpoint("<address type='pci' bus='0' slot='%s' function='0'/>" % r.choice(["0%o" % s, "0x%X" % s, "+%d" % s]), pcie=True)
        elif k == "fn8":
            s = self.free_slot()
            self.endpoint("<address type='pci' bus='0' slot='%d' function='010'/>" % s, pcie=True)
        elif k in ("chassis0", "chassisNr0"):
            if self.q35:
                self.ctrl("pcie-root-port", self.alloc(), "<target chassis='%s'/>" % r.choice(["0400", "256", "0x100"]), "")
            else:
                self.ctrl("pci-bridge", self.alloc(), "<target chassisNr='%s'/>" % r.choice(["0", "00", "0x0", "0400"]), "")
        elif k == "busNr255":
            model = "pcie-expander-bus" if self.q35 else "pci-expander-bus"
            self.ctrl(model, self.alloc(), "<target busNr='%s'/>" % r.choice(["0377", "0xff", "255", "0"]), "")
        elif k == "port256":
            self.ctrl("pcie-root-port", self.alloc(), "<target port='%s'/>" % r.choice(["0400", "0x100", "256"]), "")
        elif k == "ich7":
            self.add("<sound model='ich7'/>")
        elif k == "usboff-tablet":
            self.add("<controller type='usb' index='%s' model='none'/>" % self.vs(0, "dec", 0.7))
            self.add("<input type='%s' bus='usb'/>" % r.choice(["tablet", "mouse"]))
            self.usb_off = True
        elif k == "ide-q35":
            t = "hd" + r.choice("abcd")
            if self.take_target(t):
                self.add("<disk type='file' device='cdrom'><source file='/x.iso'/><target dev='%s' bus='ide'/><readonly/></disk>" % t)
        elif k == "hde":
            if self.take_target("hde"):
                self.add("<disk type='file' device='disk'><source file='/x.img'/><target dev='hde' bus='ide'/></disk>")
        elif k == "ide1":
            self.add("<controller type='ide' index='%s'/>" % r.choice(["1", "01", "+1"]))
        elif k == "hostdev-twice":
            b = self.hostpci()
            self.add("<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x%02x' slot='0x02' function='0x0'/></source></hostdev>" % b)
            self.add("<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0' bus='0%o' slot='+2' function=' 0'/></source></hostdev>" % b)
        elif k == "idx256":
            m = "pcie-root-port" if self.q35 else "pci-bridge"
            self.ctrl(m, 256, "", "")
        elif k == "nomaster":
            i = r.choice([1, 2, 3])
            for m in ["ich9-uhci1", "ich9-uhci2"]:
                self.add("<controller type='usb' index='%d' model='%s'/>" % (i, m))
        elif k == "rp-slot1":
            i = self.root_port()
            self.endpoint(self.aaddr(i, r.choice([1, 2, 31])), pcie=True)
        elif k == "bridge-slot0":
            i = self.alloc()
            self.ctrl("pci-bridge", i, "", "")
            self.endpoint(self.aaddr(i, 0), pcie=False)
        elif k == "pci-nomodel":
            self.add("<controller type='pci' index='%s'/>" % self.vs(self.alloc(), "dec"))
        elif k == "root-idx":
            self.add("<controller type='pci' index='%s' model='pcie-root'/>" % self.vs(self.alloc(), "dec"))
        elif k == "upstream-bus0":
            self.ctrl("pcie-switch-upstream-port", self.alloc(), "", self.aaddr(0, self.free_slot()))
        elif k == "ctrl-addr-pciroot":
            self.add("<controller type='pci' index='0' model='pcie-root'>%s</controller>" % self.aaddr(0, self.free_slot()))
        elif k == "slot32":
            self.endpoint("<address type='pci' bus='0' slot='040' function='0'/>", pcie=True)

    # ---- output
    def xml(self):
        r = self.r
        devs = list(self.devs)
        r.shuffle(devs)
        if getattr(self, "videos_late", None):
            # videos go after some devices, keeping their own order
            for v in self.videos_late:
                devs.insert(r.randint(0, len(devs)), v)
        out = ["<!-- corners-unseen: classes=%s -->" % ",".join(self.tags),
               "<domain type='kvm'>",
               "  <name>cu-%03d</name>" % self.num,
               "  <memory unit='MiB'>%d</memory>" % (128 * max(2, self.numa) if self.numa else 512)]
        if self.numa:
            out.append("  <vcpu>%d</vcpu>" % self.numa)
        out.append("  <os><type arch='x86_64' machine='%s'>hvm</type></os>" % self.machine)
        if self.numa:
            out.append("  <cpu><numa>")
            for c in range(self.numa):
                out.append("    <cell id='%s' cpus='%d' memory='128' unit='MiB'/>" % (self.vs(c, "udec"), c))
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


CLASSES = [("q35topo", 0.7, "q35"), ("pctopo", 0.6, "pc"), ("gfxfav", 0.35, None), ("usb2", 0.35, None),
           ("scsi2", 0.35, None), ("vser2", 0.35, None), ("pcdisks", 0.45, "pc"), ("defmodels", 0.35, None),
           ("refuse", 0.22, None), ("graphics", 0.15, None), ("usb", 0.1, None), ("scsi", 0.1, None),
           ("vserial", 0.1, None), ("disks", 0.1, None), ("nics", 0.15, None), ("dup", 0.04, None),
           ("twodev", 0.1, None)]


def make(r, num):
    machine = "q35" if r.random() < 0.62 else "pc"
    c = Case(r, num, machine)
    picked = [name for name, p, m in CLASSES if r.random() < p and (m is None or m == machine)]
    if len([p for p in picked if p != "twodev"]) < 3:
        extra = [n for n, _, m in CLASSES if n not in picked and n not in ("refuse", "dup")
                 and (m is None or m == machine)]
        picked += r.sample(extra, 2)
    if "gfxfav" in picked and "graphics" in picked:
        picked.remove("graphics")
    if "usb2" in picked and "usb" in picked:
        picked.remove("usb")
    c.odd = r.choice([0.1, 0.3, 0.5])
    order = ["q35topo", "pctopo", "gfxfav"] + [n for n, _, _ in CLASSES if n not in ("q35topo", "pctopo", "gfxfav", "refuse")] + ["refuse"]
    for n in order:
        if n in picked:
            getattr(c, "c_" + n)()
    c.regular(r.randint(20, 60) if machine == "q35" else r.randint(10, 30))
    return c


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 150
    r = random.Random(SEED)
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".in.xml"):
            os.remove(os.path.join(OUT, f))
    for num in range(1, count + 1):
        c = make(r, num)
        name = "%03d-%s-%s" % (num, c.machine, "-".join(t for t in c.tags if t in (
            "q35topo", "pctopo", "gfxfav", "usb2", "scsi2", "vser2", "pcdisks", "defm", "gfx", "novideo", "usb",
            "scsi", "vser", "disks", "nicnomodel", "dup", "2dev") or t.startswith("ref-"))
            or "mix")
        with open(os.path.join(OUT, name + ".in.xml"), "w") as fh:
            fh.write(c.xml())
    print("wrote %d inputs to %s" % (count, OUT))


if __name__ == "__main__":
    main()
