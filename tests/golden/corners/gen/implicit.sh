#!/usr/bin/env bash
# implicit.sh -- golden cases 001-099 of tests/golden/corners: the devices, controllers
# and default models libvirt 9.0 (QEMU driver, QEMU 7.2) adds on its own at define time.
#
#   implicit.sh [--check] [--jobs N] [--only REGEX] [--inputs-only]
#
# Writes every input place/NNN-name.in.xml, then runs `libvirt-oracle place` on each and
# stores stdout as NNN-name.out.xml (define succeeded) or stderr as NNN-name.err.txt
# (define refused), removing the stale other file.  --check compares instead of writing
# (ignoring <name>, <uuid> and the temporary path in the first error line) and exits 1
# on any difference.  Cases 001-099 belong to this script; 100-299 to another generator.
#
# The oracle always rewrites <domain type=...> to 'qemu'.  The few cases about the domain
# type itself (marked rawtype) therefore bypass the oracle: they run `virsh define` /
# `dumpxml --inactive` / `undefine` on the same libvirtd with the type left as written.
set -euo pipefail

ORACLE=${ORACLE:-/work/shared/oracle/libvirt-oracle}
HERE=$(cd "$(dirname "$0")/.." && pwd)
OUT=$HERE/place
MODE=write JOBS=2 ONLY=. INPUTS_ONLY=0
while [ $# -gt 0 ]; do
    case "$1" in
        --check) MODE=check ;;
        --jobs) JOBS=$2; shift ;;
        --only) ONLY=$2; shift ;;
        --inputs-only) INPUTS_ONLY=1 ;;
        *) echo "usage: $0 [--check] [--jobs N] [--only REGEX] [--inputs-only]" >&2; exit 2 ;;
    esac
    shift
done

# ---------------------------------------------------------------- running one case
normalize() {   # stable text of a result file for --check
    sed -e 's#<name>[^<]*</name>#<name/>#' -e 's#<uuid>[^<]*</uuid>#<uuid/>#' \
        -e 's#from /tmp/[^ ]*#from TMP#' "$1"
}

raw_place() {   # like `libvirt-oracle place` but keeps <domain type>; for rawtype cases
    local in=$1 tmp name rc=0
    tmp=$(mktemp -d); name="corners-raw-$$-$RANDOM"
    python3 - "$in" "$tmp/dom.xml" "$name" <<'PY'
import sys, xml.etree.ElementTree as ET
src, dst, name = sys.argv[1:]
tree = ET.parse(src); root = tree.getroot()
for tag in ("name", "uuid"):
    for e in root.findall(tag): root.remove(e)
n = ET.Element("name"); n.text = name; root.insert(0, n)
tree.write(dst)
PY
    if virsh -q -c qemu:///system define "$tmp/dom.xml" >/dev/null; then
        virsh -q -c qemu:///system dumpxml --inactive "$name" || rc=$?
        virsh -q -c qemu:///system undefine "$name" >/dev/null 2>&1 || true
    else
        rc=1
    fi
    rm -rf "$tmp"
    return $rc
}

run_one() {     # run_one MODE IN.xml
    local mode=$1 in=$2 stem tmpo tmpe rc=0 runner=("$ORACLE" place)
    stem=${in%.in.xml}
    head -1 "$in" | grep -q 'rawtype' && runner=(raw_place)
    tmpo=$(mktemp); tmpe=$(mktemp)
    "${runner[@]}" "$in" >"$tmpo" 2>"$tmpe" || rc=$?
    if [ "$mode" = write ]; then
        if [ $rc -eq 0 ]; then mv "$tmpo" "$stem.out.xml"; rm -f "$stem.err.txt" "$tmpe"
        else mv "$tmpe" "$stem.err.txt"; rm -f "$stem.out.xml" "$tmpo"; fi
        echo "$(basename "$stem"): $([ $rc -eq 0 ] && echo defined || echo refused)"
    else
        local want got
        if [ $rc -eq 0 ]; then want=$stem.out.xml got=$tmpo; else want=$stem.err.txt got=$tmpe; fi
        if [ -f "$want" ] && diff <(normalize "$want") <(normalize "$got") >/dev/null; then
            echo "$(basename "$stem"): same"
        else
            echo "$(basename "$stem"): DIFFERS" ; rm -f "$tmpo" "$tmpe"; return 1
        fi
        rm -f "$tmpo" "$tmpe"
    fi
}


# ---------------------------------------------------------------- writing inputs
# dom NUM NAME MACHINE ABOUT EXPECT  (device lines on stdin, indented by 4 here)
# DOMTYPE overrides the domain type (default kvm).
dom() {
    local f="$OUT/$1-$2.in.xml"
    {
        echo "<!-- corners: about=$4; expect=$5 -->"
        echo "<domain type='${DOMTYPE:-kvm}'>"
        echo "  <name>corners-$1-$2</name>"
        echo "  <memory unit='MiB'>256</memory>"
        echo "  <os><type arch='x86_64' machine='$3'>hvm</type></os>"
        echo "  <devices>"
        sed 's/^/    /'
        echo "  </devices>"
        echo "</domain>"
    } >"$f"
}
# raw NUM NAME ABOUT EXPECT  (everything after the comment line on stdin)
raw() { { echo "<!-- corners: about=$3; expect=$4 -->"; cat; } >"$OUT/$1-$2.in.xml"; }

NIC() { echo "<interface type='network'><mac address='52:54:00:00:${1}'/><source network='default'/><model type='virtio'/></interface>"; }
VDISK="<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.qcow2'/><target dev='vda' bus='virtio'/></disk>"
SCSIHD() { # SCSIHD CONTROLLER UNIT [HOSTNUM]
    echo "<hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host${3:-0}'/><address bus='0' target='0' unit='$2'/></source><address type='drive' controller='$1' bus='0' target='0' unit='$2'/></hostdev>"
}

mkdir -p "$OUT"
# ================================================================ the cases
# ---- graphics with no video: implicit video (001-019)
dom 001 pc-vnc-novideo pc "graphics vnc and no video" "libvirt adds the default video as primary" <<X
<graphics type='vnc'/>
X
dom 002 q35-vnc-novideo q35 "graphics vnc and no video" "libvirt adds the default video as primary" <<X
<graphics type='vnc'/>
X
dom 003 pc-spice-novideo pc "graphics spice and no video" "implicit video; spice may change the default model" <<X
<graphics type='spice'/>
X
dom 004 q35-spice-novideo q35 "graphics spice and no video" "implicit video; spice may change the default model" <<X
<graphics type='spice'/>
X
dom 005 pc-sdl-novideo pc "graphics sdl and no video" "implicit video" <<X
<graphics type='sdl'/>
X
dom 006 q35-egl-headless-novideo q35 "graphics egl-headless alone and no video" "implicit video or a refusal" <<X
<graphics type='egl-headless'/>
X
dom 007 pc-vnc-novideo-around pc "virtio disk and nic before, nic after graphics vnc; no video" "implicit video keeps the primary slot; others follow" <<X
$VDISK
$(NIC 01:01)
<graphics type='vnc'/>
$(NIC 01:02)
X
dom 008 q35-vnc-novideo-around q35 "virtio disk and nic before, nic after graphics vnc; no video" "implicit video keeps the primary slot; others follow" <<X
$VDISK
$(NIC 01:01)
<graphics type='vnc'/>
$(NIC 01:02)
X
dom 009 pc-vnc-novideo-slot2-taken pc "graphics vnc, no video, a nic written at 00:02.0" "where the implicit video goes when its slot is taken" <<X
<interface type='network'><mac address='52:54:00:00:02:01'/><source network='default'/><model type='virtio'/><address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/></interface>
<graphics type='vnc'/>
X
dom 010 q35-vnc-novideo-slot1-taken q35 "graphics vnc, no video, a nic written at 00:01.0" "where the implicit video goes when its slot is taken" <<X
<interface type='network'><mac address='52:54:00:00:02:02'/><source network='default'/><model type='e1000e'/><address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/></interface>
<graphics type='vnc'/>
X
dom 011 pc-vnc-ramfb pc "graphics vnc with a ramfb video" "no implicit video (ramfb is not PCI)" <<X
<graphics type='vnc'/>
<video><model type='ramfb'/></video>
X
dom 012 q35-vnc-videonone q35 "graphics vnc with video model none" "no implicit video" <<X
<graphics type='vnc'/>
<video><model type='none'/></video>
X
dom 013 pc-vnc-spice-novideo pc "two graphics (vnc, spice), no video" "one implicit video" <<X
<graphics type='vnc'/>
<graphics type='spice'/>
X
dom 014 q35-vnc-spice-novideo q35 "two graphics (vnc, spice), no video" "one implicit video" <<X
<graphics type='spice'/>
<graphics type='vnc'/>
X
dom 015 pc-video-empty pc "<video/> with no model, no graphics" "default video model written" <<X
<video/>
X
dom 016 q35-video-model-notype q35 "<video><model/></video> (model element without type)" "default model or a refusal" <<X
<video><model/></video>
X
dom 017 q35-video-empty q35 "<video/> with no model, no graphics" "default video model written" <<X
<video/>
X
dom 018 pc-rdp-novideo pc "graphics rdp, no video" "refused by QEMU driver?" <<X
<graphics type='rdp'/>
X
dom 019 q35-dbus-novideo q35 "graphics dbus, no video" "implicit video or refusal" <<X
<graphics type='dbus'/>
X
# ---- USB (020-035)
dom 020 pc-usb-idx1-only pc "one usb controller at index 1 with no model" "libvirt adds index 0 too" <<X
<controller type='usb' index='1'/>
X
dom 021 q35-usb-idx1-only q35 "one usb controller at index 1 with no model" "libvirt adds index 0 too" <<X
<controller type='usb' index='1'/>
X
dom 022 pc-usb-idx2-xhci pc "usb qemu-xhci at index 2 only" "libvirt adds index 0 (default model); not 1" <<X
<controller type='usb' index='2' model='qemu-xhci'/>
X
dom 023 q35-usb-idx1-idx3 q35 "usb nec-xhci at index 1 and 3" "libvirt adds index 0 only" <<X
<controller type='usb' index='1' model='nec-xhci'/>
<controller type='usb' index='3' model='nec-xhci'/>
X
dom 024 pc-usb-none0-plus-idx1 pc "usb index 0 model none plus index 1 piix3-uhci" "refused" <<X
<controller type='usb' index='0' model='none'/>
<controller type='usb' index='1' model='piix3-uhci'/>
X
dom 025 q35-usb-none0-plus-idx1 q35 "usb index 0 model none plus index 1 qemu-xhci" "refused" <<X
<controller type='usb' index='0' model='none'/>
<controller type='usb' index='1' model='qemu-xhci'/>
X
dom 026 pc-usb-ehci-set-idx1 pc "ich9-ehci1 + ich9-uhci1..3 companions at index 1, no index 0" "index 0 added with the machine default" <<X
<controller type='usb' index='1' model='ich9-ehci1'/>
<controller type='usb' index='1' model='ich9-uhci1'><master startport='0'/></controller>
<controller type='usb' index='1' model='ich9-uhci2'><master startport='2'/></controller>
<controller type='usb' index='1' model='ich9-uhci3'><master startport='4'/></controller>
X
dom 027 q35-usb-ehci-set-idx1 q35 "ich9-ehci1 + ich9-uhci1..3 companions at index 1, no index 0" "index 0 added with the machine default" <<X
<controller type='usb' index='1' model='ich9-ehci1'/>
<controller type='usb' index='1' model='ich9-uhci1'><master startport='0'/></controller>
<controller type='usb' index='1' model='ich9-uhci2'><master startport='2'/></controller>
<controller type='usb' index='1' model='ich9-uhci3'><master startport='4'/></controller>
X
dom 028 pc-usb-noindex pc "usb controller with neither index nor model" "becomes index 0 with the machine default model" <<X
<controller type='usb'/>
X
dom 029 q35-usb-noindex q35 "usb controller with neither index nor model" "becomes index 0 with the machine default model" <<X
<controller type='usb'/>
X
dom 030 pc-usb-two-noindex pc "two usb controllers without index (qemu-xhci, no model)" "indexes 0 and 1 by order" <<X
<controller type='usb' model='qemu-xhci'/>
<controller type='usb'/>
X
dom 031 q35-usb-uhci-no-master q35 "ich9-uhci1 at index 0 without its ich9-ehci1 master" "refused?" <<X
<controller type='usb' index='0' model='ich9-uhci1'><master startport='0'/></controller>
X
dom 032 pc-usb-none-tablet pc "usb model none and a usb tablet" "refused" <<X
<controller type='usb' model='none'/>
<input type='tablet' bus='usb'/>
X
dom 033 q35-usb-ehci1-alone q35 "user-written ich9-ehci1 at index 0 alone" "companions are not added for a written controller" <<X
<controller type='usb' index='0' model='ich9-ehci1'/>
X
dom 034 pc-usb-idx0-nomodel pc "explicit usb index 0 with no model" "machine default model written" <<X
<controller type='usb' index='0'/>
X
dom 035 q35-usb-idx0-nomodel q35 "explicit usb index 0 with no model" "machine default model written" <<X
<controller type='usb' index='0'/>
X
# ---- SCSI hostdev (036-045)
dom 036 pc-scsihostdev-c0 pc "scsi hostdev on drive controller 0, no scsi controller" "scsi controller 0 added" <<X
$(SCSIHD 0 0)
X
dom 037 q35-scsihostdev-c0 q35 "scsi hostdev on drive controller 0, no scsi controller" "scsi controller 0 added" <<X
$(SCSIHD 0 0)
X
dom 038 pc-scsihostdev-c2 pc "scsi hostdev on drive controller 2, no scsi controller" "scsi controllers 0,1,2 added" <<X
$(SCSIHD 2 0)
X
dom 039 q35-scsihostdev-c1 q35 "scsi hostdev on drive controller 1, no scsi controller" "scsi controllers 0,1 added" <<X
$(SCSIHD 1 0)
X
dom 040 pc-scsihostdev-several pc "three scsi hostdevs on controllers 0,0,1" "scsi controllers 0 and 1" <<X
$(SCSIHD 0 0 0)
$(SCSIHD 0 1 1)
$(SCSIHD 1 0 2)
X
dom 041 q35-scsihostdev-virtioscsi1 q35 "virtio-scsi controller at index 1 and a scsi hostdev on controller 1" "index 0 added with the model of controller 1" <<X
<controller type='scsi' index='1' model='virtio-scsi'/>
$(SCSIHD 1 0)
X
dom 042 pc-scsihostdev-scsidisk pc "scsi disk on controller 0 and scsi hostdev on controller 1" "controllers added by disk and hostdev rules" <<X
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.img'/><target dev='sda' bus='scsi'/><address type='drive' controller='0' bus='0' target='0' unit='0'/></disk>
$(SCSIHD 1 0)
X
dom 043 q35-scsihostdev-noaddr q35 "scsi hostdev with no <address>" "drive address assigned, controller 0 added" <<X
<hostdev mode='subsystem' type='scsi'><source><adapter name='scsi_host0'/><address bus='0' target='0' unit='0'/></source></hostdev>
X
dom 044 pc-scsidisk-noaddr pc "scsi disk sdb with no address, no controller" "drive address from target name, lsilogic? controller 0" <<X
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.img'/><target dev='sdb' bus='scsi'/></disk>
X
dom 045 q35-scsihostdev-c0-virtioscsi0 q35 "virtio-scsi index 0 exists, scsi hostdevs on controller 0 and 2" "indexes 1,2 added with model virtio-scsi?" <<X
<controller type='scsi' index='0' model='virtio-scsi'/>
$(SCSIHD 0 0 0)
$(SCSIHD 2 0 1)
X
# ---- virtio-serial (046-057)
CH() { echo "<channel type='unix'><target type='virtio' name='org.example.$1'/>${2:+<address type='virtio-serial' controller='$2' bus='0' port='$3'/>}</channel>"; }
CONS() { echo "<console type='pty'><target type='virtio'/>${1:+<address type='virtio-serial' controller='$1' bus='0' port='$2'/>}</console>"; }
dom 046 pc-channel-c0 pc "virtio channel on virtio-serial controller 0, no controller" "virtio-serial 0 added" <<X
$(CH a 0 1)
X
dom 047 q35-channel-c0 q35 "virtio channel on virtio-serial controller 0, no controller" "virtio-serial 0 added" <<X
$(CH a 0 1)
X
dom 048 pc-channel-c1 pc "virtio channel on controller 1, no controller" "only index 1 added" <<X
$(CH a 1 1)
X
dom 049 q35-channel-c2 q35 "virtio channel on controller 2, no controller" "only index 2 added" <<X
$(CH a 2 1)
X
dom 050 pc-channel-c3-with-c0 pc "virtio-serial index 0 exists; channel on controller 3" "index 3 added" <<X
<controller type='virtio-serial' index='0'/>
$(CH a 3 1)
X
dom 051 q35-channels-consoles-mixed q35 "channels on controllers 0 and 2, virtio console on 1" "indexes added in device order: channels first, then consoles" <<X
$(CH a 2 1)
$(CONS 1 1)
$(CH b 0 1)
X
dom 052 pc-console-virtio-only pc "virtio console with no address and no channel" "virtio-serial 0 added; serial stub?" <<X
$(CONS)
X
dom 053 q35-console-virtio-c3 q35 "virtio console on controller 3" "only index 3 added" <<X
$(CONS 3 1)
X
dom 054 pc-channel-noaddr pc "virtio channel (qemu-ga) with no address" "virtio-serial 0 added" <<X
<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
X
dom 055 q35-channel-noaddr-vs1 q35 "virtio-serial index 1 exists; channel with no address" "controller 0 added anyway" <<X
<controller type='virtio-serial' index='1'/>
<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
X
dom 056 pc-console-serial-first pc "a pty console with no target type (first console)" "serial port created from it; no PCI" <<X
<console type='pty'/>
X
dom 057 q35-serial-console-virtio q35 "serial pty + virtio console (as first console)" "stub serial console + virtio-serial 0" <<X
<serial type='pty'/>
<console type='pty'><target type='virtio'/></console>
X
# ---- default models (058-075)
dom 058 pc-nic-network-nomodel pc "interface type network with no model" "default NIC model written" <<X
<interface type='network'><mac address='52:54:00:00:58:01'/><source network='default'/></interface>
X
dom 059 q35-nic-network-nomodel q35 "interface type network with no model" "default NIC model written" <<X
<interface type='network'><mac address='52:54:00:00:59:01'/><source network='default'/></interface>
X
dom 060 pc-nic-kinds-nomodel pc "bridge, user, direct, ethernet interfaces with no model" "default NIC model for each type" <<X
<interface type='bridge'><mac address='52:54:00:00:60:01'/><source bridge='br0'/></interface>
<interface type='user'><mac address='52:54:00:00:60:02'/></interface>
<interface type='direct'><mac address='52:54:00:00:60:03'/><source dev='eth0' mode='bridge'/></interface>
<interface type='ethernet'><mac address='52:54:00:00:60:04'/></interface>
X
dom 061 q35-nic-kinds-nomodel q35 "bridge, user, direct, ethernet interfaces with no model" "default NIC model for each type" <<X
<interface type='bridge'><mac address='52:54:00:00:61:01'/><source bridge='br0'/></interface>
<interface type='user'><mac address='52:54:00:00:61:02'/></interface>
<interface type='direct'><mac address='52:54:00:00:61:03'/><source dev='eth0' mode='bridge'/></interface>
<interface type='ethernet'><mac address='52:54:00:00:61:04'/></interface>
X
dom 062 pc-nic-vhostuser-nomodel pc "vhostuser interface with no model" "virtio or refusal" <<X
<interface type='vhostuser'><mac address='52:54:00:00:62:01'/><source type='unix' path='/tmp/vhost.sock' mode='client'/></interface>
X
dom 063 pc-sound-nomodel pc "<sound/> with no model" "refused or a default" <<X
<sound/>
X
dom 064 q35-sound-ich9 q35 "<sound model='ich9'/> with no address" "placed or refused (issue 20 mentions ich7)" <<X
<sound model='ich9'/>
X
dom 065 pc-memballoon-nomodel pc "<memballoon/> with no model" "refused (model required?)" <<X
<memballoon/>
X
dom 066 pc-scsi-nomodel pc "scsi controller with no model, no index" "default scsi model written" <<X
<controller type='scsi'/>
X
dom 067 q35-scsi-nomodel q35 "scsi controller index 0 with no model" "default scsi model written" <<X
<controller type='scsi' index='0'/>
X
dom 068 pc-watchdog-nomodel pc "<watchdog/> with no model" "default or refusal" <<X
<watchdog/>
X
dom 069 q35-watchdog-nomodel q35 "<watchdog action='reset'/> with no model" "default or refusal" <<X
<watchdog action='reset'/>
X
dom 070 q35-rng-nomodel q35 "<rng> with no model attribute" "refused (model required?)" <<X
<rng><backend model='random'>/dev/urandom</backend></rng>
X
dom 071 pc-inputs-nobus pc "tablet, mouse, keyboard inputs with no bus" "default buses; implicit ps2 inputs" <<X
<input type='tablet'/>
<input type='mouse'/>
<input type='keyboard'/>
X
dom 072 q35-controllers-nomodel q35 "virtio-serial, sata, ide controllers with no model" "defaults written; ide refused on q35?" <<X
<controller type='virtio-serial'/>
<controller type='sata' index='1'/>
X
dom 073 pc-sata-ide-nomodel pc "sata controller with no model on pc; ide index 0" "ahci placed, ide at 00:01.1" <<X
<controller type='sata'/>
<controller type='ide' index='0'/>
X
dom 074 q35-panic-nomodel q35 "<panic/> with no model" "default model isa" <<X
<panic/>
X
dom 075 pc-video-vnc-qxl-after-nic pc "nic first then graphics vnc and video qxl with no attrs" "qxl gets its default ram/vram/vgamem/heads and stays primary" <<X
$(NIC 75:01)
<graphics type='vnc'/>
<video><model type='qxl'/></video>
X
# ---- other implicit controllers (076-091)
dom 076 pc-smartcard pc "smartcard host mode, no ccid controller" "ccid controller 0 added; usb address" <<X
<smartcard mode='host'/>
X
dom 077 q35-smartcard-two q35 "two smartcards, one with ccid controller 1" "ccid 0 and 1 added" <<X
<smartcard mode='host'/>
<smartcard mode='passthrough' type='spicevmc'><address type='ccid' controller='1' slot='0'/></smartcard>
X
dom 078 pc-fdc-disk pc "floppy disk on fdc bus" "fdc controller 0 added (not PCI)" <<X
<disk type='file' device='floppy'><source file='/var/lib/libvirt/images/f.img'/><target dev='fda' bus='fdc'/></disk>
X
dom 079 q35-fdc-disk q35 "floppy disk on fdc bus on q35" "fdc controller added or refused" <<X
<disk type='file' device='floppy'><source file='/var/lib/libvirt/images/f.img'/><target dev='fda' bus='fdc'/></disk>
X
dom 080 pc-ide-controller1 pc "ide disk with drive address controller 1" "refused: second IDE on pc" <<X
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.img'/><target dev='hda' bus='ide'/><address type='drive' controller='1' bus='0' target='0' unit='0'/></disk>
X
dom 081 q35-sata-controller-gap q35 "sata disks on drive controllers 0 and 2" "sata 1 and 2 added (with PCI addresses)" <<X
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.img'/><target dev='sda' bus='sata'/><address type='drive' controller='0' bus='0' target='0' unit='0'/></disk>
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/b.img'/><target dev='sdb' bus='sata'/><address type='drive' controller='2' bus='0' target='0' unit='0'/></disk>
X
dom 082 pc-sata-controller1 pc "sata disk on drive controller 1 on pc" "ahci 0 and 1 added" <<X
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.img'/><target dev='sda' bus='sata'/><address type='drive' controller='1' bus='0' target='0' unit='0'/></disk>
X
dom 083 pc-scsi-controller3 pc "scsi disk on drive controller 3" "scsi 0..3 added" <<X
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.img'/><target dev='sda' bus='scsi'/><address type='drive' controller='3' bus='0' target='0' unit='0'/></disk>
X
dom 084 q35-scsi-sdh q35 "scsi disk sdh with no address" "drive address from name; controller(s) added" <<X
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.img'/><target dev='sdh' bus='scsi'/></disk>
X
dom 085 pc-scsi-sdo pc "scsi disk sdo with no address" "drive address from name; controllers added" <<X
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.img'/><target dev='sdo' bus='scsi'/></disk>
X
dom 086 q35-scsi-sdh-virtioscsi q35 "virtio-scsi index 0 written; scsi disk sdh with no address" "virtio-scsi: sdh fits controller 0" <<X
<controller type='scsi' index='0' model='virtio-scsi'/>
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.img'/><target dev='sdh' bus='scsi'/></disk>
X
dom 087 q35-sata-sdg q35 "sata disk sdg with no address" "sata controller 1 added" <<X
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.img'/><target dev='sdg' bus='sata'/></disk>
X
dom 088 pc-ide-hdc pc "ide cdrom hdc with no address" "controller 0 bus 1; no new controller" <<X
<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/><readonly/></disk>
X
dom 089 pc-ide-hde pc "ide disk hde with no address" "drive controller 1 -> refused" <<X
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.img'/><target dev='hde' bus='ide'/></disk>
X
dom 090 q35-ide-disk q35 "ide disk hda on q35" "refused" <<X
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.img'/><target dev='hda' bus='ide'/></disk>
X
dom 091 pc-all-implicit pc "vnc, scsi hostdev c1, channel c2, smartcard, sata disk c1, usb idx 2" "every implicit rule at once: order of added controllers" <<X
<controller type='usb' index='2' model='qemu-xhci'/>
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.img'/><target dev='sda' bus='sata'/><address type='drive' controller='1' bus='0' target='0' unit='0'/></disk>
$(SCSIHD 1 0)
$(CH a 2 1)
<smartcard mode='host'/>
<graphics type='vnc'/>
X
dom 092 q35-all-implicit q35 "vnc, scsi hostdev c1, channel c2, smartcard, sata disk c2, usb idx 2" "every implicit rule at once: order of added controllers" <<X
<controller type='usb' index='2' model='qemu-xhci'/>
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.img'/><target dev='sda' bus='sata'/><address type='drive' controller='2' bus='0' target='0' unit='0'/></disk>
$(SCSIHD 1 0)
$(CH a 2 1)
<smartcard mode='host'/>
<graphics type='vnc'/>
X
# ---- two <devices> elements (093-094)
raw 093 pc-two-devices "devices split across two <devices> elements" "libvirt reads both?" <<X
<domain type='kvm'>
  <name>corners-093</name>
  <memory unit='MiB'>256</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    $VDISK
    $(NIC 93:01)
  </devices>
  <devices>
    $(NIC 93:02)
    <graphics type='vnc'/>
    <controller type='usb' index='1' model='qemu-xhci'/>
  </devices>
</domain>
X
raw 094 q35-two-devices "devices split across two <devices> elements" "libvirt reads both?" <<X
<domain type='kvm'>
  <name>corners-094</name>
  <memory unit='MiB'>256</memory>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    $(NIC 94:01)
  </devices>
  <devices>
    $VDISK
    $(NIC 94:02)
    <video><model type='virtio'/></video>
  </devices>
</domain>
X
# ---- domain types (095-099): rawtype = run with virsh directly, type kept
DOMTYPE=hvf dom 095 pc-type-hvf pc "domain type hvf (rawtype)" "refused on a Linux host (no hvf capability)?" <<X
$(NIC 95:01)
X
DOMTYPE=xen dom 096 pc-type-xen pc "domain type xen on the QEMU driver (rawtype)" "refused" <<X
$(NIC 96:01)
X
DOMTYPE=kvm dom 097 q35-type-kvm q35 "domain type kvm (rawtype; the oracle host has no /dev/kvm?)" "accepted or refused" <<X
$(NIC 97:01)
X
dom 098 q35-smartcard-ccid1 q35 "one smartcard on ccid controller 1, no ccid controller" "only ccid index 1 added?" <<X
<smartcard mode='passthrough' type='spicevmc'><address type='ccid' controller='1' slot='0'/></smartcard>
X
dom 099 pc-video-models-noattrs pc "videos vga, virtio, qxl with no attributes" "default vram/heads/primary per model" <<X
<video><model type='vga'/></video>
<video><model type='virtio'/></video>
<video><model type='qxl'/></video>
X
# ================================================================ end of cases

[ $INPUTS_ONLY = 1 ] && exit 0

# ---------------------------------------------------------------- running all
export ORACLE
export -f run_one raw_place normalize
fail=0
ls "$OUT" | grep -E '^0[0-9][0-9]-.*\.in\.xml$' | grep -E -- "$ONLY" | sed "s#^#$OUT/#" |
    xargs -P "$JOBS" -I{} bash -c 'run_one "$0" "$1"' "$MODE" {} || fail=1
exit $fail
