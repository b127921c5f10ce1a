#!/usr/bin/env bash
# gen.sh: place the stable-guest cases, and ask a real libvirt 9.0 and a
# booted guest what they make of them (README.md).
#
#   ./gen.sh [CASE...]        CASE = file stem; all NN-*.xml without one
#
# For each input NN-name.xml (and NN-name.before.xml, the same guest
# without what has no address yet):
#   NN-name.stable.xml          pcitopo -c 'stable-guest yes; place -o -'
#   NN-name.stable.libvirt.xml  libvirt-oracle place NN-name.stable.xml
#   NN-name.stable.qemu-pci.txt libvirt-oracle qemu-pci NN-name.stable.xml 6
#   NN-name.before.qemu-pci.txt libvirt-oracle qemu-pci NN-name.before.xml 6
#   NN-name.libvirt.qemu-pci.txt libvirt-oracle qemu-pci NN-name.xml 6:
#                               libvirt's own placement, booted (libvirt
#                               does not read pcitopo's preferences: 04's
#                               numa=0 is not followed there)
#   NN-name.default.xml         pcitopo -c 'place -o -': libvirt's rules,
#                               and the device preferences
#   NN-name.default.qemu-pci.txt libvirt-oracle qemu-pci NN-name.default.xml 6
# One oracle call at a time: each boots a TCG guest.
set -uo pipefail
ORACLE=${ORACLE:-/work/shared/oracle/libvirt-oracle}
PCITOPO=${PCITOPO:-$(dirname "$0")/../../../build/pcitopo}
PCITOPO=$(realpath "$PCITOPO")
cd "$(dirname "$0")" || exit 2
if [ $# -gt 0 ]; then cases=("$@"); else
    cases=(); for f in [0-9][0-9]-*.xml; do
        case $f in *.*.xml) continue ;; esac
        cases+=("${f%.xml}")
    done
fi
for c in "${cases[@]}"; do
    echo "== $c"
    "$PCITOPO" -c 'stable-guest yes; place -o -' "$c.xml" > "$c.stable.xml" || { echo "$c: place failed"; continue; }
    "$ORACLE" place "$c.stable.xml" > "$c.stable.libvirt.xml" 2>&1 || echo "$c: libvirt refused the stable placement"
    "$ORACLE" qemu-pci "$c.stable.xml" 6 > "$c.stable.qemu-pci.txt" 2>&1 || echo "$c: the stable placement did not start"
    "$ORACLE" qemu-pci "$c.before.xml" 6 > "$c.before.qemu-pci.txt" 2>&1 || echo "$c: the guest before did not start"
    "$ORACLE" qemu-pci "$c.xml" 6 > "$c.libvirt.qemu-pci.txt" 2>&1 || echo "$c: libvirt's placement did not start"
    "$PCITOPO" -c 'place -o -' "$c.xml" > "$c.default.xml" || { echo "$c: default place failed"; continue; }
    "$ORACLE" qemu-pci "$c.default.xml" 6 > "$c.default.qemu-pci.txt" 2>&1 || echo "$c: the default placement did not start"
done
