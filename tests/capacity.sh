#!/bin/sh
# The spare hot-plug count against the truth: for each domain of
# tests/golden/capacity and of the held-out tests/golden/capacity-unseen
# (built without looking at how pcitopo counts), libvirt 9.0 + QEMU 7.2
# hot-plugged NICs into the running guest until libvirt refused (virtio: a PCI Express device on q35,
# e1000: a conventional PCI one; on pc both are plain PCI).  `pcitopo
# spare` on the domain as written must predict both counts.
. "$top_srcdir/tests/tap.sh"
check_live_counts "$top_srcdir/tests/golden/capacity" xml
check_live_counts "$top_srcdir/tests/golden/capacity-unseen" xml
# aarch64 and riscv64 virt, ppc64 pseries (issue 21)
for arch in aarch64 riscv64 ppc64; do
    check_live_counts "$top_srcdir/tests/golden/arch/$arch/capacity" xml
done
tap_done
