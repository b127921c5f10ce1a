#!/bin/sh
# fuzz.sh: builds pcitopo's libFuzzer targets with clang (ASan + UBSan) and
# runs each one for a while.  `make fuzz` calls it; see tests/fuzz/README.md.
#
#   fuzz.sh [-t SECONDS | -r RUNS] [-w WORKERS] [--tap] [--build-only] [TARGET...]
#   fuzz.sh --merge [TARGET...]
#
# TARGETs: load place command keymap (default: all).  Each run starts from
# the seed corpus (tests/golden and tests/data for the XML targets,
# keymaps/ and tests/fuzz/seeds for the others) plus the corpus earlier
# runs kept, and stops at the first finding: a crash, a leak, a sanitizer report, a broken
# property (FUZZ_ASSERT), a timeout or too much memory.  -w runs WORKERS
# processes per target on the one corpus (each picks up what the others
# found), RUNS split between them; a long run uses every core that way.  Findings go to
# OUT/findings/; put a fixed one under tests/fuzz/regress/TARGET/ so that
# `make check` replays it from then on.
#
# --merge shrinks each target's kept corpus to the inputs that add
# coverage (libFuzzer's -merge=1) instead of fuzzing.  Run it while no
# fuzzer of that target runs: the corpus grows with every reduced input,
# and libFuzzer rereads all of it every second.
#
# Exit status: 0 no finding, 1 a finding, 2 usage or build error, 77 clang
# or libFuzzer missing.  With --tap (make check) it prints TAP instead and
# exits 0: findings are "not ok", a missing clang a skip, a build error
# "Bail out!".
#
# Environment: top_srcdir, top_builddir (default: this script's tree and
# the current directory), CLANG (clang), XML_CFLAGS and XML_LIBS
# (pkg-config libxml-2.0), FUZZ_JOBS (parallel compiles, nproc),
# FUZZ_CORPUS (where the kept corpora live, OUT/corpus),
# ASAN_OPTIONS (added to quarantine_size_mb=16, see below).
set -u

# usage STATUS: the synopsis, on standard output for --help (0), else on
# standard error
usage() {
    if [ "$1" -eq 0 ]; then synopsis; else synopsis >&2; fi
    exit "$1"
}
synopsis() { sed -n '4,7p' "$0" | sed 's/^# \{0,3\}//'; }

seconds=60 runs= workers=1 tap=no build_only=no merge=no targets=
while [ $# -gt 0 ]; do
    case $1 in
    -t) [ $# -ge 2 ] || usage 2; seconds=$2; runs=; shift 2 ;;
    -r) [ $# -ge 2 ] || usage 2; runs=$2; shift 2 ;;
    -w) [ $# -ge 2 ] && [ "$2" -ge 1 ] 2>/dev/null || usage 2; workers=$2; shift 2 ;;
    --tap) tap=yes; shift ;;
    --build-only) build_only=yes; shift ;;
    --merge) merge=yes; shift ;;
    -h|--help) usage 0 ;;
    load|place|command|keymap) targets="$targets $1"; shift ;;
    *) echo "fuzz.sh: unknown argument '$1' (targets: load place command keymap)" >&2; exit 2 ;;
    esac
done
[ -n "$targets" ] || targets="load place command keymap"

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
CLANG=${CLANG:-clang}
XML_CFLAGS=${XML_CFLAGS-$(pkg-config --cflags libxml-2.0)}
XML_LIBS=${XML_LIBS-$(pkg-config --libs libxml-2.0)}
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
out=$top_builddir/tests/fuzz/out
corpora=${FUZZ_CORPUS:-$out/corpus}
fuzz_flags="-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined"

say() { if [ $tap = yes ]; then echo "# $*"; else echo "fuzz: $*"; fi; }
die() {
    if [ $tap = yes ]; then echo "Bail out! fuzz.sh: $*"; exit 0; fi
    echo "fuzz.sh: $*" >&2
    exit 2
}

# --- can this machine fuzz?
mkdir -p "$out/bin" "$out/obj" "$out/findings" "$out/logs" || die "cannot create $out"
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
    >"$out/obj/probe.c"
if ! "$CLANG" $fuzz_flags -fsanitize=fuzzer "$out/obj/probe.c" -o "$out/obj/probe" 2>"$out/logs/probe.log"; then
    reason="$CLANG with -fsanitize=fuzzer is not available (Debian: apt-get install clang)"
    if [ $tap = yes ]; then echo "1..0 # SKIP $reason"; exit 0; fi
    echo "fuzz.sh: $reason" >&2
    exit 77
fi
[ -f "$top_builddir/config.h" ] || die "no config.h in $top_builddir: run configure first"
[ -f "$top_builddir/core/example.c" ] || die "$top_builddir/core/example.c is missing: run make first"

# --- build: core once, then one binary per target
newer_than() {  # newer_than FILE DEP...: FILE is missing or older than a DEP
    [ -f "$1" ] || return 0
    f=$1; shift
    for d; do [ "$d" -nt "$f" ] && return 0; done
    return 1
}
headers="$top_srcdir/core/*.h $top_builddir/config.h $here/fuzz.h"
sources="$top_srcdir/core/*.c $top_builddir/core/example.c $top_builddir/core/default-keys.c
         $top_builddir/core/vi-keys.c $top_builddir/core/emacs-keys.c
         $top_builddir/core/default-theme.c $top_builddir/core/mono-theme.c
         $top_builddir/core/light-theme.c"
stale=
for src in $sources; do
    obj=$out/obj/$(basename "$src" .c).o
    # shellcheck disable=SC2086
    newer_than "$obj" "$src" $headers && stale="$stale $src"
done
if [ -n "$stale" ]; then
    say "compiling $(echo $stale | wc -w) sources with $CLANG"
    # shellcheck disable=SC2086
    printf '%s\n' $stale | xargs -P "$jobs" -I{} sh -c \
        'o="$0/$(basename "$1" .c).o"; '"$CLANG"' '"$fuzz_flags"' -fsanitize=fuzzer-no-link -std=gnu11 \
         -I"$2" -I"$3/core" '"$XML_CFLAGS"' -c "$1" -o "$o.tmp" && mv "$o.tmp" "$o"' \
        "$out/obj" {} "$top_builddir" "$top_srcdir" || die "compiling pcitopo's core failed"
fi
core_objs=
for src in $sources; do core_objs="$core_objs $out/obj/$(basename "$src" .c).o"; done
for t in $targets; do
    bin=$out/bin/fuzz_$t
    # shellcheck disable=SC2086
    if newer_than "$bin" "$here/fuzz_$t.c" $headers $core_objs; then
        say "linking fuzz_$t"
        # shellcheck disable=SC2086
        "$CLANG" $fuzz_flags -fsanitize=fuzzer -std=gnu11 -I"$top_builddir" -I"$top_srcdir/core" \
            $XML_CFLAGS "$here/fuzz_$t.c" $core_objs $XML_LIBS -o "$bin" || die "linking fuzz_$t failed"
    fi
done
[ $build_only = yes ] && exit 0

# --- run
seeds_of() {
    case $1 in
    load|place) echo "$top_srcdir/tests/golden $top_srcdir/tests/data" ;;
    keymap) echo "$here/seeds/keymap $top_srcdir/keymaps" ;;
    *) echo "$here/seeds/$1" ;;
    esac
    [ -d "$here/regress/$1" ] && echo "$here/regress/$1"
}
# limits_of TARGET: input size, time and memory bounds, the same for
# fuzzing and merging (a merge must not keep what a run would refuse)
limits_of() {
    case $1 in load|place) m=16384 ;; command) m=512 ;; keymap) m=4096 ;; esac
    echo "-max_len=$m -timeout=10 -rss_limit_mb=2048"
}
dict_of() {
    case $1 in load|place) echo "$here/xml.dict" ;; *) echo "$here/$1.dict" ;; esac
}

# "load: 1234567 runs in 60 s (20576/s), cov 2345, ft 6789, corpus 812 (1.4 MiB), peak 310 MB";
# with several workers' logs the runs and rates add up, the rest is the
# most any worker saw
summary_of() {
    t=$1; shift
    awk -v t="$t" '
        function max(a, b) { return a > b ? a : b }
        /^#[0-9]+/ && / cov: / { for (i = 1; i <= NF; i++) { if ($i == "cov:") cov = max(cov, $(i+1)); if ($i == "ft:") ft = max(ft, $(i+1)); if ($i == "corp:") corp = $(i+1) } }
        /stat::number_of_executed_units:/ { runs += $2 }
        /stat::average_exec_per_sec:/ { rate += $2 }
        /stat::peak_rss_mb:/ { rss = max(rss, $2) }
        END { secs = rate > 0 ? int(runs / rate + 0.5) : 0
              printf "%s: %d runs in %d s (%d/s), cov %s, ft %s, corpus %s, peak %s MB", t, runs, secs, rate, cov, ft, corp, rss }
    ' "$@"
}

# run_worker TARGET LIMIT LOG: one libFuzzer process on the target's
# corpus; run it with & (it changes directory), and its pid is the
# fuzzer's, so that a kill reaches the fuzzer
run_worker() {
    # the keymap target may include files: its directory is an empty one
    cd "$work" || exit 2
    # shellcheck disable=SC2046
    exec "$out/bin/fuzz_$1" $2 $(limits_of $1) -dict="$(dict_of $1)" -print_final_stats=1 \
        -artifact_prefix="$out/findings/$1-" "$corpus" $(seeds_of $1) >"$3" 2>&1
}

# ASan's default 256 MB quarantine makes every run touch fresh pages; most
# of a run's time went to page faults and filling them.  A run's own
# use-after-free is still caught with 16 MB, and a run of the bare guest
# takes 0.6 of the time.
ASAN_OPTIONS=quarantine_size_mb=16${ASAN_OPTIONS:+:$ASAN_OPTIONS}
export ASAN_OPTIONS

# merge_corpus TARGET: the kept corpus, minimized; the old one is
# replaced only once the merge has succeeded
merge_corpus() {
    dir=$corpora/$1 new=$corpora/$1.merging log=$out/logs/$1.merge.log
    mkdir -p "$dir" "$out/work/$1" || die "cannot create $dir"
    rm -rf "$new" && mkdir "$new" || die "cannot create $new"
    before=$(find "$dir" -type f | wc -l)
    # shellcheck disable=SC2046
    if ! (cd "$out/work/$1" && exec "$out/bin/fuzz_$1" -merge=1 $(limits_of $1) "$new" "$dir") \
            >"$log" 2>&1; then
        rm -rf "$new"
        die "merging $1's corpus failed (it is left as it was); log in $log"
    fi
    rm -rf "$dir.old" && mv "$dir" "$dir.old" && mv "$new" "$dir" && rm -rf "$dir.old" ||
        die "could not put the merged corpus in place of $dir"
    echo "$1: corpus of $before inputs merged to $(find "$dir" -type f | wc -l)"
}
if [ $merge = yes ]; then
    for t in $targets; do merge_corpus $t; done
    exit 0
fi

n=0 failed=0
[ $tap = yes ] && echo "1..$(echo $targets | wc -w)"
for t in $targets; do
    n=$((n + 1))
    corpus=$corpora/$t work=$out/work/$t
    mkdir -p "$corpus" "$work"
    if [ -n "$runs" ]; then
        limit="-runs=$(((runs + workers - 1) / workers))"
    else
        limit="-max_total_time=$seconds"
    fi
    logs= pids=
    for w in $(seq 1 $workers); do
        if [ $workers -eq 1 ]; then log=$out/logs/$t.log; else log=$out/logs/$t.$w.log; fi
        logs="$logs $log"
        run_worker $t "$limit" "$log" &
        pids="$pids $!"
    done
    say "fuzzing $t ($limit$( [ $workers -gt 1 ] && echo ", $workers workers")), log in$logs"
    # the first finding stops the other workers: theirs would be hours lost
    rc=0 bad= left=$pids
    while [ -n "$left" ]; do
        still= w=0 found=
        for pid in $pids; do
            w=$((w + 1))
            case " $left " in *" $pid "*) ;; *) continue ;; esac
            if kill -0 $pid 2>/dev/null; then still="$still $pid"; continue; fi
            wait $pid && continue
            [ $rc -eq 0 ] || continue   # stopped by us
            found=yes bad="$bad $(echo $logs | cut -d' ' -f$w)"
        done
        left=$still
        # shellcheck disable=SC2086
        if [ -n "$found" ]; then rc=1; [ -n "$left" ] && kill $left 2>/dev/null; fi
        [ -n "$left" ] && sleep 1
    done
    # shellcheck disable=SC2086
    line=$(summary_of $t $logs)
    if [ $rc -eq 0 ]; then
        if [ $tap = yes ]; then echo "ok $n - $line"; else echo "$line; no finding"; fi
    else
        failed=$((failed + 1))
        if [ $tap = yes ]; then echo "not ok $n - $t: a finding (exit $rc)"; fi
        for log in $bad; do
            finding=$(grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz property|.*runtime error)' "$log" | head -3)
            saved=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" | tail -1)
            echo "$finding" | sed 's/^/# /' >&2
            echo "# $t: input saved as ${saved:-?}; log $log" >&2
            tail -30 "$log" | sed 's/^/# /' >&2
        done
    fi
done
[ $failed -eq 0 ] || [ $tap = yes ] || exit 1
exit 0
