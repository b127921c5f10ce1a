#!/bin/sh
# Issue 20 as a user meets it on the command line: the devices libvirt adds
# on its own appear in what `place` writes, libvirt's refusals come from
# `check` and `place` with libvirt's words, the file's line and a hint, and
# numbers mean what libvirt reads them as.  The libvirt side of each case is
# in tests/golden/corners (run by tests/test_golden).
. "$top_srcdir/tests/tap.sh"

# dom FILE MACHINE DEVICES [DOMAIN-TYPE]: a small domain
dom() {
    printf "<domain type='%s'>\n  <name>c</name>\n  <memory>131072</memory>\n  <os><type arch='x86_64' machine='%s'>hvm</type></os>\n  <devices>\n%s\n  </devices>\n</domain>\n" \
        "${4:-kvm}" "$2" "$3" >"$TMP/$1"
}
NET="<interface type='network'><mac address='52:54:00:00:20:01'/><source network='default'/></interface>"

# --- implicit devices: place writes what libvirt stores
dom vnc-pc.xml pc "    <graphics type='vnc'/>
    $NET"
run place "$TMP/vnc-pc.xml"
t "graphics without video on pc: place adds a cirrus video, written as libvirt stores it" out_has "<model type='cirrus' vram='16384' heads='1' primary='yes'/>"
t "  at 00:02.0, the primary's slot" sh -c "grep -A2 '<video>' '$TMP/out' | grep -q \"slot='0x02' function='0x0'\""
t "  and the interface without model is written rtl8139, at 00:03.0" sh -c "grep -q \"<model type='rtl8139'/>\" '$TMP/out' && grep -q \"slot='0x03'\" '$TMP/out'"
dom vnc-q35.xml q35 "    <graphics type='spice'/>"
run place "$TMP/vnc-q35.xml"
t "graphics without video on q35: cirrus at 00:01.0" sh -c "grep -A2 '<video>' '$TMP/out' | grep -q \"bus='0x00' slot='0x01' function='0x0'\""
dom usb1.xml q35 "    <controller type='usb' index='1' model='qemu-xhci'/>"
run place "$TMP/usb1.xml"
t "USB controller 1 alone: libvirt's USB controller 0 is added too" out_has "<controller type='usb' index='0' model='qemu-xhci'>"
dom vser.xml pc "    <channel type='unix'><target type='virtio' name='a'/><address type='virtio-serial' controller='2' bus='0' port='1'/></channel>"
run place "$TMP/vser.xml"
t "a channel on virtio-serial 2: controller 2 is added, not 0" sh -c "grep -q \"type='virtio-serial' index='2'\" '$TMP/out' && ! grep -q \"type='virtio-serial' index='0'\" '$TMP/out'"
dom scsihd.xml pc "    <hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host0'/><address bus='0' target='0' unit='0'/></source><address type='drive' controller='1' bus='0' target='0' unit='0'/></hostdev>"
run place "$TMP/scsihd.xml"
t "a SCSI host device on controller 1: lsilogic 0 and 1 are added" sh -c "grep -q \"type='scsi' index='0' model='lsilogic'\" '$TMP/out' && grep -q \"type='scsi' index='1' model='lsilogic'\" '$TMP/out'"
run -c 'add e1000' "$TMP/vnc-pc.xml"
t "add says the implicit video comes with it" err_has "video cirrus at 00:02.0"

# --- two <devices>: libvirt reads both
printf "<domain type='kvm'><name>c</name><os><type arch='x86_64' machine='pc'>hvm</type></os>\n<devices>%s</devices>\n<devices><graphics type='vnc'/><interface type='network'><mac address='52:54:00:00:20:02'/><model type='virtio'/></interface></devices></domain>\n" "$NET" >"$TMP/two.xml"
run place "$TMP/two.xml"
t "a second <devices> is read: its graphics make the video, its NIC is placed" sh -c "grep -q \"<model type='cirrus'\" '$TMP/out' && grep -c \"<address type='pci'\" '$TMP/out' | grep -qx 5"

# --- domain types of the QEMU driver
dom hvf.xml q35 "$NET" hvf
run place "$TMP/hvf.xml"
t "type='hvf' (QEMU on macOS) is placed like kvm" expect_rc 0
dom xen.xml q35 "$NET" xen
run check "$TMP/xen.xml"
t "type='xen' is refused, naming the driver" err_has "guests of libvirt's QEMU driver"

# --- refusals: libvirt's words, the line, a hint, exit 1
dom dup.xml q35 "    <hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0' bus='0x65' slot='0' function='1'/></source></hostdev>
    <hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0' bus='0x65' slot='0' function='0x1'/></source></hostdev>"
run check "$TMP/dup.xml"
t "one host device twice: check exits 1" expect_rc 1
t "  with libvirt's words, the second <hostdev>'s line" out_has "dup.xml:7: <hostdev>: XML error: Hostdev already exists in the domain configuration"
t "  and a hint" out_has "hint: one host device is assigned twice"
run place -o - "$TMP/dup.xml"
t "  place refuses it too" err_has "libvirt 9.0 would refuse this domain: XML error: Hostdev already exists"
cp "$TMP/dup.xml" "$TMP/dup-add.xml"
sed -i '7d' "$TMP/dup-add.xml"
run -c 'add hostdev host=0000:65:00.1' "$TMP/dup-add.xml"
t "add hostdev on a host address already assigned is refused" err_has "Hostdev already exists in the domain configuration"
dom usbnone.xml pc "    <controller type='usb' model='none'/>
    <input type='tablet' bus='usb'/>"
run check "$TMP/usbnone.xml"
t "a USB tablet while USB is off" out_has "usbnone.xml:7: <input>: unsupported configuration: Can't add USB input device. USB bus is disabled"
dom ich7.xml pc "    <sound model='ich7'/>"
run check "$TMP/ich7.xml"
t "an unaddressed ich7" out_has "Cannot automatically add a new PCI bus for a device with connect flags 00"
t "  with a hint naming the sound cards QEMU has" out_has "hint: QEMU 7.2 has no ich7 sound card"
dom pcinomodel.xml q35 "    <controller type='pci' index='3'/>"
run check "$TMP/pcinomodel.xml"
t "a PCI controller with an index and no model" out_has "internal error: PCI controller model was not set correctly"
dom pcibare.xml pc "    <controller type='pci'/>"
run check "$TMP/pcibare.xml"
t "a PCI controller with neither" out_has "The PCI controller with index='0' must be model='pci-root' for this machine type, but model='(null)' was found instead"
dom ide.xml pc "    <disk type='file' device='disk'><target dev='hda' bus='ide'/><address type='drive' controller='1' bus='0' target='0' unit='0'/></disk>"
run check "$TMP/ide.xml"
t "an IDE disk on controller 1 of a pc" out_has "internal error: Only 1 IDE controller is supported"

# --- numbers as libvirt reads them
dom idx.xml q35 "    <controller type='pci' index='010' model='pcie-root-port'/>
    <interface type='network'><mac address='52:54:00:00:20:03'/><model type='virtio'/><address type='pci' bus='010' slot='0'/></interface>"
run place "$TMP/idx.xml"
t "index='010' is controller 10: libvirt adds root ports 1-9 below it" sh -c "grep -c \"model='pcie-root-port'\" '$TMP/out' | grep -qx 10"
t "  and bus='010' is bus 8, one of them" sh -c "grep -q \"<controller type='pci' index='8' model='pcie-root-port'>\" '$TMP/out'"
dom drv.xml q35 "    <disk type='file' device='disk'><target dev='sda' bus='sata'/><address type='drive' controller='0x1' bus='0' target='0' unit='0'/></disk>"
run check "$TMP/drv.xml"
t "a drive address in hex loads; check refuses it, exit 1" expect_rc 1
t "  in libvirt's words, at the disk" out_has "drv.xml:6: <disk>: XML error: Invalid value for attribute 'controller' in element 'address': '0x1'. Expected non-negative integer value"
run -c "spare-ports 010; policy" "$TMP/vnc-q35.xml"
t "spare-ports 010 is ten, as libvirt reads an index" out_has "spare-ports 10"
run -c 'spare-ports 0x3' "$TMP/vnc-pc.xml"
t "spare-ports 0x3 is no count" err_has "spare-ports: '0x3': use a number of ports"
run -c 'explain 0x0:0x1.0' "$TMP/vnc-pc.xml"
t "an address argument is lspci's hex, no 0x" expect_rc 1

# a PCI controller added to a pc whose root bus is implicit gets index 1:
# without one libvirt would make it index 0, the root's, and refuse it
printf "<domain type='kvm'><name>c</name><os><type arch='x86_64' machine='pc'>hvm</type></os><features><acpi/></features><devices/></domain>\n" >"$TMP/noroot.xml"
run -c 'add pci-bridge; spare-ports 80; save -f' "$TMP/noroot.xml"
t "add pci-bridge and spare-ports on a pc with an implicit root work" expect_rc 0
t "  the bridges have indexes 1 and 2" sh -c "grep -q \"model='pci-bridge' index='1'\" '$TMP/noroot.xml' && grep -q \"model='pci-bridge' index='2'\" '$TMP/noroot.xml'"

# --- wishes that cannot both hold, and policy minimal's overflow
dom bp.xml q35 ""
run -c 'add e1000 alias=ua-n1 bus=pci hotplug=no; check' "$TMP/bp.xml"
t "bus=pci hotplug=no on q35: check says which wish wins" out_has "bus=pci and hotplug=no cannot both hold on q35"
run -c 'add e1000 alias=ua-n1 bus=pci hotplug=no' "$TMP/bp.xml"
t "  and so does add's note" err_has "bus=pci and hotplug=no cannot both hold on q35"
run -c 'add e1000 alias=ua-n1; set-pref ua-n1 bus=pci hotplug=no' "$TMP/bp.xml"
t "  and set-pref's" err_has "bus=pci and hotplug=no cannot both hold on q35"

# --- deleting a controller libvirt would add back
dom del.xml q35 "    <controller type='usb' index='0' model='qemu-xhci'><alias name='ua-usb0'/></controller>
    <controller type='usb' index='1' model='qemu-xhci'><alias name='ua-usb1'/></controller>
    <controller type='scsi' index='0' model='lsilogic'><alias name='ua-scsi0'/></controller>
    <hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host0'/><address bus='0' target='0' unit='0'/></source><address type='drive' controller='0' bus='0' target='0' unit='0'/></hostdev>"
run -c 'delete ua-usb0' "$TMP/del.xml"
t "USB controller 0 while 1 exists cannot go (libvirt adds 0 back)" err_has "libvirt gives every guest USB controller 0 and would add it back"
run -c 'delete ua-usb1' "$TMP/del.xml"
t "USB controller 1 can" expect_rc 0
run -c 'delete ua-scsi0' "$TMP/del.xml"
t "the SCSI controller a SCSI host device names cannot go" err_has "a SCSI host device sits on it, so libvirt would add it back"

nics=$(i=0; while [ $i -lt 40 ]; do printf "<interface type='network'><mac address='52:54:00:00:21:%02x'/><model type='e1000e'/></interface>" $i; i=$((i + 1)); done)
dom many.xml q35 "$nics"
run -c 'policy minimal; place' "$TMP/many.xml"
t "policy minimal with 40 PCIe NICs on q35 places them all" expect_rc 0
tap_done
