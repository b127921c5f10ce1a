#!/usr/bin/env bash
# run.sh [--jobs N] [DIR] -- ask the libvirt oracle (`place`) about every DIR/NNN-*.in.xml
# (default: place/ beside this script, one at a time; --jobs 2 runs two at once).
# stdout -> NNN-*.out.xml when libvirt defined the domain,
# stderr -> NNN-*.err.txt when it refused (the other file is removed).
# ONLY=REGEX limits the run to matching file names.  ORACLE overrides the oracle's path.
set -euo pipefail
ORACLE=${ORACLE:-/work/shared/oracle/libvirt-oracle}
JOBS=1
if [ "${1:-}" = "--jobs" ]; then JOBS=$2; shift 2; fi
DIR=$(cd "${1:-$(dirname "$0")/place}" && pwd)
one() {
    local in=$1 stem=${1%.in.xml} o e rc=0
    o=$(mktemp); e=$(mktemp)
    "$ORACLE" place "$in" >"$o" 2>"$e" || rc=$?
    if [ $rc -eq 0 ]; then
        mv "$o" "$stem.out.xml"; rm -f "$e" "$stem.err.txt"; echo "$(basename "$stem"): defined"
    else
        mv "$e" "$stem.err.txt"; rm -f "$o" "$stem.out.xml"
        echo "$(basename "$stem"): refused: $(grep -v '^\s*$' "$stem.err.txt" | tail -1)"
    fi
}
export -f one; export ORACLE
ls "$DIR"/*.in.xml | grep -E "${ONLY:-.}" | xargs -P "$JOBS" -I{} bash -c 'one "$@"' _ {}
