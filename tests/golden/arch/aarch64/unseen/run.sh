#!/bin/sh
# run.sh [--jobs N]: the oracle's answer for every case here (../run.sh does it).
here=$(cd "$(dirname "$0")" && pwd)
if [ "${1:-}" = "--jobs" ]; then exec "$here/../run.sh" --jobs "$2" "$here"; fi
exec "$here/../run.sh" "$here"
