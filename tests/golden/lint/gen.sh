#!/usr/bin/env bash
# gen.sh: boot the lint cases and keep what QEMU and SeaBIOS make of them.
#
#   ./gen.sh [-s SECONDS] DIR [CASE...]    DIR: cases; CASE = file stem
#
# The guest set's booter does the work and writes the same files
# (tests/golden/guest/gen.sh says which); this only points it here.
set -uo pipefail
args=()
if [ "${1:-}" = -s ]; then args=(-s "$2"); shift 2; fi
[ $# -ge 1 ] || { sed -n '2,7p' "$0"; exit 2; }
dir=$1; shift
exec "$(dirname "$0")/../guest/gen.sh" "${args[@]}" "../lint/$dir" "$@"
