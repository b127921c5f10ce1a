#!/bin/sh
# gen.sh [CASE...]: regenerate this directory's capacity cases with the
# libvirt oracle; tests/golden/capacity/gen.sh does the work (one oracle
# call at a time: each boots a TCG ppc64 guest) and rewrites expected.tsv.
here=$(cd "$(dirname "$0")" && pwd)
CAPACITY_DIR=$here exec "$here/../../../capacity/gen.sh" "$@"
