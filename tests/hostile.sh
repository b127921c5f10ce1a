#!/bin/sh
# Hostile and broken input: every document gets a clear message and exit
# status 2 (or, when it loads, a libvirt-style refusal), never a crash or a
# hang; what pcitopo does not know is kept and shown.  Run under the
# sanitizers by CI's second build.  Each run has 30 s (a hang fails).
. "$top_srcdir/tests/tap.sh"
H="$TMP/h"
mkdir "$H"
HEAD="<domain type='kvm'><name>h</name><memory>1</memory><os><type machine='q35'>hvm</type></os><devices>"
TAIL="</devices></domain>"
doc() { printf '%s%s%s\n' "$HEAD" "$2" "$TAIL" >"$H/$1"; }
hrun() { timeout 30 "$PCITOPO" "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?; }
# refused NAME MESSAGE: tree refuses the file with exit 2 and MESSAGE
refused() {
    hrun tree "$H/$1"
    t "$1: exit 2" expect_rc 2
    t "$1: says why, naming the file" err_has "$1:"
    t "$1: $2" err_has "$2"
}

# entities: a DOCTYPE is refused before any entity is read
printf "<?xml version='1.0'?><!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><domain type='kvm'><name>&x;</name></domain>\n" >"$H/xxe-file.xml"
printf "<!DOCTYPE d [<!ENTITY x SYSTEM 'http://192.0.2.1/x'>]><domain type='kvm'><name>&x;</name></domain>\n" >"$H/xxe-net.xml"
printf "<!DOCTYPE l [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'><!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'><!ENTITY d '&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;'>]><domain type='kvm'><name>&d;&d;&d;&d;</name></domain>\n" >"$H/laughs.xml"
for f in xxe-file xxe-net laughs; do
    refused $f.xml "DOCTYPE declarations are refused"
done
t "no entity was expanded into the output" sh -c "! grep -q root: '$TMP/out' '$TMP/err'"

# size, depth, bytes
{ printf "<domain type='kvm'><name>big</name><description>"
  dd if=/dev/zero bs=1048576 count=100 2>/dev/null | tr '\0' x
  printf "</description></domain>\n"; } >"$H/big.xml"
refused big.xml "is too large for a domain XML (pcitopo reads up to 8 MiB)"
rm -f "$H/big.xml"
awk 'BEGIN { printf "<domain type=\"kvm\">"; for (i = 0; i < 10000; i++) printf "<a>";
             for (i = 0; i < 10000; i++) printf "</a>"; print "</domain>" }' >"$H/deep.xml"
refused deep.xml "elements nested more than 256 deep"
printf "<domain type='kvm'><name>\377\376</name></domain>\n" >"$H/utf8.xml"
refused utf8.xml "not well-formed XML: Input is not proper UTF-8"
printf "<domain type='kvm'><name>a\000b</name></domain>\n" >"$H/nul.xml"
refused nul.xml "NUL byte at offset"

# addresses out of every range: the file loads, the device is shown with
# libvirt's words, check and place refuse as libvirt does (exit 1)
# device_refused NAME MESSAGE
device_refused() {
    hrun tree --ascii "$H/$1"
    t "$1: loads, exit 0" expect_rc 0
    t "$1: the tree shows libvirt's words at the device" out_has "libvirt refuses: $2"
    hrun check "$H/$1"
    t "$1: check refuses, exit 1" expect_rc 1
    t "$1: check says $2" out_has "$2"
    hrun place "$H/$1"
    t "$1: place refuses, exit 1" expect_rc 1
}
doc bus.xml "<interface type='user'><address type='pci' domain='0' bus='0x100' slot='1' function='0'/></interface>"
device_refused bus.xml "XML error: Invalid PCI address bus='0x100', must be <= 0xFF"
doc slot.xml "<interface type='user'><address type='pci' domain='0' bus='0' slot='0x20' function='0'/></interface>"
device_refused slot.xml "XML error: Invalid PCI address slot='0x20', must be <= 0x1F"
doc fn.xml "<interface type='user'><address type='pci' domain='0' bus='0' slot='1' function='8'/></interface>"
device_refused fn.xml "XML error: Invalid PCI address function=0x8, must be <= 7"
doc dom.xml "<interface type='user'><address type='pci' domain='1' bus='0' slot='1' function='0'/></interface>"
device_refused dom.xml "XML error: Invalid PCI address 0001:00:01.0. Only PCI domain 0 is available"
doc chassis.xml "<controller type='pci' index='1' model='pcie-root-port'><target chassis='99999999999999999999'/></controller>"
device_refused chassis.xml "XML error: Invalid value for attribute 'chassis' in element 'target': '99999999999999999999'. Expected integer value"
# a line break or DEL in a bad address reaches neither the tree's lines
# nor check's (libvirt's words quote the value)
printf "%s<interface type='user'><address type='pci' slot='&#127;&#10;x'/></interface>%s\n" "$HEAD" "$TAIL" >"$H/ctl.xml"
no_raw_control() { ! LC_ALL=C grep -q "$(printf '\177')" "$TMP/out"; }
hrun tree --ascii "$H/ctl.xml"
t "ctl.xml: the tree writes the value's control characters as \\xNN" out_has "address slot='\\x7f\\x0ax'"
t "ctl.xml: and no raw one" no_raw_control
hrun check "$H/ctl.xml"
t "ctl.xml: check: one line and its hint" sh -c "[ $rc = 1 ] && [ \$(wc -l <'$TMP/out') = 2 ]"
t "ctl.xml: check writes no raw control character" no_raw_control
doc dupidx.xml "<controller type='pci' index='1' model='pcie-root-port'/><controller type='pci' index='1' model='pcie-root-port'/>"
refused dupidx.xml "Multiple 'pci' controllers with index '1'"

# big but well-formed: they load, libvirt's refusal is reported, no hang
awk -v h="$HEAD" -v tl="$TAIL" 'BEGIN { printf "%s", h;
    for (i = 0; i < 10000; i++) printf "<interface type=\"user\"><model type=\"virtio\"/></interface>";
    print tl }' >"$H/10k.xml"
hrun tree "$H/10k.xml"
t "10k.xml: 10,000 devices: tree works" expect_rc 0
t "10k.xml: and lists them all" sh -c "[ \$(grep -c 'interface virtio' '$TMP/out') = 10000 ]"
hrun place "$H/10k.xml"
t "10k.xml: place refuses as libvirt would, exit 1" expect_rc 1
t "10k.xml: and prints no document" sh -c "! [ -s '$TMP/out' ]"
awk -v h="$HEAD" -v tl="$TAIL" 'BEGIN { printf "%s<controller type=\"pci\" index=\"0\" model=\"pcie-root\"/>", h;
    for (i = 1; i < 256; i++) printf "<controller type=\"pci\" index=\"%d\" model=\"pcie-root-port\"/>", i;
    print tl }' >"$H/256.xml"
hrun check "$H/256.xml"
t "256.xml: 256 controllers: check reports libvirt's refusal, exit 1" expect_rc 1
hrun tree "$H/256.xml"
t "256.xml: tree works" expect_rc 0

# a loop of buses
doc loop.xml "<controller type='pci' index='0' model='pcie-root'/><controller type='pci' index='1' model='pci-bridge'><address type='pci' bus='2' slot='1'/></controller><controller type='pci' index='2' model='pci-bridge'><address type='pci' bus='1' slot='1'/></controller>"
hrun tree --ascii "$H/loop.xml"
t "loop.xml: circular bus references: tree works" expect_rc 0
t "loop.xml: and shows the loop" out_has "drawn above: the loop closes here"
hrun check "$H/loop.xml"
t "loop.xml: check reports it in libvirt's words" out_has "but index must be larger than bus"

# what pcitopo does not know is kept, and listed
doc unknown.xml "<frobnicator kind='x'><knob/></frobnicator><interface type='user'/>"
hrun tree --ascii "$H/unknown.xml"
t "unknown.xml: an unknown device kind loads" expect_rc 0
t "unknown.xml: the tree lists it as not PCI-aware" out_has "\`- <frobnicator>  line 1"
hrun -c 'place; save -' "$H/unknown.xml"
t "unknown.xml: placing and saving keep it" out_has "<frobnicator kind='x'><knob/></frobnicator>"
hrun -c 'save -' "$H/unknown.xml"
t "unknown.xml: a load and save give the same bytes" cmp "$TMP/out" "$H/unknown.xml"
tap_done
