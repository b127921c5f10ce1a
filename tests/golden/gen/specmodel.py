"""specmodel: an executable reading of docs/placement-rules.md (NOT of libvirt).

It exists only to find where the document and real libvirt disagree: it
predicts, from an input domain XML, what the document says libvirt stores
(addresses, added controllers and their targets, or the define error), and
gen/compare-spec diffs that prediction against the oracle's output.

Every rule below cites the section of placement-rules.md it implements. Where
the document is silent, the choice is marked "GUESS" (mismatches there are
not contradictions of the document, only gaps).
"""

import xml.etree.ElementTree as ET


class DefineError(Exception):
    pass


# ---------------------------------------------------------------------------
# connection kinds
PCI, PCIE, PCIBR, RP, UP, DOWN, DMI, PXB, PXBE, P2P = (
    "PCI", "PCIE", "PCIBR", "RP", "UP", "DOWN", "DMI", "PXB", "PXBE", "P2P")
NEED_TEXT = {PCI: "standard PCI device", PCIE: "PCI Express device", PCIBR: "standard PCI device",
             RP: "pcie-root-port", UP: "pcie-switch-upstream-port", DOWN: "pcie-switch-downstream-port",
             DMI: "dmi-to-pci-bridge", PXB: "pci-expander-bus", PXBE: "pcie-expander-bus",
             P2P: "pcie-to-pci-bridge"}
CTRL_NEED = {"pci-bridge": PCIBR, "pcie-root-port": RP, "pcie-switch-upstream-port": UP,
             "pcie-switch-downstream-port": DOWN, "dmi-to-pci-bridge": DMI, "pci-expander-bus": PXB,
             "pcie-expander-bus": PXBE, "pcie-to-pci-bridge": P2P}
MODEL_NAME = {"pci-root": "none", "pcie-root": "none", "pci-bridge": "pci-bridge",
              "pcie-root-port": "pcie-root-port", "pcie-switch-upstream-port": "x3130-upstream",
              "pcie-switch-downstream-port": "xio3130-downstream", "dmi-to-pci-bridge": "i82801b11-bridge",
              "pci-expander-bus": "pxb", "pcie-expander-bus": "pxb-pcie", "pcie-to-pci-bridge": "pcie-pci-bridge"}

# §2.1 table: accepts (auto + manual), auto-place endpoints, slot range
BUSSPEC = {
    "pci-root": ({PCI, PCIBR, PXB}, True, 1, 31),
    "pcie-root": ({PCIE, PCI, RP, DMI, PXBE}, False, 1, 31),
    "pci-bridge": ({PCI, PCIBR}, True, 1, 31),
    "pci-expander-bus": ({PCI, PCIBR}, True, 0, 31),
    "pcie-expander-bus": ({RP, DMI}, False, 0, 31),
    "dmi-to-pci-bridge": ({PCIBR, PCI}, False, 0, 31),
    "pcie-to-pci-bridge": ({PCI, PCIBR}, True, 1, 31),
    "pcie-root-port": ({PCIE, UP, P2P}, True, 0, 0),
    "pcie-switch-upstream-port": ({DOWN}, False, 0, 31),
    "pcie-switch-downstream-port": ({PCIE, UP, P2P}, True, 0, 0),
}


class Bus:
    def __init__(self, idx, model, restricted=False):
        self.idx, self.model = idx, model
        acc, self.auto, self.minslot, self.maxslot = BUSSPEC[model]
        self.accepts = {P2P} if restricted else set(acc)
        self.slots = {}      # slot -> {fn: owner}
        self.aggr = set()    # aggregate slots (§5.4)

    def used(self, slot):
        return bool(self.slots.get(slot))


def fmt(bus, slot, fn, dom=0):
    return "%04x:%02x:%02x.%x" % (dom, bus, slot, fn)


class Dev:
    """One PCI-addressable thing (endpoint or controller)."""

    def __init__(self, key, tag, need, cat, addr=None, mf=None, el=None):
        self.key, self.tag, self.need, self.cat = key, tag, need, cat
        self.addr = addr          # (bus, slot, fn) or None
        self.manual = addr is not None
        self.mf = mf              # multifunction attribute from the XML
        self.el = el
        self.integrated = False
        self.model = None         # controller model
        self.index = None
        self.usb2 = None          # (usb index, function) for USB2 companion members
        self.fixed = None         # chipset rule name


def parse_addr(a):
    """§1: returns (bus, slot, fn, mf) or None for unset; raises on invalid values."""
    if a is None or a.get("type") != "pci":
        return None
    def num(k):
        v = a.get(k)
        return int(v, 0) if v is not None else 0
    dom, bus, slot, fn = num("domain"), num("bus"), num("slot"), num("function")
    if dom == 0 and bus == 0 and slot == 0:
        return None                                  # §1 unset rule / Q6
    if fn > 7:
        raise DefineError("XML error: Invalid PCI address function=0x%x, must be <= 7" % fn)
    if slot > 0x1f:
        raise DefineError("XML error: Invalid PCI address slot='0x%x', must be <= 0x1F" % slot)
    if dom != 0:
        raise DefineError("XML error: Invalid PCI address %s. Only PCI domain 0 is available" % fmt(bus, slot, fn, dom))
    return (bus, slot, fn, a.get("multifunction"))


def disk_index(name):
    s = name[2:]
    n = 0
    for ch in s:
        n = n * 26 + (ord(ch) - 96)
    return n - 1


class Model:
    def __init__(self, path, corrected=False):
        self.corrected = corrected
        self.root = ET.parse(path).getroot()
        mach = self.root.find("os/type").get("machine", "")
        self.q35 = "q35" in mach
        self.acpi = self.root.find("features/acpi") is not None
        self.numa_cells = len(self.root.findall("cpu/numa/cell"))

    # -----------------------------------------------------------------------
    def collect(self):
        q35 = self.q35
        devs = self.root.find("devices")
        ctrls = []   # list of dicts in controller-list order
        eps = []     # endpoints (Dev)
        counters = {}

        def ordkey(tag):
            counters[tag] = counters.get(tag, 0) + 1
            return (tag, counters[tag] - 1)

        def vclass(model):                           # §3 VIRTIO class
            if model == "virtio-transitional":
                return PCI
            return PCIE if q35 else PCI

        pcie = PCIE if q35 else PCI
        # controllers, in XML order, grouped by type, sorted by index (§5.1.1-2)
        xml_ctrls = []
        for el in devs.findall("controller"):
            idx = el.get("index")
            xml_ctrls.append(dict(type=el.get("type"), index=int(idx) if idx is not None else None,
                                  model=el.get("model"), el=el))
        # index assignment: lowest unused of the type, XML order (§5.1.1)
        for c in xml_ctrls:
            if c["index"] is None:
                used = {x["index"] for x in xml_ctrls if x["type"] == c["type"] and x["index"] is not None}
                i = 0
                while i in used:
                    i += 1
                c["index"] = i
        order = []
        for c in xml_ctrls:
            same = [i for i, x in enumerate(order) if x["type"] == c["type"]]
            if not same:
                order.append(c)
                continue
            pos = same[-1] + 1
            for i in same:
                if order[i]["index"] > c["index"]:
                    pos = i
                    break
            order.insert(pos, c)
        ctrls = order

        def has(t, idx=None):
            return any(c["type"] == t and (idx is None or c["index"] == idx) for c in ctrls)

        # implicit controllers (§4.2 end), appended
        disks = devs.findall("disk")
        if not has("usb"):
            ctrls.append(dict(type="usb", index=0, model="qemu-xhci" if q35 else "piix3-uhci", el=None))
        if q35 and not has("sata", 0):
            ctrls.append(dict(type="sata", index=0, model=None, el=None))
        if not has("pci", 0):
            ctrls.append(dict(type="pci", index=0, model="pcie-root" if q35 else "pci-root", el=None))
        for d in disks:
            b = d.find("target").get("bus")
            if b in ("ide", "sata", "scsi") and not has(b):
                ctrls.append(dict(type=b, index=0, model="lsilogic" if b == "scsi" else None, el=None))
        if devs.find("channel/target[@type='virtio']") is not None and not has("virtio-serial"):
            ctrls.append(dict(type="virtio-serial", index=0, model=None, el=None))

        # index-0 PCI controller checks (§9)
        for c in ctrls:
            if c["type"] != "pci":
                continue
            if c["model"] in ("pci-root", "pcie-root") and c["index"] != 0:
                raise DefineError("XML error: pci-root and pcie-root controllers should have index 0")
            if c["index"] == 0:
                want = "pcie-root" if q35 else "pci-root"
                if c["model"] != want:
                    raise DefineError("XML error: The PCI controller with index='0' must be model='%s' for this "
                                      "machine type, but model='%s' was found instead" % (want, c["model"]))
            if c["model"] == "pci-expander-bus" and q35:
                raise DefineError("unsupported configuration: pci-expander-bus controllers are only supported on "
                                  "440fx-based machinetypes")
            if c["model"] == "pcie-expander-bus" and not q35:
                raise DefineError("unsupported configuration: pcie-expander-bus controllers are not supported "
                                  "with this machine type")
            if c["model"] in ("pci-root", "pcie-root") and c["el"] is not None:
                t = c["el"].find("target")
                for k in (t.attrib if t is not None else {}):
                    if not (k == "hotplug" and c["model"] == "pci-root"):
                        raise DefineError("unsupported configuration: Option '%s' is not valid for PCI controller "
                                          "with index '0', model '%s' and modelName 'none'" % (k, c["model"]))
            node = c["el"].find("target/node") if c["el"] is not None else None
            if node is not None and int(node.text) >= self.numa_cells:
                raise DefineError("XML error: %s with index %d is configured for a NUMA node (%s) not present in "
                                  "the domain's <cpu><numa> array (%d)" % (c["model"], c["index"], node.text,
                                                                          self.numa_cells))
            if c["el"] is not None:
                t = c["el"].find("target")
                if t is not None:
                    for k in ("chassis", "port", "chassisNr", "busNr"):
                        v = t.get(k)
                        if v is not None and int(v, 0) < 0:
                            raise DefineError("XML error: Invalid value for attribute '%s' in element 'target': "
                                              "'%s'. Expected non-negative value" % (k, v))
        self.ctrls = ctrls
        self.max_idx = max(c["index"] for c in ctrls if c["type"] == "pci")

        # controllers as Devs
        cdevs = []
        for c in ctrls:
            el = c["el"]
            a = parse_addr(el.find("address")) if el is not None else None
            t, m = c["type"], c["model"]
            if t == "pci":
                if m in ("pci-root", "pcie-root"):
                    continue
                d = Dev(("controller", "pci", c["index"]), "controller", CTRL_NEED[m], 1,
                        a[:3] if a else None, a[3] if a else None, el)
            elif t == "usb":
                if m == "none":
                    continue
                if m is None:
                    m = "piix3-uhci"                 # observed default of an explicit model-less usb
                need = PCIE if m in ("qemu-xhci", "nec-xhci") and q35 else PCI
                d = Dev(("controller", "usb", c["index"], m), "controller", need, 5, a[:3] if a else None,
                        a[3] if a else None, el)
                if m.startswith("ich9-"):
                    d.usb2 = (c["index"], 7 if m == "ich9-ehci1" else int(m[-1]) - 1)
            elif t == "scsi":
                m = m or "lsilogic"
                need = vclass(m) if m in ("virtio-scsi", "virtio-transitional", "virtio-non-transitional") else PCI
                d = Dev(("controller", "scsi", c["index"]), "controller", need, 5, a[:3] if a else None,
                        a[3] if a else None, el)
            elif t == "virtio-serial":
                d = Dev(("controller", t, c["index"]), "controller", vclass(m), 5, a[:3] if a else None,
                        a[3] if a else None, el)
            elif t in ("sata", "ide"):
                d = Dev(("controller", t, c["index"]), "controller", PCI, 5, a[:3] if a else None,
                        a[3] if a else None, el)
                if t == "sata" and q35 and c["index"] == 0:
                    d.fixed = "sata0"
                if t == "ide" and not q35 and c["index"] == 0:
                    d.fixed = "ide0"
            else:
                continue
            if t == "usb" and not q35 and c["index"] == 0 and m == "piix3-uhci":
                d.fixed = "usb0"
            d.model, d.index = m, c["index"]
            cdevs.append(d)

        # endpoints
        prim_done = False
        videos = [v for v in devs.findall("video")]
        prim = [v for v in videos if v.find("model").get("primary") == "yes"]
        if prim:
            videos.remove(prim[0])
            videos.insert(0, prim[0])
        vdisks = [d for d in disks if d.find("target").get("bus") == "virtio"]
        vdisks.sort(key=lambda d: disk_index(d.find("target").get("dev")))
        hostdevs = []
        for el in devs:
            tag = el.tag
            a = None
            if tag in ("interface", "hostdev", "filesystem", "sound", "watchdog", "memballoon", "rng",
                       "input", "shmem", "serial", "iommu", "vsock", "memory"):
                a = parse_addr(el.find("address"))
            key = None
            if tag == "interface":
                mac = el.find("mac").get("address")
                if el.get("type") == "hostdev":
                    d = Dev(("interface", mac), tag, pcie, 7, a[:3] if a else None, a[3] if a else None, el)
                    hostdevs.append(d)
                    continue
                m = el.find("model")
                model = m.get("type") if m is not None else "rtl8139"
                need = {"virtio": vclass("virtio"), "virtio-non-transitional": vclass("x"),
                        "virtio-transitional": PCI, "e1000e": pcie}.get(model, PCI)
                d = Dev(("interface", mac), tag, need, 3, a[:3] if a else None, a[3] if a else None, el)
            elif tag == "hostdev":
                t = el.get("type")
                if t == "scsi_host":
                    need = vclass(el.get("model"))
                else:
                    need = pcie
                d = Dev(None, tag, need, 7, a[:3] if a else None, a[3] if a else None, el)
                hostdevs.append(d)
                continue
            elif tag == "filesystem":
                d = Dev(None, tag, vclass(el.get("model")), 2, a[:3] if a else None, a[3] if a else None, el)
            elif tag == "sound":
                if el.get("model") in ("sb16", "pcspk", "usb"):
                    continue
                d = Dev(None, tag, PCI, 4, a[:3] if a else None, a[3] if a else None, el)
                d.model = el.get("model")
            elif tag == "watchdog":
                if el.get("model") != "i6300esb":
                    continue
                d = Dev(None, tag, PCI, 10, a[:3] if a else None, a[3] if a else None, el)
            elif tag == "memballoon":
                if el.get("model") == "none":
                    continue
                d = Dev(None, tag, vclass(el.get("model")), 8, a[:3] if a else None, a[3] if a else None, el)
            elif tag == "rng":
                d = Dev(None, tag, vclass(el.get("model")), 9, a[:3] if a else None, a[3] if a else None, el)
            elif tag == "input":
                if el.get("bus") != "virtio":
                    continue
                d = Dev(None, tag, vclass(el.get("model")), 13, a[:3] if a else None, a[3] if a else None, el)
            elif tag == "shmem":
                d = Dev(None, tag, PCI, 12, a[:3] if a else None, a[3] if a else None, el)
            elif tag == "serial":
                t = el.find("target")
                if t is None or t.get("type") != "pci-serial":
                    continue
                d = Dev(None, tag, PCI, 14, a[:3] if a else None, a[3] if a else None, el)
            elif tag == "iommu":
                if el.get("model") != "virtio":
                    continue
                d = Dev(None, tag, vclass(None), 15, a[:3] if a else None, a[3] if a else None, el)
                d.integrated = True
            elif tag == "vsock":
                d = Dev(None, tag, vclass(el.get("model")), 16, a[:3] if a else None, a[3] if a else None, el)
            elif tag == "memory":
                if el.get("model") not in ("virtio-pmem", "virtio-mem"):
                    continue
                d = Dev(None, tag, vclass(None), 17, a[:3] if a else None, a[3] if a else None, el)
            else:
                continue
            eps.append(d)
        # implicit balloon
        if devs.find("memballoon") is None:
            eps.append(Dev(None, "memballoon", vclass(None), 8))
        # videos
        for i, el in enumerate(videos):
            m = el.find("model").get("type")
            if m in ("none", "ramfb"):
                continue
            a = parse_addr(el.find("address"))
            need = {"virtio": vclass(None), "bochs": pcie}.get(m, PCI)
            d = Dev(None, "video", need, 11, a[:3] if a else None, a[3] if a else None, el)
            if i == 0:
                d.fixed = "video"
            eps.append(d)
        for el in vdisks:
            a = parse_addr(el.find("address"))
            d = Dev(("disk", el.find("target").get("dev")), "disk", vclass(el.get("model")), 6,
                    a[:3] if a else None, a[3] if a else None, el)
            eps.append(d)
        eps.extend(hostdevs)
        for el_d in eps:
            if el_d.tag == "sound" and el_d.model == "ich9" and q35:
                el_d.fixed = "ich9"
                break
        # keys by ordinal (output order = XML order, videos primary first)
        for d in eps:
            if d.key is None:
                d.key = ordkey(d.tag)
        self.cdevs, self.eps = cdevs, eps
        for d in cdevs:
            if d.tag == "controller" and d.key[1] == "pci":
                pass

    # -----------------------------------------------------------------------
    def make_buses(self, nbuses, models):
        buses = []
        for i in range(nbuses):
            if i == 0:
                buses.append(Bus(0, "pcie-root" if self.q35 else "pci-root"))
            else:
                buses.append(Bus(i, models.get(i, "pcie-root-port" if self.q35 else "pci-bridge")))
        return buses

    def reserve(self, buses, bus, slot, fn, owner, manual, rootport=False):
        b = buses[bus]
        fns = b.slots.setdefault(slot, {})
        if fn in fns:
            raise DefineError(("XML error: " if manual else "internal error: ") +
                              "Attempted double use of PCI Address %s" % fmt(bus, slot, fn))
        if not fns and rootport:
            b.aggr.add(slot)
        fns[fn] = owner

    def find(self, buses, need, integrated=False, rootport=False):
        for b in buses:
            if need not in b.accepts:
                continue
            if integrated and b.idx != 0:
                continue
            if need in (PCI, PCIE) and not b.auto and not (integrated and b.idx == 0):
                continue
            for s in range(b.minslot, b.maxslot + 1):
                if not b.used(s):
                    return (b.idx, s, 0)
                if rootport and s in b.aggr:
                    for f in range(8):
                        if f not in b.slots[s]:
                            return (b.idx, s, f)
        return None

    def check_manual(self, buses, d, dry):
        bus, slot, fn = d.addr
        b = buses[bus]
        if slot < b.minslot:
            raise DefineError("XML error: Invalid PCI address %s. slot must be >= %d" % (fmt(bus, slot, fn), b.minslot))
        if slot > b.maxslot:
            raise DefineError("XML error: Invalid PCI address %s. slot must be <= %d" % (fmt(bus, slot, fn), b.maxslot))
        ok = d.need in b.accepts or (d.need in (PCI, PCIE, PCIBR) and (b.accepts & {PCI, PCIE}))
        if not ok and not (dry and b.accepts == {P2P}):
            raise DefineError("XML error: The device at PCI address %s cannot be plugged into the PCI controller "
                              "with index='%d'. It requires a controller that accepts a %s."
                              % (fmt(bus, slot, fn), bus, NEED_TEXT[d.need]))

    def grow(self, buses, need, upto=None, what=None):
        """§5.5. Returns the address for the device on the new bus."""
        q35 = self.q35
        if need in (PCIE, UP):
            target = upto if upto is not None else len(buses)
            while len(buses) <= target:
                buses.append(Bus(len(buses), "pcie-root-port"))
            b = buses[-1] if upto is None else buses[upto]
            return (b.idx, 0, 0)
        if need == PCI:
            new_p2p = None
            if q35 and not any(PCIBR in b.accepts for b in buses):
                buses.append(Bus(len(buses), "pcie-root-port", restricted=True))
                new_p2p = Bus(len(buses), "pcie-to-pci-bridge")
                buses.append(new_p2p)
                # the pcie-to-pci-bridge "device" itself is seated later (controller loop)
            if upto is None:
                if new_p2p is not None:
                    return (new_p2p.idx, 1, 0)
                buses.append(Bus(len(buses), "pci-bridge"))
                return (buses[-1].idx, 1, 0)
            while len(buses) <= upto:
                buses.append(Bus(len(buses), "pci-bridge"))
            return (upto, 1, 0)
        if need == P2P:
            raise DefineError("internal error: Cannot automatically add a new PCI bus for a device with connect "
                              "flags 2000")
        model = {v: k for k, v in CTRL_NEED.items()}[need]
        raise DefineError("internal error: a PCI slot is needed to connect a PCI controller model='%s', but none "
                          "is available, and it cannot be automatically added" % model)

    # -----------------------------------------------------------------------
    def run_pass(self, dry, ctrl_models, nbuses):
        q35 = self.q35
        buses = self.make_buses(nbuses, ctrl_models)
        alldevs = self.cdevs + self.eps
        # reserve manual addresses (§5.3)
        for d in alldevs:
            if d.manual:
                bus, slot, fn = d.addr
                if bus >= len(buses):
                    if not dry:
                        raise DefineError("internal error: bus %d missing in pass B" % bus)
                    need = d.need if d.need in (PCI, PCIE, UP) else None
                    if need is None and d.need == PCIBR:
                        need = PCI
                    if need is None:
                        raise DefineError("GUESS: manual address of a controller on a missing bus")
                    self.grow(buses, need, upto=bus)
                self.check_manual(buses, d, dry)
                self.reserve(buses, bus, slot, fn, d, True, rootport=(d.need == RP))
        addr = {}
        for d in alldevs:
            if d.manual:
                addr[id(d)] = d.addr

        # chipset (§4)
        def free_slot(slot):
            return not buses[0].used(slot)
        if not q35:
            for fn, name in ((0, "isa"), (3, "pm")):
                self.reserve(buses, 0, 1, fn, name, True)
        else:
            for fn in (0, 3):
                self.reserve(buses, 0, 0x1f, fn, "lpc", True)
        for d in alldevs:
            if d.fixed in ("sata0", "ide0", "usb0"):
                want = {"sata0": (0, 0x1f, 2), "ide0": (0, 1, 1), "usb0": (0, 1, 2)}[d.fixed]
                if d.manual:
                    if d.addr != want:
                        raise DefineError({"sata0": "internal error: Primary SATA controller must have PCI address 0:0:1f.2",
                                           "ide0": "internal error: Primary IDE controller must have PCI address 0:0:1.1",
                                           "usb0": "internal error: PIIX3 USB controller at index 0 must have PCI address 0:0:1.2"}[d.fixed])
                    continue
                self.reserve(buses, *want, d, True)
                addr[id(d)] = want
        for d in alldevs:
            if d.fixed == "video" and not d.manual:
                s = 1 if q35 else 2
                if free_slot(s):
                    self.reserve(buses, 0, s, 0, d, False)
                    addr[id(d)] = (0, s, 0)
                elif self.corrected:
                    # OBSERVED (not in the document): the primary video is placed at once by
                    # first fit of its class, before every other automatic placement; in pass A
                    # the address is not kept, so the video is placed a second time in
                    # category 11 (counted twice when pass A sizes the buses).
                    a = self.find(buses, d.need)
                    if a is None:
                        if not dry:
                            raise DefineError("internal error: No more available PCI slots")
                        a = self.grow(buses, d.need)
                    self.reserve(buses, *a, d, False)
                    if not dry:
                        addr[id(d)] = a
        if q35:
            for d in alldevs:
                if d.fixed == "ich9" and not d.manual and free_slot(0x1b):
                    self.reserve(buses, 0, 0x1b, 0, d, False)
                    addr[id(d)] = (0, 0x1b, 0)
            # USB2 sets: 1d then 1a (§4.2)
            sets = {}
            for d in alldevs:
                if d.usb2 and not d.manual:
                    sets.setdefault(d.usb2[0], []).append(d)
            for idx, members in sets.items():
                # §4.2 table: "first ich9-uhci1 USB set" - a set without uhci1 is not a set here
                if not any(d.usb2[1] == 0 for d in members):
                    continue
                for s in (0x1d, 0x1a):
                    if free_slot(s):
                        for d in members:
                            self.reserve(buses, 0, s, d.usb2[1], d, False)
                            addr[id(d)] = (0, s, d.usb2[1])
                        break
            for d in alldevs:
                if d.need == DMI and not d.manual and free_slot(0x1e):
                    self.reserve(buses, 0, 0x1e, 0, d, False)
                    addr[id(d)] = (0, 0x1e, 0)
                    break
        # phantom on pc (§7.2)
        if dry and not q35:
            full = all(all(b.used(s) for s in range(b.minslot, b.maxslot + 1)) for b in buses)
            if not full:
                a = self.find(buses, PCI)
                if a is None:
                    a = self.grow(buses, PCI)
                self.reserve(buses, *a, "phantom", False)

        # category order (§6); controllers in list order first
        todo = [d for d in alldevs if id(d) not in addr]
        todo.sort(key=lambda d: d.cat)            # stable: list order inside a category
        usb2_slot = {}
        for d in todo:
            if d.usb2:
                idx, fn = d.usb2
                if idx in usb2_slot:
                    b, s = usb2_slot[idx]
                    self.reserve(buses, b, s, fn, d, False)
                    addr[id(d)] = (b, s, fn)
                    continue
            a = self.find(buses, d.need, d.integrated, rootport=(d.need == RP))
            if a is None:
                if not dry:
                    raise DefineError("internal error: No more available PCI slots")
                if d.need in (PCI, PCIE, UP):
                    a = self.grow(buses, d.need)
                else:
                    self.grow(buses, d.need)
            if d.usb2:
                a = (a[0], a[1], d.usb2[1])
                usb2_slot[d.usb2[0]] = (a[0], a[1])
            self.reserve(buses, *a, d, False, rootport=(d.need == RP))
            addr[id(d)] = a

        if dry:
            # q35 spare port (§7.1)
            if q35 and self.max_idx <= 0 and len(buses) > 1:
                a = self.find(buses, PCIE)
                if a is None:
                    a = self.grow(buses, PCIE)
                self.reserve(buses, *a, "spare", False)
            # controllers for new buses (§5.3 last pass-A step)
            added = []
            i = 1
            while i < len(buses):
                if i not in ctrl_models:
                    m = buses[i].model
                    added.append((i, m))
                    ctrl_models[i] = m
                    d = Dev(None, "controller", CTRL_NEED[m], 1)
                    a = self.find(buses, d.need, rootport=(m == "pcie-root-port"))
                    if a is None:
                        self.grow(buses, d.need)
                    self.reserve(buses, *a, d, False, rootport=(m == "pcie-root-port"))
                i += 1
            return added, len(buses)
        return buses, addr

    # -----------------------------------------------------------------------
    def predict(self):
        self.collect()
        ctrl_models = {c["index"]: c["model"] for c in self.ctrls if c["type"] == "pci" and c["index"] > 0}
        nb = self.max_idx + 1
        cm = dict(ctrl_models)
        added, nb2 = self.run_pass(True, cm, nb)
        # append auto-added controllers (§5.7), in index order
        for idx, m in sorted(added):
            d = Dev(("controller", "pci", idx), "controller", CTRL_NEED[m], 1)
            d.model, d.index = m, idx
            self.cdevs.append(d)
        buses, addr = self.run_pass(False, cm, nb2)
        # fill targets (§2.3), multifunction (§11), bridge check (§9)
        result = {}
        slotcount = {}
        for d in self.cdevs + self.eps:
            a = addr[id(d)]
            slotcount.setdefault(a[:2], set()).add(a[2])
        lowest_busnr = [None]
        for c in self.ctrls:
            if c["type"] == "pci" and c["el"] is not None:
                t = c["el"].find("target")
                if t is not None and t.get("busNr") is not None:
                    v = int(t.get("busNr"), 0)
                    lowest_busnr[0] = v if lowest_busnr[0] is None else min(lowest_busnr[0], v)
        for d in self.cdevs + self.eps:
            a = addr[id(d)]
            mf = d.mf
            if a[2] == 0 and len(slotcount[a[:2]]) > 1 and mf != "off":
                mf = "on"
            info = {"addr": "%02x:%02x.%x" % a + (" mf=%s" % mf if mf else "")}
            if d.tag == "controller" and d.key[1] == "pci":
                m = d.model
                t = d.el.find("target") if d.el is not None else None
                tg = dict(t.attrib) if t is not None else {}
                if m == "pcie-root-port":
                    tg.setdefault("chassis", str(d.index))
                    tg.setdefault("port", hex(a[1] * 8 + a[2]))
                elif m == "pcie-switch-downstream-port":
                    tg.setdefault("chassis", str(d.index))
                    tg.setdefault("port", hex(a[1]))
                elif m == "pci-bridge":
                    tg.setdefault("chassisNr", str(d.index))
                    if d.index <= a[0]:
                        raise DefineError("unsupported configuration: PCI controller at index %d (0x%02x) has "
                                          "bus='0x%02x', but index must be larger than bus" % (d.index, d.index, a[0]))
                elif m in ("pci-expander-bus", "pcie-expander-bus"):
                    if "busNr" not in tg:
                        base = 256 if lowest_busnr[0] is None else lowest_busnr[0]
                        if base <= 2:
                            raise DefineError("unsupported configuration: No free busNr lower than current lowest "
                                              "busNr is available to auto-assign to bus 0. Must be manually assigned")
                        tg["busNr"] = str(base - 2)
                        lowest_busnr[0] = base - 2
                info["model"] = m
                mn = d.el.find("model") if d.el is not None else None
                info["name"] = mn.get("name") if mn is not None else MODEL_NAME[m]
                info["target"] = {k: v for k, v in tg.items() if k in ("chassis", "port", "chassisNr", "busNr",
                                                                       "hotplug")}
                self.validate_options(d, tg)
            result[d.key] = info
        return result

    def validate_options(self, d, tg):
        allowed = {"hotplug": ("pci-root", "pcie-root-port", "pcie-switch-downstream-port"),
                   "chassisNr": ("pci-bridge",), "chassis": ("pcie-root-port", "pcie-switch-downstream-port"),
                   "port": ("pcie-root-port", "pcie-switch-downstream-port"),
                   "busNr": ("pci-expander-bus", "pcie-expander-bus")}
        for k, v in tg.items():
            if k in allowed and d.model not in allowed[k]:
                raise DefineError("unsupported configuration: Option '%s' is not valid for PCI controller with index "
                                  "'%d', model '%s' and modelName '%s'" % (k, d.index, d.model, MODEL_NAME[d.model]))
        rng = {"chassisNr": (1, 255), "chassis": (0, 255), "port": (0, 255), "busNr": (1, 254)}
        for k, (lo, hi) in rng.items():
            if k in tg:
                v = int(tg[k], 0)
                if not lo <= v <= hi:
                    raise DefineError("unsupported configuration: PCI controller %s '%d' out of range - must be "
                                      "%d-%d" % (k, v, lo, hi))


def predict(path, corrected=False):
    """corrected=True adds the behaviour observed in the golden cases that the
    document does not describe (see README.md, "Contradictions")."""
    try:
        return Model(path, corrected).predict()
    except DefineError as e:
        return {"error": str(e)}


def observed(inpath, outpath):
    """Parse the oracle output into the same key -> info shape."""
    root = ET.parse(outpath).getroot()
    res = {}
    counters = {}
    for el in root.find("devices"):
        a = el.find("address")
        if a is None or a.get("type") != "pci":
            continue
        tag = el.tag
        if tag == "interface":
            key = ("interface", el.find("mac").get("address"))
        elif tag == "disk":
            key = ("disk", el.find("target").get("dev"))
        elif tag == "controller":
            key = ("controller", el.get("type"), int(el.get("index")))
            if el.get("type") == "usb":
                key += (el.get("model"),)
        else:
            counters[tag] = counters.get(tag, 0) + 1
            key = (tag, counters[tag] - 1)
        mf = a.get("multifunction")
        info = {"addr": "%02x:%02x.%x" % (int(a.get("bus"), 16), int(a.get("slot"), 16), int(a.get("function"), 16))
                + (" mf=%s" % mf if mf else "")}
        if tag == "controller" and el.get("type") == "pci":
            info["model"] = el.get("model")
            mn = el.find("model")
            info["name"] = mn.get("name") if mn is not None else None
            t = el.find("target")
            info["target"] = {k: v for k, v in (t.attrib.items() if t is not None else [])
                              if k in ("chassis", "port", "chassisNr", "busNr", "hotplug")}
        res[key] = info
    return res
