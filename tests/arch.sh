#!/bin/sh
# Issue 21 as a user meets it: aarch64 and riscv64 virt and ppc64 pseries
# open, draw, place, check, explain, count spares, take preferences and
# policies, and group host functions like q35 and pc do.  What libvirt does
# with these machines is in tests/golden/arch (run by tests/test_golden
# and tests/capacity.sh); here is what the commands say about it.
. "$top_srcdir/tests/tap.sh"

# dom FILE ARCH MACHINE DEVICES: a small domain with two NUMA cells
dom() {
    printf "<domain type='kvm'>\n  <name>a</name>\n  <memory unit='MiB'>1024</memory>\n  <os><type arch='%s' machine='%s'>hvm</type></os>\n  <cpu><numa><cell id='0' cpus='0' memory='512' unit='MiB'/><cell id='1' cpus='1' memory='512' unit='MiB'/></numa></cpu>\n  <devices>\n%s\n  </devices>\n</domain>\n" \
        "$2" "$3" "$4" >"$TMP/$1"
}
NET="    <interface type='network'><mac address='52:54:00:00:21:01'/><source network='default'/></interface>"
E1000="    <interface type='network'><mac address='52:54:00:00:21:02'/><source network='default'/><model type='e1000'/></interface>"
dom arm.xml aarch64 virt "$NET
$E1000"
dom rv.xml riscv64 virt "$NET"
dom ppc.xml ppc64 pseries "$NET"

# --- the tree names each machine's root bus
run tree "$TMP/arm.xml"
t "aarch64: the tree names the machine" out_has "domain a: aarch64 virt machine (virt)"
t "  and its root, pcie-root, whose slots never hot-plug" sh -c "sed -n 2p '$TMP/out' | grep -qx 'pcie-root  bus 00'"
run tree "$TMP/ppc.xml"
t "pseries: the root is PHB 0, hot-pluggable without ACPI" sh -c "sed -n 2p '$TMP/out' | grep -qx 'pci-root  bus 00  PHB 0  \[hotplug\]'"

# --- place: libvirt's defaults per machine
run place "$TMP/arm.xml"
t "aarch64: a NIC without model is written virtio, as libvirt stores it" out_has "<model type='virtio'/>"
t "  on a root port, the e1000 behind a pcie-to-pci-bridge" sh -c "grep -q \"model='pcie-to-pci-bridge'\" '$TMP/out'"
t "  and no balloon or USB controller is added" sh -c "! grep -q '<memballoon' '$TMP/out' && ! grep -q \"type='usb'\" '$TMP/out'"
run place "$TMP/rv.xml"
t "riscv64: a balloon is added, on a root port of its own" out_has "<memballoon model='virtio'>"
run place "$TMP/ppc.xml"
t "pseries: the PHB is written with its model name and target index" sh -c "grep -A2 \"model='pci-root'\" '$TMP/out' | grep -q \"<target index='0'/>\""
t "  the NIC without model is rtl8139, on PHB 0's first slot" sh -c "grep -q \"<model type='rtl8139'/>\" '$TMP/out' && grep -q \"slot='0x01'\" '$TMP/out'"
t "  and USB controller 0 is qemu-xhci" out_has "<controller type='usb' index='0' model='qemu-xhci'>"

# a full PHB: libvirt adds a second, empty one
nics=""
i=0; while [ $i -lt 29 ]; do nics="$nics
    <interface type='network'><source network='default'/><model type='virtio'/></interface>"; i=$((i + 1)); done
dom ppc29.xml ppc64 pseries "$nics"
run place "$TMP/ppc29.xml"
t "pseries, 29 NICs: PHB 0 is exactly full, so libvirt adds PHB 1" sh -c "grep -A2 \"index='1' model='pci-root'\" '$TMP/out' | grep -q \"<target index='1'/>\""
run spare "$TMP/ppc29.xml"
t "  and spare counts its 31 slots as legacy PCI (live: 31)" out_has "spare hotplug slots: pcie=0 pci=31"
run -c "place; tree" "$TMP/ppc29.xml"
t "  the tree draws PHB 1 as a root of its own" out_has "pci-root  bus 01  PHB 1  [hotplug]"

# --- check: libvirt's refusals per machine, in its words
dom armacpi.xml aarch64 virt "$NET"
sed -i 's|<devices>|<devices>|; s|</os>|</os>\n  <features><acpi/></features>|' "$TMP/armacpi.xml"
run check "$TMP/armacpi.xml"
t "aarch64 with ACPI and no UEFI: check refuses in libvirt's words" out_has "ACPI requires UEFI on this architecture"
dom ppcqxl.xml ppc64 pseries "    <video><model type='qxl'/></video>"
run check "$TMP/ppcqxl.xml"
t "pseries: qxl is refused" out_has "domain configuration does not support video model 'qxl'"
dom rvps2.xml riscv64 virt "    <input type='mouse' bus='ps2'/>"
run check "$TMP/rvps2.xml"
t "riscv64: a PS/2 mouse is refused (no i8042)" out_has "ps2 is not supported by this QEMU binary"
dom armtablet.xml aarch64 virt "    <input type='tablet' bus='usb'/>"
run check "$TMP/armtablet.xml"
t "aarch64: a USB tablet without a USB controller is refused" out_has "USB is disabled for this domain, but USB devices are present"
dom phb.xml ppc64 pseries "    <controller type='pci' index='1' model='pci-root'><target index='0'/></controller>"
run check "$TMP/phb.xml"
t "pseries: target index 0 belongs to PHB 0 only" out_has "Only the PCI controller with index 0 can have target index 0, and vice versa"

# machines pcitopo does not model say why
printf "<domain type='kvm'><name>s</name><os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os></domain>\n" >"$TMP/s390.xml"
run tree "$TMP/s390.xml"
t "s390x: refused at load, naming the architecture" err_has "s390x guests put PCI devices on zPCI"
printf "<domain type='kvm'><name>s</name><os><type arch='aarch64'>hvm</type></os></domain>\n" >"$TMP/nomachine.xml"
run tree "$TMP/nomachine.xml"
t "aarch64 without machine=: says libvirt would use a board without PCI" err_has "write machine='virt'"

# --- explain
run -c "place; explain 02:00.0" "$TMP/arm.xml"
t "aarch64: explain says what a virtio device is there" out_has "PCI Express device on virt, so it gets a pcie-root-port of its own"

# --- preferences and policies
run -c "add virtio-net alias=ua-n numa=1" "$TMP/arm.xml"
t "aarch64: numa=1 adds a pcie-expander-bus on node 1 and a root port below it" err_has "pcie-expander-bus index"
run -c "add virtio-net alias=ua-n numa=1" "$TMP/ppc.xml"
t "pseries: numa=1 adds a PHB bound to node 1" err_has "pci-root index 1 (PHB 1, NUMA node 1)"
run -c "add virtio-net alias=ua-n numa=1" "$TMP/rv.xml"
t "riscv64: numa= is refused, there is no expander bus" err_has "numa=1, but a riscv64 virt machine has no bus to bind to a NUMA node"
run -c "add virtio-net alias=ua-n bus=pcie" "$TMP/ppc.xml"
t "pseries: bus=pcie is refused, no PCI Express there" err_has "bus=pcie, but a ppc64 pseries machine has no PCI Express ports"
run -c "add pcie-root-port" "$TMP/ppc.xml"
t "pseries: a PCIe kind is refused, naming the machines that take it" err_has "there is no pcie-root-port on this ppc64 pseries machine; it needs q35, aarch64 virt, riscv64 virt"
run -c "policy minimal; place; save -" "$TMP/arm.xml"
t "aarch64, policy minimal: both NICs integrated on the root bus, no root port" sh -c "! grep -q \"model='pcie-root-port'\" '$TMP/out' && grep -q \"bus='0x00' slot='0x02'\" '$TMP/out'"
run -c "spare-ports 3; spare" "$TMP/arm.xml"
t "aarch64, spare-ports 3: three spare PCIe slots" out_has "spare hotplug slots: pcie=3"

run -c "place; spare-ports 70; spare" "$TMP/ppc29.xml"
t "pseries, spare-ports 70: PHBs are added, not addressed" err_has "spare-ports 70: added 2 pci-roots (PHBs of 31 slots)"
t "  and 93 slots are spare" out_has "spare hotplug slots: pcie=0 pci=93"

# --- group and hotplug-xml take the arch from the domain
HD=""
for f in 0 1; do HD="$HD
    <hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x3b' slot='0x00' function='0x$f'/></source></hostdev>"; done
dom ppchd.xml ppc64 pseries "$HD"
run -c "group 0000:3b:00; hotplug-xml 0000:3b:00" "$TMP/ppchd.xml"
t "pseries: hotplug-xml's unplug names function 1, then function 0" sh -c "grep -A3 '==> unplug.hmp <==' '$TMP/out' | tr '\n' ' ' | grep -q 'device_del ua-hostdev1 device_del ua-hostdev0'"
dom armhd.xml aarch64 virt "$HD"
run -c "group 0000:3b:00; hotplug-xml 0000:3b:00" "$TMP/armhd.xml"
t "aarch64: unplugging function 0 takes the slot" out_has "Hot-unplug (aarch64): unplug function 0"
run -c "group 0000:3b:00; hotplug-xml 0000:3b:00 --arch pseries" "$TMP/armhd.xml"
t "  --arch pseries on an aarch64 domain is refused" err_has "the domain is a aarch64 virt guest"

# --- the kinds add offers follow the machine
run -c "help add" "$TMP/ppc.xml"
t "help add marks the PHB kind as pseries'" out_has "pci-root                     PCI host bridge (PHB) of pseries"
tap_done
