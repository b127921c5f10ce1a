#!/usr/bin/env bash
# gen.sh: regenerate the outputs of the ppc64 (pseries) capacity cases from their inputs.
#
#   ./gen.sh [CASE...]     CASE = file stem (e.g. 01-ppc64-minimal); default: every NN-*.xml
#   (measure_capacity and write_expected come from tests/golden/capacity-lib.sh)
#
# For each input NN-name.xml it writes, using the libvirt oracle:
#   NN-name.placed.xml   stdout of `libvirt-oracle place NN-name.xml`
#   NN-name.virtio.txt   stdout of `libvirt-oracle capacity NN-name.xml virtio`,
#                        then "refusal: <last stderr line>"
#   NN-name.e1000.txt    the same with e1000
# and at the end rewrites expected.tsv from all *.virtio.txt / *.e1000.txt present.
# Runs strictly one oracle call at a time (each capacity run boots a TCG guest).
# A run whose guest does not start (oracle exits non-zero, no count) is written as
# "START FAILED" and reported; such a case must not go into expected.tsv.
set -uo pipefail
ORACLE=${ORACLE:-/work/shared/oracle/libvirt-oracle}
here=$(cd "$(dirname "$0")" && pwd)
cd "${CAPACITY_DIR:-$here}"
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
