#!/usr/bin/env bash
# run5.sh [DIR] [JOBS] -- ask the libvirt oracle about every DIR/NNN-*.in.xml (default ../place5,
# 3 at a time): stdout -> NNN-*.out.xml when libvirt defined the domain, stderr -> NNN-*.err.txt
# when it refused.  ONLY=REGEX limits the run to matching files.
set -euo pipefail
ORACLE=${ORACLE:-/work/shared/oracle/libvirt-oracle}
DIR=$(cd "${1:-$(dirname "$0")/../place5}" && pwd)
JOBS=${2:-3}
one() {
    local in=$1 stem=${1%.in.xml} o e rc=0
    o=$(mktemp); e=$(mktemp)
    "$ORACLE" place "$in" >"$o" 2>"$e" || rc=$?
    if [ $rc -eq 0 ]; then mv "$o" "$stem.out.xml"; rm -f "$e" "$stem.err.txt"; echo "$(basename "$stem"): defined"
    else mv "$e" "$stem.err.txt"; rm -f "$o" "$stem.out.xml"; echo "$(basename "$stem"): refused: $(grep -v '^\s*$' "$stem.err.txt" | tail -1)"; fi
}
export -f one; export ORACLE
ls "$DIR"/*.in.xml | grep -E "${ONLY:-.}" | xargs -P "$JOBS" -I{} bash -c 'one "$@"' _ {}
