#!/usr/bin/env python3
"""Part 2 of the second round: 30 domains (q35 and pc, 20-120 devices, no addresses) for
pcitopo's own policies; run.sh places them with pcitopo and asks the oracle."""
import os, random
r = random.Random(20261207)
HERE = os.path.dirname(os.path.abspath(__file__))
os.makedirs(os.path.join(HERE, "in"), exist_ok=True)
for num in range(1, 31):
    m = "q35" if num % 3 else "pc"
    n = r.randint(20, 120)
    devs = []
    once = set()
    for j in range(n):
        k = r.choice(["vdisk"] * 4 + ["nic"] * 4 + ["rng", "hostpci", "fs9p", "vinput", "watchdog", "sound", "balloon",
                      "vscsi", "vserial", "usbctl", "e1000", "serialpci"])
        if k in ("watchdog", "sound", "balloon") and k in once:
            k = "nic"
        once.add(k)
        if k == "vdisk":
            devs.append("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/i/p%d-%d.qcow2'/><target dev='vd%s%s' bus='virtio'/></disk>" % (num, j, "abcdefghijklmnopqrstuvwxyz"[j // 26], "abcdefghijklmnopqrstuvwxyz"[j % 26]))
        elif k in ("nic", "e1000"):
            mo = "e1000" if k == "e1000" else r.choice(["virtio", "virtio", "e1000e", "rtl8139"])
            devs.append("<interface type='network'><mac address='52:54:00:99:%02x:%02x'/><source network='default'/><model type='%s'/></interface>" % (num, j, mo))
        elif k == "rng":
            devs.append("<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>")
        elif k == "hostpci":
            devs.append("<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x%02x' slot='0x%02x' function='0x0'/></source></hostdev>" % (0x20 + j // 32, j % 32))
        elif k == "fs9p":
            devs.append("<filesystem type='mount' accessmode='mapped'><source dir='/srv/s%d'/><target dir='s%d'/></filesystem>" % (j, j))
        elif k == "vinput":
            devs.append("<input type='tablet' bus='virtio'/>")
        elif k == "watchdog":
            devs.append("<watchdog model='i6300esb' action='reset'/>")
        elif k == "sound":
            devs.append("<sound model='%s'/>" % r.choice(["ich9", "ich6", "ac97"]))
        elif k == "balloon":
            devs.append("<memballoon model='virtio'/>")
        elif k == "vscsi":
            devs.append("<controller type='scsi' model='virtio-scsi'/>")
        elif k == "vserial":
            devs.append("<controller type='virtio-serial'/>")
        elif k == "usbctl":
            devs.append("<controller type='usb' model='qemu-xhci'/>" if "usbctl" not in once or True else "")
            once.add("usbctl")
        elif k == "serialpci":
            devs.append("<serial type='pty'><target type='pci-serial'><model name='pci-serial'/></target></serial>")
    # only one usb controller without index is fine (each gets the next index)
    x = ["<domain type='kvm'>", "  <name>pol-%03d</name>" % num, "  <memory unit='MiB'>1024</memory>",
         "  <os><type arch='x86_64' machine='%s'>hvm</type></os>" % m, "  <devices>"]
    x += ["    " + d for d in devs] + ["  </devices>", "</domain>"]
    open(os.path.join(HERE, "in", "%03d-%s-%d.in.xml" % (num, m, n)), "w").write("\n".join(x) + "\n")
