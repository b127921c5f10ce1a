#!/bin/sh
# run.sh [--jobs N] [DIR]: the oracle's answer for every case of DIR
# (default: place/ here); ../place-all.sh does it.
here=$(cd "$(dirname "$0")" && pwd)
jobs=1
if [ "${1:-}" = "--jobs" ]; then jobs=$2; shift 2; fi
exec "$here/../place-all.sh" --jobs "$jobs" "${1:-$here/place}"
