# Shell side of the TAP tests: source it, then
#   t DESCRIPTION COMMAND...   one test: passes when COMMAND succeeds
#   tap_done                    prints the plan (call last)
# Failures print the captured output as TAP comments.
: "${top_srcdir:=.}" "${top_builddir:=.}"
PCITOPO="${PCITOPO:-$top_builddir/pcitopo}"
DATA="$top_srcdir/tests/data"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pcitopo-sh.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
tap_n=0
# cp SRC... DST: the tests edit their copies, and make distcheck's sources
# are read-only (0444), which a copy keeps and a save now refuses without
# -f: a copy is made writable for its owner.
cp() {
    command cp "$@" || return
    eval "cp_dst=\${$#}"
    if [ -d "$cp_dst" ]; then chmod -R u+w "$cp_dst"; else chmod u+w "$cp_dst"; fi
}
t() {
    desc=$1; shift
    tap_n=$((tap_n + 1))
    if out=$("$@" 2>&1); then
        echo "ok $tap_n - $desc"
    else
        echo "not ok $tap_n - $desc"
        printf '%s\n' "$out" | sed 's/^/#   /' | head -20
    fi
}
tap_skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n - # SKIP $1"; }
tap_done() { echo "1..$tap_n"; exit 0; }

# run CMD...: runs pcitopo, leaving stdout in $TMP/out, stderr in $TMP/err
# and the exit status in $rc.
run() { "$PCITOPO" "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?; }
# expect_rc N: the last run exited with N
expect_rc() { [ "$rc" = "$1" ] || { echo "exit status $rc, want $1"; cat "$TMP/err"; return 1; }; }
# err_has TEXT / out_has TEXT: fixed-string match in the last run's output
err_has() { grep -qF -- "$1" "$TMP/err" || { echo "stderr lacks: $1"; cat "$TMP/err"; return 1; }; }
out_has() { grep -qF -- "$1" "$TMP/out" || { echo "stdout lacks: $1"; head -20 "$TMP/out"; return 1; }; }

# spare_line DOMAIN.xml VIRTIO E1000: the `pcitopo spare` line that live
# hot-plug counts predict (on pc and pseries both NICs are plain PCI: one
# count; q35 and virt have PCI Express)
spare_line() {
    if grep -Eq "machine=.(pc-)?q35|arch=.(aarch64|riscv64)" "$1"; then
        echo "spare hotplug slots: pcie=$2 pci=$3"
    elif [ "$2" = "$3" ]; then
        echo "spare hotplug slots: pcie=0 pci=$2"
    else
        echo "(virtio $2 and e1000 $3 differ on a machine without PCI Express)"
    fi
}

# check_live_counts DIR SUFFIX: one test per row of DIR/expected.tsv (case,
# virtio count, e1000 count, measured on a running guest): `pcitopo spare`
# on DIR/CASE.SUFFIX predicts them
check_live_counts() {
    clc_tab=$(printf '\t')
    while IFS="$clc_tab" read -r case virtio e1000; do
        [ "$case" = case ] && continue
        run spare "$1/$case.$2"
        want=$(spare_line "$1/$case.xml" "$virtio" "$e1000")
        t "${1##*/}/$case: $want" out_has "$want"
    done <"$1/expected.tsv"
}
