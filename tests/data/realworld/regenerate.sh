#!/usr/bin/env bash
# Regenerate the real-world corpus in this directory.
#
#   virtinst-NAME.xml  output of `virt-install --print-xml --dry-run ...` (virt-install 4.1,
#                      osinfo-db 0.20221130, Debian 12), disk paths rewritten (see below)
#   libvirt-NAME.xml   what libvirt 9.0 stores for it (virsh define + dumpxml --inactive on the
#                      libvirt 9.0 / QEMU 7.2 set up by /work/shared/oracle/libvirt-oracle),
#                      same result as `libvirt-oracle place virtinst-NAME.xml` except that
#                      <name>, <uuid> and the <metadata> namespace prefixes are kept
#
# virt-install needs a directory for --disk size=...; it creates (and starts) a libvirt
# storage pool for it even with --dry-run. We use $WORK and remove that pool at the end;
# the paths are then rewritten to /var/lib/libvirt/images, the usual default pool.
# MAC addresses and UUIDs are random, so a re-run differs in those values.
set -euo pipefail
cd "$(dirname "$0")"
ORACLE=${ORACLE:-/work/shared/oracle/libvirt-oracle}
WORK=${WORK:-/tmp/pcitopo-vi}
POOL=$(basename "$WORK")
mkdir -p "$WORK"
VI=(virt-install --connect qemu:///system --print-xml --dry-run --noautoconsole)

gen() {  # gen NAME virt-install-args...
    local name=$1; shift
    "${VI[@]}" --name "$name" "$@" > "$WORK/$name.xml"
    sed "s|$WORK/|/var/lib/libvirt/images/|g" "$WORK/$name.xml" > "virtinst-$name.xml"
    # libvirt's stored XML: define the file as it is (only <name> made unique), dumpxml, undefine.
    # (`libvirt-oracle place` does the same, but it rewrites the input with Python's
    # ElementTree first, which renames the libosinfo namespace prefix in <metadata> to ns0;
    # so it is used here only as a cross-check of everything else.)
    local tmpname="pcitopo-corpus-$$-$RANDOM"
    sed "0,/<name>[^<]*<\/name>/s//<name>$tmpname<\/name>/" "virtinst-$name.xml" > "$WORK/$name.def.xml"
    if virsh -q -c qemu:///system define "$WORK/$name.def.xml" > /dev/null 2> "$WORK/$name.err"; then
        virsh -q -c qemu:///system dumpxml --inactive "$tmpname" \
            | sed "0,/<name>$tmpname<\/name>/s//<name>$name<\/name>/" > "libvirt-$name.xml"
        virsh -q -c qemu:///system undefine "$tmpname" --nvram > /dev/null 2>&1 \
            || virsh -q -c qemu:///system undefine "$tmpname" > /dev/null
        # cross-check with the oracle (ignoring name, uuid and <metadata>)
        if "$ORACLE" place "virtinst-$name.xml" > "$WORK/$name.placed.xml" 2> /dev/null; then
            norm() { sed -e '/<metadata/,/<\/metadata>/d' -e '/<name>/d' -e '/<uuid>/d' "$1"; }
            if ! diff <(norm "libvirt-$name.xml") <(norm "$WORK/$name.placed.xml") > /dev/null; then
                echo "WARN    $name: oracle output differs beyond name/uuid/metadata" >&2
            fi
        fi
        echo "ok      $name"
    else
        rm -f "libvirt-$name.xml"
        echo "NODEFINE $name: $(tr '\n' ' ' < "$WORK/$name.err")"
    fi
}

# 1. Debian 11, all virt-install defaults for a modern Linux guest (q35, virtio, VNC)
gen debian11-q35 --osinfo debian11 --memory 2048 --vcpus 2 \
    --disk size=20,path=$WORK/debian11-q35.qcow2 --import \
    --network network=default --graphics vnc

# 2. Debian testing (bookworm at osinfo-db time) on i440fx with SPICE, QXL, ich6 sound, e1000 NIC
gen debiantesting-pc-spice --osinfo debiantesting --machine pc-i440fx-7.2 --memory 2048 --vcpus 2 \
    --disk size=20,path=$WORK/debiantesting-pc-spice.qcow2 --import \
    --network network=default,model=e1000 --graphics spice --video qxl --sound ich6 \
    --channel spicevmc

# 3. Windows 11: q35, SATA disk, e1000e, TPM 2.0 emulator, SPICE/QXL, ich9 sound, Hyper-V enlightenments
gen win11 --osinfo win11 --memory 4096 --vcpus 4 \
    --disk size=64,path=$WORK/win11.qcow2,bus=sata --import \
    --network network=default,model=e1000e --graphics spice --video qxl --sound ich9 \
    --tpm emulator,model=tpm-crb,version=2.0

# 3b. Windows Server 2022 on q35 without TPM (libvirt counterpart of a Windows q35 guest,
#     since win11 above cannot be defined here: no swtpm, so TPM 2.0 is "not supported")
gen win2k22-q35 --osinfo win2k22 --memory 4096 --vcpus 4 \
    --disk size=64,path=$WORK/win2k22-q35.qcow2,bus=sata --import \
    --network network=default,model=e1000e --graphics vnc --video vga --tpm none

# 4. Windows 10 on i440fx: SATA disk, e1000e, VNC, VGA, ich6 sound, USB tablet
gen win10-pc --osinfo win10 --machine pc-i440fx-7.2 --memory 4096 --vcpus 2 \
    --disk size=40,path=$WORK/win10-pc.qcow2,bus=sata --import \
    --network network=default,model=e1000e --graphics vnc --video vga --sound ich6 \
    --input tablet,bus=usb

# 5. Fedora 37 with many PCI kinds: PCI passthrough (fake host address 0000:05:00.0, added with
#    --xml because --hostdev needs a real node device), virtio-scsi, 9p filesystem, watchdog,
#    virtio input, vsock, rng, memballoon
gen fedora37-devices --osinfo fedora37 --memory 4096 --vcpus 4 \
    --disk size=20,path=$WORK/fedora37-devices.qcow2 \
    --disk size=5,path=$WORK/fedora37-devices-scsi.qcow2,bus=scsi --import \
    --controller type=scsi,model=virtio-scsi \
    --network network=default --graphics vnc --video virtio \
    --filesystem /srv/share,share,accessmode=mapped \
    --rng /dev/urandom --memballoon virtio --watchdog i6300esb,action=reset \
    --input tablet,bus=virtio --input keyboard,bus=virtio --vsock cid.auto=yes \
    --xml ./devices/hostdev/@mode=subsystem --xml ./devices/hostdev/@type=pci \
    --xml ./devices/hostdev/@managed=yes \
    --xml ./devices/hostdev/source/address/@domain=0x0000 \
    --xml ./devices/hostdev/source/address/@bus=0x05 \
    --xml ./devices/hostdev/source/address/@slot=0x00 \
    --xml ./devices/hostdev/source/address/@function=0x0

# 6. Generic OS, i440fx, headless, no disk, no NIC
gen generic-pc-headless --osinfo generic --machine pc --memory 512 --vcpus 1 \
    --disk none --import --network none --graphics none

# 7. Ubuntu 22.04 server: two disks, two NICs (network + bridge), serial console, no graphics
gen ubuntu2204-server --osinfo ubuntu22.04 --memory 4096 --vcpus 2 \
    --disk size=20,path=$WORK/ubuntu2204-server.qcow2 \
    --disk size=100,path=$WORK/ubuntu2204-server-data.qcow2,cache=none,discard=unmap --import \
    --network network=default --network bridge=br0,model=virtio \
    --graphics none --console pty,target_type=serial \
    --controller type=virtio-serial --rng /dev/urandom

# 8. RHEL 9.1 with two NUMA nodes, a pcie-expander-bus on node 1, a root port behind it and
#    a NIC pinned to that root port
gen rhel91-numa-pxb --osinfo rhel9.1 --memory 4096 --vcpus 4 \
    --cpu qemu64,numa.cell0.id=0,numa.cell0.cpus=0-1,numa.cell0.memory=2097152,numa.cell1.id=1,numa.cell1.cpus=2-3,numa.cell1.memory=2097152 \
    --disk size=20,path=$WORK/rhel91-numa-pxb.qcow2 --import \
    --controller type=pci,model=pcie-expander-bus,index=20,target.node=1 \
    --controller type=pci,model=pcie-root-port,index=21,address.type=pci,address.bus=20,address.slot=0 \
    --network network=default \
    --network network=default,address.type=pci,address.bus=21,address.slot=0 \
    --graphics vnc

# 9. Alpine 3.17 on i440fx with a pci-bridge and NICs pinned on it, ac97 sound, cirrus video
gen alpine317-pc-bridge --osinfo alpinelinux3.17 --machine pc --memory 1024 --vcpus 1 \
    --disk size=8,path=$WORK/alpine317-pc-bridge.qcow2 --import \
    --controller type=pci,model=pci-bridge,index=1 \
    --network network=default,model=virtio,address.type=pci,address.bus=1,address.slot=1 \
    --network network=default,model=rtl8139,address.type=pci,address.bus=1,address.slot=2 \
    --network network=default,model=e1000 \
    --graphics vnc --video cirrus --sound ac97

# 10. FreeBSD 13.1 on q35: SATA disk, e1000 (conventional PCI) NIC, VGA
gen freebsd131-q35 --osinfo freebsd13.1 --memory 2048 --vcpus 2 \
    --disk size=20,path=$WORK/freebsd131-q35.qcow2,bus=sata --import \
    --network network=default,model=e1000 --graphics vnc --video vga

# 11. CentOS Stream 9: a four-function host card passed through to functions 0..3 of one guest
#     slot (multifunction='on' on function 0), virtio-iommu, virtio-pmem
gen centos9-multifunction --osinfo centos-stream9 --memory memory=4096,maxMemory=16384,maxMemory.slots=16 --vcpus 4 \
    --cpu qemu64,numa.cell0.id=0,numa.cell0.cpus=0-3,numa.cell0.memory=4194304 \
    --disk size=20,path=$WORK/centos9-multifunction.qcow2 --import \
    --network network=default --graphics vnc --features ioapic.driver=qemu \
    --iommu model=virtio \
    --memdev model=virtio-pmem,source.path=$WORK/centos9-multifunction.pmem,target.size=512 \
    --xml ./devices/hostdev[1]/@mode=subsystem --xml ./devices/hostdev[1]/@type=pci --xml ./devices/hostdev[1]/@managed=yes \
    --xml ./devices/hostdev[1]/source/address/@domain=0x0000 --xml ./devices/hostdev[1]/source/address/@bus=0x05 \
    --xml ./devices/hostdev[1]/source/address/@slot=0x00 --xml ./devices/hostdev[1]/source/address/@function=0x0 \
    --xml ./devices/hostdev[1]/address/@type=pci --xml ./devices/hostdev[1]/address/@bus=0x0f \
    --xml ./devices/hostdev[1]/address/@slot=0x00 --xml ./devices/hostdev[1]/address/@function=0x0 \
    --xml ./devices/hostdev[1]/address/@multifunction=on \
    --xml ./devices/hostdev[2]/@mode=subsystem --xml ./devices/hostdev[2]/@type=pci --xml ./devices/hostdev[2]/@managed=yes \
    --xml ./devices/hostdev[2]/source/address/@domain=0x0000 --xml ./devices/hostdev[2]/source/address/@bus=0x05 \
    --xml ./devices/hostdev[2]/source/address/@slot=0x00 --xml ./devices/hostdev[2]/source/address/@function=0x1 \
    --xml ./devices/hostdev[2]/address/@type=pci --xml ./devices/hostdev[2]/address/@bus=0x0f \
    --xml ./devices/hostdev[2]/address/@slot=0x00 --xml ./devices/hostdev[2]/address/@function=0x1 \
    --xml ./devices/hostdev[3]/@mode=subsystem --xml ./devices/hostdev[3]/@type=pci --xml ./devices/hostdev[3]/@managed=yes \
    --xml ./devices/hostdev[3]/source/address/@domain=0x0000 --xml ./devices/hostdev[3]/source/address/@bus=0x05 \
    --xml ./devices/hostdev[3]/source/address/@slot=0x00 --xml ./devices/hostdev[3]/source/address/@function=0x2 \
    --xml ./devices/hostdev[3]/address/@type=pci --xml ./devices/hostdev[3]/address/@bus=0x0f \
    --xml ./devices/hostdev[3]/address/@slot=0x00 --xml ./devices/hostdev[3]/address/@function=0x2 \
    --xml ./devices/hostdev[4]/@mode=subsystem --xml ./devices/hostdev[4]/@type=pci --xml ./devices/hostdev[4]/@managed=yes \
    --xml ./devices/hostdev[4]/source/address/@domain=0x0000 --xml ./devices/hostdev[4]/source/address/@bus=0x05 \
    --xml ./devices/hostdev[4]/source/address/@slot=0x00 --xml ./devices/hostdev[4]/source/address/@function=0x3 \
    --xml ./devices/hostdev[4]/address/@type=pci --xml ./devices/hostdev[4]/address/@bus=0x0f \
    --xml ./devices/hostdev[4]/address/@slot=0x00 --xml ./devices/hostdev[4]/address/@function=0x3

# 12. openSUSE 15.4 on i440fx with ivshmem, an lsilogic SCSI controller, an xHCI controller
gen opensuse154-pc-misc --osinfo opensuse15.4 --machine pc-i440fx-7.2 --memory 2048 --vcpus 2 \
    --disk size=20,path=$WORK/opensuse154-pc-misc.qcow2 \
    --disk size=4,path=$WORK/opensuse154-pc-misc-scsi.qcow2,bus=scsi --import \
    --controller type=scsi,model=lsilogic --controller type=usb,model=qemu-xhci \
    --shmem name=ivshmem0,model.type=ivshmem-plain,size=4,size.unit=M \
    --network network=default --graphics spice --video qxl --sound ich6

# virt-install left a storage pool for $WORK behind: remove it
if virsh -q -c qemu:///system pool-info "$POOL" >/dev/null 2>&1; then
    virsh -q -c qemu:///system pool-destroy "$POOL" >/dev/null 2>&1 || true
    virsh -q -c qemu:///system pool-undefine "$POOL" >/dev/null 2>&1 || true
fi
