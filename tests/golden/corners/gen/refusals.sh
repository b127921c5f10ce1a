#!/usr/bin/env bash
# refusals.sh -- golden cases 100-299 of tests/golden/corners:
#   100-199  define-time refusals of libvirt 9.0 (QEMU driver, QEMU 7.2) that concern PCI
#            controllers, PCI addresses and the x86 devices pcitopo models, with their
#            siblings and a few "this one is accepted" controls;
#   200-299  how libvirt reads each number pcitopo reads (base, sign, blanks, overflow).
#
#   refusals.sh [--check] [--jobs N] [--only REGEX] [--inputs-only]
#
# Writes every input place/NNN-name.in.xml (first line: <!-- corners: about=...; expect=... -->),
# then runs `libvirt-oracle place` on each and stores stdout as NNN-name.out.xml (define
# succeeded) or stderr as NNN-name.err.txt (define refused), removing the stale other file.
# --check compares with the stored files instead (ignoring <name>, <uuid> and the temporary
# path of the first error line) and exits 1 on any difference.  Finally the case table
# between the BEGIN/END CASE TABLE markers of ../REFUSALS.md is rewritten.
# Cases 001-099 belong to implicit.sh; this script never touches them.
set -euo pipefail

ORACLE=${ORACLE:-/work/shared/oracle/libvirt-oracle}
HERE=$(cd "$(dirname "$0")/.." && pwd)
OUT=$HERE/place
MODE=write JOBS=3 ONLY=. INPUTS_ONLY=0
while [ $# -gt 0 ]; do
    case "$1" in
        --check) MODE=check ;;
        --jobs) JOBS=$2; shift ;;
        --only) ONLY=$2; shift ;;
        --inputs-only) INPUTS_ONLY=1 ;;
        --run-one) MODE=$2; shift 2; break ;;
        *) echo "usage: $0 [--check] [--jobs N] [--only REGEX] [--inputs-only]" >&2; exit 2 ;;
    esac
    shift
done

# ------------------------------------------------------------------ running one case
normalize() {
    sed -e 's#<name>[^<]*</name>#<name/>#' -e 's#<uuid>[^<]*</uuid>#<uuid/>#' \
        -e 's#from /tmp/[^ ]*#from TMP#' "$1"
}

run_one() {     # run_one MODE IN.xml
    local mode=$1 in=$2 stem tmpo tmpe rc=0
    stem=${in%.in.xml}
    tmpo=$(mktemp); tmpe=$(mktemp)
    "$ORACLE" place "$in" >"$tmpo" 2>"$tmpe" || rc=$?
    if [ "$mode" = write ]; then
        if [ $rc -eq 0 ]; then mv "$tmpo" "$stem.out.xml"; rm -f "$stem.err.txt" "$tmpe"
        else mv "$tmpe" "$stem.err.txt"; rm -f "$stem.out.xml" "$tmpo"; fi
        echo "$(basename "$stem"): $([ $rc -eq 0 ] && echo defined || echo refused)"
    else
        local want got
        if [ $rc -eq 0 ]; then want=$stem.out.xml got=$tmpo; else want=$stem.err.txt got=$tmpe; fi
        if [ -f "$want" ] && diff <(normalize "$want") <(normalize "$got") >/dev/null; then
            echo "$(basename "$stem"): same"; rm -f "$tmpo" "$tmpe"
        else
            echo "$(basename "$stem"): DIFFERS"; rm -f "$tmpo" "$tmpe"; return 1
        fi
    fi
}

if [ "${1:-}" != "" ] && [ "$MODE" = write -o "$MODE" = check ] && [ -f "${1:-}" ]; then
    run_one "$MODE" "$1"; exit $?
fi

# ------------------------------------------------------------------ writing the inputs
mkdir -p "$OUT"
WRITTEN=()
PRE=""          # extra elements between <memory> and <os> (vcpu, cpu/numa)

# c NUM NAME MACHINE ABOUT EXPECT   -- the <devices> body comes on stdin
c() {
    local num=$1 name=$2 mach=$3 about=$4 expect=$5 f body
    case "$num" in 1[0-9][0-9]|2[0-9][0-9]) ;; *) echo "bad case number $num" >&2; exit 2 ;; esac
    f=$OUT/$num-$mach-$name.in.xml
    body=$(cat)
    {
        printf '<!-- corners: about=%s; expect=%s -->\n' "$about" "$expect"
        printf "<domain type='kvm'>\n  <name>corners-%s-%s-%s</name>\n" "$num" "$mach" "$name"
        printf "  <memory unit='MiB'>256</memory>\n"
        [ -z "$PRE" ] || printf '%s\n' "$PRE" | sed 's/^/  /'
        printf "  <os><type arch='x86_64' machine='%s'>hvm</type></os>\n  <devices>\n" "$mach"
        printf '%s\n' "$body" | sed '/^$/d; s/^/    /'
        printf "  </devices>\n</domain>\n"
    } >"$f"
    WRITTEN+=("$f")
}

NOUSB="<controller type='usb' model='none'/>"
NOBAL="<memballoon model='none'/>"
BASE="$NOUSB
$NOBAL"
mac() { printf '52:54:00:c0:%02x:%02x' $(( $1 / 256 )) $(( $1 % 256 )); }
nic() {  # nic N MODEL [ADDRESS-ATTRS]
    local a=""; [ -z "${3:-}" ] || a="<address type='pci' $3/>"
    echo "<interface type='user'><mac address='$(mac "$1")'/><model type='$2'/>$a</interface>"
}
hd() {   # hd DOMAIN BUS SLOT FUNCTION (raw attribute text)
    echo "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='$1' bus='$2' slot='$3' function='$4'/></source></hostdev>"
}
hdnet() {  # hdnet N DOMAIN BUS SLOT FUNCTION
    echo "<interface type='hostdev' managed='yes'><mac address='$(mac "$1")'/><source><address type='pci' domain='$2' bus='$3' slot='$4' function='$5'/></source></interface>"
}
nm() { if [ -z "$1" ]; then echo empty; else printf '%s' "$1" | tr ' +-' '_pm'; fi; }   # value -> file-name part
# pv KIND VALUE: what libvirt's reader makes of VALUE, from the source (see REFUSALS.md "Numbers"):
#   i10 = signed int, base 10 (virXMLPropInt/virXPathInt)   i0 = signed int, base 0
#   u10 = unsigned, base 10, no '-' at all (virXMLPropUInt)  u0 = unsigned, base 0, no '-'
pv() {
    python3 - "$1" "$2" <<'PY'
import re, sys
kind, v = sys.argv[1], sys.argv[2]
base = 10 if kind.endswith("10") else 0
m = re.match(r"[ \t\n\r\f\v]*([+-]?)(.*)\Z", v, re.S)
sign, rest = m.group(1), m.group(2)
if base == 0:
    if re.match(r"0[xX][0-9a-fA-F]", rest): digits, b = re.match(r"0[xX]([0-9a-fA-F]+)", rest).group(1), 16; tail = rest[2 + len(digits):]
    elif rest.startswith("0"): digits = re.match(r"[0-7]*", rest).group(0); b = 8; tail = rest[len(digits):]
    else: digits = re.match(r"[0-9]*", rest).group(0); b = 10; tail = rest[len(digits):]
else:
    digits = re.match(r"[0-9]*", rest).group(0); b = 10; tail = rest[len(digits):]
if not digits or tail: print("parse error"); sys.exit()
n = int(digits, b) * (-1 if sign == "-" else 1)
if kind.startswith("u") and sign == "-": print("parse error (minus sign)"); sys.exit()
if kind.startswith("u") and n > 0xffffffff: print("parse error (overflow)"); sys.exit()
if kind.startswith("i") and not (-2**31 <= n < 2**31): print("parse error (overflow)"); sys.exit()
if n < 0: print("refused (negative)"); sys.exit()
print("reads %d" % n)
PY
}
rootports() { local i; echo "<controller type='pci' index='0' model='pcie-root'/>"; for ((i = 0; i < $1; i++)); do echo "<controller type='pci' model='pcie-root-port'/>"; done; }

# ================================================================== 100-199 refusals
# --- PCI controllers without a usable model
c 100 pci-noindex-nomodel pc "controller type=pci, no index, no model" "refused" <<EOF
$BASE
<controller type='pci'/>
EOF
c 101 pci-noindex-nomodel q35 "controller type=pci, no index, no model" "refused" <<EOF
$BASE
<controller type='pci'/>
EOF
c 102 pci-index0-nomodel pc "index 0, no model: becomes pci-root" "defined" <<EOF
$BASE
<controller type='pci' index='0'/>
EOF
c 103 pci-index0-nomodel q35 "index 0, no model: becomes pcie-root" "defined" <<EOF
$BASE
<controller type='pci' index='0'/>
EOF
c 104 pci-index1-nomodel pc "index 1, no model" "refused" <<EOF
$BASE
<controller type='pci' index='1'/>
EOF
c 105 pci-index1-nomodel q35 "index 1, no model" "refused" <<EOF
$BASE
<controller type='pci' index='1'/>
EOF
c 106 pci-index5-nomodel q35 "index 5, no model" "refused" <<EOF
$BASE
<controller type='pci' index='5'/>
EOF
c 107 pci-index2-nomodel-after-bridge pc "pci-bridge 1 then index 2 with no model" "refused" <<EOF
$BASE
<controller type='pci' index='1' model='pci-bridge'/>
<controller type='pci' index='2'/>
EOF
c 108 pci-noindex-nomodel-with-root q35 "pcie-root given, then type=pci with no index and no model" "refused" <<EOF
$BASE
<controller type='pci' index='0' model='pcie-root'/>
<controller type='pci'/>
EOF
c 109 pci-model-unknown pc "model name libvirt does not know" "refused" <<EOF
$BASE
<controller type='pci' index='1' model='pci-switch'/>
EOF
# --- PCI controller models not allowed on the machine
c 110 pcie-root-port-unaddressed-idx1 pc "pcie-root-port on pc" "refused" <<EOF
$BASE
<controller type='pci' index='1' model='pcie-root-port'/>
EOF
c 111 pcie-to-pci-bridge pc "pcie-to-pci-bridge on pc" "refused" <<EOF
$BASE
<controller type='pci' index='1' model='pcie-to-pci-bridge'/>
EOF
c 112 upstream-port pc "pcie-switch-upstream-port on pc" "refused" <<EOF
$BASE
<controller type='pci' index='1' model='pcie-switch-upstream-port'/>
EOF
c 113 pcie-expander-bus-unaddressed pc "pcie-expander-bus on pc, no address" "refused" <<EOF
$BASE
<controller type='pci' index='1' model='pcie-expander-bus'/>
EOF
c 114 pci-root-index0 q35 "pci-root as index 0 on q35" "refused" <<EOF
$BASE
<controller type='pci' index='0' model='pci-root'/>
EOF
c 115 pcie-root-index1 q35 "a second root (pcie-root index 1)" "refused" <<EOF
$BASE
<controller type='pci' index='1' model='pcie-root'/>
EOF
c 116 pci-root-index1 q35 "pci-root at index 1 on q35" "refused" <<EOF
$BASE
<controller type='pci' index='1' model='pci-root'/>
EOF
c 117 dmi-unaddressed pc "dmi-to-pci-bridge on pc, no address" "refused" <<EOF
$BASE
<controller type='pci' index='1' model='dmi-to-pci-bridge'/>
EOF
c 118 pci-root-with-address pc "pci-root with a PCI address" "refused" <<EOF
$BASE
<controller type='pci' index='0' model='pci-root'><address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/></controller>
EOF

c 119 rootport-noindex-noroot q35 "one pcie-root-port with no index and no explicit pcie-root: it takes index 0" "refused" <<EOF
$BASE
<controller type='pci' model='pcie-root-port'/>
EOF

# --- sound models
i=120
for m in ich7 ich6 ich9 ac97 es1370 sb16 pcspk; do
    for mach in pc q35; do
        c $i sound-$m $mach "unaddressed sound model $m (USB off)" "$(case $m in ich7) echo 'refused, connect flags 00';; sb16|pcspk) echo 'defined, no PCI address';; ich9) [ $mach = q35 ] && echo 'defined at 00:1b.0' || echo 'defined, PCI slot';; *) echo 'defined, PCI slot';; esac)" <<EOF
$BASE
<sound model='$m'/>
EOF
        i=$((i + 1))
    done
done
# i == 134
c 134 sound-usb-usb-off pc "sound model usb while USB is disabled" "refused" <<EOF
$BASE
<sound model='usb'/>
EOF
c 135 sound-usb q35 "sound model usb with default USB" "defined, no PCI address" <<EOF
$NOBAL
<sound model='usb'/>
EOF
c 136 sound-ich7-addressed pc "ich7 with a manual PCI address" "refused" <<EOF
$BASE
<sound model='ich7'><address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/></sound>
EOF
c 137 sound-ich7-addressed q35 "ich7 with a manual PCI address" "refused" <<EOF
$BASE
<sound model='ich7'><address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/></sound>
EOF
c 138 sound-ich7-after-nic pc "ich7 after an e1000: refusal does not depend on order" "refused" <<EOF
$BASE
$(nic 138 e1000)
<sound model='ich7'/>
EOF

# --- USB controllers
c 140 usb-index1-while-none pc "usb index 1 while index 0 is model none" "refused" <<EOF
<controller type='usb' index='0' model='none'/>
<controller type='usb' index='1' model='piix3-uhci'/>
$NOBAL
EOF
c 141 usb-index1-while-none q35 "usb index 1 while index 0 is model none" "refused" <<EOF
<controller type='usb' index='0' model='none'/>
<controller type='usb' index='1' model='qemu-xhci'/>
$NOBAL
EOF
c 142 usb-none-after-index1 q35 "model none written after a real usb controller" "refused" <<EOF
<controller type='usb' index='1' model='qemu-xhci'/>
<controller type='usb' index='0' model='none'/>
$NOBAL
EOF
c 143 usb-two-none pc "two usb model none" "refused" <<EOF
<controller type='usb' index='0' model='none'/>
<controller type='usb' index='1' model='none'/>
$NOBAL
EOF
c 144 uhci1-no-master pc "ich9-uhci1 alone at index 0" "refused" <<EOF
<controller type='usb' index='0' model='ich9-uhci1'/>
$NOBAL
EOF
c 145 uhci123-no-master q35 "ich9-uhci1/2/3 at index 0 with no ich9-ehci1" "refused" <<EOF
<controller type='usb' index='0' model='ich9-uhci1'/>
<controller type='usb' index='0' model='ich9-uhci2'/>
<controller type='usb' index='0' model='ich9-uhci3'/>
$NOBAL
EOF
c 146 uhci2-no-master q35 "ich9-uhci2 alone at index 0" "refused" <<EOF
<controller type='usb' index='0' model='ich9-uhci2'/>
$NOBAL
EOF
c 147 uhci1-master-other-index q35 "ich9-uhci1 at index 1, ehci1 only at index 0" "defined (a master anywhere is enough)" <<EOF
<controller type='usb' index='0' model='ich9-ehci1'/>
<controller type='usb' index='1' model='ich9-uhci1'/>
$NOBAL
EOF
c 148 ehci-with-companions q35 "control: ehci1 with uhci1/2/3 at index 0" "defined" <<EOF
<controller type='usb' index='0' model='ich9-ehci1'/>
<controller type='usb' index='0' model='ich9-uhci1'/>
<controller type='usb' index='0' model='ich9-uhci2'/>
<controller type='usb' index='0' model='ich9-uhci3'/>
$NOBAL
EOF
c 149 usb-dup-index-uhci pc "two piix3-uhci at index 0" "refused" <<EOF
<controller type='usb' index='0' model='piix3-uhci'/>
<controller type='usb' index='0' model='piix3-uhci'/>
$NOBAL
EOF
c 150 usb-dup-index-mixed q35 "qemu-xhci and ich9-ehci1 both at index 0" "refused" <<EOF
<controller type='usb' index='0' model='qemu-xhci'/>
<controller type='usb' index='0' model='ich9-ehci1'/>
$NOBAL
EOF
c 151 usb-dup-index1 q35 "two qemu-xhci at index 1" "refused" <<EOF
<controller type='usb' index='0' model='qemu-xhci'/>
<controller type='usb' index='1' model='qemu-xhci'/>
<controller type='usb' index='1' model='qemu-xhci'/>
$NOBAL
EOF
# --- USB devices while USB is disabled
c 152 usb-off-tablet pc "usb tablet, usb model none" "refused" <<EOF
$BASE
<input type='tablet' bus='usb'/>
EOF
c 153 usb-off-tablet q35 "usb tablet, usb model none" "refused" <<EOF
$BASE
<input type='tablet' bus='usb'/>
EOF
c 154 usb-off-keyboard q35 "usb keyboard, usb model none" "refused" <<EOF
$BASE
<input type='keyboard' bus='usb'/>
EOF
c 155 usb-off-mouse pc "usb mouse, usb model none" "refused" <<EOF
$BASE
<input type='mouse' bus='usb'/>
EOF
c 156 usb-off-hostdev q35 "usb hostdev, usb model none" "refused" <<EOF
$BASE
<hostdev mode='subsystem' type='usb' managed='yes'><source><vendor id='0x1234'/><product id='0xbeef'/></source></hostdev>
EOF
c 157 usb-off-redirdev q35 "usb redirdev, usb model none" "refused" <<EOF
$BASE
<redirdev bus='usb' type='spicevmc'/>
EOF
c 158 usb-off-hub pc "usb hub, usb model none" "refused" <<EOF
$BASE
<hub type='usb'/>
EOF
c 159 usb-off-disk q35 "usb disk, usb model none" "refused" <<EOF
$BASE
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/u.img'/><target dev='sda' bus='usb'/></disk>
EOF
c 160 usb-off-tablet-after q35 "usb model none written after the tablet" "refused" <<EOF
<input type='tablet' bus='usb'/>
$BASE
EOF
c 161 usb-off-ps2-tablet-ok pc "control: ps2 mouse with usb model none" "defined" <<EOF
$BASE
<input type='mouse' bus='ps2'/>
EOF

# --- IDE
# --- the index limit: implicit root ports are numbered up to 255 (two pcie-expander-bus give the room)
PXB2="<controller type='pci' index='0' model='pcie-root'/>
<controller type='pci' index='1' model='pcie-expander-bus'/>
<controller type='pci' index='2' model='pcie-expander-bus'/>"
c 162 pxb2-rootports-253 q35 "2 pcie-expander-bus + 253 unindexed pcie-root-port (indexes 3..255)" "defined" <<EOF
$BASE
$PXB2
$(for ((k = 0; k < 253; k++)); do echo "<controller type='pci' model='pcie-root-port'/>"; done)
EOF
c 163 pxb2-rootports-254 q35 "2 pcie-expander-bus + 254 unindexed pcie-root-port (254th gets index 256)" "refused" <<EOF
$BASE
$PXB2
$(for ((k = 0; k < 254; k++)); do echo "<controller type='pci' model='pcie-root-port'/>"; done)
EOF
c 164 pxb2-254-e1000e q35 "2 pcie-expander-bus + 254 unaddressed e1000e (each needs a root port)" "refused, index 256" <<EOF
$BASE
$PXB2
$(for ((k = 0; k < 254; k++)); do nic $((1000 + k)) e1000e; done)
EOF

c 165 ide-disk-controller1 pc "ide disk whose drive address names controller 1" "refused" <<EOF
$BASE
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.img'/><target dev='hda' bus='ide'/><address type='drive' controller='1' bus='0' target='0' unit='0'/></disk>
EOF
c 166 ide-disk-bus1 pc "control: ide disk on bus 1 of controller 0" "defined" <<EOF
$BASE
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.img'/><target dev='hdc' bus='ide'/><address type='drive' controller='0' bus='1' target='0' unit='0'/></disk>
EOF
c 167 ide-disk-bus2 pc "ide disk on bus 2" "defined (not checked at define)" <<EOF
$BASE
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.img'/><target dev='hda' bus='ide'/><address type='drive' controller='0' bus='2' target='0' unit='0'/></disk>
EOF
c 168 ide-disk-unit2 pc "ide disk on unit 2" "defined (not checked at define)" <<EOF
$BASE
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.img'/><target dev='hda' bus='ide'/><address type='drive' controller='0' bus='0' target='0' unit='2'/></disk>
EOF
c 169 ide-two-controllers pc "controllers ide index 0 and 1" "refused" <<EOF
$BASE
<controller type='ide' index='0'/>
<controller type='ide' index='1'/>
EOF
c 170 ide-dev-hde pc "ide disk hde (drive index 4 -> controller 1)" "refused" <<EOF
$BASE
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.img'/><target dev='hde' bus='ide'/></disk>
EOF
c 171 ide-disk q35 "ide disk on q35" "refused" <<EOF
$BASE
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.img'/><target dev='hda' bus='ide'/></disk>
EOF
c 172 ide-cdrom q35 "ide cdrom on q35" "refused" <<EOF
$BASE
<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/><readonly/></disk>
EOF
c 173 ide-controller0 q35 "controller type=ide index 0 on q35" "refused" <<EOF
$BASE
<controller type='ide' index='0'/>
EOF
c 174 ide-controller1 q35 "controller type=ide index 1 on q35" "refused" <<EOF
$BASE
<controller type='ide' index='1'/>
EOF

# --- the same host PCI device twice
c 176 hostdev-twice q35 "two hostdevs with host address 0000:00:1f.2" "refused" <<EOF
$BASE
$(hd 0x0000 0x00 0x1f 0x2)
$(hd 0x0000 0x00 0x1f 0x2)
EOF
c 177 hostdev-twice pc "two hostdevs with host address 0000:00:1f.2" "refused" <<EOF
$BASE
$(hd 0x0000 0x00 0x1f 0x2)
$(hd 0x0000 0x00 0x1f 0x2)
EOF
c 178 hostdev-twice-spelling q35 "same host address spelt 0x00/0x1f/0x2 and 0/31/2" "refused" <<EOF
$BASE
$(hd 0x0000 0x00 0x1f 0x2)
$(hd 0 0 31 2)
EOF
c 179 hostdev-twice-octal q35 "same host address, slot spelt 037 (octal 31)" "refused" <<EOF
$BASE
$(hd 0x0000 0x00 0x1f 0x2)
$(hd 0x0000 00 037 02)
EOF
c 180 hostdev-iface-and-hostdev q35 "interface type=hostdev and hostdev on one host address" "refused" <<EOF
$BASE
$(hdnet 180 0x0000 0x00 0x1f 0x2)
$(hd 0x0000 0x00 0x1f 0x2)
EOF
c 181 hostdev-iface-twice q35 "two interface type=hostdev on one host address" "refused" <<EOF
$BASE
$(hdnet 181 0x0000 0x00 0x1f 0x2)
$(hdnet 182 0x0000 0x00 0x1f 0x2)
EOF
c 182 hostdev-other-function q35 "control: host functions 2 and 3 of one slot" "defined" <<EOF
$BASE
$(hd 0x0000 0x00 0x1f 0x2)
$(hd 0x0000 0x00 0x1f 0x3)
EOF

# --- root ports on q35: how many fit
for n in 240 241 253 254; do
    c $((185 + (n == 241) + 2 * (n == 253) + 3 * (n == 254))) rootports-$n q35 "$n unaddressed pcie-root-port controllers" "$([ "$n" -le 240 ] && echo defined || echo refused)" <<EOF
$BASE
$(rootports "$n")
EOF
done
# 185..188
c 189 rootport-index255 q35 "root port at index 255 (largest index)" "refused, 254 implicit root ports do not fit" <<EOF
$BASE
<controller type='pci' index='255' model='pcie-root-port'/>
EOF

# --- other PCI address / controller refusals
c 190 pci-index256 pc "pci-bridge index 256" "refused" <<EOF
$BASE
<controller type='pci' index='256' model='pci-bridge'/>
EOF
c 191 pci-dup-index pc "two pci-bridge at index 1" "refused" <<EOF
$BASE
<controller type='pci' index='1' model='pci-bridge'/>
<controller type='pci' index='1' model='pci-bridge'/>
EOF
c 192 addr-bus-missing pc "device on bus 3 with no such bus" "defined, buses 1-3 added" <<EOF
$BASE
$(nic 192 e1000 "domain='0x0000' bus='0x03' slot='0x01' function='0x0'")
EOF
c 193 addr-slot0-pciroot pc "device at slot 0 of pci-root" "defined, all-zero address means unaddressed" <<EOF
$BASE
$(nic 193 e1000 "domain='0x0000' bus='0x00' slot='0x00' function='0x0'")
EOF
c 194 addr-func1-no-func0 pc "device at function 1 with nothing at function 0" "defined" <<EOF
$BASE
$(nic 194 e1000 "domain='0x0000' bus='0x00' slot='0x05' function='0x1'")
EOF
c 195 addr-function8 pc "function 8" "refused" <<EOF
$BASE
$(nic 195 e1000 "domain='0x0000' bus='0x00' slot='0x05' function='0x8'")
EOF
c 196 addr-multifunction-on-func1 pc "multifunction=on written on function 1" "defined" <<EOF
$BASE
$(nic 196 e1000 "domain='0x0000' bus='0x00' slot='0x05' function='0x0'")
$(nic 197 e1000 "domain='0x0000' bus='0x00' slot='0x05' function='0x1' multifunction='on'")
EOF
c 197 addr-bus-missing q35 "device on bus 3 with no such bus" "defined, buses 1-3 added" <<EOF
$BASE
$(nic 198 e1000e "domain='0x0000' bus='0x03' slot='0x00' function='0x0'")
EOF
c 198 pci-target-index31 pc "pci-expander-bus target index 31" "refused" <<EOF
$BASE
<controller type='pci' index='1' model='pci-expander-bus'><target index='31'/></controller>
EOF
c 183 addr-slot0-func1 pc "device at bus 0 slot 0 function 1" "defined, re-addressed (function ignored when domain, bus, slot are 0)" <<EOF
$BASE
$(nic 183 e1000 "domain='0x0000' bus='0x00' slot='0x00' function='0x1'")
EOF
c 184 addr-all-zero q35 "device at 0000:00:00.0 (all zero)" "defined, re-addressed" <<EOF
$BASE
$(nic 184 e1000e "domain='0x0000' bus='0x00' slot='0x00' function='0x0'")
EOF
c 199 pci-root-port-slot-taken q35 "two root ports given the same address" "refused" <<EOF
$BASE
<controller type='pci' index='1' model='pcie-root-port'><address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/></controller>
<controller type='pci' index='2' model='pcie-root-port'><address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/></controller>
EOF

# ================================================================== 200-299 numbers
# controller index: one pcie-root-port at index X on q35; libvirt fills the gap below it
i=200
for v in '010' '0x10' '08' ' 10' '+10' '10 ' '-1' '0010' '1e1' '' '2147483648' '-0'; do
    c $i "index-$(nm "$v")" q35 "controller index='$v'" "index $(pv i10 "$v")" <<EOF
$BASE
<controller type='pci' index='$v' model='pcie-root-port'/>
EOF
    i=$((i + 1))
done
# i == 212
c 212 index-010-dev-bus8 q35 "root port index='010' and an e1000e on bus 8" "index 10, root ports 1-9 added" <<EOF
$BASE
<controller type='pci' index='010' model='pcie-root-port'/>
$(nic 212 e1000e "domain='0x0000' bus='8' slot='0x00' function='0x0'")
EOF
c 213 index-010-dev-bus010 q35 "root port index='010' and an e1000e on bus='010'" "index 10, bus 8" <<EOF
$BASE
<controller type='pci' index='010' model='pcie-root-port'/>
$(nic 213 e1000e "domain='0x0000' bus='010' slot='0x00' function='0x0'")
EOF
c 214 usb-index-010 q35 "usb controller index='010' (same parser as every controller)" "usb index 10" <<EOF
$NOBAL
<controller type='usb' index='010' model='qemu-xhci'/>
EOF
# PCI address slot of an e1000 on pc
i=215
for v in '010' '0x10' '08' ' 10' '+10' '10 ' '-1' '0010' '1e1' '' '0X0a' '4294967301'; do
    c $i "slot-$(nm "$v")" pc "PCI address slot='$v'" "slot $(pv u0 "$v")" <<EOF
$BASE
$(nic $i e1000 "domain='0x0000' bus='0x00' slot='$v' function='0x0'")
EOF
    i=$((i + 1))
done
# i == 227: bus (q35, root ports 1..10 present)
for v in '010' '0x8' '08' ' 8' '+8'; do
    c $i "bus-$(nm "$v")" q35 "PCI address bus='$v' with root ports 1-10" "bus $(pv u0 "$v")" <<EOF
$BASE
$(rootports 10)
$(nic $i e1000e "domain='0x0000' bus='$v' slot='0x00' function='0x0'")
EOF
    i=$((i + 1))
done
# i == 232: function
for v in '07' '010' '0x7' '+1' '-0'; do
    c $i "function-$(nm "$v")" pc "PCI address function='$v' (slot 5, multifunction)" "function $(pv u0 "$v")" <<EOF
$BASE
$(nic $i e1000 "domain='0x0000' bus='0x00' slot='0x05' function='0x0' multifunction='on'")
$(nic $((i + 50)) e1000 "domain='0x0000' bus='0x00' slot='0x05' function='$v'")
EOF
    i=$((i + 1))
done
# i == 237: domain
for v in '0' '00' '-0' ' 0' ''; do
    c $i "domain-$(nm "$v")" pc "PCI address domain='$v'" "domain $(pv u0 "$v")" <<EOF
$BASE
$(nic $i e1000 "domain='$v' bus='0x00' slot='0x05' function='0x0'")
EOF
    i=$((i + 1))
done
# i == 242: <target chassis> and <target port> of a root port
for v in '010' '0x10' '08' ' 10' '+10' '10 ' '' '1e1'; do
    c $i "chassis-$(nm "$v")" q35 "root port target chassis='$v'" "chassis $(pv i0 "$v")" <<EOF
$BASE
<controller type='pci' index='1' model='pcie-root-port'><target chassis='$v' port='0x10'/></controller>
EOF
    i=$((i + 1))
done
# i == 250
for v in '010' '0x1f' '08' '+16' '020 '; do
    c $i "port-$(nm "$v")" q35 "root port target port='$v'" "port $(pv i0 "$v")" <<EOF
$BASE
<controller type='pci' index='1' model='pcie-root-port'><target chassis='1' port='$v'/></controller>
EOF
    i=$((i + 1))
done
# i == 255: chassisNr of a pci-bridge, busNr of a pci-expander-bus
for v in '010' '0x10' '08' '-1'; do
    c $i "chassisNr-$(nm "$v")" pc "pci-bridge target chassisNr='$v'" "chassisNr $(pv i0 "$v")" <<EOF
$BASE
<controller type='pci' index='1' model='pci-bridge'><target chassisNr='$v'/></controller>
EOF
    i=$((i + 1))
done
# i == 259
for v in '0200' '0x80' '128' '09' ' 128'; do
    c $i "busNr-$(nm "$v")" pc "pci-expander-bus target busNr='$v'" "busNr $(pv i0 "$v")" <<EOF
$BASE
<controller type='pci' index='1' model='pci-expander-bus'><target busNr='$v'/></controller>
EOF
    i=$((i + 1))
done
# i == 264: <target index> of a pci-expander-bus (base 0 like the other target attributes)
c 264 targetindex-010 pc "pci-expander-bus target index='010' (target index is for pSeries only)" "refused" <<EOF
$BASE
<controller type='pci' index='1' model='pci-expander-bus'><target index='010'/></controller>
EOF
c 265 chassis-2147483648 q35 "root port target chassis='2147483648' (int overflow)" "refused" <<EOF
$BASE
<controller type='pci' index='1' model='pcie-root-port'><target chassis='2147483648' port='0x10'/></controller>
EOF
i=266
# i == 266: <node> of a pcie-expander-bus, with NUMA cells 0..10
NUMA11="<vcpu placement='static'>11</vcpu>
<cpu><numa>$(for ((k = 0; k <= 10; k++)); do printf "<cell id='%d' cpus='%d' memory='16' unit='MiB'/>" $k $k; done)</numa></cpu>"
PRE=$NUMA11
for v in '010' '08' '0x1' ' 1' '+1' '1 ' '-1' '' '1e1'; do
    c $i "node-$(nm "$v")" q35 "pcie-expander-bus <node>$v</node>, 11 NUMA cells" "node $([ -z "$v" ] && echo 'ignored (empty)' || pv i10 "$v")" <<EOF
$BASE
<controller type='pci' index='1' model='pcie-expander-bus'><target><node>$v</node></target></controller>
EOF
    i=$((i + 1))
done
PRE=""
# i == 275: drive address of a SCSI disk (controller/bus/unit)
scsidisk() { echo "<disk type='file' device='disk'><source file='/var/lib/libvirt/images/s.img'/><target dev='sda' bus='scsi'/><address type='drive' controller='$1' bus='$2' target='0' unit='$3'/></disk>"; }
for cv in "010 0 0" "0x1 0 0" "0 0 010" "0 0 0x1" "0 0 +1" "0 0  1" "0 0 -1" "0 -0 0" "0 00 08"; do
    set -- $cv
    [ "$cv" = "0 0  1" ] && set -- 0 0 " 1"
    c $i "drive-c$(nm "$1")-b$(nm "$2")-u$(nm "$3")" q35 "scsi disk drive address controller='$1' bus='$2' unit='$3'" "controller $(pv u10 "$1"), bus $(pv u10 "$2"), unit $(pv u10 "$3")" <<EOF
$BASE
<controller type='scsi' index='0' model='virtio-scsi'/>
$(scsidisk "$1" "$2" "$3")
EOF
    i=$((i + 1))
done
# i == 284: drive address of an IDE disk on pc: bus
c 284 drive-ide-bus-01 pc "ide disk drive address bus='01'" "bus 1" <<EOF
$BASE
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/a.img'/><target dev='hdc' bus='ide'/><address type='drive' controller='0' bus='01' target='0' unit='0'/></disk>
EOF
# i == 285: virtio-serial address controller/port
vsch() { echo "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/><address type='virtio-serial' controller='$1' bus='0' port='$2'/></channel>"; }
i=285
for cv in "010 1" "0x1 1" "+2 1" "0 010" "0 0x2"; do
    set -- $cv
    c $i "vserial-c$(nm "$1")-p$(nm "$2")" q35 "channel virtio-serial address controller='$1' port='$2'" "controller $(pv u10 "$1"), port $(pv u10 "$2")" <<EOF
$BASE
$(vsch "$1" "$2")
EOF
    i=$((i + 1))
done
# i == 290: hostdev source address
for v in '037' '31' '0x1F' '39'; do
    c $i "hostdev-slot-$v" q35 "hostdev source address slot='$v'" "slot $(pv u0 "$v")" <<EOF
$BASE
$(hd 0x0000 0x00 "$v" 0x2)
EOF
    i=$((i + 1))
done
# i == 294: NUMA cell ids
for ids in "00 01" "0 +1" "0 0x1" "0 010" "0 -1"; do
    set -- $ids
    PRE="<vcpu placement='static'>2</vcpu>
<cpu><numa><cell id='$1' cpus='0' memory='128' unit='MiB'/><cell id='$2' cpus='1' memory='128' unit='MiB'/></numa></cpu>"
    c $i "numa-ids-$(nm "$1")-$(nm "$2")" q35 "NUMA cell ids '$1' and '$2', pxb-pcie on node 1" "ids $(pv u10 "$1") and $(pv u10 "$2")" <<EOF
$BASE
<controller type='pci' index='1' model='pcie-expander-bus'><target><node>1</node></target></controller>
EOF
    i=$((i + 1))
done
PRE=""
# i == 299: index with a leading tab character (a character reference keeps the tab)
c 299 index-tab q35 "controller index with a leading tab written as a character reference" "index 3" <<EOF
$BASE
<controller type='pci' index='&#9;3' model='pcie-root-port'/>
EOF

# ------------------------------------------------------------------ running
if [ "$INPUTS_ONLY" = 0 ]; then
    sel=()
    for f in "${WRITTEN[@]}"; do
        b=$(basename "$f" .in.xml)
        [[ $b =~ $ONLY ]] && sel+=("$f")
    done
    rc=0
    printf '%s\n' "${sel[@]}" | xargs -d '\n' -P "$JOBS" -I{} "$0" --run-one "$MODE" {} || rc=$?
fi
# stale files of 100-299 that no case writes any more
if [ "$ONLY" = . ]; then
    declare -A KEEP=()
    for f in "${WRITTEN[@]}"; do KEEP[$f]=1; done
    for f in "$OUT"/[12][0-9][0-9]-*; do
        [ -e "$f" ] || continue
        n=$(basename "$f"); n=${n%%-*}; [ "$n" -ge 100 ] || continue
        stem=${f%.in.xml}; stem=${stem%.out.xml}; stem=${stem%.err.txt}
        [ -n "${KEEP[$stem.in.xml]:-}" ] && continue
        echo "removing stale $(basename "$f")"; rm -f "$f"
    done
fi

# ------------------------------------------------------------------ the case table
"$HERE/gen/table.sh" || true
exit "${rc:-0}"
