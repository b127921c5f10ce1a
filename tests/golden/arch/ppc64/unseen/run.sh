#!/usr/bin/env bash
# run.sh [DIR] [JOBS] -- ask the libvirt oracle (`place`) about every DIR/NNN-*.in.xml
# (default: the directory of this script, 2 at a time): stdout -> NNN-*.out.xml when libvirt
# defined the domain, stderr -> NNN-*.err.txt when it refused.  Each input ends up with
# exactly one of the two.  ONLY=REGEX limits the run to matching file names.
# Same logic as ../run.sh; only the default directory differs.
set -euo pipefail
ORACLE=${ORACLE:-/work/shared/oracle/libvirt-oracle}
DIR=$(cd "${1:-$(dirname "$0")}" && pwd)
JOBS=${2:-2}
one() {
    local in=$1 stem=${1%.in.xml} o e rc=0
    o=$(mktemp); e=$(mktemp)
    "$ORACLE" place "$in" >"$o" 2>"$e" || rc=$?
    if [ $rc -eq 0 ]; then
        chmod 644 "$o"; mv "$o" "$stem.out.xml"; rm -f "$e" "$stem.err.txt"; echo "$(basename "$stem"): defined"
    else
        chmod 644 "$e"; mv "$e" "$stem.err.txt"; rm -f "$o" "$stem.out.xml"
        echo "$(basename "$stem"): refused: $(grep -v '^\s*$' "$stem.err.txt" | tail -1)"
    fi
}
export -f one; export ORACLE
ls "$DIR"/*.in.xml | grep -E "${ONLY:-.}" | xargs -P "$JOBS" -I{} bash -c 'one "$@"' _ {}
