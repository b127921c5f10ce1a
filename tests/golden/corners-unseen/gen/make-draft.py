#!/usr/bin/env python3
"""Unseen corner cases for issue 20 (seed 777001), python3 standard library only.

Writes ../place/NNN-MACHINE-CLASSES.in.xml: random domains that mix issue 20's
classes (implicit video, USB controllers, SCSI hostdevs/disks, virtio-serial,
disks with gaps, interfaces without model, missing models, USB switched off,
duplicate host devices, numbers in odd bases, two <devices> elements) on pc
and q35, on top of 10-30 ordinary devices.  gen/run.sh asks the oracle.

    make.py [COUNT]      (default 150)
"""

import os
import random
import sys

SEED = 777001
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(HERE, "place")


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
        """Spell the number n.  base 'c' = C-style (libvirt base 0), 'd' = decimal
        attribute (index).  Odd spellings appear with probability self.odd."""
        if not force and self.r.random() >= self.odd:
            return str(n)
        kinds = ["lead0", "octal", "hex", "space", "plus", "plain"]
        k = self.r.choice(kinds)
        if k == "lead0":
            return "0%d" % n
        if k == "octal":
            return "0%o" % n if n else "00"
        if k == "hex":
            return "0x%x" % n if self.r.random() < 0.5 else "0x%X" % n
        if k == "space":
            return " %d" % n
        if k == "plus":
            return "+%d" % n
        return str(n)

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
        for _ in range(100):
            t = prefix + self.r.choice(letters)
            if t not in self.targets:
                self.targets.add(t)
                return t
        raise RuntimeError("no target")

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
            if k in ("watchdog", "sound", "balloon", "vsock") and k in once:
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
        prim = False
        for i in range(nvid):
            m = r.choice(models)
            while nvid > 1 and m == "none":
                m = r.choice(models)
            attrs = ""
            if i > 0 and not prim and m not in ("ramfb", None) and r.random() < 0.5:
                attrs = " primary='yes'"
                prim = True
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
                    inner = "<master startport='%s'/>" % self.sp(starts[m])
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
        used_drv = set()
        for _ in range(r.randint(0, 4)):
            t = self.target("sd")
            a = ""
            if r.random() < 0.4:
                c, u = r.choice([0, 0, 1, 2, 3]), r.randint(0, 6)
                if (c, u) not in used_drv:
                    used_drv.add((c, u))
                    a = "<address type='drive' controller='%s' bus='0' target='0' unit='%s'/>" % (self.sp(c), self.sp(u))
            dev = r.choice(["disk", "disk", "cdrom"])
            self.add("<disk type='file' device='%s'><driver name='qemu' type='raw'/><source file='/var/lib/libvirt/images/s%d-%s.img'/>"
                     "<target dev='%s' bus='scsi'/>%s%s</disk>"
                     % (dev, self.num, t, t, "<readonly/>" if dev == "cdrom" else "", a))
        nh = r.randint(0, 3)
        for h in range(nh):
            a = ""
            if r.random() < 0.6:
                c, u = r.choice([0, 0, 1, 2]), r.randint(0, 6)
                if (c, u) not in used_drv:
                    used_drv.add((c, u))
                    a = "<address type='drive' controller='%s' bus='0' target='0' unit='%s'/>" % (self.sp(c), self.sp(u))
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
                a = "<address type='virtio-serial' controller='%s' bus='0' port='%s'/>" % (self.sp(c), self.sp(p))
            if r.random() < 0.65:
                self.add("<channel type='%s'><target type='virtio' name='org.pcitopo.u%d.%d'/>%s</channel>"
                         % (r.choice(["pty", "unix"]), self.num, j, a))
            else:
                self.add("<console type='pty'><target type='virtio'/>%s</console>" % a)
        if r.random() < 0.2:
            self.add("<console type='pty'><target type='serial'/></console>")

    def c_disks(self):
        r = self.r
        self.tag("disks")
        if not self.q35:
            for t in r.sample(["hda", "hdb", "hdc", "hdd", "hde"], r.randint(1, 3)):
                if not self.take_target(t):
                    continue
                dev = "cdrom" if r.random() < 0.4 else "disk"
                a = ""
                if r.random() < 0.25:
                    a = "<address type='drive' controller='%s' bus='%s' target='0' unit='%s'/>" % (
                        self.sp(0), self.sp(r.choice([0, 1])), self.sp(r.choice([0, 1])))
                self.add("<disk type='file' device='%s'><source file='/var/lib/libvirt/images/i%d-%s.img'/>"
                         "<target dev='%s' bus='ide'/>%s%s</disk>" % (dev, self.num, t, t,
                                                                   "<readonly/>" if dev == "cdrom" else "", a))
        for _ in range(r.randint(1, 4)):
            t = self.target("sd")
            a = ""
            if r.random() < 0.4:
                a = "<address type='drive' controller='%s' bus='0' target='0' unit='%s'/>" % (
                    self.sp(r.choice([0, 1, 2, 3])), self.sp(r.randint(0, 5)))
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
        self.odd = 0.6
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
                out.append("    <cell id='%s' cpus='%d' memory='128' unit='MiB'/>" % (self.sp(c), c))
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


CLASSES = [("graphics", 0.45), ("usb", 0.4), ("usboff", 0.12), ("scsi", 0.35), ("vserial", 0.35),
           ("disks", 0.3), ("nics", 0.35), ("nomodel", 0.12), ("dup", 0.12), ("numbers", 0.3),
           ("twodev", 0.2)]


def make(r, num):
    machine = r.choice(["pc", "q35"])
    c = Case(r, num, machine)
    picked = [name for name, p in CLASSES if r.random() < p]
    if len([p for p in picked if p != "twodev"]) < 2:
        extra = [n for n, _ in CLASSES if n not in picked and n not in ("usboff", "nomodel", "dup")]
        picked += r.sample(extra, 2)
    if "usboff" in picked and "usb" in picked and r.random() < 0.7:
        picked.remove("usb")
    # numbers first: it sets self.odd for the rest
    order = ["numbers"] + [n for n, _ in CLASSES if n != "numbers"]
    if "numbers" not in picked:
        c.odd = 0.05
    for n in order:
        if n in picked:
            getattr(c, "c_" + n)()
    c.regular(r.randint(10, 30))
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
            "gfx", "novideo", "usb", "usboff", "scsi", "vser", "disks", "nicnomodel", "dup", "num", "2dev"))
            or "mix")
        if any(t.startswith("nomodel-") for t in c.tags):
            name += "-nomodel"
        with open(os.path.join(OUT, name + ".in.xml"), "w") as fh:
            fh.write(c.xml())
    print("wrote %d inputs to %s" % (count, OUT))


if __name__ == "__main__":
    main()
