#!/usr/bin/env bash
# place-all.sh [--jobs N] DIR -- ask the libvirt oracle about every DIR/NNN-*.in.xml
# (one at a time unless --jobs 2); each set's run.sh calls it with its directory.
#   stdout -> NNN-*.out.xml when libvirt defined the domain,
#   stderr -> NNN-*.err.txt when it refused.
# Each input ends with exactly one of the two; a stale one of the other kind is removed.
# ONLY=REGEX limits the run to matching file names.  ORACLE names the oracle.
set -euo pipefail
ORACLE=${ORACLE:-/work/shared/oracle/libvirt-oracle}
JOBS=1
if [ "${1:-}" = "--jobs" ]; then JOBS=$2; shift 2; fi
DIR=$(cd "${1:?usage: place-all.sh [--jobs N] DIR}" && pwd)
one() {
    local in=$1 stem=${1%.in.xml} o e rc=0
    o=$(mktemp); e=$(mktemp)
    "$ORACLE" place "$in" >"$o" 2>"$e" || rc=$?
    if [ $rc -eq 0 ]; then
        mv "$o" "$stem.out.xml"; rm -f "$e" "$stem.err.txt"
        echo "$(basename "$stem"): defined"
    else
        mv "$e" "$stem.err.txt"; rm -f "$o" "$stem.out.xml"
        echo "$(basename "$stem"): refused: $(grep -v '^\s*$' "$stem.err.txt" | tail -1)"
    fi
    chmod 644 "$stem".*.xml "$stem".*.txt 2>/dev/null || true
}
export -f one; export ORACLE
ls "$DIR"/[0-9][0-9][0-9]-*.in.xml | grep -E "${ONLY:-.}" | xargs -P "$JOBS" -I{} bash -c 'one "$@"' _ {}
