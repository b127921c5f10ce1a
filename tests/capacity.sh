#!/bin/sh
# The spare hot-plug count against the truth: for each domain of
# tests/golden/capacity and of the held-out tests/golden/capacity-unseen
# (built without looking at how pcitopo counts), libvirt 9.0 + QEMU 7.2
# hot-plugged NICs into the running guest until libvirt refused (virtio: a PCI Express device on q35,
# e1000: a conventional PCI one; on pc both are plain PCI).  `pcitopo
# spare` on the domain as written must predict both counts.
. "$top_srcdir/tests/tap.sh"
tab=$(printf '\t')
for dir in "$top_srcdir/tests/golden/capacity" "$top_srcdir/tests/golden/capacity-unseen"; do
set=${dir##*/}
while IFS="$tab" read -r case virtio e1000; do
    [ "$case" = case ] && continue
    run spare "$dir/$case.xml"
    want=$(spare_line "$dir/$case.xml" "$virtio" "$e1000")
    t "$set/$case: $want" out_has "$want"
done <"$dir/expected.tsv"
done
tap_done
