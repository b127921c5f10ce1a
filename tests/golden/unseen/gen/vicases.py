"""virt-install domains for the unseen placement cases (151-170).

Each input is the stdout of
    virt-install --connect qemu:///system --print-xml --dry-run --noautoconsole --name NAME ARGS
(virt-install 4.1.0, osinfo-db 0.20221130, Debian 12) with the disk directory rewritten to
/var/lib/libvirt/images/ and a first-line comment giving the command. MAC addresses and UUIDs
are chosen by virt-install at random, so re-making these inputs changes them (nothing else).
virt-install creates (and starts) a storage pool for the disk directory even with --dry-run;
make() removes that pool again.
"""

import os
import subprocess
import sys

WORK = "/tmp/pcitopo-unseen-vi"
POOL = os.path.basename(WORK)
VI = ["virt-install", "--connect", "qemu:///system", "--print-xml", "--dry-run", "--noautoconsole"]


def D(name, size=8, **kw):
    extra = "".join(",%s=%s" % (k, v) for k, v in kw.items())
    return "--disk", "size=%d,path=%s/%s.qcow2%s" % (size, WORK, name, extra)


def hostdev(i, bus, slot, fn, gaddr=None):
    p = "./devices/hostdev[%d]" % i
    args = ["--xml", p + "/@mode=subsystem", "--xml", p + "/@type=pci", "--xml", p + "/@managed=yes",
            "--xml", p + "/source/address/@domain=0x0000", "--xml", p + "/source/address/@bus=0x%02x" % bus,
            "--xml", p + "/source/address/@slot=0x%02x" % slot, "--xml", p + "/source/address/@function=0x%x" % fn]
    if gaddr:
        b, s, f = gaddr
        args += ["--xml", p + "/address/@type=pci", "--xml", p + "/address/@bus=0x%02x" % b,
                 "--xml", p + "/address/@slot=0x%02x" % s, "--xml", p + "/address/@function=0x%x" % f]
    return args


CASES = [
    (151, "vi-winxp-pc", ["--osinfo", "winxp", "--memory", "512", *D("winxp"), "--import",
                          "--network", "network=default", "--graphics", "vnc", "--sound", "ac97"]),
    (152, "vi-win7-q35-sata", ["--osinfo", "win7", "--memory", "2048", *D("win7", bus="sata"),
                               *D("win7-b", 2, bus="sata"), "--import", "--network", "network=default",
                               "--graphics", "spice", "--video", "qxl", "--sound", "ich6", "--tpm", "none"]),
    (153, "vi-win2k19-q35-8sata", ["--osinfo", "win2k19", "--memory", "4096"]
     + sum((list(D("w19-%d" % i, 4, bus="sata")) for i in range(8)), [])
     + ["--import", "--network", "network=default,model=e1000e", "--graphics", "vnc", "--video", "vga",
        "--tpm", "none"]),
    (154, "vi-ubuntu2004-spice", ["--osinfo", "ubuntu20.04", "--memory", "2048", *D("u2004"), "--import",
                                  "--network", "network=default", "--network", "bridge=br0",
                                  "--graphics", "spice", "--channel", "spicevmc", "--redirdev", "usb,type=spicevmc",
                                  "--redirdev", "usb,type=spicevmc", "--sound", "ich9"]),
    (155, "vi-fedora36-scsi-hostdev", ["--osinfo", "fedora36", "--memory", "2048",
                                       "--controller", "type=scsi,model=virtio-scsi", *D("f36"),
                                       *D("f36-s1", 2, bus="scsi"), *D("f36-s2", 2, bus="scsi"),
                                       *D("f36-s3", 2, bus="scsi"), "--import", "--network", "network=default",
                                       "--graphics", "none"] + hostdev(1, 0x81, 0, 0) + hostdev(2, 0x82, 3, 1)),
    (156, "vi-centos7-pc-disks", ["--osinfo", "centos7.0", "--machine", "pc", "--memory", "2048",
                                  *D("c7-a"), *D("c7-b", 2), *D("c7-c", 2), *D("c7-d", 2, bus="scsi"),
                                  "--import", "--network", "network=default", "--network", "network=default,model=rtl8139",
                                  "--graphics", "vnc", "--video", "cirrus", "--rng", "/dev/urandom"]),
    (157, "vi-debian10-agent", ["--osinfo", "debian10", "--memory", "1024", *D("deb10"), "--import",
                                "--network", "network=default", "--graphics", "none",
                                "--channel", "unix,target.type=virtio,name=org.qemu.guest_agent.0",
                                "--rng", "/dev/urandom", "--memballoon", "virtio", "--watchdog", "i6300esb",
                                "--console", "pty,target_type=virtio"]),
    (158, "vi-opensuse153-misc", ["--osinfo", "opensuse15.3", "--memory", "2048", *D("os153"), "--import",
                                  "--network", "network=default", "--graphics", "vnc", "--video", "virtio",
                                  "--sound", "ich9", "--input", "tablet,bus=virtio", "--input", "keyboard,bus=virtio",
                                  "--filesystem", "/srv/a,a,accessmode=mapped", "--filesystem", "/srv/b,b,accessmode=mapped",
                                  "--controller", "usb3"]),
    (159, "vi-freebsd12-pc-sata", ["--osinfo", "freebsd12.3", "--machine", "pc", "--memory", "1024",
                                   *D("fb12-a", bus="sata"), *D("fb12-b", 2, bus="sata"), "--import",
                                   "--network", "network=default,model=e1000", "--network", "network=default,model=e1000",
                                   "--network", "network=default,model=e1000", "--graphics", "vnc", "--video", "vga"]),
    (160, "vi-alpine316-usb2", ["--osinfo", "alpinelinux3.16", "--memory", "512", *D("alp316"), "--import",
                                "--controller", "usb2", "--controller", "usb2", "--controller", "usb2",
                                "--network", "network=default", "--graphics", "vnc"]),
    (161, "vi-rhel86-rootports", ["--osinfo", "rhel8.6", "--memory", "2048", *D("r86"), "--import",
                                  "--controller", "type=pci,model=pcie-root-port",
                                  "--controller", "type=pci,model=pcie-root-port",
                                  "--controller", "type=pci,model=pcie-to-pci-bridge,address.type=pci,address.bus=1,address.slot=0",
                                  "--network", "network=default,model=e1000", "--network", "network=default",
                                  "--graphics", "vnc"]),
    (162, "vi-win10-pc-usb2", ["--osinfo", "win10", "--machine", "pc-i440fx-7.2", "--memory", "4096",
                               *D("w10pc", bus="sata"), "--import", "--network", "network=default,model=e1000e",
                               "--graphics", "spice", "--video", "qxl", "--sound", "ich9", "--controller", "usb2",
                               "--channel", "spicevmc"]),
    (163, "vi-generic-q35-many-nics", ["--osinfo", "generic", "--machine", "q35", "--memory", "1024",
                                       "--disk", "none", "--import", "--graphics", "none"]
     + sum((["--network", "network=default,model=%s" % m] for m in
            ["virtio", "e1000", "e1000e", "rtl8139", "virtio", "e1000", "virtio", "e1000e", "rtl8139", "virtio"]),
           [])),
    (164, "vi-archlinux-iommu", ["--osinfo", "archlinux", "--memory", "2048", *D("arch"), "--import",
                                 "--network", "network=default", "--graphics", "vnc", "--iommu", "model=virtio",
                                 "--features", "ioapic.driver=qemu", "--vsock", "cid.auto=yes",
                                 "--shmem", "name=shm0,model.type=ivshmem-plain,size=4,size.unit=M"]),
    (165, "vi-ubuntu1804-pc-hostdev-manual", ["--osinfo", "ubuntu18.04", "--machine", "pc", "--memory", "2048",
                                              *D("u1804"), "--import", "--network", "network=default",
                                              "--controller", "type=pci,model=pci-bridge,index=1",
                                              "--graphics", "vnc"]
     + hostdev(1, 0xa0, 0, 0, (1, 5, 0)) + hostdev(2, 0xa0, 0, 1, (1, 5, 1)) + hostdev(3, 0xa1, 0, 0)),
    (166, "vi-netbsd9-pc-ide", ["--osinfo", "netbsd9.0", "--machine", "pc", "--memory", "512",
                                *D("nb9", bus="ide"), "--disk", "device=cdrom,bus=ide", "--import",
                                "--network", "network=default,model=rtl8139", "--graphics", "vnc",
                                "--video", "cirrus", "--sound", "es1370"]),
    (167, "vi-msdos622-pc", ["--osinfo", "msdos6.22", "--memory", "64", *D("dos", 1), "--import",
                             "--network", "network=default", "--graphics", "vnc"]),
    (168, "vi-almalinux9-pxb-numa", ["--osinfo", "almalinux9", "--memory", "4096", "--vcpus", "4",
                                     "--cpu", "qemu64,numa.cell0.id=0,numa.cell0.cpus=0-1,numa.cell0.memory=2097152,"
                                     "numa.cell1.id=1,numa.cell1.cpus=2-3,numa.cell1.memory=2097152",
                                     *D("alma9"), "--import",
                                     "--controller", "type=pci,model=pcie-expander-bus,target.node=1",
                                     "--controller", "type=pci,model=pcie-root-port,address.type=pci,address.bus=1,address.slot=0",
                                     "--controller", "type=pci,model=pcie-root-port,address.type=pci,address.bus=1,address.slot=1",
                                     "--network", "network=default", "--network", "network=default,model=e1000",
                                     "--graphics", "vnc"]),
    # 161 and 168 again with index= on the controllers (without it, libvirt numbers the first one 0)
    (169, "vi-rhel86-rootports-indexed", ["--osinfo", "rhel8.6", "--memory", "2048", *D("r86i"), "--import",
                                          "--controller", "type=pci,model=pcie-root-port,index=1",
                                          "--controller", "type=pci,model=pcie-root-port,index=2",
                                          "--controller", "type=pci,model=pcie-to-pci-bridge,index=3,address.type=pci,address.bus=1,address.slot=0",
                                          "--network", "network=default,model=e1000", "--network", "network=default",
                                          "--graphics", "vnc"]),
    (170, "vi-almalinux9-pxb-numa-indexed", ["--osinfo", "almalinux9", "--memory", "4096", "--vcpus", "4",
                                             "--cpu", "qemu64,numa.cell0.id=0,numa.cell0.cpus=0-1,numa.cell0.memory=2097152,"
                                             "numa.cell1.id=1,numa.cell1.cpus=2-3,numa.cell1.memory=2097152",
                                             *D("alma9i"), "--import",
                                             "--controller", "type=pci,model=pcie-expander-bus,index=1,target.node=1",
                                             "--controller", "type=pci,model=pcie-root-port,index=2,address.type=pci,address.bus=1,address.slot=0",
                                             "--controller", "type=pci,model=pcie-root-port,index=3,address.type=pci,address.bus=1,address.slot=1",
                                             "--network", "network=default", "--network", "network=default,model=e1000",
                                             "--graphics", "vnc"]),
]


def make(out, only=None):
    import re
    os.makedirs(WORK, exist_ok=True)
    for num, name, args in CASES:
        stem = "%03d-%s" % (num, name)
        if only and not re.search(only, stem):
            continue
        cmd = VI + ["--name", name] + args
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
        if p.returncode != 0:
            print("virt-install failed for %s: %s" % (stem, p.stderr.strip()[-300:]), file=sys.stderr)
            continue
        text = p.stdout.replace(WORK + "/", "/var/lib/libvirt/images/")
        shown = " ".join(("'%s'" % a) if (" " in a or "[" in a) else a for a in cmd).replace(WORK + "/", "$WORK/")
        head = "<!-- pcitopo unseen case %03d: %s. Made by tests/golden/unseen/gen/make-unseen (option virt-install; each - - below stands for two dashes): %s -->\n" % (
            num, name, shown.replace("--", "- -"))
        with open(os.path.join(out, stem + ".in.xml"), "w") as f:
            f.write(head + text)
        print("virt-install: %s" % stem, file=sys.stderr)
    if subprocess.run(["virsh", "-q", "-c", "qemu:///system", "pool-info", POOL],
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
        subprocess.run(["virsh", "-q", "-c", "qemu:///system", "pool-destroy", POOL],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(["virsh", "-q", "-c", "qemu:///system", "pool-undefine", POOL],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
