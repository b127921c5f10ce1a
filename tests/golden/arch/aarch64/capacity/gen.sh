#!/usr/bin/env bash
# gen.sh: regenerate the outputs of the aarch64 capacity golden cases from their inputs.
#
#   ./gen.sh [CASE...]     CASE = file stem (e.g. 01-aarch64-minimal); default: every NN-*.xml
#
# For each input NN-name.xml it writes, using the libvirt oracle:
#   NN-name.placed.xml   stdout of `libvirt-oracle place NN-name.xml`
#   NN-name.virtio.txt   count from `libvirt-oracle capacity NN-name.xml virtio`, then "refusal: <last error>"
#   NN-name.e1000.txt    the same with e1000
# and rewrites expected.tsv (case, virtio count, e1000 count) from all *.virtio.txt / *.e1000.txt.
# Runs strictly one oracle call at a time (each capacity run boots a TCG aarch64 guest).
# The guests have no <acpi/>: on aarch64 libvirt refuses ACPI without UEFI firmware.
set -uo pipefail
ORACLE=${ORACLE:-/work/shared/oracle/libvirt-oracle}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
. "$here/../../../capacity-lib.sh"

if [ $# -gt 0 ]; then cases=("$@"); else
    cases=(); for f in [0-9][0-9]-*.xml; do
        case $f in *.placed.xml) continue ;; esac
        cases+=("${f%.xml}")
    done
fi

bad=0
for c in "${cases[@]}"; do
    [ -r "$c.xml" ] || { echo "gen.sh: no $c.xml" >&2; bad=1; continue; }
    echo "== $c" >&2
    if ! "$ORACLE" place "$c.xml" > "$c.placed.xml" 2> "$c.placed.err"; then
        echo "gen.sh: $c: define failed: $(tail -1 "$c.placed.err")" >&2
        rm -f "$c.placed.xml"; bad=1; continue
    fi
    rm -f "$c.placed.err"
    measure_capacity "$c" "$c.xml" || bad=1
done
write_expected
exit $bad
