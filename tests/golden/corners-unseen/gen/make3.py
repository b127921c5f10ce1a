#!/usr/bin/env python3
"""Unseen corner cases for issue 20, third round (seed 3030), python3 standard library only.

Aimed at what make.py / make2.py did not stress:
  * every refusal of issue 20 in new contexts (devices before/after, other machine names,
    numbers in odd bases, element order shuffled, split across two <devices>);
  * implicit devices in new contexts (graphics without video with the favourite slot taken by
    a bridge or a multifunction group; USB controllers only at index >= 1 of many models;
    SCSI host devices without address next to 10-30 scsi disks; virtio consoles/channels on
    controllers 0-3; disks whose names imply ide/sata/scsi controllers 1-4);
  * default models of every x86 device kind written without a model;
  * q35 with 240-254 root ports, with and without expander buses.

Reuses make2.py's Case (helpers, ordinary devices) and writes ../place3/NNN-MACHINE-FOCUS.in.xml.
gen/run3.sh asks the oracle.  (virt-install domains: gen/virtinst3.sh.)

    make3.py [COUNT]      (default 150)
"""

import importlib.util
import os
import random
import sys

SEED = 3030
GEN = os.path.dirname(os.path.abspath(__file__))
HERE = os.path.dirname(GEN)
OUT = os.path.join(HERE, "place3")

_spec = importlib.util.spec_from_file_location("make2", os.path.join(GEN, "make2.py"))
make2 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make2)

PC_NAMES = ["pc", "pc", "pc-i440fx-7.2", "pc-i440fx-5.2"]
Q35_NAMES = ["q35", "q35", "pc-q35-7.2", "pc-q35-5.2"]


class Case3(make2.Case):
    def __init__(self, r, num, fam):
        super().__init__(r, num, fam)
        self.q35 = fam == "q35"
        self.mstr = r.choice(Q35_NAMES if self.q35 else PC_NAMES)
        self.machine = "q35" if self.q35 else "pc"
        self.focus = []
        self.nregular = None
        self.dtype = r.choice(["kvm", "kvm", "kvm", "qemu"])

    def f(self, t):
        self.focus.append(t)
        self.tag(t)

    def odd_dec(self, n, p=0.6):
        """index-like number (base 10) spelled oddly."""
        return self.vs(n, "dec", p)

    # ------------------------------------------------------------------ refusals
    def r_pcinomodel(self):
        r = self.r
        k = r.choice(["noidx", "noidx-root", "idx", "idx-odd", "noidx-after-rp", "idx0"])
        self.f("pcinomodel-" + k)
        if k == "noidx":
            self.add("<controller type='pci'/>")
        elif k == "noidx-root":
            self.add("<controller type='pci' index='%s' model='%s'/>" % (self.odd_dec(0), "pcie-root" if self.q35 else "pci-root"))
            self.add("<controller type='pci'/>")
        elif k in ("idx", "idx-odd"):
            i = r.choice([1, 2, 3, 7, 10, 12])
            self.add("<controller type='pci' index='%s'/>" % (self.odd_dec(i, 1.0 if k == "idx-odd" else 0.0)))
        elif k == "noidx-after-rp":
            m = "pcie-root-port" if self.q35 else "pci-bridge"
            for i in range(1, r.randint(2, 4)):
                self.add("<controller type='pci' index='%s' model='%s'/>" % (self.odd_dec(i), m))
            self.add("<controller type='pci'/>")
        elif k == "idx0":
            self.add("<controller type='pci' index='%s'/>" % self.odd_dec(0, 1.0))

    def r_ich7(self):
        r = self.r
        self.f("ich7")
        others = r.sample(["ich6", "ich9", "ac97", "es1370", "sb16", "pcspk", "usb", "ich9"], r.randint(0, 3))
        for m in others + ["ich7"]:
            self.add("<sound model='%s'/>" % m)
        if r.random() < 0.3:
            self.add("<sound model='ich7'/>")
            self.tag("ich7x2")

    def r_usbnone1(self):
        r = self.r
        self.f("usbnone1")
        ix0 = r.choice(["", " index='0'", " index='%s'" % self.odd_dec(0, 1.0)])
        m = r.choice(["piix3-uhci", "qemu-xhci", "ehci", "nec-xhci", "ich9-ehci1", None, "none", "ich9-uhci1"])
        ms = " model='%s'" % m if m else ""
        i1 = r.choice(["1", "01", "+1", " 1", "2", "3"])
        a = "<controller type='usb'%s model='none'/>" % ix0
        b = "<controller type='usb' index='%s'%s/>" % (i1, ms)
        self.add(a)
        self.add(b)
        if r.random() < 0.3:
            self.add("<input type='tablet' bus='usb'/>")

    def r_nomaster(self):
        r = self.r
        self.f("nomaster")
        k = r.choice(["plain", "plain", "master-other-idx", "with-piix", "noelem", "mixed-idx"])
        self.tag("nm-" + k)
        starts = {"ich9-uhci1": 0, "ich9-uhci2": 2, "ich9-uhci3": 4}
        idxs = r.sample([0, 1, 2, 3, 5], r.randint(1, 2))
        for i in idxs:
            ms = r.sample(["ich9-uhci1", "ich9-uhci2", "ich9-uhci3"], r.randint(1, 3))
            for m in ms:
                ix = self.odd_dec(i) if k != "mixed-idx" or r.random() < 0.5 else self.odd_dec(r.choice([0, 1, 4]))
                inner = "" if k == "noelem" else "<master startport='%s'/>" % starts[m]
                self.add("<controller type='usb' index='%s' model='%s'>%s</controller>" % (ix, m, inner))
        if k == "master-other-idx":
            self.add("<controller type='usb' index='%d' model='ich9-ehci1'/>" % (max(idxs) + 1))
        elif k == "with-piix":
            self.add("<controller type='usb' index='%d' model='%s'/>" % (max(idxs) + 1, r.choice(["piix3-uhci", "qemu-xhci", "ehci"])))
        if r.random() < 0.4:
            self.add("<input type='tablet' bus='usb'/>")

    def r_usboffdev(self):
        r = self.r
        self.f("usboffdev")
        self.usb_off = True
        ix = r.choice(["", " index='0'", " index='%s'" % self.odd_dec(0, 1.0)])
        self.add("<controller type='usb'%s model='none'/>" % ix)
        kinds = ["tablet", "mouse", "kbd", "hub", "hostdev", "redirdev", "smartcard", "usbdisk", "usbsound",
                 "usbcdrom", "hostdev-addr"]
        for k in r.sample(kinds, r.choice([1, 1, 1, 2, 3])):
            self.tag("uo-" + k)
            if k in ("tablet", "mouse"):
                self.add("<input type='%s' bus='usb'/>" % k)
            elif k == "kbd":
                self.add("<input type='keyboard' bus='usb'/>")
            elif k == "hub":
                self.add("<hub type='usb'/>")
            elif k == "hostdev":
                self.add("<hostdev mode='subsystem' type='usb' managed='%s'><source><vendor id='0x1d6b'/>"
                         "<product id='0x0002'/></source></hostdev>" % r.choice(["yes", "no"]))
            elif k == "hostdev-addr":
                self.add("<hostdev mode='subsystem' type='usb'><source><address bus='1' device='%s'/></source></hostdev>"
                         % self.odd_dec(3))
            elif k == "redirdev":
                self.add("<redirdev bus='usb' type='%s'/>" % ("spicevmc" if r.random() < 0.6 else "pty"))
            elif k == "smartcard":
                self.add("<smartcard mode='passthrough' type='spicevmc'/>" if r.random() < 0.5 else "<smartcard mode='host'/>")
            elif k in ("usbdisk", "usbcdrom"):
                t = self.target("sd")
                dev = "cdrom" if k == "usbcdrom" else "disk"
                self.add("<disk type='file' device='%s'><source file='/var/lib/libvirt/images/u%d-%s.img'/>"
                         "<target dev='%s' bus='usb'/>%s</disk>" % (dev, self.num, t, t, "<readonly/>" if dev == "cdrom" else ""))
            elif k == "usbsound":
                self.add("<sound model='usb'/>")

    def r_ide2(self):
        r = self.r
        self.f("ide2")
        c = r.choice([1, 1, 2, 3])
        b = r.choice([0, 1, 1])
        u = r.choice([0, 1, 1])
        t = self.target("hd") if r.random() < 0.5 else self.target("sd")
        dev = r.choice(["disk", "cdrom"])
        self.add("<disk type='file' device='%s'><source file='/var/lib/libvirt/images/ide%d.img'/>"
                 "<target dev='%s' bus='ide'/>%s<address type='drive' controller='%s' bus='%s' target='0' unit='%s'/></disk>"
                 % (dev, self.num, t, "<readonly/>" if dev == "cdrom" else "", self.vs(c, "udec", 0.5),
                    self.vs(b, "udec", 0.5), self.vs(u, "udec", 0.5)))
        if r.random() < 0.5:
            for tt in r.sample(["hda", "hdb", "hdc"], r.randint(1, 2)):
                if self.take_target(tt):
                    self.add("<disk type='file' device='cdrom'><source file='/x-%s.iso'/><target dev='%s' bus='ide'/><readonly/></disk>" % (tt, tt))
        if r.random() < 0.3:
            self.add("<controller type='ide' index='0'/>")

    def r_hostdup(self):
        r = self.r
        self.f("hostdup")
        k = r.choice(["hd-hd", "hd-hd", "if-hd", "hd-if", "if-if", "hd-hd-fn", "hd-hd-dom"])
        self.tag("hd-" + k)
        b, s, fn = self.hostpci(), r.randint(0, 0x1f), r.randint(0, 7)
        spell = [lambda n: "0x%02x" % n, lambda n: "%d" % n, lambda n: ("0%o" % n) if n else "00",
                 lambda n: "0X%X" % n, lambda n: " %d" % n, lambda n: "+%d" % n, lambda n: "+0x%x" % n]

        def src(bus, slot, f, dom="0x0000"):
            return "<address domain='%s' bus='%s' slot='%s' function='%s'/>" % (dom, bus, slot, f)

        def sp(n):
            return r.choice(spell)(n)

        def hd(a):
            m = r.choice([" managed='yes'", " managed='no'", ""])
            guest = self.paddr() if r.random() < 0.2 else ""
            drv = "<driver name='vfio'/>" if r.random() < 0.3 else ""
            return "<hostdev mode='subsystem' type='pci'%s>%s<source>%s</source>%s</hostdev>" % (m, drv, a, guest)

        def iface(a):
            m = r.choice([" managed='yes'", " managed='no'", ""])
            return "<interface type='hostdev'%s>%s<source>%s</source></interface>" % (m, self.mac(), a.replace("<address ", "<address type='pci' "))
        first = src("0x%02x" % b, "0x%02x" % s, "0x%x" % fn)
        second_fn = fn if k != "hd-hd-fn" else (fn + 1) % 8
        second = src(sp(b), sp(s), sp(second_fn), dom=(r.choice(["0", "00", "0x0", " 0"]) if k != "hd-hd-dom" else "0x0001"))
        kinds = {"hd-hd": (hd, hd), "if-hd": (iface, hd), "hd-if": (hd, iface), "if-if": (iface, iface),
                 "hd-hd-fn": (hd, hd), "hd-hd-dom": (hd, hd)}[k]
        self.add(kinds[0](first))
        for _ in range(r.randint(0, 3)):
            self.regular(1)
        self.add(kinds[1](second))

    def r_rootports(self, k=None, indexed=None, root=None):
        r = self.r
        self.f("manyrp")
        self.nregular = r.randint(0, 4)
        if k is None:
            k = r.choice(["240", "241", "250", "pxb1-253", "pxb2-253", "pxb2-254", "pxb1-252", "239+dev", "idx255"])
        self.tag("rp" + k)
        pxb = 0
        if k.startswith("pxb"):
            pxb = int(k[3])
            n = int(k.split("-")[1])
        elif k == "239+dev":
            n = 238
        elif k == "idx255":
            n = 0
        else:
            n = int(k)
        numa = pxb > 0 and r.random() < 0.5
        if numa:
            self.numa = 2
        idx = 1
        for p in range(pxb):
            node = "<target><node>%d</node></target>" % (p % 2) if numa else ""
            self.add("<controller type='pci' index='%s' model='pcie-expander-bus'>%s</controller>" % (self.odd_dec(idx, 0.3), node))
            idx += 1
        if indexed is None:
            indexed = r.random() < 0.5
        for _ in range(n):
            if indexed:
                self.add("<controller type='pci' index='%s' model='pcie-root-port'/>" % self.odd_dec(idx, 0.1))
            else:
                self.add("<controller type='pci' model='pcie-root-port'/>")
            idx += 1
        if pxb or indexed:
            pass
        if k == "239+dev":
            for _ in range(r.randint(2, 4)):
                self.add("<interface type='network'>%s<source network='default'/><model type='virtio'/></interface>" % self.mac())
        if k == "idx255":
            self.add("<controller type='pci' index='%s' model='pcie-root-port'/>" % self.odd_dec(255, 0.5))
        if root is None:
            root = not indexed and r.random() < 0.5
        if root:
            self.add("<controller type='pci' index='0' model='pcie-root'/>")

    # ------------------------------------------------------------------ implicit devices
    def i_gfxfav(self):
        r = self.r
        self.f("gfxfav3")
        for t in r.sample(["vnc", "spice", "sdl", "egl-headless", "dbus"], r.choice([1, 1, 2])):
            if t == "egl-headless":
                self.add("<graphics type='egl-headless'/>")
            else:
                self.add("<graphics type='%s'/>" % t)
        fav = 1 if self.q35 else 2
        k = r.choice(["bridge", "bridge", "mf", "mf", "mf-fn1", "mf-ctrl"])
        self.tag("fav-" + k)
        self.slots.add(fav)
        if k == "bridge":
            if self.q35:
                m = r.choice(["pcie-root-port", "pcie-root-port", "dmi-to-pci-bridge", "pcie-switch-upstream-port-x",
                              "pcie-expander-bus"])
                if m == "pcie-switch-upstream-port-x":
                    m = "pcie-root-port"
            else:
                m = r.choice(["pci-bridge", "pci-bridge", "pci-expander-bus"])
            i = self.alloc()
            self.ctrl(m, i, "", self.aaddr(0, fav))
            self.tag("fb-" + m)
            if r.random() < 0.5:
                self.endpoint(self.aaddr(i, 1 if m in ("pci-bridge", "dmi-to-pci-bridge", "pci-expander-bus") else 0),
                              pcie=m not in ("pci-bridge", "dmi-to-pci-bridge", "pci-expander-bus"))
        elif k in ("mf", "mf-fn1"):
            fns = sorted(r.sample(range(8), r.randint(2, 5)))
            if k == "mf-fn1" and 0 in fns:
                fns.remove(0)
            for j, fn in enumerate(fns):
                self.endpoint(self.aaddr(0, fav, fn, mf=(fn == 0 or (j == 0 and r.random() < 0.5))), pcie=True)
        else:  # multifunction group of controllers
            n = r.randint(2, 4)
            for fn in range(n):
                if self.q35:
                    i = self.alloc()
                    self.ctrl("pcie-root-port", i, "", self.aaddr(0, fav, fn, fn == 0))
                else:
                    m = r.choice(["virtio-serial", "scsi"])
                    self.scsi_idx += 1
                    self.add("<controller type='%s' index='%s'%s>%s</controller>" % (
                        m, 10 + self.scsi_idx, " model='virtio-scsi'" if m == "scsi" else "", self.aaddr(0, fav, fn, fn == 0)))
        if r.random() < 0.3:
            self.add("<sound model='%s'/>" % r.choice(["ich6", "ich9", "ac97"]))

    def i_usbhigh(self):
        r = self.r
        self.f("usbhigh")
        used = set()
        for _ in range(r.randint(1, 3)):
            i = r.choice([1, 1, 2, 3, 4, 6, 9])
            if i in used:
                continue
            used.add(i)
            m = r.choice(["nec-xhci", "piix4-uhci", "ehci", "pci-ohci", "qemu-xhci", "piix3-uhci", "vt82c686b-uhci"])
            ports = ""
            if m in ("qemu-xhci", "nec-xhci") and r.random() < 0.6:
                ports = " ports='%s'" % r.choice(["4", "8", "15", "010", "0x8"])
            a = self.paddr() if r.random() < 0.2 else ""
            self.add("<controller type='usb' index='%s' model='%s'%s>%s</controller>" % (self.odd_dec(i, 0.3), m, ports, a))
            self.tag("u%d-%s" % (i, m))
        for _ in range(r.randint(0, 3)):
            k = r.choice(["tablet", "hub", "redir", "hostdev", "kbd"])
            if k == "tablet":
                self.add("<input type='tablet' bus='usb'/>")
            elif k == "kbd":
                self.add("<input type='keyboard' bus='usb'/>")
            elif k == "hub":
                self.add("<hub type='usb'/>")
            elif k == "redir":
                self.add("<redirdev bus='usb' type='spicevmc'/>")
            else:
                self.add("<hostdev mode='subsystem' type='usb' managed='yes'><source><vendor id='0x0781'/><product id='0x55%02x'/></source></hostdev>" % r.randint(0, 99))

    def i_scsihd(self):
        r = self.r
        self.f("scsihd")
        nd = r.randint(10, 30)
        letters = "abcdefghijklmnopqrstuvwxyz"
        names = ["sd" + l for l in letters] + ["sda" + l for l in letters[:8]]
        for t in r.sample(names, nd):
            if not self.take_target(t):
                continue
            dev = r.choice(["disk", "disk", "cdrom", "lun"])
            if dev == "lun":
                self.add("<disk type='block' device='lun'><source dev='/dev/sd%s'/><target dev='%s' bus='scsi'/></disk>"
                         % (t[-1], t))
            else:
                self.add("<disk type='file' device='%s'><source file='/var/lib/libvirt/images/s%d-%s.img'/>"
                         "<target dev='%s' bus='scsi'/>%s</disk>" % (dev, self.num, t, t, "<readonly/>" if dev == "cdrom" else ""))
        if r.random() < 0.5:
            i = r.choice([0, 0, 1, 2])
            m = r.choice(["virtio-scsi", "lsilogic", None, "lsisas1068", "virtio-scsi"])
            self.add("<controller type='scsi' index='%s'%s/>" % (self.odd_dec(i, 0.3), " model='%s'" % m if m else ""))
            self.tag("sc%d-%s" % (i, m))
        for h in range(r.randint(1, 4)):
            self.add("<hostdev mode='subsystem' type='scsi'%s><source><adapter name='scsi_host%d'/>"
                     "<address bus='0' target='%d' unit='%d'/></source></hostdev>"
                     % (r.choice(["", " managed='no'", " rawio='yes'"]), h, h, r.randint(0, 3)))

    def i_vser(self):
        r = self.r
        self.f("vser3")
        written = set()
        for _ in range(r.randint(0, 3)):
            i = r.randint(0, 3)
            if i in written:
                continue
            written.add(i)
            ex = " ports='%s'" % r.choice([2, 4, 8, 31]) if r.random() < 0.25 else ""
            a = self.paddr() if r.random() < 0.15 else ""
            ix = " index='%s'" % self.odd_dec(i, 0.4) if r.random() < 0.85 else ""
            self.add("<controller type='virtio-serial'%s%s>%s</controller>" % (ix, ex, a))
        ports = set()
        for j in range(r.randint(1, 7)):
            a = ""
            if r.random() < 0.7:
                c, p = r.randint(0, 3), r.randint(1, 6)
                if (c, p) in ports:
                    continue
                ports.add((c, p))
                a = "<address type='virtio-serial' controller='%s' bus='%s' port='%s'/>" % (
                    self.vs(c, "udec", 0.4), self.vs(0, "udec", 0.3), self.vs(p, "udec", 0.4))
            kind = r.choice(["chan", "chan", "con", "con", "agent"])
            if kind == "chan":
                self.add("<channel type='%s'><target type='virtio' name='org.pcitopo.w%d.%d'/>%s</channel>"
                         % (r.choice(["pty", "unix"]), self.num, j, a))
            elif kind == "agent":
                self.add("<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.%d'/>%s</channel>" % (j, a))
            elif kind == "spicevmc":
                self.add("<channel type='spicevmc'><target type='virtio' name='com.redhat.spice.%d'/>%s</channel>" % (j, a))
            else:
                self.add("<console type='pty'><target type='virtio'%s/>%s</console>" % (" port='%d'" % j if r.random() < 0.3 else "", a))
        if r.random() < 0.25:
            self.add("<serial type='pty'><target port='0'/></serial>")
        if r.random() < 0.2:
            self.add("<console type='pty'/>")

    def i_disknames(self):
        r = self.r
        self.f("disknames")
        buses = ["sata", "scsi"] + (["ide"] if not self.q35 and r.random() < 0.3 else [])
        for bus in r.sample(buses, r.randint(1, len(buses))):
            per = {"sata": 6, "scsi": 7, "ide": 4}[bus]
            pre = "hd" if bus == "ide" else "sd"
            ctrls = r.sample([1, 2, 3, 4], r.randint(1, 2)) + ([0] if r.random() < 0.4 else [])
            for c in ctrls:
                for _ in range(r.randint(1, 2)):
                    idx = c * per + r.randint(0, per - 1)
                    if idx >= 26:
                        t = pre + "a" + "abcdefghijklmnopqrstuvwxyz"[idx - 26]
                    else:
                        t = pre + "abcdefghijklmnopqrstuvwxyz"[idx]
                    if not self.take_target(t):
                        continue
                    dev = r.choice(["disk", "cdrom"])
                    self.add("<disk type='file' device='%s'><source file='/var/lib/libvirt/images/n%d-%s.img'/>"
                             "<target dev='%s' bus='%s'/>%s</disk>" % (dev, self.num, t, t, bus,
                                                                     "<readonly/>" if dev == "cdrom" else ""))
            self.tag("dn-" + bus)
            if r.random() < 0.3:
                i = r.choice([0, 1, 2])
                m = " model='virtio-scsi'" if bus == "scsi" and r.random() < 0.5 else ""
                self.add("<controller type='%s' index='%s'%s/>" % (bus, self.odd_dec(i, 0.3), m))

    # ------------------------------------------------------------------ default models
    def d_models(self):
        r = self.r
        self.f("defmodels3")
        kinds = ["video", "video-model", "nic-network", "nic-bridge", "nic-user", "nic-direct", "nic-ethernet",
                 "nic-hostdev", "usb", "scsi", "sata", "virtio-serial", "fdc", "ccid", "ide", "panic", "input-tablet",
                 "input-mouse", "input-kbd", "vsock", "disk-nobus-vd", "disk-nobus-sd", "disk-nobus-hd",
                 "disk-nobus-fd", "fs", "serial", "parallel", "channel", "redirdev", "smartcard", "hub",
                 "hostdev-pci", "hostdev-scsi", "tpm", "audio", "watchdog-x", "sound-x", "rng-x", "balloon-x"]
        for k in r.sample(kinds, r.randint(2, 7)):
            if k.startswith("input") and self.usb_off:
                continue
            self.tag("dm-" + k)
            if k == "video":
                if not self.has_video:
                    self.has_video = True
                    self.add("<video/>")
            elif k == "video-model":
                if not self.has_video:
                    self.has_video = True
                    self.add("<video><model heads='1'/></video>")
            elif k.startswith("nic-"):
                t = k[4:]
                src = {"network": "<source network='default'/>", "bridge": "<source bridge='virbr0'/>", "user": "",
                       "direct": "<source dev='eth0' mode='vepa'/>", "ethernet": "",
                       "hostdev": "<source><address type='pci' domain='0' bus='0x%02x' slot='1' function='0'/></source>" % self.hostpci()}[t]
                self.add("<interface type='%s'%s>%s%s</interface>" % (t, " managed='yes'" if t == "hostdev" else "", self.mac(), src))
            elif k in ("usb", "scsi", "sata", "virtio-serial", "fdc", "ccid", "ide"):
                if k == "ide" and self.q35:
                    continue
                if k == "usb" and self.usb_off:
                    continue
                i = r.choice(["", "", " index='0'", " index='1'"]) if k not in ("ide", "fdc") else r.choice(["", " index='0'"])
                if k == "usb" and i == " index='1'":
                    i = ""
                self.add("<controller type='%s'%s/>" % (k, i))
            elif k == "panic":
                self.add("<panic/>")
            elif k == "input-tablet":
                self.add("<input type='tablet'/>")
            elif k == "input-mouse":
                self.add("<input type='mouse'/>")
            elif k == "input-kbd":
                self.add("<input type='keyboard'/>")
            elif k == "vsock":
                self.add("<vsock><cid auto='yes'/></vsock>")
            elif k == "shmem":
                self.add("<shmem name='shm%d'><size unit='M'>4</size></shmem>" % self.num)
            elif k.startswith("disk-nobus-"):
                p = k[-2:]
                if p == "hd" and self.q35:
                    p = "sd"
                t = self.target(p) if p != "fd" else ("fda" if self.take_target("fda") else None)
                if t:
                    dev = "floppy" if p == "fd" else "disk"
                    self.add("<disk type='file' device='%s'><source file='/var/lib/libvirt/images/nb%d-%s.img'/><target dev='%s'/></disk>"
                             % (dev, self.num, t, t))
            elif k == "fs":
                self.add("<filesystem type='mount'><source dir='/srv/d%d'/><target dir='d%d'/></filesystem>" % (self.num, len(self.devs)))
            elif k == "serial":
                self.add("<serial type='pty'/>")
            elif k == "parallel":
                self.add("<parallel type='pty'/>")
            elif k == "channel":
                self.add("<channel type='pty'><target type='virtio'/></channel>")
            elif k == "redirdev" and not self.usb_off:
                self.add("<redirdev bus='usb' type='spicevmc'/>")
            elif k == "smartcard" and not self.usb_off:
                self.add("<smartcard mode='host'/>")
            elif k == "hub" and not self.usb_off:
                self.add("<hub type='usb'/>")
            elif k == "hostdev-pci":
                self.add("<hostdev mode='subsystem' type='pci'><source><address bus='0x%02x' slot='2' function='0'/></source></hostdev>" % self.hostpci())
            elif k == "hostdev-scsi":
                self.add("<hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host9'/><address bus='0' target='0' unit='%d'/></source></hostdev>" % r.randint(0, 5))
            elif k == "tpm":
                self.add("<tpm><backend type='passthrough'><device path='/dev/tpm0'/></backend></tpm>")
            elif k == "audio":
                self.add("<audio id='1' type='none'/>")
            elif k == "watchdog-x":
                self.add("<watchdog/>")
            elif k == "sound-x":
                self.add("<sound/>")
            elif k == "rng-x":
                self.add("<rng><backend model='random'/></rng>")
            elif k == "balloon-x":
                self.add("<memballoon/>")

    # ------------------------------------------------------------------ output
    def xml(self):
        r = self.r
        devs = list(self.devs)
        r.shuffle(devs)
        out = ["<!-- corners-unseen round 3 (seed %d): focus=%s classes=%s -->" % (SEED, ",".join(self.focus), ",".join(self.tags)),
               "<domain type='%s'>" % self.dtype,
               "  <name>cu3-%03d</name>" % self.num,
               "  <memory unit='MiB'>%d</memory>" % (512 if not self.numa else 256 * self.numa)]
        if self.numa:
            out.append("  <vcpu>%d</vcpu>" % self.numa)
        out.append("  <os><type arch='x86_64' machine='%s'>hvm</type></os>" % self.mstr)
        if self.numa:
            out.append("  <cpu><numa>")
            for c in range(self.numa):
                out.append("    <cell id='%d' cpus='%d' memory='256' unit='MiB'/>" % (c, c))
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


REFUSE = [("r_pcinomodel", 3, None), ("r_ich7", 3, None), ("r_usbnone1", 3, None), ("r_nomaster", 3, None),
          ("r_usboffdev", 4, None), ("r_ide2", 3, "pc"), ("r_hostdup", 4, None), ("r_rootports", 4, "q35")]
IMPLICIT = [("i_gfxfav", 5, None), ("i_usbhigh", 4, None), ("i_scsihd", 4, None), ("i_vser", 4, None),
            ("i_disknames", 4, None), ("d_models", 5, None)]


def pick(r, table, fam):
    opts = [(n, w) for n, w, m in table if m is None or m == fam]
    tot = sum(w for _, w in opts)
    x = r.uniform(0, tot)
    for n, w in opts:
        x -= w
        if x <= 0:
            return n
    return opts[-1][0]


def make(r, num):
    fam = "q35" if r.random() < 0.55 else "pc"
    c = Case3(r, num, fam)
    c.odd = r.choice([0.1, 0.3, 0.5])
    # about 40 % refusal-aimed, 60 % implicit/default-aimed; a second focus sometimes
    foci = []
    if r.random() < 0.42:
        foci.append(pick(r, REFUSE, fam))
    else:
        foci.append(pick(r, IMPLICIT, fam))
    if r.random() < 0.45:
        second = pick(r, IMPLICIT, fam)
        if second not in foci:
            foci.append(second)
    if foci[0] == "r_rootports":
        foci = foci[:1]
    for n in foci:
        getattr(c, n)()
    # background: some of make2's classes, then ordinary devices before/after
    if foci[0] != "r_rootports":
        if r.random() < 0.3:
            getattr(c, r.choice(["c_q35topo"] if c.q35 else ["c_pctopo"]))()
        if r.random() < 0.2 and not c.usb_off and "i_gfxfav" not in foci:
            c.c_graphics()
            c.devs.extend(getattr(c, "videos_late", []))
            c.videos_late = []
    n = c.nregular if c.nregular is not None else r.randint(3, 22)
    c.regular(n)
    # one vsock / watchdog / memballoon at most (libvirt refuses a second; not this round's subject)
    seen = set()
    keep = []
    for d in c.devs:
        k = next((t for t in ("<vsock", "<watchdog", "<memballoon") if d.startswith(t)), None)
        if k and k in seen:
            continue
        seen.add(k)
        keep.append(d)
    c.devs = keep
    if r.random() < 0.3:
        c.split = True
        c.tag("2dev")
    return c


# 171-182: root-port counts the random part missed (241; two expander buses with 253/254 ports),
# each with pcie-root written when the ports have no index (else the first port takes index 0).
FIXED_RP = [("241", True, False), ("241", False, True), ("250", True, False), ("pxb2-253", True, False),
            ("pxb2-253", False, True), ("pxb2-254", True, False), ("pxb2-254", False, True), ("pxb1-253", False, True),
            ("240", False, True), ("239+dev", True, True), ("idx255", False, False), ("pxb2-253", True, True)]


def make_fixed(r, num, k, indexed, root):
    c = Case3(r, num, "q35")
    c.odd = 0.1
    c.r_rootports(k, indexed, root)
    c.tag("idx" if indexed else "noidx")
    c.regular(c.nregular)
    return c


# 183-184: a SCSI host device without address after seven SCSI disks fill controller 0's units:
# its address (post-parse) lands on controller 1, which no disk implies.
def scsi_overflow(num, machine, nhost):
    out = ["<!-- corners-unseen round 3: unaddressed scsi hostdev(s) after sda..sdg fill scsi controller 0 -->",
           "<domain type='kvm'>", "  <name>cu3-%03d</name>" % num, "  <memory unit='MiB'>512</memory>",
           "  <os><type arch='x86_64' machine='%s'>hvm</type></os>" % machine, "  <devices>",
           "    <controller type='scsi' index='0' model='virtio-scsi'/>"]
    for l in "abcdefg":
        out.append("    <disk type='file' device='disk'><source file='/var/lib/libvirt/images/o%d-%s.img'/>"
                   "<target dev='sd%s' bus='scsi'/></disk>" % (num, l, l))
    for h in range(nhost):
        out.append("    <hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host%d'/>"
                   "<address bus='0' target='0' unit='%d'/></source></hostdev>" % (h, h + 1))
    out.append("    <interface type='network'><mac address='52:54:00:33:%02x:01'/><source network='default'/>"
               "<model type='virtio'/></interface>" % num)
    out += ["  </devices>", "</domain>"]
    return "\n".join(out) + "\n"


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 150
    r = random.Random(SEED)
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".in.xml") and "-virtinst-" not in f:   # 151-170 belong to virtinst3.sh
            os.remove(os.path.join(OUT, f))
    for num in range(1, count + 1):
        c = make(r, num)
        name = "%03d-%s-%s%s" % (num, c.machine, "-".join(t.replace("_", "") for t in c.focus) or "mix",
                                 "-2dev" if c.split else "")
        with open(os.path.join(OUT, name + ".in.xml"), "w") as fh:
            fh.write(c.xml())
    rf = random.Random(SEED + 1)
    for j, (k, indexed, root) in enumerate(FIXED_RP):
        num = 171 + j
        c = make_fixed(rf, num, k, indexed, root)
        name = "%03d-q35-manyrp-%s-%s" % (num, k.replace("+", "p"), "idx" if indexed else "noidx")
        with open(os.path.join(OUT, name + ".in.xml"), "w") as fh:
            fh.write(c.xml())
    for num, machine, nhost in ((183, "q35", 1), (184, "pc", 2)):
        with open(os.path.join(OUT, "%03d-%s-scsihd-overflow.in.xml" % (num, "q35" if machine == "q35" else "pc")), "w") as fh:
            fh.write(scsi_overflow(num, machine, nhost))
    print("wrote %d + %d + 2 inputs to %s" % (count, len(FIXED_RP), OUT))


if __name__ == "__main__":
    main()
