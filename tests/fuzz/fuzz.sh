#!/bin/sh
# fuzz.sh: builds pcitopo's libFuzzer targets with clang (ASan + UBSan) and
# runs each one for a while.  `make fuzz` calls it; see tests/fuzz/README.md.
#
#   fuzz.sh [-t SECONDS | -r RUNS] [--tap] [--build-only] [TARGET...]
#
# TARGETs: load place command keymap (default: all).  Each run starts from
# the seed corpus (tests/golden and tests/data for the XML targets,
# keymaps/ and tests/fuzz/seeds for the others) plus the corpus earlier
# runs kept, and stops at the first finding: a crash, a leak, a sanitizer report, a broken
# property (FUZZ_ASSERT), a timeout or too much memory.  Findings go to
# OUT/findings/; put a fixed one under tests/fuzz/regress/TARGET/ so that
# `make check` replays it from then on.
#
# Exit status: 0 no finding, 1 a finding, 2 usage or build error, 77 clang
# or libFuzzer missing.  With --tap (make check) it prints TAP instead and
# exits 0: findings are "not ok", a missing clang a skip, a build error
# "Bail out!".
#
# Environment: top_srcdir, top_builddir (default: this script's tree and
# the current directory), CLANG (clang), XML_CFLAGS and XML_LIBS
# (pkg-config libxml-2.0), FUZZ_JOBS (parallel compiles, nproc).
set -u

usage() {
    sed -n '4,6p' "$0" | sed 's/^# \{0,3\}//' >&2
    exit 2
}

seconds=60 runs= tap=no build_only=no targets=
while [ $# -gt 0 ]; do
    case $1 in
    -t) [ $# -ge 2 ] || usage; seconds=$2; runs=; shift 2 ;;
    -r) [ $# -ge 2 ] || usage; runs=$2; shift 2 ;;
    --tap) tap=yes; shift ;;
    --build-only) build_only=yes; shift ;;
    -h|--help) usage ;;
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
         $top_builddir/core/vi-keys.c $top_builddir/core/emacs-keys.c"
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
max_len_of() {
    case $1 in load|place) echo 16384 ;; command) echo 512 ;; keymap) echo 4096 ;; esac
}
dict_of() {
    case $1 in load|place) echo "$here/xml.dict" ;; *) echo "$here/$1.dict" ;; esac
}

# "load: 1234567 runs in 60 s (20576/s), cov 2345, ft 6789, corpus 812 (1.4 MiB), peak 310 MB"
summary_of() {
    awk -v t="$1" '
        /^#[0-9]+/ && / cov: / { for (i = 1; i <= NF; i++) { if ($i == "cov:") cov = $(i+1); if ($i == "ft:") ft = $(i+1); if ($i == "corp:") corp = $(i+1) } }
        /stat::number_of_executed_units:/ { runs = $2 }
        /stat::average_exec_per_sec:/ { rate = $2 }
        /stat::peak_rss_mb:/ { rss = $2 }
        END { secs = rate > 0 ? int(runs / rate + 0.5) : 0
              printf "%s: %d runs in %d s (%d/s), cov %s, ft %s, corpus %s, peak %s MB", t, runs, secs, rate, cov, ft, corp, rss }
    ' "$2"
}

n=0 failed=0
[ $tap = yes ] && echo "1..$(echo $targets | wc -w)"
for t in $targets; do
    n=$((n + 1))
    corpus=$out/corpus/$t work=$out/work/$t log=$out/logs/$t.log
    mkdir -p "$corpus" "$work"
    if [ -n "$runs" ]; then limit="-runs=$runs"; else limit="-max_total_time=$seconds"; fi
    say "fuzzing $t ($limit), log in $log"
    # the keymap target may include files: its directory is an empty one
    # shellcheck disable=SC2046
    (cd "$work" && "$out/bin/fuzz_$t" $limit -max_len=$(max_len_of $t) -timeout=10 \
        -rss_limit_mb=2048 -dict="$(dict_of $t)" -print_final_stats=1 \
        -artifact_prefix="$out/findings/$t-" "$corpus" $(seeds_of $t)) >"$log" 2>&1
    rc=$?
    line=$(summary_of $t "$log")
    if [ $rc -eq 0 ]; then
        if [ $tap = yes ]; then echo "ok $n - $line"; else echo "$line; no finding"; fi
    else
        failed=$((failed + 1))
        finding=$(grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz property|.*runtime error)' "$log" | head -3)
        saved=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" | tail -1)
        if [ $tap = yes ]; then echo "not ok $n - $t: a finding (exit $rc)"; fi
        echo "$finding" | sed 's/^/# /' >&2
        echo "# $t: input saved as ${saved:-?}; log $log" >&2
        tail -30 "$log" | sed 's/^/# /' >&2
    fi
done
[ $failed -eq 0 ] || [ $tap = yes ] || exit 1
exit 0
