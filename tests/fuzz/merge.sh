#!/bin/sh
# fuzz.sh --merge, on a corpus of its own (FUZZ_CORPUS) so that it never
# touches the corpus a developer's fuzzing keeps: the keymaps, each twice
# under two names, and inputs that parse to nothing.  A merge keeps fewer
# inputs, no two alike, and every feature: running the merged corpus gives
# the coverage the whole one gave.  Like short.sh it runs in the
# --enable-sanitizers build only, after short.sh has built the targets.
if [ -z "${SAN_FLAGS:-}" ]; then
    echo "1..0 # SKIP fuzzing runs in the --enable-sanitizers build"
    exit 0
fi
fuzz=$top_srcdir/tests/fuzz/fuzz.sh
bin=$top_builddir/tests/fuzz/out/bin/fuzz_keymap
if [ ! -x "$bin" ]; then
    echo "1..0 # SKIP no fuzz_keymap (clang or libFuzzer missing: short.sh skipped too)"
    exit 0
fi
tmp=$top_builddir/tests/fuzz/merge.tmp
rm -rf "$tmp" && mkdir -p "$tmp/corpora/keymap" "$tmp/run" || exit 1
trap 'rm -rf "$tmp"' EXIT

echo "1..5"
n=0
for f in "$top_srcdir"/keymaps/*.keys; do
    b=$(basename "$f" .keys)
    cp "$f" "$tmp/corpora/keymap/$b" && cp "$f" "$tmp/corpora/keymap/$b-again"
    printf '# nothing\n' >"$tmp/corpora/keymap/comment-$b"
    n=$((n + 3))
done
: >"$tmp/corpora/keymap/empty"
n=$((n + 1))

# the coverage libFuzzer reports for running a corpus once
coverage_of() {
    (cd "$tmp/run" && "$bin" -runs=0 "$1") 2>&1 | sed -n 's/.*INITED cov: \([0-9]*\) ft: \([0-9]*\).*/\1 \2/p'
}
before=$(coverage_of "$tmp/corpora/keymap")

out=$(cd "$top_builddir" && FUZZ_CORPUS=$tmp/corpora sh "$fuzz" --merge keymap 2>&1)
rc=$?
kept=$(find "$tmp/corpora/keymap" -type f | wc -l)
if [ $rc -eq 0 ]; then echo "ok 1 - --merge exits 0"; else echo "not ok 1 - --merge exits $rc: $out"; fi
if [ "$kept" -gt 0 ] && [ "$kept" -lt "$n" ]; then
    echo "ok 2 - $n inputs merged to $kept"
else
    echo "not ok 2 - $n inputs merged to $kept"
fi
dups=$(cd "$tmp/corpora/keymap" && cksum ./* | awk '{print $1, $2}' | sort | uniq -d | wc -l)
if [ "$dups" -eq 0 ]; then echo "ok 3 - no two inputs alike"; else echo "not ok 3 - $dups inputs kept twice"; fi
case $out in
*"keymap: corpus of $n inputs merged to $kept"*) echo "ok 4 - it says how many inputs it kept" ;;
*) echo "not ok 4 - it says: $out" ;;
esac
after=$(coverage_of "$tmp/corpora/keymap")
if [ -n "$before" ] && [ "$before" = "$after" ]; then
    echo "ok 5 - the merged corpus has the coverage of the whole (cov, ft: $after)"
else
    echo "not ok 5 - coverage before '$before', after '$after'"
fi
[ ! -e "$tmp/corpora/keymap.merging" ] || echo "# left behind: $tmp/corpora/keymap.merging"
