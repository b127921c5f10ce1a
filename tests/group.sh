#!/bin/sh
# Groups against libvirt and QEMU.  For each case of tests/golden/group (a
# domain and the pcitopo commands that group host devices into one slot):
#  - the commands give exactly the committed NN.grouped.xml;
#  - libvirt 9.0 defined that file with every address unchanged and
#    nothing added (the tree of NN.libvirt.xml, what libvirt stored, is the
#    tree of NN.grouped.xml);
#  - QEMU 7.2 started it, with emulated stand-ins for the host devices, and
#    showed every function in its slot (NN.qemu-pci.txt);
#  - hotplug-xml writes the committed monitor script NN.hotplug.hmp, and
#    that script, run on the guest without the group, made every function
#    appear in one slot (NN.monitor.txt is QEMU's monitor session).
# Where the oracle (a real libvirt and QEMU) is available, the define and
# the monitor run are repeated live, and the per-function files of
# hotplug-xml, attached with virsh attach-device --config in their order to
# the domain without the group, give back the grouped domain.
. "$top_srcdir/tests/tap.sh"
dir="$top_srcdir/tests/golden/group"
. "$dir/group-lib.sh"
ORACLE=${ORACLE:-$top_srcdir/../shared/oracle/libvirt-oracle}
live=no
if [ -x "$ORACLE" ] && command -v virsh >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1 \
    && [ "$(id -u)" = 0 ] && [ "${PCITOPO_ORACLE:-yes}" != no ]; then
    live=yes
fi

# attach_config DIR: defines DIR/empty.xml under a fresh name, attaches the
# files of DIR/hx/attach-*.xml with `virsh attach-device --config` in
# their order, and prints what libvirt then stores
attach_config() {
    ac_name="pcitopo-attach-$$"
    python3 - "$1/empty.xml" "$1/dom.xml" "$ac_name" <<'PY'
import sys, xml.etree.ElementTree as ET
src, dst, name = sys.argv[1:]
t = ET.parse(src); r = t.getroot(); r.set("type", "qemu")
for e in r.findall("name"): e.text = name
d = r.find("devices")
# libvirt picks the emulator of the domain's architecture when none is named
for e in d.findall("emulator"): d.remove(e)
t.write(dst)
PY
    virsh -q -c qemu:///system define "$1/dom.xml" >/dev/null &&
    for f in "$1"/hx/attach-*.xml; do
        virsh -q -c qemu:///system attach-device "$ac_name" "$f" --config >/dev/null || break
    done &&
    virsh -q -c qemu:///system dumpxml --inactive "$ac_name"
    virsh -q -c qemu:///system undefine "$ac_name" >/dev/null 2>&1
}

# the tree without its first line (the oracle renames the domain)
tree_body() { "$PCITOPO" tree --ascii "$1" | tail -n +2; }
# no_errors FILE: QEMU's monitor answered no command with an error
no_errors() { ! grep -i "error" "$1"; }

for cmds in "$dir"/[0-9][0-9]-*.cmds; do
    c=$(basename "$cmds" .cmds)
    mkdir -p "$TMP/$c"
    if ! group_outputs "$dir/$c" "$TMP/$c" 2>"$TMP/why"; then
        t "$c: pcitopo groups it" sh -c "cat '$TMP/why'; false"
        continue
    fi
    t "$c: the commands give the committed result" cmp "$TMP/$c/grouped.xml" "$dir/$c.grouped.xml"
    tree_body "$dir/$c.grouped.xml" >"$TMP/mine"
    tree_body "$dir/$c.libvirt.xml" >"$TMP/libvirt"
    t "$c: libvirt kept every address and added nothing" diff "$TMP/mine" "$TMP/libvirt"
    t "$c: QEMU started it with every function in the slot" \
        in_one_slot "$dir/$c.hotplug.hmp" "$dir/$c.qemu-pci.txt"
    t "$c: hotplug-xml writes the committed monitor script" \
        cmp "$TMP/$c/hotplug.hmp" "$dir/$c.hotplug.hmp"
    t "$c: the script plugged every function into one slot" \
        in_one_slot "$dir/$c.hotplug.hmp" "$dir/$c.monitor.txt"
    t "$c: and QEMU refused none of its commands" no_errors "$dir/$c.monitor.txt"
    if [ $live = yes ]; then
        "$ORACLE" place "$TMP/$c/grouped.xml" >"$TMP/$c/libvirt.xml" 2>"$TMP/err"
        tree_body "$TMP/$c/libvirt.xml" >"$TMP/libvirt"
        t "$c: live: virsh define keeps every address" diff "$TMP/mine" "$TMP/libvirt"
        attach_config "$TMP/$c" >"$TMP/$c/attached.xml" 2>"$TMP/err"
        tree_body "$TMP/$c/attached.xml" >"$TMP/attached"
        t "$c: live: virsh attach-device --config of the files, in order, builds the group" \
            diff "$TMP/mine" "$TMP/attached"
        "$ORACLE" monitor "$TMP/$c/empty.xml" "$TMP/$c/hotplug.hmp" >"$TMP/$c/monitor.txt" 2>"$TMP/err"
        t "$c: live: the monitor script plugs every function into one slot" \
            in_one_slot "$TMP/$c/hotplug.hmp" "$TMP/$c/monitor.txt"
    else
        tap_skip "$c: live define and monitor run: no libvirt oracle here"
    fi
done
tap_done
