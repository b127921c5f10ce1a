#!/usr/bin/env bash
# gen.sh: regenerate the outputs of the preference golden cases.
#
#   PCITOPO=path/to/pcitopo ./gen.sh [CASE...]    CASE = file stem; default: all
#
# For each input NN-name.xml (devices without addresses, pcitopo's
# preferences in <metadata>):
#   NN-name.placed.xml    pcitopo place NN-name.xml: every address explicit
#   NN-name.libvirt.xml   libvirt-oracle place NN-name.placed.xml: what libvirt
#                         stores when the placed file is defined
#   NN-name.qemu-pci.txt  libvirt-oracle qemu-pci NN-name.placed.xml: QEMU's
#                         `info pci` of the started guest (it starts)
#   NN-name.virtio.txt    libvirt-oracle capacity NN-name.placed.xml virtio,
#   NN-name.e1000.txt     ... e1000: live hot-plugs until libvirt refuses
# and rewrites expected.tsv (case, virtio count, e1000 count).  One oracle
# call at a time: each start boots a TCG guest.
set -uo pipefail
ORACLE=${ORACLE:-/work/shared/oracle/libvirt-oracle}
PCITOPO=${PCITOPO:-$(dirname "$0")/../../../build/pcitopo}
PCITOPO=$(realpath "$PCITOPO")
cd "$(dirname "$0")"
. ../capacity-lib.sh
if [ $# -gt 0 ]; then cases=("$@"); else
    cases=(); for f in [0-9][0-9]-*.xml; do
        case $f in *.placed.xml|*.libvirt.xml) continue ;; esac
        cases+=("${f%.xml}")
    done
fi
bad=0
for c in "${cases[@]}"; do
    echo "== $c" >&2
    if ! "$PCITOPO" place "$c.xml" > "$c.placed.xml"; then
        echo "gen.sh: $c: pcitopo place failed" >&2; bad=1; continue
    fi
    if ! "$ORACLE" place "$c.placed.xml" > "$c.libvirt.xml" 2> "$c.err"; then
        echo "gen.sh: $c: libvirt refused: $(tail -1 "$c.err")" >&2; bad=1; continue
    fi
    if ! "$ORACLE" qemu-pci "$c.placed.xml" > "$c.qemu-pci.txt" 2> "$c.err"; then
        echo "gen.sh: $c: the guest did not start: $(tail -1 "$c.err")" >&2; bad=1; continue
    fi
    measure_capacity "$c" "$c.placed.xml" || bad=1
    rm -f "$c.err"
done
write_expected
exit $bad
