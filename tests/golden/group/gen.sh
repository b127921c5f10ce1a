#!/usr/bin/env bash
# gen.sh: regenerate the outputs of the group golden cases.
#
#   PCITOPO=path/to/pcitopo ./gen.sh [CASE...]    CASE = file stem; default: all
#
# For each input NN-name.xml and its commands NN-name.cmds (the last one a
# `group` whose first name also names the group):
#   NN-name.grouped.xml   pcitopo -c 'CMDS; save -' NN-name.xml
#   NN-name.libvirt.xml   libvirt-oracle place NN-name.grouped.xml: what libvirt
#                         stores when the grouped file is defined
#   NN-name.qemu-pci.txt  libvirt-oracle qemu-pci on the grouped file with
#                         emulated stand-ins for the host devices (standin.py):
#                         QEMU starts it, every function in its slot
#   NN-name.hotplug.hmp   pcitopo hotplug-xml GROUP --stand-in virtio-net-pci:
#                         the monitor script, virtio NICs for vfio-pci
#   NN-name.monitor.txt   libvirt-oracle monitor on the grouped file without the
#                         group (pcitopo delete SLOT), running NN-name.hotplug.hmp
# One oracle call at a time: each start boots a TCG guest.
set -uo pipefail
ORACLE=${ORACLE:-/work/shared/oracle/libvirt-oracle}
PCITOPO=${PCITOPO:-$(dirname "$0")/../../../build/pcitopo}
PCITOPO=$(realpath "$PCITOPO")
cd "$(dirname "$0")"
. ./group-lib.sh
if [ $# -gt 0 ]; then cases=("$@"); else
    cases=(); for f in [0-9][0-9]-*.cmds; do cases+=("${f%.cmds}"); done
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
bad=0
for c in "${cases[@]}"; do
    echo "== $c" >&2
    if ! group_outputs "$c" "$tmp"; then bad=1; continue; fi
    cp "$tmp/grouped.xml" "$c.grouped.xml"
    cp "$tmp/hotplug.hmp" "$c.hotplug.hmp"
    if ! "$ORACLE" place "$c.grouped.xml" > "$c.libvirt.xml" 2> "$tmp/err"; then
        echo "gen.sh: $c: libvirt refused: $(tail -1 "$tmp/err")" >&2; bad=1; continue
    fi
    python3 standin.py "$c.grouped.xml" > "$tmp/standin.xml"
    if ! "$ORACLE" qemu-pci "$tmp/standin.xml" > "$c.qemu-pci.txt" 2> "$tmp/err"; then
        echo "gen.sh: $c: the guest did not start: $(tail -1 "$tmp/err")" >&2; bad=1; continue
    fi
    if ! "$ORACLE" monitor "$tmp/empty.xml" "$c.hotplug.hmp" > "$c.monitor.txt" 2> "$tmp/err"; then
        echo "gen.sh: $c: monitor failed: $(tail -1 "$tmp/err")" >&2; bad=1; continue
    fi
done
exit $bad
