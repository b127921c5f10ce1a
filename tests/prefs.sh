#!/bin/sh
# Preferences against libvirt and QEMU.  For each domain of
# tests/golden/prefs (devices without addresses, pcitopo's preferences in
# <metadata>):
#  - pcitopo place gives exactly the committed NN.placed.xml;
#  - libvirt 9.0 defined that file with every address, controller and
#    target unchanged and nothing added (the tree of NN.libvirt.xml, what
#    libvirt stored, is the tree of NN.placed.xml);
#  - QEMU 7.2 started it (NN.qemu-pci.txt is its `info pci`);
#  - pcitopo spare on it predicts the live hot-plug capacity measured on
#    the running guest (expected.tsv).
. "$top_srcdir/tests/tap.sh"
dir="$top_srcdir/tests/golden/prefs"

# tree_body FILE: the tree without its first line (the domain's name,
# which the oracle changes) and without "primary" (libvirt marks its first
# video primary='yes', which is no address)
tree_body() { "$PCITOPO" tree --ascii "$1" | tail -n +2 | sed "s/  primary//"; }

for in in "$dir"/[0-9][0-9]-*.xml; do
    case $in in *.placed.xml|*.libvirt.xml) continue ;; esac
    c=$(basename "$in" .xml)
    run place "$in"
    t "$c: place gives the committed result" cmp -s "$TMP/out" "$dir/$c.placed.xml"
    tree_body "$dir/$c.placed.xml" >"$TMP/mine"
    tree_body "$dir/$c.libvirt.xml" >"$TMP/libvirt"
    t "$c: libvirt kept every address and added nothing" diff "$TMP/mine" "$TMP/libvirt"
    t "$c: libvirt kept the preferences" grep -q "pcitopo.dev/xmlns/placement/1" "$dir/$c.libvirt.xml"
    t "$c: QEMU started it" grep -q "Host bridge" "$dir/$c.qemu-pci.txt"
done

# what libvirt gave back (its own prefix for the namespace) reads as written
run -c 'set-pref ua-net0' "$dir/06-q35-numa.libvirt.xml"
t "pcitopo reads the preferences back from libvirt's output" out_has "ua-net0: numa=1"

check_live_counts "$dir" placed.xml
tap_done
