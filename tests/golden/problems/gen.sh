#!/usr/bin/env bash
# gen.sh -- the golden cases of tests/golden/problems: what libvirt 9.0 says
# of a device whose address or <target> it cannot take (a part that is no
# number, out of range, multifunction='maybe', a PCI domain other than 0,
# a host device's host address), and in which order it meets them among
# its other refusals.  pcitopo loads such files and shows the device with
# its problem; tests/test_golden checks that check and place say libvirt's
# words, and the first of them.
#
#   gen.sh [--check]
#
# Writes place/NNN-name.in.xml, runs `libvirt-oracle place` on each and
# stores stdout as .out.xml (defined) or stderr as .err.txt (refused);
# --check compares instead and exits 1 on a difference.
set -euo pipefail

ORACLE=${ORACLE:-/work/shared/oracle/libvirt-oracle}
OUT=$(cd "$(dirname "$0")" && pwd)/place
MODE=write
[ "${1:-}" = --check ] && MODE=check
mkdir -p "$OUT"

A20="<address type='pci' domain='0x0000' bus='0x00' slot='0x20' function='0x0'/>"
addr() { echo "<address type='pci' $1/>"; }
nic() { echo "<interface type='user'><model type='e1000'/>$(addr "$1")</interface>"; }
disk() { echo "<disk type='file' device='disk'><source file='/var/lib/libvirt/images/$1.img'/><target dev='$1' bus='virtio'/>$(addr "$2")</disk>"; }
hostdev() { echo "<hostdev mode='subsystem' type='pci' managed='yes'><source><address $1/></source>$2</hostdev>"; }
RP1="<controller type='pci' index='1' model='pcie-root-port'/>"

# c NUM NAME MACHINE ABOUT -- the <devices> body on stdin
c() {
    local num=$1 name=$2 mach=$3 about=$4 arch=x86_64
    case $mach in virt) arch=aarch64 ;; pseries) arch=ppc64le ;; esac
    {
        printf '<!-- problems: %s -->\n' "$about"
        printf "<domain type='kvm'>\n  <name>problems-%s-%s</name>\n" "$num" "$name"
        printf "  <memory unit='MiB'>256</memory>\n"
        printf "  <os><type arch='%s' machine='%s'>hvm</type></os>\n  <devices>\n" "$arch" "$mach"
        printf "    <controller type='usb' model='none'/>\n"
        [ "${BALLOON:-yes}" = no ] || printf "    <memballoon model='none'/>\n"
        sed 's/^/    /'
        printf "  </devices>\n</domain>\n"
    } > "$OUT/$num-$mach-$name.in.xml"
}

# --- one bad address: each way libvirt's parser refuses one
nic "domain='0x0000' bus='0x00' slot='0x20' function='0x0'" | c 001 slot-0x20 q35 "slot past 0x1f"
nic "domain='0x0000' bus='0x00' slot='0x20' function='0x0'" | c 002 slot-0x20 pc "slot past 0x1f on pc"
nic "domain='0x0000' bus='0x100' slot='0x03' function='0x0'" | c 003 bus-0x100 q35 "bus past 0xff"
nic "domain='0x0000' bus='0x00' slot='0x03' function='0x9'" | c 004 function-9 q35 "function past 7"
nic "domain='0x0000' bus='0x00' slot='x' function='0x0'" | c 005 slot-x q35 "slot no number"
nic "domain='0x0000' bus='0x00' slot='-1' function='0x0'" | c 006 slot-minus1 q35 "negative slot"
nic "domain='-1' bus='0x00' slot='0x03' function='0x0'" | c 007 domain-minus1 q35 "negative domain"
nic "domain='0x0000' bus='0x00' slot='4294967296' function='0x0'" | c 008 slot-2p32 q35 "slot past 32 bits"
nic "domain='0x0000' bus='0x00' slot='0x03' function='0x0' multifunction='maybe'" | c 009 mf-maybe q35 "multifunction maybe"
nic "domain='0x0000' bus='0x00' slot='0x20' function='0x0' multifunction='yes'" | c 010 mf-yes-slot-0x20 q35 "multifunction read before the limits"
nic "domain='0x0000' bus='0x00' slot='0x20' function='0x0'" | c 011 slot-0x20 virt "slot past 0x1f on aarch64 virt"
nic "domain='0x0000' bus='0x00' slot='0x20' function='0x0'" | c 012 slot-0x20 pseries "slot past 0x1f on pseries"
# --- a PCI domain other than 0: read, refused as the address is reserved
nic "domain='0x0001' bus='0x00' slot='0x03' function='0x0'" | c 020 domain-1 q35 "domain 1"
nic "domain='0x10000' bus='0x00' slot='0x03' function='0x0'" | c 021 domain-0x10000 q35 "domain past 0xffff is read"
nic "domain='0x0001' bus='0x00' slot='0x00' function='0x0'" | c 022 domain-1-slot-0 q35 "domain 1 at slot 0 is an address"
nic "domain='0x0001' bus='0x09' slot='0x03' function='0x0'" | c 023 domain-1-bus-9 q35 "domain before a missing bus"
nic "domain='0x0001' bus='0x00' slot='0x03' function='0x0'" | c 024 domain-1 pc "domain 1 on pc"
{ nic "domain='0x0001' bus='0x00' slot='0x03' function='0x0'"; echo "$RP1"; disk vda "domain='0x0000' bus='0x01' slot='0x01' function='0x0'"; } |
    c 025 domain-nic-slot-disk q35 "reservation order: the disk's slot first"
{ disk vda "domain='0x0001' bus='0x00' slot='0x03' function='0x0'"; echo "$RP1"; nic "domain='0x0000' bus='0x01' slot='0x01' function='0x0'"; } |
    c 026 domain-disk-slot-nic q35 "reservation order: the disk's domain first"
{ nic "domain='0x0001' bus='0x00' slot='0x03' function='0x0'"; disk vda "domain='0x0000' bus='0x00' slot='0x04' function='0x0'"; disk vdb "domain='0x0000' bus='0x00' slot='0x04' function='0x0'"; } |
    c 027 domain-nic-collision-disks q35 "reservation order: the disks' collision first"
{ nic "domain='0x0001' bus='0x00' slot='0x03' function='0x0'"; echo "<sound/>"; } |
    c 028 domain-nic-sound-no-model q35 "a parse refusal before the domain"
echo "<memballoon model='none'>$(addr "domain='0x0001' bus='0x00' slot='0x03' function='0x0'")</memballoon>" |
    BALLOON=no c 029 domain-1-balloon-none q35 "an address libvirt drops is never reserved"
# --- a host device's host address
hostdev "domain='0x0000' bus='0x03' slot='0x20' function='0x0'" "" | c 040 hostdev-source-slot-0x20 q35 "host address slot past 0x1f"
hostdev "domain='0x0000' bus='0x03' slot='x' function='0x0'" "" | c 041 hostdev-source-slot-x q35 "host address slot no number"
hostdev "domain='0x10000' bus='0x03' slot='0x00' function='0x0'" "" | c 042 hostdev-source-domain-0x10000 q35 "host domain past 0xffff is taken"
hostdev "domain='0x0000' bus='0x03' slot='0x00' function='0x9'" "$A20" | c 043 hostdev-source-then-address q35 "host address before the guest's"
echo "<interface type='hostdev' managed='yes'><source><address type='pci' domain='0x0000' bus='0x03' slot='0x00' function='0x9'/></source>$A20</interface>" |
    c 044 iface-hostdev-source-then-address q35 "interface hostdev: host address first"
# --- a PCI controller's <target>
echo "<controller type='pci' index='1' model='pcie-root-port'><target chassis='-1'/></controller>" | c 060 chassis-minus1 q35 "negative chassis"
echo "<controller type='pci' index='1' model='pcie-root-port'><target chassis='x'/></controller>" | c 061 chassis-x q35 "chassis no number"
echo "<controller type='pci' index='1' model='pci-bridge'><target chassisNr='2147483648'/></controller>" | c 062 chassisnr-2p31 pc "chassisNr past int"
echo "<controller type='pci' index='1' model='pcie-root-port'><target hotplug='maybe'/></controller>" | c 063 hotplug-maybe q35 "hotplug maybe"
echo "<controller type='pci' index='1' model='pcie-root-port'><target port='x' chassis='x'/></controller>" | c 064 chassis-then-port q35 "chassis before port"
echo "<controller type='pci' index='1' model='pcie-root-port'><target port='x' index='x'/></controller>" | c 065 port-then-index q35 "port before index"
echo "<controller type='pci' index='1' model='pcie-expander-bus'><target busNr='x' hotplug='maybe'/></controller>" | c 066 busnr-then-hotplug q35 "busNr before hotplug"
echo "<controller type='pci' index='1' model='pcie-root-port'><target hotplug='maybe' index='x'/></controller>" | c 067 hotplug-then-index q35 "hotplug before index"
echo "<controller type='pci' index='1' model='pcie-expander-bus'><target index='x'><node>x</node></target></controller>" | c 068 index-then-node q35 "index before node"
echo "<controller type='pci' index='1' model='pcie-expander-bus'><target><node>x</node></target>$A20</controller>" | c 069 node-then-address q35 "node before the address"
echo "<controller type='pci' index='1' model='pcie-expander-bus'><target><node>-1</node></target></controller>" | c 070 node-minus1 q35 "negative node"
echo "<controller type='pci' index='1' model='pcie-expander-bus'><target><node>70000</node></target></controller>" | c 071 node-70000 q35 "a big node is read, then missing"
echo "<controller type='pci' index='1' model='pcie-root-port'><target chassis='-1'/>$A20</controller>" | c 072 target-then-address q35 "target before the address"
{ echo "<controller type='pci' index='1' model='pcie-root-port'>$A20</controller>"; nic "domain='0x0000' bus='0x01' slot='0x00' function='0x0'"; } |
    c 073 root-port-slot-0x20 q35 "a controller with a bad address still has its bus"
# --- the order of elements, and of rows for one element
{ nic "domain='0x0000' bus='0x00' slot='0x20' function='0x0'"; disk vda "domain='0x0000' bus='0x00' slot='x' function='0x0'"; } |
    c 080 nic-then-disk q35 "read order: disks before interfaces"
{ echo "<sound/>"; nic "domain='0x0000' bus='0x00' slot='0x20' function='0x0'"; } |
    c 081 sound-then-nic q35 "read order: interfaces before sound"
echo "<sound>$A20</sound>" | c 082 sound-no-model-bad-address q35 "the model before the address"
echo "<rng><backend model='random'>/dev/urandom</backend>$A20</rng>" | c 083 rng-no-model-bad-address q35 "the model before the address"
echo "<watchdog model='i6300esb'>$A20</watchdog><watchdog model='i6300esb'/>" | c 084 watchdogs-bad-address q35 "counted before read"
echo "<controller type='usb' model='qemu-xhci'>$A20</controller>" | c 085 usb-after-none-bad-address q35 "the address before USB off"
echo "<input type='tablet' bus='usb'>$A20</input>" | c 086 usb-input-bad-address q35 "the address before USB off"
echo "<serial type='pty'/><console type='pty'>$A20</console>" | c 087 console-bad-address q35 "a console's address is read"
{ echo "<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.img'/><target dev='sda' bus='sata'/><address type='drive' controller='0x1' bus='0' target='0' unit='0'/></disk>"; nic "domain='0x0000' bus='0x00' slot='0x20' function='0x0'"; } |
    c 088 drive-address-then-nic q35 "a drive address is read with its disk"
echo "<controller type='usb' index='1' model='ich9-uhci1'><master startport='x'/>$A20</controller>" | c 089 startport-then-address q35 "master before the address"
{ disk vda "domain='0x0000' bus='0x00' slot='0x04' function='0x0'"; disk vdb "domain='0x0000' bus='0x00' slot='0x04' function='0x0'"; nic "domain='0x0000' bus='0x00' slot='0x20' function='0x0'"; } |
    c 090 collision-and-bad-address q35 "a bad address before a collision"
echo "<sound/><serial type='pty'/><console type='pty'>$A20</console>" | c 091 sound-then-console q35 "read order: consoles before sound"
{ echo "<controller type='pci' index='1' model='pcie-root-port'><target chassis='x'/></controller>"; nic "domain='0x0001' bus='0x00' slot='0x03' function='0x0'"; } |
    c 092 target-then-domain q35 "a parse refusal before any reservation"

# ------------------------------------------------------------------ the oracle
normalize() { sed -e 's#<name>[^<]*</name>#<name/>#' -e 's#<uuid>[^<]*</uuid>#<uuid/>#' -e 's#from /tmp/[^ ]*#from TMP#' "$1"; }
status=0
for in in "$OUT"/*.in.xml; do
    stem=${in%.in.xml} rc=0
    tmpo=$(mktemp) tmpe=$(mktemp)
    "$ORACLE" place "$in" >"$tmpo" 2>"$tmpe" || rc=$?
    if [ $MODE = write ]; then
        if [ $rc -eq 0 ]; then mv "$tmpo" "$stem.out.xml"; rm -f "$stem.err.txt" "$tmpe"
        else mv "$tmpe" "$stem.err.txt"; rm -f "$stem.out.xml" "$tmpo"; fi
        echo "$(basename "$stem"): $([ $rc -eq 0 ] && echo defined || tail -1 "$stem.err.txt")"
    else
        want=$stem.out.xml got=$tmpo
        [ $rc -eq 0 ] || { want=$stem.err.txt got=$tmpe; }
        if [ -f "$want" ] && diff <(normalize "$want") <(normalize "$got") >/dev/null; then
            echo "$(basename "$stem"): same"
        else
            echo "$(basename "$stem"): DIFFERS"; status=1
        fi
        rm -f "$tmpo" "$tmpe"
    fi
done
exit $status
