#!/bin/sh
# make check's fuzzing run: each target for PCITOPO_FUZZ_SECONDS (12) s,
# in the --enable-sanitizers build only (CI's second build; the plain
# build replays the corpora instead, tests/fuzz/replay_*).  Any crash,
# leak, sanitizer report or broken property fails it.  `make fuzz` runs
# longer; tests/fuzz/README.md says how to work with a finding.
if [ -z "${SAN_FLAGS:-}" ]; then
    echo "1..0 # SKIP fuzzing runs in the --enable-sanitizers build (or: make fuzz)"
    exit 0
fi
exec sh "$top_srcdir/tests/fuzz/fuzz.sh" --tap -t "${PCITOPO_FUZZ_SECONDS:-12}"
